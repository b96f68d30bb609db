/* The chart theme read as settings, not as a program. */
#ifndef CT_THEME_H
#define CT_THEME_H

#include <stddef.h>

#include "../core/ct_error.h"

/* Checks a theme's text line by line against an allow-list: blank lines,
 * comments, NAME = VALUE (numbers, strings, names, operators) and set/unset
 * of the options that style a chart. Anything else — load, call, system,
 * !, backticks, macros, function calls or definitions, set output/print/
 * table/terminal, save, shell, pipes, continued lines, control bytes — is
 * CT_EINPUT with a PATH:LINE error in d. */
ct_status ct_theme_check(const char *path, const char *text, size_t len, ct_diags *d);

#endif
