package org.mandate;

/** The forms a report is written in ({@link Engine#reportBytes}). */
public enum ReportFormat {
    /** The {@code mandate.report/1} JSON object. */
    JSON("json"),
    /** A row per bucket, with a header. */
    CSV("csv"),
    /** A table for a terminal, without colours, 100 columns wide. */
    TABLE("table"),
    /** A self-contained HTML page. */
    HTML("html"),
    /** An Excel workbook (binary). */
    XLSX("xlsx");

    final String name;

    ReportFormat(String name) {
        this.name = name;
    }
}
