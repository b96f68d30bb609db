/* Plan loading: every kind and target form, and every error with its line and column. */
#include <stdlib.h>
#include <unistd.h>

#include "load/ct_plan.h"
#include "test.h"

static char path[64];

static const char *write_tmp(const char *text)
{
    snprintf(path, sizeof path, "/tmp/ct_plan_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); exit(2); }
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n) { perror("write"); exit(2); }
    close(fd);
    return path;
}

static const char *valid_plan =
    "plan:\n"                                                              /*  1 */
    "  id: test-plan_1\n"                                                  /*  2 */
    "  title: \"K\xE1\xBA\xBF ho\xE1\xBA\xA1" "ch 112\"\n"                 /*  3 */
    "  region: \"38\"\n"                                                   /*  4 */
    "  baseline: 2015\n"                                                   /*  5 */
    "  horizon: 2020\n"                                                    /*  6 */
    "  source: {document: \"001.txt\", quote: \"c\xC3\xA2u\", section: \"II.1\"}\n" /* 7 */
    "metrics:\n"                                                           /*  8 */
    "  is_clean: {level: commune, type: boolean, over_time: last}\n"       /*  9 */
    "  hotspots: {level: commune, type: count, over_time: sum}\n"          /* 10 */
    "  staff_trained: {level: district, type: count, over_time: max}\n"    /* 11 */
    "  staff_total: {level: district, type: count, over_time: min}\n"      /* 12 */
    "  posts: {level: province, type: number, over_time: mean}\n"          /* 13 */
    "  visits: {level: commune, type: count}\n"                            /* 14 */
    "indicators:\n"                                                        /* 15 */
    "  - id: clean_pct\n"                                                  /* 16 */
    "    title: Clean communes\n"                                          /* 17 */
    "    kind: share_of_units\n"                                           /* 18 */
    "    of: commune\n"                                                    /* 19 */
    "    condition: \"is_clean == 1\"\n"                                   /* 20 */
    "    among: hotspots > 0\n"                                            /* 21 */
    "    missing: as_not_met\n"                                            /* 22 */
    "    unit: \"%\"\n"                                                    /* 23 */
    "    targets:\n"                                                       /* 24 */
    "      - {year: 2017, value: 75}\n"                                    /* 25 */
    "      - {year: 2020, min: 90, max: 95}\n"                             /* 26 */
    "      - {from: 2016, to: 2020, value: 100, each_period: true}\n"      /* 27 */
    "      - {year: 2020, maintain: true, note: keep it}\n"                /* 28 */
    "      - {year: 2019, min: 80}\n"                                      /* 29 */
    "  - id: hot_count\n"                                                  /* 30 */
    "    kind: count_of_units\n"                                           /* 31 */
    "    of: commune\n"                                                    /* 32 */
    "    condition: \"hotspots >= 1\"\n"                                   /* 33 */
    "    direction: decrease\n"                                            /* 34 */
    "    targets:\n"                                                       /* 35 */
    "      - {year: 2020, change: -50%}\n"                                 /* 36 */
    "      - {year: 2019, change: 20, label: up}\n"                        /* 37 */
    "  - id: trained\n"                                                    /* 38 */
    "    kind: ratio\n"                                                    /* 39 */
    "    numerator: staff_trained\n"                                       /* 40 */
    "    denominator: staff_total\n"                                       /* 41 */
    "    scale: 1000\n"                                                    /* 42 */
    "    targets:\n"                                                       /* 43 */
    "      - {year: 2020, value: 800}\n"                                   /* 44 */
    "  - id: posts_sum\n"                                                  /* 45 */
    "    kind: sum\n"                                                      /* 46 */
    "    metric: posts\n"                                                  /* 47 */
    "    source: doc.txt\n"                                                /* 48 */
    "  - id: cleaned\n"                                                    /* 49 */
    "    kind: transition_rate\n"                                          /* 50 */
    "    of: commune\n"                                                    /* 51 */
    "    from: \"is_clean == 0\"\n"                                        /* 52 */
    "    to: \"is_clean == 1\"\n"                                          /* 53 */
    "  - id: visit_freq\n"                                                 /* 54 */
    "    kind: frequency\n"                                                /* 55 */
    "    metric: visits\n"                                                 /* 56 */
    "    per: quarter\n"                                                   /* 57 */
    "    at_least: 2\n"                                                    /* 58 */
    "    targets:\n"                                                       /* 59 */
    "      - {from: 2016, to: 2019, min: 50, max: 80, each_period: yes}\n" /* 60 */
    "  - id: default_ratio\n"                                              /* 61 */
    "    kind: ratio\n"                                                    /* 62 */
    "    numerator: staff_trained\n"                                       /* 63 */
    "    denominator: staff_total\n";                                      /* 64 */

static void test_valid(void)
{
    ct_diags d;
    ct_diags_init(&d);
    ct_status st = CT_EIO;
    const char *p_path = write_tmp(valid_plan);
    ct_plan *p = ct_plan_load(p_path, &d, &st);
    for (size_t i = 0; i < d.n; i++) {
        char buf[1200];
        ct_diag_format(&d.items[i], buf, sizeof buf);
        fprintf(stderr, "unexpected: %s\n", buf);
    }
    CHECK_INT(st, CT_OK);
    CHECK_INT(d.n_errors, 0);
    CHECK(p != NULL);
    if (!p) { unlink(p_path); ct_diags_free(&d); return; }
    CHECK_STR(p->id, "test-plan_1");
    CHECK_STR(p->title, "K\xE1\xBA\xBF ho\xE1\xBA\xA1" "ch 112");
    CHECK_STR(p->region, "38");
    CHECK_INT(p->region_pos.line, 4);
    CHECK_INT(p->region_pos.col, 11);
    CHECK_INT(p->has_baseline, 1);
    CHECK_INT(p->baseline.year, 2015);
    CHECK_INT(p->baseline.type, CT_PT_YEAR);
    CHECK_INT(p->horizon, 2020);
    CHECK_STR(p->source.document, "001.txt");
    CHECK_STR(p->source.quote, "c\xC3\xA2u");
    CHECK_STR(p->source.section, "II.1");

    CHECK_INT(p->n_metrics, 6);
    const ct_metric_decl *m = ct_plan_metric(p, "is_clean");
    CHECK(m && m->type == CT_MT_BOOLEAN && m->over_time == CT_OT_LAST && strcmp(m->level, "commune") == 0);
    if (m) { CHECK_INT(m->pos.line, 9); CHECK_INT(m->pos.col, 3); }
    m = ct_plan_metric(p, "hotspots");
    CHECK(m && m->type == CT_MT_COUNT && m->over_time == CT_OT_SUM);
    m = ct_plan_metric(p, "staff_trained");
    CHECK(m && m->over_time == CT_OT_MAX && strcmp(m->level, "district") == 0);
    m = ct_plan_metric(p, "staff_total");
    CHECK(m && m->over_time == CT_OT_MIN);
    m = ct_plan_metric(p, "posts");
    CHECK(m && m->type == CT_MT_NUMBER && m->over_time == CT_OT_MEAN && strcmp(m->level, "province") == 0);
    m = ct_plan_metric(p, "visits");
    CHECK(m && m->over_time == CT_OT_LAST);   /* the default */
    CHECK(ct_plan_metric(p, "nope") == NULL);

    CHECK_INT(p->n_indicators, 7);
    if (p->n_indicators != 7) { ct_plan_free(p); unlink(p_path); ct_diags_free(&d); return; }

    const ct_indicator *ind = &p->indicators[0];
    CHECK_STR(ind->id, "clean_pct");
    CHECK_STR(ind->title, "Clean communes");
    CHECK_INT(ind->kind, CT_KIND_SHARE);
    CHECK_STR(ind->of, "commune");
    CHECK_INT(ind->of_pos.line, 19);
    CHECK_INT(ind->of_pos.col, 9);
    CHECK_STR(ind->condition.text, "is_clean == 1");
    CHECK(ind->condition.cond != NULL);
    CHECK_INT(ind->condition.pos.line, 20);
    CHECK_INT(ind->condition.pos.col, 16);
    /* quoted: the text starts one column after the quote */
    CHECK_INT(ind->condition.text_pos.line, 20);
    CHECK_INT(ind->condition.text_pos.col, 17);
    CHECK_STR(ind->among.text, "hotspots > 0");
    CHECK_INT(ind->among.text_pos.col, ind->among.pos.col);
    CHECK(ind->among.cond && ind->among.cond->cmp == CT_CMP_GT);
    CHECK_INT(ind->missing_as_not_met, 1);
    CHECK_INT(ind->direction, 1);
    CHECK_STR(ind->unit, "%");
    CHECK_INT(ind->pos.line, 16);
    CHECK_INT(ind->pos.col, 5);
    CHECK_INT(ind->n_targets, 5);
    if (ind->n_targets == 5) {
        const ct_target *t = ind->targets;
        CHECK_INT(t[0].form, CT_TF_VALUE);
        CHECK_INT(t[0].year, 2017);
        CHECK_NUM(t[0].value, 75, 0);
        CHECK_INT(t[0].each_period, 0);
        CHECK_INT(t[0].pos.line, 25);
        CHECK_INT(t[0].pos.col, 9);
        CHECK_INT(t[1].form, CT_TF_RANGE);
        CHECK_INT(t[1].year, 2020);
        CHECK_NUM(t[1].min, 90, 0);
        CHECK_NUM(t[1].max, 95, 0);
        CHECK_INT(t[2].form, CT_TF_VALUE);
        CHECK_INT(t[2].each_period, 1);
        CHECK_INT(t[2].from, 2016);
        CHECK_INT(t[2].to, 2020);
        CHECK_INT(t[2].year, 2020);   /* the span's last year */
        CHECK_NUM(t[2].value, 100, 0);
        CHECK_INT(t[3].form, CT_TF_MAINTAIN);
        CHECK_INT(t[3].year, 2020);
        CHECK_STR(t[3].note, "keep it");
        CHECK_INT(t[4].form, CT_TF_RANGE);
        CHECK_NUM(t[4].min, 80, 0);
        CHECK(isnan(t[4].max));        /* no max given */
    }
    CHECK_INT(ct_indicator_is_percent(ind), 1);

    ind = &p->indicators[1];
    CHECK_STR(ind->id, "hot_count");
    CHECK_INT(ind->kind, CT_KIND_COUNT);
    CHECK_INT(ind->direction, -1);
    CHECK_INT(ind->missing_as_not_met, 0);
    CHECK_INT(ct_indicator_is_percent(ind), 0);
    CHECK_INT(ind->n_targets, 2);
    if (ind->n_targets == 2) {
        CHECK_INT(ind->targets[0].form, CT_TF_CHANGE);
        CHECK_NUM(ind->targets[0].change, -0.5, 1e-12);
        CHECK_INT(ind->targets[0].year, 2020);
        CHECK_INT(ind->targets[1].form, CT_TF_CHANGE);
        CHECK_NUM(ind->targets[1].change, 0.2, 1e-12);  /* a bare number is a percent */
        CHECK_STR(ind->targets[1].label, "up");
    }

    ind = &p->indicators[2];
    CHECK_INT(ind->kind, CT_KIND_RATIO);
    CHECK_STR(ind->numerator.name, "staff_trained");
    CHECK_INT(ind->numerator.pos.line, 40);
    CHECK_INT(ind->numerator.pos.col, 16);
    CHECK_INT(ind->numerator.index, -1);
    CHECK_STR(ind->denominator.name, "staff_total");
    CHECK_NUM(ind->scale, 1000, 0);
    CHECK_INT(ct_indicator_is_percent(ind), 0);
    CHECK(ind->n_targets == 1 && ind->targets[0].value == 800);

    ind = &p->indicators[3];
    CHECK_INT(ind->kind, CT_KIND_SUM);
    CHECK_STR(ind->metric.name, "posts");
    CHECK_STR(ind->source.document, "doc.txt");
    CHECK(ind->source.quote == NULL);
    CHECK_INT(ind->n_targets, 0);

    ind = &p->indicators[4];
    CHECK_INT(ind->kind, CT_KIND_TRANSITION);
    CHECK_STR(ind->from.text, "is_clean == 0");
    CHECK_STR(ind->to.text, "is_clean == 1");
    CHECK(ind->from.cond && ind->to.cond);
    CHECK(ind->condition.cond == NULL);
    CHECK_INT(ct_indicator_is_percent(ind), 1);

    ind = &p->indicators[5];
    CHECK_INT(ind->kind, CT_KIND_FREQUENCY);
    CHECK_STR(ind->metric.name, "visits");
    CHECK_INT(ind->per, CT_PT_QUARTER);
    CHECK_NUM(ind->at_least, 2, 0);
    CHECK_INT(ind->n_targets, 1);
    if (ind->n_targets == 1) {
        const ct_target *t = &ind->targets[0];
        CHECK_INT(t->form, CT_TF_RANGE);
        CHECK_INT(t->each_period, 1);
        CHECK_INT(t->from, 2016);
        CHECK_INT(t->to, 2019);
        CHECK_INT(t->year, 2019);
        CHECK_NUM(t->min, 50, 0);
        CHECK_NUM(t->max, 80, 0);
    }

    ind = &p->indicators[6];
    CHECK_NUM(ind->scale, 100, 0);      /* the default */
    CHECK_INT(ind->direction, 1);
    CHECK_INT(ct_indicator_is_percent(ind), 1);

    CHECK_STR(ct_kind_name(CT_KIND_TRANSITION), "transition_rate");
    CHECK_STR(ct_over_time_name(CT_OT_MEAN), "mean");
    CHECK_STR(ct_metric_type_name(CT_MT_COUNT), "count");
    ct_plan_free(p);
    unlink(p_path);
    ct_diags_free(&d);
}

/* The lines of a small valid plan; error cases replace or add lines. */
#define HEAD \
    "plan:\n"                                      /* 1 */ \
    "  id: p1\n"                                   /* 2 */ \
    "  baseline: 2015\n"                           /* 3 */ \
    "metrics:\n"                                   /* 4 */ \
    "  m1: {level: commune, type: boolean}\n"      /* 5 */ \
    "  m2: {level: commune, type: count}\n"        /* 6 */ \
    "indicators:\n"                                /* 7 */ \
    "  - id: i1\n"                                 /* 8 */

#define SHARE \
    "    kind: share_of_units\n"                   /* 9 */ \
    "    of: commune\n"                            /* 10 */ \
    "    condition: \"m1 == 1\"\n"                 /* 11 */

/* Loads text, expects it to be refused with an error containing msg at
 * line:col of the plan file (and, if only_one, no other error). */
static void expect_error(int src_line, const char *text, const char *msg, int line, int col, int only_one)
{
    ct_diags d;
    ct_diags_init(&d);
    ct_status st = CT_OK;
    const char *p_path = write_tmp(text);
    ct_plan *p = ct_plan_load(p_path, &d, &st);
    /* without a data folder, a metric the plan does not declare is an error */
    if (p && st == CT_OK) st = ct_plan_check_refs(p, &d);
    test_checks++;
    if (st != CT_EINPUT) {
        test_failures++;
        fprintf(stderr, "%s:%d: expected CT_EINPUT, got %d\n", __FILE__, src_line, st);
    }
    const ct_diag *found = NULL;
    for (size_t i = 0; i < d.n && !found; i++)
        if (strstr(d.items[i].msg, msg)) found = &d.items[i];
    test_checks++;
    if (!found || found->line != line || found->col != col || !found->file || strcmp(found->file, p_path) != 0 ||
        found->sev != CT_SEV_ERROR || (only_one && d.n_errors != 1)) {
        test_failures++;
        fprintf(stderr, "%s:%d: expected one error at %d:%d containing \"%s\"; got %zu:\n",
                __FILE__, src_line, line, col, msg, d.n_errors);
        for (size_t i = 0; i < d.n; i++) {
            char buf[1200];
            ct_diag_format(&d.items[i], buf, sizeof buf);
            fprintf(stderr, "    %s\n", buf);
        }
    }
    ct_plan_free(p);
    unlink(p_path);
    ct_diags_free(&d);
}

#define ERR(text, msg, line, col) expect_error(__LINE__, (text), (msg), (line), (col), 1)
/* when the mistake also causes follow-on errors */
#define ERR_ANY(text, msg, line, col) expect_error(__LINE__, (text), (msg), (line), (col), 0)

static void test_errors(void)
{
    /* the base itself is valid */
    {
        ct_diags d;
        ct_diags_init(&d);
        ct_status st = CT_EIO;
        ct_plan *p = ct_plan_load(write_tmp(HEAD SHARE "    targets:\n      - {year: 2020, value: 90}\n"), &d, &st);
        CHECK_INT(st, CT_OK);
        CHECK_INT(d.n_errors, 0);
        ct_plan_free(p);
        unlink(path);
        ct_diags_free(&d);
    }

    /* unknown keys */
    ERR("plan:\n  id: p1\n  titel: x\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "unknown key 'titel'", 3, 3);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune, type: boolean, kind: x}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "unknown key 'kind'", 4, 39);
    ERR(HEAD SHARE "    colour: red\n", "unknown key 'colour'", 12, 5);
    /* a key of another kind is unknown for this kind */
    ERR(HEAD SHARE "    numerator: m2\n", "unknown key 'numerator'", 12, 5);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, valeu: 90}\n", "unknown key 'valeu'", 13, 22);
}

static void test_errors2(void)
{
    /* unknown top-level key */
    ERR(HEAD SHARE "extra:\n  a: 1\n", "unknown key 'extra'", 12, 1);

    /* wrong types */
    ERR(HEAD SHARE "    targets:\n      - {year: \"2020\", value: 90}\n", "'year' must be a number", 13, 16);
    ERR(HEAD SHARE "    targets:\n      - {year: twenty, value: 90}\n", "'year' must be a number", 13, 16);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, value: \"90\"}\n", "'value' must be a number", 13, 29);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, value: [90]}\n", "'value' must be a number", 13, 29);
    ERR_ANY(HEAD SHARE "    targets:\n      - {from: 2016, to: 2020, value: 90, each_period: 1}\n",
            "'each_period' must be true or false", 13, 56);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, maintain: \"true\"}\n",
        "'maintain' must be true or false", 13, 32);
    ERR("plan:\n  id: p1\n  baseline: 2015\n  horizon: \"2020\"\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "'horizon' must be a number", 4, 12);
    ERR("plan:\n  id: p1\n  baseline: 20155\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "'baseline' must be a period", 3, 13);
    ERR("plan:\n  id: [p1]\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "'id' must be text", 2, 7);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  id: i1\n",
        "'indicators' must be a list", 6, 3);
    ERR(HEAD SHARE "    targets: {year: 2020}\n", "'targets' must be a list", 12, 14);

    /* missing fields: reported at the mapping that lacks them */
    ERR(HEAD "    of: commune\n    condition: \"m1 == 1\"\n", "missing required key 'kind'", 8, 5);
    ERR(HEAD "    kind: share_of_units\n    condition: \"m1 == 1\"\n", "missing required key 'of'", 8, 5);
    ERR(HEAD "    kind: share_of_units\n    of: commune\n", "missing required key 'condition'", 8, 5);
    ERR(HEAD SHARE "    targets:\n      - {value: 90}\n", "missing required key 'year'", 13, 9);
    ERR("plan:\n  baseline: 2015\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "missing required key 'id'", 2, 3);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "missing required key 'level'", 4, 7);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "missing required key 'type'", 4, 7);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune, type: boolean}\n",
        "missing required key 'indicators'", 1, 1);
    ERR(HEAD "    kind: share_of_units\n    of: commune\n    condition: \"m1 == 1\"\n"
        "    targets:\n      - {year: 2020}\n",
        "needs one of 'value'", 13, 9);

    /* references to undeclared metrics */
    ERR(HEAD "    kind: ratio\n    numerator: nope\n    denominator: m2\n",
        "'numerator' names metric 'nope'", 10, 16);
    ERR(HEAD "    kind: ratio\n    numerator: m2\n    denominator: nope\n",
        "'denominator' names metric 'nope'", 11, 18);
    ERR(HEAD "    kind: sum\n    metric: nope\n", "'metric' names metric 'nope'", 10, 13);
    ERR(HEAD "    kind: frequency\n    metric: nope\n    per: month\n", "'metric' names metric 'nope'", 10, 13);

    /* bad words */
    ERR(HEAD "    kind: shares\n    of: commune\n", "'kind' must be one of", 9, 11);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune, type: boolean, over_time: latest}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "'over_time' must be one of", 4, 50);
    ERR("plan:\n  id: p1\nmetrics:\n  m1: {level: commune, type: bool}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "'type' must be one of", 4, 30);
    ERR(HEAD SHARE "    direction: up\n", "'direction' must be one of", 12, 16);
    ERR(HEAD "    kind: frequency\n    metric: m2\n    per: week\n", "'per' must be one of", 11, 10);
    ERR(HEAD SHARE "    missing: ignore\n", "'missing' must be one of", 12, 14);

    /* target values */
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, min: 95, max: 90}\n", "'min' (95) is above 'max' (90)", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, value: 175}\n", "within 0-100, not 175", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, min: -5}\n", "within 0-100, not -5", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2015, value: 90}\n", "not after the plan's baseline 2015", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2010, value: 90}\n", "not after the plan's baseline 2015", 13, 9);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, change: -150%}\n", "'change' must be a percentage", 13, 30);
    ERR_ANY(HEAD SHARE "    targets:\n      - {year: 2020, change: half}\n", "'change' must be a percentage", 13, 30);
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, value: 90, maintain: true}\n", "only one of", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, value: 90, each_period: true}\n",
        "needs 'from' and 'to'", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {from: 2019, to: 2017, value: 90, each_period: true}\n",
        "'from' (2019) is after 'to' (2017)", 13, 9);
    ERR(HEAD SHARE "    targets:\n      - {year: 2020, from: 2016, value: 90}\n",
        "are for targets with 'each_period: true'", 13, 9);

    /* duplicate indicator ids: at the second indicator, naming the first's line */
    ERR(HEAD SHARE "  - id: i1\n" SHARE, "duplicate indicator id 'i1' (first at line 8)", 12, 5);

    /* condition syntax errors point into the condition text */
    ERR(HEAD "    kind: share_of_units\n    of: commune\n    condition: \"m1 = 1\"\n", "use ==", 11, 20);
    ERR(HEAD "    kind: share_of_units\n    of: commune\n    condition: m1 = 1\n", "use ==", 11, 19);
    ERR(HEAD "    kind: share_of_units\n    of: commune\n    condition: 'm1 == 1 m2 == 2'\n",
        "expected 'and', 'or'", 11, 25);
    ERR(HEAD SHARE "    among: \"(m2 > 1\"\n", "missing ')'", 12, 13);
    /* a folded block scalar: the text starts on the next line, at column 7 */
    ERR(HEAD "    kind: share_of_units\n    of: commune\n    condition: >-\n      m1 = 1\n", "use ==", 12, 10);
    ERR(HEAD "    kind: transition_rate\n    of: commune\n    from: \"m1 == \"\n    to: \"m1 == 1\"\n",
        "number", 11, 18);

    /* names */
    ERR("plan:\n  id: \"bad id\"\nmetrics:\n  m1: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n" SHARE,
        "plan id 'bad id'", 2, 7);
    ERR("plan:\n  id: p1\nmetrics:\n  1m: {level: commune, type: boolean}\n"
        "indicators:\n  - id: i1\n    kind: sum\n    metric: 1m\n",
        "metric name '1m'", 4, 3);

    /* not a plan at all */
    ERR("- a\n- b\n", "a plan file must be a mapping", 1, 1);
}

static void test_every_problem(void)
{
    /* all problems are reported, not only the first */
    ct_diags d;
    ct_diags_init(&d);
    ct_status st = CT_OK;
    ct_plan *p = ct_plan_load(write_tmp(HEAD "    kind: share_of_units\n    of: commune\n    condition: \"m1 = 1\"\n"
                                        "    colour: red\n    targets:\n      - {year: 2020, value: 175}\n"),
                              &d, &st);
    CHECK_INT(st, CT_EINPUT);
    CHECK(p != NULL);   /* a plan even with errors */
    CHECK_INT(d.n_errors, 3);
    CHECK(DIAGS_HAVE(d, "use =="));
    CHECK(DIAGS_HAVE(d, "unknown key 'colour'"));
    CHECK(DIAGS_HAVE(d, "175"));
    CHECK(DIAGS_HAVE(d, "indicators[0] (i1)"));
    ct_plan_free(p);
    unlink(path);
    ct_diags_free(&d);

    /* a YAML syntax error: no plan */
    ct_diags_init(&d);
    p = ct_plan_load(write_tmp("plan:\n  id: p1\n\tx: 1\n"), &d, &st);
    CHECK(p == NULL);
    CHECK_INT(st, CT_EINPUT);
    CHECK(d.n == 1 && d.items[0].line == 3);
    unlink(path);
    ct_diags_free(&d);

    /* an empty file */
    ct_diags_init(&d);
    p = ct_plan_load(write_tmp(""), &d, &st);
    CHECK(p == NULL);
    CHECK_INT(st, CT_EINPUT);
    CHECK(DIAGS_HAVE(d, "empty"));
    unlink(path);
    ct_diags_free(&d);

    /* a missing file */
    ct_diags_init(&d);
    p = ct_plan_load("/tmp/ct_plan_no_such_dir/x.yaml", &d, &st);
    CHECK(p == NULL);
    CHECK_INT(st, CT_EIO);
    CHECK_INT(d.n_errors, 1);
    ct_diags_free(&d);
}

int main(void)
{
    test_valid();
    test_errors();
    test_errors2();
    test_every_problem();
    return test_report("test_plan");
}
