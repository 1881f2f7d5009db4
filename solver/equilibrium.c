/* From a design's problem solution to the figures of docs/model.md §3.
 * Units trade at the seller's price unless the link gives the rent to the seller; a binding
 * quota's rent otherwise stays with the buyer (its firms, or its government when it auctions
 * the import rights). National cost = abatement cost + supply cost of offsets produced at home
 * + joint-project costs + payments abroad - receipts from abroad; gain = national cost in
 * autarky - national cost in the design. Domestic transfers (auctions, taxes, penalties,
 * domestic offset purchases) are reported as firms' cost and government revenue instead. */
#include "equilibrium.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "el_alloc.h"

#define SHORTFALL_TOL     1e-9
#define VOLUME_TOL        1e-9
#define MAX_ENUM_PROJECTS 10

const char *el_binding_name(ElBinding b)
{
    static const char *const names[] = {"none", "cap", "floor", "ceiling", "penalty", "tax"};
    return (b >= EL_BIND_NONE && b <= EL_BIND_TAX) ? names[b] : "unknown";
}

void el_design_result_clear(ElDesignResult *r)
{
    if (!r)
        return;
    el_free(r->jur);
    el_free(r->link);
    el_free(r->pool);
    el_free(r->accept);
    el_free(r->project);
    memset(r, 0, sizeof(*r));
}

static double cols_cost(const ElProblem *p, const ElSolution *sol, int first, int n, double *qty)
{
    double cost = 0;
    int k;
    if (qty)
        *qty = 0;
    for (k = 0; k < n; k++) {
        double x = sol->x[first + k];
        cost += p->c[first + k] * x + 0.5 * p->h[first + k] * x * x;
        if (qty)
            *qty += x;
    }
    return cost;
}

static double col_value(const ElSolution *sol, int col)
{
    return col >= 0 ? sol->x[col] : 0.0;
}

static void pay(ElDesignResult *r, int from, int to, double amount)
{
    if (from >= 0)
        r->jur[from].payments_abroad += amount;
    if (to >= 0)
        r->jur[to].receipts_abroad += amount;
}

static void fill_trade(const ElScenario *s,
                       const ElDesign *des,
                       const ElModelMap *m,
                       const ElSolution *sol,
                       ElDesignResult *r)
{
    int l, g, k;
    for (l = 0; des && l < des->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        ElLinkResult *q = &r->link[l];
        double x = sol->x[m->link_col[l]];
        double pf = r->jur[lk->from].price, pt = r->jur[lk->to].price;
        q->units = x;
        q->credited = x * lk->rate;
        q->rent = (lk->rate * pt - pf) * x;
        q->unit_price = lk->rent_to == EL_RENT_SELLER ? lk->rate * pt : pf;
        r->jur[lk->to].net_imports += q->credited;
        r->jur[lk->from].net_imports -= x;
        r->jur[lk->from].ndc_emissions += x;
        r->jur[lk->to].ndc_emissions -= q->credited;
        pay(r, lk->to, lk->from, q->unit_price * x);
        r->jur[lk->to].unit_payments += q->unit_price * x;
        r->jur[lk->from].unit_payments -= q->unit_price * x;
        if (lk->rent_to == EL_RENT_BUYER_GOV) /* firms buy import rights from their government */
            r->jur[lk->to].gov_revenue += q->rent;
    }
    for (g = 0; des && g < des->ngroups; g++) {
        /* trades in a group settle at its clearing price, minus the dual of its balance row:
         * the price of every member whose exports are not capped */
        double pg = -sol->y[m->group_row[g]];
        for (k = 0; k < des->groups[g].n; k++) {
            int j = des->groups[g].members[k];
            double mj = sol->x[m->group_first_col[g] + k], amount = pg * mj;
            r->jur[j].net_imports += mj;
            r->jur[j].ndc_emissions -= mj;
            r->jur[j].unit_payments += amount;
            if (amount > 0)
                r->jur[j].payments_abroad += amount;
            else
                r->jur[j].receipts_abroad -= amount;
        }
    }
    (void)s;
}

static void fill_offsets(const ElScenario *s,
                         const ElModelMap *m,
                         const ElProblem *p,
                         const ElSolution *sol,
                         ElDesignResult *r)
{
    int k, a;
    for (k = 0; k < s->npools; k++) {
        ElPoolResult *q = &r->pool[k];
        int host = s->pools[k].host;
        if (m->pool_row[k] < 0)
            continue;
        q->used = true;
        q->price = fmax(sol->y[m->pool_row[k]], 0.0);
        q->supply_cost = cols_cost(p, sol, m->pool_first_col[k], m->pool_count[k], &q->supplied);
        if (host >= 0) {
            r->jur[host].national_cost += q->supply_cost; /* added to national cost below */
            r->jur[host].offset_surplus -= q->supply_cost;
        } else {
            r->row_surplus -= q->supply_cost;
        }
    }
    for (a = 0; a < m->naccepts; a++) {
        const ElAccept *ac = m->accepts[a].spec;
        ElAcceptResult *q = &r->accept[a];
        int host = s->pools[ac->pool].host, j = ac->jur;
        q->pool = ac->pool;
        q->jur = j;
        q->credits = sol->x[m->accepts[a].col];
        q->credited = q->credits * ac->discount;
        q->payment = r->pool[ac->pool].price * q->credits;
        r->pool[ac->pool].receipts += q->payment;
        r->jur[j].offsets += q->credited;
        r->jur[j].credit_payments += q->payment;
        if (host >= 0)
            r->jur[host].offset_surplus += q->payment;
        else
            r->row_surplus += q->payment;
        if (host != j) { /* international: a payment abroad and a corresponding adjustment */
            pay(r, j, host, q->payment);
            r->jur[j].ndc_emissions -= q->credited;
            if (host >= 0)
                r->jur[host].ndc_emissions += q->credits;
        }
    }
}

static void
fill_projects(const ElDesign *des, const ElModelMap *m, const ElSolution *sol, ElDesignResult *r)
{
    int q, k;
    for (q = 0; des && q < des->nprojects; q++) {
        const ElProject *pr = &des->projects[q];
        ElProjectResult *o = &r->project[q];
        o->built = sol->x[m->project_col[q]] > 0.5;
        for (k = 0; k < pr->n; k++) {
            int j = pr->members[k];
            double g = sol->x[m->project_first_col[q] + k];
            double cost = (o->built ? pr->shares[k] * pr->fixed_cost : 0) + pr->variable_cost * g;
            o->credits += g;
            o->cost += cost;
            r->jur[j].project_credits += g;
            r->jur[j].ndc_emissions -= g;
            r->jur[j].project_cost += cost;
        }
        r->total_cost += o->cost;
    }
}

static ElBinding binding(const ElJurisdiction *ju, const ElJurResult *q)
{
    if (q->penalised > VOLUME_TOL)
        return EL_BIND_PENALTY;
    if (q->released > VOLUME_TOL)
        return EL_BIND_CEILING;
    if (q->withheld > VOLUME_TOL)
        return EL_BIND_FLOOR;
    if (ju->cap_kind == EL_CAP_TAX)
        return EL_BIND_TAX;
    return q->price > 0 ? EL_BIND_CAP : EL_BIND_NONE;
}

static void fill(const ElScenario *s,
                 int d,
                 const ElModelMap *m,
                 const ElProblem *p,
                 const ElSolution *sol,
                 const ElDesignResult *base,
                 ElDesignResult *r)
{
    const ElDesign *des = d == EL_AUTARKY ? NULL : &s->designs[d];
    int j, k;
    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        ElJurResult *q = &r->jur[j];
        q->price = sol->y[m->comply_row[j]];
        if (fabs(q->price) < 1e-12 * (1 + fabs(q->price)))
            q->price = 0;
        q->abatement_cost = cols_cost(p, sol, m->abate_first[j], m->abate_count[j], &q->abatement);
        q->emissions = ju->bau - q->abatement;
        q->ndc_emissions = q->emissions;
        q->withheld = col_value(sol, m->instr_col[EL_INSTR_FLOOR][j]);
        q->released = col_value(sol, m->instr_col[EL_INSTR_CEILING][j]);
        q->penalised = col_value(sol, m->instr_col[EL_INSTR_PENALTY][j]);
        q->taxed = col_value(sol, m->tax_col[j]);
        q->binding = binding(ju, q);
        q->gov_revenue = q->price * (ju->auction_share * ju->cap - q->withheld);
        for (k = 0; k < EL_INSTR_KINDS; k++) {
            const ElInstrument *in = el_scenario_instrument(s, d, j, (ElInstrKind)k);
            if (in && k != EL_INSTR_FLOOR)
                q->gov_revenue += in->price * (k == EL_INSTR_CEILING ? q->released : q->penalised);
        }
        if (ju->cap_kind == EL_CAP_TAX)
            q->gov_revenue += ju->tax_rate * q->taxed;
        r->abatement_cost += q->abatement_cost;
        r->total_cost += q->abatement_cost;
    }
    fill_trade(s, des, m, sol, r);
    fill_offsets(s, m, p, sol, r);
    fill_projects(des, m, sol, r);
    for (k = 0; k < s->npools; k++)
        r->total_cost += r->pool[k].supply_cost;
    r->national_cost = 0;
    for (j = 0; j < s->njur; j++) {
        ElJurResult *q = &r->jur[j];
        q->payments = q->payments_abroad - q->receipts_abroad;
        /* national_cost already holds the supply cost of offsets produced here */
        q->national_cost += q->abatement_cost + q->project_cost + q->payments;
        /* firms: abatement, what they pay their government (auction, ceiling, penalties, tax,
         * import rights), units, credits and their share of joint projects */
        q->firms_cost = q->abatement_cost + q->gov_revenue + q->unit_payments + q->credit_payments +
                        q->project_cost;
        q->gain = base ? base->jur[j].national_cost - q->national_cost : 0;
        r->national_cost += q->national_cost;
        r->gain += q->gain;
    }
    if (base)
        r->gain += r->row_surplus - base->row_surplus;
}

/* How far each jurisdiction is from compliance: the elastic problem minimises total shortfall. */
static el_status
diagnose(const ElScenario *s, int d, const ElSettings *set, ElDesignResult *r, ElError *err)
{
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElSolution *sol = NULL;
    el_status st = el_model_build(s, d, true, &p, &m, err);
    int j;
    if (st == EL_OK)
        st = el_solution_create(&sol, p->ncols, p->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(p, set, sol, NULL, err);
    if (st == EL_OK && sol->outcome != EL_OPTIMAL)
        st = el_error_set(err, EL_ERR_INTERNAL, "the shortfall diagnosis did not solve (%s)",
                          el_outcome_name(sol->outcome));
    for (j = 0; st == EL_OK && j < s->njur; j++) {
        double sh = sol->x[m->short_col[j]];
        r->jur[j].shortfall = sh > SHORTFALL_TOL * (1 + s->jur[j].bau) ? sh : 0;
    }
    el_solution_free(sol);
    el_problem_free(p);
    el_model_map_free(m);
    return st;
}

static void fix_decisions(ElProblem *p, const ElModelMap *m, unsigned mask)
{
    int q;
    for (q = 0; q < m->nprojects; q++) {
        double v = (mask >> q) & 1u ? 1.0 : 0.0;
        p->lo[m->project_col[q]] = p->up[m->project_col[q]] = v;
    }
}

/* Project decisions: GLPK branch and cut on the step LP chooses; with up to MAX_ENUM_PROJECTS
 * projects every combination is then solved exactly and the cheapest kept, because the step
 * LP only approximates quadratic costs. The decisions are left fixed in p and the exact
 * solution of the chosen combination in sol. */
static el_status decide_projects(ElProblem *p,
                                 const ElModelMap *m,
                                 const ElSettings *set,
                                 ElSolution *sol,
                                 ElDesignResult *r,
                                 ElError *err)
{
    ElProblem *lp = NULL;
    ElLp *glp = NULL;
    ElSolution *ls = NULL;
    ElSolution *relaxed = NULL;
    unsigned chosen = 0, best = 0, mask, nmask;
    double best_obj = 0;
    bool have_best = false;
    el_status st;
    int q;
    /* The MIP sees quadratic costs as steps: make them fine around the exact solution of the
     * relaxation (decisions anywhere in [0, 1]), where the integer solution will lie. */
    for (q = 0; q < m->nprojects; q++) {
        p->lo[m->project_col[q]] = 0;
        p->up[m->project_col[q]] = 1;
    }
    st = el_solution_create(&relaxed, p->ncols, p->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(p, set, relaxed, &r->info, err);
    if (st == EL_OK && relaxed->outcome != EL_OPTIMAL) {
        sol->outcome = relaxed->outcome; /* no decision can make it feasible */
        el_solution_free(relaxed);
        return EL_OK;
    }
    if (st == EL_OK)
        st = el_qp_discretize_around(p, set->grid, relaxed->x, &lp, err);
    el_solution_free(relaxed);
    if (st == EL_OK)
        st = el_solution_create(&ls, lp->ncols, lp->nrows, err);
    if (st == EL_OK)
        st = el_lp_create(&glp, lp, set, err);
    if (st == EL_OK)
        st = el_lp_solve_mip(glp, ls, err);
    if (st == EL_OK && ls->outcome == EL_OPTIMAL) {
        int col = 0, j;
        for (j = 0; j < p->ncols; j++) /* integer columns are copied one to one */
            for (q = 0; q < m->nprojects; q++)
                if (m->project_col[q] == j) {
                    for (col = 0; col < lp->ncols; col++)
                        if (strcmp(lp->colname[col], p->colname[j]) == 0 && ls->x[col] > 0.5)
                            chosen |= 1u << q;
                }
    }
    el_lp_free(glp);
    el_solution_free(ls);
    el_problem_free(lp);
    if (st != EL_OK)
        return st;
    nmask = m->nprojects <= MAX_ENUM_PROJECTS ? 1u << m->nprojects : 0;
    best = chosen;
    for (mask = 0; mask < nmask; mask++) {
        fix_decisions(p, m, mask);
        st = el_qp_solve(p, set, sol, &r->info, err);
        if (st != EL_OK)
            return st;
        if (sol->outcome != EL_OPTIMAL)
            continue;
        /* strictly better, or as good and the branch-and-cut choice */
        if (!have_best || sol->obj < best_obj - 1e-9 * (1 + fabs(best_obj)) ||
            (mask == chosen && sol->obj <= best_obj + 1e-9 * (1 + fabs(best_obj)))) {
            best_obj = sol->obj;
            best = mask;
            have_best = true;
        }
    }
    if (nmask > 0 && !have_best) {
        sol->outcome = EL_INFEASIBLE;
        return EL_OK;
    }
    r->mip_checked = nmask > 0;
    r->mip_corrected = nmask > 0 && best != chosen;
    fix_decisions(p, m, best);
    return el_qp_solve(p, set, sol, &r->info, err);
}

static el_status alloc_result(const ElScenario *s, int d, ElDesignResult *r, ElError *err)
{
    const ElDesign *des = d == EL_AUTARKY ? NULL : &s->designs[d];
    memset(r, 0, sizeof(*r));
    r->id = des ? des->id : "autarky";
    r->design = d;
    r->njur = s->njur;
    r->nlinks = des ? des->nlinks : 0;
    r->npools = s->npools;
    r->nprojects = des ? des->nprojects : 0;
    r->jur = el_calloc((size_t)s->njur, sizeof(*r->jur));
    r->link = el_calloc((size_t)(r->nlinks > 0 ? r->nlinks : 1), sizeof(*r->link));
    r->pool = el_calloc((size_t)(r->npools > 0 ? r->npools : 1), sizeof(*r->pool));
    r->project = el_calloc((size_t)(r->nprojects > 0 ? r->nprojects : 1), sizeof(*r->project));
    if (!r->jur || !r->link || !r->pool || !r->project) {
        el_design_result_clear(r);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    return EL_OK;
}

/* Build design d with the given curve overrides and solve it (projects included). */
static el_status solve_once(const ElScenario *s,
                            int d,
                            const ElMac *const *macs,
                            ElProblem **p,
                            ElModelMap **m,
                            ElSolution **sol,
                            ElDesignResult *r,
                            ElError *err)
{
    el_status st = el_model_build_with(s, d, false, macs, p, m, err);
    if (st == EL_OK)
        st = el_solution_create(sol, (*p)->ncols, (*p)->nrows, err);
    if (st == EL_OK && (*m)->nprojects > 0)
        st = decide_projects(*p, *m, &s->settings, *sol, r, err);
    else if (st == EL_OK)
        st = el_qp_solve(*p, &s->settings, *sol, &r->info, err);
    return st;
}

static bool has_fits(const ElScenario *s)
{
    int j;
    for (j = 0; j < s->njur; j++)
        if (s->jur[j].fit)
            return true;
    return false;
}

/* Fitted curves enter as piecewise-linear curves. After a solve, each fitted curve is resampled
 * with breakpoints closing in on the abatement found and the design solved again, until the
 * abatement stops moving: the price is then the fitted function's own (docs/model.md §1). */
#define FIT_ROUNDS 4

static el_status refine_fits(const ElScenario *s,
                             int d,
                             ElProblem **p,
                             ElModelMap **m,
                             ElSolution **sol,
                             ElDesignResult *r,
                             ElError *err)
{
    ElMac **macs = el_calloc((size_t)s->njur, sizeof(*macs));
    el_status st = macs ? EL_OK : el_error_set(err, EL_ERR_NOMEM, "out of memory (fits)");
    int round, j, k;
    for (round = 0; st == EL_OK && round < FIT_ROUNDS && (*sol)->outcome == EL_OPTIMAL; round++) {
        double moved = 0;
        for (j = 0; st == EL_OK && j < s->njur; j++) {
            double a = 0, before = 0;
            if (!s->jur[j].fit)
                continue;
            for (k = 0; k < (*m)->abate_count[j]; k++)
                a += (*sol)->x[(*m)->abate_first[j] + k];
            if (macs[j]) /* where the previous round centred the curve */
                before = el_mac_piece(macs[j], 0) ? a : 0;
            el_mac_free(macs[j]);
            macs[j] = NULL;
            st = el_mac_fit_curve(s->jur[j].fit, s->jur[j].bau, a, &macs[j], err);
            moved = fmax(moved, fabs(a - before) / (1 + s->jur[j].bau));
        }
        if (st != EL_OK)
            break;
        el_solution_free(*sol);
        el_problem_free(*p);
        el_model_map_free(*m);
        *sol = NULL;
        *p = NULL;
        *m = NULL;
        st = solve_once(s, d, (const ElMac *const *)macs, p, m, sol, r, err);
        if (st == EL_OK && round > 0 && moved < 1e-15)
            break;
    }
    for (j = 0; macs && j < s->njur; j++)
        el_mac_free(macs[j]);
    el_free(macs);
    return st;
}

el_status el_design_solve(
    const ElScenario *s, int d, const ElDesignResult *baseline, ElDesignResult *r, ElError *err)
{
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElSolution *sol = NULL;
    el_status st = alloc_result(s, d, r, err);
    if (st != EL_OK)
        return st;
    st = solve_once(s, d, NULL, &p, &m, &sol, r, err);
    if (st == EL_OK && sol->outcome == EL_OPTIMAL && has_fits(s))
        st = refine_fits(s, d, &p, &m, &sol, r, err);
    if (st == EL_OK) {
        r->naccepts = m->naccepts;
        r->accept = el_calloc((size_t)(m->naccepts > 0 ? m->naccepts : 1), sizeof(*r->accept));
        if (!r->accept)
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    if (st == EL_OK) {
        r->outcome = sol->outcome;
        if (sol->outcome == EL_OPTIMAL)
            fill(s, d, m, p, sol, baseline, r);
        else if (sol->outcome == EL_INFEASIBLE)
            st = diagnose(s, d, &s->settings, r, err);
        else
            st = el_error_set(err, EL_ERR_LP, "design '%s': the LP ended with '%s'", r->id,
                              el_outcome_name(sol->outcome));
    }
    el_solution_free(sol);
    el_problem_free(p);
    el_model_map_free(m);
    if (st != EL_OK)
        el_design_result_clear(r);
    return st;
}

/* Message for a design without an equilibrium: every short jurisdiction with its shortfall. */
static el_status no_equilibrium(const ElScenario *s, const ElDesignResult *r, ElError *err)
{
    char list[400];
    size_t used = 0;
    int j;
    list[0] = '\0';
    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        int n;
        if (r->jur[j].shortfall <= 0)
            continue;
        n = snprintf(list + used, sizeof(list) - used,
                     "%s'%s' is short of %.6g Mt (cap requires %.6g Mt of abatement, MAC curve "
                     "ends at %.6g Mt)",
                     used ? "; " : "", ju->id, r->jur[j].shortfall, ju->bau - ju->cap,
                     el_mac_max_abatement(ju->mac));
        if (n < 0 || (size_t)n >= sizeof(list) - used)
            break;
        used += (size_t)n;
    }
    return el_error_set(err, EL_ERR_NO_EQUILIBRIUM, "%s: design '%s' has no equilibrium: %s",
                        s->path, r->id, used ? list : "(no single jurisdiction is short)");
}

el_status el_run_solve(ElRun **out, const ElScenario *s, ElError *err)
{
    ElRun *run;
    el_status st;
    int d;
    *out = NULL;
    run = el_calloc(1, sizeof(*run));
    if (!run)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (run)");
    run->scenario = s;
    run->designs = el_calloc((size_t)(s->ndesigns > 0 ? s->ndesigns : 1), sizeof(*run->designs));
    if (!run->designs) {
        el_run_free(run);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (run)");
    }
    st = el_design_solve(s, EL_AUTARKY, NULL, &run->autarky, err);
    if (st == EL_OK && run->autarky.outcome != EL_OPTIMAL)
        st = no_equilibrium(s, &run->autarky, err);
    for (d = 0; st == EL_OK && d < s->ndesigns; d++) {
        st = el_design_solve(s, d, &run->autarky, &run->designs[d], err);
        run->ndesigns = d + 1;
        if (st == EL_OK && run->designs[d].outcome != EL_OPTIMAL)
            st = no_equilibrium(s, &run->designs[d], err);
    }
    if (st != EL_OK) {
        el_run_free(run);
        return st;
    }
    *out = run;
    return EL_OK;
}

void el_run_free(ElRun *run)
{
    int d;
    if (!run)
        return;
    el_design_result_clear(&run->autarky);
    for (d = 0; d < run->ndesigns; d++)
        el_design_result_clear(&run->designs[d]);
    el_free(run->designs);
    el_free(run);
}
