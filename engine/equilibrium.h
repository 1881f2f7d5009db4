/* equilibrium: the competitive equilibrium of each linkage design of a scenario, and the
 * quantities economists report (docs/model.md §3): prices, abatement, trade, costs, gains. */
#ifndef EL_EQUILIBRIUM_H
#define EL_EQUILIBRIUM_H

#include <stdbool.h>

#include "qp.h"
#include "scenario.h"

/** Which instrument sets a jurisdiction's price at the margin. */
typedef enum {
    EL_BIND_NONE = 0, /* price 0: allowances to spare */
    EL_BIND_CAP,      /* the cap (through trade, the linked market) */
    EL_BIND_FLOOR,    /* allowances withheld at the floor */
    EL_BIND_CEILING,  /* extra allowances sold at the ceiling */
    EL_BIND_PENALTY,  /* emissions without units pay the penalty */
    EL_BIND_TAX       /* a carbon tax regime */
} ElBinding;

const char *el_binding_name(ElBinding b);

/** Per jurisdiction. Units: Mt and currency per tonne; costs in millions of currency. */
typedef struct {
    /* First the figures read most (statistics, summaries): in the leading 48 bytes, which a
     * batch's delivery fetches ahead from the core that solved them (engine/batch.c) */
    double price;           /* p_j: dual of the compliance row */
    double abatement;       /* a_j */
    double emissions;       /* e_j - a_j */
    double net_imports;     /* tonnes credited from links and groups minus units sent */
    double gain;            /* national cost in autarky - national cost here */
    double national_cost;   /* abatement + hosted offset supply + projects + payments */
    double offsets;         /* tonnes credited from offset pools */
    double project_credits; /* tonnes credited from joint projects */
    double withheld, released, penalised, taxed; /* Mt: floor, ceiling, penalty, tax volumes */
    ElBinding binding;
    double abatement_cost;  /* C_j(a_j) */
    double payments_abroad; /* for units, credits (and rents ceded) to other jurisdictions/ROW */
    double receipts_abroad; /* from other jurisdictions for units and credits */
    double payments;        /* payments_abroad - receipts_abroad */
    double unit_payments;   /* net payments for units on links and in groups */
    double credit_payments; /* payments for offset credits, domestic pools included */
    double project_cost;    /* share of joint projects' fixed and variable costs */
    double firms_cost;      /* covered firms' compliance cost (docs/model.md §3) */
    double gov_revenue;     /* auction, ceiling sales, penalties, tax, import rights */
    double offset_surplus;  /* receipts - supply cost of offset pools hosted here */
    double ndc_emissions;   /* emissions with corresponding adjustments */
    double ndc_margin;      /* NDC target - ndc_emissions (Mt); NaN: the jurisdiction has none */
    double import_rent;     /* its import limits' rent: sum of each limit's dual x its limit in
                               force (million; kept by its firms); NaN: no import limit */
    double shortfall;       /* Mt missing for compliance when the design has no equilibrium */
    double requirement;     /* ... then also: abatement the cap requires (e - A in force) */
    double max_abatement;   /* ... and where the MAC curve in force ends (Mt) */
} ElJurResult;

typedef struct {
    double units;      /* units of `from` transferred */
    double credited;   /* tonnes credited in `to` (units x rate) */
    double unit_price; /* paid per unit: p_from, or rate p_to when the seller keeps the rent */
    double rent;       /* quota rent, total: (rate p_to - p_from) units */
} ElLinkResult;

typedef struct {
    bool used;          /* some acceptance in force in the design */
    double price;       /* credit price: dual of the pool's balance row */
    double supplied;    /* Mt of credits */
    double supply_cost; /* area under the supply curve */
    double receipts;    /* paid by all acceptors */
} ElPoolResult;

typedef struct {
    int pool, jur;   /* indices in the scenario */
    double credits;  /* credits surrendered */
    double credited; /* tonnes credited (credits x discount) */
    double payment;  /* credits x credit price */
} ElAcceptResult;

typedef struct {
    bool built;
    double credits; /* Mt of credits used by the members */
    double cost;    /* fixed (if built) + variable cost */
} ElProjectResult;

typedef struct {
    const char *id;         /* borrowed from the design ("autarky" for the baseline) */
    const ElDesign *design; /* borrowed; NULL for the baseline */
    ElOutcome outcome;
    int njur, nlinks, npools, naccepts, nprojects;
    ElJurResult *jur;         /* njur entries, owned */
    ElLinkResult *link;       /* nlinks entries, owned */
    ElPoolResult *pool;       /* npools entries, owned */
    ElAcceptResult *accept;   /* naccepts entries, owned */
    ElProjectResult *project; /* nprojects entries, owned */
    double abatement_cost;    /* total */
    double total_cost;        /* real resource cost: abatement + offset supply + projects */
    double national_cost;     /* sum over jurisdictions */
    double row_surplus;       /* receipts - supply cost of pools hosted by the rest of the world */
    double gain;              /* sum of gains + change in ROW surplus = fall in total_cost */
    bool mip_checked;         /* decisions confirmed on the exact problem (§2.1) */
    bool mip_corrected;       /* ... which overruled the branch-and-cut choice */
    int fit_rounds;           /* re-solves with fitted curves resampled around the solution */
    /* allocated entries of the arrays (el_design_solve_into reuses them) */
    int cap_jur, cap_links, cap_pools, cap_accepts, cap_projects;
    bool fast_path; /* solved by the exact fast path (engine/fast.h), ties included */
    ElQpInfo info;
} ElDesignResult;

/** Solve design d (NULL: the baseline, autarky) of the finished scenario s, d having passed
 * el_design_check, with d's own sets and then the changes of v (may be NULL) applied
 * (model/data.h). If `baseline` (the autarky result under the same v) is given, gains are
 * computed against it, otherwise they are 0. A design without an equilibrium is EL_OK with
 * outcome EL_INFEASIBLE and each jurisdiction's shortfall filled in. r is filled by this call,
 * borrows d (and its id), and is released with el_design_result_clear. */
el_status el_design_solve(const ElScenario *s,
                          const ElDesign *d,
                          const ElVariation *v,
                          const ElDesignResult *baseline,
                          ElDesignResult *r,
                          ElError *err);
/** A reusable solve workspace: the data in force and the fast path's buffers, grown to the
 * largest design seen and kept. One per thread (not shared); every solve starts cold, so results
 * never depend on what the workspace solved before. */
typedef struct ElSolveWork ElSolveWork;
el_status el_solve_work_create(ElSolveWork **out, ElError *err);
void el_solve_work_free(ElSolveWork *w);
/** el_design_solve into r, keeping r's arrays where they are large enough: r must be zeroed
 * before its first use and hold only results of this function (a batch slot). Release with
 * el_design_result_clear. */
el_status el_design_solve_into(ElSolveWork *w,
                               const ElScenario *s,
                               const ElDesign *d,
                               const ElVariation *v,
                               const ElDesignResult *baseline,
                               ElDesignResult *r,
                               ElError *err);
/** el_design_solve with a workspace (NULL: a temporary one). */
el_status el_design_solve_ws(ElSolveWork *w,
                             const ElScenario *s,
                             const ElDesign *d,
                             const ElVariation *v,
                             const ElDesignResult *baseline,
                             ElDesignResult *r,
                             ElError *err);
void el_design_result_clear(ElDesignResult *r);
/** Deep copy of a result (the borrowed id and design stay borrowed). */
el_status el_design_result_copy(ElDesignResult *to, const ElDesignResult *from, ElError *err);
/** to (a result or zeroed) becomes a copy of from, keeping to's arrays where their capacity
 * suffices (no allocation in a loop that copies results of one shape). */
el_status el_design_result_assign(ElDesignResult *to, const ElDesignResult *from, ElError *err);
/** Every figure of r zeroed, its arrays and their capacities kept for its next use. */
void el_design_result_empty(ElDesignResult *r);
/** EL_OK if the baseline r has an equilibrium; otherwise EL_ERR_NO_EQUILIBRIUM with a message
 * naming each short jurisdiction and its shortfall in Mt: no gain can be measured. */
el_status el_baseline_check(const ElScenario *s, const ElDesignResult *r, ElError *err);

/** Every design of a scenario, plus the autarky baseline every gain is measured against. */
typedef struct {
    const ElScenario *scenario; /* borrowed; must outlive the run */
    ElDesignResult autarky;
    ElDesignResult *designs; /* scenario->ndesigns entries */
    int ndesigns;
} ElRun;

/** Solve the autarky baseline and every design (engine/batch.h, one thread). Without an equilibrium
 * in autarky no gain can be measured: EL_ERR_NO_EQUILIBRIUM, with a message naming each short
 * jurisdiction and its shortfall in Mt, and no run. A design without an equilibrium does not stop
 * the run: it is kept with outcome != EL_OPTIMAL, each jurisdiction's shortfall filled in and every
 * other figure 0, and the other designs are solved (el_run_check reports it). *out is owned by the
 * caller (el_run_free). */
el_status el_run_solve(ElRun **out, const ElScenario *s, ElError *err);
/** EL_OK if every design of the run has an equilibrium; otherwise EL_ERR_NO_EQUILIBRIUM with
 * the message "FILE: design 'x' has no equilibrium: 'KR' is short of 5 Mt (...); design 'y'
 * ...", naming each such design and each short jurisdiction with its shortfall (as many as
 * fit, then "and N more ..."). The CLI calls it after writing the results. */
el_status el_run_check(const ElRun *run, ElError *err);
/** The same for results not kept in a run (a batch's sink): failed[0 .. nkept-1] are the first
 * designs without an equilibrium in item order, nfailed (>= nkept) how many there are. */
el_status el_failed_check(
    const ElScenario *s, const ElDesignResult *failed, int nkept, long nfailed, ElError *err);
void el_run_free(ElRun *run);

#endif
