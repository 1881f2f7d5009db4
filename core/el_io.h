/* el_io: atomic output files. Text is written to a temporary file in the target's folder and
 * renamed over the final name only when complete, so a final name never holds a partial file. */
#ifndef EL_IO_H
#define EL_IO_H

#include <stdio.h>

#include "el_status.h"

typedef struct ElOutFile ElOutFile;

/** Open a temporary file beside path. *out is owned by the caller and released by
 * el_outfile_commit or el_outfile_abort. */
el_status el_outfile_open(ElOutFile **out, const char *path, ElError *err);
/** The stream to write to (borrowed; valid until commit or abort). */
FILE *el_outfile_stream(ElOutFile *f);
/** Name of the temporary file (borrowed; valid until commit or abort), so that a signal
 * handler can remove it. */
const char *el_outfile_tmp_path(const ElOutFile *f);
/** Flush, fsync and rename onto the final path; frees f, whatever the outcome. On failure the
 * temporary file is removed and the final path is untouched. */
el_status el_outfile_commit(ElOutFile *f, ElError *err);
/** Remove the temporary file and free f (NULL is a no-op). */
void el_outfile_abort(ElOutFile *f);

#endif
