#include "ct_draft.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A YAML double-quoted scalar (every character a plan may hold). */
static void quoted(ct_out *o, const char *s)
{
    ct_out_char(o, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') { ct_out_char(o, '\\'); ct_out_char(o, (char)*p); }
        else if (*p == '\n') ct_out_puts(o, "\\n");
        else if (*p == '\t') ct_out_puts(o, "\\t");
        else if (*p < 0x20) { char b[8]; snprintf(b, sizeof b, "\\x%02x", *p); ct_out_puts(o, b); }
        else ct_out_char(o, (char)*p);
    }
    ct_out_char(o, '"');
}

static void key_text(ct_out *o, const char *indent, const char *key, const char *value)
{
    if (!value) return;
    ct_out_puts(o, indent);
    ct_out_puts(o, key);
    ct_out_puts(o, ": ");
    quoted(o, value);
    ct_out_char(o, '\n');
}

static void metrics(ct_out *o, const ct_plan *plan)
{
    ct_out_puts(o, "\nmetrics:\n");
    for (size_t i = 0; i < plan->n_metrics; i++) {
        const ct_metric_decl *m = &plan->metrics[i];
        ct_out_puts(o, "  ");
        quoted(o, m->name);
        ct_out_puts(o, ": {level: ");
        quoted(o, m->level);
        ct_out_puts(o, ", type: ");
        ct_out_puts(o, ct_metric_type_name(m->type));
        ct_out_puts(o, ", over_time: ");
        ct_out_puts(o, ct_over_time_name(m->over_time));
        if (m->merge >= 0) { ct_out_puts(o, ", merge: "); ct_out_puts(o, ct_merge_name((ct_merge)m->merge)); }
        if (m->title) { ct_out_puts(o, ", title: "); quoted(o, m->title); }
        ct_out_puts(o, "}\n");
    }
}

static void indicator(ct_out *o, const ct_indicator *ind, int to, const ct_draft_target *t, size_t n)
{
    ct_out_puts(o, "\n  - id: ");
    quoted(o, ind->id);
    ct_out_char(o, '\n');
    key_text(o, "    ", "title", ind->title);
    ct_out_puts(o, "    kind: ");
    ct_out_puts(o, ct_kind_name(ind->kind));
    ct_out_char(o, '\n');
    key_text(o, "    ", "of", ind->of);
    key_text(o, "    ", "condition", ind->condition.text);
    key_text(o, "    ", "among", ind->among.text);
    key_text(o, "    ", "from", ind->from.text);
    key_text(o, "    ", "to", ind->to.text);
    key_text(o, "    ", "metric", ind->metric.name);
    key_text(o, "    ", "numerator", ind->numerator.name);
    key_text(o, "    ", "denominator", ind->denominator.name);
    if (ind->kind == CT_KIND_RATIO) { ct_out_puts(o, "    scale: "); ct_out_number(o, ind->scale); ct_out_char(o, '\n'); }
    if (ind->kind == CT_KIND_FREQUENCY) {
        key_text(o, "    ", "per", ct_ptype_name(ind->per));
        ct_out_puts(o, "    at_least: ");
        ct_out_number(o, ind->at_least);
        ct_out_char(o, '\n');
    }
    if (ind->missing_as_not_met) ct_out_puts(o, "    missing: as_not_met\n");
    ct_out_puts(o, ind->direction < 0 ? "    direction: decrease\n" : "    direction: increase\n");
    key_text(o, "    ", "unit", ind->unit);
    size_t k = 0;
    for (size_t j = 0; j < n; j++) k += t[j].ind == ind;
    if (!k) return;
    ct_out_puts(o, "    targets:\n");
    for (size_t j = 0; j < n; j++) {
        if (t[j].ind != ind) continue;
        char b[32];
        snprintf(b, sizeof b, "      - {year: %d", to);
        ct_out_puts(o, b);
        ct_out_puts(o, ", value: ");
        ct_out_number(o, t[j].value);
        if (t[j].unit) { ct_out_puts(o, ", unit: "); quoted(o, t[j].unit); }
        ct_out_puts(o, ", note: ");
        quoted(o, t[j].note);
        ct_out_puts(o, "}\n");
    }
}

void ct_draft_write(ct_out *o, const ct_plan *plan, int from, int to, const ct_draft_target *t, size_t n)
{
    char id[200], title[600];
    snprintf(id, sizeof id, "%s-draft-%d-%d", plan->id ? plan->id : "plan", from, to);
    snprintf(title, sizeof title, "Dự thảo %d-%d: %s", from + 1, to, plan->title ? plan->title : (plan->id ? plan->id : ""));
    ct_out_puts(o, "# A draft made by chitieu propose: every target is a proposal to discuss.\nplan:\n");
    ct_out_puts(o, "  id: ");
    quoted(o, id);
    ct_out_puts(o, "\n  title: ");
    quoted(o, title);
    ct_out_char(o, '\n');
    key_text(o, "  ", "region", plan->region);
    char b[64];
    snprintf(b, sizeof b, "  baseline: %d\n  horizon: %d\n", from, to);
    ct_out_puts(o, b);
    metrics(o, plan);
    ct_out_puts(o, "\nindicators:\n");
    for (size_t i = 0; i < plan->n_indicators; i++) {
        if (plan->indicators[i].kind == CT_KIND_LUA) continue; /* its script lives beside the old plan */
        indicator(o, &plan->indicators[i], to, t, n);
    }
}
