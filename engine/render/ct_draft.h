/* A draft plan as YAML (`propose --format yaml`): the given plan's metrics
 * and indicators with a new baseline and horizon, a fresh id and title, and
 * each target set as planning proposed it, every target with a note saying
 * how. `chitieu check` reads it back. */
#ifndef CT_DRAFT_H
#define CT_DRAFT_H

#include "../load/ct_plan.h"
#include "../model/ct_series.h"
#include "ct_output.h"

typedef struct {
    const ct_indicator *ind;
    const char *unit;      /* NULL: the plan-wide target (the region's) */
    double value;          /* already rounded */
    char note[300];
} ct_draft_target;

/* Writes the draft of plan from..to with targets t[0..n) (in indicator order). */
void ct_draft_write(ct_out *o, const ct_plan *plan, int from, int to, const ct_draft_target *t, size_t n);

#endif
