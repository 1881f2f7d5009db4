/* equilibrium: the competitive equilibrium of each linkage design of a scenario, and the
 * quantities economists report (docs/model.md §3): prices, abatement, trade, costs, gains. */
#ifndef EL_EQUILIBRIUM_H
#define EL_EQUILIBRIUM_H

#include "qp.h"
#include "scenario.h"

/** Per jurisdiction. Units: Mt and currency per tonne; costs in millions of currency. */
typedef struct {
    double price;          /* p_j: dual of the compliance row */
    double abatement;      /* a_j */
    double emissions;      /* e_j - a_j */
    double net_imports;    /* tonnes credited from abroad minus units sent abroad */
    double abatement_cost; /* C_j(a_j) */
    double payments;       /* net payments abroad for units (receipts negative) */
    double national_cost;  /* abatement_cost + payments */
    double gain;           /* national cost in autarky - national cost here */
    double shortfall;      /* Mt missing for compliance when the design has no equilibrium */
} ElJurResult;

typedef struct {
    double units;    /* units of `from` transferred */
    double credited; /* tonnes credited in `to` (units x rate) */
    double rent;     /* quota rent, total: (rate p_to - p_from) units */
} ElLinkResult;

typedef struct {
    const char *id; /* borrowed from the scenario ("autarky" for the baseline) */
    int design;     /* index in the scenario, or EL_AUTARKY */
    ElOutcome outcome;
    int njur, nlinks;
    ElJurResult *jur;                           /* njur entries, owned */
    ElLinkResult *link;                         /* nlinks entries, owned */
    double abatement_cost, national_cost, gain; /* totals */
    ElQpInfo info;
} ElDesignResult;

/** Solve design d (or EL_AUTARKY) of s. If `baseline` (the autarky result) is given, gains are
 * computed against it, otherwise they are 0. A design without an equilibrium is EL_OK with
 * outcome EL_INFEASIBLE and each jurisdiction's shortfall filled in. r is filled by this call
 * and released with el_design_result_clear. */
el_status el_design_solve(
    const ElScenario *s, int d, const ElDesignResult *baseline, ElDesignResult *r, ElError *err);
void el_design_result_clear(ElDesignResult *r);

/** Every design of a scenario, plus the autarky baseline every gain is measured against. */
typedef struct {
    const ElScenario *scenario; /* borrowed; must outlive the run */
    ElDesignResult autarky;
    ElDesignResult *designs; /* scenario->ndesigns entries */
    int ndesigns;
} ElRun;

/** Solve all designs. A design (or the autarky baseline) without an equilibrium is
 * EL_ERR_NO_EQUILIBRIUM; the message names the design, each short jurisdiction and its
 * shortfall in Mt. *out is owned by the caller (el_run_free). */
el_status el_run_solve(ElRun **out, const ElScenario *s, ElError *err);
void el_run_free(ElRun *run);

#endif
