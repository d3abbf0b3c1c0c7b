/* The C interface used from C: compile, add records, report, errors. Exits non-zero on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mandate.h"

static int failures = 0;
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                    \
        }                                                                  \
    } while (0)

static const char* plan_text =
    "plan c { timezone \"+08:00\" }\n"
    "phase campaign \"c\" from 2023-04-01 to 2023-04-30\n"
    "kind village \"行政村\"\n"
    "event activity \"活动\" { venue: text }\n"
    "obligation monthly \"每月\" {\n"
    "  each v: village\n"
    "  during campaign\n"
    "  require count(activity of v) >= 1\n"
    "}\n";

int main(void) {
    mandate_plan* plan = NULL;
    mandate_engine* engine = NULL;
    char* error = NULL;
    char* json = NULL;

    CHECK(strlen(mandate_version()) > 0);
    CHECK(mandate_plan_compile(plan_text, strlen(plan_text), "c.mandate", &plan, &error) == MANDATE_OK);
    CHECK(error == NULL);
    CHECK(strcmp(mandate_plan_id(plan), "c") == 0);
    CHECK(mandate_engine_new(plan, &engine) == MANDATE_OK);

    const char* v1 = "{\"entity\": \"v1\", \"kind\": \"village\"}";
    const char* e1 = "{\"id\": \"e1\", \"type\": \"activity\", \"time\": \"2023-04-10\", \"unit\": \"v1\", \"venue\": \"park\"}";
    const char* bad = "{\"id\": \"e2\", \"type\": \"activity\", \"time\": \"2023-04-11\", \"unit\": \"v1\", \"venue\": 3}";
    CHECK(mandate_engine_add(engine, v1, strlen(v1), NULL) == MANDATE_OK);
    CHECK(mandate_engine_add(engine, e1, strlen(e1), &error) == MANDATE_OK);
    CHECK(mandate_engine_add(engine, bad, strlen(bad), &error) == MANDATE_REJECTED);
    CHECK(error != NULL && strstr(error, "venue") != NULL);
    mandate_free(error);
    error = NULL;

    /* One bucket, April, satisfied by e1; 3 records read, one rejected. */
    CHECK(mandate_engine_report_json(engine, "2023-05-01", &json, &error) == MANDATE_OK);
    CHECK(json != NULL && strstr(json, "\"status\": \"satisfied\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"read\": 3") != NULL);
    CHECK(json != NULL && strstr(json, "\"rejected\": 1") != NULL);
    mandate_free(json);

    CHECK(mandate_engine_report_json(engine, "2023-13-01", &json, &error) == MANDATE_INVALID_ARGUMENT);
    CHECK(error != NULL);
    mandate_free(error);
    error = NULL;

    /* A broken rule file: every diagnostic, rendered. */
    const char* broken = "plan p {}\nobligation x { every fortnight }\n";
    mandate_plan* nothing = NULL;
    CHECK(mandate_plan_compile(broken, strlen(broken), "broken.mandate", &nothing, &error) == MANDATE_RULE_ERROR);
    CHECK(nothing == NULL);
    CHECK(error != NULL && strstr(error, "broken.mandate:2:22: error: expected a period") != NULL);
    mandate_free(error);

    CHECK(mandate_engine_add(NULL, "{}", 2, NULL) == MANDATE_INVALID_ARGUMENT);
    mandate_engine_free(engine);
    mandate_plan_free(plan);
    mandate_engine_free(NULL);
    mandate_plan_free(NULL);
    if (failures == 0) printf("c api: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
