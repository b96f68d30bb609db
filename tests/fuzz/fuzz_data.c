/* libFuzzer harness for the data loader (engine/load/ct_data.c), following
 * the load sequence of engine/cli/cli_session.c: units.csv, metric
 * declarations, observations.csv.
 *
 * Input format (sections separated by a line "%%"):
 *
 *   is_clean commune boolean last      <- metric declarations: name level type over_time
 *   asof 2018-06                       <- optional: --as-of cut-off (a period)
 *   %%
 *   code,name,level,parent             <- units.csv
 *   ...
 *   %%
 *   unit,period,metric,value           <- observations.csv
 *   ...
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "load/ct_data.h"
#include "model/ct_period.h"
#include "model/ct_series.h"

static const char *const types[] = {"boolean", "count", "number"};
static const char *const overs[] = {"last", "sum", "max", "min", "mean"};

static int word_index(const char *w, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(w, words[i]) == 0) return i;
    return (int)((unsigned char)w[0] % (unsigned)n);
}

/* Finds the next "%%" line at or after *pos; returns the section's end. */
static size_t section(const uint8_t *data, size_t size, size_t *pos)
{
    size_t start = *pos;
    for (size_t i = start; i + 2 <= size; i++) {
        if ((i == 0 || data[i - 1] == '\n') && data[i] == '%' && data[i + 1] == '%' &&
            (i + 2 == size || data[i + 2] == '\n')) {
            *pos = i + 2 < size ? i + 3 : size;
            return i;
        }
    }
    *pos = size;
    return size;
}

static void declare(ct_series *s, char *decl, ct_diags *d)
{
    int line = 0;
    for (char *save = NULL, *l = strtok_r(decl, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        char *w[4] = {0};
        int n = 0;
        for (char *s2 = NULL, *t = strtok_r(l, " \t\r", &s2); t && n < 4; t = strtok_r(NULL, " \t\r", &s2)) w[n++] = t;
        if (n == 2 && strcmp(w[0], "asof") == 0) {
            ct_period p;
            if (ct_period_parse(w[1], strlen(w[1]), &p) == 0) s->cutoff_month = ct_period_last_month(p);
            continue;
        }
        if (n < 2) continue;
        int t = n > 2 ? word_index(w[2], types, 3) : 2;
        int o = n > 3 ? word_index(w[3], overs, 5) : 0;
        ct_series_declare_metric(s, w[0], w[1], t, o, -1, "fuzz-plan.yaml", line, 1, d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    size_t d0 = 0, d1 = section(data, size, &pos);
    size_t u0 = pos, u1 = section(data, size, &pos);
    size_t o0 = pos, o1 = size;

    char units[256], obs[256];
    if (!fuzz_tmpfile(units, sizeof units, "units", data + u0, u1 - u0)) return 0;
    if (!fuzz_tmpfile(obs, sizeof obs, "obs", data + o0, o1 - o0)) { unlink(units); return 0; }
    char *decl = fuzz_cstr(data + d0, d1 - d0);

    ct_series s;
    ct_series_init(&s);
    ct_diags d;
    ct_diags_init(&d);
    d.cap_per_list = 500;
    /* half the inputs take the large-file reading (a sample, two threads) */
    s.obs_split_bytes = (o1 - o0) % 2 ? 1 : 0;
    if (ct_units_load(&s, units, &d) == CT_OK) {
        declare(&s, decl, &d);
        ct_status st = ct_data_load_observations(&s, obs, &d);
        if (st == CT_OK) {
            /* read every value back, as the compute layer would */
            for (int m = 0; m < s.n_metrics; m++) {
                const ct_metric *mt = &s.metrics[m];
                for (int t = 0; t <= mt->finest; t++) {
                    int np = ct_series_n_periods(&s, (ct_ptype)t);
                    for (int i = 0; i < np; i++) {
                        ct_period p = ct_period_from_index((ct_ptype)t, s.year0, i);
                        for (int k = 0; k < s.level_size[mt->level]; k++) {
                            int u = s.level_units[mt->level][k];
                            volatile double v = ct_series_value(&s, m, u, p);
                            (void)v;
                            (void)ct_series_unit_valid(&s, u, p);
                            (void)ct_series_in_subtree(&s, u, s.root);
                        }
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < d.n; i++) {
        char line[1400];
        ct_diag_format(&d.items[i], line, sizeof line);
    }
    ct_diags_free(&d);
    ct_series_free(&s);
    free(decl);
    unlink(units);
    unlink(obs);
    return 0;
}
