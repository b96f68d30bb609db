#include "ct_number.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int digit(char c) { return c >= '0' && c <= '9'; }

size_t ct_number_span(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    while (i < len && digit(s[i])) { i++; digits++; }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && digit(s[i])) { i++; digits++; }
    }
    if (digits == 0) return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t k = i + 1;
        if (k < len && (s[k] == '+' || s[k] == '-')) k++;
        if (k < len && digit(s[k])) {
            while (k < len && digit(s[k])) k++;
            i = k;
        }
    }
    return i;
}

ct_number_status ct_number_parse(const char *s, size_t len, double *out)
{
    if (len == 0 || ct_number_span(s, len) != len) return CT_NUM_SYNTAX;
    char small[64], *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf) return CT_NUM_SYNTAX;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    int range = errno == ERANGE;
    int nonzero = 0;   /* does the text have a nonzero digit before its exponent? */
    for (size_t i = 0; i < len && buf[i] != 'e' && buf[i] != 'E'; i++) nonzero |= buf[i] >= '1' && buf[i] <= '9';
    if (buf != small) free(buf);
    if (isinf(v)) return CT_NUM_HUGE;
    if (nonzero && (v == 0 || (range && fabs(v) < DBL_MIN))) return CT_NUM_TINY;
    *out = v;
    return CT_NUM_OK;
}

const char *ct_number_problem(ct_number_status st)
{
    switch (st) {
    case CT_NUM_OK: return "is a number";
    case CT_NUM_HUGE: return "is too large for a number (the limit is about 1.8e308)";
    case CT_NUM_TINY: return "is too close to zero for a number (below 2.2e-308); write 0 if zero is meant";
    default: return "is not a number";
    }
}
