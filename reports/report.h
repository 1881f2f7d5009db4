/* report: the LaTeX report of a solved run (report.tex) and its PDF. The .tex is deterministic
 * and written atomically; the PDF is made by pdflatex without shell escape, in a private
 * folder, and renamed into place only when complete. */
#ifndef EL_REPORT_H
#define EL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "equilibrium.h"

/** Write report.tex of run to a stream / atomically to path. */
void el_report_write_tex_stream(const ElRun *run, FILE *f);
el_status el_report_write_tex(const ElRun *run, const char *path, ElError *err);

/** True if pdflatex is on the PATH. */
bool el_report_pdf_available(void);

/** Compile tex_path into pdf_path with pdflatex (no shell escape, non-interactive, at most
 * timeout_s seconds). The work happens in a hidden folder beside pdf_path; on failure the
 * message quotes TeX's first error and pdf_path is untouched. */
el_status
el_report_compile_pdf(const char *tex_path, const char *pdf_path, int timeout_s, ElError *err);

#endif
