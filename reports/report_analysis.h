/* report_analysis: the report's sections on analyses (engine/analyze.h, engine/coalition.h),
 * private to reports/. The report writer (report_latex.c) keeps here what it shows of each
 * analysis: of a sweep a bounded set of points per line (memory flat in the number of points),
 * of a search and a sequence copies of their results, of a coalition game the figures its
 * section shows (never the 2^n values), of an uncertainty analysis its summaries per design and
 * jurisdiction (report_unc.h; never the draws); and writes one section per analysis after the
 * designs. */
#ifndef EL_REPORT_ANALYSIS_H
#define EL_REPORT_ANALYSIS_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze.h"
#include "batch.h"
#include "coalition.h"
#include "report.h"
#include "report_periods.h"

typedef struct ElReportAnalyses ElReportAnalyses;

/** An empty list of analyses. *out is owned by the caller (el_report_analyses_free). */
el_status el_report_analyses_create(ElReportAnalyses **out, ElError *err);
void el_report_analyses_free(ElReportAnalyses *x);

/** A sink collecting the points of sweep a (el_sweep_run); x and a borrowed, a must outlive x.
 * The sweep is shown only if its batch ended successfully. */
ElSink el_report_analyses_sweep_sink(ElReportAnalyses *x, const ElAnalysis *a);
/** Add a search's result (copied: r may be cleared afterwards; r->analysis must outlive x). */
el_status el_report_analyses_add_search(ElReportAnalyses *x, const ElSearchResult *r, ElError *err);
/** Add a sequence's result (copied; r->analysis must outlive x). */
el_status
el_report_analyses_add_sequence(ElReportAnalyses *x, const ElSequenceResult *r, ElError *err);

/** Add coalition game a's result (what the section shows is copied, a bounded amount whatever
 * the number of members: r may be cleared afterwards; a must outlive x). */
el_status el_report_analyses_add_coalitions(ElReportAnalyses *x,
                                            const ElAnalysis *a,
                                            const ElCoalitionResult *r,
                                            ElError *err);

/** The analyses of held report writer w (report_latex.c; for report_unc.h's writer). */
ElReportAnalyses *el_report_writer_analyses(ElReportWriter *w);
/** The section on a several-period run x owns (report_periods.h; NULL until
 * el_report_writer_periods creates it): the slot, and the section to write (x may be NULL). */
ElReportPeriods **el_report_analyses_periods_slot(ElReportAnalyses *x);
const ElReportPeriods *el_report_analyses_periods(const ElReportAnalyses *x);
/** Whether a section draws box plots (pgfplots' statistics library; x may be NULL: false). */
bool el_report_analyses_need_statistics(const ElReportAnalyses *x);

/** The analyses with something to show (x may be NULL: 0). */
int el_report_analyses_count(const ElReportAnalyses *x);
/** A paragraph for the title page naming the analyses; nothing when there are none. */
void el_report_analyses_title(const ElReportAnalyses *x, FILE *f);
/** One section per analysis of scenario s, in the order they were added; nothing when there
 * are none. */
void el_report_analyses_write(const ElReportAnalyses *x, const ElScenario *s, FILE *f);

#endif
