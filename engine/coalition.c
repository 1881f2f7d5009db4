/* The coalition game's values, Shapley values and superadditivity (engine/coalition.h). */
#include "coalition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"
#include "lp.h"
#include "problem.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (coalitions)");
}

typedef struct {
    const ElScenario *s;
    const int *members;
    int n;
    const ElDesign *rules;
    ElGame *g;
    int *in; /* per jurisdiction: its member index, or -1 */
} GameCtx;

static bool in_mask(const GameCtx *c, unsigned mask, int jur)
{
    return c->in[jur] >= 0 && ((mask >> c->in[jur]) & 1u);
}

/* The design of coalition mask: one group of its members, and the rules' elements among them. */
static el_status coalition_design(const GameCtx *c, unsigned mask, ElDesign **out, ElError *err)
{
    const ElDesign *r = c->rules;
    ElDesign *d = NULL;
    int idx[EL_COALITION_MAX_MEMBERS], n = 0, k;
    char id[48];
    el_status st;
    snprintf(id, sizeof(id), "coalition/%u", mask);
    st = el_design_create(&d, id, 0, err);
    for (k = 0; k < c->n; k++)
        if ((mask >> k) & 1u)
            idx[n++] = c->members[k];
    if (st == EL_OK && n >= 2)
        st = el_design_add_group(d, idx, n, 0, err);
    for (k = 0; st == EL_OK && r && k < r->nlinks; k++) {
        const ElLink *l = &r->links[k];
        if (in_mask(c, mask, l->from) && in_mask(c, mask, l->to))
            st = el_design_add_link(d, l->from, l->to, l->rate, l->quota, l->quota_share,
                                    l->rent_to, l->line, err);
    }
    for (k = 0; st == EL_OK && r && k < r->ninstruments; k++) {
        const ElInstrument *x = &r->instruments[k];
        if (in_mask(c, mask, x->jur))
            st = el_design_add_instrument(d, x->jur, x->kind, x->price, x->volume, x->line, err);
    }
    for (k = 0; st == EL_OK && r && k < r->naccepts; k++) {
        const ElAccept *x = &r->accepts[k];
        if (in_mask(c, mask, x->jur))
            st = el_design_add_accept(d, x->pool, x->jur, x->limit, x->limit_share, x->discount,
                                      x->line, err);
    }
    for (k = 0; st == EL_OK && r && k < r->nexport_caps; k++) {
        const ElExportCap *x = &r->export_caps[k];
        if (in_mask(c, mask, x->jur))
            st = el_design_add_export_cap(d, x->jur, x->max, x->share_of_cap, x->line, err);
    }
    for (k = 0; st == EL_OK && r && k < r->nimport_limits; k++) {
        const ElImportLimit *x = &r->import_limits[k];
        if (in_mask(c, mask, x->jur))
            st = el_design_add_import_limit(d, x->jur, x->max, x->share, x->sources, x->pools,
                                            x->npools, x->line, err);
    }
    if (st == EL_OK)
        st = el_design_check(c->s, d, err);
    if (st != EL_OK) {
        el_design_free(d);
        return st;
    }
    *out = d;
    return EL_OK;
}

static el_status game_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    ElDesign *d = NULL;
    el_status st = coalition_design(ctx, (unsigned)(i + 1), &d, err);
    out->design = d;
    out->variation = NULL;
    return st;
}

static void game_release(void *ctx, long i, ElBatchItem *item)
{
    (void)ctx;
    (void)i;
    el_design_free((ElDesign *)(size_t)item->design);
    item->design = NULL;
}

static el_status game_result(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    GameCtx *c = ctx;
    ElGame *g = c->g;
    unsigned mask = (unsigned)(index + 1), full = (1u << c->n) - 1u;
    int k;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    if (r->outcome != EL_OPTIMAL)
        return el_error_set(err, EL_ERR_NO_EQUILIBRIUM,
                            "%s: coalition %u (members as listed, bit k = member k) has no "
                            "equilibrium",
                            c->s->path, mask);
    g->v[mask] = r->gain;
    if (mask == full)
        for (k = 0; k < c->n; k++)
            g->market[k] = r->jur[c->members[k]].gain;
    g->evaluations++;
    return EL_OK;
}

void el_shapley(const double *v, int n, double *phi)
{
    double w[EL_COALITION_MAX_MEMBERS + 1];
    unsigned mask, full = (1u << n) - 1u;
    int k, s;
    /* w[s] = s! (n - s - 1)! / n!, by the recurrence w[s + 1] = w[s] (s + 1) / (n - s - 1) */
    w[0] = 1.0 / n;
    for (s = 0; s + 1 < n; s++)
        w[s + 1] = w[s] * (s + 1) / (n - s - 1);
    for (k = 0; k < n; k++)
        phi[k] = 0;
    for (mask = 1; mask <= full; mask++) {
        int size = __builtin_popcount(mask);
        for (k = 0; k < n; k++) {
            if ((mask >> k) & 1u)
                phi[k] += w[size - 1] * v[mask]; /* S = mask \ k, |S| = size - 1 */
            else
                phi[k] -= w[size] * v[mask]; /* S = mask, k joins */
        }
    }
}

/* Superadditivity: v(S u T) >= v(S) + v(T) for disjoint S, T; every pair when 3^n is at most
 * 43 million (n <= 16), else every (S, {i}). */
static void superadditivity(ElGame *g)
{
    int n = g->n;
    unsigned full = (1u << n) - 1u, u, s;
    double tol;
    g->superadditive = true;
    g->sa_exhaustive = n <= 16;
    for (u = 1; u <= full; u++) {
        tol = 1e-9 * (1 + fabs(g->v[u]));
        if (g->sa_exhaustive) {
            for (s = (u - 1) & u; s > 0; s = (s - 1) & u) {
                unsigned t = u & ~s;
                if (s < t) /* each unordered pair once */
                    continue;
                if (g->v[s] + g->v[t] > g->v[u] + tol) {
                    g->superadditive = false;
                    g->sa_s = s;
                    g->sa_t = t;
                    g->sa_gap = g->v[s] + g->v[t] - g->v[u];
                    return;
                }
            }
        } else {
            int k;
            for (k = 0; k < n; k++) {
                unsigned one = 1u << k;
                if (!(u & one) || u == one)
                    continue;
                if (g->v[u & ~one] + g->v[one] > g->v[u] + tol) {
                    g->superadditive = false;
                    g->sa_s = u & ~one;
                    g->sa_t = one;
                    g->sa_gap = g->v[u & ~one] + g->v[one] - g->v[u];
                    return;
                }
            }
        }
    }
}

el_status el_game_solve(const ElScenario *s,
                        const int *members,
                        int n,
                        const ElDesign *rules,
                        const ElBatchOptions *opt,
                        ElGame *out,
                        ElError *err)
{
    GameCtx c;
    ElProducer pr;
    ElSink sink;
    const ElSink *sinks[1] = {&sink};
    el_status st;
    int k;
    memset(out, 0, sizeof(*out));
    if (n < 1 || n > EL_COALITION_MAX_MEMBERS)
        return el_error_set(err, EL_ERR_INPUT, "%s: %d members: from 1 to %d", s->path, n,
                            EL_COALITION_MAX_MEMBERS);
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.members = members;
    c.n = n;
    c.rules = rules;
    c.g = out;
    out->n = n;
    out->members = el_malloc((size_t)n * sizeof(int));
    out->v = el_calloc((size_t)1 << n, sizeof(double));
    out->market = el_calloc((size_t)n, sizeof(double));
    out->shapley = el_calloc((size_t)n, sizeof(double));
    c.in = el_malloc((size_t)s->njur * sizeof(int) + 1);
    if (!out->members || !out->v || !out->market || !out->shapley || !c.in) {
        el_free(c.in);
        el_game_clear(out);
        return nomem(err);
    }
    memcpy(out->members, members, (size_t)n * sizeof(int));
    for (k = 0; k < s->njur; k++)
        c.in[k] = -1;
    for (k = 0; k < n; k++) {
        if (members[k] < 0 || members[k] >= s->njur || c.in[members[k]] >= 0) {
            el_free(c.in);
            el_game_clear(out);
            return el_error_set(err, EL_ERR_INPUT,
                                "%s: member %d is not a jurisdiction or is "
                                "listed twice",
                                s->path, k);
        }
        c.in[members[k]] = k;
    }
    pr = (ElProducer){&c, (1L << n) - 1, game_item, game_release};
    sink = (ElSink){&c, NULL, game_result, NULL};
    st = el_batch_solve(s, &pr, opt, sinks, 1, err);
    el_free(c.in);
    if (st == EL_OK) {
        el_shapley(out->v, n, out->shapley);
        superadditivity(out);
    }
    return st;
}

void el_game_clear(ElGame *g)
{
    if (!g)
        return;
    el_free(g->members);
    el_free(g->v);
    el_free(g->market);
    el_free(g->shapley);
    memset(g, 0, sizeof(*g));
}

/* ---- The core ---- */

/* x(S) */
static double coalition_sum(const double *x, unsigned mask, int n)
{
    double t = 0;
    int k;
    for (k = 0; k < n; k++)
        if ((mask >> k) & 1u)
            t += x[k];
    return t;
}

/* The proper coalition S maximising v(S) - x(S) (ties: the smallest mask). */
static unsigned most_violated(const ElGame *g, const double *x, double *gap)
{
    unsigned full = (1u << g->n) - 1u, s, best = 0;
    double worst = -HUGE_VAL;
    for (s = 1; s < full; s++) {
        double d = g->v[s] - coalition_sum(x, s, g->n);
        if (d > worst) {
            worst = d;
            best = s;
        }
    }
    *gap = worst;
    return best;
}

/* Solve the least-core LP over the coalitions in rows[0..nr-1]: max eps s.t. x(N) = v(N),
 * x(S) - eps >= v(S). */
static el_status least_core_lp(const ElGame *g,
                               const ElSettings *set,
                               const unsigned *rows,
                               int nr,
                               double *x,
                               double *eps,
                               ElError *err)
{
    ElProblem *p = NULL;
    ElLp *lp = NULL;
    ElSolution *sol = NULL;
    int n = g->n, k, r, col, row;
    el_status st = el_problem_create(&p, err);
    for (k = 0; st == EL_OK && k <= n; k++) /* x_0 .. x_n-1, then eps */
        st = el_problem_add_col(p, NULL, k == n ? -1 : 0, 0, -HUGE_VAL, HUGE_VAL, &col, err);
    if (st == EL_OK)
        st = el_problem_add_row(p, NULL, g->v[(1u << n) - 1u], g->v[(1u << n) - 1u], EL_ROW_PLAIN,
                                &row, err);
    for (k = 0; st == EL_OK && k < n; k++)
        st = el_problem_add_coef(p, row, k, 1, err);
    for (r = 0; st == EL_OK && r < nr; r++) {
        st = el_problem_add_row(p, NULL, g->v[rows[r]], HUGE_VAL, EL_ROW_PLAIN, &row, err);
        for (k = 0; st == EL_OK && k < n; k++)
            if ((rows[r] >> k) & 1u)
                st = el_problem_add_coef(p, row, k, 1, err);
        if (st == EL_OK)
            st = el_problem_add_coef(p, row, n, -1, err);
    }
    if (st == EL_OK)
        st = el_lp_create(&lp, p, set, err);
    if (st == EL_OK)
        st = el_solution_create(&sol, n + 1, nr + 1, err);
    if (st == EL_OK)
        st = el_lp_solve(lp, sol, err);
    if (st == EL_OK && sol->outcome != EL_OPTIMAL)
        st = el_error_set(err, EL_ERR_LP, "the least-core LP ended %s",
                          el_outcome_name(sol->outcome));
    if (st == EL_OK) {
        memcpy(x, sol->x, (size_t)n * sizeof(double));
        *eps = sol->x[n];
    }
    el_solution_free(sol);
    el_lp_free(lp);
    el_problem_free(p);
    return st;
}

el_status el_game_core(const ElGame *g, const ElSettings *settings, ElCore *out, ElError *err)
{
    int n = g->n, nr = 0, cap, k;
    unsigned *rows, full = (1u << n) - 1u;
    double gap, tol = 1e-9 * (1 + fabs(g->v[full]));
    el_status st = EL_OK;
    memset(out, 0, sizeof(*out));
    out->x = el_calloc((size_t)n, sizeof(double));
    cap = 4 * n + 64;
    rows = el_malloc((size_t)cap * sizeof(*rows));
    if (!out->x || !rows) {
        el_free(rows);
        el_core_clear(out);
        return nomem(err);
    }
    for (k = 0; k < n && n > 1; k++) /* the singletons first */
        rows[nr++] = 1u << k;
    if (n == 1) {
        out->x[0] = g->v[1];
        out->eps = HUGE_VAL;
    }
    while (st == EL_OK && n > 1) {
        unsigned s;
        st = least_core_lp(g, settings, rows, nr, out->x, &out->eps, err);
        if (st != EL_OK)
            break;
        s = most_violated(g, out->x, &gap);
        if (gap + out->eps <= tol) /* every coalition has x(S) - eps >= v(S) */
            break;
        for (k = 0; k < nr && rows[k] != s; k++)
            ;
        if (k < nr) /* already a row yet violated: the LP's rounding; stop */
            break;
        if (nr == cap) {
            unsigned *nw = el_reallocarray(rows, (size_t)(cap *= 2), sizeof(*rows));
            if (!nw) {
                st = nomem(err);
                break;
            }
            rows = nw;
        }
        rows[nr++] = s;
    }
    out->rows = nr;
    el_free(rows);
    if (st != EL_OK) {
        el_core_clear(out);
        return st;
    }
    out->empty = out->eps < -tol;
    out->market_s = most_violated(g, g->market, &gap);
    out->market_gap = gap;
    out->market_in_core = gap <= tol;
    return EL_OK;
}

void el_core_clear(ElCore *c)
{
    if (!c)
        return;
    el_free(c->x);
    memset(c, 0, sizeof(*c));
}

/* ---- The nucleolus ---- */

/* Rank of the 0/1 incidence vectors of masks[0..m-1] over n members: Gaussian elimination
 * against a basis kept with one pivot column per row. */
static int incidence_rank(const unsigned *masks, int m, int n)
{
    double a[EL_NUCLEOLUS_MAX_MEMBERS][EL_NUCLEOLUS_MAX_MEMBERS];
    int piv[EL_NUCLEOLUS_MAX_MEMBERS], rank = 0, r, c, k, i;
    for (i = 0; i < m && rank < n; i++) {
        double row[EL_NUCLEOLUS_MAX_MEMBERS];
        for (c = 0; c < n; c++)
            row[c] = (masks[i] >> c) & 1u;
        for (r = 0; r < rank; r++) {
            double f = row[piv[r]] / a[r][piv[r]];
            if (f != 0)
                for (k = 0; k < n; k++)
                    row[k] -= f * a[r][k];
        }
        for (c = 0; c < n && fabs(row[c]) < 1e-9; c++)
            ;
        if (c == n)
            continue; /* dependent */
        memcpy(a[rank], row, sizeof(row));
        piv[rank++] = c;
    }
    return rank;
}

el_status el_game_nucleolus(const ElGame *g, const ElSettings *settings, double *x, ElError *err)
{
    int n = g->n, nfix = 0, stage, k;
    unsigned full = (1u << n) - 1u, s;
    unsigned *fixed = NULL;
    double *fix_eps = NULL;
    char *is_fixed = NULL;
    el_status st = EL_OK;
    if (n > EL_NUCLEOLUS_MAX_MEMBERS)
        return el_error_set(err, EL_ERR_INPUT, "the nucleolus is computed for at most %d members",
                            EL_NUCLEOLUS_MAX_MEMBERS);
    if (n == 1) {
        x[0] = g->v[1];
        return EL_OK;
    }
    fixed = el_malloc(((size_t)full + 1) * sizeof(*fixed));
    fix_eps = el_malloc(((size_t)full + 1) * sizeof(*fix_eps));
    is_fixed = el_calloc((size_t)full + 1, 1);
    if (!fixed || !fix_eps || !is_fixed)
        st = nomem(err);
    fixed[0] = full; /* the grand coalition: x(N) = v(N) */
    nfix = st == EL_OK ? 1 : 0;
    for (stage = 0; st == EL_OK && stage < n + 1; stage++) {
        ElProblem *p = NULL;
        ElLp *lp = NULL;
        ElSolution *sol = NULL;
        int col, row, nrow = 0, *row_of = NULL;
        double eps = 0;
        if (incidence_rank(fixed, nfix, n) == n)
            break; /* x is determined */
        row_of = el_malloc(((size_t)full + 1) * sizeof(int));
        st = row_of ? el_problem_create(&p, err) : nomem(err);
        for (k = 0; st == EL_OK && k <= n; k++)
            st = el_problem_add_col(p, NULL, k == n ? -1 : 0, 0, -HUGE_VAL, HUGE_VAL, &col, err);
        for (s = 1; st == EL_OK && s <= full; s++) {
            double lo;
            bool free_row = !is_fixed[s] && s != full;
            if (s == full)
                lo = g->v[full];
            else if (is_fixed[s])
                lo = g->v[s] + fix_eps[s];
            else
                lo = g->v[s];
            st = el_problem_add_row(p, NULL, lo, free_row ? HUGE_VAL : lo, EL_ROW_PLAIN, &row, err);
            row_of[s] = row;
            nrow++;
            for (k = 0; st == EL_OK && k < n; k++)
                if ((s >> k) & 1u)
                    st = el_problem_add_coef(p, row, k, 1, err);
            if (st == EL_OK && free_row)
                st = el_problem_add_coef(p, row, n, -1, err);
        }
        if (st == EL_OK)
            st = el_lp_create(&lp, p, settings, err);
        if (st == EL_OK)
            st = el_solution_create(&sol, n + 1, nrow, err);
        if (st == EL_OK)
            st = el_lp_solve(lp, sol, err);
        if (st == EL_OK && sol->outcome != EL_OPTIMAL)
            st = el_error_set(err, EL_ERR_LP, "a nucleolus LP ended %s",
                              el_outcome_name(sol->outcome));
        if (st == EL_OK) {
            int added = 0;
            eps = sol->x[n];
            memcpy(x, sol->x, (size_t)n * sizeof(double));
            /* coalitions with a positive dual are tight in every optimum: fixed at eps */
            for (s = 1; s < full; s++)
                if (!is_fixed[s] && fabs(sol->y[row_of[s]]) > 1e-9) {
                    is_fixed[s] = 1;
                    fix_eps[s] = eps;
                    fixed[nfix++] = s;
                    added++;
                }
            if (added == 0)
                st = el_error_set(err, EL_ERR_NUMERIC, "nucleolus: a stage fixed no coalition");
        }
        el_solution_free(sol);
        el_lp_free(lp);
        el_problem_free(p);
        el_free(row_of);
    }
    el_free(fixed);
    el_free(fix_eps);
    el_free(is_fixed);
    return st;
}
