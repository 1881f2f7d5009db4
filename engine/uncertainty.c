/* Monte Carlo over correlated shocks (engine/uncertainty.h). */
#include "uncertainty.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_clock.h"
#include "el_la.h"
#include "el_mpi.h"
#include "el_rng.h"

const double el_unc_quantiles[EL_UQ] = {0.05, 0.25, 0.5, 0.75, 0.95};

static const char *const var_names[EL_UV_COUNT] = {"price", "abatement", "net_imports", "emissions",
                                                   "gain"};

const char *el_unc_var_name(ElUncVar v)
{
    return (int)v >= 0 && v < EL_UV_COUNT ? var_names[v] : "?";
}

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (uncertainty)");
}

/* ---- The sketch ---- */

/* Sorting a level (the bulk of a Monte Carlo run's statistics; with threads any thread does it,
 * ElSink.help). A level above 0 is a few sorted runs,
 * appended by the compactions below it, and is merged; level 0 (values in draw order) is sorted
 * by radix on the IEEE bits, which order doubles as numbers once the negative ones have all their
 * bits flipped and the others their sign bit. Values are finite and -0 became +0 (el_stat_add), so
 * the result is the one sorted sequence whatever the method. */

static uint64_t sort_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof(u));
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double key_value(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof(x));
    return x;
}

/* LSD radix sort of a[0..n-1], n <= EL_SKETCH_K, 8 bits at a time, skipping the bytes that all
 * keys share. */
static __attribute__((noinline)) void radix_sort(double *a, long n)
{
    uint64_t buf[2][EL_SKETCH_K], *from = buf[0], *to = buf[1];
    uint32_t count[8][256];
    long i;
    int b;
    memset(count, 0, sizeof(count));
    for (i = 0; i < n; i++) {
        uint64_t k = sort_key(a[i]);
        from[i] = k;
        for (b = 0; b < 8; b++)
            count[b][(k >> (8 * b)) & 0xff]++;
    }
    for (b = 0; b < 8; b++) {
        uint32_t pos[256], sum = 0;
        uint64_t *t;
        int v;
        if (count[b][(from[0] >> (8 * b)) & 0xff] == (uint32_t)n)
            continue; /* every key has this byte */
        for (v = 0; v < 256; v++) {
            pos[v] = sum;
            sum += count[b][v];
        }
        for (i = 0; i < n; i++)
            to[pos[(from[i] >> (8 * b)) & 0xff]++] = from[i];
        t = from;
        from = to;
        to = t;
    }
    for (i = 0; i < n; i++)
        a[i] = key_value(from[i]);
}

/* Merge the sorted runs of a[0..n-1], n <= EL_SKETCH_K, pairwise from the left; false (a
 * untouched) when there are more than `most` runs. */
static __attribute__((noinline)) bool merge_runs(double *a, long n, int most)
{
    double tmp[EL_SKETCH_K];
    long start[EL_SKETCH_K / 64 + 2];
    int runs = 0, r;
    long i;
    start[runs++] = 0;
    for (i = 1; i < n; i++)
        if (a[i] < a[i - 1]) {
            if (runs >= most)
                return false;
            start[runs++] = i;
        }
    start[runs] = n;
    while (runs > 1) {
        int m = 0;
        for (r = 0; r < runs; r += 2) {
            long lo = start[r], mid = start[r + 1], hi = r + 2 <= runs ? start[r + 2] : mid;
            long x = lo, y = mid, o = lo;
            if (r + 1 < runs) {
                while (x < mid && y < hi)
                    tmp[o++] = a[y] < a[x] ? a[y++] : a[x++];
                while (x < mid)
                    tmp[o++] = a[x++];
                while (y < hi)
                    tmp[o++] = a[y++];
                memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof(double));
            }
            start[m++] = lo;
        }
        start[m] = n;
        runs = m;
    }
    return true;
}

/* Sort a level (at most EL_SKETCH_K values) ascending. Not inlined into compact, which recurses:
 * only one sort's buffers are on the stack at a time. */
static __attribute__((noinline)) void sort_level(double *a, long n)
{
    if (n > 1 && !merge_runs(a, n, 16))
        radix_sort(a, n);
}

/* The n values of a[] (level h's, full) are sorted and every other one moves up to level h + 1
 * (room made there first); the caller then empties a. */
static el_status compact_from(ElSketch *sk, int h, double *a, int n, ElError *err);

/* Level h is full: sort it and move every other value up (making room there first). */
static el_status compact(ElSketch *sk, int h, ElError *err)
{
    el_status st = compact_from(sk, h, sk->level[h], sk->n[h], err);
    if (st == EL_OK)
        sk->n[h] = 0;
    return st;
}

static el_status compact_from(ElSketch *sk, int h, double *a, int n, ElError *err)
{
    int k, m = 0, start;
    if (h + 1 >= EL_SKETCH_LEVELS)
        return el_error_set(err, EL_ERR_INTERNAL, "quantile sketch: too many levels");
    if (!sk->level[h + 1]) {
        sk->level[h + 1] = el_malloc(EL_SKETCH_K * sizeof(double));
        if (!sk->level[h + 1])
            return nomem(err);
        sk->nlevels = h + 2;
    }
    if (sk->n[h + 1] + n / 2 > EL_SKETCH_K) {
        el_status st = compact(sk, h + 1, err);
        if (st != EL_OK)
            return st;
    }
    sort_level(a, n);
    start = sk->odd[h] ? 1 : 0;
    sk->odd[h] = !sk->odd[h];
    for (k = start; k < n; k += 2)
        sk->level[h + 1][sk->n[h + 1] + m++] = a[k];
    sk->n[h + 1] += m;
    sk->err += ldexp(1.0, h);
    return EL_OK;
}

/* A value in: exact while at most EL_SKETCH_K values came (level 0 is compacted only when a
 * value finds it full). */
static el_status sketch_add(ElSketch *sk, double x, ElError *err)
{
    if (!sk->level[0]) {
        sk->level[0] = el_malloc(EL_SKETCH_K * sizeof(double));
        if (!sk->level[0])
            return nomem(err);
        sk->nlevels = 1;
    }
    if (sk->n[0] >= EL_SKETCH_K) {
        el_status st = compact(sk, 0, err);
        if (st != EL_OK)
            return st;
    }
    sk->level[0][sk->n[0]++] = x;
    sk->count++;
    return EL_OK;
}

/* The values of ranks ceil(q_i count) for the sorted probabilities q[0..nq-1], into out;
 * NaN when the sketch is empty or out of memory. Each level is sorted (a copy) and the levels
 * are walked together in value order, a value of level h counting 2^h: linear in the values kept
 * (a sort of them all, with their weights, was a tenth of a run on two threads). */
static void sketch_quantiles(const ElSketch *sk, const double *q, int nq, double *out)
{
    size_t total = 0, off[EL_SKETCH_LEVELS + 1];
    long pos[EL_SKETCH_LEVELS];
    double *all, cum = 0, last = 0, w[EL_SKETCH_LEVELS];
    int h, i;
    for (h = 0; h < sk->nlevels; h++) {
        w[h] = ldexp(1.0, h);
        off[h] = total;
        total += (size_t)sk->n[h];
    }
    off[sk->nlevels] = total;
    all = total ? el_malloc(total * sizeof(*all)) : NULL;
    for (i = 0; i < nq; i++)
        out[i] = nan("");
    if (!all)
        return;
    for (h = 0; h < sk->nlevels; h++) {
        if (sk->n[h] > 0)
            memcpy(all + off[h], sk->level[h], (size_t)sk->n[h] * sizeof(double));
        sort_level(all + off[h], sk->n[h]);
        pos[h] = (long)off[h];
    }
    for (i = 0; i < nq; i++) {
        double rank = ceil(q[i] * (double)sk->count);
        if (rank < 1)
            rank = 1;
        for (;;) {
            int best = -1;
            for (h = 0; h < sk->nlevels; h++)
                if ((size_t)pos[h] < off[h + 1] && (best < 0 || all[pos[h]] < all[pos[best]]))
                    best = h;
            if (best < 0) { /* past the largest value: it is the answer */
                out[i] = last;
                break;
            }
            last = all[pos[best]];
            if (cum + w[best] >= rank) {
                out[i] = last;
                break;
            }
            cum += w[best];
            pos[best]++;
        }
    }
    el_free(all);
}

double el_sketch_quantile(const ElSketch *sk, double q)
{
    double out;
    sketch_quantiles(sk, &q, 1, &out);
    return out;
}

/* Welford's mean and variance, min and max (x is not -0). */
static void welford(ElStat *st, double x)
{
    double d;
    st->n++;
    if (st->n == 1)
        st->min = st->max = x;
    if (x < st->min)
        st->min = x;
    if (x > st->max)
        st->max = x;
    d = x - st->mean;
    st->mean += d / (double)st->n;
    st->m2 += d * (x - st->mean);
}

el_status el_stat_add(ElStat *st, double x, ElError *err)
{
    if (x == 0)
        x = 0; /* -0 is +0: the sorted levels are then unique (sort_level) */
    welford(st, x);
    return sketch_add(&st->sk, x, err);
}

void el_stat_summary(const ElStat *st, ElUncSummary *out, double *rank_error)
{
    memset(out, 0, sizeof(*out));
    out->n = st->n;
    if (st->n == 0) {
        int i;
        out->mean = out->sd = out->se = out->min = out->max = nan("");
        for (i = 0; i < EL_UQ; i++)
            out->q[i] = nan("");
        return;
    }
    out->mean = st->mean;
    out->sd = st->n > 1 ? sqrt(st->m2 / (double)(st->n - 1)) : 0;
    out->se = out->sd / sqrt((double)st->n);
    out->min = st->min;
    out->max = st->max;
    sketch_quantiles(&st->sk, el_unc_quantiles, EL_UQ, out->q);
    if (rank_error && st->sk.count > 0)
        *rank_error = fmax(*rank_error, st->sk.err / (double)st->sk.count);
}

void el_stat_clear(ElStat *st)
{
    int h;
    for (h = 0; h < EL_SKETCH_LEVELS; h++)
        el_free(st->sk.level[h]);
    el_free(st->sk.sealed);
    el_free(st->sk.spare);
    memset(st, 0, sizeof(*st));
}

/* ---- Draws ---- */

/* The value of quantity `on` of jurisdiction j in force before any shock. */
static double base_level(const ElScenario *s, const ElShock *x)
{
    const ElJurisdiction *ju = &s->jur[x->jur];
    switch (x->on) {
    case EL_SET_BAU:
        return ju->bau;
    case EL_SET_OUTPUT:
        return ju->output;
    case EL_SET_CAP:
        return ju->cap;
    default:
        return 1; /* mac-scale */
    }
}

el_status el_uncertainty_draw(const ElScenario *s,
                              const ElUncertainty *u,
                              const double *L,
                              long d,
                              double *z,
                              double *e,
                              ElVariation *v,
                              bool *valid,
                              ElError *err)
{
    int n = u->nshocks, i, k;
    v->n = 0;
    *valid = true;
    el_rng_normals(u->seed, (uint64_t)d, n, z);
    for (i = 0; i < n; i++) { /* e = L z, L lower-ish (a permuted triangle): the full product */
        double t = 0;
        for (k = 0; k < n; k++)
            t += L[i + (size_t)k * (size_t)n] * z[k];
        e[i] = t;
    }
    for (i = 0; i < n; i++) {
        const ElShock *x = &u->shocks[i];
        double base = base_level(s, x), val, lo = x->on == EL_SET_MAC_SCALE ? 1e-6 : 0;
        el_status st;
        if (x->dist == EL_DIST_LOGNORMAL) {
            double r = base > 0 ? x->sd / base : 0, s2 = log1p(r * r);
            val = base * exp(sqrt(s2) * e[i] - s2 / 2);
        } else
            val = base + x->sd * e[i];
        if (!(val >= lo && val <= (x->on == EL_SET_MAC_SCALE ? 1e6 : 1e9))) {
            *valid = false;
            v->n = 0;
            return EL_OK;
        }
        st = el_variation_add(v, x->jur, x->on, -1, val, x->line, err);
        if (st != EL_OK)
            return st;
    }
    return EL_OK;
}

/* ---- The run ---- */

typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    const double *L;
    int nd;
} Producer;

/* A draw's variation, with room for a few shocks in the same block (one allocation per item). */
#define DRAW_INLINE 8
typedef struct {
    ElVariation v;
    ElSet sets[DRAW_INLINE];
} DrawItem;

static void draw_item_free(DrawItem *it)
{
    if (it->v.sets != it->sets)
        el_variation_clear(&it->v);
    el_free(it);
}

static el_status draw_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    Producer *p = ctx;
    const ElUncertainty *u = p->a->unc;
    double z[EL_UNCERTAINTY_MAX_SHOCKS], e[EL_UNCERTAINTY_MAX_SHOCKS];
    DrawItem *it = el_malloc(sizeof(*it));
    bool valid = true;
    el_status st;
    if (!it)
        return nomem(err);
    memset(&it->v, 0, sizeof(it->v));
    if (u->nshocks <= DRAW_INLINE) { /* el_variation_add never grows it */
        it->v.sets = it->sets;
        it->v.cap = DRAW_INLINE;
    }
    st = el_uncertainty_draw(p->s, u, p->L, i / p->nd, z, e, &it->v, &valid, err);
    if (st != EL_OK) {
        draw_item_free(it);
        return st;
    }
    out->design = p->s->designs[p->a->designs[i % p->nd]];
    out->variation = &it->v;
    out->skip = !valid;
    out->baseline_may_fail = true;
    out->baseline_unused = i % p->nd != 0; /* acc_result reads a draw's autarky at its first */
    return EL_OK;
}

static void draw_release(void *ctx, long i, ElBatchItem *item)
{
    DrawItem *it = (DrawItem *)(void *)(size_t)item->variation;
    (void)ctx;
    (void)i;
    if (it)
        draw_item_free(it);
    item->variation = NULL;
}

typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    int nd, njur;
    ElStat *stat;  /* [((d njur + j) EL_UV_COUNT + v)] */
    ElStat *total; /* [d] */
    long *losses;  /* [d njur + j] */
    long *no_eq, *used;
    long invalid, no_autarky;
    bool draw_ok; /* the current draw has an autarky equilibrium */
    ElDrawSink draws;
    void *draws_ctx;
    /* Threads: a full level 0 is sealed and its compaction queued for any thread (ElSink.help,
     * acc_help), so that the delivering thread, which adds every value in draw order, does not
     * sort too. Each statistic has at most one sealed level 0, compacted before the next one is
     * sealed, so its levels go through the same operations in the same order as with one thread:
     * the results are the same. The queue holds hints (a statistic whose sealed level the caller
     * compacted itself stays in it, and is skipped). */
    bool async;
    /* in cache lines of their own: every thread takes mu, the caller writes the counters above
     * at every item */
    _Alignas(64) pthread_mutex_t mu;
    pthread_cond_t done; /* a compaction ended */
    ElStat **queue;
    long qcap, qhead, qn;
    el_status job_st; /* the first failed compaction's */
    ElError job_err;
} Acc;

enum {
    JOB_NONE = 0,
    JOB_QUEUED,
    JOB_RUNNING
};

/* Compact the sealed level 0 of st (by whichever thread holds its job: no other thread touches
 * its levels above 0 meanwhile, and the caller only level 0). */
static el_status run_sealed(ElStat *st, ElError *err)
{
    ElSketch *sk = &st->sk;
    el_status s2 = compact_from(sk, 0, sk->sealed, sk->sealed_n, err);
    sk->spare = sk->sealed;
    sk->sealed = NULL;
    sk->sealed_n = 0;
    return s2;
}

/* A compaction ended (under c->mu): the first failure kept, waiters woken. */
static void job_done(Acc *c, ElStat *st, el_status s2, const ElError *e)
{
    st->job = JOB_NONE;
    if (s2 != EL_OK && c->job_st == EL_OK) {
        c->job_st = s2;
        c->job_err = *e;
    }
    pthread_cond_broadcast(&c->done);
}

/* ElSink.help: one queued compaction, on any thread. */
static bool acc_help(void *ctx)
{
    Acc *c = ctx;
    ElStat *st = NULL;
    ElError e = {EL_OK, ""};
    el_status s2;
    pthread_mutex_lock(&c->mu);
    while (c->qn > 0 && !st) {
        ElStat *h = c->queue[c->qhead];
        c->qhead = (c->qhead + 1) % c->qcap;
        c->qn--;
        if (h->job == JOB_QUEUED)
            st = h;
    }
    if (st)
        st->job = JOB_RUNNING;
    pthread_mutex_unlock(&c->mu);
    if (!st)
        return false;
    s2 = run_sealed(st, &e);
    pthread_mutex_lock(&c->mu);
    job_done(c, st, s2, &e);
    pthread_mutex_unlock(&c->mu);
    return true;
}

/* Wait for st's compaction, or do it here if no thread has taken it yet (under c->mu, which it
 * releases while it compacts). */
static void settle(Acc *c, ElStat *st)
{
    while (st->job == JOB_RUNNING)
        pthread_cond_wait(&c->done, &c->mu);
    if (st->job == JOB_QUEUED) {
        ElError e = {EL_OK, ""};
        el_status s2;
        st->job = JOB_RUNNING; /* its hint stays queued, and will be skipped */
        pthread_mutex_unlock(&c->mu);
        s2 = run_sealed(st, &e);
        pthread_mutex_lock(&c->mu);
        job_done(c, st, s2, &e);
    }
}

/* el_stat_add on several threads: a full level 0 is sealed and queued rather than compacted. */
static el_status stat_add_async(Acc *c, ElStat *st, double x, ElError *err)
{
    ElSketch *sk = &st->sk;
    if (sk->level[0] && sk->n[0] >= EL_SKETCH_K) {
        double *fresh;
        bool queued = false;
        pthread_mutex_lock(&c->mu);
        settle(c, st); /* the last sealed level 0 first */
        fresh = sk->spare;
        sk->spare = NULL;
        if (c->job_st != EL_OK) {
            el_status s2 = c->job_st;
            *err = c->job_err;
            sk->spare = fresh;
            pthread_mutex_unlock(&c->mu);
            return s2;
        }
        pthread_mutex_unlock(&c->mu);
        if (!fresh && !(fresh = el_malloc(EL_SKETCH_K * sizeof(double))))
            return nomem(err);
        sk->sealed = sk->level[0];
        sk->sealed_n = sk->n[0];
        sk->level[0] = fresh;
        sk->n[0] = 0;
        pthread_mutex_lock(&c->mu);
        if (c->qn < c->qcap) {
            c->queue[(c->qhead + c->qn) % c->qcap] = st;
            c->qn++;
            st->job = JOB_QUEUED;
            queued = true;
        }
        pthread_mutex_unlock(&c->mu);
        if (!queued) { /* the queue is full of hints: compact it here */
            el_status s2 = run_sealed(st, err);
            if (s2 != EL_OK)
                return s2;
        }
    }
    return el_stat_add(st, x, err); /* level 0 has room: no compaction here */
}

/* A value into statistic st. */
static el_status acc_add(Acc *c, ElStat *st, double x, ElError *err)
{
    return c->async ? stat_add_async(c, st, x, err) : el_stat_add(st, x, err);
}

/* Threads: every sealed level 0 compacted (the nstat statistics, then the totals), after the
 * batch (one thread left). */
static el_status acc_settle_all(Acc *c, size_t nstat, ElError *err)
{
    size_t k;
    if (!c->async)
        return EL_OK;
    pthread_mutex_lock(&c->mu);
    for (k = 0; k < nstat; k++)
        settle(c, &c->stat[k]);
    for (k = 0; k <= (size_t)c->nd; k++)
        settle(c, &c->total[k]);
    if (c->job_st != EL_OK)
        *err = c->job_err;
    pthread_mutex_unlock(&c->mu);
    return c->job_st;
}

static el_status add_result(Acc *c, int d, const ElDesignResult *r, ElError *err)
{
    int j;
    el_status st = EL_OK;
    for (j = 0; j < c->njur && st == EL_OK; j++) {
        const ElJurResult *q = &r->jur[j];
        ElStat *x = &c->stat[((size_t)d * (size_t)c->njur + (size_t)j) * EL_UV_COUNT];
        st = acc_add(c, &x[EL_UV_PRICE], q->price, err);
        if (st == EL_OK)
            st = acc_add(c, &x[EL_UV_ABATEMENT], q->abatement, err);
        if (st == EL_OK)
            st = acc_add(c, &x[EL_UV_NET_IMPORTS], q->net_imports, err);
        if (st == EL_OK)
            st = acc_add(c, &x[EL_UV_EMISSIONS], q->emissions, err);
        if (st == EL_OK)
            st = acc_add(c, &x[EL_UV_GAIN], d == 0 ? 0 : q->gain, err);
        if (d > 0 && q->gain < -1e-9 * (1 + fabs(q->national_cost)))
            c->losses[d * c->njur + j]++;
    }
    if (st == EL_OK)
        st = acc_add(c, &c->total[d], d == 0 ? 0 : r->gain, err);
    c->used[d]++;
    return st;
}

static el_status acc_result(void *ctx,
                            long index,
                            const ElBatchItem *item,
                            const ElDesignResult *r,
                            const ElDesignResult *baseline,
                            ElError *err)
{
    Acc *c = ctx;
    long draw;
    int k;
    el_status st = EL_OK;
    if (index < 0)
        return EL_OK;
    draw = index / c->nd;
    k = (int)(index % c->nd);
    if (k == 0) { /* the draw's first design: its autarky */
        c->draw_ok = false;
        if (item->skip)
            c->invalid++;
        else if (!baseline || baseline->outcome != EL_OPTIMAL)
            c->no_autarky++;
        else {
            c->draw_ok = true;
            st = add_result(c, 0, baseline, err);
        }
        if (st == EL_OK && c->draws)
            st = c->draws(c->draws_ctx, draw, 0, item->skip ? NULL : baseline, err);
    }
    if (st != EL_OK)
        return st;
    if (c->draw_ok) {
        if (r->outcome != EL_OPTIMAL)
            c->no_eq[k + 1]++;
        else
            st = add_result(c, k + 1, r, err);
    }
    if (st == EL_OK && c->draws)
        st = c->draws(c->draws_ctx, draw, k + 1, item->skip ? NULL : r, err);
    return st;
}

/* The gains at the mean draw (no shock): the designs solved as they are. */
typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    ElUncertaintyResult *out;
} Effort;

static el_status effort_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    Effort *e = ctx;
    (void)err;
    out->design = e->s->designs[e->a->designs[i]];
    return EL_OK;
}

static el_status effort_result(void *ctx,
                               long index,
                               const ElBatchItem *item,
                               const ElDesignResult *r,
                               const ElDesignResult *baseline,
                               ElError *err)
{
    Effort *e = ctx;
    int j, d = (int)index + 1;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    if (r->outcome != EL_OPTIMAL) {
        for (j = 0; j < e->out->njur; j++)
            e->out->effort[d * e->out->njur + j] = nan("");
        e->out->effort_total[d] = nan("");
        (void)err;
        return EL_OK;
    }
    for (j = 0; j < e->out->njur; j++)
        e->out->effort[d * e->out->njur + j] = r->jur[j].gain;
    e->out->effort_total[d] = r->gain;
    return EL_OK;
}

void el_uncertainty_result_clear(ElUncertaintyResult *r)
{
    if (!r)
        return;
    el_free(r->no_eq);
    el_free(r->used);
    el_free(r->jur);
    el_free(r->total);
    el_free(r->p_loss);
    el_free(r->p_loss_se);
    el_free(r->price_var_change);
    el_free(r->effort);
    el_free(r->effort_total);
    memset(r, 0, sizeof(*r));
}

/* The correlation factor L (column-major): the identity without correlations. */
long el_uncertainty_draws(const ElScenario *s, const ElUncertainty *u)
{
    return s->settings.draws > 0 ? (long)s->settings.draws : u->draws;
}

static el_status factor(const ElUncertainty *u, double **out, ElError *err)
{
    int n = u->nshocks, i;
    bool any = false;
    double *L = el_calloc((size_t)n * (size_t)n, sizeof(double)), *C;
    el_status st = EL_OK;
    if (!L)
        return nomem(err);
    for (i = 0; i < n * n && !any; i++)
        any = u->corr_line[i] != 0;
    if (!any) {
        for (i = 0; i < n; i++)
            L[i + (size_t)i * (size_t)n] = 1;
        *out = L;
        return EL_OK;
    }
    C = el_malloc((size_t)n * (size_t)n * sizeof(double));
    if (!C)
        st = nomem(err);
    else {
        memcpy(C, u->corr, (size_t)n * (size_t)n * sizeof(double)); /* symmetric */
        st = el_la_cholesky_psd(n, C, L, NULL, err);
    }
    el_free(C);
    if (st != EL_OK) {
        el_free(L);
        return st;
    }
    *out = L;
    return EL_OK;
}

el_status el_uncertainty_run(const ElScenario *s,
                             const ElAnalysis *a,
                             const ElBatchOptions *opt,
                             ElDrawSink draws,
                             void *draws_ctx,
                             ElUncertaintyResult *out,
                             ElError *err)
{
    const ElUncertainty *u = a->unc;
    int nd = a->nsteps, njur = s->njur, d, j, v;
    size_t nser = (size_t)(nd + 1) * (size_t)njur;
    double *L = NULL, t0 = el_clock_now();
    long draws_n;
    Producer pr;
    Acc acc;
    Effort eff;
    ElProducer prod, eprod;
    ElSink sink, esink;
    const ElSink *sinks[1];
    el_status st;
    bool sync_made = false;
    memset(out, 0, sizeof(*out));
    memset(&acc, 0, sizeof(acc));
    if (!u || nd < 1)
        return el_error_set(err, EL_ERR_INPUT, "%s:%d: <uncertainty id=\"%s\">: no designs",
                            s->path, a->line, a->id);
    draws_n = el_uncertainty_draws(s, u);
    if ((double)draws_n * nd > 9e18)
        return el_error_set(err, EL_ERR_INPUT, "%s:%d: <uncertainty>: too many draws", s->path,
                            a->line);
    out->a = a;
    out->nd = nd;
    out->njur = njur;
    out->draws = draws_n;
    out->no_eq = el_calloc((size_t)nd + 1, sizeof(long));
    out->used = el_calloc((size_t)nd + 1, sizeof(long));
    out->jur = el_calloc(nser * EL_UV_COUNT, sizeof(ElUncSummary));
    out->total = el_calloc((size_t)nd + 1, sizeof(ElUncSummary));
    out->p_loss = el_calloc(nser, sizeof(double));
    out->p_loss_se = el_calloc(nser, sizeof(double));
    out->price_var_change = el_calloc(nser, sizeof(double));
    out->effort = el_calloc(nser, sizeof(double));
    out->effort_total = el_calloc((size_t)nd + 1, sizeof(double));
    acc.stat = el_calloc(nser * EL_UV_COUNT, sizeof(ElStat));
    acc.total = el_calloc((size_t)nd + 1, sizeof(ElStat));
    acc.losses = el_calloc(nser, sizeof(long));
    if (!out->no_eq || !out->used || !out->jur || !out->total || !out->p_loss || !out->p_loss_se ||
        !out->price_var_change || !out->effort || !out->effort_total || !acc.stat || !acc.total ||
        !acc.losses) {
        st = nomem(err);
        goto done;
    }
    /* effort sharing: the gains at the mean draw */
    eff = (Effort){s, a, out};
    eprod = (ElProducer){&eff, nd, effort_item, NULL};
    esink = (ElSink){&eff, NULL, effort_result, NULL, NULL};
    sinks[0] = &esink;
    st = el_batch_solve(s, &eprod, opt, sinks, 1, err);
    if (st != EL_OK)
        goto done;
    el_la_single_thread(); /* a tiny factor: OpenBLAS's own threads would only spin */
    st = factor(u, &L, err);
    if (st != EL_OK)
        goto done;
    pr = (Producer){s, a, L, nd};
    prod = (ElProducer){&pr, draws_n * nd, draw_item, draw_release};
    acc.s = s;
    acc.a = a;
    acc.nd = nd;
    acc.njur = njur;
    acc.no_eq = out->no_eq;
    acc.used = out->used;
    acc.draws = draws;
    acc.draws_ctx = draws_ctx;
    acc.async = opt && opt->threads > 1 && !(opt->mpi && el_mpi_active());
    if (acc.async) {
        acc.qcap = 2 * (long)(nser * EL_UV_COUNT + (size_t)nd + 1);
        acc.queue = el_calloc((size_t)acc.qcap, sizeof(*acc.queue));
        if (!acc.queue) {
            st = nomem(err);
            goto done;
        }
        pthread_mutex_init(&acc.mu, NULL);
        pthread_cond_init(&acc.done, NULL);
        sync_made = true;
    }
    sink = (ElSink){&acc, NULL, acc_result, NULL, acc.async ? acc_help : NULL};
    sinks[0] = &sink;
    st = el_batch_solve(s, &prod, opt, sinks, 1, err);
    if (st == EL_OK)
        st = acc_settle_all(&acc, nser * EL_UV_COUNT, err);
    if (st != EL_OK || (opt && opt->mpi && el_mpi_active() && el_mpi_rank() != 0))
        goto done;
    out->invalid = acc.invalid;
    out->no_autarky = acc.no_autarky;
    for (d = 0; d <= nd; d++) {
        el_stat_summary(&acc.total[d], &out->total[d], &out->rank_error);
        for (j = 0; j < njur; j++) {
            size_t sj = (size_t)d * (size_t)njur + (size_t)j;
            const ElStat *x = &acc.stat[sj * EL_UV_COUNT];
            const ElStat *p0 = &acc.stat[(size_t)j * EL_UV_COUNT + EL_UV_PRICE];
            for (v = 0; v < EL_UV_COUNT; v++)
                el_stat_summary(&x[v], &out->jur[sj * EL_UV_COUNT + (size_t)v], &out->rank_error);
            if (d > 0 && out->used[d] > 0) {
                double p = (double)acc.losses[sj] / (double)out->used[d];
                out->p_loss[sj] = p;
                out->p_loss_se[sj] = sqrt(p * (1 - p) / (double)out->used[d]);
            }
            out->price_var_change[sj] = d == 0 || x[EL_UV_PRICE].n < 2 || p0->n < 2
                                            ? nan("")
                                            : x[EL_UV_PRICE].m2 / (double)(x[EL_UV_PRICE].n - 1) -
                                                  p0->m2 / (double)(p0->n - 1);
        }
    }
    out->seconds = el_clock_now() - t0;
done:
    if (sync_made) { /* no thread is left: a compaction still queued is dropped with its stat */
        pthread_cond_destroy(&acc.done);
        pthread_mutex_destroy(&acc.mu);
    }
    el_free(acc.queue);
    for (d = 0; acc.stat && (size_t)d < nser * EL_UV_COUNT; d++)
        el_stat_clear(&acc.stat[d]);
    for (d = 0; acc.total && d <= nd; d++)
        el_stat_clear(&acc.total[d]);
    el_free(acc.stat);
    el_free(acc.total);
    el_free(acc.losses);
    el_free(L);
    if (st != EL_OK)
        el_uncertainty_result_clear(out);
    return st;
}
