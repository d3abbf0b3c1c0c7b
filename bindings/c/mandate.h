/* mandate: the stable C interface.
 *
 * Opaque handles, functions named mandate_<object>_<verb>, a status code from every call that
 * can fail, and error text the caller frees with mandate_free(). No C++ exception crosses this
 * interface. Every *_new/compile has a matching *_free; freeing NULL is a no-op.
 *
 *   mandate_plan* plan; char* error;
 *   if (mandate_plan_compile(text, strlen(text), "plan.mandate", &plan, &error) != MANDATE_OK) {
 *       fprintf(stderr, "%s", error); mandate_free(error); return;
 *   }
 *   mandate_engine* engine; mandate_engine_new(plan, &engine);
 *   mandate_engine_add(engine, line, strlen(line), NULL, NULL);
 *   char* json; mandate_engine_report_json(engine, "2023-12-31", &json, NULL);
 *   ... mandate_free(json); mandate_engine_free(engine); mandate_plan_free(plan);
 */
#ifndef MANDATE_H
#define MANDATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mandate_status {
    MANDATE_OK = 0,
    MANDATE_RULE_ERROR = 1,     /* the rule file has errors; the error text lists them */
    MANDATE_REJECTED = 2,       /* a record was rejected; the error text says why */
    MANDATE_INVALID_ARGUMENT = 3,
    MANDATE_IO_ERROR = 4,
    MANDATE_INTERNAL_ERROR = 5
} mandate_status;

typedef struct mandate_plan mandate_plan;     /* immutable; may be shared between threads */
typedef struct mandate_engine mandate_engine; /* one thread at a time */

/* The library version, e.g. "0.1.0". Static storage; do not free. */
const char* mandate_version(void);

/* Frees text returned by any mandate_* function. */
void mandate_free(void* text);

/* Compiles a rule file. On MANDATE_RULE_ERROR, *error (if error is not NULL) receives every
 * diagnostic, rendered "name:line:column: error: message" with the source line and a caret. */
mandate_status mandate_plan_compile(const char* source, size_t length, const char* name, mandate_plan** plan,
                                    char** error);
void mandate_plan_free(mandate_plan* plan);
/* The plan's id. Owned by the plan. */
const char* mandate_plan_id(const mandate_plan* plan);

/* An engine over a plan; the engine keeps its own reference to the plan. */
mandate_status mandate_engine_new(const mandate_plan* plan, mandate_engine** engine);
void mandate_engine_free(mandate_engine* engine);

/* Adds one JSON record (an entity, an event or a retraction). A rejected record returns
 * MANDATE_REJECTED with the reason in *error; it is still counted and listed in reports. */
mandate_status mandate_engine_add(mandate_engine* engine, const char* json, size_t length, char** error);

/* Adds every line of a JSON Lines file; *records (if not NULL) receives the number read. */
mandate_status mandate_engine_add_jsonl_file(mandate_engine* engine, const char* path, uint64_t* records,
                                             char** error);

/* The report as of a date ("YYYY-MM-DD") as JSON (the mandate.report/1 contract); the caller
 * frees *json with mandate_free. */
mandate_status mandate_engine_report_json(mandate_engine* engine, const char* as_of, char** json, char** error);

#ifdef __cplusplus
}
#endif

#endif /* MANDATE_H */
