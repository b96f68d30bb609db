/* The report's charts, inline: each SVG that gnuplot drew is read back and
 * written into the page (its title the chart's caption, not "Gnuplot"; its ids
 * prefixed so that two charts' definitions never collide), so the page is one
 * file that works when copied or sent alone. */
#include "ct_report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ct_chart *ct_rp_find_chart(const ct_report_input *in, const ct_plot_plan *pp, ct_chart_kind k, int ind, int unit)
{
    for (size_t i = 0; i < in->n_charts; i++) {
        const ct_chart *c = &in->charts[i];
        if (c->pp == pp && c->kind == k && (k == CT_CHART_STATUS || (c->ind == ind && c->unit == unit)))
            return in->rendered[i] ? c : NULL;
    }
    return NULL;
}

const ct_chart *ct_rp_chart_of(const ct_report_input *in, const ct_plot_plan *pp, int i, int u)
{
    const ct_chart *c = ct_rp_find_chart(in, pp, CT_CHART_TRAJECTORY, i, u);
    if (!c && pp->s->parent[u] >= 0) c = ct_rp_find_chart(in, pp, CT_CHART_MULTIPLES, i, pp->s->parent[u]);
    return c;
}

void ct_rp_chart_anchor(ct_rctx *r, const ct_chart *c)
{
    char buf[sizeof c->rel + 8];
    snprintf(buf, sizeof buf, "fig-%s", c->rel);
    for (char *p = buf; *p; p++)
        if (*p == '/') *p = '-';
    ct_rp_esc(r, buf);
}

/* The chart's SVG text (malloc'ed), or NULL. */
static char *read_svg(const ct_rctx *r, const ct_chart *c, size_t *len)
{
    char path[4096];
    if (!r->in->charts_dir) return NULL;
    snprintf(path, sizeof path, "%s/%s.svg", r->in->charts_dir, c->rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap + 1);
    while (s) {
        size_t got = fread(s + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        if (cap >= (size_t)64 << 20) { free(s); s = NULL; break; }   /* no chart is that large */
        char *t = realloc(s, cap * 2 + 1);
        if (!t) { free(s); s = NULL; break; }
        s = t;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!s || bad) { free(s); return NULL; }
    s[n] = '\0';
    *len = n;
    return s;
}

static int starts(const char *p, const char *w) { return !strncmp(p, w, strlen(w)); }

/* Writes svg into the page: from <svg on, titled caption, ids prefixed "cN-". */
static void write_svg(ct_rctx *r, const char *svg, const char *caption)
{
    char pre[24];
    snprintf(pre, sizeof pre, "c%d-", r->n_fig);
    const char *p = strstr(svg, "<svg");
    if (!p) return;
    ct_rp_puts(r, "<svg class=\"chart\" role=\"img\" aria-label=\"");
    ct_rp_esc(r, caption);
    ct_rp_puts(r, "\"");
    p += 4;
    const char *run = p;
    int titled = 0;   /* the first title is the chart's; the others name its layers */
    while (*p) {
        const char *insert = NULL;
        size_t keep = 0;
        if (titled && starts(p, "<title>")) {
            /* a layer's title: gnuplot's own name for it ("gnuplot_plot_3", "$obs using 1:2"), not for a reader */
            const char *e = strstr(p, "</title>");
            if (e) {
                ct_out_write(r->o, run, (size_t)(p - run));
                p = run = e + strlen("</title>");
                continue;
            }
        }
        if (!titled && starts(p, "<title>")) {
            const char *e = strstr(p, "</title>");
            if (e) {
                titled = 1;
                ct_out_write(r->o, run, (size_t)(p - run));
                ct_rp_puts(r, "<title>");
                ct_rp_esc(r, caption);
                ct_rp_puts(r, "</title>");
                p = run = e + strlen("</title>");
                continue;
            }
        } else if (starts(p, "<desc>Produced by GNUPLOT")) {
            const char *e = strstr(p, "</desc>");
            if (e) {
                ct_out_write(r->o, run, (size_t)(p - run));
                p = run = e + strlen("</desc>");
                continue;
            }
        } else if ((p == svg || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') && (starts(p, "id='") || starts(p, "id=\""))) {
            keep = 4;
            insert = pre;
        } else if (starts(p, "href='#") || starts(p, "href=\"#")) {
            keep = 7;
            insert = pre;
        } else if (starts(p, "url(#")) {
            keep = 5;
            insert = pre;
        }
        if (insert) {
            ct_out_write(r->o, run, (size_t)(p - run) + keep);
            ct_rp_puts(r, insert);
            p += keep;
            run = p;
            continue;
        }
        p++;
    }
    ct_out_write(r->o, run, (size_t)(p - run));
}

void ct_rp_figure(ct_rctx *r, const ct_chart *c, const char *caption, int wide)
{
    size_t len = 0;
    char *svg = read_svg(r, c, &len);
    if (!svg) return;
    r->n_fig++;
    ct_rp_puts(r, wide ? "<figure class=\"wide\" id=\"" : "<figure id=\"");
    ct_rp_chart_anchor(r, c);
    ct_rp_puts(r, "\">");
    write_svg(r, svg, caption);
    free(svg);
    ct_rp_puts(r, "<figcaption>");
    ct_rp_esc(r, caption);
    ct_rp_puts(r, "</figcaption></figure>\n");
}

void ct_rp_charts(ct_rctx *r, const ct_plot_plan *pp)
{
    const ct_plan *plan = pp->plan;
    int any_chart = 0;
    for (int i = 0; i < pp->n_ind; i++) {
        const ct_chart *tc = ct_rp_find_chart(r->in, pp, CT_CHART_TRAJECTORY, i, pp->root);
        int any_multi = 0;
        for (int k = 0; k < pp->n_units && !any_multi; k++)
            any_multi = ct_rp_find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]) != NULL;
        if (!tc && !any_multi) continue;
        if (!any_chart++) {
            ct_rp_puts(r, "<h3>");
            ct_rp_esc(r, RW(r, CHARTS));
            ct_rp_puts(r, "</h3>\n");
        }
        const char *title = plan->indicators[i].title ? plan->indicators[i].title : plan->indicators[i].id;
        ct_rp_puts(r, "<div class=\"grid\">\n");
        if (tc) {
            /* sized by what it holds: a long title or unit name is never cut */
            const char *un = ct_rp_unit_name(pp->s, pp->root);
            size_t n = strlen(title) + strlen(un) + 8;
            char *cap = malloc(n);
            if (cap) {
                snprintf(cap, n, "%s — %s", title, un);
                ct_rp_figure(r, tc, cap, 0);
                free(cap);
            }
        }
        for (int k = 0; k < pp->n_units; k++) {
            const ct_chart *mc = ct_rp_find_chart(r->in, pp, CT_CHART_MULTIPLES, i, pp->units[k]);
            if (!mc) continue;
            const char *un = ct_rp_unit_name(pp->s, pp->units[k]);
            size_t n = strlen(RW(r, CHILDREN_OF)) + strlen(title) + strlen(un) + 1;
            char *cap = malloc(n);
            if (cap) {
                snprintf(cap, n, RW(r, CHILDREN_OF), title, un);
                ct_rp_figure(r, mc, cap, 0);
                free(cap);
            }
        }
        ct_rp_puts(r, "</div>\n");
    }
}
