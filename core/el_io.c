/* Safe input (regular files only, size-limited, never blocking on a FIFO) and atomic output:
 * a temporary file created with O_EXCL beside the target, written, fflush + fsync, rename. */
#define _POSIX_C_SOURCE 200809L
#include "el_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static char track_path[TRACK_SLOTS][TRACK_PATH];
static volatile sig_atomic_t track_used[TRACK_SLOTS];

void el_io_signals_block(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, old);
}

void el_io_signals_restore(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

int el_io_track(const char *path)
{
    sigset_t old;
    size_t len = strlen(path);
    int k, slot = -1;
    if (len >= TRACK_PATH)
        return -1;
    el_io_signals_block(&old);
    for (k = 0; k < TRACK_SLOTS && slot < 0; k++)
        if (!track_used[k]) {
            memcpy(track_path[k], path, len + 1);
            track_used[k] = 1;
            slot = k;
        }
    el_io_signals_restore(&old);
    return slot;
}

void el_io_untrack(int slot)
{
    sigset_t old;
    if (slot < 0 || slot >= TRACK_SLOTS)
        return;
    el_io_signals_block(&old);
    track_used[slot] = 0;
    el_io_signals_restore(&old);
}

void el_io_signal_cleanup(void)
{
    int k;
    for (k = 0; k < TRACK_SLOTS; k++) /* files first (unlink fails harmlessly on a folder) */
        if (track_used[k])
            unlink(track_path[k]);
    for (k = 0; k < TRACK_SLOTS; k++)
        if (track_used[k])
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
    char *b;
    long size, got = 0;
    int fd, flags, rerr = 0;
    *buf = NULL;
    *len = 0;
    /* Non-blocking, so that opening a FIFO without a writer returns at once; no controlling
     * terminal from a tty device. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot open %s: %s", path, what, strerror(errno));
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return el_error_set(err, EL_ERR_IO, "%s: cannot read %s: %s", path, what, strerror(e));
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
                                   strerror(rerr))
                    : el_error_set(err, EL_ERR_IO, "%s: %s changed while it was read", path, what);
    }
    close(fd);
    b[size] = '\0';
    *buf = b;
    *len = size;
    return EL_OK;
}

/* ---- output ---- */

struct ElOutFile {
    FILE *fp;
    char *tmp;
    char *path;
    int slot;     /* el_io_track slot of tmp */
    int finished; /* flushed, synced and closed */
};

/* Random letters for temporary names. O_EXCL makes any name safe; randomness only avoids
 * collisions and makes names unpredictable. */
static void random_suffix(char *x, size_t n)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static uint64_t state;
    size_t i;
    if (state == 0) {
        int fd = open("/dev/urandom", O_RDONLY);
        struct timespec ts;
        if (fd >= 0) {
            if (read(fd, &state, sizeof(state)) != (ssize_t)sizeof(state))
                state = 0;
            close(fd);
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        state ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ULL ^ (uint64_t)ts.tv_sec ^
                 ((uint64_t)getpid() << 32);
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
        fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0666);
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
        return el_error_set(err, EL_ERR_IO, "%s: cannot create: %s", path, strerror(e));
    }
    f->fp = fdopen(fd, "w");
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

el_status el_outfile_finish(ElOutFile *f, ElError *err)
{
    int bad, e = 0;
    if (f->finished)
        return EL_OK;
    if (!f->fp)
        return el_error_set(err, EL_ERR_IO, "%s: write failed: stream closed", f->path);
    bad = ferror(f->fp) != 0;
    if (fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0)
        bad = 1;
    if (bad)
        e = errno;
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    f->fp = NULL;
    if (bad)
        return el_error_set(err, EL_ERR_IO, "%s: write failed: %s", f->path,
                            e ? strerror(e) : "stream error");
    f->finished = 1;
    return EL_OK;
}

el_status el_outfile_commit(ElOutFile *f, ElError *err)
{
    sigset_t old;
    int e = 0;
    el_status st = el_outfile_finish(f, err);
    if (st != EL_OK) {
        el_outfile_abort(f);
        return st;
    }
    el_io_signals_block(&old);
    if (rename(f->tmp, f->path) != 0)
        e = errno;
    else
        el_io_untrack(f->slot);
    el_io_signals_restore(&old);
    if (e) {
        st = el_error_set(err, EL_ERR_IO, "%s: write failed: %s", f->path, strerror(e));
        el_outfile_abort(f);
        return st;
    }
    el_free(f->tmp);
    el_free(f->path);
    el_free(f);
    return EL_OK;
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
    char *dir = el_malloc(size), *name = el_malloc(size);
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
                          strerror(errno));
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
                              strerror(errno));
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
