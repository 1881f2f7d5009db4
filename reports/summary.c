/* Streaming statistics for the report's summary mode (summary.h).
 * - Rankings are bounded binary heaps whose root is the kept entry nearest the cut, so that a
 *   new entry is compared with one entry and, when it is kept, costs O(log cap).
 * - The histogram keeps exact counts in bins of width 2^e aligned on multiples of the width: a
 *   value outside the window doubles the width, which merges pairs of bins exactly, so no
 *   count is ever estimated. The first width is 2^-40 of the first value's magnitude; the
 *   window then grows geometrically towards any later value.
 * - The sample is Vitter's algorithm R driven by splitmix64 from a fixed seed: deterministic,
 *   and while no more rows than its room have been offered it holds them all, so quantiles
 *   are exact for up to EL_SUMMARY_SAMPLE designs and estimates (rank error about
 *   1/(2 sqrt(EL_SUMMARY_SAMPLE)), 1%) beyond. Minimum, maximum and mean are always exact. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"

/* ---- Ranking ---- */

bool el_rank_before(const ElRanked *a, const ElRanked *b)
{
    return a->gain > b->gain || (a->gain == b->gain && a->index < b->index);
}

/* True if a belongs nearer the heap's root than b: the root is the kept entry nearest the cut. */
static bool heap_above(const ElRank *rk, const ElRanked *a, const ElRanked *b)
{
    return rk->last ? el_rank_before(a, b) : el_rank_before(b, a);
}

el_status el_rank_init(ElRank *rk, int cap, bool last, ElError *err)
{
    memset(rk, 0, sizeof(*rk));
    rk->cap = cap > 0 ? cap : 0;
    rk->last = last;
    rk->e = el_calloc((size_t)(rk->cap > 0 ? rk->cap : 1), sizeof(*rk->e));
    return rk->e ? EL_OK : el_error_set(err, EL_ERR_NOMEM, "out of memory (ranking)");
}

static void sift_down(ElRank *rk, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, top = i;
        ElRanked t;
        if (l < rk->n && heap_above(rk, &rk->e[l], &rk->e[top]))
            top = l;
        if (r < rk->n && heap_above(rk, &rk->e[r], &rk->e[top]))
            top = r;
        if (top == i)
            return;
        t = rk->e[i];
        rk->e[i] = rk->e[top];
        rk->e[top] = t;
        i = top;
    }
}

void el_rank_add(ElRank *rk, const ElRanked *e)
{
    int i;
    if (rk->cap == 0)
        return;
    if (rk->n == rk->cap) {
        if (!heap_above(rk, &rk->e[0], e))
            return;    /* not kept: the root is nearer the cut than e */
        rk->e[0] = *e; /* e replaces the root */
        sift_down(rk, 0);
        return;
    }
    i = rk->n++;
    rk->e[i] = *e;
    while (i > 0 && heap_above(rk, &rk->e[i], &rk->e[(i - 1) / 2])) {
        ElRanked t = rk->e[i];
        rk->e[i] = rk->e[(i - 1) / 2];
        rk->e[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

void el_rank_copy_text(char *buf, size_t size, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (size == 0)
        return;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) /* not inside a UTF-8 letter */
            n--;
    }
    if (n > 0)
        memcpy(buf, text, n);
    buf[n] = '\0';
}

void el_rank_set_id(ElRanked *e, const char *id)
{
    el_rank_copy_text(e->id, sizeof(e->id), id);
}

static int cmp_rank(const void *a, const void *b)
{
    const ElRanked *x = a, *y = b;
    return el_rank_before(x, y) ? -1 : el_rank_before(y, x) ? 1 : 0;
}

void el_rank_sort(ElRank *rk)
{
    if (rk->n > 1)
        qsort(rk->e, (size_t)rk->n, sizeof(*rk->e), cmp_rank);
}

void el_rank_clear(ElRank *rk)
{
    el_free(rk->e);
    memset(rk, 0, sizeof(*rk));
}

/* ---- Histogram ---- */

#define HIST_FIRST_SCALE 40     /* the first width is 2^-40 of the first value's magnitude */
#define HIST_MAX_Q       4.0e18 /* |v / w| must stay well inside int64_t */

static int64_t floor_half(int64_t k)
{
    return k >= 0 ? k / 2 : -((-k + 1) / 2);
}

void el_hist_init(ElHist *h)
{
    memset(h, 0, sizeof(*h));
}

/* Double the width; the window then starts at k0 (in the new bins), chosen so that every old
 * bin still fits. */
static void hist_merge(ElHist *h, bool toward_low)
{
    long c[EL_HIST_BINS];
    int64_t lo = floor_half(h->k0), hi = floor_half(h->k0 + EL_HIST_BINS - 1), k0;
    int i;
    k0 = toward_low ? hi - (EL_HIST_BINS - 1) : lo;
    memset(c, 0, sizeof(c));
    for (i = 0; i < EL_HIST_BINS; i++)
        c[floor_half(h->k0 + i) - k0] += h->count[i];
    memcpy(h->count, c, sizeof(c));
    h->k0 = k0;
    h->e++;
}

void el_hist_add(ElHist *h, double v)
{
    int64_t k;
    if (!isfinite(v))
        return;
    if (h->n == 0) {
        h->e = (v == 0 ? 0 : ilogb(v)) - HIST_FIRST_SCALE;
        h->k0 = (int64_t)floor(ldexp(v, -h->e)) - EL_HIST_BINS / 2;
        h->lo = h->hi = v;
    }
    for (;;) {
        double q = ldexp(v, -h->e);
        if (fabs(q) < HIST_MAX_Q) {
            k = (int64_t)floor(q);
            if (k >= h->k0 && k < h->k0 + EL_HIST_BINS)
                break;
        }
        hist_merge(h, q < (double)h->k0);
    }
    h->count[k - h->k0]++;
    h->n++;
    h->lo = fmin(h->lo, v);
    h->hi = fmax(h->hi, v);
}

void el_hist_shrink(ElHist *h, int max_bins, int64_t *first, int *nbins)
{
    int64_t a, b;
    if (max_bins < 1)
        max_bins = 1;
    if (h->n == 0) {
        *first = 0;
        *nbins = 0;
        return;
    }
    for (;;) {
        a = (int64_t)floor(ldexp(h->lo, -h->e));
        b = (int64_t)floor(ldexp(h->hi, -h->e));
        if (b - a + 1 <= max_bins)
            break;
        hist_merge(h, false);
    }
    *first = a;
    *nbins = (int)(b - a + 1);
}

long el_hist_count(const ElHist *h, int64_t k)
{
    return k >= h->k0 && k < h->k0 + EL_HIST_BINS ? h->count[k - h->k0] : 0;
}

/* ---- Sample ---- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

el_status el_sample_init(ElSample *sm, int cap, int ncols, uint64_t seed, ElError *err)
{
    memset(sm, 0, sizeof(*sm));
    sm->cap = cap > 0 ? cap : 1;
    sm->ncols = ncols > 0 ? ncols : 1;
    sm->state = seed;
    sm->sorted_col = -1;
    sm->rows = el_calloc((size_t)sm->cap * (size_t)sm->ncols, sizeof(*sm->rows));
    sm->tmp = el_calloc((size_t)sm->cap, sizeof(*sm->tmp));
    if (!sm->rows || !sm->tmp) {
        el_sample_clear(sm);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (sample)");
    }
    return EL_OK;
}

void el_sample_add(ElSample *sm, const double *row)
{
    long slot;
    sm->sorted_col = -1;
    sm->seen++;
    if (sm->n < sm->cap) {
        slot = sm->n++;
    } else {
        slot = (long)(splitmix64(&sm->state) % (uint64_t)sm->seen);
        if (slot >= sm->cap)
            return;
    }
    memcpy(sm->rows + (size_t)slot * (size_t)sm->ncols, row, (size_t)sm->ncols * sizeof(*row));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

double el_sample_quantile(ElSample *sm, int col, double p)
{
    double h, frac;
    int i, lo;
    if (sm->n == 0 || col < 0 || col >= sm->ncols)
        return nan("");
    if (sm->sorted_col != col) { /* several quantiles of one column sort it once */
        for (i = 0; i < sm->n; i++)
            sm->tmp[i] = sm->rows[(size_t)i * (size_t)sm->ncols + (size_t)col];
        qsort(sm->tmp, (size_t)sm->n, sizeof(*sm->tmp), cmp_double);
        sm->sorted_col = col;
    }
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    h = (sm->n - 1) * p;
    lo = (int)floor(h);
    frac = h - lo;
    if (lo + 1 >= sm->n)
        return sm->tmp[sm->n - 1];
    return sm->tmp[lo] + frac * (sm->tmp[lo + 1] - sm->tmp[lo]);
}

void el_sample_clear(ElSample *sm)
{
    el_free(sm->rows);
    el_free(sm->tmp);
    memset(sm, 0, sizeof(*sm));
}

/* ---- Collector ---- */

void el_summary_design_figures(const ElDesignResult *r, ElDesignFigures *out)
{
    const ElDesign *des = r->design;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    int j, l, k, nlinked = 0;
    memset(out, 0, sizeof(*out));
    for (j = 0; j < r->njur; j++) {
        const ElJurResult *q = &r->jur[j];
        bool linked = false;
        for (l = 0; des && !linked && l < des->nlinks; l++)
            linked = des->links[l].from == j || des->links[l].to == j;
        for (l = 0; des && !linked && l < des->ngroups; l++)
            for (k = 0; !linked && k < des->groups[l].n; k++)
                linked = des->groups[l].members[k] == j;
        if (linked) {
            lo = fmin(lo, q->price);
            hi = fmax(hi, q->price);
            nlinked++;
        }
        if (q->net_imports > 0)
            out->traded += q->net_imports;
        /* links and groups: sum_j p_j net_j is sum over links of (rate p_to - p_from) x plus,
         * per group, sum_k (p_k - p_group) m_k (its trades net to zero): every wedge between
         * what a tonne is worth to its buyer and what its seller gives it up for */
        out->rents += q->price * q->net_imports;
        out->emissions += q->emissions;
        out->ndc_emissions += q->ndc_emissions;
        out->gov_revenue += q->gov_revenue;
        out->firms_cost += q->firms_cost;
    }
    for (k = 0; k < r->naccepts; k++) { /* offset credits: worth p_j each credited tonne */
        const ElAcceptResult *a = &r->accept[k];
        out->traded += a->credited;
        out->rents += r->jur[a->jur].price * a->credited - a->payment;
    }
    out->spread = nlinked >= 2 ? hi - lo : nan("");
}

/* Append "sep text" to buf (size bytes) at *n, cut at a character boundary. */
static void own_add(char *buf, size_t size, size_t *n, const char *text)
{
    if (!buf || *n + 1 >= size)
        return;
    el_rank_copy_text(buf + *n, size - *n, text);
    *n += strlen(buf + *n);
}

int el_design_own_rules(const ElScenario *s, const ElDesign *d, char *buf, size_t size)
{
    static const char *const kinds[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};
    size_t n = 0;
    int k, count = 0;
    if (buf && size > 0)
        buf[0] = '\0';
    if (!d)
        return 0;
    for (k = 0; k < d->ninstruments; k++, count++) {
        own_add(buf, size, &n, count ? "; " : "");
        own_add(buf, size, &n, s->jur[d->instruments[k].jur].id);
        own_add(buf, size, &n, ": ");
        own_add(buf, size, &n, kinds[d->instruments[k].kind]);
    }
    for (k = 0; k < d->sets.n; k++, count++) {
        const ElSet *x = &d->sets.sets[k];
        own_add(buf, size, &n, count ? "; " : "");
        own_add(buf, size, &n, s->jur[x->jur].id);
        own_add(buf, size, &n, ": ");
        own_add(buf, size, &n, el_set_field_name(x->field));
    }
    for (k = 0; k < d->naccepts; k++) {
        const ElAccept *a = &d->accepts[k];
        if (s->pools[a->pool].host != a->jur)
            continue;
        own_add(buf, size, &n, count ? "; " : "");
        own_add(buf, size, &n, s->jur[a->jur].id);
        own_add(buf, size, &n, ": own offsets (");
        own_add(buf, size, &n, s->pools[a->pool].id);
        own_add(buf, size, &n, ")");
        count++;
    }
    return count;
}

bool el_design_is_empty(const ElDesign *d)
{
    return d && d->nlinks == 0 && d->ngroups == 0 && d->ninstruments == 0 && d->naccepts == 0 &&
           d->nexport_caps == 0 && d->nimport_limits == 0 && d->nprojects == 0 && d->sets.n == 0;
}

el_status el_summary_create(ElSummary **out, const ElScenario *s, ElError *err)
{
    ElSummary *sm;
    el_status st;
    size_t nj;
    *out = NULL;
    sm = el_calloc(1, sizeof(*sm));
    if (!sm)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (summary)");
    sm->s = s;
    sm->best_index = -1;
    sm->best_pure.index = -1;
    sm->worst_link.index = -1;
    sm->njur = s->njur < EL_SUMMARY_JUR ? s->njur : EL_SUMMARY_JUR;
    nj = (size_t)(sm->njur > 0 ? sm->njur : 1);
    el_hist_init(&sm->gains);
    st = el_rank_init(&sm->top, EL_SUMMARY_TOP, false, err);
    if (st == EL_OK)
        st = el_rank_init(&sm->bottom, EL_SUMMARY_BOTTOM, true, err);
    if (st == EL_OK)
        st = el_sample_init(&sm->sample, EL_SUMMARY_SAMPLE, 1 + 2 * sm->njur, EL_SUMMARY_SEED, err);
    if (st == EL_OK) {
        sm->price_min = el_calloc(6 * nj, sizeof(double));
        if (!sm->price_min)
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory (summary)");
    }
    if (st != EL_OK) {
        el_summary_free(sm);
        return st;
    }
    sm->price_max = sm->price_min + nj;
    sm->price_sum = sm->price_max + nj;
    sm->gain_min = sm->price_sum + nj;
    sm->gain_max = sm->gain_min + nj;
    sm->gain_sum_j = sm->gain_max + nj;
    *out = sm;
    return EL_OK;
}

static el_status add_failed(ElSummary *sm, const ElDesignResult *r, ElError *err)
{
    double t = 0;
    int j;
    sm->nfailed++;
    if (sm->nnamed == EL_SUMMARY_NAMED)
        return EL_OK;
    for (j = 0; j < r->njur; j++)
        t += r->jur[j].shortfall;
    sm->named[sm->nnamed] = el_strdup(r->id ? r->id : "");
    if (!sm->named[sm->nnamed])
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (summary)");
    if (r->design && r->design->title && r->design->title[0]) {
        sm->named_title[sm->nnamed] = el_strdup(r->design->title);
        if (!sm->named_title[sm->nnamed]) {
            el_free(sm->named[sm->nnamed]);
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (summary)");
        }
    }
    sm->named_short[sm->nnamed++] = t;
    return EL_OK;
}

el_status el_summary_add(ElSummary *sm, long index, const ElDesignResult *r, ElError *err)
{
    ElRanked e;
    el_status st;
    double row[1 + 2 * EL_SUMMARY_JUR];
    int j, m = sm->njur;
    if (index < 0) {
        if (sm->has_autarky)
            el_design_result_clear(&sm->autarky);
        sm->has_autarky = false;
        st = el_design_result_copy(&sm->autarky, r, err);
        sm->has_autarky = st == EL_OK;
        return st;
    }
    sm->count++;
    if (el_design_is_empty(r->design))
        sm->nempty++;
    if (r->outcome != EL_OPTIMAL)
        return add_failed(sm, r, err);
    memset(&e, 0, sizeof(e));
    e.index = index;
    el_rank_set_id(&e, r->id ? r->id : "");
    el_rank_copy_text(e.title, sizeof(e.title), r->design ? r->design->title : NULL);
    e.gain = r->gain;
    e.total_cost = r->total_cost;
    el_summary_design_figures(r, &e.fig);
    if (el_design_own_rules(sm->s, r->design, e.own, sizeof(e.own)) > 0)
        sm->nown++;
    else if (sm->best_pure.index < 0 || el_rank_before(&e, &sm->best_pure))
        sm->best_pure = e;
    if (sm->has_autarky) {
        ElDesignFigures base;
        el_summary_design_figures(&sm->autarky, &base);
        if (fabs(e.fig.ndc_emissions - base.ndc_emissions) >
            EL_EMISSIONS_TOL * (1 + fabs(base.ndc_emissions)))
            sm->nemissions++;
    }
    if (!el_design_is_empty(r->design) &&
        (sm->worst_link.index < 0 || e.gain < sm->worst_link.gain))
        sm->worst_link = e; /* the first design with the least gain */
    el_rank_add(&sm->top, &e);
    el_rank_add(&sm->bottom, &e);
    if (sm->best_index < 0 || r->gain > sm->best.gain) {
        sm->best_best = e;
        /* the first design with the highest gain: first in rank order */
        el_design_result_clear(&sm->best);
        sm->best_index = -1;
        st = el_design_result_copy(&sm->best, r, err);
        if (st != EL_OK)
            return st;
        sm->best.id = NULL; /* borrowed from a design that may be freed after the call */
        sm->best.design = NULL;
        sm->best_index = index;
    }
    sm->nsolved++;
    el_hist_add(&sm->gains, r->gain);
    sm->gain_sum += r->gain;
    row[0] = r->gain;
    for (j = 0; j < m; j++) {
        double p = r->jur[j].price, g = r->jur[j].gain;
        bool first = sm->nsolved == 1;
        sm->price_min[j] = first ? p : fmin(sm->price_min[j], p);
        sm->price_max[j] = first ? p : fmax(sm->price_max[j], p);
        sm->price_sum[j] += p;
        sm->gain_min[j] = first ? g : fmin(sm->gain_min[j], g);
        sm->gain_max[j] = first ? g : fmax(sm->gain_max[j], g);
        sm->gain_sum_j[j] += g;
        row[1 + j] = p;
        row[1 + m + j] = g;
    }
    el_sample_add(&sm->sample, row);
    return EL_OK;
}

void el_summary_finish(ElSummary *sm)
{
    el_rank_sort(&sm->top);
    el_rank_sort(&sm->bottom);
}

void el_summary_free(ElSummary *sm)
{
    int k;
    if (!sm)
        return;
    el_design_result_clear(&sm->autarky);
    el_design_result_clear(&sm->best);
    el_rank_clear(&sm->top);
    el_rank_clear(&sm->bottom);
    el_sample_clear(&sm->sample);
    el_free(sm->price_min);
    for (k = 0; k < sm->nnamed; k++) {
        el_free(sm->named[k]);
        el_free(sm->named_title[k]);
    }
    el_free(sm);
}

static el_status sink_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    (void)ctx;
    (void)s;
    (void)count;
    (void)err;
    return EL_OK;
}

static el_status sink_result(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    (void)item;
    (void)baseline;
    return el_summary_add(ctx, index, r, err);
}

static el_status sink_end(void *ctx, bool ok, ElError *err)
{
    (void)err;
    if (ok)
        el_summary_finish(ctx);
    return EL_OK;
}

ElSink el_summary_sink(ElSummary *sm)
{
    ElSink sink = {sm, sink_begin, sink_result, sink_end, NULL};
    return sink;
}
