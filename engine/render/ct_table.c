#include "ct_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {"plan", "indicator", "unit", "level", "period", "value",
                                      "numerator", "denominator", "reported", "expected"};
enum { N_COLUMNS = 10 };

static void table_init(ct_table *t, ct_out *out, const ct_series *s, ct_format f)
{
    t->out = out;
    t->series = s;
    t->format = f;
    t->rows = 0;
    t->prefix_ind = NULL;
    t->prefix_unit = -1;
    t->prefix_len = 0;
}

void ct_table_begin(ct_table *t, ct_out *out, const ct_series *s, ct_format f)
{
    table_init(t, out, s, f);
    if (f == CT_FMT_JSON) {
        ct_out_char(out, '[');
        return;
    }
    for (int i = 0; i < N_COLUMNS; i++) {
        if (i) ct_out_char(out, ',');
        ct_out_puts(out, columns[i]);
    }
    ct_out_char(out, '\n');
}

/* "plan,indicator,unit,level," is the same for every period of a unit:
 * it is formatted once and copied. */
static void csv_prefix(ct_table *t, const ct_row *r)
{
    const ct_series *s = t->series;
    if (t->prefix_ind == r->ind && t->prefix_unit == r->unit && t->prefix_len) return;
    const char *fields[4] = {r->plan->id, r->ind->id, s->code[r->unit], s->level_name[s->level[r->unit]]};
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        n += ct_out_format_csv_field(fields[i], t->prefix + n, sizeof t->prefix - n - 1);
        t->prefix[n++] = ',';
    }
    t->prefix_len = n;
    t->prefix_ind = r->ind;
    t->prefix_unit = r->unit;
}

static void csv_row(ct_table *t, const ct_row *r)
{
    ct_out *o = t->out;
    char pb[CT_PERIOD_BUF];
    size_t pn = ct_period_format(r->period, pb);
    csv_prefix(t, r);
    ct_out_write(o, t->prefix, t->prefix_len);
    pb[pn] = ',';
    ct_out_write(o, pb, pn + 1);
    const ct_cell *c = &r->cell;
    if (c->flags & CT_ROW_VALUE) ct_out_number(o, c->value);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_NUM) ct_out_number(o, c->num);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_DEN) ct_out_number(o, c->den);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->reported);
    ct_out_char(o, ',');
    if (c->flags & CT_ROW_COUNTS) ct_out_number(o, c->expected);
    ct_out_char(o, '\n');
}

static void json_number(ct_out *o, const char *key, int present, double v)
{
    ct_out_puts(o, ",\"");
    ct_out_puts(o, key);
    ct_out_puts(o, "\":");
    if (present) ct_out_number(o, v);
    else ct_out_puts(o, "null");
}

static void json_row(ct_table *t, const ct_row *r)
{
    ct_out *o = t->out;
    const ct_series *s = t->series;
    char pb[CT_PERIOD_BUF];
    ct_period_format(r->period, pb);
    ct_out_puts(o, t->rows ? ",\n{" : "\n{");
    ct_out_puts(o, "\"plan\":");
    ct_out_json_string(o, r->plan->id);
    ct_out_puts(o, ",\"indicator\":");
    ct_out_json_string(o, r->ind->id);
    ct_out_puts(o, ",\"unit\":");
    ct_out_json_string(o, s->code[r->unit]);
    ct_out_puts(o, ",\"level\":");
    ct_out_json_string(o, s->level_name[s->level[r->unit]]);
    ct_out_puts(o, ",\"period\":");
    ct_out_json_string(o, pb);
    const ct_cell *c = &r->cell;
    json_number(o, "value", c->flags & CT_ROW_VALUE, c->value);
    json_number(o, "numerator", c->flags & CT_ROW_NUM, c->num);
    json_number(o, "denominator", c->flags & CT_ROW_DEN, c->den);
    json_number(o, "reported", c->flags & CT_ROW_COUNTS, c->reported);
    json_number(o, "expected", c->flags & CT_ROW_COUNTS, c->expected);
    ct_out_char(o, '}');
}

int ct_table_row(const ct_row *row, void *table)
{
    ct_table *t = table;
    if (t->format == CT_FMT_JSON) json_row(t, row);
    else csv_row(t, row);
    t->rows++;
    return 0;
}

void ct_table_end(ct_table *t)
{
    if (t->format == CT_FMT_JSON) ct_out_puts(t->out, t->rows ? "\n]\n" : "]\n");
}

/* ---- writing a whole table on several threads ---------------------------------- */

typedef struct {
    const ct_plan *plan;
    const ct_indicator *ind;
    char *text;           /* the indicator's rows, formatted */
    size_t len;
    int done;
    ct_status st;
} task;

typedef struct {
    task *tasks;
    size_t n, next, written, ahead;
    const ct_series *s;
    const ct_compute_filter *filter;
    pthread_mutex_t lock;
    pthread_cond_t changed;
} work;

static void *worker(void *arg)
{
    work *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (w->next < w->n && w->next >= w->written + w->ahead) pthread_cond_wait(&w->changed, &w->lock);
        size_t i = w->next++;
        pthread_mutex_unlock(&w->lock);
        if (i >= w->n) return NULL;
        task *tk = &w->tasks[i];
        ct_out *mem = ct_out_open_memory();
        ct_table t;
        table_init(&t, mem, w->s, CT_FMT_CSV);
        ct_status st = mem ? ct_compute_indicator(tk->plan, tk->ind, w->s, w->filter, ct_table_row, &t) : CT_ENOMEM;
        size_t len = 0;
        char *text = mem ? ct_out_take_memory(mem, &len) : NULL;
        pthread_mutex_lock(&w->lock);
        tk->text = text;
        tk->len = len;
        /* nothing taken from a table that has rows: out of memory */
        tk->st = st != CT_OK ? st : (text || t.rows == 0 ? CT_OK : CT_ENOMEM);
        tk->done = 1;
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->lock);
    }
}

static int parallel_ok(ct_plan *const *plans, size_t n_plans, ct_format format, int jobs)
{
    if (format != CT_FMT_CSV || jobs < 2) return 0;
    for (size_t p = 0; p < n_plans; p++)
        for (size_t i = 0; i < plans[p]->n_indicators; i++)
            if (plans[p]->indicators[i].kind == CT_KIND_LUA) return 0; /* one Lua state per file */
    return 1;
}

static ct_status write_parallel(ct_out *out, ct_plan *const *plans, size_t n_plans, const ct_series *s,
                                const ct_compute_filter *filter, int jobs)
{
    work w;
    memset(&w, 0, sizeof w);
    for (size_t p = 0; p < n_plans; p++) w.n += plans[p]->n_indicators;
    w.tasks = calloc(w.n ? w.n : 1, sizeof *w.tasks);
    if (!w.tasks) return CT_ENOMEM;
    for (size_t p = 0, k = 0; p < n_plans; p++)
        for (size_t i = 0; i < plans[p]->n_indicators; i++, k++) {
            w.tasks[k].plan = plans[p];
            w.tasks[k].ind = &plans[p]->indicators[i];
        }
    w.s = s;
    w.filter = filter;
    w.ahead = (size_t)jobs * 2;
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.changed, NULL);
    pthread_t threads[16];
    int started = 0;
    for (int j = 0; j < jobs && j < 16; j++)
        if (pthread_create(&threads[started], NULL, worker, &w) == 0) started++;
    ct_status st = CT_OK;
    if (started == 0) {
        worker(&w); /* no thread could start: do it all here */
    }
    for (size_t i = 0; i < w.n; i++) {
        pthread_mutex_lock(&w.lock);
        while (!w.tasks[i].done) pthread_cond_wait(&w.changed, &w.lock);
        pthread_mutex_unlock(&w.lock);
        if (st == CT_OK) st = w.tasks[i].st;
        if (st == CT_OK && w.tasks[i].len) ct_out_write(out, w.tasks[i].text, w.tasks[i].len);
        free(w.tasks[i].text);
        w.tasks[i].text = NULL;
        pthread_mutex_lock(&w.lock);
        w.written = i + 1;
        pthread_cond_broadcast(&w.changed);
        pthread_mutex_unlock(&w.lock);
    }
    for (int j = 0; j < started; j++) pthread_join(threads[j], NULL);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.changed);
    free(w.tasks);
    return st;
}

ct_status ct_table_write(ct_out *out, ct_plan *const *plans, size_t n_plans, const ct_series *s,
                         const ct_compute_filter *filter, ct_format format, int jobs)
{
    ct_table t;
    ct_table_begin(&t, out, s, format);
    ct_status st = CT_OK;
    if (parallel_ok(plans, n_plans, format, jobs)) {
        st = write_parallel(out, plans, n_plans, s, filter, jobs);
    } else {
        for (size_t i = 0; st == CT_OK && i < n_plans; i++)
            st = ct_compute_plan(plans[i], s, filter, ct_table_row, &t);
    }
    ct_table_end(&t);
    return st;
}
