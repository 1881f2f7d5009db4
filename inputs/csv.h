/* csv: reads two-column numeric tables (q,p) for MAC curves given as CSV files. Accepts an
 * optional header row "q,p", a UTF-8 byte-order mark, CRLF line ends and a missing final
 * newline; refuses empty files, wrong column counts and non-numeric or non-finite cells,
 * naming the file and line. */
#ifndef EL_CSV_H
#define EL_CSV_H

#include "el_status.h"

#define EL_CSV_MAX_ROWS  100000
#define EL_CSV_MAX_BYTES (16L * 1024 * 1024)

/** Read path into arrays q and p of *n rows (allocated, freed by the caller with el_free). */
el_status el_csv_read_qp(const char *path, double **q, double **p, int *n, ElError *err);

/** Parse CSV text (len bytes) the same way; name is used in messages. */
el_status el_csv_parse_qp(
    const char *name, const char *text, long len, double **q, double **p, int *n, ElError *err);

#endif
