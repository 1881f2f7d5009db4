/* build: a scenario and one of its designs -> the equilibrium problem (docs/model.md §2).
 * For each jurisdiction j: one column per MAC piece (abatement), and the compliance row
 *     sum_k a_jk + sum_{l into j} rate_l x_l - sum_{l out of j} x_l + sum_g m_jg
 *       + sum_pools discount o_pj + ceiling s_j + penalty n_j + tax t_j - floor w_j
 *       + project credits >= e_j - A_j
 * whose dual is the price p_j. A link l = (i -> j) is a column x_l >= 0 in units of i, bounded by
 * quota / rate, plus a row for a quota-share. A group g is one free column m_jg per member and
 * one row sum_j m_jg = 0, so a group of n members adds n columns, never n^2. An offset pool is a
 * supply curve (columns like a MAC) and a balance row whose dual is the credit price. A joint
 * project is a binary column and one credit column per member. An import limit is one row over
 * the tonnes its jurisdiction has credited from the sources it counts; a group member's purchases
 * enter it through a column u_jg >= max(m_jg, 0) (a row m_jg - u_jg <= 0), its import part. */
#ifndef EL_BUILD_H
#define EL_BUILD_H

#include <stdbool.h>

#include "data.h"
#include "problem.h"

/** An offset acceptance in force in the design (scenario-level or the design's own). */
typedef struct {
    ElAccept spec; /* as in force (limits varied) */
    int col;       /* credits surrendered, o_pj */
    int share_row; /* limit-share row, or -1 */
} ElAcceptMap;

typedef struct {
    bool named; /* rows and columns have names (EL_BUILD_NAMES) */
    int *block; /* the one allocation every index array below lives in */
    int njur, nlinks, ngroups, npools, naccepts, nexport_caps, nprojects, nimport_limits;
    int *abate_first; /* per jurisdiction: first abatement column */
    int *abate_count; /* per jurisdiction: number of abatement columns (MAC pieces) */
    int *comply_row;  /* per jurisdiction: compliance row (its dual is the price) */
    int *short_col;   /* per jurisdiction: shortfall column in elastic mode, else -1 */
    int *instr_col[EL_INSTR_KINDS]; /* per jurisdiction: floor, ceiling, penalty column or -1 */
    int *tax_col;           /* per jurisdiction: taxed-emissions column of a tax regime, or -1 */
    int *credit_row;        /* per jurisdiction: credit-limit row of a tax regime, or -1 */
    int *link_col;          /* per link: transfer column (units of `from`) */
    int *link_share_row;    /* per link: quota-share row, or -1 */
    int *group_row;         /* per group: balance row (its dual is the group price) */
    int *group_first_col;   /* per group: column of member k is group_first_col[g] + k */
    int *pool_row;          /* per pool: balance row (dual = credit price), or -1 if unused */
    int *pool_first_col;    /* per pool: first supply column */
    int *pool_count;        /* per pool: number of supply columns */
    ElAcceptMap *accepts;   /* naccepts acceptances in force */
    int *export_row;        /* per export cap of the design */
    int *project_col;       /* per project: the build decision (binary) */
    int *project_first_col; /* per project: credit column of member k is first + k */
    int *import_row;        /* per import limit of the design: its row (dual <= 0: minus the rent
                               per tonne credited) */
    int *import_group_col;  /* per group member (group 0's members, then group 1's, ...): the
                               column u_jg >= max(m_jg, 0) counted by import limits, or -1 */
} ElModelMap;

#define EL_BUILD_ELASTIC 1u /* see below */
#define EL_BUILD_NAMES   2u /* name rows and columns (comply_0, abate_0_1, ...) for LP export */

/** Build the problem of the data in force md (model/data.h: a design, or the baseline, with its
 * variations). flags: EL_BUILD_ELASTIC, EL_BUILD_NAMES (0 for neither; `true` is elastic).
 * In elastic mode every cost is 0, decisions are relaxed to [0, 1], and each compliance row
 * gets a shortfall column of cost 1: minimising it measures how far each jurisdiction is from
 * compliance when the real problem is infeasible. Without names, rows and columns have NULL
 * names. Both outputs are owned by the caller (el_problem_free, el_model_map_free); on failure
 * both are NULL. */
el_status el_model_build(
    const ElModelData *md, unsigned flags, ElProblem **prob, ElModelMap **map, ElError *err);
/** The same into p, which is emptied first and keeps its capacity (a workspace's problem). On
 * failure p is left empty and *map NULL. */
el_status el_model_build_into(
    const ElModelData *md, unsigned flags, ElProblem *p, ElModelMap **map, ElError *err);
void el_model_map_free(ElModelMap *m);

#endif
