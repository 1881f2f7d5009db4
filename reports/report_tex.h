/* report_tex: the LaTeX building blocks of report_latex.c that the report's other sections
 * (report_periods.c) share, private to reports/: numbers, page-break hints, longtables, the
 * series' Okabe-Ito colours and marks, and how a design is named. Defined in report_latex.c;
 * they write to f and keep nothing. */
#ifndef EL_REPORT_TEX_H
#define EL_REPORT_TEX_H

#include <stdio.h>

#include "scenario.h"

/** \num{v} with `decimals` digits, or "--" for NaN. */
void el_report_tex_num(FILE *f, double v, int decimals);
/** A new page unless `lines` \small baselines are left on this one (long blocks: a few). */
void el_report_tex_need_lines(FILE *f, int lines);
/** A new page unless `cm` centimetres are left on this one. */
void el_report_tex_need_cm(FILE *f, double cm);
/** Open a longtable of ncols columns (spec) in font `size` whose header rows repeat after each
 * page break under "(continued)"; "@C" in header is s's currency. Close with
 * el_report_tex_table_end. */
void el_report_tex_table_begin(FILE *f,
                               const ElScenario *s,
                               const char *size,
                               const char *spec,
                               int ncols,
                               const char *header);
void el_report_tex_table_end(FILE *f);
/** The colour of series k (an Okabe-Ito colour, grey past the eight) and its mark. */
void el_report_tex_series_color(FILE *f, int k);
const char *el_report_tex_series_mark(int k);
/** The number of series that have a colour of their own. */
#define EL_REPORT_TEX_COLORS 8
/** An id cut for a label or legend (at a character boundary, with an ellipsis). */
void el_report_tex_short_id(FILE *f, const char *id);
/** Text (an id) that may break across lines in a paragraph column, escaped as el_fmt_tex. */
void el_report_tex_wrap(FILE *f, const char *s);
/** A design in a table cell: its id and, below it, its title (both wrapping; title may be NULL
 * or empty). */
void el_report_tex_design_cell(FILE *f, const char *title, const char *id);

#endif
