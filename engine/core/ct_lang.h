/* The language of the words chitieu prints for people: notes, findings,
 * statuses and report text. Vietnamese is the default; English on request.
 * Column names, status ids and error messages stay English. */
#ifndef CT_LANG_H
#define CT_LANG_H

typedef enum { CT_LANG_VI = 0, CT_LANG_EN = 1 } ct_lang;

/* Parses "vi" or "en"; returns 0, or -1 for anything else. */
int ct_lang_parse(const char *s, ct_lang *out);

/* "vi" or "en". */
const char *ct_lang_name(ct_lang lang);

/* Picks the text of a pair written in both languages. */
#define CT_TR(lang, en, vi) ((lang) == CT_LANG_EN ? (en) : (vi))

#endif
