/* report: the LaTeX report (report.tex) of a solved run or, as a sink (engine/batch.h), of a
 * batch, and its PDF. Up to EL_REPORT_DETAIL_MAX designs the report details each design;
 * past that it is a summary (a ranking and distributions, reports/summary.h) whose size and
 * memory do not grow with the number of designs. The .tex is deterministic and written
 * atomically; the PDF is made by lualatex without shell escape, in a private folder that is
 * TeX's only writable and searchable place besides the system TeX tree, and copied into place
 * atomically only when complete. */
#ifndef EL_REPORT_H
#define EL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze.h"
#include "batch.h"
#include "coalition.h"
#include "equilibrium.h"
#include "periods.h"
#include "uncertainty.h"

/** Designs up to which the report has a table per design, a comparison and one bar per design
 * in its figures ("detail"); past it, the report ranks the designs by total gain (the first 20
 * and the last 5) and shows distributions across designs ("summary", docs/cli.md). 20 designs
 * of a few jurisdictions fill about 15 pages; bars for more cannot be told apart. */
#define EL_REPORT_DETAIL_MAX 20

/** Write report.tex of run to a stream / atomically to path. */
void el_report_write_tex_stream(const ElRun *run, FILE *f);
el_status el_report_write_tex(const ElRun *run, const char *path, ElError *err);

typedef struct ElReportWriter ElReportWriter;

/** A writer of report.tex to f (borrowed, already open; must outlive w). Its sink keeps copies
 * of the baseline and of up to EL_REPORT_DETAIL_MAX designs (with copies of their designs), or
 * else summary statistics only, and writes the whole report at end when the batch succeeded.
 * *out is owned by the caller (el_report_writer_free). */
el_status el_report_writer_create(ElReportWriter **out, FILE *f, ElError *err);
/** The sink of w (w borrowed; must outlive the batch). */
ElSink el_report_writer_sink(ElReportWriter *w);
void el_report_writer_free(ElReportWriter *w);

/* ---- Analyses (engine/analyze.h): sweeps, searches, sequences, coalition games after the
 * designs ---- */

/** Keep the report open when the designs' batch ends: analyses are added afterwards and
 * el_report_writer_close writes the whole report. Call before the batch. */
void el_report_writer_hold(ElReportWriter *w);
/** A sink for the points of sweep a (el_sweep_run); the report keeps a bounded number of points
 * per line (memory flat in the number of points). w and a borrowed; a must outlive w. */
ElSink el_report_writer_sweep_sink(ElReportWriter *w, const ElAnalysis *a);
/** Add a search's result (copied: r may be cleared afterwards). */
el_status el_report_writer_search(ElReportWriter *w, const ElSearchResult *r, ElError *err);
/** Add a sequence's result (copied). */
el_status el_report_writer_sequence(ElReportWriter *w, const ElSequenceResult *r, ElError *err);
/** Add the result of coalition game a (el_coalitions_run): a section with the verdicts
 * (superadditivity, the core, the market allocation), each member's market gain, Shapley value,
 * transfer and nucleolus, a chart of market gains next to Shapley values, the most valuable
 * coalitions and the stable coalition structures. What it shows is copied (r may be cleared
 * afterwards; its memory does not grow with the 2^n coalitions); a borrowed, must outlive w. */
el_status el_report_writer_coalitions(ElReportWriter *w,
                                      const ElAnalysis *a,
                                      const ElCoalitionResult *r,
                                      ElError *err);
/** Add the result of uncertainty analysis r->a (el_uncertainty_run) to held writer w: a section
 * with the draws and shocks (a table of the shocks and of their correlations; the draws outside
 * the model's domain, without an autarky equilibrium or without a design's equilibrium; the
 * quantiles' rank error), each design's expected total gain split into effort sharing and risk
 * sharing (a stacked bar chart and a table with standard errors), box plots of each
 * jurisdiction's price by design (autarky first; whiskers at 5 and 95%, box 25 to 75%), and a
 * table of each member's expected gain, probability of a loss and price risk against autarky.
 * What it shows is copied (r may be cleared afterwards; the copy is a few numbers per design
 * and jurisdiction, never the draws); r->a and its scenario borrowed, must outlive w. */
el_status
el_report_writer_uncertainty(ElReportWriter *w, const ElUncertaintyResult *r, ElError *err);

/** Add design d's result r over several periods (engine/periods.h) to held writer w: the report
 * gains a section on the years (report_periods.h: present values per design and jurisdiction
 * with the years each is linked, price paths, bank balances, cumulative present values of the
 * gains). The baseline comes first (d NULL, r solved), then each design in the order of the
 * designs' batch, also those without an equilibrium (named, not drawn). What the section shows
 * is copied, a bounded amount whatever the number of designs (r may be cleared afterwards); s
 * and d borrowed, s must outlive w. */
el_status el_report_writer_periods(ElReportWriter *w,
                                   const ElScenario *s,
                                   const ElDesign *d,
                                   const ElMultiResult *r,
                                   ElError *err);

/** Write the whole report of a held writer. */
el_status el_report_writer_close(ElReportWriter *w, ElError *err);

/** True if lualatex is on the PATH. */
bool el_report_pdf_available(void);

/** Compile tex_path into pdf_path with lualatex. TeX runs in a private work folder (mode 0700,
 * a hidden .etslink-pdf-* folder beside pdf_path) as its current directory, with a rebuilt
 * environment (kpathsea: TEXINPUTS=".:", TEXMFHOME/TEXMFCONFIG in the work folder,
 * TEXMFVAR/TEXMFCACHE etslink's font cache ~/.cache/etslink/texmf-var when it is the user's
 * own, else the work folder; openin_any=p, openout_any=p, shell_escape=f), no shell escape, no
 * sockets, non-interactive, in its own process group, killed after timeout_s seconds. It reads
 * only the system TeX tree and fonts, the font cache and the work folder, and is never given
 * the output folder's name. The PDF is copied to pdf_path
 * atomically (mode 0666 less the umask). On failure pdf_path is untouched, the TeX log is
 * kept as pdf_path with ".log" for ".pdf", and the message quotes TeX's first error and names
 * the kept log. The work folder is always removed. */
el_status
el_report_compile_pdf(const char *tex_path, const char *pdf_path, int timeout_s, ElError *err);

/** For signal handlers (async-signal-safe): kill the running lualatex process group, if any,
 * and remove the work folder's files and the folder. */
void el_report_pdf_signal_cleanup(void);

#endif
