/* results_unc: the writers of an uncertainty analysis' results (engine/uncertainty.h): its
 * section of results.xml and results.csv, uncertainty.csv and draws.csv (docs/results-format.md).
 * Implemented in results.c with the other writers; a header of its own because the engine's
 * ElSummary and that of reports/summary.h must not meet in one file. */
#ifndef EL_RESULTS_UNC_H
#define EL_RESULTS_UNC_H

#include "results.h"
#include "uncertainty.h"

/** Write an uncertainty analysis' summary (engine/uncertainty.h; docs/results-format.md): to
 * results.xml an <uncertainty> element (per design, autarky first, the total gain's summary and
 * per jurisdiction each variable's, with effort and risk sharing, the probability of a loss and
 * the change in price variance); to results.csv a few rows per design and jurisdiction; to an
 * uncertainty.csv writer every statistic as a row; to other writers nothing. r borrowed. */
el_status
el_results_writer_uncertainty(ElResultsWriter *w, const ElUncertaintyResult *r, ElError *err);
/** A writer of uncertainty.csv (tidy rows analysis,design,jurisdiction,variable,statistic,value)
 * to f for s (both borrowed, as for el_results_writer_create_coalitions): the header row at
 * once, then the rows of each el_results_writer_uncertainty call; el_results_writer_close
 * flushes. Not a sink. *out is owned by the caller (el_results_writer_free). */
el_status el_results_writer_create_uncertainty(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err);
/** A writer of draws.csv (one row per draw, design and jurisdiction: analysis,draw,design,
 * jurisdiction,price,abatement,net_imports,emissions,gain,status) to f for s (both borrowed):
 * the header row at once; el_results_writer_draws_begin before each analysis' draws, which
 * arrive through el_results_draw_sink; el_results_writer_close flushes. It keeps no draw: its
 * memory is one buffer. *out is owned by the caller (el_results_writer_free). */
el_status el_results_writer_create_draws(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err);
/** The draws that follow are those of uncertainty analysis a (borrowed; must outlive them). */
el_status el_results_writer_draws_begin(ElResultsWriter *w, const ElAnalysis *a, ElError *err);
/** An ElDrawSink (engine/uncertainty.h) writing a draw's rows for one design slot to ctx, a
 * draws.csv writer: status `ok`, `invalid` (the draw left the model's domain), `no-autarky` (a
 * design of a draw whose autarky has no equilibrium: not solved) or `no-equilibrium`; the
 * values only with `ok`. A failed write to the stream stops the run with EL_ERR_IO. */
el_status el_results_draw_sink(void *ctx, long draw, int d, const ElDesignResult *r, ElError *err);
#endif
