/* results: writes results as results.xml (schema reports/results.xsd) and results.csv (tidy long
 * form: design,jurisdiction,variable,value,unit), either from a solved run in memory or as a sink
 * (engine/batch.h) that writes each design as it arrives, so that memory stays flat for a
 * million designs. One field table (el_result_fields) says where every field of the result
 * structs goes: both writers are driven by it, and a new result field is added there. A
 * coalition analysis also goes to coalitions.csv (analysis,coalition,member,variable,value), an
 * uncertainty analysis to uncertainty.csv (analysis,design,jurisdiction,variable,statistic,value)
 * and, on request, its draws to draws.csv (those writers: reports/results_unc.h). */
#ifndef EL_RESULTS_H
#define EL_RESULTS_H

#include <stddef.h>
#include <stdio.h>

#include "analyze.h"
#include "batch.h"
#include "coalition.h"
#include "equilibrium.h"
#include "periods.h"
#include "uncertainty.h"

/** The outcome of a design as results.xml, results.csv and the report name it: "optimal",
 * "no-equilibrium" (EL_INFEASIBLE), or the solver's name for any other outcome. */
const char *el_results_outcome_name(ElOutcome o);

/** Write the XML results to a stream / atomically to path. A design without an equilibrium is
 * written as its outcome and one <shortfall> per jurisdiction (reports/results.xsd). */
void el_results_write_xml_stream(const ElRun *run, FILE *f);
el_status el_results_write_xml(const ElRun *run, const char *path, ElError *err);
/** Write the CSV results to a stream / atomically to path. Each design starts with an
 * `outcome` row; a design without an equilibrium has `shortfall` rows and nothing else. */
void el_results_write_csv_stream(const ElRun *run, FILE *f);
el_status el_results_write_csv(const ElRun *run, const char *path, ElError *err);

/* ---- Streaming: a writer is a sink that writes each design as it arrives. ---- */

typedef enum {
    EL_RESULTS_XML,
    EL_RESULTS_CSV,
    EL_RESULTS_COALITIONS_CSV,  /* coalitions.csv: made by el_results_writer_create_coalitions */
    EL_RESULTS_UNCERTAINTY_CSV, /* uncertainty.csv: made by el_results_writer_create_uncertainty */
    EL_RESULTS_DRAWS_CSV        /* draws.csv: made by el_results_writer_create_draws */
} ElResultsFormat;

typedef struct ElResultsWriter ElResultsWriter;

/** A writer of results in format fmt to f (borrowed, already open: the stream of an el_io output
 * file; must outlive w). `name` (borrowed, may be NULL) names the file in error messages. Its
 * sink (el_results_writer_sink) writes the header at begin, each design (index >= 0; the
 * baseline is not written) at once, and the footer at end when the batch succeeded; it keeps
 * only one design's worth of buffered text. A failed write to f stops the batch with EL_ERR_IO.
 * *out is owned by the caller (el_results_writer_free). */
el_status el_results_writer_create(
    ElResultsWriter **out, ElResultsFormat fmt, FILE *f, const char *name, ElError *err);
/** The sink of w (w borrowed; must outlive the batch). */
ElSink el_results_writer_sink(ElResultsWriter *w);
void el_results_writer_free(ElResultsWriter *w);

/* ---- Analyses (engine/analyze.h), written after the designs ---- */

/** Keep the file open when the designs' batch ends (no footer): analyses follow, then
 * el_results_writer_close. Call before the batch. */
void el_results_writer_hold(ElResultsWriter *w);
/** A sink writing the points of sweep a (el_sweep_run): a <sweep> element / rows of designs
 * "ID/i" with their parameters (docs/results-format.md). w and a borrowed. */
ElSink el_results_writer_sweep_sink(ElResultsWriter *w, const ElAnalysis *a);
/** Write a search's result: the optimum and its equilibrium, what binds, the ranked list and
 * the Pareto front. */
el_status el_results_writer_search(ElResultsWriter *w, const ElSearchResult *r, ElError *err);
/** Write a sequence's steps and verdicts. */
el_status el_results_writer_sequence(ElResultsWriter *w, const ElSequenceResult *r, ElError *err);
/** Write a coalition game's summary (engine/coalition.h): per member its market gain, Shapley
 * value, the transfer between them, the least-core allocation and the nucleolus (when
 * computed); the verdicts; the top coalitions by value; the coalition structures (when
 * computed): their counts and the listed ones (results.csv: those stable under some rule). To a
 * coalitions.csv writer: every row of the analysis (docs/results-format.md). */
el_status el_results_writer_coalitions(ElResultsWriter *w,
                                       const ElAnalysis *a,
                                       const ElCoalitionResult *res,
                                       ElError *err);
/** A writer of coalitions.csv (docs/results-format.md: tidy rows
 * analysis,coalition,member,variable,value) to f (borrowed, as for el_results_writer_create) for
 * scenario s (borrowed; must outlive w): the header row at once, then the rows of each
 * el_results_writer_coalitions call; el_results_writer_close flushes. It takes no designs: it is
 * not a sink, and only those two calls apply to it. *out is owned by the caller
 * (el_results_writer_free). */
el_status el_results_writer_create_coalitions(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err);
/** Write the footer of a held writer and flush. */
el_status el_results_writer_close(ElResultsWriter *w, ElError *err);

/* ---- Several periods (engine/periods.h), written instead of the designs' batch ---- */

/** Make w a writer of a several-period run; call before its sink's begin. results.csv then has
 * a period column (design,period,jurisdiction,variable,value,unit) and results.xml a <periods>
 * element first (docs/results-format.md, "Several periods"). */
void el_results_writer_set_periods(ElResultsWriter *w);
/** Write design id's several-period result r (both borrowed), between the sink's begin and end:
 * a <design> of one <period> per year (the year's single-period result, each jurisdiction with
 * its bank, banked, drawn and borrowed Mt) and a <present-value> per jurisdiction and in total;
 * or the rows of the same, the period column empty for the design's outcome and present
 * values. A design without an equilibrium over the horizon has its outcome only. */
el_status
el_results_writer_multi(ElResultsWriter *w, const char *id, const ElMultiResult *r, ElError *err);

/* ---- The field table ---- */

/** The result struct a field belongs to. */
typedef enum {
    EL_IN_JUR,     /* ElJurResult */
    EL_IN_LINK,    /* ElLinkResult */
    EL_IN_POOL,    /* ElPoolResult */
    EL_IN_ACCEPT,  /* ElAcceptResult */
    EL_IN_PROJECT, /* ElProjectResult */
    EL_IN_DESIGN,  /* ElDesignResult */
    EL_IN_COUNT
} ElResultStruct;

/** Where a field is written: one record (XML element / group of CSV rows) per ... */
typedef enum {
    EL_REC_NONE,      /* nowhere: a key, count, array, presence flag or diagnostic (see `note`) */
    EL_REC_OUTCOME,   /* design: <design outcome=...>, CSV row total,outcome */
    EL_REC_JUR,       /* jurisdiction of a design with an equilibrium: <jurisdiction>, id rows */
    EL_REC_SHORTFALL, /* jurisdiction of a design without one: <shortfall>, id,shortfall rows */
    EL_REC_LINK,      /* link: <link>, FROM->TO rows */
    EL_REC_POOL,      /* pool used in the design: <pool>, pool:ID rows */
    EL_REC_OFFSET,    /* acceptance in force: <offset>, J<-POOL rows */
    EL_REC_PROJECT,   /* project: <project>, project:ID rows */
    EL_REC_TOTAL,     /* design totals: <total>, total rows */
    EL_REC_COUNT
} ElRecord;

/** How a field's value is read and written. */
typedef enum {
    EL_VAL_NUM,     /* double: the number (%.12g) */
    EL_VAL_NUM_OPT, /* double that may be absent: NaN writes no attribute and no row */
    EL_VAL_BINDING, /* ElBinding: XML its name; CSV its code, the name in the unit column */
    EL_VAL_FLAG,    /* bool: XML true/false; CSV 1/0 */
    EL_VAL_OUTCOME, /* ElOutcome: XML its name; CSV 1 (optimal) or 0, the name as unit */
    EL_VAL_OTHER    /* not a written value (EL_REC_NONE) */
} ElValueKind;

/** The unit column of results.csv. */
typedef enum {
    EL_UNIT_NONE,  /* not in results.csv */
    EL_UNIT_MT,    /* Mt */
    EL_UNIT_PRICE, /* CUR/t */
    EL_UNIT_MONEY, /* million CUR */
    EL_UNIT_NAME,  /* the value's name (binding, outcome) */
    EL_UNIT_BUILT  /* "1 = built" */
} ElUnitKind;

typedef struct {
    ElResultStruct in;  /* the struct holding the field */
    const char *member; /* its C name */
    size_t offset;      /* offsetof(struct, member) */
    size_t size;        /* sizeof the member */
    ElRecord record;    /* where it is written */
    ElValueKind kind;
    ElUnitKind unit;
    const char *xml;  /* attribute of the record's element (NULL: not in results.xml) */
    int xml_pos;      /* its position among the record's attributes from the table (0, 1, ...) */
    const char *csv;  /* variable column of results.csv (NULL: not in results.csv) */
    int csv_pos;      /* its position among the record's rows (0, 1, ...) */
    const char *note; /* for a field written nowhere: why */
} ElResultField;

/** The field table: every field of ElJurResult, ElLinkResult, ElPoolResult, ElAcceptResult,
 * ElProjectResult and ElDesignResult exactly once (tests/unit/test_reports.c checks that the
 * fields of each struct tile it). *n receives the number of entries. Static storage. */
const ElResultField *el_result_fields(int *n);

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
