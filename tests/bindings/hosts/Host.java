// A host in Java: compiles a plan, is told of every bucket that turns violated or outcome that
// fires as records arrive, adds a JSON Lines file and prints the report as of a date.
// Usage: java -cp mandate.jar:. Host RULES RECORDS AS_OF
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.mandate.BucketStatus;
import org.mandate.Engine;
import org.mandate.Plan;
import org.mandate.RuleException;
import org.mandate.StatusChange;

public final class Host {
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Host RULES RECORDS AS_OF");
            System.exit(1);
        }
        // Reports and alerts are UTF-8 whatever the locale says.
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        String rules = Files.readString(Path.of(args[0]));

        // 1. Compile once: the plan, or RuleException with every diagnostic.
        Plan plan;
        try {
            plan = Plan.compile(rules, args[0]);
        } catch (RuleException e) {
            err.print(e.getMessage());
            err.printf("first error at line %d, column %d%n", e.line(), e.column());
            System.exit(2);
            return;
        }

        // 2. An engine, and a subscriber: called inside add() for every bucket that changed.
        try (plan; Engine engine = new Engine(plan)) {
            engine.onChange((StatusChange c) -> {
                String where = c.rule() + " " + (c.unit() == null ? "-" : c.unit()) + " " + c.from() + ".." + c.to();
                if (!c.outcome() && c.after() == BucketStatus.VIOLATED)
                    err.println("violated: " + where);
                if (c.fired())
                    err.println("fired: " + where);
            });

            // 3. Records: a JSON Lines file, read in blocks; rejections are listed by file and line.
            engine.addJsonl(Path.of(args[1]));

            // 4. The report as of a date: the mandate.report/1 JSON contract.
            out.print(engine.reportJson(LocalDate.parse(args[2])));
            out.flush();
        }
    }
}
