/* chitieu import dhis2: a DHIS2 org unit tree and data value sets become a
 * chitieu data folder (units.csv, observations.csv, metrics.csv), written
 * whole or not at all. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE: a folder replaced in one step */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../load/ct_data.h"
#include "../load/ct_dhis2_read.h"
#include "../load/ct_dhis2_units.h"
#include "../load/ct_dict.h"
#include "../load/ct_units.h"
#include "../load/ct_dhis2_in.h"
#include "../core/ct_tmpfile.h"
#include "../render/ct_output.h"
#include "cli.h"

static const char *const usage_import =
    "usage: chitieu import dhis2 --org-units ORGUNITS.json... --data-values FILE...\n"
    "                            [--map MAP.csv] [--into-months] [--skip-unplaced] --out DIR\n"
    "\n"
    "Turns a DHIS2 export into a chitieu data folder DIR: units.csv from the\n"
    "organisation units (by code; openingDate and closedDate give valid_from and\n"
    "valid_to), observations.csv from the data value sets (JSON or DHIS2's CSV,\n"
    "codes as identifiers; DHIS2 period ids become 2016, 2016S1, 2016Q1,\n"
    "2016-03) and metrics.csv listing each metric found. Values that cannot be\n"
    "placed (unknown org units, unmapped category option combos, weekly and\n"
    "other period types chitieu lacks, values that are not numbers) are listed\n"
    "with their file and position; then nothing is written and the exit status\n"
    "is 1, unless --skip-unplaced is given.\n"
    "\n"
    "options:\n"
    "  --org-units FILE     DHIS2 organisationUnits JSON (id, code, name, level,\n"
    "                       parent or path, openingDate, closedDate), or a metadata\n"
    "                       export (its categoryOptionCombos name the default, its\n"
    "                       dataElements' codes the data elements given by id);\n"
    "                       repeatable: the files are merged\n"
    "  --data-values FILE...  dataValueSets files, JSON or CSV (repeatable)\n"
    "  --map FILE           CSV dataelement,catoptcombo[,attroptcombo],metric: which\n"
    "                       data element and combos go to which metric (an empty\n"
    "                       metric leaves them out; '*' matches any; a metric '*'\n"
    "                       is the data element's own); rows level,N,NAME name levels\n"
    "                       (default: 1 national, 2 province, 3 district, 4 commune);\n"
    "                       rows orgunit,ID,CODE give org unit ID the code CODE\n"
    "  --into-months        sum daily and ISO weekly values into their months (a\n"
    "                       week into the month of its Thursday); the metrics get\n"
    "                       over_time sum\n"
    "  --skip-unplaced      leave out the values that cannot be placed (still\n"
    "                       listed, as warnings) and write the folder\n"
    "  --out DIR            the data folder to write (new, empty, or one that holds\n"
    "                       only the files an import writes)\n"
    "  -h, --help           this text\n";

static const char *const written[] = {"units.csv", "observations.csv", "metrics.csv"};
enum { N_WRITTEN = 3 };

typedef struct {
    const char *map, *out;
    const char **values, **org_units;
    size_t n_values, n_org_units;
    int skip, help, into_months;
} import_args;

static int parse_import(int argc, char **argv, import_args *a)
{
    memset(a, 0, sizeof *a);
    a->values = calloc((size_t)argc + 1, sizeof *a->values);
    a->org_units = calloc((size_t)argc + 1, sizeof *a->org_units);
    if (!a->values || !a->org_units) return cli_usage_error("import", "%s", "out of memory");
    int in_values = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) { a->help = 1; continue; }
        if (!strcmp(arg, "--skip-unplaced")) { a->skip = 1; in_values = 0; continue; }
        if (!strcmp(arg, "--into-months")) { a->into_months = 1; in_values = 0; continue; }
        const char **slot = NULL;
        if (!strcmp(arg, "--org-units")) slot = &a->org_units[a->n_org_units++];
        else if (!strcmp(arg, "--map")) slot = &a->map;
        else if (!strcmp(arg, "--out") || !strcmp(arg, "-o")) slot = &a->out;
        else if (!strcmp(arg, "--data-values")) { in_values = 1; continue; }
        else if (arg[0] == '-' && arg[1]) return cli_usage_error("import", "unknown option '%s'", arg);
        else if (in_values) { a->values[a->n_values++] = arg; continue; }
        else return cli_usage_error("import", "unexpected argument '%s' (data value files follow --data-values)", arg);
        in_values = 0;
        if (i + 1 >= argc) return cli_usage_error("import", "option '%s' needs a value", arg);
        *slot = argv[++i];
    }
    return 0;
}

/* Whether dir may be replaced: absent, empty, or holding only what an import writes. */
static int replaceable(const char *dir, int *exists)
{
    DIR *dp = opendir(dir);
    *exists = dp != NULL;
    if (!dp) return errno == ENOENT;
    struct dirent *e;
    int ok = 1;
    while (ok && (e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int known = 0;
        for (int i = 0; i < N_WRITTEN; i++) known |= !strcmp(e->d_name, written[i]);
        ok = known;
    }
    closedir(dp);
    return ok;
}

/* DIR/NAME into buf; -1 when it does not fit. */
static int join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static void remove_folder(const char *dir)
{
    char p[4096];
    for (int i = 0; i < N_WRITTEN; i++)
        if (join(p, sizeof p, dir, written[i]) == 0) remove(p);
    rmdir(dir);
}

static ct_out *open_in(const char *dir, const char *name, ct_diags *d)
{
    char p[4096];
    if (join(p, sizeof p, dir, name) != 0) {
        ct_error_at(d, dir, 0, 0, "%s", "the folder's path is too long");
        return NULL;
    }
    return ct_out_open(p, d);
}

static void csv_row(ct_out *o, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i) ct_out_char(o, ',');
        ct_out_csv_field(o, fields[i]);
    }
    ct_out_char(o, '\n');
}

static ct_status write_units(const ct_dhis2_import *im, const char *dir, ct_diags *d)
{
    ct_out *o = open_in(dir, "units.csv", d);
    if (!o) return CT_EIO;
    ct_out_puts(o, "code,name,level,parent,valid_from,valid_to\n");
    for (size_t i = 0; i < im->n_units; i++) {
        const ct_dhis2_unit *u = &im->units[im->order[i]];
        const char *f[] = {u->code, u->name, u->level, u->parent, u->valid_from, u->valid_to};
        csv_row(o, f, 6);
    }
    return ct_out_commit(o, d);
}

static ct_status write_observations(const ct_dhis2_import *im, const char *dir, ct_diags *d)
{
    ct_out *o = open_in(dir, "observations.csv", d);
    if (!o) return CT_EIO;
    ct_out_puts(o, "unit,period,metric,value\n");
    for (size_t i = 0; i < im->n_obs; i++) {
        const ct_dhis2_obs *b = &im->obs[i];
        const char *f[] = {b->unit, b->period, b->metric, b->text};
        csv_row(o, f, 4);
    }
    return ct_out_commit(o, d);
}

static ct_status write_metrics(const ct_dhis2_import *im, const char *dir, ct_diags *d)
{
    ct_out *o = open_in(dir, "metrics.csv", d);
    if (!o) return CT_EIO;
    ct_out_puts(o, "metric,level,type,over_time,merge,title,dhis2_code\n");
    for (size_t i = 0; i < im->n_metrics; i++) {
        const char *f[] = {im->metrics[i].name, "", im->metrics[i].boolean_only ? "boolean" : "",
                           im->metrics[i].summed_days ? "sum" : "", "", "",
                           im->metrics[i].dhis2_code};
        csv_row(o, f, 7);
    }
    return ct_out_commit(o, d);
}

/* The folder as the loader reads it: what the import wrote must pass the
 * loader's own checks (tree, dates, names, values), or nothing is put in
 * place. The loader's errors name the rows written. */
static ct_status check_folder(const char *dir, const char *inputs, ct_diags *d)
{
    char units[4096], obs[4096], metrics[4096];
    if (join(units, sizeof units, dir, "units.csv") || join(obs, sizeof obs, dir, "observations.csv") ||
        join(metrics, sizeof metrics, dir, "metrics.csv"))
        return CT_EIO;
    ct_series s;
    ct_series_init(&s);
    size_t before = d->n_errors;
    ct_status st = ct_units_load(&s, units, d);
    if (st == CT_OK) st = ct_dict_load(&s, metrics, d);
    if (st == CT_OK) st = ct_data_load_observations(&s, obs, d);
    ct_series_free(&s);
    if (st == CT_OK && d->n_errors > before) st = CT_EINPUT;
    if (st != CT_OK)
        ct_error_at(d, NULL, 0, 0, "the data folder made from %s and the data values would not load (above: the rows it would hold, "
                    "which come from those files); nothing is written", inputs);
    return st;
}

/* Whether one of the files the folder would lose is one of the inputs. */
static const char *input_inside(const char *dir, const char *const *inputs, size_t n_inputs)
{
    for (int i = 0; i < N_WRITTEN; i++) {
        char p[4096];
        struct stat a, b;
        if (join(p, sizeof p, dir, written[i]) != 0 || stat(p, &a) != 0) continue;
        for (size_t k = 0; k < n_inputs; k++)
            if (inputs[k] && stat(inputs[k], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) return inputs[k];
    }
    return NULL;
}

/* Writes the three files into a new private folder beside dir (the
 * safe writer's temporary folder: removed on a signal), then puts it in
 * place in one step: killed at any moment, nothing half-written is left. */
static ct_status write_folder(const ct_dhis2_import *im, const char *given, const char *const *inputs,
                              size_t n_inputs, const char *org_names, ct_diags *d)
{
    /* "DIR/" is DIR; a DIR that is a link to a folder: the folder it names */
    size_t gl = strlen(given);
    while (gl > 1 && given[gl - 1] == '/') gl--;
    char *named = strndup(given, gl);
    if (!named) { ct_error_at(d, given, 0, 0, "%s", "out of memory"); return CT_ENOMEM; }
    int exists;
    if (!replaceable(named, &exists)) {
        ct_error_at(d, given, 0, 0, "%s", "the folder holds other files than units.csv, observations.csv and "
                                          "metrics.csv: give a new or empty folder");
        free(named);
        return CT_EIO;
    }
    char *dir = exists ? realpath(named, NULL) : named;
    if (exists) free(named);
    if (!dir) { ct_error_at(d, given, 0, 0, "cannot write: %s", strerror(errno)); return CT_EIO; }
    const char *input = exists ? input_inside(dir, inputs, n_inputs) : NULL;
    if (input) {
        ct_error_at(d, given, 0, 0, "holds one of the inputs (%s); refusing to replace it: choose another --out", input);
        free(dir);
        return CT_EIO;
    }
    const char *slash = strrchr(dir, '/');
    char *parent = slash ? strndup(dir, slash == dir ? 1 : (size_t)(slash - dir)) : NULL;
    char *tmp = (slash && !parent) ? NULL : ct_tmpdir_create(parent, slash ? slash + 1 : dir);
    free(parent);
    if (!tmp) {
        ct_error_at(d, given, 0, 0, "cannot create the folder: %s", strerror(errno));
        free(dir);
        return CT_EIO;
    }
    /* the folder gets the mode of the one it replaces, or the umask's */
    struct stat old;
    mode_t um = umask(0);
    umask(um);
    chmod(tmp, exists && stat(dir, &old) == 0 ? (old.st_mode & 07777) : (0777 & ~um));
    ct_status st = write_units(im, tmp, d);
    if (st == CT_OK) st = write_observations(im, tmp, d);
    if (st == CT_OK) st = write_metrics(im, tmp, d);
    if (st == CT_OK) st = check_folder(tmp, org_names, d);
    if (st == CT_OK) {
        /* an existing folder is swapped with the new one in one step (the old
         * one then sits at tmp and is removed); a new one is renamed */
        int r = exists ? renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) : rename(tmp, dir);
        if (r != 0 && exists && (errno == EINVAL || errno == ENOSYS)) {
            remove_folder(dir); /* no exchange here: the old files go first (only the three an import writes) */
            r = rename(tmp, dir);
        }
        if (r != 0) {
            ct_error_at(d, given, 0, 0, "cannot create the folder: %s", strerror(errno));
            st = CT_EIO;
        } else if (!exists) {
            ct_tmpfile_forget(tmp);
        }
    }
    if (st != CT_OK || exists) ct_tmpdir_remove(tmp);
    free(tmp);
    free(dir);
    return st;
}

static void print_summary(const ct_dhis2_import *im, int skip)
{
    static const char *const reasons[CT_DHIS2_N_REASONS] = {
        "unknown org units", "unmapped category option combos", "period types chitieu lacks",
        "not numbers or malformed", "conflicting duplicates", "units not open in the period",
        "null option combos"};
    size_t un = ct_dhis2_n_unplaced(im);
    fprintf(stderr, "chitieu import: %zu units; %zu data values read, %zu placed as observations", im->n_units,
            im->n_read, im->n_obs);
    if (im->n_summed) fprintf(stderr, ", %zu added to another combo's value of the same metric", im->n_summed);
    if (im->n_duplicate) fprintf(stderr, ", %zu repeated (kept once)", im->n_duplicate);
    if (im->n_into_months) fprintf(stderr, ", %zu daily or weekly values summed into months", im->n_into_months);
    if (im->n_deleted) fprintf(stderr, ", %zu marked deleted", im->n_deleted);
    if (im->n_empty) fprintf(stderr, ", %zu empty", im->n_empty);
    if (im->n_ignored) fprintf(stderr, ", %zu left out by the map", im->n_ignored);
    if (im->n_root_values)
        fprintf(stderr, ", %zu of the level-1 root without code (on the implicit root VN)", im->n_root_values);
    if (un) {
        fprintf(stderr, "; %zu not placed%s (", un, skip ? " and skipped" : "");
        int first = 1;
        for (int i = 0; i < CT_DHIS2_N_REASONS; i++)
            if (im->n_unplaced[i]) {
                fprintf(stderr, "%s%zu %s", first ? "" : ", ", im->n_unplaced[i], reasons[i]);
                first = 0;
            }
        fputc(')', stderr);
    }
    fputc('\n', stderr);
}

int cmd_import(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "dhis2") && strcmp(argv[0], "--help") && strcmp(argv[0], "-h")))
        return cli_usage_error("import", "%s", "the source must be dhis2 (chitieu import dhis2 ...)");
    import_args a;
    int rc = parse_import(argc - 1, argv + 1, &a);
    if (!rc && (a.help || strcmp(argv[0], "dhis2"))) { fputs(usage_import, stdout); free(a.values); free(a.org_units); return 0; }
    if (!rc && !a.n_org_units) rc = cli_usage_error("import", "%s", "--org-units FILE is required");
    if (!rc && a.n_values == 0) rc = cli_usage_error("import", "%s", "--data-values FILE... is required");
    if (!rc && !a.out) rc = cli_usage_error("import", "%s", "--out DIR is required");
    if (rc) { free(a.values); free(a.org_units); return rc; }
    cli_session ss; /* only for its diagnostics and their printing */
    cli_session_init(&ss);
    ct_dhis2_import im;
    ct_dhis2_init(&im);
    im.skip_unplaced = a.skip;
    im.into_months = a.into_months;
    ct_status st = CT_OK;
    if (a.map) st = ct_dhis2_read_map(&im, a.map, &ss.diags);
    for (size_t i = 0; st == CT_OK && i < a.n_org_units; i++) {
        ct_status s = ct_dhis2_read_orgunits(&im, a.org_units[i], &ss.diags);
        if (s != CT_OK) st = s == CT_ENOMEM ? s : CT_EINPUT;
    }
    if (st == CT_OK) st = ct_dhis2_finish_orgunits(&im, &ss.diags);
    for (size_t i = 0; st == CT_OK && i < a.n_values; i++) {
        ct_status s = ct_dhis2_read_values(&im, a.values[i], &ss.diags);
        if (s == CT_ENOMEM) st = s;
        else if (s != CT_OK) st = CT_EINPUT; /* keep reading the others, to report them all */
        if (st == CT_EINPUT) for (size_t k = i + 1; k < a.n_values; k++) ct_dhis2_read_values(&im, a.values[k], &ss.diags);
        if (st != CT_OK) break;
    }
    int bad = st != CT_OK || ss.diags.n_errors > 0 || (!a.skip && ct_dhis2_n_unplaced(&im) > 0);
    if (st == CT_ENOMEM) ct_error_at(&ss.diags, NULL, 0, 0, "%s", "out of memory");
    /* the inputs: never replaced; the org unit files name a folder that would not load */
    size_t len = 1;
    for (size_t i = 0; i < a.n_org_units; i++) len += strlen(a.org_units[i]) + 2;
    char *org_names = malloc(len);
    if (org_names) {
        org_names[0] = '\0';
        for (size_t i = 0; i < a.n_org_units; i++) {
            if (i) strcat(org_names, ", ");
            strcat(org_names, a.org_units[i]);
        }
    }
    size_t n_inputs = a.n_org_units + a.n_values + 1;
    const char **inputs = calloc(n_inputs, sizeof *inputs);
    if (!inputs) bad = 1;
    else {
        size_t k = 0;
        for (size_t i = 0; i < a.n_org_units; i++) inputs[k++] = a.org_units[i];
        inputs[k++] = a.map;
        for (size_t i = 0; i < a.n_values; i++) inputs[k++] = a.values[i];
    }
    if (!bad && write_folder(&im, a.out, inputs, n_inputs, org_names ? org_names : "the DHIS2 files", &ss.diags) != CT_OK)
        bad = 1;
    free(org_names);
    free(inputs);
    cli_session_print(&ss);
    if (st != CT_ENOMEM) print_summary(&im, a.skip);
    if (bad) fprintf(stderr, "chitieu import: nothing written to %s\n", a.out);
    ct_dhis2_free(&im);
    free(a.values);
    free(a.org_units);
    return cli_finish(&ss, bad);
}
