/* The command line: options shared by every command, and the commands. */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

#include "../core/ct_lang.h"
#include "cli_output.h"
#include "cli_session.h"
#include "../project/ct_model.h"

typedef struct {
    char **plans;
    size_t n_plans;
    const char *data, *out, *level, *unit, *format, *periods;
    const char *method, *model, *to, *as_of, *geography;
    const char *lang, *min_coverage; /* --lang vi|en: notes, findings, Excel headers */
    const char *from, *probability, *allocate; /* propose */
    const char *const *rules;
    size_t n_rules;
    int help, feasibility;
    int quiet_rules;      /* --quiet-rules: the rules' log(...) is dropped */
} cli_args;

/* Parses argv (after the command name) accepting only the options listed
 * in `allowed`. Returns 0, or CLI_EXIT_USAGE after printing the problem. */
int cli_parse_args(const char *cmd, int argc, char **argv, cli_args *a, const char *const *allowed);
void cli_args_free(cli_args *a);

/* Prints "chitieu CMD: MESSAGE" and a hint on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/* Checks --format (csv, json, xlsx; xlsx needs -o) and --lang (vi, en);
 * sets *fmt to 0 csv, 1 json, 2 xlsx. Returns 0 or CLI_EXIT_USAGE. */
int cli_format(const cli_args *a, const char *cmd, int *fmt);

/* Prints a command's usage on stdout when --help was given; returns 1 if so. */
int cli_help(const cli_args *a, const char *usage);

/* Loads plans and data, applying --as-of; prints problems. Returns 0 when
 * everything loaded without errors. */
int cli_load(cli_session *ss, const cli_args *a, const char *cmd);

/* Resolves --level, --unit and --periods against loaded data. */
int cli_filter(const cli_args *a, const ct_series *s, const char *cmd, ct_compute_filter *f);

/* Resolves --model (calibrated, the default, or ols); --method linear,
 * logit or cagr alone means ols, the only model they are methods of. */
int cli_model(const cli_args *a, const char *cmd, ct_model_kind *model);

/* Resolves --lang (default vi) and --min-coverage (default 0.8, within 0-1). */
int cli_judgement(const cli_args *a, const char *cmd, ct_lang *lang, double *min_coverage);

/* Prints the diagnostics, frees the session, returns the exit status. */
int cli_finish(cli_session *ss, int bad);

int cmd_check(int argc, char **argv);
int cmd_compute(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_project(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_propose(int argc, char **argv);

#endif
