// A service in the style of a Spring bean, in plain Java: one engine per town over one shared
// plan, records fed from a queue by one thread, and each town's current report on request.
// Usage: java -cp mandate.jar:. TownReports RULES RECORDS AS_OF
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.mandate.Engine;
import org.mandate.Plan;
import org.mandate.Report;

public final class TownReports implements AutoCloseable {
    /** A record for a town, as it comes off the municipal systems' message queue. */
    private record Inbound(String town, String json) {}

    private static final Inbound STOP = new Inbound("", "");

    private final Plan plan;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();
    private final BlockingQueue<Inbound> queue = new LinkedBlockingQueue<>();
    private final Thread feeder = new Thread(this::feed, "mandate-feeder");
    private long submitted;
    private long applied;

    /** The plan is compiled once at start-up (a @Bean) and shared by every town's engine. */
    public TownReports(Plan plan) {
        this.plan = plan;
        feeder.start();
    }

    /** Called by the queue listener: returns at once; the feeder thread adds the record. */
    public synchronized void submit(String town, String json) {
        ++submitted;
        queue.add(new Inbound(town, json));
    }

    private Engine engine(String town) {
        return engines.computeIfAbsent(town, t -> new Engine(plan));
    }

    private void feed() {
        try {
            for (Inbound record = queue.take(); record != STOP; record = queue.take()) {
                try {
                    // A rejected record is not an error: the engine counts it and lists it in reports.
                    engine(record.town()).add(record.json());
                } catch (RuntimeException e) {
                    // A subscriber's exception, thrown after the record was applied: the feed goes on.
                    System.err.println("mandate-feeder: " + record.town() + ": " + e);
                } finally {
                    synchronized (this) {
                        ++applied;
                        notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every record submitted so far has been added. */
    public synchronized void awaitFed() throws InterruptedException {
        while (applied < submitted)
            wait();
    }

    /** A town's report as of a date (a REST controller would take today's). */
    public Report currentReport(String town, LocalDate asOf) {
        return engine(town).report(asOf);
    }

    /** At shutdown (@PreDestroy): stop the feeder and free every engine. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            feeder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engines.values().forEach(Engine::close);
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        LocalDate asOf = LocalDate.parse(args[2]);
        try (Plan plan = Plan.compileFile(Path.of(args[0])); TownReports service = new TownReports(plan)) {
            // Goutang gets every record; Xinzhuang only the first seven.
            for (int i = 0; i < lines.size(); ++i) {
                if (lines.get(i).isBlank())
                    continue;
                service.submit("goutang", lines.get(i));
                if (i < 7)
                    service.submit("xinzhuang", lines.get(i));
            }
            service.awaitFed();
            for (String town : List.of("goutang", "xinzhuang")) {
                Report report = service.currentReport(town, asOf);
                String may = report.result("village_monthly_activity", "v01", LocalDate.of(2023, 5, 1))
                                   .map(Report.Result::status).orElse("none");
                System.out.printf("%s: read %d, applied %d, rejected %d; v01 May activity %s%n", town,
                                  report.inputs().read(), report.inputs().applied(), report.inputs().rejected(), may);
            }
        }
    }
}
