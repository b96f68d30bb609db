#include "ct_kind.h"

#include <string.h>

static const char *const share_keys[] = {"of", "condition", "among", NULL};
static const char *const ratio_keys[] = {"numerator", "denominator", "scale", NULL};
static const char *const sum_keys[] = {"metric", NULL};
static const char *const transition_keys[] = {"of", "from", "to", "among", NULL};
static const char *const frequency_keys[] = {"metric", "per", "at_least", NULL};
static const char *const lua_keys[] = {"script", "function", "of", NULL};

/* Indexed by the enum: an entry out of place does not compile into the wrong kind. */
static const ct_kind_desc kinds[] = {
    [CT_KIND_SHARE] = {"share_of_units", share_keys, CT_PCT_ALWAYS, 1, 1, 0},
    [CT_KIND_COUNT] = {"count_of_units", share_keys, CT_PCT_NEVER, 1, 1, 0},
    [CT_KIND_RATIO] = {"ratio", ratio_keys, CT_PCT_SCALE, 0, 1, 0},
    [CT_KIND_SUM] = {"sum", sum_keys, CT_PCT_NEVER, 0, 1, 0},
    [CT_KIND_TRANSITION] = {"transition_rate", transition_keys, CT_PCT_ALWAYS, 1, 1, 0},
    [CT_KIND_FREQUENCY] = {"frequency", frequency_keys, CT_PCT_ALWAYS, 0, 1, 0},
    [CT_KIND_LUA] = {"lua", lua_keys, CT_PCT_UNIT, 0, 0, 1},
};

_Static_assert(sizeof kinds / sizeof *kinds == (size_t)CT_N_KINDS, "one descriptor per ct_kind, and CT_N_KINDS at the last kind");

const ct_kind_desc *ct_kind_of(ct_kind k) { return &kinds[k]; }

int ct_kind_parse(const char *word, size_t len)
{
    for (int i = 0; i < CT_N_KINDS; i++)
        if (strlen(kinds[i].name) == len && memcmp(kinds[i].name, word, len) == 0) return i;
    return -1;
}
