/* build: a scenario and one of its designs -> the equilibrium problem (docs/model.md §2).
 * For each jurisdiction j: one column per MAC piece (abatement), and the compliance row
 *     sum_k a_jk + sum_{l into j} rate_l x_l - sum_{l out of j} x_l + sum_g m_jg >= e_j - A_j
 * whose dual is the price p_j. A link l = (i -> j) is a column x_l >= 0 in units of i, bounded by
 * quota / rate, plus a row rate x_l + s sum_k a_jk <= s e_j for a quota-share s. A group g is one
 * free column m_jg per member and one row sum_j m_jg = 0, so a group of n members adds n columns,
 * never n^2. */
#ifndef EL_BUILD_H
#define EL_BUILD_H

#include <stdbool.h>

#include "problem.h"
#include "scenario.h"

#define EL_AUTARKY (-1) /* design index meaning "no links at all" */

typedef struct {
    int njur, nlinks, ngroups;
    int *abate_first;     /* per jurisdiction: first abatement column */
    int *abate_count;     /* per jurisdiction: number of abatement columns (MAC pieces) */
    int *comply_row;      /* per jurisdiction: compliance row (its dual is the price) */
    int *short_col;       /* per jurisdiction: shortfall column in elastic mode, else -1 */
    int *link_col;        /* per link: transfer column (units of `from`) */
    int *link_share_row;  /* per link: quota-share row, or -1 */
    int *group_row;       /* per group: balance row (its dual is the group price) */
    int *group_first_col; /* per group: column of member k is group_first_col[g] + k */
} ElModelMap;

/** Build the problem of design d (or EL_AUTARKY). In elastic mode every abatement cost is 0 and
 * each compliance row gets a shortfall column of cost 1: minimising it measures how far each
 * jurisdiction is from compliance when the real problem is infeasible. Both outputs are owned by
 * the caller (el_problem_free, el_model_map_free); on failure both are NULL. */
el_status el_model_build(
    const ElScenario *s, int d, bool elastic, ElProblem **prob, ElModelMap **map, ElError *err);
void el_model_map_free(ElModelMap *m);

#endif
