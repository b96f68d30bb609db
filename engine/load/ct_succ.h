/* Reads successions.csv: how units passed into one another (period, from,
 * to, kind whole|part, weight). */
#ifndef CT_SUCC_H
#define CT_SUCC_H

#include "../core/ct_error.h"
#include "../model/ct_series.h"

/* Reads the links at path into s->links (units must be loaded), resolving
 * `from` among the units valid just before the period and `to` among those
 * valid from it. Refuses, with file:line: a bad period, kind or weight, an
 * unknown or invalid unit, a whole link beside another link of the same
 * unit, known part weights of one unit that do not add up to 1 (±0.001;
 * within it they are scaled to add up to exactly 1), a unit linked to
 * itself, a unit that passes on but stays valid at the link's period (or
 * whose successor ends before it), a unit that passes on twice. So every
 * link goes from a unit that ends to one that is valid later: ordered by
 * the end of their validity, latest first, successors come before their
 * predecessors, and carrying counts neither invents nor loses any.
 * Returns CT_OK, CT_EINPUT, CT_EIO or CT_ENOMEM. */
ct_status ct_succ_load(ct_series *s, const char *path, ct_diags *d);

#endif
