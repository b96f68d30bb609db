/* The chart theme read as settings: an allow-list of what a theme line may
 * be, so that a theme cannot run programs (system, !, backticks), read or
 * write files (load, call, set output, set print, set table, save) or
 * define and call functions; nor name a file to read (a file name that
 * starts with "<" is a command to gnuplot). gnuplot itself has no sandbox: every line it
 * runs from a theme is one chitieu accepted here. */
#include "ct_theme.h"

#include <string.h>

/* The options a theme may set or unset: the looks of a chart, nothing that
 * names a file, a program or a terminal. Matched whole (gnuplot accepts
 * abbreviations; a theme must spell the option out). */
static const char *const allowed_options[] = {
    "angles",     "arrow",      "autoscale", "bars",      "bmargin",    "border",      "boxwidth",
    "cblabel",    "cbrange",    "cbtics",    "clip",      "colorbox",   "colorsequence", "dashtype",
    "decimalsign", "errorbars", "format",    "grid",      "key",        "label",       "linetype",
    "lmargin",    "logscale",   "margins",   "minussign", "mcbtics",    "mx2tics",     "mxtics",
    "my2tics",    "mytics",     "object",    "offsets",   "pointintervalbox", "pointsize",
    "rmargin",    "samples",    "style",     "tics",      "title",      "tmargin",     "x2label",
    "x2tics",     "x2zeroaxis", "xlabel",    "xrange",    "xtics",      "xzeroaxis",   "y2label",
    "y2tics",     "y2zeroaxis", "ylabel",    "yrange",    "ytics",      "yzeroaxis",   "zeroaxis"};

/* Words that may stand before "(" in a setting: a dash pattern's tuple. */
static const char *const allowed_before_paren[] = {"dt", "dashtype"};

static int is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_ident(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

static int in_list(const char *w, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0) return 1;
    return 0;
}

typedef struct {
    const char *path;
    int line;
    ct_diags *d;
} where;

static ct_status refuse(const where *w, const char *what, const char *s, size_t n)
{
    ct_error_at(w->d, w->path, w->line, 0,
                "chart theme: %s '%.*s' is not allowed (a theme holds only NAME = VALUE and set/unset of the "
                "options that style a chart; see docs/security.md)",
                what, (int)(n > 60 ? 60 : n), s);
    return CT_EINPUT;
}

/* Checks the tokens of one statement from p to end: no backtick, macro
 * (@), datablock or column ($), and no word followed by "(" (a function
 * call or definition) except a dash pattern's. Strings are skipped: their
 * text is never run (a backtick in one is still refused: gnuplot expands
 * backticks inside double quotes). */
static ct_status check_tokens(const where *w, const char *p, const char *end)
{
    while (p < end) {
        char c = *p;
        if (c == '`') return refuse(w, "a command substitution", p, (size_t)(end - p));
        if (c == '"' || c == '\'') {
            const char *q = p + 1;
            while (q < end && *q != c) {
                if (c == '"' && *q == '\\' && q + 1 < end) q++;
                else if (c == '\'' && *q == '\'' && q + 1 < end && q[1] == '\'') q++;
                q++;
            }
            if (q >= end) return refuse(w, "an unterminated string", p, (size_t)(end - p));
            p = q + 1;
            continue;
        }
        if (c == '@' || c == '$' || c == '!' || c == '|' || c == '<') {
            if (c == '!' && p + 1 < end && p[1] == '=') { p += 2; continue; } /* != */
            if (c == '|' && p + 1 < end && p[1] == '|') { p += 2; continue; } /* || */
            if (c == '<') { p++; continue; }                                   /* < <= << */
            return refuse(w, "the character", p, 1);
        }
        if (is_ident_start(c)) {
            const char *s = p;
            while (p < end && is_ident(*p)) p++;
            size_t n = (size_t)(p - s);
            const char *q = p;
            while (q < end && (*q == ' ' || *q == '\t')) q++;
            if (q < end && *q == '(' &&
                !in_list(s, n, allowed_before_paren, sizeof allowed_before_paren / sizeof *allowed_before_paren))
                return refuse(w, "the function call", s, (size_t)(q - s) + 1);
            /* words that open a file or a program wherever they stand
             * (`set palette file "<cmd"` would run cmd) */
            static const char *const never[] = {"system", "file", "datafile", "load", "call", "pipe"};
            if (in_list(s, n, never, sizeof never / sizeof *never)) return refuse(w, "the word", s, n);
            continue;
        }
        p++;
    }
    return CT_OK;
}

/* One statement (no comment, no ';'): blank, NAME = VALUE, or set/unset
 * of an allowed option. */
static ct_status check_statement(const where *w, const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    if (p == end) return CT_OK;
    if (!is_ident_start(*p)) return refuse(w, "the command", p, (size_t)(end - p));
    const char *s = p;
    while (p < end && is_ident(*p)) p++;
    size_t n = (size_t)(p - s);
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if (q < end && *q == '=' && (q + 1 >= end || q[1] != '=')) {
        if (q + 1 >= end) return refuse(w, "an empty value for", s, n);
        return check_tokens(w, q + 1, end);
    }
    int set = n == 3 && !memcmp(s, "set", 3), unset = n == 5 && !memcmp(s, "unset", 5);
    if (!set && !unset) return refuse(w, "the command", s, n);
    const char *o = q;
    while (q < end && is_ident(*q)) q++;
    size_t on = (size_t)(q - o);
    if (!on || !in_list(o, on, allowed_options, sizeof allowed_options / sizeof *allowed_options))
        return refuse(w, set ? "set" : "unset", o, on ? on : (size_t)(end - o));
    return check_tokens(w, q, end);
}

ct_status ct_theme_check(const char *path, const char *text, size_t len, ct_diags *d)
{
    where w = {path, 1, d};
    ct_status st = CT_OK;
    const char *p = text, *end = text + len;
    int comment = 0, at_start = 1;   /* the line so far: a comment line; only blanks */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') { comment = 0; at_start = 1; continue; }
        if (at_start && c == '#') comment = 1;
        if (c != ' ' && c != '\t') at_start = 0;
        if (comment && c == '`') continue; /* a whole-line comment is never run */
        /* a backtick is refused anywhere but in a line that is all comment,
         * in strings too: gnuplot runs `...` inside double quotes as well */
        if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == '`') {
            for (const char *k = text; k < text + i; k++) w.line += *k == '\n';
            if (c == '`') return refuse(&w, "a command substitution", text + i, 1);
            ct_error_at(d, path, w.line, 0, "chart theme: a control byte (0x%02x) is not allowed", c);
            return CT_EINPUT;
        }
    }
    while (p < end && st == CT_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && (le[-1] == '\\' || (le - 1 > p && le[-1] == '\r' && le[-2] == '\\')))
            return refuse(&w, "a line continued with", "\\", 1);
        /* statements separated by ';' outside strings; '#' outside strings ends the line */
        const char *a = p, *k = p;
        char quote = 0;
        for (; k < le && st == CT_OK; k++) {
            if (quote) {
                if (quote == '"' && *k == '\\' && k + 1 < le) k++;
                else if (*k == quote) quote = 0;
                continue;
            }
            if (*k == '"' || *k == '\'') quote = *k;
            else if (*k == '#') break;
            else if (*k == ';') { st = check_statement(&w, a, k); a = k + 1; }
        }
        if (st == CT_OK) st = check_statement(&w, a, k);
        p = nl ? nl + 1 : end;
        w.line++;
    }
    return st;
}
