/* analyze: runs the analyses a scenario declares (model/analysis.h) on the batch engine
 * (engine/batch.h): a sweep is a producer of template points, streamed to sinks; a search
 * evaluates points in rounds of batches until it has the exact optimum; a sequence solves its
 * steps and compares each with the one before. Every result is the same whatever the number of
 * threads or MPI ranks (docs/model.md §7 states the methods and their guarantees). */
#ifndef EL_ANALYZE_H
#define EL_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "batch.h"

/* ---- Measures ---- */

/** The value of criterion c (what, of) in result r of scenario s: a gain, a price, ... of a
 * jurisdiction or of the total (docs/scenario-format.md, "Analyses"). NaN if r has no
 * equilibrium. */
double el_criterion_value(const ElScenario *s, const ElCriterion *c, const ElDesignResult *r);
/** "gain of KR", "min-gain", "ndc-margin of CN", written into buf. */
void el_criterion_text(const ElScenario *s, const ElCriterion *c, char *buf, size_t size);
/** The margin by which r meets requirement c: value - bound (at-least) or bound - value
 * (at-most); negative when it is missed, NaN without an equilibrium. */
double el_requirement_margin(const ElScenario *s, const ElCriterion *c, const ElDesignResult *r);

/** The regime of a result: which constraints bind (link quotas, offset limits, export caps,
 * price instruments, each jurisdiction's MAC piece), as a hash: equal regimes, equal hashes.
 * Within one regime, every quantity of the equilibrium is a smooth function of a parameter
 * (affine for quantities, quotas and prices; docs/model.md §7). */
uint64_t el_result_regime(const ElScenario *s, const ElDesignResult *r);
/** The binding constraints of r in words ("quota CN->KR; floor KR"), or "none". */
void el_result_regime_text(const ElScenario *s, const ElDesignResult *r, char *buf, size_t size);

/** "q=5 who=buyer": the values (template order, word codes for words) of analysis a's
 * parameters, written into buf. */
void el_point_text(const ElAnalysis *a, const double *values, char *buf, size_t size);

/* ---- Sweeps ---- */

typedef struct ElSweepProducer ElSweepProducer;

/** A producer of the points of sweep a (engine/batch.h): item i is the template with point i's
 * values, checked, called "ID/i". *out is owned by the caller (el_sweep_producer_free). */
el_status el_sweep_producer_create(ElSweepProducer **out,
                                   const ElScenario *s,
                                   const ElAnalysis *a,
                                   ElError *err);
ElProducer el_sweep_producer(ElSweepProducer *p);
void el_sweep_producer_free(ElSweepProducer *p);

/** Solve every point of sweep a and hand the results to the sinks, in point order. */
el_status el_sweep_run(const ElScenario *s,
                       const ElAnalysis *a,
                       const ElBatchOptions *opt,
                       const ElSink *const *sinks,
                       int nsinks,
                       ElError *err);

/* ---- Searches ---- */

typedef struct {
    double *values; /* one per template parameter (word codes for words) */
    bool ok;        /* the point has an equilibrium */
    bool feasible;  /* ... and meets every requirement */
    double obj[EL_SEARCH_MAX_OBJECTIVES];
    double margin;  /* the margin of requirement `worst` (negative: missed); +inf without any */
    double smargin; /* the smallest scaled margin m_k / (1 + |bound_k|), which picks `worst` */
    int worst;      /* the requirement missed most (scaled), or -1 */
    long combo;     /* the discrete combination (0 without discrete parameters) */
} ElSearchPoint;

typedef struct {
    const ElAnalysis *analysis;
    int nvalues;        /* = the template's parameter count */
    bool found;         /* some point is feasible */
    ElSearchPoint best; /* the optimum (found), else the point that misses its requirements least */
    ElDesign *best_design;      /* the template at best's values, called by the search's id */
    ElDesignResult best_result; /* its equilibrium (gains against the baseline) */
    char **active;              /* what binds at the optimum, in words */
    int nactive;
    ElSearchPoint *ranked; /* one per discrete combination, best first; infeasible ones last */
    long nranked;
    ElSearchPoint *front; /* two objectives: the Pareto front, by the first objective falling */
    long nfront;
    long evaluations; /* equilibria solved */
    int rounds;       /* batches */
} ElSearchResult;

/** Progress of a long analysis (may be NULL): done of total units (equilibria of a sweep,
 * rounds of a search). */
typedef void (*ElProgressFn)(void *ctx, const char *id, long done, long total);

/** Run search a on s: the best feasible point, to 1e-6 in each continuous parameter
 * (docs/model.md §7: a scan, bisection to every change of regime or of feasibility, golden
 * section within each regime), for every discrete combination; the ranked list; with two
 * objectives the Pareto front. No feasible point is EL_OK with out->found = false. Under MPI
 * every rank calls it; results are complete on rank 0. out is cleared first; release with
 * el_search_result_clear. */
el_status el_search_run(const ElScenario *s,
                        const ElAnalysis *a,
                        const ElBatchOptions *opt,
                        ElProgressFn progress,
                        void *progress_ctx,
                        ElSearchResult *out,
                        ElError *err);
void el_search_result_clear(ElSearchResult *r);

/* ---- Sequences ---- */

typedef struct {
    const ElDesign *design;
    ElDesignResult result; /* gains against the baseline */
    double *delta;      /* per jurisdiction: gain here minus gain at the step before (the last with
                           an equilibrium; autarky for the first); NaN without an equilibrium */
    double delta_total; /* the same for the total gain */
    bool pareto;        /* no jurisdiction loses against the step before */
    bool strict;        /* ... and one gains */
} ElSequenceStep;

typedef struct {
    const ElAnalysis *analysis;
    ElDesignResult baseline;
    ElSequenceStep *steps;
    int nsteps;
    bool all_pareto; /* every step is a Pareto improvement */
} ElSequenceResult;

/** Solve the steps of sequence a and compare each with the one before (the first with the
 * baseline). A loss counts when larger than 1e-9 of the largest gain (docs/model.md §7). */
el_status el_sequence_run(const ElScenario *s,
                          const ElAnalysis *a,
                          const ElBatchOptions *opt,
                          ElSequenceResult *out,
                          ElError *err);
void el_sequence_result_clear(ElSequenceResult *r);

#endif
