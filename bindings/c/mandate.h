/* mandate: the stable C interface (C99), for hosts in C and any language with a C FFI.
 * A compiled plan and an engine are opaque handles; records go in as JSON text, JSON Lines, or
 * typed calls without JSON; reports come out as JSON text (the mandate.report/1 contract).
 *
 * Conventions, the same for every function:
 * - Every call that can fail returns a mandate_status; MANDATE_OK is 0. Outputs come back
 *   through pointer arguments placed after the inputs; on failure an output handle or string
 *   is set to NULL.
 * - Calls that can fail for a reason worth words (a rule error, a rejected record, a file that
 *   cannot be read) take a last argument `char** error`: NULL to ignore, else it receives NULL
 *   on MANDATE_OK and a message otherwise. Builder calls (mandate_event_set_* ...) fail only for
 *   bad arguments or lack of memory and say so by status alone.
 * - Every string handed out as `char*` is the caller's, freed with mandate_free(). Strings
 *   returned as `const char*` are owned by the handle they come from and valid until it is
 *   freed (or as stated). Every handle has its *_free; freeing NULL does nothing.
 * - A NULL where a handle or string is required gives MANDATE_INVALID_ARGUMENT.
 * - No C++ exception crosses this interface; running out of memory gives
 *   MANDATE_INTERNAL_ERROR ("out of memory").
 * - Threads: a plan is immutable and may be used from any number of threads at once, and by
 *   any number of engines. An engine, an event builder and a diagnostics list are used from
 *   one thread at a time (different ones may be used on different threads concurrently).
 *
 *   mandate_plan* plan; char* error;
 *   if (mandate_plan_compile(text, strlen(text), "plan.mandate", &plan, NULL, &error) != MANDATE_OK) {
 *       fputs(error, stderr); mandate_free(error); return;
 *   }
 *   mandate_engine* engine; mandate_engine_new(plan, &engine);
 *   mandate_engine_add(engine, line, strlen(line), NULL);
 *   char* json; mandate_engine_report_json(engine, "2023-12-31", &json, NULL);
 *   ... mandate_free(json); mandate_engine_free(engine); mandate_plan_free(plan);
 *
 * A host that restarts saves the engine's state (mandate_engine_save) and restores it
 * (mandate_engine_restore), with bytes of its own kept beside the records (how far it had
 * read its inputs), so that no record is lost or counted twice.
 */
#ifndef MANDATE_H
#define MANDATE_H

#include <stddef.h>
#include <stdint.h>

/* Only the functions below are exported from libmandate_c. */
#if defined(__GNUC__)
#define MANDATE_API __attribute__((visibility("default")))
#else
#define MANDATE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mandate_status {
    MANDATE_OK = 0,
    MANDATE_RULE_ERROR = 1,       /* the rule file has errors; the error text lists them */
    MANDATE_REJECTED = 2,         /* a record was rejected; the error text says why */
    MANDATE_INVALID_ARGUMENT = 3, /* a NULL or malformed argument, or a call not allowed here */
    MANDATE_IO_ERROR = 4,         /* a file could not be read */
    MANDATE_INTERNAL_ERROR = 5,   /* out of memory, or a fault in mandate itself */
    MANDATE_STATE_ERROR = 6       /* a state file is missing, not one, of another plan or version, truncated or corrupted */
} mandate_status;

typedef struct mandate_plan mandate_plan;               /* immutable; share it freely */
typedef struct mandate_engine mandate_engine;           /* one thread at a time */
typedef struct mandate_event mandate_event;             /* an event being built; one thread at a time */
typedef struct mandate_diagnostics mandate_diagnostics; /* a rule file's diagnostics */

/* A calendar date. {0, 0, 0} means "none" where a date is optional. */
typedef struct mandate_date {
    int year, month, day;
} mandate_date;

/* ------------------------------------------------------------------ basics */

/* The library version, e.g. "0.1.0". Static storage: never freed; any thread. */
MANDATE_API const char* mandate_version(void);

/* Frees a string handed out by mandate (a `char*` output). NULL does nothing. Any thread. */
MANDATE_API void mandate_free(void* text);

/* ------------------------------------------------------------------ plans */

/* Parses, checks and compiles a rule file of `length` bytes; `name` labels diagnostics (NULL:
 * "<rules>"). On MANDATE_OK *plan is a new plan, freed with mandate_plan_free. On
 * MANDATE_RULE_ERROR, *error receives every diagnostic rendered "name:line:column: error:
 * message" with the source line and a caret, and *diagnostics (if not NULL) receives them as a
 * list to read with mandate_diagnostics_*, freed with mandate_diagnostics_free. Any thread. */
MANDATE_API mandate_status mandate_plan_compile(const char* source, size_t length, const char* name,
                                                mandate_plan** plan, mandate_diagnostics** diagnostics,
                                                char** error);
/* Frees a plan. Engines made from it keep what they need and stay usable. */
MANDATE_API void mandate_plan_free(mandate_plan* plan);
/* The plan's id ("goutang_antifraud_2023"); "" for NULL. Owned by the plan; any thread. */
MANDATE_API const char* mandate_plan_id(const mandate_plan* plan);
/* The SHA-256 of the rule file, in hex; "" for NULL. Owned by the plan; any thread. */
MANDATE_API const char* mandate_plan_revision(const mandate_plan* plan);

/* The number of diagnostics in the list (0 for NULL). */
MANDATE_API size_t mandate_diagnostics_count(const mandate_diagnostics* diagnostics);
/* The 1-based line and column (in code points) of diagnostic `index`; 0 when out of range. */
MANDATE_API uint32_t mandate_diagnostics_line(const mandate_diagnostics* diagnostics, size_t index);
MANDATE_API uint32_t mandate_diagnostics_column(const mandate_diagnostics* diagnostics, size_t index);
/* The message of diagnostic `index` without position ("expected a period: ..."); NULL when out
 * of range. Owned by the list. */
MANDATE_API const char* mandate_diagnostics_message(const mandate_diagnostics* diagnostics, size_t index);
MANDATE_API void mandate_diagnostics_free(mandate_diagnostics* diagnostics);

/* ------------------------------------------------------------------ engines */

/* A new engine over a plan, freed with mandate_engine_free; it holds its own reference to the
 * plan. */
MANDATE_API mandate_status mandate_engine_new(const mandate_plan* plan, mandate_engine** engine);
/* Frees an engine. Not from inside one of its callbacks. */
MANDATE_API void mandate_engine_free(mandate_engine* engine);

/* Adds one JSON record (an entity, an event or a retraction) of `length` bytes. A rejected
 * record returns MANDATE_REJECTED with the reason in *error; it is still counted and listed in
 * reports (with source "" and line 0). */
MANDATE_API mandate_status mandate_engine_add(mandate_engine* engine, const char* json, size_t length, char** error);

/* Adds every line of a buffer of JSON Lines (blank lines skipped, not counted); rejections are
 * listed with `source` (NULL: "") and the line number. *records (if not NULL) receives the
 * number of records read. Rejected records do not make the call fail: they are in reports. */
MANDATE_API mandate_status mandate_engine_add_jsonl(mandate_engine* engine, const char* data, size_t length,
                                                    const char* source, uint64_t* records, char** error);

/* Adds every line of a JSON Lines file, read in blocks (memory does not grow with its size);
 * rejections are listed with the path as source. MANDATE_IO_ERROR when it cannot be read. */
MANDATE_API mandate_status mandate_engine_add_jsonl_file(mandate_engine* engine, const char* path,
                                                         uint64_t* records, char** error);

/* An entity record without JSON: the keys of {"entity", "kind", "parent", "name", "since",
 * "until", "version"}. The strings are read during the call only. */
typedef struct mandate_entity {
    const char* id;     /* required */
    const char* kind;   /* required */
    const char* parent; /* NULL: none */
    const char* name;   /* NULL: none */
    mandate_date since; /* {0, 0, 0}: always (active while since <= date < until) */
    mandate_date until; /* {0, 0, 0}: still active */
    int64_t version;    /* of several records for one entity the highest stands */
} mandate_entity;

/* Adds an entity. Checked as its JSON twin would be, with the same rejection reasons
 * (MANDATE_REJECTED). A date that is not a real one (2023-02-30) is MANDATE_INVALID_ARGUMENT. */
MANDATE_API mandate_status mandate_engine_add_entity(mandate_engine* engine, const mandate_entity* entity,
                                                     char** error);

/* The same, with the fields its kind declares (LANGUAGE-v2.md section 1): set them on a builder
 * made with mandate_event_new (its id, type, time and unit are not read) with the
 * mandate_event_set_* calls; a field the kind does not declare is ignored and listed. */
MANDATE_API mandate_status mandate_engine_add_entity_fields(mandate_engine* engine, const mandate_entity* entity,
                                                            const mandate_event* fields, char** error);

/* An approved waiver (LANGUAGE-v2.md section 8), the keys of {"waiver", "obligation", "unit",
 * "period", "extend_to" | "excuse": true, "reason", "approved_by"}. Its id shares the events'
 * namespace: mandate_engine_retract takes it back. */
typedef struct mandate_waiver {
    const char* id;          /* required */
    const char* obligation;  /* required */
    const char* unit;        /* NULL for an obligation without `each` */
    mandate_date period;     /* a date inside the bucket waived (a triggered bucket: its first day) */
    mandate_date extend_to;  /* {0, 0, 0}: none; else exactly one of this and excuse */
    int excuse;              /* non-zero: the bucket is excused */
    const char* reason;      /* NULL: none */
    const char* approved_by; /* NULL: none */
} mandate_waiver;

/* Adds a waiver, checked as its JSON twin would be (MANDATE_REJECTED with its reason). */
MANDATE_API mandate_status mandate_engine_add_waiver(mandate_engine* engine, const mandate_waiver* waiver, char** error);

/* Adds a built event (see mandate_event_new). Checked as its JSON twin would be, with the same
 * rejection reasons; an event and its JSON twin are duplicates of each other. The builder is
 * only read: it may be changed and added again. */
MANDATE_API mandate_status mandate_engine_add_event(mandate_engine* engine, const mandate_event* event,
                                                    char** error);

/* Retracts an event id, as {"retract": id} does. */
MANDATE_API mandate_status mandate_engine_retract(mandate_engine* engine, const char* event_id, char** error);

/* Saves what every report depends on (the records accepted, rejected and counted), with `host`
 * (host_length bytes, which may hold zeros; NULL with 0 for none), to `path`: through a
 * temporary file beside it, flushed to disk and renamed over it, so `path` always holds a
 * whole state. Subscriptions and the watch date are not saved. MANDATE_IO_ERROR when the file
 * cannot be written. */
MANDATE_API mandate_status mandate_engine_save(mandate_engine* engine, const char* path, const char* host, size_t host_length,
                                              char** error);

/* Replaces the engine's records with those saved in `path` by an engine of the same plan
 * revision. *host (if not NULL) receives the host bytes saved with them, NUL-terminated, freed
 * with mandate_free; *host_length (if not NULL) their length. MANDATE_STATE_ERROR, leaving the
 * engine as it was, when the file is missing, not a state file, of another format version or
 * plan revision, truncated or corrupted. Subscriptions stay. */
MANDATE_API mandate_status mandate_engine_restore(mandate_engine* engine, const char* path, char** host, size_t* host_length,
                                                 char** error);

/* The report as of a local date "YYYY-MM-DD", as JSON (the mandate.report/1 contract); the
 * caller frees *json with mandate_free. */
MANDATE_API mandate_status mandate_engine_report_json(mandate_engine* engine, const char* as_of, char** json,
                                                      char** error);

/* The report as of `as_of` in `format`: "json" (as mandate_engine_report_json), "csv" (a row
 * per bucket, with a header), "table" (for a terminal, without colours, 100 columns wide),
 * "html" (a self-contained page) or "xlsx" (an Excel workbook: binary, with NUL bytes). The
 * language of the table, the page and the workbook is `language`: "zh" (also when NULL, and
 * "zh-CN", "zh-Hans") or "en" (also "en-US", "en_GB"); JSON and CSV are the same in both. *output receives *length bytes, followed by a NUL
 * that *length does not count; the caller frees it with mandate_free. */
MANDATE_API mandate_status mandate_engine_report_format(mandate_engine* engine, const char* as_of, const char* format,
                                                        const char* language, char** output, size_t* length,
                                                        char** error);

/* How many handles (plans, engines, events being built, diagnostics) exist now: created and
 * not yet freed, by any thread. For a binding's tests that its objects free what they hold. */
MANDATE_API size_t mandate_live_handles(void);

/* ------------------------------------------------------------------ status changes */

/* The state of an obligation bucket in a change. */
typedef enum mandate_bucket_status {
    MANDATE_BUCKET_ABSENT = 0, /* the bucket did not exist before, or no longer exists after */
    MANDATE_BUCKET_PENDING = 1,
    MANDATE_BUCKET_SATISFIED = 2,
    MANDATE_BUCKET_VIOLATED = 3,
    MANDATE_BUCKET_EXCUSED = 4  /* an approved waiver excuses it */
} mandate_bucket_status;

/* One bucket whose state changed. Every pointer in it, and the struct itself, is valid during
 * the callback only: copy what you keep. */
typedef struct mandate_change {
    int outcome;                  /* 1: an outcome bucket; 0: an obligation bucket */
    const char* rule;             /* the obligation's or outcome's id */
    const char* unit;             /* the entity, or NULL for a rule without `each` */
    const char* from;             /* the period, "YYYY-MM-DD", inclusive */
    const char* to;
    mandate_bucket_status before; /* obligations (ABSENT for outcomes) */
    mandate_bucket_status after;
    int fired_before, fired_after; /* outcomes: 1 or 0, -1 when the bucket did not exist */
    int final_before, final_after; /* (all -1 for obligations) */
} mandate_change;

typedef void (*mandate_change_callback)(const mandate_change* change, void* user);

/* Calls `callback(change, user)` after each add for every bucket whose state changed, as of the
 * watch date (default: the latest event date seen). Callbacks run on the adding thread before
 * the add returns; they may subscribe and unsubscribe (themselves too), but any other call on
 * the engine from inside one returns MANDATE_INVALID_ARGUMENT. After an event only the buckets it
 * touches are judged again; a registry record, or a watch date that moves (the default one moves
 * with the latest event date), judges every bucket again: for bulk loads, add first and
 * subscribe after. *token
 * receives the id that mandate_engine_unsubscribe takes. */
MANDATE_API mandate_status mandate_engine_subscribe(mandate_engine* engine, mandate_change_callback callback,
                                                    void* user, int* token);
/* Stops a subscription; an unknown token does nothing. */
MANDATE_API mandate_status mandate_engine_unsubscribe(mandate_engine* engine, int token);
/* Sets the date changes are evaluated as of ("YYYY-MM-DD"), or NULL for the latest event date
 * seen. Subscribers hear of every bucket whose state differs between the old date and the new
 * one (a bucket that closes, enters its warn window, or starts). */
MANDATE_API mandate_status mandate_engine_set_watch_date(mandate_engine* engine, const char* as_of);

/* ------------------------------------------------------------------ events without JSON */

/* A new event builder: the built-in id, type, time ("2023-04-15" or
 * "2023-04-15T09:30:00+08:00", as in JSON) and unit, copied. Freed with mandate_event_free. */
MANDATE_API mandate_status mandate_event_new(const char* id, const char* type, const char* time, const char* unit,
                                             mandate_event** event);
MANDATE_API void mandate_event_free(mandate_event* event);

/* Set a declared field, replacing an earlier value of that field; strings are copied. Each
 * value stands for a JSON value and a field accepts it when it would accept that JSON value:
 * int and number fields take set_int, set_number (exact decimal text in JSON number syntax,
 * "12.5"; anything else is MANDATE_INVALID_ARGUMENT) and set_millionths (12500000 is 12.5);
 * bool fields set_bool (0 or 1); text and ref fields set_text (a ref's text is the entity id);
 * date fields set_date (a real date, else MANDATE_INVALID_ARGUMENT). A mismatch is not an error
 * here: the engine rejects the record with the reason its JSON twin gets. */
MANDATE_API mandate_status mandate_event_set_int(mandate_event* event, const char* field, int64_t value);
MANDATE_API mandate_status mandate_event_set_number(mandate_event* event, const char* field, const char* decimal);
MANDATE_API mandate_status mandate_event_set_millionths(mandate_event* event, const char* field, int64_t millionths);
MANDATE_API mandate_status mandate_event_set_bool(mandate_event* event, const char* field, int value);
MANDATE_API mandate_status mandate_event_set_text(mandate_event* event, const char* field, const char* text);
MANDATE_API mandate_status mandate_event_set_date(mandate_event* event, const char* field, mandate_date date);

/* Set fields: set_empty makes `field` an empty set; append_* adds a member (making the field a
 * set first if it is not one). Members follow the rules of the set_* calls above. */
MANDATE_API mandate_status mandate_event_set_empty(mandate_event* event, const char* field);
MANDATE_API mandate_status mandate_event_append_int(mandate_event* event, const char* field, int64_t value);
MANDATE_API mandate_status mandate_event_append_number(mandate_event* event, const char* field, const char* decimal);
MANDATE_API mandate_status mandate_event_append_bool(mandate_event* event, const char* field, int value);
MANDATE_API mandate_status mandate_event_append_text(mandate_event* event, const char* field, const char* text);
MANDATE_API mandate_status mandate_event_append_date(mandate_event* event, const char* field, mandate_date date);

/* Removes a field (an optional field left unset is absent). An unknown field does nothing. */
MANDATE_API mandate_status mandate_event_unset(mandate_event* event, const char* field);

#ifdef __cplusplus
}
#endif

#endif /* MANDATE_H */
