/* Sweeps, searches and sequences on the batch engine (engine/analyze.h). */
#include "analyze.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_mpi.h"

static el_status nomem(ElError *err, const char *what)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (%s)", what);
}

/* ---- Measures ---- */

static double jur_measure(ElWhat w, const ElJurResult *j)
{
    switch (w) {
    case EL_WHAT_GAIN:
        return j->gain;
    case EL_WHAT_PRICE:
        return j->price;
    case EL_WHAT_ABATEMENT:
        return j->abatement;
    case EL_WHAT_NET_IMPORTS:
        return j->net_imports;
    case EL_WHAT_EMISSIONS:
        return j->emissions;
    case EL_WHAT_NDC_MARGIN:
        return j->ndc_margin;
    case EL_WHAT_MIN_GAIN:
    case EL_WHAT_TOTAL_GAIN:
    case EL_WHAT_COUNT:
        break;
    }
    return nan("");
}

double el_criterion_value(const ElScenario *s, const ElCriterion *c, const ElDesignResult *r)
{
    double v = 0;
    int j;
    (void)s;
    if (r->outcome != EL_OPTIMAL)
        return nan("");
    if (c->what == EL_WHAT_TOTAL_GAIN || (c->what == EL_WHAT_GAIN && c->of == EL_OF_TOTAL))
        return r->gain;
    if (c->what == EL_WHAT_MIN_GAIN) {
        v = HUGE_VAL;
        for (j = 0; j < r->njur; j++)
            v = fmin(v, r->jur[j].gain);
        return v;
    }
    if (c->of != EL_OF_TOTAL)
        return jur_measure(c->what, &r->jur[c->of]);
    for (j = 0; j < r->njur; j++) { /* a sum; NDC margins of those with a target */
        double x = jur_measure(c->what, &r->jur[j]);
        if (!isnan(x))
            v += x;
    }
    return v;
}

void el_criterion_text(const ElScenario *s, const ElCriterion *c, char *buf, size_t size)
{
    if (c->what == EL_WHAT_MIN_GAIN || c->what == EL_WHAT_TOTAL_GAIN)
        snprintf(buf, size, "%s", el_what_name(c->what));
    else
        snprintf(buf, size, "%s of %s", el_what_name(c->what),
                 c->of == EL_OF_TOTAL ? "total" : s->jur[c->of].id);
}

double el_requirement_margin(const ElScenario *s, const ElCriterion *c, const ElDesignResult *r)
{
    double v = el_criterion_value(s, c, r);
    return c->at_most ? c->bound - v : v - c->bound;
}

/* ---- Regimes ---- */

static bool near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (1 + fmax(fabs(a), fabs(b)));
}

/* Position of q on curve m: -1 at 0, 2k inside piece k, 2k+1 at its end. */
static int curve_state(const ElMac *m, double q)
{
    int k, n = m ? el_mac_piece_count(m) : 0;
    if (q <= 1e-9)
        return -1;
    for (k = 0; k < n; k++) {
        const ElMacPiece *p = el_mac_piece(m, k);
        double end = p->q0 + p->width;
        if (near(q, end))
            return 2 * k + 1;
        if (q < end)
            return 2 * k;
    }
    return 2 * n;
}

/* 0 nothing, 1 some, 2 all of a volume */
static int volume_state(double x, double vol)
{
    if (x <= 1e-9 * (1 + fabs(vol)))
        return 0;
    return isfinite(vol) && near(x, vol) ? 2 : 1;
}

/* A link whose quota binds: credited at the quota (a quota of 0 included) and the buyer paying
 * more per tonne than the seller's price (else the quota is merely met). */
static bool link_at_quota(const ElScenario *s, const ElDesignResult *r, int l)
{
    const ElLink *lk = &r->design->links[l];
    double q = lk->quota, pf = r->jur[lk->from].price, pt = r->jur[lk->to].price * lk->rate;
    if (!isnan(lk->quota_share))
        q = fmin(q, lk->quota_share * r->jur[lk->to].emissions);
    (void)s;
    return isfinite(q) && r->link[l].credited >= q - 1e-9 * (1 + fabs(q)) &&
           pt - pf > 1e-9 * (1 + fabs(pt) + fabs(pf));
}

/* A link whose buyer pays more per tonne than the seller's price: something restricts it. */
static bool link_restricted(const ElDesignResult *r, int l)
{
    const ElLink *lk = &r->design->links[l];
    double pf = r->jur[lk->from].price, pt = r->jur[lk->to].price * lk->rate;
    return r->link[l].units > 1e-9 && pt - pf > 1e-9 * (1 + fabs(pt) + fabs(pf));
}

static bool offset_restricted(const ElDesignResult *r, int k)
{
    const ElAcceptResult *a = &r->accept[k];
    double pj = r->jur[a->jur].price, pc = r->pool[a->pool].price;
    double disc = a->credits > 0 ? a->credited / a->credits : 1;
    return a->credits > 1e-9 && pj * disc - pc > 1e-9 * (1 + fabs(pj) + fabs(pc));
}

typedef struct {
    uint64_t h;
} Fnv;

static void fnv(Fnv *f, long v)
{
    int b;
    for (b = 0; b < 8; b++) {
        f->h ^= (uint64_t)((unsigned long)v >> (8 * b)) & 0xffu;
        f->h *= 1099511628211ull;
    }
}

uint64_t el_result_regime(const ElScenario *s, const ElDesignResult *r)
{
    Fnv f = {1469598103934665603ull};
    int j, k;
    fnv(&f, r->outcome);
    if (r->outcome != EL_OPTIMAL)
        return f.h;
    for (j = 0; j < r->njur; j++) {
        const ElJurResult *q = &r->jur[j];
        const ElInstrument *fl = el_scenario_instrument(s, r->design, j, EL_INSTR_FLOOR);
        const ElInstrument *ce = el_scenario_instrument(s, r->design, j, EL_INSTR_CEILING);
        fnv(&f, q->binding);
        fnv(&f, curve_state(s->jur[j].mac, q->abatement));
        fnv(&f, volume_state(q->withheld, fl ? fl->volume : HUGE_VAL));
        fnv(&f, volume_state(q->released, ce ? ce->volume : HUGE_VAL));
        fnv(&f, q->penalised > 1e-9);
        fnv(&f, q->offsets > 1e-9);
        fnv(&f, q->emissions <= 1e-9); /* abating all of a (changed) BAU: the curve's end */
        fnv(&f, q->import_rent > 1e-9 * (1 + fabs(q->price))); /* NaN: no limit, false */
    }
    for (k = 0; k < r->nlinks; k++)
        fnv(&f, link_at_quota(s, r, k)     ? 2
                : r->link[k].units <= 1e-9 ? 0
                : link_restricted(r, k)    ? 3
                                           : 1);
    for (k = 0; k < r->npools; k++)
        if (r->pool[k].used)
            fnv(&f, curve_state(s->pools[k].supply, r->pool[k].supplied));
    for (k = 0; k < r->naccepts; k++)
        fnv(&f, r->accept[k].credits <= 1e-9 ? 0 : offset_restricted(r, k) ? 2 : 1);
    for (k = 0; k < r->nprojects; k++)
        fnv(&f, r->project[k].built);
    if (r->design)
        for (k = 0; k < r->design->ngroups; k++) { /* members apart from the group's price */
            const ElGroup *g = &r->design->groups[k];
            int m;
            for (m = 1; m < g->n; m++)
                fnv(&f, near(r->jur[g->members[m]].price, r->jur[g->members[0]].price));
        }
    return f.h;
}

static void
add_text(char *buf, size_t size, size_t *len, const char *a, const char *b, const char *c)
{
    int n;
    if (*len >= size)
        return;
    n = snprintf(buf + *len, size - *len, "%s%s%s%s", *len ? "; " : "", a, b, c);
    if (n > 0)
        *len += (size_t)n;
}

void el_result_regime_text(const ElScenario *s, const ElDesignResult *r, char *buf, size_t size)
{
    size_t len = 0;
    int j, k;
    buf[0] = '\0';
    if (r->outcome != EL_OPTIMAL) {
        snprintf(buf, size, "no equilibrium");
        return;
    }
    for (k = 0; r->design && k < r->nlinks; k++) {
        const ElLink *lk = &r->design->links[k];
        char who[140];
        snprintf(who, sizeof(who), "%s->%s", s->jur[lk->from].id, s->jur[lk->to].id);
        if (link_at_quota(s, r, k))
            add_text(buf, size, &len, "quota ", who, "");
        else if (link_restricted(r, k))
            add_text(buf, size, &len, "restricted ", who, "");
    }
    for (k = 0; k < r->naccepts; k++)
        if (offset_restricted(r, k)) {
            char pool[80];
            snprintf(pool, sizeof(pool), "<-%s", s->pools[r->accept[k].pool].id);
            add_text(buf, size, &len, "offset limit ", s->jur[r->accept[k].jur].id, pool);
        }
    for (j = 0; j < r->njur; j++)
        if (r->jur[j].import_rent > 1e-9 * (1 + fabs(r->jur[j].price)))
            add_text(buf, size, &len, "import limit ", s->jur[j].id, "");
    for (j = 0; j < r->njur; j++) {
        ElBinding b = r->jur[j].binding;
        if (b == EL_BIND_FLOOR || b == EL_BIND_CEILING || b == EL_BIND_PENALTY)
            add_text(buf, size, &len, el_binding_name(b), " ", s->jur[j].id);
        else if (b == EL_BIND_NONE && r->jur[j].price == 0)
            add_text(buf, size, &len, "surplus ", s->jur[j].id, "");
    }
    if (len == 0)
        snprintf(buf, size, "none");
}

/* ---- Template points ---- */

void el_point_text(const ElAnalysis *a, const double *values, char *buf, size_t size)
{
    size_t len = 0;
    int k;
    buf[0] = '\0';
    for (k = 0; k < a->nparams && len < size; k++) {
        const ElParam *p = &a->params[k];
        int n;
        if (p->words)
            n = snprintf(buf + len, size - len, "%s%s=%s", k ? " " : "", p->name,
                         el_slot_word_name("rent-to", (int)values[p->slot]));
        else
            n = snprintf(buf + len, size - len, "%s%s=%.10g", k ? " " : "", p->name,
                         values[p->slot]);
        if (n > 0)
            len += (size_t)n;
    }
}

/* The template of a at values, checked, called id. */
static el_status instantiate(const ElScenario *s,
                             const ElAnalysis *a,
                             const double *values,
                             const char *id,
                             ElDesign **out,
                             ElError *err)
{
    ElDesign *d = NULL;
    el_status st = el_design_copy(&d, a->tmpl->design, id, err);
    *out = NULL;
    if (st != EL_OK)
        return st;
    el_template_apply(a->tmpl, values, d);
    st = el_design_check(s, d, err);
    if (st != EL_OK) {
        char msg[sizeof(err->msg)], pt[300];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        el_point_text(a, values, pt, sizeof(pt));
        el_design_free(d);
        return el_error_set(err, st, "%s:%d: %s '%s' at %s: %s", s->path, a->line,
                            a->kind == EL_ANALYSIS_SWEEP ? "sweep" : "search", a->id, pt, msg);
    }
    *out = d;
    return EL_OK;
}

/* ---- Sweeps ---- */

struct ElSweepProducer {
    const ElScenario *s;
    const ElAnalysis *a;
};

static el_status sweep_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    ElSweepProducer *p = ctx;
    double values[64];
    char id[200];
    ElDesign *d = NULL;
    el_status st;
    el_sweep_point(p->a, i, values);
    snprintf(id, sizeof(id), "%s/%ld", p->a->id, i);
    st = instantiate(p->s, p->a, values, id, &d, err);
    out->design = d;
    out->variation = NULL;
    return st;
}

el_status el_sweep_producer_create(ElSweepProducer **out,
                                   const ElScenario *s,
                                   const ElAnalysis *a,
                                   ElError *err)
{
    ElSweepProducer *p = el_calloc(1, sizeof(*p));
    *out = NULL;
    if (!p)
        return nomem(err, "sweep");
    p->s = s;
    p->a = a;
    *out = p;
    return EL_OK;
}

ElProducer el_sweep_producer(ElSweepProducer *p)
{
    ElProducer pr = {p, p->a->points, sweep_item, el_batch_release_design};
    return pr;
}

void el_sweep_producer_free(ElSweepProducer *p)
{
    el_free(p);
}

el_status el_sweep_run(const ElScenario *s,
                       const ElAnalysis *a,
                       const ElBatchOptions *opt,
                       const ElSink *const *sinks,
                       int nsinks,
                       ElError *err)
{
    ElSweepProducer *p = NULL;
    ElProducer pr;
    el_status st = el_sweep_producer_create(&p, s, a, err);
    if (st != EL_OK)
        return st;
    pr = el_sweep_producer(p);
    st = el_batch_solve(s, &pr, opt, sinks, nsinks, err);
    el_sweep_producer_free(p);
    return st;
}

/* ---- Searches ---- */

/* What a search keeps of one equilibrium. */
typedef struct {
    double obj[EL_SEARCH_MAX_OBJECTIVES];
    double margin;
    int worst;
    int ok, feasible;
    uint64_t sig;   /* regime, with the requirements met, as a hash */
    double noise;   /* rounding in a gain: 1e-12 of the costs it is the difference of */
    double smargin; /* the smallest scaled margin m_k / (1 + |bound_k|): ranks misses */
} Eval;

typedef struct {
    double t;
    Eval e;
    int exact; /* the vertex of a verified parabola: preferred among equal values */
} Sample;

/* One line of a search: the template's values `base` with coordinate `coord` free in [lo, hi]. */
typedef struct {
    double *base;
    int coord;
    double lo, hi;
    long combo;
    Sample *smp;
    int n, cap;
} Line;

typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    const ElBatchOptions *opt;
    int np;      /* template parameters */
    double *pts; /* npts x np values to evaluate */
    long npts, cap;
    long *map; /* batch item i is point map[i] (the points that pass the design checks) */
    long nmap, capmap;
    Eval *out;
    long evaluations;
    int rounds;
    ElProgressFn progress;
    void *pctx;
} Searcher;

static el_status search_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    Searcher *S = ctx;
    ElDesign *d = NULL;
    el_status st = instantiate(S->s, S->a, S->pts + S->map[i] * S->np, S->a->id, &d, err);
    out->design = d;
    out->variation = NULL;
    return st;
}

static void
eval_result(const Searcher *S, const ElDesignResult *r, const ElDesignResult *base, Eval *e)
{
    const ElAnalysis *a = S->a;
    double scale = 1;
    int k;
    Fnv f;
    memset(e, 0, sizeof(*e));
    for (k = 0; k < r->njur; k++) {
        const ElJurResult *q = &r->jur[k];
        scale += fabs(q->abatement_cost) + fabs(q->payments_abroad) + fabs(q->receipts_abroad) +
                 fabs(q->project_cost) + (base ? fabs(base->jur[k].national_cost) : 0);
    }
    e->noise = 1e-12 * scale;
    e->ok = r->outcome == EL_OPTIMAL;
    e->margin = e->smargin = HUGE_VAL;
    e->worst = -1;
    e->feasible = e->ok;
    f.h = el_result_regime(S->s, r);
    for (k = 0; k < a->nobjectives; k++)
        e->obj[k] = e->ok ? el_criterion_value(S->s, &a->objective[k], r) : -HUGE_VAL;
    for (k = 0; k < a->nrequire; k++) {
        double m = e->ok ? el_requirement_margin(S->s, &a->require[k], r) : -HUGE_VAL;
        double sc = 1 + fabs(a->require[k].bound), sm;
        if (isnan(m))
            m = -HUGE_VAL;
        sm = m / sc;
        if (sm < e->smargin) {
            e->smargin = sm;
            e->margin = m;
            e->worst = k;
        }
        if (m < -1e-9 * sc) /* each requirement against its own tolerance */
            e->feasible = 0;
        fnv(&f, m >= -1e-9 * sc);
    }
    e->sig = f.h;
}

static el_status search_result(void *ctx,
                               long index,
                               const ElBatchItem *item,
                               const ElDesignResult *r,
                               const ElDesignResult *baseline,
                               ElError *err)
{
    Searcher *S = ctx;
    (void)item;
    (void)err;
    if (index >= 0)
        eval_result(S, r, baseline, &S->out[S->map[index]]);
    return EL_OK;
}

/* Evaluate the npts points queued in S->pts into S->out (one batch; under MPI rank 0's answers
 * go to every rank, so that all take the same next step). */
static el_status evaluate(Searcher *S, ElError *err)
{
    ElProducer pr = {S, 0, search_item, el_batch_release_design};
    ElSink sink = {S, NULL, search_result, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    el_status st = EL_OK;
    long i;
    if (S->npts == 0)
        return EL_OK;
    /* points whose values fail the design checks (a floor above a ceiling) are infeasible
     * points of their own regime, not errors: the search goes around them */
    if (S->npts > S->capmap) {
        long *nm = el_reallocarray(S->map, (size_t)S->npts, sizeof(*nm));
        if (!nm)
            return nomem(err, "search");
        S->map = nm;
        S->capmap = S->npts;
    }
    S->nmap = 0;
    for (i = 0; i < S->npts && st == EL_OK; i++) {
        ElDesign *d = NULL;
        ElError e2;
        el_status ci = instantiate(S->s, S->a, S->pts + i * S->np, S->a->id, &d, &e2);
        el_design_free(d);
        if (ci == EL_OK) {
            S->map[S->nmap++] = i;
        } else if (ci == EL_ERR_INPUT) {
            Eval *e = &S->out[i];
            memset(e, 0, sizeof(*e));
            e->obj[0] = e->obj[1] = -HUGE_VAL;
            e->margin = e->smargin = -HUGE_VAL;
            e->worst = -1;
            e->sig = 0x5eed0bad5eed0badull; /* "not a valid design": a regime of its own */
        } else {
            st = el_error_set(err, ci, "%s", e2.msg);
        }
    }
    pr.count = S->nmap;
    if (st == EL_OK && S->nmap > 0)
        st = el_batch_solve(S->s, &pr, S->opt, sinks, 1, err);
    /* el_batch_solve gives every rank rank 0's status; then rank 0's answers go to all */
    if (st == EL_OK && S->opt->mpi && el_mpi_active())
        st = el_mpi_bcast(S->out, (size_t)S->npts * sizeof(Eval), err);
    S->evaluations += S->nmap;
    S->rounds++;
    if (S->progress)
        S->progress(S->pctx, S->a->id, S->evaluations, -1);
    return st;
}

/* Queue a point: base values with coordinate c at t. Returns its index, or -1 (no memory). */
static long queue(Searcher *S, const double *base, int c, double t)
{
    if (S->npts == S->cap) {
        long nc = S->cap ? 2 * S->cap : 256;
        double *np = el_reallocarray(S->pts, (size_t)nc * (size_t)S->np, sizeof(double));
        Eval *ne;
        if (!np)
            return -1;
        S->pts = np;
        ne = el_reallocarray(S->out, (size_t)nc, sizeof(Eval));
        if (!ne)
            return -1;
        S->out = ne;
        S->cap = nc;
    }
    memcpy(S->pts + S->npts * S->np, base, (size_t)S->np * sizeof(double));
    if (c >= 0)
        S->pts[S->npts * S->np + c] = t;
    return S->npts++;
}

static bool add_sample(Line *L, double t, const Eval *e)
{
    if (L->n == L->cap) {
        int nc = L->cap ? 2 * L->cap : 128;
        Sample *ns = el_reallocarray(L->smp, (size_t)nc, sizeof(*ns));
        if (!ns)
            return false;
        L->smp = ns;
        L->cap = nc;
    }
    L->smp[L->n].t = t;
    L->smp[L->n].e = *e;
    L->smp[L->n].exact = 0;
    L->n++;
    return true;
}

static int sample_order(const void *x, const void *y)
{
    const Sample *a = x, *b = y;
    return (a->t > b->t) - (a->t < b->t);
}

/* Is sample x better than y for objective o? Feasible beats infeasible; then the objective;
 * then, among infeasible ones, the smaller miss. Equal: not better (the first found stays). */
static bool better(const Eval *x, const Eval *y, int o)
{
    if (x->feasible != y->feasible)
        return x->feasible;
    if (!x->feasible)
        return x->smargin > y->smargin;
    return x->obj[o] > y->obj[o] + 1e-11 * (1 + fabs(y->obj[o]));
}

typedef struct {
    int line;
    double a, b;
    uint64_t sa, sb;
    long qi;
} Bisect;

typedef struct {
    int line, o;
    double a, b, c, d;
    double fc, fd;
    long qc, qd; /* queued this round, or -1 */
    bool done;
    uint64_t sig;  /* the regime */
    double fa, fb; /* the objective at the regime's end samples a and b */
    double u, v;   /* the regime's end samples */
    long q3;       /* the parabola stage: first of its three points, its vertex */
    long qv;
    double tv, fv; /* the vertex and the value the parabola predicts there */
} Golden;

static const double PHI = 0.6180339887498949;
/* Rounds of bisection or golden section at most: each halves (or shrinks by 0.618) a bracket,
 * so 300 is far more than 1e-10 of any range needs. */
#define MAX_ROUNDS 300

static double gval(const Eval *e, int o)
{
    return e->feasible ? e->obj[o] : -HUGE_VAL;
}

/* Brackets stop at 1e-10 of the range, or where doubles run out: a few units in the last place
 * of the ends (a narrow range of large values), so that a midpoint always differs from both. */
static double bracket_tol(const Line *L, double a, double b)
{
    return fmax(1e-10 * (1 + L->hi - L->lo), 8 * DBL_EPSILON * fmax(fabs(a), fabs(b)));
}

/* 15 evenly spaced points inside each feasible regime of each line (sorted samples). */
static el_status pareto_points(Searcher *S, Line *lines, int nl, ElError *err)
{
    int *owner = NULL, i, k, m;
    long n = 0, capo = 0, q;
    el_status st = EL_OK;
    S->npts = 0;
    for (i = 0; i < nl && st == EL_OK; i++) {
        Line *L = &lines[i];
        for (k = 0; k < L->n && st == EL_OK;) {
            int e = k;
            while (e + 1 < L->n && L->smp[e + 1].e.sig == L->smp[k].e.sig)
                e++;
            for (m = 1; L->smp[k].e.feasible && L->smp[e].t > L->smp[k].t && m < 16; m++) {
                if (n == capo) {
                    int *no =
                        el_reallocarray(owner, (size_t)(capo = capo ? 2 * capo : 256), sizeof(*no));
                    if (!no) {
                        st = nomem(err, "search");
                        break;
                    }
                    owner = no;
                }
                if (queue(S, L->base, L->coord,
                          L->smp[k].t + (L->smp[e].t - L->smp[k].t) * m / 16.0) < 0) {
                    st = nomem(err, "search");
                    break;
                }
                owner[n++] = i;
            }
            k = e + 1;
        }
    }
    if (st == EL_OK && n > 0)
        st = evaluate(S, err);
    for (q = 0; st == EL_OK && q < n; q++) {
        Line *L = &lines[owner[q]];
        if (!add_sample(L, S->pts[q * S->np + L->coord], &S->out[q]))
            st = nomem(err, "search");
    }
    el_free(owner);
    return st;
}

/* Within a regime the objective of a quantity, quota or price parameter is quadratic
 * (docs/model.md §7): fit a parabola through three points of each regime, evaluate its vertex,
 * and where the value there is the one predicted (to 1e-9), the vertex is the regime's optimum,
 * exact to rounding; golden section is then not needed. Otherwise (an exchange rate, a regime
 * hidden between samples) golden section goes on. Two rounds. */
static el_status parabolas(Searcher *S, Line *lines, Golden *gs, long ng, ElError *err)
{
    long k;
    int m;
    el_status st;
    S->npts = 0;
    for (k = 0; k < ng; k++) {
        Golden *g = &gs[k];
        Line *L = &lines[g->line];
        for (m = 1; m <= 3; m++) {
            long qi = queue(S, L->base, L->coord, g->a + (g->b - g->a) * m / 4.0);
            if (qi < 0)
                return nomem(err, "search");
            if (m == 1)
                g->q3 = qi;
        }
    }
    st = evaluate(S, err);
    if (st != EL_OK)
        return st;
    for (k = 0; k < ng; k++) { /* keep the three points as samples */
        Golden *g = &gs[k];
        Line *L = &lines[g->line];
        for (m = 0; m < 3; m++)
            if (!add_sample(L, g->a + (g->b - g->a) * (m + 1) / 4.0, &S->out[g->q3 + m]))
                return nomem(err, "search");
    }
    for (k = 0; k < ng; k++) {
        Golden *g = &gs[k];
        const Eval *e = &S->out[g->q3];
        double h = (g->b - g->a) / 4, f1, f2, f3, curv;
        g->qv = -1;
        g->tv = nan("");
        if (e[0].sig != g->sig || e[1].sig != g->sig || e[2].sig != g->sig)
            continue; /* another regime inside: golden section */
        f1 = gval(&e[0], g->o);
        f2 = gval(&e[1], g->o);
        f3 = gval(&e[2], g->o);
        curv = f3 - 2 * f2 + f1;
        { /* shortcuts only for a quadratic: the parabola must also pass through both ends */
            double x2 = g->a + 2 * h, tol = 1e3 * fmax(e[0].noise, fmax(e[1].noise, e[2].noise)) +
                                            1e-9 * (fabs(f1) + fabs(f2) + fabs(f3));
            double pa = f2 + (f3 - f1) / (2 * h) * (g->a - x2) +
                        curv / (2 * h * h) * (g->a - x2) * (g->a - x2);
            double pb = f2 + (f3 - f1) / (2 * h) * (g->b - x2) +
                        curv / (2 * h * h) * (g->b - x2) * (g->b - x2);
            if (!(fabs(pa - g->fa) <= tol && fabs(pb - g->fb) <= tol))
                continue; /* not a quadratic: golden section */
        }
        if (!(curv < -1e-12 * (fabs(f1) + fabs(f2) + fabs(f3) + 1e-300))) {
            g->done = true; /* straight or convex: the best is at an end, a sample already */
            continue;
        }
        g->tv = g->a + 2 * h - h * (f3 - f1) / (2 * curv);
        g->fv = f2 - (f3 - f1) * (f3 - f1) / (8 * curv);
        if (g->tv < g->a || g->tv > g->b) {
            g->done = true; /* concave with its top outside: the best is at an end */
            continue;
        }
    }
    S->npts = 0;
    for (k = 0; k < ng; k++) {
        Golden *g = &gs[k];
        if (!g->done && !isnan(g->tv)) {
            g->qv = queue(S, lines[g->line].base, lines[g->line].coord, g->tv);
            if (g->qv < 0)
                return nomem(err, "search");
        }
    }
    if (S->npts == 0)
        return EL_OK;
    st = evaluate(S, err);
    for (k = 0; st == EL_OK && k < ng; k++) {
        Golden *g = &gs[k];
        Line *L = &lines[g->line];
        const Eval *e;
        if (g->qv < 0)
            continue;
        e = &S->out[g->qv];
        if (!add_sample(L, g->tv, e))
            return nomem(err, "search");
        if (e->sig == g->sig && e->feasible &&
            fabs(e->obj[g->o] - g->fv) <= 1e3 * e->noise + 1e-9 * fabs(g->fv)) {
            L->smp[L->n - 1].exact = g->o == 0;
            g->done = true;
        }
    }
    return st;
}

/* A parameter that enters the matrix (an exchange rate, a share): after golden section, whose
 * answer near a flat top is only as good as the objective's rounding allows, one Newton step
 * from its point t0 with derivatives from symmetric differences at t0 +- h and t0 +- h/2,
 * Richardson-extrapolated: the vertex estimates v(h) = t* + K h^2 + O(h^4), so
 * (4 v(h/2) - v(h)) / 3 = t* + O(h^4), with h = 1/200 of the regime. Kept as a sample, marked
 * exact where it is in the regime and feasible: line_best prefers it to any sample whose value
 * is within rounding of it, and a sample clearly better still wins. */
static el_status richardson(Searcher *S, Line *lines, Golden *gs, long ng, ElError *err)
{
    static const double off[4] = {-1, 1, -0.5, 0.5};
    long k, *q = el_calloc((size_t)ng * 6 + 1, sizeof(long));
    double *t0 = el_calloc((size_t)ng * 2 + 1, sizeof(double));
    el_status st = EL_OK;
    int m;
    if (!q || !t0) {
        el_free(q);
        el_free(t0);
        return nomem(err, "search");
    }
    S->npts = 0;
    for (k = 0; k < ng && st == EL_OK; k++) {
        Golden *g = &gs[k];
        double lo = g->u, hi = g->v;
        double h = (hi - lo) / 200, c = 0.5 * (g->a + g->b);
        q[6 * k] = -1;
        t0[2 * k] = c;
        t0[2 * k + 1] = h;
        if (!(c - h > lo && c + h < hi))
            continue; /* the top is at (or near) an end of the regime: golden's point stands */
        for (m = 0; m < 4; m++)
            if ((q[6 * k + m] =
                     queue(S, lines[g->line].base, lines[g->line].coord, c + off[m] * h)) < 0)
                st = nomem(err, "search");
        if (st == EL_OK &&
            (q[6 * k + 4] = queue(S, lines[g->line].base, lines[g->line].coord, c)) < 0)
            st = nomem(err, "search");
    }
    if (st == EL_OK && S->npts > 0)
        st = evaluate(S, err);
    /* the extrapolated vertices */
    if (st == EL_OK) {
        long nq = S->npts;
        Eval *ev = el_calloc((size_t)nq + 1, sizeof(Eval));
        if (!ev)
            st = nomem(err, "search");
        else
            memcpy(ev, S->out, (size_t)nq * sizeof(Eval));
        S->npts = 0;
        for (k = 0; ev && k < ng && st == EL_OK; k++) {
            Golden *g = &gs[k];
            const Eval *e[5];
            double h = t0[2 * k + 1], c = t0[2 * k], f[5], v1, v2, tr;
            bool ok = q[6 * k] >= 0;
            q[6 * k + 5] = -1;
            for (m = 0; ok && m < 5; m++) {
                e[m] = &ev[q[6 * k + m]];
                f[m] = gval(e[m], g->o);
                ok = e[m]->sig == g->sig && e[m]->feasible;
            }
            if (!ok)
                continue;
            if (!(f[0] - 2 * f[4] + f[1] < 0 && f[2] - 2 * f[4] + f[3] < 0))
                continue;
            v1 = c - h * (f[1] - f[0]) / (2 * (f[1] - 2 * f[4] + f[0]));
            v2 = c - 0.5 * h * (f[3] - f[2]) / (2 * (f[3] - 2 * f[4] + f[2]));
            tr = (4 * v2 - v1) / 3;
            if (!(fabs(tr - c) < h / 2))
                continue;
            if ((q[6 * k + 5] = queue(S, lines[g->line].base, lines[g->line].coord, tr)) < 0)
                st = nomem(err, "search");
            t0[2 * k] = tr;
        }
        for (k = 0; ev && k < ng && st == EL_OK; k++) /* keep the five points as samples */
            for (m = 0; q[6 * k] >= 0 && m < 5; m++)
                if (!add_sample(&lines[gs[k].line],
                                m < 4 ? 0.5 * (gs[k].a + gs[k].b) + off[m] * t0[2 * k + 1]
                                      : 0.5 * (gs[k].a + gs[k].b),
                                &ev[q[6 * k + m]]))
                    st = nomem(err, "search");
        el_free(ev);
    }
    if (st == EL_OK && S->npts > 0)
        st = evaluate(S, err);
    for (k = 0; st == EL_OK && k < ng; k++) {
        Golden *g = &gs[k];
        Line *L = &lines[g->line];
        const Eval *e;
        if (q[6 * k] < 0 || q[6 * k + 5] < 0)
            continue;
        e = &S->out[q[6 * k + 5]];
        if (!add_sample(L, t0[2 * k], e)) {
            st = nomem(err, "search");
            break;
        }
        if (e->sig == g->sig && e->feasible)
            L->smp[L->n - 1].exact = g->o == 0;
    }
    el_free(q);
    el_free(t0);
    return st;
}

/* Optimise every line (lockstep rounds): scan, bisection to every change of regime or of
 * feasibility, golden section on each objective within each feasible regime, and (pareto)
 * evenly spaced points in each regime. Samples stay in the lines. */
static el_status optimize_lines(Searcher *S, Line *lines, int nl, bool pareto, ElError *err)
{
    const ElAnalysis *a = S->a;
    int K = S->s->settings.search_scan, i, k, o, round;
    Bisect *bs = NULL;
    Golden *gs = NULL;
    long nb = 0, capb = 0, ng = 0, capg = 0;
    el_status st = EL_OK;
    /* scan */
    S->npts = 0;
    for (i = 0; i < nl; i++)
        for (k = 0; k <= K; k++) {
            Line *L = &lines[i];
            double t = k == K ? L->hi : L->lo + (L->hi - L->lo) * ((double)k / K);
            if (queue(S, L->base, L->coord, t) < 0)
                return nomem(err, "search");
            if (L->hi == L->lo)
                break;
        }
    st = evaluate(S, err);
    if (st != EL_OK)
        return st;
    {
        long q = 0;
        for (i = 0; i < nl; i++)
            for (k = 0; k <= K; k++) {
                Line *L = &lines[i];
                if (!add_sample(L, S->pts[q * S->np + L->coord], &S->out[q]))
                    return nomem(err, "search");
                q++;
                if (L->hi == L->lo)
                    break;
            }
    }
    /* bisection tasks at every change between neighbours */
    for (i = 0; i < nl; i++) {
        Line *L = &lines[i];
        for (k = 0; k + 1 < L->n; k++)
            if (L->smp[k].e.sig != L->smp[k + 1].e.sig) {
                if (nb == capb) {
                    Bisect *n2 =
                        el_reallocarray(bs, (size_t)(capb = capb ? 2 * capb : 64), sizeof(*bs));
                    if (!n2) {
                        el_free(bs);
                        return nomem(err, "search");
                    }
                    bs = n2;
                }
                bs[nb++] = (Bisect){
                    i, L->smp[k].t, L->smp[k + 1].t, L->smp[k].e.sig, L->smp[k + 1].e.sig, -1};
            }
    }
    for (round = 0; nb > 0 && st == EL_OK && round < MAX_ROUNDS; round++) {
        Bisect *next = el_calloc((size_t)(2 * nb), sizeof(*next));
        long live = 0;
        if (!next) {
            st = nomem(err, "search");
            break;
        }
        S->npts = 0;
        for (k = 0; k < nb && st == EL_OK; k++) {
            Line *L = &lines[bs[k].line];
            bs[k].qi = queue(S, L->base, L->coord, 0.5 * (bs[k].a + bs[k].b));
            if (bs[k].qi < 0)
                st = nomem(err, "search");
        }
        if (st == EL_OK)
            st = evaluate(S, err);
        for (k = 0; st == EL_OK && k < nb; k++) {
            Bisect b = bs[k], left = bs[k], right = bs[k];
            Line *L = &lines[b.line];
            double m = 0.5 * (b.a + b.b), tol = bracket_tol(L, b.a, b.b);
            const Eval *e = &S->out[b.qi];
            if (!add_sample(L, m, e)) {
                st = nomem(err, "search");
                break;
            }
            left.b = right.a = m;
            left.sb = right.sa = e->sig;
            /* keep each half whose ends differ (both when m is in a third regime) */
            if (left.sa != left.sb && m - b.a > tol)
                next[live++] = left;
            if (right.sa != right.sb && b.b - m > tol)
                next[live++] = right;
        }
        el_free(bs);
        bs = next;
        nb = live;
        capb = 2 * nb;
    }
    el_free(bs);
    if (st != EL_OK)
        return st;
    /* regimes: runs of neighbours with one signature; golden section within the feasible ones */
    for (i = 0; i < nl; i++) {
        Line *L = &lines[i];
        qsort(L->smp, (size_t)L->n, sizeof(*L->smp), sample_order);
        for (k = 0; k < L->n;) {
            int e = k;
            while (e + 1 < L->n && L->smp[e + 1].e.sig == L->smp[k].e.sig)
                e++;
            if (L->smp[k].e.feasible && L->smp[e].t > L->smp[k].t) {
                for (o = 0; o < a->nobjectives; o++) {
                    double lo = L->smp[k].t, hi = L->smp[e].t;
                    if (ng == capg) {
                        Golden *n2 =
                            el_reallocarray(gs, (size_t)(capg = capg ? 2 * capg : 64), sizeof(*gs));
                        if (!n2) {
                            el_free(gs);
                            return nomem(err, "search");
                        }
                        gs = n2;
                    }
                    gs[ng++] = (Golden){i,
                                        o,
                                        lo,
                                        hi,
                                        hi - PHI * (hi - lo),
                                        lo + PHI * (hi - lo),
                                        nan(""),
                                        nan(""),
                                        -1,
                                        -1,
                                        false,
                                        L->smp[k].e.sig,
                                        gval(&L->smp[k].e, o),
                                        gval(&L->smp[e].e, o),
                                        lo,
                                        hi,
                                        -1,
                                        -1,
                                        nan(""),
                                        0};
                }
            }
            k = e + 1;
        }
    }
    if (pareto && st == EL_OK) /* evenly spaced points in each feasible regime, for the front */
        st = pareto_points(S, lines, nl, err);
    if (st == EL_OK && ng > 0 && el_template_param_affine(a->tmpl, lines[0].coord))
        st = parabolas(S, lines, gs, ng, err);
    for (round = 0; round < MAX_ROUNDS; round++) {
        long pending = 0;
        S->npts = 0;
        for (k = 0; k < ng; k++) {
            Golden *g = &gs[k];
            Line *L = &lines[g->line];
            g->qc = g->qd = -1;
            if (g->done)
                continue;
            if (isnan(g->fc))
                g->qc = queue(S, L->base, L->coord, g->c);
            if (isnan(g->fd))
                g->qd = queue(S, L->base, L->coord, g->d);
            if ((isnan(g->fc) && g->qc < 0) || (isnan(g->fd) && g->qd < 0)) {
                st = nomem(err, "search");
                break;
            }
            pending++;
        }
        if (pending == 0 || st != EL_OK)
            break;
        st = evaluate(S, err);
        for (k = 0; st == EL_OK && k < ng; k++) {
            Golden *g = &gs[k];
            Line *L = &lines[g->line];
            double tol = bracket_tol(L, g->a, g->b);
            if (g->done)
                continue;
            if (g->qc >= 0) {
                g->fc = gval(&S->out[g->qc], g->o);
                if (!add_sample(L, g->c, &S->out[g->qc]))
                    st = nomem(err, "search");
            }
            if (g->qd >= 0) {
                g->fd = gval(&S->out[g->qd], g->o);
                if (!add_sample(L, g->d, &S->out[g->qd]))
                    st = nomem(err, "search");
            }
            if (g->fc >= g->fd) { /* the maximum is in [a, d] */
                g->b = g->d;
                g->d = g->c;
                g->fd = g->fc;
                g->c = g->b - PHI * (g->b - g->a);
                g->fc = nan("");
            } else { /* in [c, b] */
                g->a = g->c;
                g->c = g->d;
                g->fc = g->fd;
                g->d = g->a + PHI * (g->b - g->a);
                g->fd = nan("");
            }
            if (g->b - g->a <= tol)
                g->done = true;
        }
    }
    if (st == EL_OK && ng > 0 && !el_template_param_affine(a->tmpl, lines[0].coord))
        st = richardson(S, lines, gs, ng, err);
    for (i = 0; i < nl; i++) /* in order of t: the first of equal samples wins */
        qsort(lines[i].smp, (size_t)lines[i].n, sizeof(*lines[i].smp), sample_order);
    el_free(gs);
    return st;
}

/* The best sample of a line for objective 0 (samples in order of t: the smallest t of equal
 * ones), or NULL. */
static const Sample *line_best(const Line *L)
{
    const Sample *b = NULL;
    int k;
    for (k = 0; k < L->n; k++) {
        const Sample *x = &L->smp[k];
        /* a verified vertex and another sample within rounding (1e3 x noise) of each other:
         * the vertex, whose place is exact where the other's is not */
        bool close = b && x->exact != b->exact && x->e.feasible && b->e.feasible &&
                     fabs(x->e.obj[0] - b->e.obj[0]) <= 1e3 * fmax(x->e.noise, b->e.noise);
        if (!b || (close ? x->exact && !b->exact : better(&x->e, &b->e, 0)))
            b = x;
    }
    return b;
}

static void line_clear(Line *L)
{
    el_free(L->smp);
    L->smp = NULL;
    L->n = L->cap = 0;
}

static el_status
point_set(ElSearchPoint *p, int np, const double *values, const Eval *e, long combo, ElError *err)
{
    if (!p->values) {
        p->values = el_calloc((size_t)np > 0 ? (size_t)np : 1, sizeof(double));
        if (!p->values)
            return nomem(err, "search");
    }
    memcpy(p->values, values, (size_t)np * sizeof(double));
    p->ok = e->ok;
    p->feasible = e->feasible;
    memcpy(p->obj, e->obj, sizeof(p->obj));
    p->margin = e->margin;
    p->smargin = e->smargin;
    p->worst = e->worst;
    p->combo = combo;
    return EL_OK;
}

static int ranked_order(const void *x, const void *y)
{
    const ElSearchPoint *a = x, *b = y;
    if (a->feasible != b->feasible)
        return a->feasible ? -1 : 1;
    if (a->feasible && a->obj[0] != b->obj[0])
        return a->obj[0] > b->obj[0] ? -1 : 1;
    if (!a->feasible && a->smargin != b->smargin)
        return a->smargin > b->smargin ? -1 : 1;
    return (a->combo > b->combo) - (a->combo < b->combo);
}

static int front_order(const void *x, const void *y)
{
    const ElSearchPoint *a = x, *b = y;
    if (a->obj[0] != b->obj[0])
        return a->obj[0] > b->obj[0] ? -1 : 1;
    if (a->obj[1] != b->obj[1])
        return a->obj[1] > b->obj[1] ? -1 : 1;
    return (a->combo > b->combo) - (a->combo < b->combo);
}

/* Keep the non-dominated points of pts (feasible ones), sorted by the first objective. */
static long pareto_filter(ElSearchPoint *pts, long n)
{
    long i, m = 0;
    double best1 = -HUGE_VAL;
    qsort(pts, (size_t)n, sizeof(*pts), front_order);
    for (i = 0; i < n; i++) {
        double tol = 1e-12 * (1 + fabs(pts[i].obj[1]));
        if (pts[i].obj[1] > best1 + tol) {
            best1 = pts[i].obj[1];
            if (m != i) {
                ElSearchPoint t = pts[m];
                pts[m] = pts[i];
                pts[i] = t;
            }
            m++;
        }
    }
    return m;
}

static el_status add_front(ElSearchResult *out,
                           int np,
                           const double *base,
                           int coord,
                           const Sample *smp,
                           long combo,
                           long *cap,
                           ElError *err)
{
    ElSearchPoint *p;
    if (out->nfront == *cap) {
        long nc = *cap ? 2 * *cap : 256;
        ElSearchPoint *nf = el_reallocarray(out->front, (size_t)nc, sizeof(*nf));
        if (!nf)
            return nomem(err, "search");
        memset(nf + *cap, 0, (size_t)(nc - *cap) * sizeof(*nf));
        out->front = nf;
        *cap = nc;
    }
    p = &out->front[out->nfront++];
    if (point_set(p, np, base, &smp->e, combo, err) != EL_OK)
        return EL_ERR_NOMEM;
    if (coord >= 0)
        p->values[coord] = smp->t;
    return EL_OK;
}

typedef struct {
    ElDesignResult *r;
} Keep;

static el_status keep_result(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    Keep *k = ctx;
    (void)item;
    (void)baseline;
    return index == 0 ? el_design_result_copy(k->r, r, err) : EL_OK;
}

static el_status add_active(ElSearchResult *out, const char *text, ElError *err)
{
    char **na = el_reallocarray(out->active, (size_t)out->nactive + 1, sizeof(*na));
    if (!na)
        return nomem(err, "search");
    out->active = na;
    na[out->nactive] = el_strdup(text);
    if (!na[out->nactive])
        return nomem(err, "search");
    out->nactive++;
    return EL_OK;
}

/* The equilibrium at the best point, and what binds there. */
static el_status describe_best(Searcher *S, ElSearchResult *out, ElError *err)
{
    const ElScenario *s = S->s;
    const ElAnalysis *a = S->a;
    ElProducer pr;
    Keep keep = {&out->best_result};
    ElSink sink = {&keep, NULL, keep_result, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    char text[600], what[200];
    el_status st;
    int k;
    S->npts = 0;
    if (queue(S, out->best.values, -1, 0) < 0)
        return nomem(err, "search");
    st = instantiate(s, a, out->best.values, a->id, &out->best_design, err);
    if (st != EL_OK)
        return st;
    pr = (ElProducer){S, 1, search_item, el_batch_release_design};
    st = el_batch_solve(s, &pr, S->opt, sinks, 1, err);
    if (st != EL_OK || (el_mpi_active() && el_mpi_rank() > 0))
        return st;
    out->best_result.design = out->best_design;
    out->best_result.id = out->best_design->id;
    for (k = 0; st == EL_OK && k < a->nrequire; k++) {
        const ElCriterion *c = &a->require[k];
        double m = el_requirement_margin(s, c, &out->best_result);
        if (fabs(m) <= 1e-6 * (1 + fabs(c->bound))) {
            el_criterion_text(s, c, what, sizeof(what));
            snprintf(text, sizeof(text), "requirement %s %s %.10g", what,
                     c->at_most ? "at-most" : "at-least", c->bound);
            st = add_active(out, text, err);
        }
    }
    for (k = 0; st == EL_OK && k < a->nparams; k++) {
        const ElParam *p = &a->params[k];
        double v = out->best.values[p->slot];
        if (p->kind != EL_PARAM_CONTINUOUS)
            continue;
        if (fabs(v - p->min) <= 1e-9 * (1 + fabs(p->max - p->min)) ||
            fabs(v - p->max) <= 1e-9 * (1 + fabs(p->max - p->min))) {
            snprintf(text, sizeof(text), "%s at its %s %.10g", p->name,
                     fabs(v - p->min) <= fabs(v - p->max) ? "minimum" : "maximum", v);
            st = add_active(out, text, err);
        }
    }
    if (st == EL_OK && out->best_result.outcome == EL_OPTIMAL) {
        char reg[400];
        el_result_regime_text(s, &out->best_result, reg, sizeof(reg));
        snprintf(text, sizeof(text), "binding in the equilibrium: %s", reg);
        st = add_active(out, text, err);
    }
    return st;
}

el_status el_search_run(const ElScenario *s,
                        const ElAnalysis *a,
                        const ElBatchOptions *opt,
                        ElProgressFn progress,
                        void *progress_ctx,
                        ElSearchResult *out,
                        ElError *err)
{
    const ElTemplate *t = a->tmpl;
    Searcher S;
    int np = t->nparams, cont[64], nc = 0, k, cyc;
    long ncombo = 1, c, front_cap = 0;
    double *cur = NULL; /* ncombo x np: the current point of each combination */
    Eval *cur_e = NULL; /* its evaluation */
    Line *lines = NULL;
    el_status st = EL_OK;
    bool pareto = a->nobjectives == 2;
    memset(out, 0, sizeof(*out));
    out->analysis = a;
    out->nvalues = np;
    memset(&S, 0, sizeof(S));
    S.s = s;
    S.a = a;
    S.opt = opt;
    S.np = np;
    S.progress = progress;
    S.pctx = progress_ctx;
    for (k = 0; k < a->nparams && k < 64; k++) {
        long n = el_param_count(&a->params[k]);
        if (a->params[k].kind == EL_PARAM_CONTINUOUS)
            cont[nc++] = k;
        else
            ncombo = ncombo > LONG_MAX / n ? LONG_MAX : ncombo * n;
    }
    if (nc > EL_SEARCH_MAX_CONTINUOUS || (nc > 0 && ncombo > EL_SEARCH_MAX_LINES) ||
        ncombo > (long)s->settings.sweep_max_points || np > 64)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: <search id=\"%s\">: too large (el_analyses_check_limits)",
                            s->path, a->line, a->id);
    cur = el_calloc((size_t)ncombo * (size_t)np + 1, sizeof(double));
    cur_e = el_calloc((size_t)ncombo, sizeof(Eval));
    lines = nc > 0 ? el_calloc((size_t)ncombo, sizeof(Line)) : NULL;
    if (!cur || !cur_e || (nc > 0 && !lines)) {
        st = nomem(err, "search");
        goto done;
    }
    /* every combination at the middle of the continuous box (discrete values: last fastest) */
    for (c = 0; c < ncombo; c++) {
        double *v = cur + c * np;
        long i = c;
        for (k = a->nparams - 1; k >= 0; k--) {
            const ElParam *p = &a->params[k];
            if (p->kind == EL_PARAM_CONTINUOUS) {
                v[p->slot] = 0.5 * (p->min + p->max);
            } else {
                long n = el_param_count(p);
                v[p->slot] = el_param_value(p, i % n);
                i /= n;
            }
        }
    }
    if (nc >= 2) { /* several continuous parameters: start from the best point of a grid */
        int G = 2, total;
        while (G < 9 && pow(G + 1, nc) <= 4096)
            G++;
        total = (int)pow(G, nc);
        S.npts = 0;
        for (c = 0; c < ncombo && st == EL_OK; c++)
            for (k = 0; k < total; k++) {
                int m = k, q;
                long qi = queue(&S, cur + c * np, -1, 0);
                if (qi < 0) {
                    st = nomem(err, "search");
                    break;
                }
                for (q = 0; q < nc; q++) {
                    const ElParam *p = &a->params[cont[q]];
                    S.pts[qi * np + p->slot] = p->min + (p->max - p->min) * (m % G) / (G - 1);
                    m /= G;
                }
            }
        if (st == EL_OK)
            st = evaluate(&S, err);
        for (c = 0; st == EL_OK && c < ncombo; c++) {
            long bi = c * total;
            for (k = 1; k < total; k++)
                if (better(&S.out[c * total + k], &S.out[bi], 0))
                    bi = c * total + k;
            memcpy(cur + c * np, S.pts + bi * np, (size_t)np * sizeof(double));
            cur_e[c] = S.out[bi];
        }
    } else if (nc == 0) { /* only discrete: one batch of every combination */
        S.npts = 0;
        for (c = 0; c < ncombo && st == EL_OK; c++)
            if (queue(&S, cur + c * np, -1, 0) < 0)
                st = nomem(err, "search");
        if (st == EL_OK)
            st = evaluate(&S, err);
        for (c = 0; st == EL_OK && c < ncombo; c++) {
            cur_e[c] = S.out[c];
            if (pareto && S.out[c].feasible) {
                Sample sm = {0, S.out[c], 0};
                st = add_front(out, np, cur + c * np, -1, &sm, c, &front_cap, err);
            }
        }
    }
    /* exact line searches: one pass for one continuous parameter, cycles for several */
    for (cyc = 0; st == EL_OK && nc > 0 && cyc < (nc == 1 ? 1 : 50); cyc++) {
        bool moved = false;
        int q;
        for (q = 0; q < nc && st == EL_OK; q++) {
            const ElParam *p = &a->params[cont[q]];
            for (c = 0; c < ncombo; c++)
                lines[c] = (Line){cur + c * np, p->slot, p->min, p->max, c, NULL, 0, 0};
            st = optimize_lines(&S, lines, (int)ncombo, pareto && nc == 1, err);
            for (c = 0; st == EL_OK && c < ncombo; c++) {
                const Sample *b = line_best(&lines[c]);
                if (pareto && nc == 1) {
                    int m;
                    for (m = 0; st == EL_OK && m < lines[c].n; m++)
                        if (lines[c].smp[m].e.feasible)
                            st = add_front(out, np, cur + c * np, p->slot, &lines[c].smp[m], c,
                                           &front_cap, err);
                }
                if (b && (cyc == 0 && nc == 1 ? true : better(&b->e, &cur_e[c], 0))) {
                    if (nc > 1 && better(&b->e, &cur_e[c], 0))
                        moved = true;
                    cur[c * np + p->slot] = b->t;
                    cur_e[c] = b->e;
                }
            }
            for (c = 0; c < ncombo; c++)
                line_clear(&lines[c]);
        }
        if (!moved)
            break;
    }
    if (st == EL_OK && pareto && nc >= 2)
        for (c = 0; st == EL_OK && c < ncombo; c++)
            if (cur_e[c].feasible) {
                Sample sm = {0, cur_e[c], 0};
                st = add_front(out, np, cur + c * np, -1, &sm, c, &front_cap, err);
            }
    /* the ranked list and the best point */
    if (st == EL_OK) {
        out->ranked = el_calloc((size_t)ncombo, sizeof(*out->ranked));
        if (!out->ranked)
            st = nomem(err, "search");
        for (c = 0; st == EL_OK && c < ncombo; c++)
            st = point_set(&out->ranked[c], np, cur + c * np, &cur_e[c], c, err);
        out->nranked = out->ranked ? ncombo : 0; /* zeroed: cleared whatever was filled */
    }
    if (st == EL_OK) {
        qsort(out->ranked, (size_t)out->nranked, sizeof(*out->ranked), ranked_order);
        out->found = out->ranked[0].feasible;
        out->best = out->ranked[0];
        out->best.values = el_calloc((size_t)np + 1, sizeof(double));
        if (!out->best.values)
            st = nomem(err, "search");
        else
            memcpy(out->best.values, out->ranked[0].values, (size_t)np * sizeof(double));
    }
    if (st == EL_OK && pareto) {
        long m = pareto_filter(out->front, out->nfront);
        for (c = m; c < out->nfront; c++)
            el_free(out->front[c].values);
        out->nfront = m;
    }
    if (st == EL_OK)
        st = describe_best(&S, out, err);
    out->evaluations = S.evaluations;
    out->rounds = S.rounds;
done:
    for (c = 0; lines && c < ncombo; c++)
        line_clear(&lines[c]);
    el_free(lines);
    el_free(cur);
    el_free(cur_e);
    el_free(S.pts);
    el_free(S.out);
    el_free(S.map);
    return st;
}

void el_search_result_clear(ElSearchResult *r)
{
    long k;
    if (!r)
        return;
    el_free(r->best.values);
    el_design_result_clear(&r->best_result);
    el_design_free(r->best_design);
    for (k = 0; k < r->nactive; k++)
        el_free(r->active[k]);
    el_free(r->active);
    for (k = 0; k < r->nranked; k++)
        el_free(r->ranked[k].values);
    el_free(r->ranked);
    for (k = 0; k < r->nfront; k++)
        el_free(r->front[k].values);
    el_free(r->front);
    memset(r, 0, sizeof(*r));
}

/* ---- Sequences ---- */

typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    ElSequenceResult *out;
} SeqCtx;

static el_status seq_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    SeqCtx *q = ctx;
    (void)err;
    out->design = q->s->designs[q->a->designs[i]];
    out->variation = NULL;
    return EL_OK;
}

static el_status seq_result(void *ctx,
                            long index,
                            const ElBatchItem *item,
                            const ElDesignResult *r,
                            const ElDesignResult *baseline,
                            ElError *err)
{
    SeqCtx *q = ctx;
    (void)item;
    (void)baseline;
    if (index < 0)
        return el_design_result_copy(&q->out->baseline, r, err);
    q->out->steps[index].design = r->design;
    return el_design_result_copy(&q->out->steps[index].result, r, err);
}

el_status el_sequence_run(const ElScenario *s,
                          const ElAnalysis *a,
                          const ElBatchOptions *opt,
                          ElSequenceResult *out,
                          ElError *err)
{
    SeqCtx q = {s, a, out};
    ElProducer pr = {&q, a->nsteps, seq_item, NULL};
    ElSink sink = {&q, NULL, seq_result, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    el_status st;
    int k, j;
    memset(out, 0, sizeof(*out));
    out->analysis = a;
    out->steps = el_calloc((size_t)a->nsteps, sizeof(*out->steps));
    if (!out->steps)
        return nomem(err, "sequence");
    out->nsteps = a->nsteps;
    st = el_batch_solve(s, &pr, opt, sinks, 1, err);
    if (st != EL_OK || (el_mpi_active() && el_mpi_rank() > 0))
        return st;
    out->all_pareto = true;
    for (k = 0; k < out->nsteps; k++) {
        ElSequenceStep *p = &out->steps[k];
        const ElDesignResult *prev = NULL; /* the last step with an equilibrium, else autarky */
        int b;
        for (b = k - 1; b >= 0 && !prev; b--)
            if (out->steps[b].result.outcome == EL_OPTIMAL)
                prev = &out->steps[b].result;
        double scale = 0;
        p->delta = el_calloc((size_t)s->njur + 1, sizeof(double));
        if (!p->delta)
            return nomem(err, "sequence");
        p->pareto = p->result.outcome == EL_OPTIMAL;
        p->strict = false;
        if (!p->pareto) {
            out->all_pareto = false;
            for (j = 0; j < s->njur; j++)
                p->delta[j] = nan("");
            p->delta_total = nan("");
            continue;
        }
        for (j = 0; j < s->njur; j++)
            scale =
                fmax(scale, fmax(fabs(p->result.jur[j].gain), prev ? fabs(prev->jur[j].gain) : 0));
        for (j = 0; j < s->njur; j++) {
            p->delta[j] = p->result.jur[j].gain - (prev ? prev->jur[j].gain : 0);
            if (p->delta[j] < -1e-9 * (1 + scale))
                p->pareto = false;
            if (p->delta[j] > 1e-9 * (1 + scale))
                p->strict = true;
        }
        p->delta_total = p->result.gain - (prev ? prev->gain : 0);
        if (!p->pareto)
            out->all_pareto = false;
    }
    return EL_OK;
}

void el_sequence_result_clear(ElSequenceResult *r)
{
    int k;
    if (!r)
        return;
    el_design_result_clear(&r->baseline);
    for (k = 0; r->steps && k < r->nsteps; k++) {
        el_design_result_clear(&r->steps[k].result);
        el_free(r->steps[k].delta);
    }
    el_free(r->steps);
    memset(r, 0, sizeof(*r));
}
