#include "ct_lang.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int ct_lang_parse(const char *s, ct_lang *out)
{
    if (s && !strcmp(s, "vi")) { *out = CT_LANG_VI; return 0; }
    if (s && !strcmp(s, "en")) { *out = CT_LANG_EN; return 0; }
    return -1;
}

const char *ct_lang_name(ct_lang lang) { return lang == CT_LANG_EN ? "en" : "vi"; }

char *ct_lang_number(ct_lang lang, double v, char *buf, size_t size)
{
    if (!size) return buf;
    if (!isfinite(v)) { snprintf(buf, size, "–"); return buf; }
    /* one rule: tenths; the integer part grouped by thousands */
    double r = round(fabs(v) * 10.0);
    int neg = v < 0 && r > 0;
    if (r >= 1e16) { /* past 1e15: four significant digits and an exponent, never digits cut by the buffer */
        snprintf(buf, size, "%.4g", v);
        for (char *c = buf; *c; c++)
            if (*c == '.') *c = lang == CT_LANG_EN ? '.' : ',';
        return buf;
    }
    long long tenths = (long long)r, whole = tenths / 10;
    int dec = (int)(tenths % 10);
    char digits[32], out[64];
    int nd = snprintf(digits, sizeof digits, "%lld", whole);
    const char *group = lang == CT_LANG_EN ? "," : ".";
    const char *point = lang == CT_LANG_EN ? "." : ",";
    size_t k = 0;
    if (neg) out[k++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) out[k++] = group[0];
        out[k++] = digits[i];
    }
    if (dec) {
        out[k++] = point[0];
        out[k++] = (char)('0' + dec);
    }
    out[k] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

static const char *const months_en[12] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

char *ct_lang_period(ct_lang lang, int year, int months, int sub, char *buf, size_t size)
{
    static const char *const roman[4] = {"I", "II", "III", "IV"};
    if (lang == CT_LANG_EN) {
        if (months == 6) snprintf(buf, size, "%s half of %d", sub ? "second" : "first", year);
        else if (months == 3 && sub >= 0 && sub < 4) snprintf(buf, size, "Q%d %d", sub + 1, year);
        else if (months == 1 && sub >= 0 && sub < 12) snprintf(buf, size, "%s %d", months_en[sub], year);
        else snprintf(buf, size, "%d", year);
    } else {
        if (months == 6) snprintf(buf, size, "6 tháng %s năm %d", sub ? "cuối" : "đầu", year);
        else if (months == 3 && sub >= 0 && sub < 4) snprintf(buf, size, "quý %s/%d", roman[sub], year);
        else if (months == 1 && sub >= 0 && sub < 12) snprintf(buf, size, "tháng %d/%d", sub + 1, year);
        else snprintf(buf, size, "năm %d", year);
    }
    return buf;
}

char *ct_lang_date(ct_lang lang, int year, int month, int day, char *buf, size_t size)
{
    if (month < 1 || month > 12) month = 1;
    if (lang == CT_LANG_EN) snprintf(buf, size, "%d %s %d", day, months_en[month - 1], year);
    else snprintf(buf, size, "ngày %d tháng %d năm %d", day, month, year);
    return buf;
}

const char *ct_lang_level(ct_lang lang, const char *level)
{
    static const char *const vi[][2] = {{"commune", "xã"}, {"district", "huyện"}, {"province", "tỉnh"},
                                        {"national", "toàn quốc"}};
    if (!level || lang == CT_LANG_EN) return level ? level : "";
    for (size_t i = 0; i < sizeof vi / sizeof *vi; i++)
        if (!strcmp(level, vi[i][0])) return vi[i][1];
    return level;
}

#define CT_MSG_EN(id, en, vi) [CT_M_##id] = en,
#define CT_MSG_VI(id, en, vi) [CT_M_##id] = vi,
#define CT_MSG_NAME(id, en, vi) [CT_M_##id] = #id,
static const char *const msg_en[CT_M_COUNT] = {CT_MESSAGES(CT_MSG_EN)};
static const char *const msg_vi[CT_M_COUNT] = {CT_MESSAGES(CT_MSG_VI)};
static const char *const msg_names[CT_M_COUNT] = {CT_MESSAGES(CT_MSG_NAME)};

const char *ct_msg(ct_lang lang, ct_msg_id id)
{
    if ((unsigned)id >= CT_M_COUNT) return "";
    const char *s = lang == CT_LANG_EN ? msg_en[id] : msg_vi[id];
    return s ? s : "";
}

const char *ct_msg_name(ct_msg_id id) { return (unsigned)id < CT_M_COUNT ? msg_names[id] : ""; }
