#include "ct_lang.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A note as a person reads it (see ct_lang.h). */
char *ct_lang_note(ct_lang lang, const char *note, char *out, size_t size)
{
    size_t k = 0;
    if (size < 256) { snprintf(out, size, "%s", note ? note : ""); return out; }
    const char *p = note ? note : "";
    while (*p && k + 200 < size) {
        /* negative progress in words: "đạt -160.0% tiến độ kế hoạch" says the value moved away */
        const char *neg = lang == CT_LANG_EN ? "-" : "đạt -";
        const char *tail = lang == CT_LANG_EN ? "% of the planned progress" : "% tiến độ kế hoạch";
        if (!strncmp(p, neg, strlen(neg)) && (p == note || p[-1] == ' ')) {
            const char *q = p + strlen(neg);
            char *end;
            strtod(q, &end);
            if (end > q && !strncmp(end, tail, strlen(tail))) {
                k += (size_t)snprintf(out + k, size - k, "%s", ct_msg(lang, CT_M_NEG_PROGRESS));
                p = end + strlen(tail);
                continue;
            }
        }
        if (p[0] == ' ' && p[1] == '(') {   /* " (communes_transformed_pct)": an id, said already by the words */
            const char *q = p + 2;
            int under = 0;
            while (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_') under |= *q++ == '_';
            if (under && *q == ')') { p = q + 1; continue; }
        }
        if (!strncmp(p, "cấp ", strlen("cấp "))) {   /* "cấp district": a level by its name in the data */
            static const char *const levels[] = {"national", "province", "district", "commune"};
            const char *q = p + strlen("cấp ");
            int hit = 0;
            for (size_t i = 0; i < sizeof levels / sizeof *levels && !hit; i++) {
                size_t l = strlen(levels[i]);
                if (!strncmp(q, levels[i], l) && !isalnum((unsigned char)q[l])) {
                    k += (size_t)snprintf(out + k, size - k, "cấp %s", ct_lang_level(lang, levels[i]));
                    p = q + l;
                    hit = 1;
                }
            }
            if (hit) continue;
        }
        int start = p == note || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_');
        if (start && isdigit((unsigned char)*p)) {
            const char *q = p;
            while (isdigit((unsigned char)*q)) q++;
            /* a period code: 2025S1, 2025Q3 */
            if (q - p == 4 && (q[0] == 'S' || q[0] == 'Q') && q[1] >= '1' && q[1] <= (q[0] == 'S' ? '2' : '4') &&
                !isalnum((unsigned char)q[2])) {
                int y = atoi(p);
                k += strlen(ct_lang_period(lang, y, q[0] == 'S' ? 6 : 3, q[1] - '1', out + k, size - k));
                p = q + 2;
                continue;
            }
            if (q[0] == '.' && isdigit((unsigned char)q[1])) {
                char *end;
                double v = strtod(p, &end);
                if (!isalpha((unsigned char)*end)) {
                    k += strlen(ct_lang_number(lang, v, out + k, size - k));
                    p = end;
                    continue;
                }
            }
            memcpy(out + k, p, (size_t)(q - p));
            k += (size_t)(q - p);
            p = q;
            continue;
        }
        out[k++] = *p++;
    }
    /* a note longer than the room: the rest as it is, as far as it goes */
    snprintf(out + k, size - k, "%s", p);
    return out;
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
