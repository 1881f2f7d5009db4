/* The coalition game's values, Shapley values and superadditivity (engine/coalition.h). */
#include "coalition.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_mpi.h"
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

/* The game's side of the value function: store v(S) and the members' gains. */
static el_status game_report(void *ctx, long index, const double *jur_gain, ElError *err)
{
    GameCtx *c = ctx;
    ElGame *g = c->g;
    unsigned mask = (unsigned)(index + 1), full = (1u << c->n) - 1u;
    double total = 0;
    int k;
    (void)err;
    for (k = 0; k < c->n; k++) /* in member order, whatever the jurisdictions' order */
        if ((mask >> k) & 1u)
            total += jur_gain[c->members[k]];
    g->v[mask] = total;
    if (g->gains)
        for (k = 0; k < c->n; k++)
            g->gains[(size_t)mask * (size_t)c->n + (size_t)k] =
                (mask >> k) & 1u ? jur_gain[c->members[k]] : 0;
    if (mask == full)
        for (k = 0; k < c->n; k++)
            g->market[k] = jur_gain[c->members[k]];
    g->evaluations++;
    return EL_OK;
}

/* ---- The deterministic value function: a batch of equilibria ---- */

typedef struct {
    const ElScenario *s;
    ElGameReport report;
    void *game;
    double *jur_gain;
} EqValue;

static el_status eq_result(void *ctx,
                           long index,
                           const ElBatchItem *item,
                           const ElDesignResult *r,
                           const ElDesignResult *baseline,
                           ElError *err)
{
    EqValue *e = ctx;
    int j;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    if (r->outcome != EL_OPTIMAL)
        return el_error_set(err, EL_ERR_NO_EQUILIBRIUM,
                            "%s: coalition %ld (members as listed, bit k = member k) has no "
                            "equilibrium",
                            e->s->path, index + 1);
    for (j = 0; j < e->s->njur; j++)
        e->jur_gain[j] = r->jur[j].gain;
    return e->report(e->game, index, e->jur_gain, err);
}

static el_status eq_evaluate(void *ctx,
                             const ElScenario *s,
                             const ElProducer *pr,
                             const ElBatchOptions *opt,
                             ElGameReport report,
                             void *game,
                             ElError *err)
{
    EqValue e = {s, report, game, NULL};
    ElSink sink = {&e, NULL, eq_result, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    el_status st;
    (void)ctx;
    e.jur_gain = el_calloc((size_t)s->njur + 1, sizeof(double));
    if (!e.jur_gain)
        return nomem(err);
    st = el_batch_solve(s, pr, opt, sinks, 1, err);
    el_free(e.jur_gain);
    return st;
}

const ElGameValue el_game_value_equilibrium = {NULL, eq_evaluate};

int el_game_top_coalitions(const ElGame *g, unsigned *top)
{
    unsigned full = (1u << g->n) - 1u, m;
    int nt = 0, k;
    for (m = 1; m <= full; m++) {
        if (__builtin_popcount(m) < 2)
            continue;
        if (nt < EL_TOP_COALITIONS)
            top[nt++] = m;
        else if (g->v[m] > g->v[top[nt - 1]])
            top[nt - 1] = m;
        else
            continue;
        for (k = nt - 1; k > 0 && (g->v[top[k]] > g->v[top[k - 1]] ||
                                   (g->v[top[k]] == g->v[top[k - 1]] && top[k] < top[k - 1]));
             k--) {
            unsigned t = top[k];
            top[k] = top[k - 1];
            top[k - 1] = t;
        }
    }
    return nt;
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
                        const ElGameValue *value,
                        const ElBatchOptions *opt,
                        ElGame *out,
                        ElError *err)
{
    GameCtx c;
    ElProducer pr;
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
    if (n <= EL_STRUCTURE_MAX_MEMBERS)
        out->gains = el_calloc((size_t)n << n, sizeof(double));
    c.in = el_malloc((size_t)s->njur * sizeof(int) + 1);
    if (!out->members || !out->v || !out->market || !out->shapley || !c.in ||
        (n <= EL_STRUCTURE_MAX_MEMBERS && !out->gains)) {
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
    pr = (ElProducer){&c, (1L << n) - 1, game_item, el_batch_release_design};
    if (!value)
        value = &el_game_value_equilibrium;
    st = value->evaluate(value->ctx, s, &pr, opt, game_report, &c, err);
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
    el_free(g->gains);
    el_free(g->market);
    el_free(g->shapley);
    memset(g, 0, sizeof(*g));
}

el_status el_game_from_values(
    int n, const int *members, const double *v, const double *gains, ElGame *out, ElError *err)
{
    size_t count = (size_t)1 << (n > 0 ? n : 0);
    int k;
    memset(out, 0, sizeof(*out));
    if (n < 1 || n > EL_COALITION_MAX_MEMBERS)
        return el_error_set(err, EL_ERR_INPUT, "%d members: from 1 to %d", n,
                            EL_COALITION_MAX_MEMBERS);
    out->n = n;
    out->members = el_malloc((size_t)n * sizeof(int));
    out->v = el_malloc(count * sizeof(double));
    out->market = el_calloc((size_t)n, sizeof(double));
    out->shapley = el_calloc((size_t)n, sizeof(double));
    if (gains && n <= EL_STRUCTURE_MAX_MEMBERS)
        out->gains = el_malloc(count * (size_t)n * sizeof(double));
    if (!out->members || !out->v || !out->market || !out->shapley ||
        (gains && n <= EL_STRUCTURE_MAX_MEMBERS && !out->gains)) {
        el_game_clear(out);
        return nomem(err);
    }
    for (k = 0; k < n; k++)
        out->members[k] = members ? members[k] : k;
    memcpy(out->v, v, count * sizeof(double));
    out->v[0] = 0;
    if (out->gains) {
        memcpy(out->gains, gains, count * (size_t)n * sizeof(double));
        memcpy(out->market, gains + (count - 1) * (size_t)n, (size_t)n * sizeof(double));
    }
    out->evaluations = (long)count - 1;
    el_shapley(out->v, n, out->shapley);
    superadditivity(out);
    return EL_OK;
}

/* ---- The core ---- */

/* The proper coalition S maximising v(S) - x(S) (ties within 1e-9 of v(N): the smallest mask,
 * so that rounding does not pick among equals). x(S) is the sum of
 * two partial sums read from tables over the low and the high half of the members' bits, each
 * built by one addition per entry: two additions per coalition instead of n. */
static unsigned most_violated(const ElGame *g, const double *x, double *gap)
{
    int n = g->n, nlo = n / 2, nhi = n - nlo, k;
    unsigned full = (1u << n) - 1u, s, best = 0, lomask = (1u << nlo) - 1u;
    double worst = -HUGE_VAL, tol = 1e-9 * (1 + fabs(g->v[full])),
           lo[1u << (EL_COALITION_MAX_MEMBERS / 2)];
    double hi[1u << (EL_COALITION_MAX_MEMBERS - EL_COALITION_MAX_MEMBERS / 2)];
    lo[0] = hi[0] = 0;
    for (s = 1; s < (1u << nlo); s++) {
        k = __builtin_ctz(s);
        lo[s] = lo[s & (s - 1)] + x[k];
    }
    for (s = 1; s < (1u << nhi); s++) {
        k = __builtin_ctz(s);
        hi[s] = hi[s & (s - 1)] + x[nlo + k];
    }
    for (s = 1; s < full; s++) {
        double d = g->v[s] - (lo[s & lomask] + hi[s >> nlo]);
        if (d > worst + tol) {
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
                               double total,
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
        st = el_problem_add_row(p, NULL, total, total, EL_ROW_PLAIN, &row, err);
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

/* The least core of g with the grand coalition worth `total` (v(N), or the best partition's
 * value for the coalition-structure core): eps and x (n entries), by row generation. */
static el_status least_core_total(const ElGame *g,
                                  const ElSettings *settings,
                                  double total,
                                  double *eps,
                                  double *x,
                                  int *nrows,
                                  ElError *err)
{
    int n = g->n, nr = 0, cap, k;
    unsigned *rows;
    double gap, tol = 1e-9 * (1 + fabs(total));
    el_status st = EL_OK;
    cap = 4 * n + 64;
    rows = el_malloc((size_t)cap * sizeof(*rows));
    if (!rows)
        return nomem(err);
    for (k = 0; k < n; k++) /* the singletons first */
        rows[nr++] = 1u << k;
    while (st == EL_OK) {
        unsigned s;
        st = least_core_lp(g, settings, total, rows, nr, x, eps, err);
        if (st != EL_OK)
            break;
        s = most_violated(g, x, &gap);
        if (gap + *eps <= tol) /* every coalition has x(S) - eps >= v(S) */
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
    *nrows = nr;
    el_free(rows);
    return st;
}

el_status el_game_core(const ElGame *g, const ElSettings *settings, ElCore *out, ElError *err)
{
    int n = g->n;
    unsigned full = (1u << n) - 1u;
    double gap, tol = 1e-9 * (1 + fabs(g->v[full]));
    el_status st = EL_OK;
    memset(out, 0, sizeof(*out));
    out->x = el_calloc((size_t)n, sizeof(double));
    if (!out->x)
        return nomem(err);
    if (n == 1) {
        out->x[0] = g->v[1];
        out->eps = HUGE_VAL;
    } else
        st = least_core_total(g, settings, g->v[full], &out->eps, out->x, &out->rows, err);
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

/* One stage's LP over the coalitions rows[0..nr-1]: max eps s.t. x(N) = v(N); x(S) = v(S) +
 * fix_eps[S] for the fixed ones (is_fixed[S]); x(S) - eps >= v(S) for the others. x, eps and
 * each row's dual (y, nr entries) out. */
static el_status nucleolus_lp(const ElGame *g,
                              const ElSettings *settings,
                              const unsigned *rows,
                              int nr,
                              const char *is_fixed,
                              const double *fix_eps,
                              double *x,
                              double *eps,
                              double *y,
                              ElError *err)
{
    ElProblem *p = NULL;
    ElLp *lp = NULL;
    ElSolution *sol = NULL;
    int n = g->n, k, r, col, row;
    unsigned full = (1u << n) - 1u;
    el_status st = el_problem_create(&p, err);
    for (k = 0; st == EL_OK && k <= n; k++) /* x_0 .. x_n-1, then eps */
        st = el_problem_add_col(p, NULL, k == n ? -1 : 0, 0, -HUGE_VAL, HUGE_VAL, &col, err);
    if (st == EL_OK)
        st = el_problem_add_row(p, NULL, g->v[full], g->v[full], EL_ROW_PLAIN, &row, err);
    for (k = 0; st == EL_OK && k < n; k++)
        st = el_problem_add_coef(p, row, k, 1, err);
    for (r = 0; st == EL_OK && r < nr; r++) {
        unsigned s = rows[r];
        bool fixed = is_fixed[s];
        double lo = fixed ? g->v[s] + fix_eps[s] : g->v[s];
        st = el_problem_add_row(p, NULL, lo, fixed ? lo : HUGE_VAL, EL_ROW_PLAIN, &row, err);
        for (k = 0; st == EL_OK && k < n; k++)
            if ((s >> k) & 1u)
                st = el_problem_add_coef(p, row, k, 1, err);
        if (st == EL_OK && !fixed)
            st = el_problem_add_coef(p, row, n, -1, err);
    }
    if (st == EL_OK)
        st = el_lp_create(&lp, p, settings, err);
    if (st == EL_OK)
        st = el_solution_create(&sol, n + 1, nr + 1, err);
    if (st == EL_OK)
        st = el_lp_solve(lp, sol, err);
    if (st == EL_OK && sol->outcome != EL_OPTIMAL)
        st = el_error_set(err, EL_ERR_LP, "a nucleolus LP ended %s", el_outcome_name(sol->outcome));
    if (st == EL_OK) {
        memcpy(x, sol->x, (size_t)n * sizeof(double));
        *eps = sol->x[n];
        memcpy(y, sol->y + 1, (size_t)nr * sizeof(double));
    }
    el_solution_free(sol);
    el_lp_free(lp);
    el_problem_free(p);
    return st;
}

/* Sums x(S) for every S from two tables (as in most_violated): lo over the low n/2 bits. */
static void subset_tables(const double *x, int n, double *lo, double *hi)
{
    int nlo = n / 2, nhi = n - nlo;
    unsigned s;
    lo[0] = hi[0] = 0;
    for (s = 1; s < (1u << nlo); s++)
        lo[s] = lo[s & (s - 1)] + x[__builtin_ctz(s)];
    for (s = 1; s < (1u << nhi); s++)
        hi[s] = hi[s & (s - 1)] + x[nlo + __builtin_ctz(s)];
}

el_status el_game_nucleolus(const ElGame *g, const ElSettings *settings, double *x, ElError *err)
{
    int n = g->n, nr = 0, stage, k, nfix = 1, nlo = n / 2;
    unsigned full = (1u << n) - 1u, s, lomask = (1u << nlo) - 1u;
    unsigned *rows = NULL, *fixed = NULL;
    double *fix_eps = NULL, *y = NULL, eps = 0, tol = 1e-9 * (1 + fabs(g->v[full]));
    double lo[1u << (EL_NUCLEOLUS_MAX_MEMBERS / 2)];
    double hi[1u << (EL_NUCLEOLUS_MAX_MEMBERS - EL_NUCLEOLUS_MAX_MEMBERS / 2)];
    char *is_fixed = NULL, *is_row = NULL;
    el_status st = EL_OK;
    if (n > EL_NUCLEOLUS_MAX_MEMBERS)
        return el_error_set(err, EL_ERR_INPUT, "the nucleolus is computed for at most %d members",
                            EL_NUCLEOLUS_MAX_MEMBERS);
    if (n == 1) {
        x[0] = g->v[1];
        return EL_OK;
    }
    rows = el_malloc(((size_t)full + 1) * sizeof(*rows));
    fixed = el_malloc(((size_t)full + 1) * sizeof(*fixed));
    fix_eps = el_malloc(((size_t)full + 1) * sizeof(*fix_eps));
    y = el_malloc(((size_t)full + 1) * sizeof(*y));
    is_fixed = el_calloc((size_t)full + 1, 1);
    is_row = el_calloc((size_t)full + 1, 1);
    if (!rows || !fixed || !fix_eps || !y || !is_fixed || !is_row)
        st = nomem(err);
    else
        fixed[0] = full;                     /* the grand coalition: x(N) = v(N) */
    for (k = 0; st == EL_OK && k < n; k++) { /* the singletons first */
        rows[nr++] = 1u << k;
        is_row[1u << k] = 1;
    }
    /* Each stage maximises the least excess of the free coalitions by row generation: the
       restricted LP's optimum is the full LP's once no free coalition has an excess below eps,
       and its duals (zero for the rows left out) are an optimal dual of the full LP, so the rows
       with a positive dual are tight in every optimum and are fixed. */
    for (stage = 0; st == EL_OK && stage < n + 1; stage++) {
        int added = 0;
        if (incidence_rank(fixed, nfix, n) == n)
            break; /* x is determined */
        for (;;) {
            unsigned worst = 0;
            double min = HUGE_VAL;
            st = nucleolus_lp(g, settings, rows, nr, is_fixed, fix_eps, x, &eps, y, err);
            if (st != EL_OK)
                break;
            subset_tables(x, n, lo, hi);
            for (s = 1; s < full; s++) {
                double e;
                if (is_fixed[s] || is_row[s])
                    continue;
                e = lo[s & lomask] + hi[s >> nlo] - g->v[s];
                if (e < min - tol) {
                    min = e;
                    worst = s;
                }
            }
            if (worst == 0 || min >= eps - tol)
                break;
            rows[nr++] = worst;
            is_row[worst] = 1;
        }
        if (st != EL_OK)
            break;
        for (k = 0; k < nr; k++) {
            s = rows[k];
            if (!is_fixed[s] && fabs(y[k]) > 1e-9) {
                is_fixed[s] = 1;
                fix_eps[s] = eps;
                fixed[nfix++] = s;
                added++;
            }
        }
        if (added == 0)
            st = el_error_set(err, EL_ERR_NUMERIC, "nucleolus: a stage fixed no coalition");
    }
    el_free(rows);
    el_free(fixed);
    el_free(fix_eps);
    el_free(y);
    el_free(is_fixed);
    el_free(is_row);
    return st;
}

/* ---- Coalition structures ---- */

/* phi[S n + k] = member k's Shapley value in the game restricted to S, by the recursion
 * phi_k(S) = (v(S) - v(S \ k) + sum_{j in S \ k} phi_k(S \ j)) / |S| (Hart and Mas-Colell 1989),
 * over the masks in increasing order (every subset of S comes before S). */
static void block_shapley(const ElGame *g, double *phi)
{
    int n = g->n, k, j;
    unsigned full = (1u << n) - 1u, s;
    for (s = 1; s <= full; s++) {
        int size = __builtin_popcount(s);
        for (k = 0; k < n; k++) {
            double t;
            if (!((s >> k) & 1u)) {
                phi[(size_t)s * (size_t)n + (size_t)k] = 0;
                continue;
            }
            t = g->v[s] - g->v[s & ~(1u << k)];
            for (j = 0; j < n; j++)
                if (j != k && ((s >> j) & 1u))
                    t += phi[(size_t)(s & ~(1u << j)) * (size_t)n + (size_t)k];
            phi[(size_t)s * (size_t)n + (size_t)k] = t / size;
        }
    }
}

typedef struct {
    const ElGame *g;
    const double *pay[EL_PAYOFF_RULES]; /* pay[r][S n + k] */
    /* per rule and member k: the coalitions whose lowest member is k (2^(n-1-k) of them),
       best payoff for k first (ties: smaller mask), and those payoffs */
    unsigned *pref[EL_PAYOFF_RULES][EL_STRUCTURE_MAX_MEMBERS];
    double *pref_pay[EL_PAYOFF_RULES][EL_STRUCTURE_MAX_MEMBERS];
    unsigned last[EL_PAYOFF_RULES]; /* the last blocking coalition found (tried first) */
    double tol;
} Hedonic;

static const Hedonic *sort_ctx; /* qsort has no context argument; set around the sort only */
static int sort_rule, sort_member;

static int pref_cmp(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    int n = sort_ctx->g->n;
    double px = sort_ctx->pay[sort_rule][(size_t)x * (size_t)n + (size_t)sort_member];
    double py = sort_ctx->pay[sort_rule][(size_t)y * (size_t)n + (size_t)sort_member];
    if (px != py)
        return px > py ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* How many coalitions with lowest member k give k strictly more than x (beyond tol) under
 * rule r. */
static long better_count(const Hedonic *h, int r, int k, double x)
{
    long lo = 0, hi = 1L << (h->g->n - 1 - k);
    const double *p = h->pref_pay[r][k];
    while (lo < hi) { /* first index whose payoff is <= x + tol */
        long mid = (lo + hi) / 2;
        if (p[mid] > x + h->tol)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether coalition s gives each of its members strictly more than x; *least = the smallest
 * improvement. */
static bool blocks(const Hedonic *h, int r, unsigned s, const double *x, double *least)
{
    int n = h->g->n, k;
    double m = HUGE_VAL;
    for (k = 0; k < n; k++)
        if ((s >> k) & 1u) {
            double d = h->pay[r][(size_t)s * (size_t)n + (size_t)k] - x[k];
            if (d <= h->tol)
                return false;
            if (d < m)
                m = d;
        }
    *least = m;
    return true;
}

/* Whether the payoffs x (of some partition) are blocked under rule r. A blocking coalition is
 * among the coalitions its lowest member strictly prefers: so the last blocking coalition
 * found is tried first (neighbouring partitions share most blocks), then member k's list of
 * the coalitions whose lowest member is k, shortest prefixes first. */
static bool blocked(Hedonic *h, int r, const double *x)
{
    int n = h->g->n, k, order[EL_STRUCTURE_MAX_MEMBERS], a, b;
    long cnt[EL_STRUCTURE_MAX_MEMBERS], i;
    double least;
    if (h->last[r] && blocks(h, r, h->last[r], x, &least))
        return true;
    for (k = 0; k < n; k++) {
        cnt[k] = better_count(h, r, k, x[k]);
        order[k] = k;
    }
    for (a = 1; a < n; a++) /* insertion sort by count */
        for (b = a; b > 0 && cnt[order[b]] < cnt[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (a = 0; a < n; a++) {
        k = order[a];
        for (i = 0; i < cnt[k]; i++)
            if (blocks(h, r, h->pref[r][k][i], x, &least)) {
                h->last[r] = h->pref[r][k][i];
                return true;
            }
    }
    return false;
}

/* The blocking coalition whose least improvement is largest (ties: the smaller mask), by a
 * scan of every coalition; 0 if none. */
static unsigned strongest_blocker(const Hedonic *h, int r, const double *x)
{
    unsigned full = (1u << h->g->n) - 1u, s, best = 0;
    double least, top = -HUGE_VAL;
    for (s = 1; s <= full; s++)
        if (blocks(h, r, s, x, &least) && least > top + h->tol) {
            top = least;
            best = s;
        }
    return best;
}

/* The payoffs of the partition with block masks b[0..nb-1] under rule r. */
static void partition_payoffs(const Hedonic *h, int r, const unsigned *b, int nb, double *x)
{
    int n = h->g->n, i, k;
    for (i = 0; i < nb; i++)
        for (k = 0; k < n; k++)
            if ((b[i] >> k) & 1u)
                x[k] = h->pay[r][(size_t)b[i] * (size_t)n + (size_t)k];
}

/* Listing order: larger value first, then fewer blocks, then the block masks in order. */
static bool structure_before(const ElStructure *a, const ElStructure *b, double tol)
{
    int i;
    if (fabs(a->value - b->value) > tol)
        return a->value > b->value;
    if (a->nblocks != b->nblocks)
        return a->nblocks < b->nblocks;
    for (i = 0; i < a->nblocks; i++)
        if (a->blocks[i] != b->blocks[i])
            return a->blocks[i] < b->blocks[i];
    return false;
}

/* The best value of a partition of every subset: best[S] = max over blocks B of S holding S's
 * lowest member of v(B) + best[S \ B] (3^n steps). */
static double best_partition_value(const ElGame *g)
{
    unsigned full = (1u << g->n) - 1u, s, b;
    double *best = el_malloc(((size_t)full + 1) * sizeof(double)), r;
    if (!best)
        return nan("");
    best[0] = 0;
    for (s = 1; s <= full; s++) {
        unsigned low = s & (~s + 1u), rest = s & ~low;
        double m = -HUGE_VAL;
        for (b = rest;; b = (b - 1) & rest) { /* B = low + every subset of the rest */
            double c = g->v[b | low] + best[s & ~(b | low)];
            if (c > m)
                m = c;
            if (b == 0)
                break;
        }
        best[s] = m;
    }
    r = best[full];
    el_free(best);
    return r;
}

el_status
el_game_structures(const ElGame *g, const ElSettings *settings, ElStructures *out, ElError *err)
{
    int n = g->n, r, k, a[EL_STRUCTURE_MAX_MEMBERS], top[EL_STRUCTURE_MAX_MEMBERS], i, nb, cap;
    unsigned full = (1u << n) - 1u, s, b[EL_STRUCTURE_MAX_MEMBERS];
    size_t half = (size_t)1 << (n > 0 ? n - 1 : 0);
    double vmax = 0, x[EL_STRUCTURE_MAX_MEMBERS], eps = 0, cx[EL_STRUCTURE_MAX_MEMBERS];
    double *shap = NULL;
    bool cs_core_nonempty = false;
    Hedonic h;
    el_status st = EL_OK;
    memset(out, 0, sizeof(*out));
    memset(&h, 0, sizeof(h));
    if (n < 1 || n > EL_STRUCTURE_MAX_MEMBERS || !g->gains)
        return el_error_set(err, EL_ERR_INPUT,
                            "coalition structures are examined for at most %d members",
                            EL_STRUCTURE_MAX_MEMBERS);
    for (s = 1; s <= full; s++)
        vmax = fmax(vmax, fabs(g->v[s]));
    h.g = g;
    h.tol = 1e-9 * (1 + vmax);
    shap = el_malloc(((size_t)full + 1) * (size_t)n * sizeof(double));
    out->listed = el_calloc(EL_STRUCTURES_LISTED, sizeof(ElStructure));
    if (!shap || !out->listed)
        st = nomem(err);
    for (r = 0; st == EL_OK && r < EL_PAYOFF_RULES; r++)
        for (k = 0; k < n && st == EL_OK; k++) {
            h.pref[r][k] = el_malloc((half >> k) * sizeof(unsigned));
            h.pref_pay[r][k] = el_malloc((half >> k) * sizeof(double));
            if (!h.pref[r][k] || !h.pref_pay[r][k])
                st = nomem(err);
        }
    if (st == EL_OK) {
        block_shapley(g, shap);
        h.pay[EL_PAYOFF_MARKET] = g->gains;
        h.pay[EL_PAYOFF_SHAPLEY] = shap;
        for (r = 0; r < EL_PAYOFF_RULES; r++)
            for (k = 0; k < n; k++) {
                size_t m = 0;
                for (s = 1; s <= full; s++)
                    if ((s & (s & (~s + 1u))) == (1u << k)) /* lowest member k */
                        h.pref[r][k][m++] = s;
                sort_ctx = &h;
                sort_rule = r;
                sort_member = k;
                qsort(h.pref[r][k], half >> k, sizeof(unsigned), pref_cmp);
                sort_ctx = NULL;
                for (m = 0; m < (half >> k); m++)
                    h.pref_pay[r][k][m] = h.pay[r][(size_t)h.pref[r][k][m] * (size_t)n + (size_t)k];
            }
        out->best_value = best_partition_value(g);
        if (isnan(out->best_value))
            st = nomem(err);
    }
    /* with transfers: the core of the game whose grand coalition is worth the best partition's
       value; it is the coalition-structure core of every efficient partition */
    if (st == EL_OK && n > 1)
        st = least_core_total(g, settings, out->best_value, &eps, cx, &k, err);
    cs_core_nonempty = n == 1 || eps >= -h.tol;
    /* every partition, as a restricted growth string a (a[0] = 0, a[i] <= 1 + max a[<i]) */
    for (i = 0; i < n; i++)
        a[i] = top[i] = 0;
    cap = EL_STRUCTURES_LISTED;
    while (st == EL_OK) {
        ElStructure p;
        bool grand, efficient, list;
        memset(&p, 0, sizeof(p));
        nb = top[n - 1] + 1;
        for (i = 0; i < nb; i++)
            b[i] = 0;
        for (k = 0; k < n; k++)
            b[a[k]] |= 1u << k;
        memcpy(p.blocks, b, (size_t)nb * sizeof(unsigned));
        p.nblocks = nb;
        for (i = 0; i < nb; i++)
            p.value += g->v[b[i]];
        p.loss = g->v[full] - p.value;
        for (r = 0; r < EL_PAYOFF_RULES; r++) {
            partition_payoffs(&h, r, b, nb, x);
            p.stable[r] = !blocked(&h, r, x);
            out->stable_count[r] += p.stable[r];
        }
        efficient = p.value >= out->best_value - h.tol;
        p.cs_core = efficient && cs_core_nonempty;
        out->cs_core_count += p.cs_core;
        out->partitions++;
        grand = nb == 1;
        list = grand || efficient || p.stable[0] || p.stable[1] || p.cs_core;
        if (list) {
            int at = out->nlisted;
            if (at == cap) { /* replace the last (the grand coalition, listed first, stays) */
                out->truncated = true;
                at = cap - 1;
                while (at > 0 && out->listed[at].nblocks == 1)
                    at--;
                if (!structure_before(&p, &out->listed[at], h.tol))
                    goto next;
            } else
                out->nlisted++;
            out->listed[at] = p;
            for (; at > 0 && structure_before(&out->listed[at], &out->listed[at - 1], h.tol);
                 at--) {
                ElStructure t = out->listed[at];
                out->listed[at] = out->listed[at - 1];
                out->listed[at - 1] = t;
            }
        }
next:
        /* the next restricted growth string */
        for (i = n - 1; i > 0 && a[i] == top[i - 1] + 1; i--)
            ;
        if (i == 0)
            break;
        a[i]++;
        top[i] = a[i] > top[i - 1] ? a[i] : top[i - 1];
        for (k = i + 1; k < n; k++) {
            a[k] = 0;
            top[k] = top[i];
        }
    }
    for (i = 0; st == EL_OK && i < out->nlisted; i++) {
        ElStructure *p = &out->listed[i];
        for (r = 0; r < EL_PAYOFF_RULES; r++)
            if (!p->stable[r]) {
                partition_payoffs(&h, r, p->blocks, p->nblocks, x);
                p->blocker[r] = strongest_blocker(&h, r, x);
            }
    }
    for (r = 0; r < EL_PAYOFF_RULES; r++)
        for (k = 0; k < n; k++) {
            el_free(h.pref[r][k]);
            el_free(h.pref_pay[r][k]);
        }
    el_free(shap);
    if (st != EL_OK)
        el_structures_clear(out);
    return st;
}

void el_structures_clear(ElStructures *x)
{
    if (!x)
        return;
    el_free(x->listed);
    memset(x, 0, sizeof(*x));
}

/* ---- The whole analysis ---- */

el_status el_coalitions_run(const ElScenario *s,
                            const int *members,
                            int n,
                            const ElDesign *rules,
                            const ElGameValue *value,
                            const ElBatchOptions *opt,
                            ElCoalitionResult *out,
                            ElError *err)
{
    el_status st;
    memset(out, 0, sizeof(*out));
    st = el_game_solve(s, members, n, rules, value, opt, &out->game, err);
    if (st != EL_OK || (opt && opt->mpi && el_mpi_active() && el_mpi_rank() != 0))
        return st; /* the LPs and partitions are rank 0's alone */
    st = el_game_core(&out->game, &s->settings, &out->core, err);
    if (st == EL_OK && n <= EL_NUCLEOLUS_MAX_MEMBERS) {
        st = el_game_nucleolus(&out->game, &s->settings, out->nucleolus, err);
        out->have_nucleolus = st == EL_OK;
    }
    if (st == EL_OK && n <= EL_STRUCTURE_MAX_MEMBERS) {
        st = el_game_structures(&out->game, &s->settings, &out->structures, err);
        out->have_structures = st == EL_OK;
    }
    if (st != EL_OK)
        el_coalition_result_clear(out);
    return st;
}

void el_coalition_result_clear(ElCoalitionResult *r)
{
    if (!r)
        return;
    el_game_clear(&r->game);
    el_core_clear(&r->core);
    el_structures_clear(&r->structures);
    memset(r, 0, sizeof(*r));
}
