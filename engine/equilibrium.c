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
#include "data.h"
#include "el_alloc.h"
#include "el_clock.h"
#include "fast.h"
#include "ties.h"

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

static void
fill_trade(const ElDesign *des, const ElModelMap *m, const ElSolution *sol, ElDesignResult *r)
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
}

/* An untraded pool (nothing supplied, nothing bought) has a price interval: from the most a
 * buyer with room under its limit would pay for a credit (discount x its price) to the cost of
 * the first credit. Which end a solver's dual reports depends on its basis, so the price is set
 * to the lower end, capped at the upper (docs/model.md §4.1): the same on either path. Without
 * a buyer with room the dual stands. Called once the jurisdictions' prices are filled. */
static void untraded_price(
    const ElModelMap *m, const ElProblem *p, const ElSolution *sol, int k, ElDesignResult *r)
{
    double most = -1, first = HUGE_VAL;
    int a, c;
    if (r->pool[k].supplied > 1e-12)
        return;
    for (c = 0; c < m->pool_count[k]; c++)
        first = fmin(first, p->c[m->pool_first_col[k] + c]);
    for (a = 0; a < m->naccepts; a++) {
        const ElAccept *ac = &m->accepts[a].spec;
        int col = m->accepts[a].col;
        if (ac->pool != k)
            continue;
        if (sol->x[col] > 1e-12)
            return; /* traded */
        if (p->up[col] > 1e-12)
            most = fmax(most, ac->discount * r->jur[ac->jur].price);
    }
    if (most >= 0)
        r->pool[k].price = fmax(fmin(most, first), 0.0);
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
            /* credits produced at home are reductions on the host's territory; those sold
             * abroad move to the buyer below (a corresponding adjustment) */
            r->jur[host].ndc_emissions -= q->supplied;
        } else {
            r->row_surplus -= q->supply_cost;
        }
    }
    for (k = 0; k < s->npools; k++)
        if (m->pool_row[k] >= 0)
            untraded_price(m, p, sol, k, r);
    for (a = 0; a < m->naccepts; a++) {
        const ElAccept *ac = &m->accepts[a].spec;
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

/* NDC margins (target - NDC-accounted emissions, once every adjustment is in) and the rents of
 * import limits: the dual of a limit's row (<= 0; minus the value of one more tonne of room) times
 * the limit in force, max or share x emissions. The rent stays with the limited jurisdiction's
 * firms, as a quota's does by default: units and credits still trade at the seller's (the
 * group's, the pool's) price, so nothing is paid for it (docs/model.md §3). */
static void
fill_limits(const ElModelData *md, const ElModelMap *m, const ElSolution *sol, ElDesignResult *r)
{
    const ElScenario *s = md->s;
    const ElDesign *des = md->d;
    int j, i;
    for (j = 0; j < s->njur; j++) {
        double target = s->jur[j].ndc_target;
        r->jur[j].ndc_margin = isnan(target) ? nan("") : target - r->jur[j].ndc_emissions;
        r->jur[j].import_rent = nan("");
    }
    for (i = 0; des && i < m->nimport_limits; i++) {
        const ElImportLimit *x = &des->import_limits[i];
        ElJurResult *q = &r->jur[x->jur];
        double mu = fmax(-sol->y[m->import_row[i]], 0.0);
        double limit = isnan(x->share) ? x->max : x->share * q->emissions;
        if (isnan(q->import_rent))
            q->import_rent = 0;
        if (mu > 1e-12 * (1 + q->price))
            q->import_rent += mu * limit;
    }
}

/* The instrument that sets the price: one whose volume is in use at exactly its own price. A
 * floor whose whole volume is withheld (or a ceiling whose volume is sold out) no longer sets
 * the price; the market does, so the label is then the cap. */
static bool at_price(const ElInstrument *in, double price, double used)
{
    return in && used > VOLUME_TOL && fabs(price - in->price) <= 1e-9 * (1 + fabs(in->price));
}

static const ElInstrument *instrument(const ElJurData *ju, ElInstrKind k)
{
    return ju->has_instr[k] ? &ju->instr[k] : NULL;
}

static ElBinding binding(const ElJurData *ju, const ElJurResult *q)
{
    if (at_price(instrument(ju, EL_INSTR_PENALTY), q->price, q->penalised))
        return EL_BIND_PENALTY;
    if (at_price(instrument(ju, EL_INSTR_CEILING), q->price, q->released))
        return EL_BIND_CEILING;
    if (at_price(instrument(ju, EL_INSTR_FLOOR), q->price, q->withheld))
        return EL_BIND_FLOOR;
    if (ju->kind == EL_CAP_TAX && q->taxed > VOLUME_TOL &&
        fabs(q->price - ju->tax_rate) <= 1e-9 * (1 + ju->tax_rate))
        return EL_BIND_TAX;
    return q->price > 0 ? EL_BIND_CAP : EL_BIND_NONE;
}

static void fill(const ElModelData *md,
                 const ElModelMap *m,
                 const ElProblem *p,
                 const ElSolution *sol,
                 const ElDesignResult *base,
                 ElDesignResult *r)
{
    const ElScenario *s = md->s;
    const ElDesign *des = md->d;
    int j, k;
    for (j = 0; j < s->njur; j++) {
        const ElJurData *ju = &md->jur[j];
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
            const ElInstrument *in = instrument(ju, (ElInstrKind)k);
            if (in && k != EL_INSTR_FLOOR)
                q->gov_revenue += in->price * (k == EL_INSTR_CEILING ? q->released : q->penalised);
        }
        if (ju->kind == EL_CAP_TAX)
            q->gov_revenue += ju->tax_rate * q->taxed;
        r->abatement_cost += q->abatement_cost;
        r->total_cost += q->abatement_cost;
    }
    fill_trade(des, m, sol, r);
    fill_offsets(s, m, p, sol, r);
    fill_projects(des, m, sol, r);
    fill_limits(md, m, sol, r);
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
diagnose(const ElModelData *md, const ElSettings *set, ElDesignResult *r, ElError *err)
{
    const ElScenario *s = md->s;
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElSolution *sol = NULL;
    el_status st = el_model_build(md, EL_BUILD_ELASTIC, &p, &m, err);
    int j;
    if (st == EL_OK)
        st = el_solution_create(&sol, p->ncols, p->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(p, set, sol, NULL, err);
    if (st == EL_OK && sol->outcome == EL_TIME_LIMIT)
        st = el_error_set(err, EL_ERR_NUMERIC,
                          "%s: design '%s' has no equilibrium, and the shortfall diagnosis was not "
                          "solved within design_time_limit_s = %g s",
                          s->path, r->id, set->design_time_limit_s);
    else if (st == EL_OK && sol->outcome != EL_OPTIMAL)
        st = el_error_set(err, EL_ERR_INTERNAL, "the shortfall diagnosis did not solve (%s)",
                          el_outcome_name(sol->outcome));
    for (j = 0; st == EL_OK && j < s->njur; j++) {
        double sh = sol->x[m->short_col[j]];
        r->jur[j].shortfall = sh > SHORTFALL_TOL * (1 + md->jur[j].bau) ? sh : 0;
        r->jur[j].requirement = md->jur[j].requirement;
        r->jur[j].max_abatement =
            md->jur[j].npieces > 0 ? el_model_data_piece(md, j, md->jur[j].npieces - 1)->q0 +
                                         el_model_data_piece(md, j, md->jur[j].npieces - 1)->width
                                   : 0;
    }
    el_solution_free(sol);
    el_problem_free(p);
    el_model_map_free(m);
    return st;
}

static void fix_decisions(ElProblem *p, const ElModelMap *m, const char *built)
{
    int q;
    for (q = 0; q < m->nprojects; q++) {
        double v = built[q] ? 1.0 : 0.0;
        p->lo[m->project_col[q]] = p->up[m->project_col[q]] = v;
    }
}

/* Exact cost of the decisions in `built` (fixed in p); *feasible is false without an
 * equilibrium. sol receives the exact solution. */
static el_status decisions_cost(ElProblem *p,
                                const ElModelMap *m,
                                const char *built,
                                const ElSettings *set,
                                ElSolution *sol,
                                ElDesignResult *r,
                                bool *feasible,
                                double *obj,
                                ElError *err)
{
    el_status st;
    fix_decisions(p, m, built);
    st = el_qp_solve(p, set, sol, &r->info, err);
    *feasible = st == EL_OK && sol->outcome == EL_OPTIMAL;
    *obj = *feasible ? sol->obj : HUGE_VAL;
    return st;
}

static bool cheaper(double a, double b)
{
    return a < b - 1e-9 * (1 + fabs(b));
}

/* Tie rule for project decisions (docs/model.md §2.1): among equally cheap choices (1e-9
 * relative), fewer projects built; then, going through the projects in order of their ids, the
 * choice that builds the first project on which the two differ. by_id lists the
 * project indices sorted by id, so the rule never depends on the order of the file. */
static bool
preferred(double obj_a, const char *a, double obj_b, const char *b, const int *by_id, int n)
{
    int q, na = 0, nb = 0;
    if (cheaper(obj_a, obj_b))
        return true;
    if (cheaper(obj_b, obj_a))
        return false;
    for (q = 0; q < n; q++) {
        na += a[q] != 0;
        nb += b[q] != 0;
    }
    if (na != nb)
        return na < nb;
    for (q = 0; q < n; q++)
        if (a[by_id[q]] != b[by_id[q]])
            return a[by_id[q]] != 0;
    return false;
}

/* Project indices in order of their ids (insertion sort: no global qsort context). */
static void sort_by_id(const ElProject *pr, int n, int *by_id)
{
    int i, k;
    for (i = 0; i < n; i++) {
        int v = i;
        for (k = i; k > 0 && strcmp(pr[by_id[k - 1]].id, pr[v].id) > 0; k--)
            by_id[k] = by_id[k - 1];
        by_id[k] = v;
    }
}

/* Project decisions: GLPK branch and cut on the step LP chooses. Then the choice is confirmed
 * on the exact problem: with up to MAX_ENUM_PROJECTS projects every combination is solved and
 * the cheapest kept (ties by `preferred`); with more, single flips of a
 * decision are tried until none lowers the exact cost (at most 2 n passes), because the step
 * LP only approximates quadratic costs. Decisions are kept in a byte per project, so any
 * number of projects works. The decisions are left fixed in p and the exact solution of the
 * chosen combination in sol. */
static el_status decide_projects(ElProblem *p,
                                 const ElModelMap *m,
                                 const ElProject *projects,
                                 const ElSettings *set,
                                 ElSolution *sol,
                                 ElDesignResult *r,
                                 ElError *err)
{
    ElProblem *lp = NULL;
    ElLp *glp = NULL;
    ElSolution *ls = NULL;
    ElSolution *relaxed = NULL;
    int n = m->nprojects, q, *first = NULL, *by_id = el_calloc((size_t)n + 1, sizeof(int));
    char *chosen = el_calloc((size_t)n + 1, 1), *best = el_calloc((size_t)n + 1, 1);
    char *trial = el_calloc((size_t)n + 1, 1);
    double best_obj = HUGE_VAL, obj;
    bool feasible, have_best = false;
    el_status st = (chosen && best && trial && by_id)
                       ? EL_OK
                       : el_error_set(err, EL_ERR_NOMEM, "out of memory (projects)");
    if (st == EL_OK)
        sort_by_id(projects, n, by_id);
    /* The MIP sees quadratic costs as steps: make them fine around the exact solution of the
     * relaxation (decisions anywhere in [0, 1]), where the integer solution will lie. */
    for (q = 0; q < n; q++) {
        p->lo[m->project_col[q]] = 0;
        p->up[m->project_col[q]] = 1;
    }
    if (st == EL_OK)
        st = el_solution_create(&relaxed, p->ncols, p->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(p, set, relaxed, &r->info, err);
    if (st == EL_OK && relaxed->outcome != EL_OPTIMAL) {
        sol->outcome = relaxed->outcome; /* no decision can make it feasible */
        goto done;
    }
    if (st == EL_OK) {
        first = el_calloc((size_t)p->ncols + 1, sizeof(int));
        if (!first)
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (projects)");
    }
    if (st == EL_OK)
        st = el_qp_discretize_around(p, set->grid, relaxed->x, &lp, first, err);
    if (st == EL_OK)
        st = el_solution_create(&ls, lp->ncols, lp->nrows, err);
    if (st == EL_OK)
        st = el_lp_create(&glp, lp, set, err);
    if (st == EL_OK)
        st = el_lp_solve_mip(glp, ls, err);
    if (st == EL_OK && (ls->outcome == EL_TIME_LIMIT || el_clock_expired(set->deadline))) {
        sol->outcome = EL_TIME_LIMIT; /* out of time: no decision is confirmed */
        goto done;
    }
    if (st == EL_OK && ls->outcome == EL_OPTIMAL)
        for (q = 0; q < n; q++) /* integer columns are copied one to one */
            chosen[q] = ls->x[first[m->project_col[q]]] > 0.5;
    if (st != EL_OK)
        goto done;
    memcpy(best, chosen, (size_t)n);
    if (n <= MAX_ENUM_PROJECTS) {
        unsigned mask, nmask = 1u << n;
        for (mask = 0; st == EL_OK && mask < nmask && !el_clock_expired(set->deadline); mask++) {
            for (q = 0; q < n; q++)
                trial[q] = (char)((mask >> q) & 1u);
            st = decisions_cost(p, m, trial, set, sol, r, &feasible, &obj, err);
            if (st != EL_OK || !feasible)
                continue;
            if (!have_best || preferred(obj, trial, best_obj, best, by_id, n)) {
                best_obj = obj;
                memcpy(best, trial, (size_t)n);
                have_best = true;
            }
        }
    } else {
        int pass, improved = 1;
        st = decisions_cost(p, m, best, set, sol, r, &have_best, &best_obj, err);
        for (pass = 0; st == EL_OK && improved && pass < 2 * n && !el_clock_expired(set->deadline);
             pass++) {
            improved = 0;
            for (q = 0; st == EL_OK && q < n; q++) {
                memcpy(trial, best, (size_t)n);
                trial[q] = (char)!trial[q];
                st = decisions_cost(p, m, trial, set, sol, r, &feasible, &obj, err);
                if (st == EL_OK && feasible &&
                    (!have_best || preferred(obj, trial, best_obj, best, by_id, n))) {
                    memcpy(best, trial, (size_t)n);
                    best_obj = obj;
                    have_best = true;
                    improved = 1;
                }
            }
        }
    }
    if (st != EL_OK)
        goto done;
    if (el_clock_expired(set->deadline)) {
        sol->outcome = EL_TIME_LIMIT;
        goto done;
    }
    if (!have_best) {
        sol->outcome = EL_INFEASIBLE;
        goto done;
    }
    r->mip_checked = true;
    r->mip_corrected = memcmp(best, chosen, (size_t)n) != 0;
    fix_decisions(p, m, best);
    st = el_qp_solve(p, set, sol, &r->info, err);
done:
    el_lp_free(glp);
    el_solution_free(ls);
    el_problem_free(lp);
    el_solution_free(relaxed);
    el_free(first);
    el_free(chosen);
    el_free(best);
    el_free(trial);
    el_free(by_id);
    return st;
}

/* to takes old's arrays and their capacities (its own are dropped, not freed). */
static void keep_arrays(ElDesignResult *to, const ElDesignResult *old)
{
    to->jur = old->jur;
    to->link = old->link;
    to->pool = old->pool;
    to->accept = old->accept;
    to->project = old->project;
    to->cap_jur = old->cap_jur;
    to->cap_links = old->cap_links;
    to->cap_pools = old->cap_pools;
    to->cap_accepts = old->cap_accepts;
    to->cap_projects = old->cap_projects;
}

void el_design_result_empty(ElDesignResult *r)
{
    ElDesignResult old = *r;
    memset(r, 0, sizeof(*r));
    keep_arrays(r, &old);
}

/* *arr with room for n (at least 1) zeroed entries of size sz: kept if its capacity *cap
 * suffices (reuse), else freed and allocated anew. */
static bool room(void **arr, int *cap, int n, size_t sz, bool reuse)
{
    int want = n > 0 ? n : 1;
    if (reuse && *arr && *cap >= want) {
        memset(*arr, 0, (size_t)want * sz);
        return true;
    }
    if (reuse)
        el_free(*arr);
    *arr = el_calloc((size_t)want, sz);
    *cap = *arr ? want : 0;
    return *arr != NULL;
}

/* A result for design des: its arrays zeroed, kept from r's earlier use when reuse is set
 * (el_design_solve_into), otherwise r is taken as uninitialised. */
static el_status
alloc_result(const ElScenario *s, const ElDesign *des, bool reuse, ElDesignResult *r, ElError *err)
{
    ElDesignResult old = *r;
    bool ok;
    memset(r, 0, sizeof(*r));
    if (reuse) /* keep the arrays and their capacities */
        keep_arrays(r, &old);
    r->id = des ? des->id : "autarky";
    r->design = des;
    r->njur = s->njur;
    r->nlinks = des ? des->nlinks : 0;
    r->npools = s->npools;
    r->nprojects = des ? des->nprojects : 0;
    ok = room((void **)&r->jur, &r->cap_jur, s->njur, sizeof(*r->jur), reuse);
    ok = room((void **)&r->link, &r->cap_links, r->nlinks, sizeof(*r->link), reuse) && ok;
    ok = room((void **)&r->pool, &r->cap_pools, r->npools, sizeof(*r->pool), reuse) && ok;
    ok = room((void **)&r->project, &r->cap_projects, r->nprojects, sizeof(*r->project), reuse) &&
         ok;
    if (!ok) {
        el_design_result_clear(r);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    return EL_OK;
}

/* Build the problem of md and solve it (projects included). */
static el_status solve_once(const ElModelData *md,
                            ElFastWork *fw,
                            const ElSettings *set,
                            ElProblem **p,
                            ElModelMap **m,
                            ElSolution **sol,
                            ElDesignResult *r,
                            ElError *err)
{
    el_status st = *p ? el_model_build_into(md, 0, *p, m, err) : el_model_build(md, 0, p, m, err);
    if (st == EL_OK && *sol)
        st = el_solution_resize(*sol, (*p)->ncols, (*p)->nrows, err);
    else if (st == EL_OK)
        st = el_solution_create(sol, (*p)->ncols, (*p)->nrows, err);
    r->fast_path = false;
    if (st == EL_OK && (*m)->nprojects > 0)
        st = decide_projects(*p, *m, md->d->projects, set, *sol, r, err);
    else if (st == EL_OK && set->fast_path) /* exact and verified, ties included (fast.h) */
        st = el_fast_solve(fw, md, *p, *m, *sol, &r->fast_path, err);
    if (st == EL_OK && (*m)->nprojects == 0 && !r->fast_path)
        st = el_qp_solve(*p, set, *sol, &r->info, err);
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
 * abatement stops moving: the price is then the fitted function's own (docs/model.md §1).
 * Convergence is tested against where each curve was centred in the previous round:
 * |a - centre| <= FIT_TOL (1 + BAU) for every fitted jurisdiction. */
#define FIT_ROUNDS 8
#define FIT_TOL    1e-12

static el_status refine_fits(ElModelData *md,
                             ElFastWork *fw,
                             const ElDesign *d,
                             const ElVariation *v,
                             const ElSettings *set,
                             ElProblem **p,
                             ElModelMap **m,
                             ElSolution **sol,
                             ElDesignResult *r,
                             ElError *err)
{
    const ElScenario *s = md->s;
    ElMac **macs = el_calloc((size_t)s->njur, sizeof(*macs));
    double *centre = el_calloc((size_t)s->njur, sizeof(*centre));
    el_status st = macs && centre ? EL_OK : el_error_set(err, EL_ERR_NOMEM, "out of memory (fits)");
    int round, j, k;
    for (round = 0; st == EL_OK && round < FIT_ROUNDS && (*sol)->outcome == EL_OPTIMAL; round++) {
        double moved = 0;
        for (j = 0; j < s->njur; j++) {
            double a = 0;
            if (!s->jur[j].fit)
                continue;
            for (k = 0; k < (*m)->abate_count[j]; k++)
                a += (*sol)->x[(*m)->abate_first[j] + k];
            moved = fmax(moved, round == 0 ? HUGE_VAL : fabs(a - centre[j]) / (1 + md->jur[j].bau));
            centre[j] = a;
        }
        if (moved <= FIT_TOL)
            break; /* the curves are centred where the solution is */
        for (j = 0; st == EL_OK && j < s->njur; j++) {
            if (!s->jur[j].fit)
                continue;
            el_mac_free(macs[j]);
            macs[j] = NULL;
            st = el_mac_fit_curve(s->jur[j].fit, md->jur[j].bau, centre[j], &macs[j], err);
        }
        if (st != EL_OK)
            break;
        el_model_map_free(*m); /* the problem and solution are rebuilt in place */
        *m = NULL;
        st = el_model_data_init(md, s, d, v, (const ElMac *const *)macs, err);
        if (st == EL_OK)
            st = solve_once(md, fw, set, p, m, sol, r, err);
        r->fit_rounds = round + 1;
    }
    for (j = 0; macs && j < s->njur; j++)
        el_mac_free(macs[j]);
    el_free(macs);
    el_free(centre);
    return st;
}

/* A solver failure's message names the design and the jurisdictions of the part of the problem
 * that could not be verified (ElQpInfo.failed_rows). */
static el_status name_failure(
    const ElScenario *s, const ElDesignResult *r, const ElModelMap *m, el_status st, ElError *err)
{
    char names[300] = "";
    size_t used = 0;
    int k, j;
    if (!err)
        return st;
    for (k = 0; m && k < r->info.nfailed_rows; k++)
        for (j = 0; j < s->njur; j++)
            if (m->comply_row[j] == r->info.failed_rows[k] && used + 40 < sizeof(names)) {
                int w = snprintf(names + used, sizeof(names) - used, "%s'%.30s'", used ? ", " : "",
                                 s->jur[j].id);
                used += w > 0 ? (size_t)w : 0;
            }
    {
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        return el_error_set(err, st, "%s: design '%s'%s%s: %s", s->path, r->id,
                            used ? ", jurisdictions " : "", names, msg);
    }
}

static el_status design_solve(ElSolveWork *w,
                              const ElScenario *s,
                              const ElDesign *d,
                              const ElVariation *v,
                              const ElDesignResult *baseline,
                              bool reuse,
                              ElDesignResult *r,
                              ElError *err);

struct ElSolveWork {
    ElModelData md;
    ElFastWork *fast;
    ElProblem *p;    /* the last problem, kept for its capacity */
    ElSolution *sol; /* likewise */
};

el_status el_solve_work_create(ElSolveWork **out, ElError *err)
{
    ElSolveWork *w = el_calloc(1, sizeof(*w));
    el_status st = w ? el_fast_work_create(&w->fast, err)
                     : el_error_set(err, EL_ERR_NOMEM, "out of memory (workspace)");
    if (st != EL_OK) {
        el_free(w);
        w = NULL;
    }
    *out = w;
    return st;
}

void el_solve_work_free(ElSolveWork *w)
{
    if (!w)
        return;
    el_model_data_clear(&w->md);
    el_fast_work_free(w->fast);
    el_problem_free(w->p);
    el_solution_free(w->sol);
    el_free(w);
}

el_status el_design_solve(const ElScenario *s,
                          const ElDesign *d,
                          const ElVariation *v,
                          const ElDesignResult *baseline,
                          ElDesignResult *r,
                          ElError *err)
{
    return el_design_solve_ws(NULL, s, d, v, baseline, r, err);
}

static el_status solve_with(ElSolveWork *w,
                            const ElScenario *s,
                            const ElDesign *d,
                            const ElVariation *v,
                            const ElDesignResult *baseline,
                            bool reuse,
                            ElDesignResult *r,
                            ElError *err)
{
    ElSolveWork *own = NULL;
    el_status st;
    if (!w) {
        st = el_solve_work_create(&own, err);
        if (st != EL_OK) {
            if (!reuse)
                memset(r, 0, sizeof(*r));
            return st;
        }
        w = own;
    }
    el_fast_work_forget(w->fast); /* every solve starts cold: answers never depend on order */
    st = design_solve(w, s, d, v, baseline, reuse, r, err);
    el_solve_work_free(own);
    return st;
}

el_status el_design_solve_ws(ElSolveWork *w,
                             const ElScenario *s,
                             const ElDesign *d,
                             const ElVariation *v,
                             const ElDesignResult *baseline,
                             ElDesignResult *r,
                             ElError *err)
{
    return solve_with(w, s, d, v, baseline, false, r, err);
}

el_status el_design_solve_into(ElSolveWork *w,
                               const ElScenario *s,
                               const ElDesign *d,
                               const ElVariation *v,
                               const ElDesignResult *baseline,
                               ElDesignResult *r,
                               ElError *err)
{
    return solve_with(w, s, d, v, baseline, true, r, err);
}

static el_status design_solve(ElSolveWork *w,
                              const ElScenario *s,
                              const ElDesign *d,
                              const ElVariation *v,
                              const ElDesignResult *baseline,
                              bool reuse,
                              ElDesignResult *r,
                              ElError *err)
{
    ElModelData *md = &w->md;
    ElProblem *p = w->p; /* reused (refine_fits may replace them: kept below) */
    ElModelMap *m = NULL;
    ElSolution *sol = w->sol;
    ElSettings set = s->settings; /* with this design's deadline */
    el_status st = alloc_result(s, d, reuse, r, err);
    if (st != EL_OK)
        return st;
    set.deadline = el_clock_now() + set.design_time_limit_s;
    st = el_model_data_init(md, s, d, v, NULL, err);
    if (st == EL_OK)
        st = solve_once(md, w->fast, &set, &p, &m, &sol, r, err);
    if (st == EL_OK && sol->outcome == EL_OPTIMAL && has_fits(s))
        st = refine_fits(md, w->fast, d, v, &set, &p, &m, &sol, r, err);
    if (st == EL_OK && sol->outcome == EL_OPTIMAL && !r->fast_path) /* tie rules (§4.1) */
        st = el_ties_resolve(md, p, m, &set, sol, err);
    if (st == EL_OK) {
        r->naccepts = m->naccepts;
        if (!room((void **)&r->accept, &r->cap_accepts, m->naccepts, sizeof(*r->accept), reuse))
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    if (st == EL_OK) {
        r->outcome = sol->outcome;
        if (sol->outcome == EL_OPTIMAL)
            fill(md, m, p, sol, baseline, r);
        else if (sol->outcome == EL_INFEASIBLE)
            st = diagnose(md, &set, r, err);
        else if (sol->outcome == EL_TIME_LIMIT)
            st = el_error_set(err, EL_ERR_NUMERIC,
                              "%s: design '%s' was not solved within design_time_limit_s = %g s "
                              "(raise it with --set design_time_limit_s=SECONDS)",
                              s->path, r->id, set.design_time_limit_s);
        else
            st = el_error_set(err, EL_ERR_LP, "%s: design '%s': the LP ended with '%s'", s->path,
                              r->id, el_outcome_name(sol->outcome));
    } else if (st == EL_ERR_NUMERIC || st == EL_ERR_LP) {
        st = name_failure(s, r, m, st, err);
    }
    w->sol = sol;
    w->p = p;
    el_model_map_free(m);
    if (st != EL_OK)
        el_design_result_clear(r);
    return st;
}

/* Messages for designs without an equilibrium. Text is appended to msg (size bytes, of which
 * `*used` are taken) only when it fits whole and leaves `reserve` bytes free; otherwise msg is
 * left as it was and false is returned. */
#define NOEQ_MORE 64 /* room for "; and N more short jurisdictions" */

static bool noeq_fits(char *msg, size_t size, size_t *used, int n, size_t reserve)
{
    if (n < 0 || *used + (size_t)n + reserve >= size) {
        msg[*used] = '\0';
        return false;
    }
    *used += (size_t)n;
    return true;
}

/* "SEPdesign 'x' has no equilibrium: 'KR' is short of 5 Mt (cap requires 20 Mt of abatement,
 * MAC curve ends at 15 Mt); ..." for every short jurisdiction in scenario order, as many as
 * fit, then "and N more short jurisdictions". False if not even the opening fits. */
static bool no_equilibrium_text(const ElScenario *s,
                                const ElDesignResult *r,
                                const char *sep,
                                char *msg,
                                size_t size,
                                size_t *used,
                                size_t reserve)
{
    int j, listed = 0, more = 0;
    if (!noeq_fits(
            msg, size, used,
            snprintf(msg + *used, size - *used, "%sdesign '%s' has no equilibrium: ", sep, r->id),
            reserve + NOEQ_MORE))
        return false;
    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        if (r->jur[j].shortfall <= 0)
            continue;
        if (!more && noeq_fits(msg, size, used,
                               snprintf(msg + *used, size - *used,
                                        "%s'%s' is short of %.6g Mt (cap requires %.6g Mt of "
                                        "abatement, MAC curve ends at %.6g Mt)",
                                        listed ? "; " : "", ju->id, r->jur[j].shortfall,
                                        r->jur[j].requirement, r->jur[j].max_abatement),
                               reserve + NOEQ_MORE))
            listed++;
        else
            more++;
    }
    if (more)
        noeq_fits(msg, size, used,
                  snprintf(msg + *used, size - *used, "%s%d %sshort jurisdiction%s",
                           listed ? "; and " : "", more, listed ? "more " : "",
                           more == 1 ? "" : "s"),
                  reserve);
    else if (!listed)
        noeq_fits(msg, size, used,
                  snprintf(msg + *used, size - *used, "(no single jurisdiction is short)"),
                  reserve);
    return true;
}

/* The error for the autarky baseline without an equilibrium: no gain can be measured. */
static el_status no_equilibrium(const ElScenario *s, const ElDesignResult *r, ElError *err)
{
    char msg[sizeof(((ElError *)NULL)->msg)];
    size_t used = 0;
    noeq_fits(msg, sizeof(msg), &used, snprintf(msg, sizeof(msg), "%.200s: ", s->path), 0);
    no_equilibrium_text(s, r, "", msg, sizeof(msg), &used, 0);
    return el_error_set(err, EL_ERR_NO_EQUILIBRIUM, "%s", msg);
}

el_status el_run_check(const ElRun *run, ElError *err)
{
    char msg[sizeof(((ElError *)NULL)->msg)];
    size_t used = 0;
    int d, failed = 0, shown = 0;
    if (!run)
        return el_error_set(err, EL_ERR_INTERNAL, "el_run_check: no run");
    for (d = 0; d < run->ndesigns; d++)
        failed += run->designs[d].outcome != EL_OPTIMAL;
    if (failed == 0)
        return EL_OK;
    noeq_fits(msg, sizeof(msg), &used, snprintf(msg, sizeof(msg), "%.200s: ", run->scenario->path),
              0);
    for (d = 0; d < run->ndesigns; d++) {
        /* the last design needs no room for "and N more designs ..." */
        if (run->designs[d].outcome == EL_OPTIMAL)
            continue;
        if (!no_equilibrium_text(run->scenario, &run->designs[d], shown ? "; " : "", msg,
                                 sizeof(msg), &used, shown + 1 < failed ? NOEQ_MORE : 0))
            break;
        shown++;
    }
    if (shown < failed)
        noeq_fits(msg, sizeof(msg), &used,
                  snprintf(msg + used, sizeof(msg) - used, "%s%d %sdesign%s without an equilibrium",
                           shown ? "; and " : "", failed - shown, shown ? "more " : "",
                           failed - shown == 1 ? "" : "s"),
                  0);
    return el_error_set(err, EL_ERR_NO_EQUILIBRIUM, "%s", msg);
}

el_status el_failed_check(
    const ElScenario *s, const ElDesignResult *failed, int nkept, long nfailed, ElError *err)
{
    char msg[sizeof(((ElError *)NULL)->msg)];
    size_t used = 0;
    long shown = 0;
    int d;
    if (nfailed <= 0)
        return EL_OK;
    noeq_fits(msg, sizeof(msg), &used, snprintf(msg, sizeof(msg), "%.200s: ", s->path), 0);
    for (d = 0; d < nkept; d++) {
        if (!no_equilibrium_text(s, &failed[d], shown ? "; " : "", msg, sizeof(msg), &used,
                                 shown + 1 < nfailed ? NOEQ_MORE : 0))
            break;
        shown++;
    }
    if (shown < nfailed)
        noeq_fits(msg, sizeof(msg), &used,
                  snprintf(msg + used, sizeof(msg) - used,
                           "%s%ld %sdesign%s without an equilibrium", shown ? "; and " : "",
                           nfailed - shown, shown ? "more " : "", nfailed - shown == 1 ? "" : "s"),
                  0);
    return el_error_set(err, EL_ERR_NO_EQUILIBRIUM, "%s", msg);
}

el_status el_baseline_check(const ElScenario *s, const ElDesignResult *r, ElError *err)
{
    return r->outcome == EL_OPTIMAL ? EL_OK : no_equilibrium(s, r, err);
}

/* Copy n elements of size sz (NULL stays NULL). */
static void *dup_array(const void *a, int n, size_t sz, bool *ok)
{
    void *c;
    if (!a)
        return NULL;
    c = el_malloc((size_t)(n > 0 ? n : 1) * sz);
    if (!c) {
        *ok = false;
        return NULL;
    }
    if (n > 0)
        memcpy(c, a, (size_t)n * sz);
    return c;
}

el_status el_design_result_copy(ElDesignResult *to, const ElDesignResult *from, ElError *err)
{
    bool ok = true;
    *to = *from;
    to->jur = dup_array(from->jur, from->njur, sizeof(*from->jur), &ok);
    to->link = dup_array(from->link, from->nlinks, sizeof(*from->link), &ok);
    to->pool = dup_array(from->pool, from->npools, sizeof(*from->pool), &ok);
    to->accept = dup_array(from->accept, from->naccepts, sizeof(*from->accept), &ok);
    to->project = dup_array(from->project, from->nprojects, sizeof(*from->project), &ok);
    to->cap_jur = from->jur ? from->njur : 0;
    to->cap_links = from->link ? from->nlinks : 0;
    to->cap_pools = from->pool ? from->npools : 0;
    to->cap_accepts = from->accept ? from->naccepts : 0;
    to->cap_projects = from->project ? from->nprojects : 0;
    if (!ok) {
        el_design_result_clear(to);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    return EL_OK;
}

/* *to holds a copy of the n entries of from (from NULL: *to is kept, unused), its capacity *cap
 * reused when it suffices. */
static bool assign_array(void **to, int *cap, const void *from, int n, size_t sz)
{
    int want = n > 0 ? n : 1;
    if (!from)
        return true;
    if (!*to || *cap < want) {
        el_free(*to);
        *to = el_malloc((size_t)want * sz);
        *cap = *to ? want : 0;
        if (!*to)
            return false;
    }
    if (n > 0)
        memcpy(*to, from, (size_t)n * sz);
    return true;
}

el_status el_design_result_assign(ElDesignResult *to, const ElDesignResult *from, ElError *err)
{
    ElDesignResult old = *to;
    bool ok;
    *to = *from;
    keep_arrays(to, &old);
    ok = assign_array((void **)&to->jur, &to->cap_jur, from->jur, from->njur, sizeof(*to->jur));
    ok = assign_array((void **)&to->link, &to->cap_links, from->link, from->nlinks,
                      sizeof(*to->link)) &&
         ok;
    ok = assign_array((void **)&to->pool, &to->cap_pools, from->pool, from->npools,
                      sizeof(*to->pool)) &&
         ok;
    ok = assign_array((void **)&to->accept, &to->cap_accepts, from->accept, from->naccepts,
                      sizeof(*to->accept)) &&
         ok;
    ok = assign_array((void **)&to->project, &to->cap_projects, from->project, from->nprojects,
                      sizeof(*to->project)) &&
         ok;
    if (!ok) {
        el_design_result_clear(to);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
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
