#include "ct_period.h"

#include <string.h>

static const int per_year[CT_PT_COUNT] = {1, 2, 4, 12};

int ct_ptype_per_year(ct_ptype t) { return per_year[t]; }

const char *ct_ptype_name(ct_ptype t)
{
    static const char *names[CT_PT_COUNT] = {"year", "half-year", "quarter", "month"};
    return names[t];
}

int ct_ptype_parse(const char *s, ct_ptype *out)
{
    for (int t = 0; t < CT_PT_COUNT; t++) {
        if (strcmp(s, ct_ptype_name((ct_ptype)t)) == 0) { *out = (ct_ptype)t; return 0; }
    }
    if (strcmp(s, "half") == 0 || strcmp(s, "halfyear") == 0) { *out = CT_PT_HALF; return 0; }
    return -1;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

int ct_period_parse(const char *s, size_t len, ct_period *out)
{
    if (len < 4 || !digits(s, 4)) return -1;
    int year = num(s, 4);
    if (year < 1900 || year > 2200) return -1;
    ct_period p = {(short)year, CT_PT_YEAR, 0};
    if (len == 4) { *out = p; return 0; }
    if (len == 6 && (s[4] == 'S' || s[4] == 'Q') && digits(s + 5, 1)) {
        int k = s[5] - '0';
        int max = s[4] == 'S' ? 2 : 4;
        if (k < 1 || k > max) return -1;
        p.type = s[4] == 'S' ? CT_PT_HALF : CT_PT_QUARTER;
        p.sub = (unsigned char)(k - 1);
    } else if ((len == 7 && s[4] == '-' && digits(s + 5, 2)) || (len == 6 && digits(s + 4, 2))) {
        int m = num(s + len - 2, 2);
        if (m < 1 || m > 12) return -1;
        p.type = CT_PT_MONTH;
        p.sub = (unsigned char)(m - 1);
    } else {
        return -1;
    }
    *out = p;
    return 0;
}

size_t ct_period_format(ct_period p, char buf[CT_PERIOD_BUF])
{
    int y = p.year;
    char *b = buf;
    b[0] = (char)('0' + y / 1000 % 10);
    b[1] = (char)('0' + y / 100 % 10);
    b[2] = (char)('0' + y / 10 % 10);
    b[3] = (char)('0' + y % 10);
    size_t n = 4;
    switch ((ct_ptype)p.type) {
    case CT_PT_YEAR: break;
    case CT_PT_HALF: b[4] = 'S'; b[5] = (char)('1' + p.sub); n = 6; break;
    case CT_PT_QUARTER: b[4] = 'Q'; b[5] = (char)('1' + p.sub); n = 6; break;
    case CT_PT_MONTH:
        b[4] = '-';
        b[5] = (char)('0' + (p.sub + 1) / 10);
        b[6] = (char)('0' + (p.sub + 1) % 10);
        n = 7;
        break;
    }
    b[n] = '\0';
    return n;
}

int ct_period_first_month(ct_period p)
{
    return p.year * 12 + p.sub * (12 / per_year[p.type]);
}

int ct_period_last_month(ct_period p)
{
    return ct_period_first_month(p) + 12 / per_year[p.type] - 1;
}

int ct_period_index(ct_period p, int year0)
{
    return (p.year - year0) * per_year[p.type] + p.sub;
}

ct_period ct_period_from_index(ct_ptype t, int year0, int index)
{
    int n = per_year[t];
    int y = year0 + (index >= 0 ? index / n : -((-index + n - 1) / n));
    ct_period p = {(short)y, (unsigned char)t, (unsigned char)(index - (y - year0) * n)};
    return p;
}

ct_period ct_period_prev(ct_period p)
{
    if (p.sub > 0) { p.sub--; return p; }
    p.year--;
    p.sub = (unsigned char)(per_year[p.type] - 1);
    return p;
}

int ct_period_cmp(ct_period a, ct_period b)
{
    int fa = ct_period_first_month(a), fb = ct_period_first_month(b);
    if (fa != fb) return fa < fb ? -1 : 1;
    return (int)a.type - (int)b.type;
}
