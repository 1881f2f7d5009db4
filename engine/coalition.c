/* The coalition game's values, Shapley values and superadditivity (engine/coalition.h). */
#include "coalition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"

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
