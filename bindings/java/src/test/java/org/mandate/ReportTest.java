package org.mandate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The small year of tests/bindings/records (worked by hand in its README.md), as of 2023-06-10. */
class ReportTest {
    private static final LocalDate AS_OF = LocalDate.of(2023, 6, 10);
    private static Plan plan;
    private static Engine engine;
    private static Report report;

    @BeforeAll
    static void load() throws Exception {
        plan = Fixtures.goutangPlan();
        engine = new Engine(plan);
        assertEquals(16, engine.addJsonl(Fixtures.smallYear()));
        report = engine.report(AS_OF);
    }

    @AfterAll
    static void close() {
        engine.close();
        plan.close();
    }

    @Test
    void theHeader() {
        assertEquals("mandate.report/1", report.schema());
        assertEquals("goutang_antifraud_2023", report.plan());
        assertEquals(plan.revision(), report.revision());
        assertEquals(AS_OF, report.asOf());
        assertEquals("苟堂镇防范电信网络诈骗集中宣传工作方案", report.title());
    }

    @Test
    void everyRecordReadIsCountedOnce() {
        Report.Inputs in = report.inputs();
        assertEquals(16, in.read());
        assertEquals(4, in.entities());
        assertEquals(5, in.applied());
        assertEquals(1, in.duplicates());
        assertEquals(1, in.retracted());
        assertEquals(1, in.retractions());
        assertEquals(1, in.unresolved());
        assertEquals(3, in.rejected());
        assertEquals(0, in.waivers());
        String source = Fixtures.smallYear().toString();
        List<Report.Rejection> rejected = report.rejected();
        assertEquals(3, rejected.size());
        assertEquals(new Report.Rejection(source, 14, "field 'venue' must be a string"), rejected.get(0));
        assertEquals(16, rejected.get(1).line());
        assertTrue(rejected.get(1).reason().startsWith("not valid JSON"), rejected.get(1).reason());
        assertEquals(17, rejected.get(2).line());
        assertTrue(rejected.get(2).reason().startsWith("duplicate key 'venue'"), rejected.get(2).reason());
        assertEquals(List.of(new Report.IgnoredField("activity", null, "colour", 1)), report.ignoredFields());
    }

    @Test
    void theRowsWorkedByHand() {
        Report.Result tf = report.result("taskforce_formed", "v01", LocalDate.of(2023, 3, 1)).orElseThrow();
        assertEquals("satisfied", tf.status());
        assertEquals(1L, tf.value());
        assertEquals(List.of("tf-v01"), tf.evidence().events());
        assertEquals(LocalDate.of(2023, 3, 31), tf.to());
        assertEquals("苟堂村", tf.unitName());
        assertEquals("成立反诈宣传工作专班", tf.label());
        Report.Result town = report.result("taskforce_formed", "goutang", LocalDate.of(2023, 3, 1)).orElseThrow();
        assertEquals("violated", town.status());
        assertFalse(town.met());
        assertEquals(0L, town.value());
        assertEquals("苟堂镇", town.unitName());
        assertEquals(2, town.cite().size());
        assertEquals("violated", report.result("rep_training_coverage", "goutang", LocalDate.of(2023, 3, 1)).orElseThrow().status());
        assertEquals("satisfied", report.result("village_monthly_activity", "v01", LocalDate.of(2023, 4, 1)).orElseThrow().status());
        assertEquals(List.of("act-apr"),
                     report.result("village_monthly_activity", "v01", LocalDate.of(2023, 4, 1)).orElseThrow().evidence().events());
        assertEquals("violated", report.result("village_monthly_activity", "v01", LocalDate.of(2023, 5, 1)).orElseThrow().status());
        Report.Result june = report.result("village_monthly_activity", "v01", LocalDate.of(2023, 6, 1)).orElseThrow();
        assertEquals("pending", june.status());
        assertEquals(LocalDate.of(2023, 6, 30), june.to());
        Report.Result leaflet = report.result("three_ones_leaflet", "v01", LocalDate.of(2023, 3, 1)).orElseThrow();
        assertEquals("violated", leaflet.status());
        assertEquals(new BigDecimal("0.5"), leaflet.value());
        assertEquals(1, leaflet.evidence().json().getAsJsonObject("coverage").get("covered").getAsInt());
        assertEquals(2, leaflet.evidence().json().getAsJsonObject("coverage").get("of").getAsInt());
        assertTrue(report.result("three_ones_banner", "v01", LocalDate.of(2023, 3, 1)).isEmpty());
    }

    @Test
    void theOutcomes() {
        // v01 missed its March mobilization meeting: criticised for March, and final on 1 April.
        Report.Outcome march = report.outcome("notify_criticism", "v01", LocalDate.of(2023, 3, 1)).orElseThrow();
        assertTrue(march.fired());
        assertTrue(march.isFinal());
        assertEquals(LocalDate.of(2023, 4, 1), march.finalOn());
        assertEquals("及时通报批评", march.label());
        assertEquals(1, march.evidence().json().getAsJsonArray("violated").size());
        assertEquals(1L, march.evidence().measures().get("violations(within u)"));
    }

    @Test
    void theJsonIsTheEnginesText() {
        assertEquals(engine.reportJson(AS_OF), report.json());
        assertEquals(report.json(), engine.reportText(AS_OF, ReportFormat.JSON, Language.ZH));
        assertEquals(report.json(), engine.reportText(AS_OF, ReportFormat.JSON, Language.EN));
    }

    @Test
    void csvHasARowPerBucket() {
        String csv = engine.reportText(AS_OF, ReportFormat.CSV, Language.EN);
        assertEquals(csv, engine.reportText(AS_OF, ReportFormat.CSV, Language.ZH));
        String[] lines = csv.split("\n");
        assertTrue(lines[0].startsWith("kind,rule,unit,from,to,status,"), lines[0]);
        // village_monthly_activity v01: April, May and June (begun by 10 June).
        assertEquals(3, java.util.Arrays.stream(lines).filter(l -> l.startsWith("obligation,village_monthly_activity,v01,")).count());
        assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.startsWith("kind,")).count());
        assertTrue(csv.contains("obligation,village_monthly_activity,v01,2023-05-01,2023-05-31,violated,"), csv);
        assertTrue(csv.contains("obligation,three_ones_leaflet,v01,2023-03-01,2023-05-31,violated,false,false,0.5,"), csv);
    }

    @Test
    void theTableThePageAndTheWorkbookInBothLanguages() throws Exception {
        String table = engine.reportText(AS_OF, ReportFormat.TABLE, Language.ZH);
        assertTrue(table.contains("✗") && table.contains("✓"), table);
        assertFalse(table.contains("\u001b["), "no colours");
        assertTrue(engine.reportText(AS_OF, ReportFormat.TABLE, Language.EN).contains("village_monthly_activity"));
        assertTrue(engine.reportText(AS_OF, ReportFormat.HTML, Language.ZH).contains("<html lang=\"zh"));
        assertTrue(engine.reportText(AS_OF, ReportFormat.HTML, Language.EN).contains("<html lang=\"en"));
        byte[] xlsx = engine.reportBytes(AS_OF, ReportFormat.XLSX, Language.ZH);
        assertArrayEquals(new byte[] {'P', 'K', 3, 4}, java.util.Arrays.copyOf(xlsx, 4));
        assertThrows(IllegalArgumentException.class, () -> engine.reportText(AS_OF, ReportFormat.XLSX, Language.ZH));
        Path file = Files.createTempFile("report", ".csv");
        try {
            engine.writeReport(AS_OF, ReportFormat.CSV, Language.ZH, file);
            assertEquals(engine.reportText(AS_OF, ReportFormat.CSV, Language.ZH),
                         new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aReportAsOfAnEarlierDateSeesTheSameRecordsThen() {
        Report april = engine.report(LocalDate.of(2023, 4, 30));
        assertEquals("satisfied", april.result("village_monthly_activity", "v01", LocalDate.of(2023, 4, 1)).orElseThrow().status());
        assertTrue(april.result("village_monthly_activity", "v01", LocalDate.of(2023, 5, 1)).isEmpty());
        assertNull(april.outcome("notify_criticism", "v01", LocalDate.of(2023, 5, 1)).orElse(null));
    }
}
