/* A host in C: compiles a plan, is told of every bucket that turns violated or outcome that
 * fires as records arrive, adds a JSON Lines file and prints the report as of a date.
 * Usage: host_c RULES RECORDS AS_OF */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mandate.h>

static char* read_all(const char* path, size_t* length) {
    FILE* f = fopen(path, "rb");
    char* text = NULL;
    size_t size = 0, n;
    char block[65536];
    if (!f) return NULL;
    while ((n = fread(block, 1, sizeof block, f)) > 0) {
        char* bigger = realloc(text, size + n);
        if (!bigger) break;
        text = bigger;
        memcpy(text + size, block, n);
        size += n;
    }
    fclose(f);
    *length = size;
    return text ? text : calloc(1, 1);
}

/* Called inside each add for every bucket that changed; the strings live during the call only. */
static void on_change(const mandate_change* c, void* user) {
    (void)user;
    if (!c->outcome && c->after == MANDATE_BUCKET_VIOLATED)
        fprintf(stderr, "violated: %s %s %s..%s\n", c->rule, c->unit ? c->unit : "-", c->from, c->to);
    if (c->outcome && c->fired_after == 1 && c->fired_before != 1)
        fprintf(stderr, "fired: %s %s %s..%s\n", c->rule, c->unit ? c->unit : "-", c->from, c->to);
}

int main(int argc, char** argv) {
    mandate_plan* plan = NULL;
    mandate_diagnostics* diagnostics = NULL;
    mandate_engine* engine = NULL;
    char* error = NULL;
    char* json = NULL;
    size_t length = 0;
    char* text;
    int token;
    int status = 1;

    if (argc != 4) {
        fprintf(stderr, "usage: host_c RULES RECORDS AS_OF\n");
        return 1;
    }
    text = read_all(argv[1], &length);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }

    /* 1. Compile once: the plan, or the diagnostics as text and as positions. */
    if (mandate_plan_compile(text, length, argv[1], &plan, &diagnostics, &error) != MANDATE_OK) {
        fputs(error ? error : "out of memory\n", stderr);
        if (mandate_diagnostics_count(diagnostics) > 0)
            fprintf(stderr, "%zu error(s), the first at line %u, column %u\n", mandate_diagnostics_count(diagnostics),
                    (unsigned)mandate_diagnostics_line(diagnostics, 0), (unsigned)mandate_diagnostics_column(diagnostics, 0));
        mandate_diagnostics_free(diagnostics);
        mandate_free(error);
        free(text);
        return 2;
    }
    free(text);

    /* 2. An engine, and a subscriber. */
    if (mandate_engine_new(plan, &engine) != MANDATE_OK ||
        mandate_engine_subscribe(engine, on_change, NULL, &token) != MANDATE_OK) {
        fprintf(stderr, "out of memory\n");
        mandate_engine_free(engine);
        mandate_plan_free(plan);
        return 1;
    }

    /* 3. Records: a JSON Lines file; rejected records do not fail the call, they are in the report. */
    if (mandate_engine_add_jsonl_file(engine, argv[2], NULL, &error) != MANDATE_OK) {
        fprintf(stderr, "%s\n", error);
        mandate_free(error);
        mandate_engine_free(engine);
        mandate_plan_free(plan);
        return 1;
    }

    /* 4. The report as of a date, as JSON text the caller frees. */
    if (mandate_engine_report_json(engine, argv[3], &json, &error) != MANDATE_OK) {
        fprintf(stderr, "%s\n", error);
        mandate_free(error);
    } else {
        fputs(json, stdout);
        mandate_free(json);
        status = 0;
    }
    mandate_engine_free(engine);
    mandate_plan_free(plan);
    return status;
}
