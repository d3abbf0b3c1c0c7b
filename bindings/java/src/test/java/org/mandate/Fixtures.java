package org.mandate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests read: the project's files (-Dmandate.root) and a small plan of every field type. */
final class Fixtures {
    private Fixtures() {}

    static Path root() {
        String root = System.getProperty("mandate.root");
        if (root == null)
            throw new IllegalStateException("run with -Dmandate.root=<the project's source directory>");
        return Path.of(root);
    }

    static Path goutang() {
        return root().resolve("rules/goutang-2023.mandate");
    }

    /** tests/bindings/records/goutang-small.jsonl, worked by hand in its README.md. */
    static Path smallYear() {
        return root().resolve("tests/bindings/records/goutang-small.jsonl");
    }

    static Plan goutangPlan() throws IOException {
        return Plan.compileFile(goutang());
    }

    /**
     * One kind, an event of every field type, two monthly obligations over April to June: one
     * event a month ({@code o}), and events whose {@code x} sum to 10 or more ({@code big}).
     */
    static final String FIELDS_PLAN = """
        plan fields_plan {
          title    "every field type"
          timezone "+08:00"
        }
        phase c "c" from 2023-04-01 to 2023-06-30
        kind k "k" {
          quota?: int
        }
        event e {
          n: int
          x: number
          b?: bool
          t?: text
          d?: date
          s?: set<text>
          r?: ref k
        }
        obligation o "每月一次" {
          each u: k
          during c
          every month
          require count(e of u) >= 1
        }
        obligation big {
          each u: k
          during c
          every month
          require sum(e.x of u) >= 10
        }
        """;

    static Plan fieldsPlan() {
        return Plan.compile(FIELDS_PLAN, "fields.mandate");
    }

    static String read(Path path) throws IOException {
        return Files.readString(path);
    }
}
