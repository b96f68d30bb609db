#include "ct_succ.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_csv.h"

/* Resolves a code among the units valid at month; reports why not. */
static int unit_at(const ct_series *s, ct_field code, int month, const char *what, const char *when, int line,
                   ct_diags *d)
{
    if (code.len == 0) {
        ct_error_at(d, s->succ_path, line, 0, "empty '%s' unit code", what);
        return -1;
    }
    int u = ct_series_unit_during(s, code.ptr, code.len, month, month);
    if (u >= 0) return u;
    if (ct_series_unit(s, code.ptr, code.len) < 0)
        ct_error_at(d, s->succ_path, line, 0, "'%s' unit '%.*s' is not in %s", what, (int)code.len, code.ptr, s->units_path);
    else
        ct_error_at(d, s->succ_path, line, 0, "'%s' unit '%.*s' is not valid %s (see %s)", what, (int)code.len, code.ptr,
                    when, s->units_path);
    return -1;
}

static int read_link(ct_series *s, const int *col, const ct_field *f, int line, ct_link *out, ct_diags *d)
{
    ct_field per = ct_field_trim(f[col[0]]), from = ct_field_trim(f[col[1]]), to = ct_field_trim(f[col[2]]);
    ct_field kind = ct_field_trim(f[col[3]]), w = col[4] >= 0 ? ct_field_trim(f[col[4]]) : (ct_field){"", 0};
    ct_period p;
    if (ct_period_parse(per.ptr, per.len, &p) != 0) {
        ct_error_at(d, s->succ_path, line, 0, "'%.*s' is not a period (2025S2, 2025-07, ...)", (int)per.len, per.ptr);
        return 1;
    }
    char pb[CT_PERIOD_BUF], before[40], from_on[40];
    ct_period_format(p, pb);
    snprintf(before, sizeof before, "just before %s", pb);
    snprintf(from_on, sizeof from_on, "from %s", pb);
    int month = ct_period_first_month(p);
    int bad = 0;
    out->from = unit_at(s, from, month - 1, "from", before, line, d);
    out->to = unit_at(s, to, month, "to", from_on, line, d);
    if (out->from < 0 || out->to < 0) bad = 1;
    if (!bad && s->level[out->from] != s->level[out->to]) {
        ct_error_at(d, s->succ_path, line, 0, "unit %s is a %s but unit %s is a %s: a succession links units of one level",
                    s->code[out->from], s->level_name[s->level[out->from]], s->code[out->to], s->level_name[s->level[out->to]]);
        bad = 1;
    }
    if (!bad && out->from == out->to) {
        ct_error_at(d, s->succ_path, line, 0,
                    "unit %s passes into itself at %s: a succession links a unit that ends to units that begin",
                    s->code[out->from], pb);
        bad = 1;
    } else if (!bad && s->orig_last[out->from] >= month) {
        /* a unit that passed on and still reports would be counted twice:
         * once itself, once carried in its successors */
        const char *vt = s->valid_to_text[out->from];
        if (s->orig_last[out->to] < s->orig_last[out->from])
            ct_error_at(d, s->succ_path, line, 0,
                        "unit %s ends (valid_to %s) before its predecessor %s (valid_to %s), which passes into it at %s: "
                        "a unit that passed on must end just before %s (%s line %d)",
                        s->code[out->to], s->valid_to_text[out->to] ? s->valid_to_text[out->to] : "open",
                        s->code[out->from], vt ? vt : "open", pb, pb, s->units_path, s->line[out->from]);
        else
            ct_error_at(d, s->succ_path, line, 0,
                        "unit %s passes into %s at %s but stays valid (valid_to %s): a unit that passed on must end "
                        "just before %s, or its cases are counted twice (%s line %d)",
                        s->code[out->from], s->code[out->to], pb, vt ? vt : "open", pb, s->units_path,
                        s->line[out->from]);
        bad = 1;
    }
    out->whole = ct_field_is(kind, "whole");
    if (!out->whole && !ct_field_is(kind, "part")) {
        ct_error_at(d, s->succ_path, line, 0, "kind '%.*s' is neither whole nor part", (int)kind.len, kind.ptr);
        bad = 1;
    }
    out->weight = NAN;
    if (w.len) {
        double v;
        if (ct_field_double(w, &v) != 0 || !(v > 0 && v <= 1)) {
            ct_error_at(d, s->succ_path, line, 0, "weight '%.*s' is not a number in (0, 1]", (int)w.len, w.ptr);
            bad = 1;
        } else if (out->whole && v != 1) {
            ct_error_at(d, s->succ_path, line, 0, "a whole link passes all of unit %.*s: its weight is empty (or 1), not %.*s",
                        (int)from.len, from.ptr, (int)w.len, w.ptr);
            bad = 1;
        } else {
            out->weight = v;
        }
    }
    if (out->whole) out->weight = 1;
    out->month = month;
    out->line = line;
    return bad;
}

static int by_from(const void *a, const void *b)
{
    const ct_link *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->month != y->month) return x->month < y->month ? -1 : 1;
    return x->line - y->line;
}

static int by_line(const void *a, const void *b)
{
    return (*(const ct_link *const *)a)->line - (*(const ct_link *const *)b)->line;
}

/* The links of one unit at one period: a whole link alone, no repeated
 * target, known part weights adding up to 1. */
static int check_group(const ct_series *s, ct_link *g, int n, ct_diags *d)
{
    ct_link **byline = malloc((size_t)n * sizeof *byline);
    if (!byline) return -1;
    for (int i = 0; i < n; i++) byline[i] = &g[i];
    qsort(byline, (size_t)n, sizeof *byline, by_line);
    int bad = 0, unknown = 0;
    double known = 0;
    const char *u = s->code[g[0].from];
    for (int i = 0; i < n; i++) {
        const ct_link *l = byline[i];
        for (int j = 0; n <= 256 && j < i; j++) /* a unit passes into a few units */
            if (byline[j]->to == l->to) {
                ct_error_at(d, s->succ_path, l->line, 0, "unit %s passes into %s twice at this period (first at line %d)",
                            u, s->code[l->to], byline[j]->line);
                bad = 1;
                break;
            }
        if (l->whole && n > 1) {
            const ct_link *other = byline[i == 0 ? 1 : 0];
            ct_error_at(d, s->succ_path, l->line, 0,
                        "unit %s passes whole into %s, so it can have no other link at this period (line %d links it to %s)",
                        u, s->code[l->to], other->line, s->code[other->to]);
            bad = 1;
        }
        if (!l->whole) {
            if (isnan(l->weight)) unknown++;
            else known += l->weight;
        }
    }
    const ct_link *last = byline[n - 1];
    if (!bad && !g[0].whole && !unknown && fabs(known - 1) > 0.001) {
        ct_error_at(d, s->succ_path, last->line, 0, "the weights of unit %s's parts add up to %g, not 1", u, known);
        bad = 1;
    } else if (!bad && !g[0].whole && !unknown && known != 1) {
        /* within the tolerance (rounded shares such as 0.4 + 0.5991): scaled
         * to add up to exactly 1, so that no case is invented or lost */
        for (int i = 0; i < n; i++) g[i].weight /= known;
    } else if (!bad && unknown && known > 1.001) {
        ct_error_at(d, s->succ_path, last->line, 0, "the known weights of unit %s's parts add up to %g, more than 1", u, known);
        bad = 1;
    }
    free(byline);
    return bad;
}

ct_status ct_succ_load(ct_series *s, const char *path, ct_diags *d)
{
    s->succ_path = ct_arena_strdup(&s->arena, path);
    ct_csv r;
    ct_status st = ct_csv_open(&r, path, d);
    if (st != CT_OK) return st;
    ct_field f[CT_CSV_MAX_COLS];
    int ncols = ct_csv_header(&r, f, d), bad = ncols < 0;
    static const char *const names[] = {"period", "from", "to", "kind", "weight"};
    int col[5];
    for (int i = 0; !bad && i < 5; i++) {
        col[i] = ct_csv_col(f, ncols, names[i]);
        if (col[i] < 0 && i < 4) {
            ct_error_at(d, path, 1, 0, "missing column '%s' (the header is period,from,to,kind,weight)", names[i]);
            bad = 1;
        }
    }
    int header_bad = bad, n, cap = 0;
    ct_link *links = NULL;
    int nl = 0;
    while (!header_bad && (n = ct_csv_next(&r, f, CT_CSV_MAX_COLS, d)) != 0) {
        if (n < 0) { bad = 1; continue; }
        if (n != ncols) {
            ct_error_at(d, path, r.row_line, 0, "%d fields where the header has %d", n, ncols);
            bad = 1;
            continue;
        }
        if (nl == cap) {
            cap = cap ? cap * 2 : 256;
            ct_link *nlk = realloc(links, (size_t)cap * sizeof *nlk);
            if (!nlk) { st = CT_ENOMEM; break; }
            links = nlk;
        }
        if (read_link(s, col, f, r.row_line, &links[nl], d) == 0) nl++;
        else bad = 1;
    }
    ct_csv_close(&r);
    if (st == CT_OK && nl) {
        qsort(links, (size_t)nl, sizeof *links, by_from);
        for (int i = 0; i < nl;) {
            int j = i + 1;
            while (j < nl && links[j].from == links[i].from && links[j].month == links[i].month) j++;
            if (i > 0 && links[i - 1].from == links[i].from) {
                /* its parts add up to all of it: a unit passes on once */
                char pb[16];
                int m = links[i - 1].month;
                snprintf(pb, sizeof pb, "%04d-%02d", m / 12, m % 12 + 1);
                ct_error_at(d, path, links[i].line, 0, "unit %s already passed entirely into other units at %s (line %d)",
                            s->code[links[i].from], pb, links[i - 1].line);
                bad = 1;
            }
            int rc = check_group(s, links + i, j - i, d);
            if (rc < 0) { st = CT_ENOMEM; break; }
            bad |= rc;
            i = j;
        }
    }
    s->links = links;
    s->n_links = nl;
    if (st == CT_OK && bad) st = CT_EINPUT;
    return st;
}
