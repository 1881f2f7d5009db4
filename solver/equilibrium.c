/* From a design's problem solution to the figures of docs/model.md §3.
 * Units trade at the seller's price; a binding quota's rent stays with the buyer, whose firms
 * value the credited tonnes at its own price. National cost = abatement cost + payments abroad
 * - receipts from abroad; gain = national cost in autarky - national cost in the design. */
#include "equilibrium.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "el_alloc.h"

#define SHORTFALL_TOL 1e-9

void el_design_result_clear(ElDesignResult *r)
{
    if (!r)
        return;
    el_free(r->jur);
    el_free(r->link);
    memset(r, 0, sizeof(*r));
}

static void fill(const ElScenario *s,
                 const ElDesign *des,
                 const ElModelMap *m,
                 const ElProblem *p,
                 const ElSolution *sol,
                 const ElDesignResult *base,
                 ElDesignResult *r)
{
    int j, k, l, g;
    for (j = 0; j < s->njur; j++) {
        ElJurResult *q = &r->jur[j];
        q->price = sol->y[m->comply_row[j]];
        if (fabs(q->price) < 1e-12 * (1 + fabs(q->price)))
            q->price = 0;
        for (k = 0; k < m->abate_count[j]; k++) {
            int c = m->abate_first[j] + k;
            double a = sol->x[c];
            q->abatement += a;
            q->abatement_cost += p->c[c] * a + 0.5 * p->h[c] * a * a;
        }
        q->emissions = s->jur[j].bau - q->abatement;
    }
    for (l = 0; des && l < des->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        double x = sol->x[m->link_col[l]];
        double pf = r->jur[lk->from].price, pt = r->jur[lk->to].price;
        r->link[l].units = x;
        r->link[l].credited = x * lk->rate;
        r->link[l].rent = (lk->rate * pt - pf) * x;
        r->jur[lk->to].net_imports += x * lk->rate;
        r->jur[lk->from].net_imports -= x;
        r->jur[lk->to].payments += pf * x;
        r->jur[lk->from].payments -= pf * x;
    }
    for (g = 0; des && g < des->ngroups; g++)
        for (k = 0; k < des->groups[g].n; k++) {
            int j2 = des->groups[g].members[k];
            double mj = sol->x[m->group_first_col[g] + k];
            r->jur[j2].net_imports += mj;
            r->jur[j2].payments += r->jur[j2].price * mj;
        }
    r->abatement_cost = r->national_cost = r->gain = 0;
    for (j = 0; j < s->njur; j++) {
        ElJurResult *q = &r->jur[j];
        q->national_cost = q->abatement_cost + q->payments;
        q->gain = base ? base->jur[j].national_cost - q->national_cost : 0;
        r->abatement_cost += q->abatement_cost;
        r->national_cost += q->national_cost;
        r->gain += q->gain;
    }
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

el_status el_design_solve(
    const ElScenario *s, int d, const ElDesignResult *baseline, ElDesignResult *r, ElError *err)
{
    const ElDesign *des = d == EL_AUTARKY ? NULL : &s->designs[d];
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElSolution *sol = NULL;
    el_status st;
    memset(r, 0, sizeof(*r));
    r->id = des ? des->id : "autarky";
    r->design = d;
    r->njur = s->njur;
    r->nlinks = des ? des->nlinks : 0;
    r->jur = el_calloc((size_t)s->njur, sizeof(*r->jur));
    r->link = el_calloc((size_t)(r->nlinks > 0 ? r->nlinks : 1), sizeof(*r->link));
    if (!r->jur || !r->link) {
        el_design_result_clear(r);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results)");
    }
    st = el_model_build(s, d, false, &p, &m, err);
    if (st == EL_OK)
        st = el_solution_create(&sol, p->ncols, p->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(p, &s->settings, sol, &r->info, err);
    if (st == EL_OK) {
        r->outcome = sol->outcome;
        if (sol->outcome == EL_OPTIMAL)
            fill(s, des, m, p, sol, baseline, r);
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
