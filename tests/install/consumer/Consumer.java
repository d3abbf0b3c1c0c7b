// A Java program built against an installed mandate.jar with javac and java alone: one village,
// one event, the bucket's status.
import java.time.LocalDate;
import java.util.Map;
import org.mandate.Engine;
import org.mandate.Event;
import org.mandate.Plan;

public final class Consumer {
    public static void main(String[] args) {
        String rules = "plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind k \"k\"\nevent e {}\n"
                       + "obligation o { each x: k  require count(e of x) >= 1 }\n";
        try (Plan plan = Plan.compile(rules, "p.mandate"); Engine engine = new Engine(plan)) {
            engine.add(Map.of("entity", "k1", "kind", "k"));
            engine.add(Event.of("a", "e", LocalDate.of(2023, 4, 2), "k1"));
            System.out.println(engine.report(LocalDate.of(2023, 4, 3)).results().get(0).status());
        }
    }
}
