/* libFuzzer harness for the plan loader (engine/load/ct_plan.c): the whole
 * schema, through ct_plan_load on a temp file. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "load/ct_plan.h"

static void touch(const char *s)
{
    if (s) { volatile size_t n = strlen(s); (void)n; }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    if (!fuzz_tmpfile(path, sizeof path, "plan", data, size)) return 0;
    ct_diags d;
    ct_diags_init(&d);
    ct_status st;
    ct_plan *p = ct_plan_load(path, &d, &st);
    unlink(path);
    if (p) {
        touch(p->id); touch(p->title); touch(p->region);
        for (size_t i = 0; i < p->n_rules; i++) touch(p->rules[i]);
        for (size_t i = 0; i < p->n_metrics; i++) {
            const ct_metric_decl *m = &p->metrics[i];
            touch(m->name); touch(m->level);
            (void)ct_metric_type_name(m->type);
            (void)ct_over_time_name(m->over_time);
            if (m->name && ct_plan_metric(p, m->name) == NULL) abort();
        }
        for (size_t i = 0; i < p->n_indicators; i++) {
            const ct_indicator *ind = &p->indicators[i];
            touch(ind->id); touch(ind->of);
            (void)ct_kind_name(ind->kind);
            (void)ct_indicator_is_percent(ind);
            touch(ind->condition.text); touch(ind->among.text);
            touch(ind->from.text); touch(ind->to.text);
            for (size_t k = 0; k < ind->n_targets; k++) {
                touch(ind->targets[k].label);
                touch(ind->targets[k].source.document);
            }
        }
    }
    for (size_t i = 0; i < d.n; i++) {
        char line[1400];
        ct_diag_format(&d.items[i], line, sizeof line);
    }
    ct_plan_free(p);
    ct_diags_free(&d);
    return 0;
}
