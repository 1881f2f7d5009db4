/* uncertainty: Monte Carlo over correlated shocks (issue 12, docs/model.md §9). Draw d of an
 * <uncertainty> is a pure function of (seed, d) (core/el_rng.h): independent standard normals z,
 * correlated as e = L z with L L^T the shocks' correlation matrix (a pivoted Cholesky factor from
 * LAPACK), each applied to its quantity as the analysis says (model/analysis.h, ElShock). Every
 * design of the analysis and the autarky baseline are solved ex post under each draw on the
 * batch engine (items: draw-major, design-minor, so that a thread solves a draw's baseline
 * once); the results are folded into streaming statistics in draw order, so that the output is
 * the same whatever the threads or ranks, and memory does not grow with the draws beyond the
 * quantile sketches (a few hundred kB per series). */
#ifndef EL_UNCERTAINTY_H
#define EL_UNCERTAINTY_H

#include <stdbool.h>

#include "analysis.h"
#include "batch.h"

/** The variables summarised per design and jurisdiction. */
typedef enum {
    EL_UV_PRICE = 0,
    EL_UV_ABATEMENT,
    EL_UV_NET_IMPORTS,
    EL_UV_EMISSIONS,
    EL_UV_GAIN,
    EL_UV_COUNT
} ElUncVar;

const char *el_unc_var_name(ElUncVar v);

/** The quantiles reported: 5, 25, 50, 75 and 95%. */
#define EL_UQ 5
extern const double el_unc_quantiles[EL_UQ];

/** A streaming quantile sketch: levels of at most EL_SKETCH_K values, level h weighing 2^h; a
 * full level is sorted and every other value (alternately the odd and the even ones) moves up
 * (Manku, Rajagopalan and Lindsay 1998; Karnin, Lang and Liberty 2016). Exact while at most
 * EL_SKETCH_K values came in; beyond, a quantile's rank is off by at most the sum of 2^h over
 * the compactions of each level h (err; about (levels - 1) / EL_SKETCH_K of the count),
 * reported as rank_error. */
#define EL_SKETCH_K      4096
#define EL_SKETCH_LEVELS 40
typedef struct {
    double *level[EL_SKETCH_LEVELS];
    int n[EL_SKETCH_LEVELS];
    bool odd[EL_SKETCH_LEVELS]; /* the next compaction of the level keeps the odd positions */
    int nlevels;
    long count;
    double err; /* bound on any rank's error: 2^h for each compaction of level h */
    /* With several threads a full level 0 is sealed and compacted by any thread later
     * (engine/uncertainty.c): the same operations, in the same order, as at once. */
    double *sealed; /* a full level 0 waiting for its compaction, or NULL */
    int sealed_n;
    double *spare; /* a level-0 array for the next fill */
} ElSketch;

/** A statistic folded one value at a time: Welford's mean and variance, min, max, a sketch. */
typedef struct {
    long n;
    double mean, m2, min, max;
    ElSketch sk;
    int job; /* its sealed level 0: 0 none, 1 queued, 2 being compacted (threads) */
} ElStat;

/** What is reported of a statistic. */
typedef struct {
    long n;
    double mean, sd, se; /* se: sd / sqrt(n) */
    double q[EL_UQ];
    double min, max;
} ElUncSummary;

typedef struct {
    const ElAnalysis *a;
    int nd;   /* summaries for nd + 1 "designs": 0 the autarky baseline, then a->designs */
    int njur; /* the scenario's jurisdictions */
    long draws;
    long invalid;        /* draws outside the model's domain (a negative BAU, ...): not solved */
    long no_autarky;     /* draws whose autarky has no equilibrium */
    long *no_eq;         /* [nd + 1]: per design, draws without an equilibrium (autarky: 0) */
    long *used;          /* [nd + 1]: draws in the design's statistics */
    ElUncSummary *jur;   /* [(d njur + j) EL_UV_COUNT + v] */
    ElUncSummary *total; /* [d]: the design's total gain */
    double *p_loss;      /* [d njur + j]: share of the design's draws where j's gain < 0 */
    double *p_loss_se;
    double *price_var_change; /* [d njur + j]: var(price) - var(autarky price); NaN for d = 0 */
    double *effort;           /* [d njur + j]: the gain at the mean draw (no shock) */
    double *effort_total;     /* [d] */
    double rank_error;        /* largest rank error of any quantile, as a share of its count */
    double seconds;           /* wall time of the draws */
} ElUncertaintyResult;

/** Each draw's results as they arrive (optional; --draws-csv): draw, design slot (0 autarky),
 * the result (outcome != EL_OPTIMAL: no equilibrium; NULL: the draw was invalid). */
typedef el_status (*ElDrawSink)(void *ctx, long draw, int d, const ElDesignResult *r, ElError *err);

/** The draws uncertainty analysis u makes in s: the setting `draws` when it is above 0 (a quick
 * look, docs/settings.md), else u's draws=. */
long el_uncertainty_draws(const ElScenario *s, const ElUncertainty *u);

/** Run uncertainty analysis a of s (a->kind EL_ANALYSIS_UNCERTAINTY) on opt's threads and ranks;
 * rank 0 (or without MPI, the caller) gets out (cleared first; release with
 * el_uncertainty_result_clear). */
el_status el_uncertainty_run(const ElScenario *s,
                             const ElAnalysis *a,
                             const ElBatchOptions *opt,
                             ElDrawSink draws,
                             void *draws_ctx,
                             ElUncertaintyResult *out,
                             ElError *err);
void el_uncertainty_result_clear(ElUncertaintyResult *r);

/** The variation of draw d (cleared first): *valid false when a shocked value leaves its
 * domain (then v holds nothing). z and e are work arrays of a->unc->nshocks entries; L the
 * correlation factor (nshocks^2, column-major). */
el_status el_uncertainty_draw(const ElScenario *s,
                              const ElUncertainty *u,
                              const double *L,
                              long d,
                              double *z,
                              double *e,
                              ElVariation *v,
                              bool *valid,
                              ElError *err);

/* Sketches and statistics (exposed for tests). */
el_status el_stat_add(ElStat *st, double x, ElError *err);
void el_stat_summary(const ElStat *st, ElUncSummary *out, double *rank_error);
void el_stat_clear(ElStat *st);
/** The value of rank ceil(q count) (1-based; the smallest value for q = 0) by the sketch. */
double el_sketch_quantile(const ElSketch *sk, double q);

#endif
