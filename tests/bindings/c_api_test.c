/* The C interface from a C99 program: the Goutang plan compiled, the small record set added as
 * JSON Lines and again through typed calls, reports read and statuses checked against the
 * values worked out in tests/bindings/records/README.md, diagnostics, status changes, and every
 * NULL argument. Run under valgrind by ctest, so a leak fails the suite.
 * Usage: mandate_test_c_api RULES RECORDS */
#define _POSIX_C_SOURCE 200809L /* mkstemp, ftruncate */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mandate.h"

static int failures = 0;
#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            ++failures;                                                                \
        }                                                                              \
    } while (0)

static char* read_file(const char* path, size_t* length) {
    FILE* f = fopen(path, "rb");
    char* text = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = (char*)malloc((size_t)n + 1);
        if (text && fread(text, 1, (size_t)n, f) == (size_t)n) {
            text[n] = '\0';
            *length = (size_t)n;
        } else {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

/* Whether the report's row for (obligation, unit, period start) holds `needle`. The JSON writer
 * puts one row on a line. */
static int row_has(const char* json, const char* obligation, const char* unit, const char* from, const char* needle) {
    char key[256], line[8192];
    const char* start;
    const char* end;
    size_t n;
    snprintf(key, sizeof key, "{\"obligation\": \"%s\", \"unit\": \"%s\", \"period\": {\"from\": \"%s\"", obligation, unit, from);
    start = strstr(json, key);
    if (!start) return 0;
    end = strchr(start, '\n');
    n = end ? (size_t)(end - start) : strlen(start);
    if (n >= sizeof line) n = sizeof line - 1;
    memcpy(line, start, n);
    line[n] = '\0';
    return strstr(line, needle) != NULL;
}

/* The part of a report that does not depend on where records came from: everything but the
 * sources and lines of rejections. */
static int same_but_rejections(const char* a, const char* b) {
    const char* cut_a = strstr(a, "\"rejected\": [");
    const char* cut_b = strstr(b, "\"rejected\": [");
    const char* tail_a = strstr(a, "\"ignored_fields\"");
    const char* tail_b = strstr(b, "\"ignored_fields\"");
    if (!cut_a || !cut_b || !tail_a || !tail_b) return 0;
    return cut_a - a == cut_b - b && memcmp(a, b, (size_t)(cut_a - a)) == 0 && strcmp(tail_a, tail_b) == 0;
}

static const char* expected_inputs =
    "\"inputs\": {\"read\": 16, \"entities\": 4, \"applied\": 5, \"duplicates\": 1, \"retracted\": 1, "
    "\"retractions\": 1, \"unresolved\": 1, \"rejected\": 3, \"waivers\": 0}";

static void check_goutang_report(const char* json) {
    CHECK(strstr(json, "\"plan\": \"goutang_antifraud_2023\"") != NULL);
    CHECK(strstr(json, "\"as_of\": \"2023-06-10\"") != NULL);
    CHECK(row_has(json, "taskforce_formed", "v01", "2023-03-01", "\"status\": \"satisfied\""));
    CHECK(row_has(json, "taskforce_formed", "goutang", "2023-03-01", "\"status\": \"violated\""));
    /* The town reported the training itself: only a police station's count. */
    CHECK(row_has(json, "rep_training_coverage", "goutang", "2023-03-01", "\"status\": \"violated\", \"met\": false, \"at_risk\": false, \"value\": 0,"));
    CHECK(row_has(json, "village_monthly_activity", "v01", "2023-04-01", "\"status\": \"satisfied\""));
    CHECK(row_has(json, "village_monthly_activity", "v01", "2023-05-01", "\"status\": \"violated\""));
    CHECK(row_has(json, "village_monthly_activity", "v01", "2023-06-01", "\"status\": \"pending\""));
    CHECK(row_has(json, "three_ones_leaflet", "v01", "2023-03-01", "\"status\": \"violated\", \"met\": false, \"at_risk\": false, \"value\": 0.5"));
    /* v01 has nothing to hang a banner on: no row at all. */
    CHECK(!row_has(json, "three_ones_banner", "v01", "2023-03-01", ""));
    CHECK(strstr(json, expected_inputs) != NULL);
    CHECK(strstr(json, "{\"type\": \"activity\", \"field\": \"colour\", \"records\": 1}") != NULL);
}

/* ------------------------------------------------------------------ status changes */

#define MAX_CHANGES 8
static struct {
    int count;
    char rule[64], unit[16], from[11], to[11];
    mandate_bucket_status before, after;
    int fired_after;
    mandate_status add_inside, report_inside;
} heard;

static void on_change(const mandate_change* change, void* user) {
    mandate_engine* engine = (mandate_engine*)user;
    char* json = NULL;
    if (heard.count++ == 0) {
        snprintf(heard.rule, sizeof heard.rule, "%s", change->rule);
        snprintf(heard.unit, sizeof heard.unit, "%s", change->unit ? change->unit : "-");
        snprintf(heard.from, sizeof heard.from, "%s", change->from);
        snprintf(heard.to, sizeof heard.to, "%s", change->to);
        heard.before = change->before;
        heard.after = change->after;
        heard.fired_after = change->fired_after;
    }
    /* Adding records or reporting from inside a callback is refused, not undefined. */
    heard.add_inside = mandate_engine_add(engine, "{\"retract\": \"x\"}", 16, NULL);
    heard.report_inside = mandate_engine_report_json(engine, "2023-06-10", &json, NULL);
    mandate_free(json);
}

static mandate_event* event(const char* id, const char* type, const char* time, const char* unit) {
    mandate_event* e = NULL;
    CHECK(mandate_event_new(id, type, time, unit, &e) == MANDATE_OK);
    return e;
}

/* The records of goutang-small.jsonl through the typed calls (and the lines typed calls cannot
 * express, the duplicate's JSON twin, the cut record and the one naming a key twice, as JSON). */
static void add_typed(mandate_engine* engine) {
    mandate_entity town = {"goutang", "town", NULL, "苟堂镇", {0, 0, 0}, {0, 0, 0}, 0};
    mandate_entity v01 = {"v01", "village", "goutang", "苟堂村", {2023, 1, 1}, {0, 0, 0}, 0};
    mandate_entity h1 = {"h1", "household", "v01", NULL, {0, 0, 0}, {0, 0, 0}, 0};
    mandate_entity m1 = {"m1", "merchant", "v01", NULL, {0, 0, 0}, {0, 0, 0}, 0};
    const char* twin = "{\"id\": \"act-apr\", \"type\": \"activity\", \"time\": \"2023-04-15T01:30:00Z\", \"unit\": \"v01\", "
                       "\"venue\": \"square\", \"methods\": [\"desk\", \"banner\"]}";
    const char* cut = "{\"id\": \"broken\", \"type\": \"activity\",\n";
    const char* twice = "{\"id\": \"dup-key\", \"type\": \"activity\", \"time\": \"2023-05-21\", \"unit\": \"v01\", "
                        "\"venue\": \"park\", \"venue\": \"market\", \"methods\": []}";
    char* error = NULL;
    mandate_event* e;

    CHECK(mandate_engine_add_entity(engine, &town, NULL) == MANDATE_OK);
    CHECK(mandate_engine_add_entity(engine, &v01, NULL) == MANDATE_OK);
    CHECK(mandate_engine_add_entity(engine, &h1, NULL) == MANDATE_OK);
    CHECK(mandate_engine_add_entity(engine, &m1, NULL) == MANDATE_OK);

    e = event("tf-v01", "taskforce_formed", "2023-03-10", "v01");
    mandate_event_set_text(e, "leader", "王书记");
    mandate_event_set_text(e, "liaison", "李会计");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);

    e = event("rt-1", "rep_training", "2023-03-20T14:00:00+08:00", "goutang");
    CHECK(mandate_event_append_text(e, "units", "v01") == MANDATE_OK);
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);

    e = event("act-apr", "activity", "2023-04-15T09:30:00+08:00", "v01");
    mandate_event_set_text(e, "venue", "square");
    mandate_event_append_text(e, "methods", "banner");
    mandate_event_append_text(e, "methods", "desk");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);
    /* Its JSON twin is a duplicate, not a conflict. */
    CHECK(mandate_engine_add(engine, twin, strlen(twin), &error) == MANDATE_OK);
    CHECK(error == NULL);

    e = event("act-may", "activity", "2023-05-20", "v01");
    mandate_event_set_text(e, "venue", "market");
    mandate_event_set_empty(e, "methods");
    mandate_event_append_text(e, "methods", "leaflet");
    mandate_event_set_text(e, "colour", "red");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);

    e = event("lf-h1", "leaflet_delivered", "2023-05-02", "v01");
    mandate_event_set_text(e, "recipient", "h1");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);
    e = event("lf-m1", "leaflet_delivered", "2023-05-03", "v01");
    mandate_event_set_text(e, "recipient", "m1");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);
    CHECK(mandate_engine_retract(engine, "lf-m1", NULL) == MANDATE_OK);

    e = event("bad-1", "activity", "2023-05-21", "v01");
    mandate_event_set_int(e, "venue", 3);
    mandate_event_set_empty(e, "methods");
    CHECK(mandate_engine_add_event(engine, e, &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strcmp(error, "field 'venue' must be a string") == 0);
    mandate_free(error);
    mandate_event_free(e);

    e = event("ghost", "activity", "2023-05-22", "v99");
    mandate_event_set_text(e, "venue", "park");
    mandate_event_set_empty(e, "methods");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK); /* held unresolved */
    mandate_event_free(e);

    CHECK(mandate_engine_add_jsonl(engine, cut, strlen(cut), "cut", NULL, NULL) == MANDATE_OK);
    CHECK(mandate_engine_add(engine, twice, strlen(twice), &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strcmp(error, "duplicate key 'venue'") == 0);
    mandate_free(error);
}

static void check_typed_values(const mandate_plan* plan) {
    /* Each number form of one value is one event: 12.5 seconds as decimal text, millionths and
     * JSON. */
    mandate_engine* engine = NULL;
    mandate_entity bank = {"b1", "bank", NULL, NULL, {0, 0, 0}, {0, 0, 0}, 0};
    const char* json = "{\"id\": \"s1\", \"type\": \"screen_play\", \"time\": \"2023-04-03\", \"unit\": \"b1\", "
                       "\"seconds\": 12.5, \"antifraud\": true}";
    char* report = NULL;
    char* error = NULL;
    mandate_event* e;
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);
    CHECK(mandate_engine_add_entity(engine, &bank, NULL) == MANDATE_OK);
    CHECK(mandate_engine_add(engine, json, strlen(json), NULL) == MANDATE_OK);
    e = event("s1", "screen_play", "2023-04-03", "b1");
    CHECK(mandate_event_set_number(e, "seconds", "12.50") == MANDATE_OK);
    CHECK(mandate_event_set_bool(e, "antifraud", 1) == MANDATE_OK);
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    CHECK(mandate_event_set_millionths(e, "seconds", 12500000) == MANDATE_OK);
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    /* Another value under the same id conflicts: the three copies so far and this one are
     * rejected. */
    CHECK(mandate_event_set_millionths(e, "seconds", 12500001) == MANDATE_OK);
    CHECK(mandate_engine_add_event(engine, e, &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strstr(error, "'s1'") != NULL);
    mandate_free(error);
    /* An unset required field: the JSON reader's reason. */
    CHECK(mandate_event_unset(e, "antifraud") == MANDATE_OK);
    CHECK(mandate_event_set_int(e, "seconds", 3) == MANDATE_OK);
    CHECK(mandate_engine_add_event(engine, e, &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strcmp(error, "field 'antifraud' is missing") == 0);
    mandate_free(error);
    mandate_event_free(e);
    CHECK(mandate_engine_report_json(engine, "2023-05-01", &report, NULL) == MANDATE_OK);
    CHECK(report != NULL && strstr(report, "\"duplicates\": 0") != NULL);
    CHECK(report != NULL && strstr(report, "\"rejected\": 5, \"waivers\": 0}") != NULL); /* 4 copies of s1, 1 incomplete */
    mandate_free(report);

    /* Date values: a real date typed, a month 13 refused at once. */
    e = event("x", "term_started", "2023-09-01", "b1");
    CHECK(mandate_event_set_date(e, "term", (mandate_date){2023, 13, 1}) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_date(e, "term", (mandate_date){2023, 2, 29}) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_date(e, "term", (mandate_date){2023, 9, 1}) == MANDATE_OK);
    CHECK(mandate_event_set_number(e, "term", "1,5") == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_number(e, "sizes", "+1") == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_number(e, "sizes", "1.5") == MANDATE_OK);
    CHECK(mandate_event_append_int(e, "sizes", 2) == MANDATE_OK);
    CHECK(mandate_event_append_bool(e, "sizes", 0) == MANDATE_OK);
    CHECK(mandate_event_append_date(e, "sizes", (mandate_date){2023, 2, 28}) == MANDATE_OK);
    /* `term` is text: a date value is its ISO text, as in JSON. */
    CHECK(mandate_engine_add_event(engine, e, &error) == MANDATE_OK);
    CHECK(error == NULL);
    mandate_event_free(e);
    {
        mandate_entity bad = {"v9", "village", NULL, NULL, {2023, 2, 30}, {0, 0, 0}, 0};
        CHECK(mandate_engine_add_entity(engine, &bad, &error) == MANDATE_INVALID_ARGUMENT);
        CHECK(error != NULL && strstr(error, "since") != NULL);
        mandate_free(error);
        bad.since.day = 28;
        bad.version = -1;
        CHECK(mandate_engine_add_entity(engine, &bad, &error) == MANDATE_REJECTED);
        CHECK(error != NULL && strcmp(error, "field 'version' must be a whole number >= 0") == 0);
        mandate_free(error);
        bad.kind = "city";
        bad.version = 0;
        CHECK(mandate_engine_add_entity(engine, &bad, &error) == MANDATE_REJECTED);
        CHECK(error != NULL && strcmp(error, "unknown kind 'city'") == 0);
        mandate_free(error);
    }
    mandate_engine_free(engine);
}

static void check_changes(const mandate_plan* plan) {
    mandate_engine* engine = NULL;
    const char* registry = "{\"entity\": \"goutang\", \"kind\": \"town\"}\n"
                           "{\"entity\": \"v01\", \"kind\": \"village\", \"parent\": \"goutang\"}\n";
    mandate_event* e;
    int token = -1;
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);
    CHECK(mandate_engine_add_jsonl(engine, registry, strlen(registry), "registry", NULL, NULL) == MANDATE_OK);
    CHECK(mandate_engine_set_watch_date(engine, "2023-04-20") == MANDATE_OK);
    CHECK(mandate_engine_set_watch_date(engine, "2023-04-31") == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_subscribe(engine, on_change, engine, &token) == MANDATE_OK);
    CHECK(token > 0);
    /* As of 2023-04-20 this activity turns v01's April bucket from pending to satisfied, and
     * changes nothing else. */
    e = event("act-apr", "activity", "2023-04-15", "v01");
    mandate_event_set_text(e, "venue", "park");
    mandate_event_set_empty(e, "methods");
    CHECK(mandate_engine_add_event(engine, e, NULL) == MANDATE_OK);
    mandate_event_free(e);
    CHECK(heard.count == 1);
    CHECK(strcmp(heard.rule, "village_monthly_activity") == 0);
    CHECK(strcmp(heard.unit, "v01") == 0);
    CHECK(strcmp(heard.from, "2023-04-01") == 0 && strcmp(heard.to, "2023-04-30") == 0);
    CHECK(heard.before == MANDATE_BUCKET_PENDING && heard.after == MANDATE_BUCKET_SATISFIED);
    CHECK(heard.fired_after == -1);
    CHECK(heard.add_inside == MANDATE_INVALID_ARGUMENT);
    CHECK(heard.report_inside == MANDATE_INVALID_ARGUMENT);
    /* Unsubscribed, no more calls; the watch date back to the latest event date. */
    CHECK(mandate_engine_unsubscribe(engine, token) == MANDATE_OK);
    CHECK(mandate_engine_set_watch_date(engine, NULL) == MANDATE_OK);
    CHECK(mandate_engine_retract(engine, "act-apr", NULL) == MANDATE_OK);
    CHECK(heard.count == 1);
    mandate_engine_free(engine);
}

static void check_null_arguments(const mandate_plan* plan) {
    mandate_engine* engine = NULL;
    mandate_plan* no_plan = (mandate_plan*)1;
    mandate_engine* no_engine = (mandate_engine*)1;
    mandate_event* no_event = (mandate_event*)1;
    mandate_event* e = NULL;
    mandate_entity nameless = {NULL, "village", NULL, NULL, {0, 0, 0}, {0, 0, 0}, 0};
    char* error = NULL;
    char* json = (char*)1;
    uint64_t n = 0;
    int token = 0;
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);
    CHECK(mandate_event_new("e", "activity", "2023-04-01", "v01", &e) == MANDATE_OK);

    CHECK(mandate_plan_compile(NULL, 5, "x", &no_plan, NULL, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(no_plan == NULL && error != NULL);
    mandate_free(error);
    CHECK(mandate_plan_compile("plan p {}", 9, "x", NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_new(NULL, &no_engine) == MANDATE_INVALID_ARGUMENT);
    CHECK(no_engine == NULL);
    CHECK(mandate_engine_new(plan, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add(NULL, "{}", 2, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add(engine, NULL, 2, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(error != NULL);
    mandate_free(error);
    CHECK(mandate_engine_add_jsonl(NULL, "", 0, NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_jsonl(engine, NULL, 3, NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_jsonl(engine, NULL, 0, NULL, &n, NULL) == MANDATE_OK && n == 0);
    CHECK(mandate_engine_add_jsonl_file(NULL, "x", NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_jsonl_file(engine, NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_entity(NULL, &nameless, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_entity(engine, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_entity(engine, &nameless, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_event(NULL, e, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_add_event(engine, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_retract(NULL, "e", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_retract(engine, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_report_json(NULL, "2023-01-01", &json, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(json == NULL);
    CHECK(mandate_engine_report_json(engine, NULL, &json, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_report_json(engine, "2023-01-01", NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_subscribe(NULL, on_change, NULL, &token) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_subscribe(engine, NULL, NULL, &token) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_subscribe(engine, on_change, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_unsubscribe(NULL, 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_set_watch_date(NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_new(NULL, "activity", "2023-04-01", "v01", &no_event) == MANDATE_INVALID_ARGUMENT);
    CHECK(no_event == NULL);
    CHECK(mandate_event_new("e", NULL, "2023-04-01", "v01", &no_event) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_new("e", "activity", NULL, "v01", &no_event) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_new("e", "activity", "2023-04-01", NULL, &no_event) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_new("e", "activity", "2023-04-01", "v01", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_int(NULL, "f", 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_int(e, NULL, 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_number(e, "f", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_millionths(NULL, "f", 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_bool(NULL, "f", 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_text(e, "f", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_text(NULL, "f", "x") == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_date(NULL, "f", (mandate_date){2023, 1, 1}) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_set_empty(e, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_int(NULL, "f", 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_number(e, "f", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_bool(e, NULL, 1) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_text(e, "f", NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_append_date(NULL, "f", (mandate_date){2023, 1, 1}) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_unset(NULL, "f") == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_event_unset(e, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(strcmp(mandate_plan_id(NULL), "") == 0);
    CHECK(strcmp(mandate_plan_revision(NULL), "") == 0);
    CHECK(mandate_diagnostics_count(NULL) == 0);
    CHECK(mandate_diagnostics_line(NULL, 0) == 0);
    CHECK(mandate_diagnostics_message(NULL, 0) == NULL);

    mandate_event_free(e);
    mandate_engine_free(engine);
    mandate_free(NULL);
    mandate_plan_free(NULL);
    mandate_engine_free(NULL);
    mandate_event_free(NULL);
    mandate_diagnostics_free(NULL);
}

static void check_diagnostics(void) {
    const char* broken = "plan p {}\nobligation x { every fortnight }\n";
    mandate_plan* nothing = (mandate_plan*)1;
    mandate_diagnostics* diagnostics = NULL;
    char* error = NULL;
    CHECK(mandate_plan_compile(broken, strlen(broken), "broken.mandate", &nothing, &diagnostics, &error) == MANDATE_RULE_ERROR);
    CHECK(nothing == NULL);
    CHECK(error != NULL && strstr(error, "broken.mandate:2:22: error: expected a period") != NULL);
    CHECK(error != NULL && strstr(error, "fortnight") != NULL);
    CHECK(mandate_diagnostics_count(diagnostics) >= 1);
    CHECK(mandate_diagnostics_line(diagnostics, 0) == 2);
    CHECK(mandate_diagnostics_column(diagnostics, 0) == 22);
    CHECK(mandate_diagnostics_message(diagnostics, 0) != NULL &&
          strncmp(mandate_diagnostics_message(diagnostics, 0), "expected a period", 17) == 0);
    CHECK(mandate_diagnostics_line(diagnostics, 1000) == 0);
    CHECK(mandate_diagnostics_column(diagnostics, 1000) == 0);
    CHECK(mandate_diagnostics_message(diagnostics, 1000) == NULL);
    mandate_diagnostics_free(diagnostics);
    mandate_free(error);
    /* Without the list, the text alone. */
    CHECK(mandate_plan_compile(broken, strlen(broken), NULL, &nothing, NULL, &error) == MANDATE_RULE_ERROR);
    CHECK(error != NULL && strstr(error, "<rules>:2:22") != NULL);
    mandate_free(error);
}

/* Saving and restoring: another engine restores the state and the host's bytes (zeros among
 * them), and gives the same report; a corrupted file is refused and leaves the engine as it was. */
static void check_state(const mandate_plan* plan, mandate_engine* saved, const char* expected) {
    char path[] = "/tmp/mandate-c-state-XXXXXX";
    const int fd = mkstemp(path);
    mandate_engine* restored = NULL;
    char* host = NULL;
    size_t host_length = 0;
    char* json = NULL;
    char* error = NULL;
    static const char cursor[] = {'l', 'i', 'n', 'e', '\0', '4', '2'};
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    CHECK(mandate_engine_save(saved, path, cursor, sizeof cursor, &error) == MANDATE_OK && error == NULL);
    CHECK(mandate_engine_new(plan, &restored) == MANDATE_OK);
    CHECK(mandate_engine_restore(restored, path, &host, &host_length, &error) == MANDATE_OK && error == NULL);
    CHECK(host != NULL && host_length == sizeof cursor && memcmp(host, cursor, host_length) == 0);
    mandate_free(host);
    CHECK(mandate_engine_report_json(restored, "2023-06-10", &json, NULL) == MANDATE_OK);
    CHECK(json != NULL && strcmp(json, expected) == 0);
    mandate_free(json);
    {
        /* Cut the file short: refused, with the reason, and the engine keeps its records. */
        FILE* f = fopen(path, "r+b");
        CHECK(f != NULL);
        if (f) {
            CHECK(ftruncate(fileno(f), 100) == 0);
            fclose(f);
        }
    }
    CHECK(mandate_engine_restore(restored, path, &host, &host_length, &error) == MANDATE_STATE_ERROR);
    CHECK(host == NULL && host_length == 0 && error != NULL && strstr(error, "it is truncated") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_report_json(restored, "2023-06-10", &json, NULL) == MANDATE_OK);
    CHECK(json != NULL && strcmp(json, expected) == 0);
    mandate_free(json);
    CHECK(mandate_engine_save(NULL, path, NULL, 0, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_save(restored, NULL, NULL, 0, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_save(restored, path, NULL, 3, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_restore(NULL, path, NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_restore(restored, NULL, NULL, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_save(restored, "/nonexistent-dir/state", NULL, 0, &error) == MANDATE_IO_ERROR);
    CHECK(error != NULL && strstr(error, "/nonexistent-dir/state") != NULL);
    mandate_free(error);
    remove(path);
    mandate_engine_free(restored);
}

/* LANGUAGE-v2.md sections 1 and 8 from C: an entity with its kind's fields, and a waiver that
 * excuses a bucket, heard as MANDATE_BUCKET_EXCUSED by a subscriber watching 2025-04-01. */
static int excused_heard = 0;
static void on_v2_change(const mandate_change* change, void* user) {
    (void)user;
    if (!change->outcome && strcmp(change->rule, "monthly") == 0 && strcmp(change->from, "2025-03-01") == 0 &&
        change->before == MANDATE_BUCKET_VIOLATED && change->after == MANDATE_BUCKET_EXCUSED)
        ++excused_heard;
}

static void check_v2(void) {
    const char* text =
        "plan w { timezone \"+08:00\" }\n"
        "phase p \"p\" from 2025-03-01 to 2025-05-31\n"
        "kind village \"v\" { quota: int, rural?: bool }\n"
        "event activity \"a\" {}\n"
        "obligation monthly \"m\" { each v: village\n during p\n every month\n require count(activity of v) >= v.quota }\n";
    mandate_plan* plan = NULL;
    mandate_engine* engine = NULL;
    mandate_event* fields = NULL;
    char* error = NULL;
    char* json = NULL;
    int token = 0;
    mandate_entity v1 = {"v1", "village", NULL, "一村", {0, 0, 0}, {0, 0, 0}, 0};
    mandate_waiver w = {"w1", "monthly", "v1", {2025, 3, 15}, {0, 0, 0}, 1, "防汛", "镇联席办"};
    CHECK(mandate_plan_compile(text, strlen(text), "w.mandate", &plan, NULL, &error) == MANDATE_OK);
    if (!plan) return;
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);
    CHECK(mandate_event_new("", "", "", "", &fields) == MANDATE_OK);
    /* quota 1; March has no activity: violated as of 04-01. */
    CHECK(mandate_event_set_int(fields, "quota", 1) == MANDATE_OK);
    CHECK(mandate_engine_add_entity_fields(engine, &v1, fields, &error) == MANDATE_OK);
    /* A mistyped field rejects the record, with the JSON twin's reason. */
    CHECK(mandate_event_set_text(fields, "quota", "two") == MANDATE_OK);
    v1.id = "v2";
    CHECK(mandate_engine_add_entity_fields(engine, &v1, fields, &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strcmp(error, "field 'quota' must be a whole number") == 0);
    mandate_free(error);
    error = NULL;
    CHECK(mandate_engine_set_watch_date(engine, "2025-04-01") == MANDATE_OK);
    CHECK(mandate_engine_subscribe(engine, on_v2_change, NULL, &token) == MANDATE_OK);
    CHECK(mandate_engine_add_waiver(engine, &w, &error) == MANDATE_OK);
    CHECK(excused_heard == 1);
    /* Both an excuse and an extension: rejected. */
    w.id = "w2";
    w.extend_to.year = 2025;
    w.extend_to.month = 4;
    w.extend_to.day = 10;
    CHECK(mandate_engine_add_waiver(engine, &w, &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strstr(error, "exactly one of 'extend_to'") != NULL);
    mandate_free(error);
    error = NULL;
    CHECK(mandate_engine_report_json(engine, "2025-04-01", &json, &error) == MANDATE_OK);
    CHECK(json != NULL && strstr(json, "\"status\": \"excused\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"waiver\": {\"id\": \"w1\", \"extended_to\": null, \"reason\": \"防汛\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"rejected\": 2, \"waivers\": 1}") != NULL);
    mandate_free(json);
    mandate_event_free(fields);
    mandate_engine_free(engine);
    mandate_plan_free(plan);
}

/* ------------------------------------------------------------------ report formats */

/* Whether `text` has a line that starts with `prefix`. */
static int has_line(const char* text, const char* prefix) {
    const char* at = text;
    const size_t n = strlen(prefix);
    while (at && *at) {
        if (strncmp(at, prefix, n) == 0) return 1;
        at = strchr(at, '\n');
        if (at) ++at;
    }
    return 0;
}

/* The same report in each format, as of 2023-06-10 (tests/bindings/records/README.md). */
static void check_formats(mandate_engine* engine, const char* json) {
    char* out = NULL;
    char* error = NULL;
    size_t length = 0;

    CHECK(mandate_engine_report_format(engine, "2023-06-10", "json", NULL, &out, &length, &error) == MANDATE_OK);
    CHECK(out != NULL && strcmp(out, json) == 0 && length == strlen(json));
    mandate_free(out);

    CHECK(mandate_engine_report_format(engine, "2023-06-10", "csv", "en", &out, &length, &error) == MANDATE_OK);
    if (out) {
        CHECK(length == strlen(out));
        CHECK(has_line(out, "kind,rule,unit,from,to,status,met,at_risk,value,reason,"));
        CHECK(has_line(out, "obligation,village_monthly_activity,v01,2023-04-01,2023-04-30,satisfied,true,false,"));
        CHECK(has_line(out, "obligation,village_monthly_activity,v01,2023-05-01,2023-05-31,violated,false,false,"));
        CHECK(has_line(out, "obligation,village_monthly_activity,v01,2023-06-01,2023-06-30,pending,false,"));
        CHECK(has_line(out, "obligation,three_ones_leaflet,v01,2023-03-01,"));
        CHECK(strstr(out, ",violated,false,false,0.5,") != NULL);
    }
    mandate_free(out);

    /* The table and the page in both languages: the same statuses, other words. */
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "table", "en", &out, &length, &error) == MANDATE_OK);
    if (out) {
        CHECK(strstr(out, "village_monthly_activity") != NULL);
        CHECK(strstr(out, "\xE2\x9C\x93") != NULL); /* ✓: a satisfied bucket */
        CHECK(strstr(out, "\xE2\x9C\x97") != NULL); /* ✗: a violated one */
        CHECK(strstr(out, "\x1b[") == NULL);          /* no colours */
    }
    mandate_free(out);
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "html", NULL, &out, &length, &error) == MANDATE_OK);
    if (out) {
        CHECK(strncmp(out, "<!DOCTYPE html>", 15) == 0);
        CHECK(strstr(out, "lang=\"zh") != NULL);
    }
    mandate_free(out);
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "html", "en", &out, &length, &error) == MANDATE_OK);
    if (out) CHECK(strstr(out, "lang=\"en") != NULL);
    mandate_free(out);

    /* The workbook: a zip archive (its first local header, "PK\3\4"), NUL bytes and all. */
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "xlsx", "en", &out, &length, &error) == MANDATE_OK);
    if (out) {
        CHECK(length > 1000 && memcmp(out, "PK\x03\x04", 4) == 0);
        CHECK(memchr(out, '\0', length) != NULL);
    }
    mandate_free(out);

    /* What it refuses, saying why; nothing is returned then. */
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "pdf", NULL, &out, &length, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(out == NULL && length == 0 && error != NULL && strstr(error, "json, csv, table, html or xlsx, not 'pdf'") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "table", "fr", &out, &length, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(out == NULL && error != NULL && strstr(error, "'fr'") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_report_format(engine, "2023-06-31", "csv", NULL, &out, &length, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(out == NULL && error != NULL && strstr(error, "2023-06-31") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_report_format(NULL, "2023-06-10", "csv", NULL, &out, &length, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_report_format(engine, "2023-06-10", NULL, NULL, &out, &length, NULL) == MANDATE_INVALID_ARGUMENT);
    CHECK(mandate_engine_report_format(engine, "2023-06-10", "csv", NULL, &out, NULL, NULL) == MANDATE_INVALID_ARGUMENT);
}

/* Each kind of handle counts while it lives, and no longer once freed. */
static void check_live_handles(const mandate_plan* plan, const char* rules, size_t length) {
    const size_t before = mandate_live_handles();
    mandate_engine* engine = NULL;
    mandate_event* ev = NULL;
    mandate_plan* second = NULL;
    mandate_plan* none = NULL;
    mandate_diagnostics* diagnostics = NULL;
    char* error = NULL;
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);
    CHECK(mandate_live_handles() == before + 1);
    CHECK(mandate_event_new("e1", "activity", "2023-04-01", "v01", &ev) == MANDATE_OK);
    CHECK(mandate_live_handles() == before + 2);
    CHECK(mandate_plan_compile(rules, length, "again.mandate", &second, NULL, &error) == MANDATE_OK);
    CHECK(mandate_live_handles() == before + 3);
    CHECK(mandate_plan_compile("plan broken {", 13, "broken.mandate", &none, &diagnostics, &error) == MANDATE_RULE_ERROR);
    mandate_free(error);
    CHECK(none == NULL && diagnostics != NULL && mandate_live_handles() == before + 4);
    mandate_diagnostics_free(diagnostics);
    mandate_plan_free(second);
    mandate_event_free(ev);
    CHECK(mandate_live_handles() == before + 1);
    mandate_engine_free(engine);
    CHECK(mandate_live_handles() == before);
}

int main(int argc, char** argv) {
    mandate_plan* plan = NULL;
    mandate_engine* from_file = NULL;
    mandate_engine* typed = NULL;
    char* rules;
    size_t length = 0;
    char* error = NULL;
    char* json = NULL;
    char* json_typed = NULL;
    uint64_t records = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: %s RULES RECORDS\n", argv[0]);
        return 2;
    }
    rules = read_file(argv[1], &length);
    if (!rules) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    CHECK(mandate_live_handles() == 0);
    CHECK(strlen(mandate_version()) > 0);
    CHECK(mandate_plan_compile(rules, length, "goutang-2023.mandate", &plan, NULL, &error) == MANDATE_OK);
    CHECK(error == NULL);
    if (!plan) return 1;
    CHECK(mandate_live_handles() == 1);
    check_live_handles(plan, rules, length);
    free(rules);
    CHECK(strcmp(mandate_plan_id(plan), "goutang_antifraud_2023") == 0);
    CHECK(strlen(mandate_plan_revision(plan)) == 64);

    /* The records file, read by the library. */
    CHECK(mandate_engine_new(plan, &from_file) == MANDATE_OK);
    CHECK(mandate_engine_add_jsonl_file(from_file, argv[2], &records, &error) == MANDATE_OK);
    CHECK(records == 16);
    CHECK(mandate_engine_report_json(from_file, "2023-06-10", &json, &error) == MANDATE_OK);
    if (json) {
        check_goutang_report(json);
        CHECK(strstr(json, "\"line\": 14, \"reason\": \"field 'venue' must be a string\"") != NULL);
        CHECK(strstr(json, "\"line\": 16, \"reason\": \"not valid JSON") != NULL);
        CHECK(strstr(json, "\"line\": 17, \"reason\": \"duplicate key 'venue'\"") != NULL);
    }

    /* The same records through typed calls: the same report but for where rejections came from. */
    CHECK(mandate_engine_new(plan, &typed) == MANDATE_OK);
    add_typed(typed);
    CHECK(mandate_engine_report_json(typed, "2023-06-10", &json_typed, NULL) == MANDATE_OK);
    if (json && json_typed) {
        check_goutang_report(json_typed);
        CHECK(same_but_rejections(json, json_typed));
    }
    mandate_free(json_typed);
    if (json) check_state(plan, from_file, json);
    if (json) check_formats(from_file, json);
    mandate_free(json);

    CHECK(mandate_engine_report_json(typed, "2023-13-01", &json, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(json == NULL && error != NULL && strstr(error, "2023-13-01") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_add_jsonl_file(typed, "/nonexistent/records.jsonl", &records, &error) == MANDATE_IO_ERROR);
    CHECK(error != NULL && strstr(error, "/nonexistent/records.jsonl") != NULL);
    mandate_free(error);
    CHECK(mandate_engine_add_jsonl_file(typed, "/", NULL, &error) == MANDATE_IO_ERROR);
    mandate_free(error);
    mandate_engine_free(from_file);
    mandate_engine_free(typed);

    check_typed_values(plan);
    check_changes(plan);
    check_null_arguments(plan);
    check_diagnostics();
    check_v2();
    mandate_plan_free(plan);
    CHECK(mandate_live_handles() == 0);
    if (failures == 0) printf("c api: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
