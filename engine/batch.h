/* batch: many equilibria of one scenario. A producer says how many items there are and makes
 * item i on demand (a design, and optionally a variation: a sweep point, a random draw), so that
 * a million designs are never held at once; workers solve items on T threads (and, when the
 * program runs under mpirun, across MPI ranks); sinks receive the results one by one, in item
 * order, whatever T and the number of ranks, so that output is identical byte for byte and
 * memory stays flat. The analyses (sweeps, draws, coalitions) are producers; the writers of
 * results.xml, results.csv and the report are sinks (docs/design.md §5). */
#ifndef EL_BATCH_H
#define EL_BATCH_H

#include <stdbool.h>

#include "equilibrium.h"

/** One equilibrium to solve: design (NULL: the baseline itself) under variation (NULL: none).
 * Gains are measured against the baseline under the same variation. */
typedef struct {
    const ElDesign *design;
    const ElVariation *variation;
    bool skip; /* not solved: delivered with r->outcome EL_INFEASIBLE and every figure 0 (a
                  random draw outside the model's domain, counted by its sink) */
    bool baseline_may_fail; /* its variation's baseline without an equilibrium is a result, not
                               an error: the item is delivered with that baseline (outcome !=
                               EL_OPTIMAL) and r->outcome EL_INFEASIBLE */
    bool baseline_unused;   /* the sinks do not read this item's baseline under its variation:
                               they get NULL for it (gains are still measured against it), and
                               it is not copied into the item's slot */
} ElBatchItem;

/** Items with the same variation (equal changes) in a row on one thread share the baseline's
 * solve: each thread keeps the last one it solved. */

/** Makes items. `item` may be called from several threads at once, each time for a different i,
 * and must fill *out with pointers valid until `release` is called for the same i (which may be
 * NULL if nothing needs releasing). `release` comes after the item's result was delivered, from
 * any of the batch's threads, at the latest before el_batch_solve returns. */
typedef struct {
    void *ctx;
    long count;
    el_status (*item)(void *ctx, long i, ElBatchItem *out, ElError *err);
    void (*release)(void *ctx, long i, ElBatchItem *item);
} ElProducer;

/** A producer's `release` for items whose design the producer made (el_design_free). */
void el_batch_release_design(void *ctx, long i, ElBatchItem *item);

/** Receives results, from one thread at a time and in order: begin; then the shared baseline
 * (index -1, item NULL, r->design NULL: the scenario's autarky); then item 0, 1, ...; then end
 * (also after a failure, with ok = false, so that a sink can discard what it wrote). begin, the
 * baseline and end come from the calling thread; with more than one thread the items come from
 * the batch's lead thread (engine/batch.c), one after another, never concurrently, and the
 * calling thread waits meanwhile.
 * r and everything it points to are valid only during the call. `baseline` is the result gains
 * were measured against (NULL for the baseline itself). Any callback may be NULL. */
typedef struct {
    void *ctx;
    el_status (*begin)(void *ctx, const ElScenario *s, long count, ElError *err);
    el_status (*result)(void *ctx,
                        long index,
                        const ElBatchItem *item,
                        const ElDesignResult *r,
                        const ElDesignResult *baseline,
                        ElError *err);
    el_status (*end)(void *ctx, bool ok, ElError *err);
    /* Work of the sink's own that any thread may do (an <uncertainty> compacts its statistics
     * there): with more than one thread, the workers call it between chunks and before waiting,
     * and the lead before waiting, concurrently with `result`; it returns true if it
     * did something, and quickly false if there is nothing to do. NULL: none. */
    bool (*help)(void *ctx);
} ElSink;

typedef struct {
    int threads; /* worker threads; 0 = 1 (solved in the calling thread) */
    bool mpi;    /* split items across MPI ranks when built with MPI and run under mpirun */
    int window;  /* results solved ahead of the one being delivered; 0: as many as fit in 4 MB
                  * per thread, between 128 and 1024 per thread */
} ElBatchOptions;

/** Solve every item of producer on s (finished) and hand the results to the sinks. Under MPI
 * (opt->mpi and el_mpi_active) every rank must call it with the same producer; items are
 * shared out by rank and only rank 0 calls the sinks (the others pass none or theirs are not
 * called); the first error is reported on rank 0. A design
 * without an equilibrium is a result (outcome != EL_OPTIMAL), not an error; the baseline
 * without one is EL_ERR_NO_EQUILIBRIUM, as in el_run_solve. The first error (in item order)
 * stops the batch. */
el_status el_batch_solve(const ElScenario *s,
                         const ElProducer *producer,
                         const ElBatchOptions *opt,
                         const ElSink *const *sinks,
                         int nsinks,
                         ElError *err);

/** The producer of a scenario's own designs, in file order, without variations. */
ElProducer el_producer_scenario(const ElScenario *s);

/** A sink that keeps every result in an ElRun (for callers that want them all in memory, such as
 * el_run_solve). *run is created by begin and owned by the caller afterwards (el_run_free),
 * also after a failure. */
typedef struct {
    ElRun *run;
} ElRunSink;
ElSink el_sink_run(ElRunSink *ctx);

#endif
