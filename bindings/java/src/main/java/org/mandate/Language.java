package org.mandate;

/** The language of a report's table, page and workbook; JSON and CSV are the same in both. */
public enum Language {
    /** Chinese, the default. */
    ZH("zh"),
    /** English. */
    EN("en");

    final String tag;

    Language(String tag) {
        this.tag = tag;
    }
}
