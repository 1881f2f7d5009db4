/* report: the LaTeX report of a solved run (report.tex) and its PDF. The .tex is deterministic
 * and written atomically; the PDF is made by pdflatex without shell escape, in a private
 * folder that is TeX's only writable and searchable place besides the system TeX tree, and
 * copied into place atomically only when complete. */
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

/** Compile tex_path into pdf_path with pdflatex. TeX runs in a private work folder (mode 0700,
 * a hidden .etslink-pdf-* folder beside pdf_path) as its current directory, with a rebuilt
 * environment (kpathsea: TEXINPUTS=".:", TEXMFHOME/TEXMFVAR/TEXMFCONFIG in the work folder,
 * openin_any=p, openout_any=p, shell_escape=f), no shell escape, non-interactive, in its own
 * process group, killed after timeout_s seconds. It reads only the system TeX tree and the
 * work folder, and is never given the output folder's name. The PDF is copied to pdf_path
 * atomically (mode 0666 less the umask). On failure pdf_path is untouched, the TeX log is
 * kept as pdf_path with ".log" for ".pdf", and the message quotes TeX's first error and names
 * the kept log. The work folder is always removed. */
el_status
el_report_compile_pdf(const char *tex_path, const char *pdf_path, int timeout_s, ElError *err);

/** For signal handlers (async-signal-safe): kill the running pdflatex process group, if any,
 * and remove the work folder's files and the folder. */
void el_report_pdf_signal_cleanup(void);

#endif
