/* memfd_create */
#define _GNU_SOURCE 1
#include "ct_dhis2_read.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "ct_csv.h"

/* ---- JSON, one data value at a time ---- */

typedef struct {
    gzFile gz;
    unsigned char buf[1 << 16];
    int n, pos, eof, failed;
    int line, col;
    int capturing;
    char *cap;               /* the value being captured */
    size_t cap_len, cap_size;
} jreader;

static int jr_fill(jreader *r)
{
    if (r->pos < r->n) return 1;
    if (r->eof) return 0;
    r->n = gzread(r->gz, r->buf, sizeof r->buf);
    r->pos = 0;
    if (r->n <= 0) {
        if (r->n < 0) r->failed = 1;
        r->n = 0;
        r->eof = 1;
        return 0;
    }
    return 1;
}

static int jr_peek(jreader *r) { return jr_fill(r) ? r->buf[r->pos] : EOF; }

static int jr_get(jreader *r)
{
    if (!jr_fill(r)) return EOF;
    int c = r->buf[r->pos++];
    if (c == '\n') { r->line++; r->col = 0; }
    else r->col++;
    if (r->capturing) {
        if (r->cap_len + 2 > r->cap_size) {
            size_t size = r->cap_size ? r->cap_size * 2 : 4096;
            char *p = realloc(r->cap, size);
            if (!p) { r->failed = 2; return EOF; }
            r->cap = p;
            r->cap_size = size;
        }
        r->cap[r->cap_len++] = (char)c;
        r->cap[r->cap_len] = '\0';
    }
    return c;
}

static void jr_space(jreader *r)
{
    int c;
    while ((c = jr_peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r') jr_get(r);
}

/* Reads one JSON value, kept in r->cap when capture. Returns 0, or -1 at
 * the end of the file. Its syntax is checked by jansson when captured. */
static int jr_value(jreader *r, int capture)
{
    r->capturing = capture;
    r->cap_len = 0;
    int c = jr_get(r), rc = 0;
    if (c == EOF) rc = -1;
    else if (c == '"') {
        while ((c = jr_get(r)) != EOF && c != '"')
            if (c == '\\' && jr_get(r) == EOF) break;
        if (c == EOF) rc = -1;
    } else if (c == '{' || c == '[') {
        int depth = 1, in_str = 0;
        while (depth > 0 && (c = jr_get(r)) != EOF) {
            if (in_str) {
                if (c == '\\') jr_get(r);
                else if (c == '"') in_str = 0;
            } else if (c == '"') in_str = 1;
            else if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') depth--;
        }
        if (depth > 0) rc = -1;
    } else {
        while ((c = jr_peek(r)) != EOF && !strchr(",]} \t\r\n", c)) jr_get(r);
    }
    r->capturing = 0;
    return rc;
}

/* A JSON value as text: strings as they are, numbers as DHIS2 wrote them
 * (the shortest form that reads back the same: 0.1, not 0.10000000000000001),
 * booleans as true/false. */
static const char *json_text(json_t *o, const char *key, char *buf, size_t size)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) { snprintf(buf, size, "%lld", (long long)json_integer_value(v)); return buf; }
    if (json_is_real(v)) {
        double x = json_real_value(v);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, size, "%.*g", prec, x);
            if (strtod(buf, NULL) == x) break;
        }
        return buf;
    }
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    return NULL;
}

static int json_deleted(json_t *dv)
{
    json_t *v = json_object_get(dv, "deleted");
    return json_is_true(v) || (json_is_string(v) && !strcasecmp(json_string_value(v), "true"));
}

typedef struct {
    char *period, *ou, *aoc;
    int aoc_null;
} set_fields;

static void jr_error(const char *path, const jreader *r, ct_diags *d, const char *what)
{
    ct_error_at(d, path, r->line, r->col, "%s", what);
}

/* Pass 1 reads the set's own fields (period, orgUnit, attributeOptionCombo,
 * wherever they stand) and skips the data values; pass 2 places the values. */
static ct_status json_pass(ct_dhis2_import *im, const char *path, jreader *r, int pass, set_fields *set, ct_diags *d)
{
    jr_space(r);
    if (jr_get(r) != '{') { jr_error(path, r, d, "not a DHIS2 dataValueSet (a JSON object {\"dataValues\": [...]})"); return CT_EINPUT; }
    int seen = 0;
    for (;;) {
        jr_space(r);
        if (jr_peek(r) == '}') { jr_get(r); break; }
        if (jr_peek(r) != '"' || jr_value(r, 1) != 0) { jr_error(path, r, d, "expected a key in quotes"); return CT_EINPUT; }
        json_t *key = json_loadb(r->cap, r->cap_len, JSON_DECODE_ANY, NULL);
        char name[32] = "";
        if (json_is_string(key)) snprintf(name, sizeof name, "%s", json_string_value(key));
        json_decref(key);
        jr_space(r);
        if (jr_get(r) != ':') { jr_error(path, r, d, "expected ':'"); return CT_EINPUT; }
        jr_space(r);
        if (!strcmp(name, "dataValues")) {
            seen = 1;
            if (jr_peek(r) != '[') { jr_error(path, r, d, "\"dataValues\" is not an array"); return CT_EINPUT; }
            if (pass == 1) {
                if (jr_value(r, 0) != 0) { jr_error(path, r, d, "the dataValues array does not end"); return CT_EINPUT; }
            } else {
                jr_get(r);
                for (long i = 0;; i++) {
                    jr_space(r);
                    if (i == 0 && jr_peek(r) == ']') { jr_get(r); break; }
                    int line0 = r->line, col0 = r->col;
                    if (jr_value(r, 1) != 0) { jr_error(path, r, d, "the dataValues array does not end"); return CT_EINPUT; }
                    if (r->failed == 2) return CT_ENOMEM;
                    json_error_t err;
                    json_t *dv = json_loadb(r->cap, r->cap_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
                    if (!dv) {
                        ct_error_at(d, path, line0 + err.line - 1, err.line > 1 ? err.column : col0 + err.column, "%s",
                                    err.text);
                        return CT_EINPUT;
                    }
                    ct_dhis2_raw v = {0};
                    ct_status st = CT_OK;
                    if (!json_is_object(dv)) {
                        im->n_read++;
                        ct_dhis2_unplaced(im, d, CT_DHIS2_VALUE, path, 0, i, &v, "not a data value (an object)");
                    } else {
                        char b[6][64];
                        v.de = json_text(dv, "dataElement", b[0], sizeof b[0]);
                        v.period = json_text(dv, "period", b[1], sizeof b[1]);
                        v.ou = json_text(dv, "orgUnit", b[2], sizeof b[2]);
                        v.coc = json_text(dv, "categoryOptionCombo", b[3], sizeof b[3]);
                        v.aoc = json_text(dv, "attributeOptionCombo", b[4], sizeof b[4]);
                        v.value = json_text(dv, "value", b[5], sizeof b[5]);
                        v.coc_null = json_is_null(json_object_get(dv, "categoryOptionCombo"));
                        v.aoc_null = json_is_null(json_object_get(dv, "attributeOptionCombo"));
                        v.deleted = json_deleted(dv);
                        if (!v.period) v.period = set->period;
                        if (!v.ou) v.ou = set->ou;
                        if (!v.aoc && !v.aoc_null) { v.aoc = set->aoc; v.aoc_null = set->aoc_null; }
                        st = ct_dhis2_place(im, d, path, 0, i, &v);
                    }
                    json_decref(dv);
                    if (st != CT_OK) return st;
                    jr_space(r);
                    int c = jr_get(r);
                    if (c == ']') break;
                    if (c != ',') { jr_error(path, r, d, "expected ',' or ']' after a data value"); return CT_EINPUT; }
                }
            }
        } else {
            if (jr_value(r, 1) != 0) { jr_error(path, r, d, "the file ends inside a value"); return CT_EINPUT; }
            if (r->failed == 2) return CT_ENOMEM;
            char **slot = !strcmp(name, "period") ? &set->period : !strcmp(name, "orgUnit") ? &set->ou
                          : !strcmp(name, "attributeOptionCombo") ? &set->aoc : NULL;
            if (pass == 1 && slot) {
                json_t *v = json_loadb(r->cap, r->cap_len, JSON_DECODE_ANY, NULL);
                if (json_is_string(v)) { free(*slot); *slot = strdup(json_string_value(v)); }
                if (json_is_null(v) && slot == &set->aoc) set->aoc_null = 1;
                json_decref(v);
            }
        }
        jr_space(r);
        int c = jr_get(r);
        if (c == '}') break;
        if (c != ',') { jr_error(path, r, d, "expected ',' or '}'"); return CT_EINPUT; }
    }
    if (r->failed == 1) { ct_error_at(d, path, 0, 0, "%s", "cannot be read (a broken gzip stream?)"); return CT_EIO; }
    if (!seen) { ct_error_at(d, path, 0, 0, "%s", "no \"dataValues\" array (expected a DHIS2 dataValueSet)"); return CT_EINPUT; }
    return CT_OK;
}

static ct_status read_json_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    jreader *r = calloc(1, sizeof *r);
    if (!r) return CT_ENOMEM;
    set_fields set = {0};
    ct_status st = CT_OK;
    for (int pass = 1; st == CT_OK && pass <= 2; pass++) {
        r->gz = gzopen(path, "rb");
        if (!r->gz) { ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno)); st = CT_EIO; break; }
        gzbuffer(r->gz, 1 << 17);
        r->n = r->pos = r->eof = r->failed = 0;
        r->line = 1;
        r->col = 0;
        st = json_pass(im, path, r, pass, &set, d);
        gzclose(r->gz);
    }
    free(r->cap);
    free(r);
    free(set.period);
    free(set.ou);
    free(set.aoc);
    return st;
}

/* ---- CSV ---- */

/* DHIS2's CSV: dataelement,period,orgunit,catoptcombo,attroptcombo,value,
 * storedby,lastupdated,comment,followup[,deleted]; a header row is optional
 * and, when present, names the columns in any order (catoptcombo and
 * attroptcombo may be left out: the default). A header is a first row where
 * at least two cells are DHIS2's column names; a first column whose name is
 * none of them is the data element (DHIS2's own files have "dataelelement"). */
static ct_status read_csv_values(ct_dhis2_import *im, const char *path, const char *open_path, ct_diags *d)
{
    ct_csv r;
    ct_status st = ct_csv_open(&r, open_path, d);
    if (st != CT_OK) return st;
    r.path = path;
    r.pad_quotes = 1;
    enum { DE, PE, OU, COC, AOC, VAL, DEL, NCOL };
    int col[NCOL] = {0, 1, 2, 3, 4, 5, 10};
    static const char *const names[NCOL][2] = {
        {"dataelement", "de"}, {"period", "pe"}, {"orgunit", "ou"},
        {"catoptcombo", "categoryoptioncombo"}, {"attroptcombo", "attributeoptioncombo"}, {"value", "value"},
        {"deleted", "deleted"}};
    static const char *const other[] = {"storedby", "lastupdated", "timestamp", "created", "comment", "followup"};
    ct_field f[32];
    char *row = NULL;
    size_t row_size = 0;
    int n, first = 1;
    while (st == CT_OK && (n = ct_csv_next(&r, f, 32, d)) != 0) {
        if (n < 0) continue;
        int nc = n < 32 ? n : 32;
        /* the row's cells, trimmed and NUL-terminated, in one scratch buffer */
        size_t need = 0;
        for (int k = 0; k < nc; k++) need += f[k].len + 1;
        if (need > row_size) {
            char *p = realloc(row, need + 256);
            if (!p) { st = CT_ENOMEM; break; }
            row = p;
            row_size = need + 256;
        }
        char *cells[32], *at = row;
        for (int k = 0; k < nc; k++) {
            ct_field t = ct_field_trim(f[k]);
            memcpy(at, t.ptr, t.len);
            at[t.len] = '\0';
            cells[k] = at;
            at += t.len + 1;
        }
        if (first) {
            first = 0;
            int hits = 0, hdr[NCOL];
            for (int c = 0; c < NCOL; c++) {
                hdr[c] = -1;
                for (int k = 0; k < nc; k++)
                    if (!strcasecmp(cells[k], names[c][0]) || !strcasecmp(cells[k], names[c][1])) hdr[c] = k;
                hits += hdr[c] >= 0;
            }
            for (size_t o = 0; o < sizeof other / sizeof *other; o++)
                for (int k = 0; k < nc; k++) hits += !strcasecmp(cells[k], other[o]);
            if (hits >= 2) {
                if (hdr[DE] < 0 && hdr[PE] != 0 && hdr[OU] != 0 && hdr[VAL] != 0) hdr[DE] = 0;
                static const int required[] = {DE, PE, OU, VAL};
                for (int q = 0; q < 4; q++)
                    if (hdr[required[q]] < 0) {
                        ct_error_at(d, path, r.row_line, 0, "the header has no column '%s'", names[required[q]][0]);
                        st = CT_EINPUT;
                    }
                memcpy(col, hdr, sizeof col);
                continue;
            }
        }
        int needed = 0;
        for (int c = 0; c < VAL + 1; c++) if (col[c] + 1 > needed && (c != COC && c != AOC)) needed = col[c] + 1;
        ct_dhis2_raw v = {0};
        if (n < needed) {
            char what[160];
            snprintf(what, sizeof what, "expected at least %d fields (dataelement,period,orgunit,catoptcombo,attroptcombo,value), found %d",
                     needed, n);
            im->n_read++;
            ct_dhis2_unplaced(im, d, CT_DHIS2_VALUE, path, r.row_line, 0, &v, what);
            continue;
        }
        const char **slot[NCOL - 1] = {&v.de, &v.period, &v.ou, &v.coc, &v.aoc, &v.value};
        for (int c = 0; c < NCOL - 1; c++) *slot[c] = col[c] >= 0 && col[c] < nc ? cells[col[c]] : NULL;
        v.deleted = col[DEL] >= 0 && col[DEL] < nc && !strcasecmp(cells[col[DEL]], "true");
        st = ct_dhis2_place(im, d, path, r.row_line, 0, &v);
    }
    free(row);
    ct_csv_close(&r);
    return st;
}

/* ---- XML ---- */

static char *xml_attr(xmlTextReaderPtr x, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(x, (const xmlChar *)name);
}

static ct_status read_xml_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    xmlTextReaderPtr x = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!x) { ct_error_at(d, path, 0, 0, "%s", "cannot be read as XML"); return CT_EINPUT; }
    char *set[3] = {NULL, NULL, NULL};
    static const char *const set_names[3] = {"period", "orgUnit", "attributeOptionCombo"};
    static const char *const names[7] = {"dataElement", "period", "orgUnit", "categoryOptionCombo",
                                         "attributeOptionCombo", "value", "deleted"};
    ct_status st = CT_OK;
    long index = 0;
    int rc, seen_set = 0;
    while (st == CT_OK && (rc = xmlTextReaderRead(x)) == 1) {
        if (xmlTextReaderNodeType(x) != XML_READER_TYPE_ELEMENT) continue;
        const char *el = (const char *)xmlTextReaderConstLocalName(x);
        if (!strcmp(el, "dataValueSet")) {
            seen_set = 1;
            for (int k = 0; k < 3; k++) { free(set[k]); set[k] = xml_attr(x, set_names[k]); }
            continue;
        }
        if (strcmp(el, "dataValue")) continue;
        char *a[7];
        for (int k = 0; k < 7; k++) a[k] = xml_attr(x, names[k]);
        ct_dhis2_raw v = {a[0], a[1] ? a[1] : set[0], a[2] ? a[2] : set[1], a[3], a[4] ? a[4] : set[2], a[5],
                          a[6] && !strcasecmp(a[6], "true"), 0, 0};
        /* a value may be written as a child element <value>...</value> */
        char *child = NULL;
        if (!a[5] && !xmlTextReaderIsEmptyElement(x)) {
            int depth = xmlTextReaderDepth(x);
            while (xmlTextReaderRead(x) == 1 && xmlTextReaderDepth(x) > depth) {
                if (xmlTextReaderNodeType(x) == XML_READER_TYPE_ELEMENT &&
                    !strcmp((const char *)xmlTextReaderConstLocalName(x), "value")) {
                    child = (char *)xmlTextReaderReadString(x);
                    break;
                }
            }
            v.value = child;
        }
        int line = xmlTextReaderGetParserLineNumber(x);
        (void)line;
        st = ct_dhis2_place(im, d, path, 0, index++, &v);
        for (int k = 0; k < 7; k++) xmlFree(a[k]);
        xmlFree(child);
    }
    if (st == CT_OK && rc < 0) {
        ct_error_at(d, path, xmlTextReaderGetParserLineNumber(x), 0, "%s", "not well-formed XML");
        st = CT_EINPUT;
    } else if (st == CT_OK && !seen_set) {
        ct_error_at(d, path, 0, 0, "%s", "no <dataValueSet> element (expected a DHIS2 dataValueSet)");
        st = CT_EINPUT;
    }
    for (int k = 0; k < 3; k++) xmlFree(set[k]);
    xmlFreeTextReader(x);
    return st;
}

/* ---- which kind of file ---- */

/* A gzip-compressed CSV: its text into an anonymous file, read like any. */
static ct_status read_gz_csv(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    int fd = memfd_create("chitieu-dhis2", MFD_CLOEXEC);
    if (fd < 0) { ct_error_at(d, path, 0, 0, "cannot decompress: %s", strerror(errno)); return CT_EIO; }
    gzFile gz = gzopen(path, "rb");
    ct_status st = CT_OK;
    if (!gz) st = CT_EIO;
    char buf[1 << 16];
    int n;
    while (st == CT_OK && (n = gzread(gz, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n) st = CT_EIO;
    if (st == CT_OK && n < 0) st = CT_EIO;
    if (gz) gzclose(gz);
    if (st != CT_OK) ct_error_at(d, path, 0, 0, "%s", "cannot be decompressed (a broken gzip file?)");
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    if (st == CT_OK) st = read_csv_values(im, path, fdpath, d);
    close(fd);
    return st;
}

static ct_status read_values(ct_dhis2_import *im, const char *path, ct_diags *d);

ct_status ct_dhis2_read_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    size_t before = im->n_read;
    ct_status st = read_values(im, path, d);
    /* an empty download (DHIS2 answers a query that matches nothing with an empty body) is said */
    if (st == CT_OK && im->n_read == before) ct_warn_at(d, path, 0, 0, "%s", "holds no data values");
    return st;
}

static ct_status read_values(ct_dhis2_import *im, const char *path, ct_diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_csv r; /* let the CSV reader say why */
        return ct_csv_open(&r, path, d);
    }
    unsigned char magic[2] = {0, 0};
    int gz = fread(magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    fclose(f);
    gzFile g = gzopen(path, "rb");
    if (!g) { ct_error_at(d, path, 0, 0, "cannot open: %s", strerror(errno)); return CT_EIO; }
    int c;
    while ((c = gzgetc(g)) != -1 && (isspace(c) || c == 0xEF || c == 0xBB || c == 0xBF)) {}
    gzclose(g);
    if (c == '{') return read_json_values(im, path, d);
    if (c == '[') {
        ct_error_at(d, path, 0, 0, "%s", "a JSON array: expected a DHIS2 dataValueSet object {\"dataValues\": [...]}");
        return CT_EINPUT;
    }
    if (c == '<') return read_xml_values(im, path, d);
    return gz ? read_gz_csv(im, path, d) : read_csv_values(im, path, path, d);
}
