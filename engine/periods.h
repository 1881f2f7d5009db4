/* periods: several years in one problem, with banking and borrowing (issue 13, docs/model.md
 * §10). The years' single-period problems (model/build.h; each year's data are the scenario's
 * with its <path> changes up to that year, and its design the links and groups in force that
 * year) are stacked into one separable convex QP whose costs are discounted to the first year;
 * a bank column n_tj per year and jurisdiction (the units it holds at the end of year t;
 * negative: borrowed from the next year's allocation) carries units from one year's compliance
 * row into the next's. The QP gives the bank path; a second QP fixes every real quantity
 * (abatement, instruments, offset supply) and picks, among the bank paths and trades that go
 * with them, the one of least sum n_tj^2 (the tie rule: inside a linked market only the market's
 * total bank is determined). Each year is then solved as a single period with its bank draw
 * n_(t-1)j - n_tj lowering its requirement, so that prices, tie rules, gains and every reported
 * figure follow the single-period conventions. */
#ifndef EL_PERIODS_H
#define EL_PERIODS_H

#include "equilibrium.h"

typedef struct {
    int nperiods, first; /* years first .. first + nperiods - 1 */
    int njur;
    ElOutcome outcome;    /* of the whole problem; the years' results only when EL_OPTIMAL */
    ElDesignResult *year; /* nperiods single-period results (design: the year's design) */
    ElDesign **designs;   /* nperiods: the designs in force each year (owned; NULL: baseline) */
    double *bank;         /* [t njur + j]: units held at the end of year t (Mt; < 0 borrowed) */
    double *discount;     /* [t]: (1 + r)^-(t - first) */
    double *pv_cost;      /* [j]: present value of national cost, first year's money, less the
                             terminal value of its final bank */
    double *pv_gain;      /* [j]: present value of the gain against the baseline */
    double pv_total_gain; /* sum over jurisdictions */
} ElMultiResult;

/** Solve design d (NULL: the baseline) of s (s->periods.on) over every year. baseline: the
 * baseline's result (NULL when solving the baseline itself). out is cleared first; release with
 * el_multi_result_clear. A problem without an equilibrium is a result (out->outcome), not an
 * error. */
el_status el_multi_solve(const ElScenario *s,
                         const ElDesign *d,
                         const ElMultiResult *baseline,
                         ElMultiResult *out,
                         ElError *err);
void el_multi_result_clear(ElMultiResult *r);

/** The design in force in `year`: d's links and groups whose start and until admit the year
 * (NULL for NULL). Owned by the caller (el_design_free). A year's data are the scenario's with
 * the <path> changes up to that year and then the design's own <set>s, which win. */
el_status el_design_in_year(const ElDesign *d, int year, ElDesign **out, ElError *err);

/** The changes of the jurisdictions' paths in force in `year`, into v (cleared first): every
 * path entry of a year up to `year`, in order, so that the latest wins. */
el_status el_path_variation(const ElScenario *s, int year, ElVariation *v, ElError *err);

#endif
