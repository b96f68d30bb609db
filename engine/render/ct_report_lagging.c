/* The units lagging behind each target: the units one level below the
 * report's unit, the furthest from the target first, with the units that
 * reported and the direction since the year before; those that did not
 * report at the end. */
#include "ct_report_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double ct_rp_gap(const ct_assessment *a)
{
    if (!a->has_latest || !isfinite(a->target_value) || !isfinite(a->latest_value)) return NAN;
    double target = a->target_value;
    /* a range is met from its lower end (increase) or its upper end (decrease) */
    if (a->target->form == CT_TF_RANGE && isfinite(a->target->max) && a->ind->direction < 0) target = a->target->max;
    return a->ind->direction < 0 ? a->latest_value - target : target - a->latest_value;
}

int ct_rp_behind(const char *st)
{
    static const char *const behind[] = {"not_achieved", "off_track", "deteriorating", "at_risk"};
    for (size_t i = 0; st && i < sizeof behind / sizeof *behind; i++)
        if (!strcmp(st, behind[i])) return 1;
    return 0;
}

/* The assessment of unit u's series for the same target as a; NULL if none. */
static const ct_assessment *same_target(const ct_plot_series *ps, const ct_assessment *a)
{
    for (int k = 0; ps && k < ps->n_assess; k++)
        if (ps->assess[k].target == a->target) return &ps->assess[k];
    return NULL;
}

typedef struct {
    int unit;
    const ct_plot_series *ps;
    const ct_assessment *a;
    double gap;
} lag_row;

static int by_gap(const void *x, const void *y)
{
    const lag_row *a = x, *b = y;
    int ha = isfinite(a->gap), hb = isfinite(b->gap);
    if (ha != hb) return hb - ha;           /* units without a value last */
    if (ha && a->gap != b->gap) return a->gap < b->gap ? 1 : -1;
    return a->unit - b->unit;
}

/* The rows of one target: the root's children with a series; returns their number (rows: caller frees). */
static int collect(const ct_plot_plan *pp, int i, const ct_assessment *ra, lag_row **rows)
{
    int n = 0;
    *rows = malloc(((size_t)pp->n_units + 1) * sizeof **rows);
    if (!*rows) return 0;
    for (int k = 1; k < pp->n_units; k++) {
        int c = pp->units[k];
        if (pp->s->parent[c] != pp->root) continue;
        const ct_plot_series *ps = ct_plot_get(pp, i, c);
        const ct_assessment *a = same_target(ps, ra);
        if (!a || (a->status && !strcmp(a->status, "not_applicable"))) continue;
        /* a unit without a usable value for the year judged (it stopped reporting, its last
         * figure is older) did not report: it is not ranked by its old figure */
        int silent = a->status && !strcmp(a->status, "insufficient_data");
        (*rows)[n++] = (lag_row){c, ps, a, silent ? NAN : ct_rp_gap(a)};
    }
    qsort(*rows, (size_t)n, sizeof **rows, by_gap);
    return n;
}

/* The direction of the value judged since the value before it: better, worse
 * or unchanged; NULL for a unit that did not report, or without a value before. */
static const char *trend_word(const ct_rctx *r, const lag_row *x)
{
    const ct_plot_series *ps = x->ps;
    int last = -1, prev = -1;
    if (!isfinite(x->gap)) return NULL;
    for (int k = ps->n - 1; k >= 0; k--)
        if (isfinite(ps->value[k]) && ps->year[k] <= x->a->latest_period.year) {
            if (last < 0) last = k;
            else { prev = k; break; }
        }
    if (prev < 0) return NULL;
    double d = (ps->value[last] - ps->value[prev]) * (ps->ind->direction < 0 ? -1 : 1);
    if (fabs(d) < 1e-9) return RW(r, TREND_SAME);
    return d > 0 ? RW(r, TREND_BETTER) : RW(r, TREND_WORSE);
}

/* The latest value's numerator/denominator ("12/26"), or "" when the kind has none. */
static void num_den(const ct_rctx *r, const ct_plot_series *ps, const ct_assessment *a, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!a->has_latest) return;
    for (int k = ps->n - 1; k >= 0; k--)
        if (ps->year[k] == a->latest_period.year) {
            if (!isfinite(ps->num[k]) || !isfinite(ps->den[k])) return;
            char nb[32], db[32];
            ct_lang_number(r->in->lang, ps->num[k], nb, sizeof nb);
            ct_lang_number(r->in->lang, ps->den[k], db, sizeof db);
            snprintf(buf, size, "%s/%s", nb, db);
            return;
        }
}

/* The units that reported / should, at the latest year with a count. */
static void reporting(const ct_plot_series *ps, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int k = ps->n - 1; k >= 0; k--)
        if (ps->expected[k] > 0) { snprintf(buf, size, "%d/%d", ps->reported[k], ps->expected[k]); return; }
}

void ct_rp_lagging(ct_rctx *r, const ct_plot_plan *pp)
{
    if (pp->root < 0) return;
    int header = 0;
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *rs = ct_plot_get(pp, i, pp->root);
        if (!rs) continue;
        for (int t = 0; t < rs->n_assess; t++) {
            const ct_assessment *ra = &rs->assess[t];
            lag_row *rows = NULL;
            int n = collect(pp, i, ra, &rows);
            int behind = 0, silent = 0;
            for (int k = 0; k < n; k++) {
                if (!isfinite(rows[k].gap)) silent++;
                else if (rows[k].gap > 1e-9) behind++;
            }
            if (n == 0) { free(rows); continue; }
            int reported = n - silent;
            if (!header++) {
                ct_rp_puts(r, "<h3>");
                ct_rp_esc(r, RW(r, LAGGING));
                ct_rp_puts(r, "</h3>\n<p class=\"meta\">");
                ct_rp_esc(r, RW(r, LAGGING_INTRO));
                ct_rp_puts(r, "</p>\n");
            }
            char buf[700], v[64], g[64], rep[80];
            ct_rp_puts(r, "<div class=\"lag\"><h4>");
            ct_rp_esc(r, ra->ind->title ? ra->ind->title : ra->ind->id);
            ct_rp_puts(r, " <span class=\"meta\">");
            ct_rp_target_text(r, ra, buf, sizeof buf);
            ct_rp_esc(r, buf);
            ct_rp_puts(r, " · ");
            /* counted among the units that reported: a unit without a figure never "meets" it */
            if (!reported) ct_rp_printf(r, RW(r, NONE_REPORTED), n);
            else if (behind) ct_rp_printf(r, RW(r, N_LAGGING), behind, reported);
            else ct_rp_printf(r, RW(r, NONE_LAGGING), reported);
            if (reported && silent) {
                ct_rp_puts(r, " · ");
                ct_rp_printf(r, RW(r, N_SILENT), silent);
            }
            ct_rp_puts(r, "</span></h4>\n");
            if (!reported) {
                /* nobody reported: the names once, not a table of dashes */
                char names[1600] = "";
                for (int k = 0; k < n; k++) {
                    size_t l = strlen(names);
                    const char *nm = ct_rp_unit_name(pp->s, rows[k].unit);
                    if (l + strlen(nm) + 3 < sizeof names) snprintf(names + l, sizeof names - l, "%s%s", k ? ", " : "", nm);
                }
                ct_rp_puts(r, "<p class=\"meta\">");
                ct_rp_printf(r, RW(r, FOLLOW_UP_SILENT), names);
                ct_rp_puts(r, "</p>\n");
            } else if (behind || silent) {
                const char *const heads[] = {RW(r, UNIT),      RW(r, LATEST), RW(r, NUM_DEN), RW(r, GAP),
                                             RW(r, REPORTING), RW(r, TREND),  RW(r, STATUS)};
                ct_rp_puts(r, "<div class=\"tw\"><table class=\"lagging\"><thead><tr>");
                for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
                    ct_rp_puts(r, "<th>");
                    ct_rp_esc(r, heads[h]);
                    ct_rp_puts(r, "</th>");
                }
                ct_rp_puts(r, "</tr></thead><tbody>\n");
                for (int k = 0; k < n; k++) {
                    const lag_row *x = &rows[k];
                    if (isfinite(x->gap) && x->gap <= 1e-9) continue;   /* met: counted above */
                    ct_rp_puts(r, "<tr><td>");
                    ct_rp_esc(r, ct_rp_unit_name(pp->s, x->unit));
                    ct_rp_puts(r, "</td><td class=\"num\">");
                    if (x->a->has_latest) {
                        ct_rp_value(r, x->a->ind, x->a->latest_value, v, sizeof v);
                        ct_rp_esc(r, v);
                        /* an older value than the year the others reported: say its year */
                        if (x->a->latest_period.year < (ra->has_latest ? ra->latest_period.year : x->ps->year[x->ps->n - 1]) ||
                            (x->ps->n > 0 && x->a->latest_period.year < x->ps->year[x->ps->n - 1])) {
                            ct_rp_puts(r, " (");
                            ct_rp_printf(r, RW(r, IN_YEAR), x->a->latest_period.year);
                            ct_rp_puts(r, ")");
                        }
                    } else ct_rp_esc(r, RW(r, NO_REPORT));
                    ct_rp_puts(r, "</td><td class=\"num\">");
                    num_den(r, x->ps, x->a, rep, sizeof rep);
                    ct_rp_esc(r, rep[0] ? rep : RW(r, NONE));
                    ct_rp_puts(r, "</td><td class=\"num\">");
                    if (isfinite(x->gap) && ct_indicator_is_percent(x->a->ind)) {
                        /* a gap between two percentages is in points, not a percentage of anything */
                        ct_lang_number(r->in->lang, x->gap, v, sizeof v);
                        ct_rp_printf(r, RW(r, POINTS), v);
                    } else if (isfinite(x->gap)) {
                        ct_rp_value(r, x->a->ind, x->gap, g, sizeof g);
                        ct_rp_esc(r, g);
                    } else ct_rp_esc(r, RW(r, NONE));
                    reporting(x->ps, rep, sizeof rep);
                    ct_rp_puts(r, "</td><td class=\"num\">");
                    ct_rp_esc(r, rep[0] ? rep : RW(r, NONE));
                    ct_rp_puts(r, "</td><td>");
                    const char *tw = trend_word(r, x);
                    ct_rp_esc(r, tw ? tw : RW(r, NONE));
                    ct_rp_puts(r, "</td><td>");
                    ct_rp_chip_look(r, x->a, -1);
                    ct_rp_puts(r, "</td></tr>\n");
                }
                ct_rp_puts(r, "</tbody></table></div>\n");
            }
            ct_rp_puts(r, "</div>\n");
            free(rows);
        }
    }
}

static void add_name(char *list, size_t size, const char *name)
{
    size_t l = strlen(list);
    if (l + strlen(name) + 3 >= size) return;
    snprintf(list + l, size - l, "%s%s", l ? ", " : "", name);
}

typedef struct {
    int unit, n;
} unit_count;

static int by_count(const void *x, const void *y)
{
    const unit_count *a = x, *b = y;
    return a->n != b->n ? b->n - a->n : a->unit - b->unit;
}

/* The names the summary lists before "and N more": the first page must stay one page. */
enum { NAMES_SHOWN = 6 };

int ct_rp_lagging_names(const ct_rctx *r, const ct_plot_plan *pp, char *behind, size_t bsize, char *silent, size_t ssize)
{
    behind[0] = silent[0] = '\0';
    if (pp->root < 0) return 0;
    int nu = pp->s->n_units;
    unit_count *late = calloc((size_t)nu, sizeof *late), *none = calloc((size_t)nu, sizeof *none);
    char *seen = calloc((size_t)nu, 1);
    int n_seen = 0, any_reported = 0;
    if (!late || !none || !seen) { free(late); free(none); free(seen); return 0; }
    for (int u = 0; u < nu; u++) late[u].unit = none[u].unit = u;
    /* per unit below: how many of the final targets it is behind on, or did not report */
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_plot_series *rs = ct_plot_get(pp, i, pp->root);
        if (!rs || rs->final < 0) continue;
        lag_row *rows = NULL;
        int n = collect(pp, i, &rs->assess[rs->final], &rows);
        for (int k = 0; k < n; k++) {
            if (!seen[rows[k].unit]) { seen[rows[k].unit] = 1; n_seen++; }
            if (isfinite(rows[k].gap)) any_reported = 1;
            if (!isfinite(rows[k].gap)) none[rows[k].unit].n++;
            else if (ct_rp_behind(rows[k].a->status) && rows[k].gap > 1e-9) late[rows[k].unit].n++;
        }
        free(rows);
    }
    qsort(late, (size_t)nu, sizeof *late, by_count);
    qsort(none, (size_t)nu, sizeof *none, by_count);
    int nb = 0, shown = 0;
    char item[300];
    for (int u = 0; u < nu && late[u].n > 0; u++, nb++)
        if (shown < NAMES_SHOWN) {
            snprintf(item, sizeof item, ct_msg(r->in->lang, CT_M_N_BEHIND), ct_rp_unit_name(pp->s, late[u].unit), late[u].n);
            add_name(behind, bsize, item);
            shown++;
        }
    if (nb > shown) {
        snprintf(item, sizeof item, ct_msg(r->in->lang, CT_M_AND_MORE), nb - shown);
        add_name(behind, bsize, item);
    }
    shown = 0;
    int ns = 0;
    char names[1200] = "";
    for (int u = 0; u < nu && none[u].n > 0; u++, ns++)
        if (shown < NAMES_SHOWN) {
            snprintf(item, sizeof item, ct_msg(r->in->lang, CT_M_N_BEHIND), ct_rp_unit_name(pp->s, none[u].unit), none[u].n);
            add_name(names, sizeof names, item);
            shown++;
        }
    if (ns > shown) {
        snprintf(item, sizeof item, ct_msg(r->in->lang, CT_M_AND_MORE), ns - shown);
        add_name(names, sizeof names, item);
    }
    /* nobody reported on any final target: said once, not as a list of every unit */
    if (n_seen && !any_reported) snprintf(silent, ssize, ct_msg(r->in->lang, CT_M_NONE_REPORTED), n_seen);
    else if (ns) snprintf(silent, ssize, ct_msg(r->in->lang, CT_M_FOLLOW_UP_SILENT), names);
    free(late);
    free(none);
    free(seen);
    return nb;
}
