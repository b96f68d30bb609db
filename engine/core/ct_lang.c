#include "ct_lang.h"

#include <string.h>

int ct_lang_parse(const char *s, ct_lang *out)
{
    if (s && !strcmp(s, "vi")) { *out = CT_LANG_VI; return 0; }
    if (s && !strcmp(s, "en")) { *out = CT_LANG_EN; return 0; }
    return -1;
}

const char *ct_lang_name(ct_lang lang) { return lang == CT_LANG_EN ? "en" : "vi"; }
