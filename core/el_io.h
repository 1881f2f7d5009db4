/* el_io: safe file input and atomic output.
 * - Input: el_read_file reads a whole regular file, size-limited; a FIFO, a device, a socket or a
 *   folder is refused at once (it is opened non-blocking, so a FIFO cannot hang the run).
 * - Output: text is written to a temporary file created beside the target (O_EXCL, never
 *   following a symbolic link, mode 0666 less the umask), flushed, its data synced (fdatasync)
 *   and renamed over the final name only when complete, so a final name never holds a partial
 *   file, even after a crash; then the folder is synced, once per set of files committed
 *   together, so that the renames survive a crash too (docs/security.md, durability).
 * - Signals: every temporary file (and folder) in use is tracked in static storage, so that a
 *   signal handler can remove it with el_io_signal_cleanup (async-signal-safe).
 * - Threads: every function may be called from several threads at once, each on its own files;
 *   an ElOutFile is used by one thread at a time. */
#ifndef EL_IO_H
#define EL_IO_H

#include <signal.h>
#include <stdio.h>

#include "el_status.h"

/** Read the regular file path, at most max_bytes long, into *buf (NUL-terminated, freed with
 * el_free) of *len bytes. `what` names the file in messages ("the file", "the CSV file").
 * Errors: EL_ERR_IO when it cannot be opened or read, or is not a regular file (the message
 * says "is a FIFO", "is a directory", "is a device" or "is a socket"); EL_ERR_INPUT when it is
 * larger than max_bytes; EL_ERR_NOMEM. */
el_status el_read_file(
    const char *path, long max_bytes, const char *what, char **buf, long *len, ElError *err);

typedef struct ElOutFile ElOutFile;

/** Open a temporary file beside path. *out is owned by the caller and released by
 * el_outfile_commit or el_outfile_abort. */
el_status el_outfile_open(ElOutFile **out, const char *path, ElError *err);
/** The stream to write to (borrowed; valid until finish, commit or abort). */
FILE *el_outfile_stream(ElOutFile *f);
/** Name of the temporary file (borrowed; valid until commit or abort). */
const char *el_outfile_tmp_path(const ElOutFile *f);
/** Mark the temporary file complete: flush the stream (write errors show here) and start
 * writing its data back to disk without waiting; nothing may be written to it afterwards. The
 * file is not renamed yet, so that several files can be completed before any is renamed. On
 * failure the caller still aborts f. */
el_status el_outfile_finish(ElOutFile *f, ElError *err);
/** Commit one file: finish (if not done), wait until its data is on disk (fdatasync), rename it
 * onto the final path and sync the folder. Frees f, whatever the outcome. On failure the
 * temporary file is removed and the final path is untouched (unless only the folder sync
 * failed: then the file is in place but may not survive a crash). */
el_status el_outfile_commit(ElOutFile *f, ElError *err);
/** Commit a set of files (NULL entries are skipped) at the cost of about one: all are finished,
 * then all data synced (the waits overlap), then renamed in order with signals blocked, then
 * each folder synced once. If a file cannot be finished or synced, none is renamed; if a rename
 * fails, the files before it stay renamed and the rest are aborted. committed[k] (if given) is
 * set to 1 for each file renamed. Every files[k] is freed and set to NULL. */
el_status el_outfile_commit_set(ElOutFile **files, int n, int *committed, ElError *err);
/** Remove the temporary file and free f (NULL is a no-op). */
void el_outfile_abort(ElOutFile *f);

/** Write path atomically from a producer that can only write to a file name (a library such as
 * GLPK that fopen()s its argument): produce(name, ctx, err) writes into a fresh private folder
 * (mode 0700) beside path; the result is copied into an ElOutFile and committed. Nothing is
 * written under a predictable name, and no planted symbolic link is followed. */
el_status el_outfile_from_named(const char *path,
                                el_status (*produce)(const char *name, void *ctx, ElError *err),
                                void *ctx,
                                ElError *err);

/** Track path (a temporary file or an empty-once-cleaned folder) for el_io_signal_cleanup.
 * Returns a slot (>= 0), or -1 when the table is full or the path too long (then it is simply
 * not removed by a signal). Signals are blocked while the table changes. */
int el_io_track(const char *path);
/** Stop tracking a slot from el_io_track (-1 is a no-op). */
void el_io_untrack(int slot);
/** For signal handlers (async-signal-safe): unlink every tracked file, then rmdir every tracked
 * folder. */
void el_io_signal_cleanup(void);

/** Block SIGINT, SIGTERM and SIGHUP (el_io_signals_block) and restore the earlier mask
 * (el_io_signals_restore), around changes that a signal handler must see whole. */
void el_io_signals_block(sigset_t *old);
void el_io_signals_restore(const sigset_t *old);

#endif
