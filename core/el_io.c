/* Safe input (regular files only, size-limited, never blocking on a FIFO) and atomic output:
 * a temporary file created with O_EXCL beside the target, written, flushed, its data synced,
 * renamed, and the folder synced once per output set (docs/security.md, durability).
 * Thread safety: no state is shared between threads except the signal-cleanup table, whose
 * slots are claimed with atomic operations (lock-free, so the signal handler may read it). */
#define _GNU_SOURCE /* sync_file_range (Linux): start writing a file back without waiting */
#include "el_io.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "el_alloc.h"

/* ---- signal-time cleanup ---- */

#define TRACK_SLOTS 16
#define TRACK_PATH  4352

/* Slot states: free, being filled by one thread (claimed), in use (the handler removes it). A
 * thread claims a free slot with a compare-and-swap, writes the path, then publishes it; the
 * handler reads only published slots. Lock-free atomics are async-signal-safe. */
enum {
    SLOT_FREE = 0,
    SLOT_CLAIMED,
    SLOT_USED
};
static char track_path[TRACK_SLOTS][TRACK_PATH];
static atomic_int track_state[TRACK_SLOTS];

/* pthread_sigmask, not sigprocmask (unspecified in a process with threads): the mask is the
 * calling thread's. */
void el_io_signals_block(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, old);
}

void el_io_signals_restore(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

int el_io_track(const char *path)
{
    sigset_t old;
    size_t len = strlen(path);
    int k;
    if (len >= TRACK_PATH)
        return -1;
    el_io_signals_block(&old);
    for (k = 0; k < TRACK_SLOTS; k++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&track_state[k], &expected, SLOT_CLAIMED)) {
            memcpy(track_path[k], path, len + 1);
            atomic_store(&track_state[k], SLOT_USED);
            break;
        }
    }
    el_io_signals_restore(&old);
    return k < TRACK_SLOTS ? k : -1;
}

void el_io_untrack(int slot)
{
    sigset_t old;
    if (slot < 0 || slot >= TRACK_SLOTS)
        return;
    el_io_signals_block(&old);
    atomic_store(&track_state[slot], SLOT_FREE);
    el_io_signals_restore(&old);
}

void el_io_signal_cleanup(void)
{
    int k;
    for (k = 0; k < TRACK_SLOTS; k++) /* files first (unlink fails harmlessly on a folder) */
        if (atomic_load(&track_state[k]) == SLOT_USED)
            unlink(track_path[k]);
    for (k = 0; k < TRACK_SLOTS; k++)
        if (atomic_load(&track_state[k]) == SLOT_USED)
            rmdir(track_path[k]);
}

/* ---- input ---- */

static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "is a FIFO";
    if (S_ISDIR(m))
        return "is a directory";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "is a device";
    if (S_ISSOCK(m))
        return "is a socket";
    return "is not a regular file";
}

el_status el_read_file(
    const char *path, long max_bytes, const char *what, char **buf, long *len, ElError *err)
{
    struct stat sb;
    char *b, eb[EL_ERRNO_TEXT_SIZE];
    long size, got = 0;
    int fd, flags, rerr = 0;
    *buf = NULL;
    *len = 0;
    /* Non-blocking, so that opening a FIFO without a writer returns at once; no controlling
     * terminal from a tty device. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot open %s: %s", path, what,
                            el_errno_text(errno, eb, sizeof(eb)));
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return el_error_set(err, EL_ERR_IO, "%s: cannot read %s: %s", path, what,
                            el_errno_text(e, eb, sizeof(eb)));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return el_error_set(err, EL_ERR_IO, "%s: %s, not a regular file", path,
                            file_kind(sb.st_mode));
    }
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (sb.st_size > (off_t)max_bytes) {
        close(fd);
        return el_error_set(err, EL_ERR_INPUT, "%s: %s has %lld bytes, more than the limit of %ld",
                            path, what, (long long)sb.st_size, max_bytes);
    }
    size = (long)sb.st_size;
    b = el_malloc((size_t)size + 1);
    if (!b) {
        close(fd);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory reading %s", path);
    }
    /* Exactly the size fstat gave: a file that grows or shrinks while it is read is refused
     * rather than read beyond the limit. */
    while (got < size) {
        ssize_t r = read(fd, b + got, (size_t)(size - got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rerr = r < 0 ? errno : 0;
            break;
        }
        got += (long)r;
    }
    if (got == size && rerr == 0) {
        char extra;
        ssize_t r;
        do
            r = read(fd, &extra, 1);
        while (r < 0 && errno == EINTR);
        if (r != 0) {
            rerr = r < 0 ? errno : 0;
            got = -1;
        }
    }
    if (got != size || rerr != 0) {
        el_free(b);
        close(fd);
        return rerr ? el_error_set(err, EL_ERR_IO, "%s: cannot read %s: %s", path, what,
                                   el_errno_text(rerr, eb, sizeof(eb)))
                    : el_error_set(err, EL_ERR_IO, "%s: %s changed while it was read", path, what);
    }
    close(fd);
    b[size] = '\0';
    *buf = b;
    *len = size;
    return EL_OK;
}

/* ---- output ---- */

enum {
    OF_OPEN = 0, /* being written */
    OF_FINISHED, /* flushed; the kernel is writing it back; stream still open */
    OF_SYNCED    /* data on stable storage; stream closed */
};

struct ElOutFile {
    FILE *fp;
    int fd;   /* under fp */
    int werr; /* errno of the first failed write, kept for the message */
    char *tmp;
    char *path;
    int slot;  /* el_io_track slot of tmp */
    int state; /* OF_* */
};

/* The stream of an output file writes through these (fopencookie), so that the errno of a
 * failed write (ENOSPC, EIO) is kept for the message even when stdio reports the failure
 * later, at a flush that has nothing left to write. */
static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    ElOutFile *f = c;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(f->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!f->werr)
                f->werr = w < 0 ? errno : EIO;
            return done > 0 ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int cookie_close(void *c)
{
    ElOutFile *f = c;
    int r = close(f->fd);
    f->fd = -1;
    return r;
}

/* Random letters for temporary names. O_EXCL makes any name safe; randomness only avoids
 * collisions and makes names unpredictable. The generator's state is per thread. */
static void random_suffix(char *x, size_t n)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Thread_local uint64_t state;
    size_t i;
    if (state == 0) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        struct timespec ts;
        if (fd >= 0) {
            if (read(fd, &state, sizeof(state)) != (ssize_t)sizeof(state))
                state = 0;
            close(fd);
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        state ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^ (uint64_t)ts.tv_sec ^
                 ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&state;
        if (state == 0)
            state = 0x2545F4914F6CDD1DULL;
    }
    for (i = 0; i < n; i++) {
        state ^= state << 13; /* xorshift64 */
        state ^= state >> 7;
        state ^= state << 17;
        x[i] = letters[state % (sizeof(letters) - 1)];
    }
}

el_status el_outfile_open(ElOutFile **out, const char *path, ElError *err)
{
    ElOutFile *f;
    size_t len = strlen(path);
    int fd = -1, tries, e = 0;
    char eb[EL_ERRNO_TEXT_SIZE];
    *out = NULL;
    f = el_calloc(1, sizeof(*f));
    if (!f)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory opening %s", path);
    f->slot = -1;
    f->path = el_strdup(path);
    f->tmp = el_malloc(len + 16);
    if (f->tmp)
        f->tmp[0] = '\0'; /* abort unlinks only a name this call created */
    if (!f->path || !f->tmp) {
        el_outfile_abort(f);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory opening %s", path);
    }
    for (tries = 0; tries < 100 && fd < 0; tries++) {
        sigset_t old;
        snprintf(f->tmp, len + 16, "%s.tmp.XXXXXX", path);
        random_suffix(f->tmp + len + 5, 6);
        /* 0666: the kernel applies the umask, like any Unix tool. Signals are blocked so that
         * the file exists only once it is tracked. */
        el_io_signals_block(&old);
        fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);
        e = errno;
        if (fd >= 0)
            f->slot = el_io_track(f->tmp);
        el_io_signals_restore(&old);
        if (fd < 0 && e != EEXIST)
            break;
    }
    if (fd < 0) {
        f->tmp[0] = '\0';
        el_outfile_abort(f);
        return el_error_set(err, EL_ERR_IO, "%s: cannot create: %s", path,
                            el_errno_text(e, eb, sizeof(eb)));
    }
    f->fd = fd;
    f->fp = fopencookie(f, "w", (cookie_io_functions_t){NULL, cookie_write, NULL, cookie_close});
    if (!f->fp) {
        close(fd);
        el_outfile_abort(f);
        return el_error_set(err, EL_ERR_NOMEM, "%s: cannot open stream", path);
    }
    *out = f;
    return EL_OK;
}

const char *el_outfile_tmp_path(const ElOutFile *f)
{
    return f->tmp;
}

FILE *el_outfile_stream(ElOutFile *f)
{
    return f->fp;
}

static el_status write_failed(const ElOutFile *f, int e, ElError *err)
{
    char eb[EL_ERRNO_TEXT_SIZE];
    if (!e)
        e = f->werr; /* the stream failed earlier: the write that failed says why */
    return el_error_set(err, EL_ERR_IO, "%s: write failed: %s", f->path,
                        e ? el_errno_text(e, eb, sizeof(eb)) : "stream error");
}

/* Ask the kernel to start writing the file's data now, without waiting (Linux
 * sync_file_range): the later fdatasync of each file of a set then mostly waits for writes
 * already under way, and one journal commit covers the whole set instead of one per file. Only
 * a hint: elsewhere, and on failure, fdatasync alone does the work. */
#if defined(SYNC_FILE_RANGE_WRITE)
static void start_writeback(int fd)
{
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}
#else
static void start_writeback(int fd)
{
    (void)fd;
}
#endif

el_status el_outfile_finish(ElOutFile *f, ElError *err)
{
    int bad;
    if (f->state != OF_OPEN)
        return EL_OK;
    if (!f->fp)
        return el_error_set(err, EL_ERR_IO, "%s: write failed: stream closed", f->path);
    /* flushed even after an error: the retry tells why (errno), e.g. "No space left on device" */
    bad = ferror(f->fp) != 0;
    errno = 0;
    if (fflush(f->fp) != 0)
        bad = 1;
    if (bad)
        return write_failed(f, errno, err);
    start_writeback(f->fd);
    f->state = OF_FINISHED;
    return EL_OK;
}

/* Finish f, wait until its data is on stable storage (fdatasync) and close it. */
static el_status sync_data(ElOutFile *f, ElError *err)
{
    int e = 0;
    el_status st;
    if (f->state == OF_SYNCED)
        return EL_OK;
    st = el_outfile_finish(f, err);
    if (st != EL_OK)
        return st;
    if (fdatasync(f->fd) != 0)
        e = errno;
    if (fclose(f->fp) != 0 && !e)
        e = errno;
    f->fp = NULL;
    if (e)
        return write_failed(f, e, err);
    f->state = OF_SYNCED;
    return EL_OK;
}

/* Length of the folder part of path ("a/b" -> 1, "/b" -> 1 for "/", "b" -> 0 for "."). */
static size_t folder_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    return slash == path ? 1 : (size_t)(slash - path);
}

/* fsync the folder holding path, so that a rename into it survives a crash. A folder that
 * cannot be opened for reading (write and search permission only) or whose file system cannot
 * sync folders is left as it is; an I/O error is reported. */
static el_status sync_folder(const char *path, ElError *err)
{
    size_t len = folder_len(path);
    char *dir = el_malloc(len + 2);
    char eb[EL_ERRNO_TEXT_SIZE];
    int fd, e = 0;
    if (!dir)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory syncing the folder of %s", path);
    if (len == 0)
        memcpy(dir, ".", 2);
    else {
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0) {
        if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP && errno != EROFS)
            e = errno;
        close(fd);
    }
    el_free(dir);
    if (e)
        return el_error_set(err, EL_ERR_IO, "%s: cannot sync its folder: %s", path,
                            el_errno_text(e, eb, sizeof(eb)));
    return EL_OK;
}

el_status el_outfile_commit_set(ElOutFile **files, int n, int *committed, ElError *err)
{
    el_status st = EL_OK;
    sigset_t old;
    int k, j;
    for (k = 0; k < n; k++)
        if (committed)
            committed[k] = 0;
    /* 1. every file complete and its write-back started, 2. every file's data synced: the
     * waits overlap instead of adding up */
    for (k = 0; k < n && st == EL_OK; k++)
        if (files[k])
            st = el_outfile_finish(files[k], err);
    for (k = 0; k < n && st == EL_OK; k++)
        if (files[k])
            st = sync_data(files[k], err);
    /* 3. the renames, in order, with signals blocked; the first failure aborts the rest */
    el_io_signals_block(&old);
    for (k = 0; k < n; k++) {
        ElOutFile *f = files[k];
        if (!f)
            continue;
        if (st == EL_OK && rename(f->tmp, f->path) != 0)
            st = write_failed(f, errno, err);
        if (st != EL_OK) {
            el_outfile_abort(f);
            files[k] = NULL;
            continue;
        }
        el_io_untrack(f->slot);
        f->tmp[0] = '\0';
        if (committed)
            committed[k] = 1;
    }
    el_io_signals_restore(&old);
    /* 4. each folder that received a file synced once */
    for (k = 0; k < n; k++) {
        ElOutFile *f = files[k];
        int seen = 0;
        if (!f)
            continue;
        for (j = 0; j < k && !seen; j++)
            seen = files[j] && folder_len(files[j]->path) == folder_len(f->path) &&
                   memcmp(files[j]->path, f->path, folder_len(f->path)) == 0;
        if (!seen && st == EL_OK)
            st = sync_folder(f->path, err);
    }
    for (k = 0; k < n; k++) {
        if (files[k]) {
            el_free(files[k]->tmp);
            el_free(files[k]->path);
            el_free(files[k]);
        }
        files[k] = NULL;
    }
    return st;
}

el_status el_outfile_commit(ElOutFile *f, ElError *err)
{
    return el_outfile_commit_set(&f, 1, NULL, err);
}

void el_outfile_abort(ElOutFile *f)
{
    sigset_t old;
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    el_io_signals_block(&old);
    if (f->tmp && f->tmp[0])
        unlink(f->tmp);
    el_io_untrack(f->slot);
    el_io_signals_restore(&old);
    el_free(f->tmp);
    el_free(f->path);
    el_free(f);
}

el_status el_outfile_from_named(const char *path,
                                el_status (*produce)(const char *name, void *ctx, ElError *err),
                                void *ctx,
                                ElError *err)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0, size = dlen + 64;
    char *dir = el_malloc(size), *name = el_malloc(size), eb[EL_ERRNO_TEXT_SIZE];
    int dslot = -1, nslot = -1;
    ElOutFile *of = NULL;
    el_status st = EL_OK;
    FILE *in = NULL;
    sigset_t old;
    if (!dir || !name) {
        el_free(dir);
        el_free(name);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory writing %s", path);
    }
    memcpy(dir, path, dlen);
    memcpy(dir + dlen, ".etslink-out-XXXXXX", sizeof(".etslink-out-XXXXXX"));
    el_io_signals_block(&old);
    if (!mkdtemp(dir))
        st = el_error_set(err, EL_ERR_IO, "%s: cannot create a private work folder: %s", path,
                          el_errno_text(errno, eb, sizeof(eb)));
    else
        dslot = el_io_track(dir);
    el_io_signals_restore(&old);
    if (st != EL_OK) {
        el_free(dir);
        el_free(name);
        return st;
    }
    snprintf(name, size, "%s/out", dir);
    nslot = el_io_track(name);
    st = produce(name, ctx, err);
    if (st == EL_OK) {
        /* the name is in a folder only this process can write to: nothing else is opened */
        in = fopen(name, "rb");
        if (!in)
            st = el_error_set(err, EL_ERR_IO, "%s: the written file cannot be read back: %s", path,
                              el_errno_text(errno, eb, sizeof(eb)));
    }
    if (st == EL_OK)
        st = el_outfile_open(&of, path, err);
    if (st == EL_OK) {
        char chunk[65536];
        size_t n;
        FILE *o = el_outfile_stream(of);
        while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
            if (fwrite(chunk, 1, n, o) != n)
                break;
        if (ferror(in)) {
            st = el_error_set(err, EL_ERR_IO, "%s: cannot read back the written file", path);
            el_outfile_abort(of);
        } else {
            st = el_outfile_commit(of, err);
        }
    }
    if (in)
        fclose(in);
    el_io_signals_block(&old);
    unlink(name);
    rmdir(dir);
    el_io_untrack(nslot);
    el_io_untrack(dslot);
    el_io_signals_restore(&old);
    el_free(dir);
    el_free(name);
    return st;
}
