/* Several years with banking and borrowing (engine/periods.h). */
#include "periods.h"

#include <math.h>
#include <string.h>

#include "build.h"
#include "el_alloc.h"
#include "el_uf.h"
#include "qp.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (periods)");
}

static bool in_force(int start, int until, int year)
{
    return (start == 0 || year >= start) && (until == 0 || year <= until);
}

el_status el_design_in_year(const ElDesign *d, int year, ElDesign **out, ElError *err)
{
    ElDesign *c = NULL;
    int k, n;
    el_status st;
    *out = NULL;
    if (!d)
        return EL_OK;
    st = el_design_copy(&c, d, d->id, err);
    if (st != EL_OK)
        return st;
    for (k = 0, n = 0; k < c->nlinks; k++)
        if (in_force(c->links[k].start, c->links[k].until, year))
            c->links[n++] = c->links[k];
    c->nlinks = n;
    for (k = 0, n = 0; k < c->ngroups; k++) {
        if (in_force(c->groups[k].start, c->groups[k].until, year))
            c->groups[n++] = c->groups[k];
        else
            el_free(c->groups[k].members);
    }
    c->ngroups = n;
    *out = c;
    return EL_OK;
}

el_status el_path_variation(const ElScenario *s, int year, ElVariation *v, ElError *err)
{
    int j, k;
    el_status st = EL_OK;
    v->n = 0;
    for (j = 0; j < s->njur && st == EL_OK; j++)
        for (k = 0; k < s->jur[j].npath && st == EL_OK; k++) {
            const ElPathEntry *e = &s->jur[j].path[k];
            if (e->year <= year)
                st = el_variation_add(v, j, e->set.field, e->set.pool, e->set.value, e->set.line,
                                      err);
        }
    return st;
}

void el_multi_result_clear(ElMultiResult *r)
{
    int t;
    if (!r)
        return;
    for (t = 0; r->year && t < r->nperiods; t++)
        el_design_result_clear(&r->year[t]);
    for (t = 0; r->designs && t < r->nperiods; t++)
        el_design_free(r->designs[t]);
    el_free(r->year);
    el_free(r->designs);
    el_free(r->bank);
    el_free(r->discount);
    el_free(r->pv_cost);
    el_free(r->pv_gain);
    memset(r, 0, sizeof(*r));
}

/* One year's problem inside the stacked one. */
typedef struct {
    ElModelData md;
    ElProblem *p;
    ElModelMap *m;
    int col0, row0; /* offsets in the stacked problem */
} Year;

/* Append year y's problem to P with its costs times disc. */
static el_status append(ElProblem *P, Year *y, double disc, ElError *err)
{
    const ElProblem *p = y->p;
    int k, idx;
    el_status st = EL_OK;
    y->col0 = P->ncols;
    y->row0 = P->nrows;
    for (k = 0; k < p->ncols && st == EL_OK; k++)
        st = el_problem_add_col(P, NULL, disc * p->c[k], disc * p->h[k], p->lo[k], p->up[k], &idx,
                                err);
    for (k = 0; k < p->nrows && st == EL_OK; k++)
        st = el_problem_add_row(P, NULL, p->rlo[k], p->rup[k], (ElRowKind)p->rkind[k], &idx, err);
    for (k = 0; k < p->nnz && st == EL_OK; k++)
        st = el_problem_add_coef(P, y->row0 + p->ai[k], y->col0 + p->aj[k], p->av[k], err);
    return st;
}

/* Mark the columns of year y whose values are real quantities (abatement, instruments, taxed
 * emissions, offset supply, projects, shortfalls): the tie stage fixes them. */
static void mark_real(const Year *y, char *real)
{
    const ElModelMap *m = y->m;
    int j, k, i;
    for (j = 0; j < m->njur; j++) {
        for (k = 0; k < m->abate_count[j]; k++)
            real[y->col0 + m->abate_first[j] + k] = 1;
        for (i = 0; i < EL_INSTR_KINDS; i++)
            if (m->instr_col[i][j] >= 0)
                real[y->col0 + m->instr_col[i][j]] = 1;
        if (m->tax_col[j] >= 0)
            real[y->col0 + m->tax_col[j]] = 1;
        if (m->short_col[j] >= 0)
            real[y->col0 + m->short_col[j]] = 1;
    }
    for (i = 0; i < m->npools; i++)
        for (k = 0; k < m->pool_count[i]; k++)
            real[y->col0 + m->pool_first_col[i] + k] = 1;
    for (i = 0; i < m->nprojects; i++)
        real[y->col0 + m->project_col[i]] = 1;
}

/* The bank columns of year t: n_tj = plus - minus, plus in [0, bank limit], minus (borrowed)
 * in [0, 1e9] when borrowing is allowed and t is not the last year, else fixed at 0. */
typedef struct {
    int plus, minus; /* columns, or -1 */
} BankCols;

static double bank_limit(const ElJurisdiction *ju, const ElJurData *q)
{
    double lim;
    if (!ju->bank_allowed)
        return 0;
    lim = !isnan(ju->bank_share) ? ju->bank_share * q->cap : ju->bank_max;
    return lim < EL_MAX_QUANTITY ? lim : EL_MAX_QUANTITY;
}

/* Whether year starts one of ju's compliance phases (nothing is borrowed from it). */
static bool phase_start(const ElJurisdiction *ju, int year)
{
    int k;
    for (k = 0; k < ju->nborrow_phase; k++)
        if (ju->borrow_phase[k] == year)
            return true;
    return false;
}

/* Unlimited banking, and no borrowing: a bank that may be pruned in the first stage. */
static bool free_bank(const ElJurisdiction *ju)
{
    return ju->cap_kind != EL_CAP_TAX && ju->bank_allowed && ju->bank_max >= EL_MAX_QUANTITY &&
           isnan(ju->bank_share) && ju->borrow_share == 0;
}

/* The first stage's redundant banks. Where members of one group in year t are in one group in
 * year t + 1 too, their units can be banked by any of them and traded, so with unlimited banks
 * the problem keeps its optimal real quantities with one bank per such pair of groups: the
 * others (prune[t nj + j] = 1) close cycles (bank, trade, bank, trade) that would make every KKT
 * system of the stacked QP singular. rep[t nj + j] is the bank kept for j's pair (itself when
 * kept; -1 for a bank with limits, which is never pruned). *forest: the graph of the years'
 * groups joined by the banks kept is a forest, so that every kept bank's value is determined by
 * the real quantities (then the tie stage only splits each pair's units among its members). */
static el_status prune_banks(const ElScenario *s,
                             const ElMultiResult *out,
                             char *prune,
                             int *rep,
                             bool *forest,
                             ElError *err)
{
    int T = out->nperiods, nj = s->njur, t, j, g, k;
    int *cur = el_malloc(2 * ((size_t)nj + 1) * sizeof(int)), *next;
    int *node = el_malloc(((size_t)T * (size_t)nj + 1) * sizeof(int));
    if (!cur || !node) {
        el_free(cur);
        el_free(node);
        return nomem(err);
    }
    next = cur + nj + 1;
    *forest = true;
    for (k = 0; k < T * nj; k++)
        node[k] = k; /* (year, group root) nodes: t nj + root */
    for (t = 0; t + 1 < T; t++) {
        const ElDesign *a = out->designs[t], *b = out->designs[t + 1];
        for (j = 0; j < nj; j++)
            cur[j] = next[j] = j;
        for (g = 0; a && g < a->ngroups; g++)
            for (k = 1; k < a->groups[g].n; k++)
                el_uf_union(cur, a->groups[g].members[0], a->groups[g].members[k]);
        for (g = 0; b && g < b->ngroups; g++)
            for (k = 1; k < b->groups[g].n; k++)
                el_uf_union(next, b->groups[g].members[0], b->groups[g].members[k]);
        for (j = 0; j < nj; j++) {
            int r = el_uf_find(cur, j), kept, u, v;
            rep[t * nj + j] = -1;
            if (s->jur[j].cap_kind == EL_CAP_TAX)
                continue;
            if (free_bank(&s->jur[j])) {
                for (kept = 0; kept < j; kept++)
                    if (rep[t * nj + kept] == t * nj + kept && el_uf_find(cur, kept) == r &&
                        el_uf_find(next, kept) == el_uf_find(next, j))
                        break;
                if (kept < j) {
                    prune[t * nj + j] = 1;
                    rep[t * nj + j] = t * nj + kept;
                    continue;
                }
                rep[t * nj + j] = t * nj + j;
            }
            /* a kept bank joins (t, its group) and (t + 1, its group) */
            u = el_uf_find(node, t * nj + r);
            v = el_uf_find(node, (t + 1) * nj + el_uf_find(next, j));
            if (u == v)
                *forest = false; /* links are not followed: they have quotas, keep their banks */
            else
                el_uf_union(node, u, v);
        }
    }
    for (j = 0; j < nj; j++)
        rep[(T - 1) * nj + j] = -1;
    el_free(cur);
    el_free(node);
    return EL_OK;
}

el_status el_multi_solve(const ElScenario *s,
                         const ElDesign *d,
                         const ElMultiResult *baseline,
                         ElMultiResult *out,
                         ElError *err)
{
    const ElPeriods *per = &s->periods;
    int T = per->last - per->first + 1, nj = s->njur, t, j, k;
    Year *yr = NULL;
    BankCols *bc = NULL;
    ElProblem *P = NULL;
    ElSolution *sol = NULL;
    ElVariation v;
    char *real = NULL, *prune = NULL;
    int *rep = NULL;
    double *split_x = NULL; /* the equal split of a pair's units, NaN elsewhere */
    bool forest = true;
    el_status st = EL_OK;
    memset(out, 0, sizeof(*out));
    el_variation_init(&v);
    if (!per->on)
        return el_error_set(err, EL_ERR_INTERNAL, "el_multi_solve without <periods>");
    out->nperiods = T;
    out->first = per->first;
    out->njur = nj;
    out->outcome = EL_OPTIMAL;
    out->year = el_calloc((size_t)T, sizeof(ElDesignResult));
    out->designs = el_calloc((size_t)T, sizeof(ElDesign *));
    out->bank = el_calloc((size_t)T * (size_t)nj + 1, sizeof(double));
    out->discount = el_calloc((size_t)T, sizeof(double));
    out->pv_cost = el_calloc((size_t)nj + 1, sizeof(double));
    out->pv_gain = el_calloc((size_t)nj + 1, sizeof(double));
    yr = el_calloc((size_t)T, sizeof(Year));
    bc = el_calloc((size_t)T * (size_t)nj + 1, sizeof(BankCols));
    if (!out->year || !out->designs || !out->bank || !out->discount || !out->pv_cost ||
        !out->pv_gain || !yr || !bc) {
        st = nomem(err);
        goto done;
    }
    st = el_problem_create(&P, err);
    /* the years' problems, stacked, costs discounted to the first year */
    for (t = 0; t < T && st == EL_OK; t++) {
        out->discount[t] = pow(1 + per->rate, -(double)t);
        st = el_design_in_year(d, per->first + t, &out->designs[t], err);
        if (st == EL_OK)
            st = el_path_variation(s, per->first + t, &v, err);
        for (k = 0; st == EL_OK && d && k < d->sets.n; k++) /* the design's own sets win */
            st = el_variation_add(&v, d->sets.sets[k].jur, d->sets.sets[k].field,
                                  d->sets.sets[k].pool, d->sets.sets[k].value, d->sets.sets[k].line,
                                  err);
        if (st == EL_OK)
            st = el_model_data_init(&yr[t].md, s, out->designs[t], &v, NULL, err);
        if (st == EL_OK)
            st = el_model_build(&yr[t].md, 0, &yr[t].p, &yr[t].m, err);
        if (st == EL_OK && el_problem_has_integers(yr[t].p))
            st = el_error_set(err, EL_ERR_INPUT,
                              "%s: design '%s': joint projects are not modelled over several "
                              "periods yet",
                              s->path, d ? d->id : "autarky");
        if (st == EL_OK)
            st = append(P, &yr[t], out->discount[t], err);
    }
    /* bank columns and their coefficients: -n_tj in year t's compliance row, +n_tj in year
       t + 1's; the initial bank lowers the first year's requirement */
    for (t = 0; t < T && st == EL_OK; t++)
        for (j = 0; j < nj && st == EL_OK; j++) {
            const ElJurisdiction *ju = &s->jur[j];
            const ElJurData *q = &yr[t].md.jur[j];
            BankCols *b = &bc[t * nj + j];
            int row = yr[t].row0 + yr[t].m->comply_row[j];
            double value = t == T - 1 ? -per->terminal_value * out->discount[t] : 0;
            b->plus = b->minus = -1;
            if (ju->cap_kind == EL_CAP_TAX)
                continue;
            if (t == 0)
                P->rlo[row] -= ju->initial_bank;
            if (t == T - 1 && per->terminal_value == 0)
                continue; /* a final bank worth nothing: no column (it would only be degenerate) */
            st = el_problem_add_col(P, NULL, value, 0, 0, bank_limit(ju, q), &b->plus, err);
            if (st == EL_OK)
                st = el_problem_add_coef(P, row, b->plus, -1, err);
            if (st == EL_OK && t + 1 < T)
                st = el_problem_add_coef(P, yr[t + 1].row0 + yr[t + 1].m->comply_row[j], b->plus, 1,
                                         err);
            if (st == EL_OK && ju->borrow_share > 0 && t + 1 < T &&
                !phase_start(ju, per->first + t + 1)) {
                int brow;
                st = el_problem_add_col(P, NULL, 0, 0, 0, EL_MAX_QUANTITY, &b->minus, err);
                if (st == EL_OK)
                    st = el_problem_add_coef(P, row, b->minus, 1, err);
                if (st == EL_OK)
                    st = el_problem_add_coef(P, yr[t + 1].row0 + yr[t + 1].m->comply_row[j],
                                             b->minus, -1, err);
                /* borrowed <= share x emissions: minus + share sum_k a_k <= share e */
                if (st == EL_OK)
                    st = el_problem_add_row(P, NULL, -HUGE_VAL, ju->borrow_share * q->bau,
                                            EL_ROW_PLAIN, &brow, err);
                if (st == EL_OK)
                    st = el_problem_add_coef(P, brow, b->minus, 1, err);
                for (k = 0; st == EL_OK && k < yr[t].m->abate_count[j]; k++)
                    st = el_problem_add_coef(P, brow, yr[t].col0 + yr[t].m->abate_first[j] + k,
                                             ju->borrow_share, err);
            }
        }
    /* the first stage without the redundant banks */
    prune = st == EL_OK ? el_calloc((size_t)T * (size_t)nj + 1, 1) : NULL;
    if (st == EL_OK && !prune)
        st = nomem(err);
    rep = st == EL_OK ? el_malloc(((size_t)T * (size_t)nj + 1) * sizeof(int)) : NULL;
    if (st == EL_OK && !rep)
        st = nomem(err);
    split_x = st == EL_OK ? el_malloc(((size_t)T * (size_t)nj + 1) * sizeof(double)) : NULL;
    if (st == EL_OK && !split_x)
        st = nomem(err);
    for (k = 0; st == EL_OK && k < T * nj; k++)
        split_x[k] = nan("");
    if (st == EL_OK)
        st = prune_banks(s, out, prune, rep, &forest, err);
    for (t = 0; st == EL_OK && t < T; t++)
        for (j = 0; j < nj; j++)
            if (prune[t * nj + j] && bc[t * nj + j].plus >= 0)
                P->up[bc[t * nj + j].plus] = 0;
    if (st == EL_OK)
        st = el_problem_check(P, err);
    if (st == EL_OK)
        st = el_solution_create(&sol, P->ncols, P->nrows, err);
    if (st == EL_OK)
        st = el_qp_solve(P, &s->settings, sol, NULL, err);
    if (st != EL_OK)
        goto done;
    out->outcome = sol->outcome;
    if (sol->outcome != EL_OPTIMAL)
        goto done;
    /* the tie stage: real quantities fixed, min sum n^2 / 2 over the bank paths and trades.
       When the kept banks form a forest each one's value is determined by the real quantities,
       and a pair of groups' units may be split among its members at will (the groups' trades
       move them): the least-squares split is the equal one, n_j = B / |pair|, which needs no
       QP. Otherwise the tie stage solves the QP below. */
    if (forest) {
        for (t = 0; t < T; t++)
            for (j = 0; j < nj; j++) {
                int r = rep[t * nj + j], size = 0, k2;
                if (r != t * nj + j)
                    continue;
                for (k2 = j; k2 < nj; k2++)
                    size += rep[t * nj + k2] == r;
                for (k2 = j; k2 < nj && size > 1; k2++)
                    if (rep[t * nj + k2] == r)
                        split_x[t * nj + k2] = sol->x[bc[r].plus] / size;
            }
        goto banks;
    }
    real = el_calloc((size_t)P->ncols + 1, 1);
    if (!real) {
        st = nomem(err);
        goto done;
    }
    for (t = 0; t < T; t++)
        mark_real(&yr[t], real);
    for (k = 0; k < P->ncols; k++) {
        P->c[k] = 0;
        P->h[k] = 0;
        if (real[k])
            P->lo[k] = P->up[k] = sol->x[k];
    }
    for (t = 0; t < T; t++)
        for (j = 0; j < nj; j++) {
            const BankCols *b = &bc[t * nj + j];
            if (b->plus >= 0) {
                P->h[b->plus] = 1;
                P->up[b->plus] = bank_limit(&s->jur[j], &yr[t].md.jur[j]); /* pruned: back */
            }
            if (b->minus >= 0)
                P->h[b->minus] = 1;
        }
    st = el_qp_solve(P, &s->settings, sol, NULL, err);
    if (st == EL_OK && sol->outcome != EL_OPTIMAL)
        st = el_error_set(err, EL_ERR_NUMERIC,
                          "%s: design '%s': the bank paths' tie stage ended '%s'", s->path,
                          d ? d->id : "autarky", el_outcome_name(sol->outcome));
    if (st != EL_OK)
        goto done;
banks:
    for (t = 0; t < T; t++)
        for (j = 0; j < nj; j++) {
            const BankCols *b = &bc[t * nj + j];
            double n =
                (b->plus >= 0 ? sol->x[b->plus] : 0) - (b->minus >= 0 ? sol->x[b->minus] : 0);
            if (!isnan(split_x[t * nj + j]))
                n = split_x[t * nj + j];
            out->bank[t * nj + j] = fabs(n) < 1e-12 ? 0 : n;
        }
    /* each year as a single period with its bank draw */
    for (t = 0; t < T && st == EL_OK; t++) {
        st = el_path_variation(s, per->first + t, &v, err);
        for (k = 0; st == EL_OK && d && k < d->sets.n; k++) /* the design's own sets win */
            st = el_variation_add(&v, d->sets.sets[k].jur, d->sets.sets[k].field,
                                  d->sets.sets[k].pool, d->sets.sets[k].value, d->sets.sets[k].line,
                                  err);
        for (j = 0; j < nj && st == EL_OK; j++) {
            double before = t > 0 ? out->bank[(t - 1) * nj + j] : s->jur[j].initial_bank;
            double draw = before - out->bank[t * nj + j];
            if (s->jur[j].cap_kind != EL_CAP_TAX && draw != 0)
                st = el_variation_add(&v, j, EL_SET_BANK_DRAW, -1, draw, 0, err);
        }
        if (st == EL_OK)
            st = el_design_solve(s, out->designs[t], &v, baseline ? &baseline->year[t] : NULL,
                                 &out->year[t], err);
        if (st == EL_OK && out->year[t].outcome != EL_OPTIMAL)
            st = el_error_set(err, EL_ERR_NUMERIC,
                              "%s: design '%s': year %d has no equilibrium with the bank draws "
                              "of the whole horizon",
                              s->path, d ? d->id : "autarky", per->first + t);
    }
    for (t = 0; t < T && st == EL_OK; t++)
        for (j = 0; j < nj; j++)
            out->pv_cost[j] += out->discount[t] * out->year[t].jur[j].national_cost;
    for (j = 0; j < nj && st == EL_OK; j++) {
        out->pv_cost[j] -=
            per->terminal_value * out->discount[T - 1] * fmax(out->bank[(T - 1) * nj + j], 0);
        if (baseline)
            out->pv_gain[j] = baseline->pv_cost[j] - out->pv_cost[j];
        out->pv_total_gain += out->pv_gain[j];
    }
    for (t = 0; t < T && st == EL_OK && baseline; t++) /* as a year's total gain: with the
                                                         rest of the world's offset surplus */
        out->pv_total_gain +=
            out->discount[t] * (out->year[t].row_surplus - baseline->year[t].row_surplus);
done:
    for (t = 0; yr && t < T; t++) {
        el_model_data_clear(&yr[t].md);
        el_problem_free(yr[t].p);
        el_model_map_free(yr[t].m);
    }
    el_free(yr);
    el_free(bc);
    el_free(real);
    el_free(prune);
    el_free(rep);
    el_free(split_x);
    el_solution_free(sol);
    el_problem_free(P);
    el_variation_clear(&v);
    if (st != EL_OK)
        el_multi_result_clear(out);
    return st;
}
