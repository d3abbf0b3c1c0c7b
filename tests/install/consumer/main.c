/* A C program built against an installed mandate (find_package(mandate) or pkg-config
 * mandate-c): one village, one event, the bucket's status. */
#include <mandate.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    const char* rules = "plan p {}\nphase c \"c\" from 2023-04-01 to 2023-04-30\nkind k \"k\"\nevent e {}\n"
                        "obligation o { each x: k  require count(e of x) >= 1 }\n";
    mandate_entity k1 = {"k1", "k", NULL, NULL, {0, 0, 0}, {0, 0, 0}, 0};
    mandate_plan* plan = NULL;
    mandate_engine* engine = NULL;
    mandate_event* event = NULL;
    char* json = NULL;
    int ok;
    if (mandate_plan_compile(rules, strlen(rules), "p.mandate", &plan, NULL, NULL) != MANDATE_OK) return 1;
    mandate_engine_new(plan, &engine);
    mandate_engine_add_entity(engine, &k1, NULL);
    mandate_event_new("a", "e", "2023-04-02", "k1", &event);
    mandate_engine_add_event(engine, event, NULL);
    mandate_event_free(event);
    mandate_engine_report_json(engine, "2023-04-03", &json, NULL);
    ok = json && strstr(json, "\"status\": \"satisfied\"");
    puts(ok ? "satisfied" : "not satisfied");
    mandate_free(json);
    mandate_engine_free(engine);
    mandate_plan_free(plan);
    return ok ? 0 : 1;
}
