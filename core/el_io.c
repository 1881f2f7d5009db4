/* Atomic output: mkstemp beside the target, write, fflush + fsync, rename. */
#define _POSIX_C_SOURCE 200809L
#include "el_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "el_alloc.h"

struct ElOutFile {
    FILE *fp;
    char *tmp;
    char *path;
};

el_status el_outfile_open(ElOutFile **out, const char *path, ElError *err)
{
    ElOutFile *f;
    size_t len = strlen(path);
    int fd;
    *out = NULL;
    f = el_calloc(1, sizeof(*f));
    if (!f)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory opening %s", path);
    f->path = el_strdup(path);
    f->tmp = el_malloc(len + 16);
    if (f->tmp)
        f->tmp[0] = '\0'; /* abort unlinks only a name mkstemp created */
    if (!f->path || !f->tmp) {
        el_outfile_abort(f);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory opening %s", path);
    }
    snprintf(f->tmp, len + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        f->tmp[0] = '\0';
        el_outfile_abort(f);
        return el_error_set(err, EL_ERR_IO, "%s: cannot create: %s", path, strerror(e));
    }
    fchmod(fd, 0644);
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

el_status el_outfile_commit(ElOutFile *f, ElError *err)
{
    int bad = ferror(f->fp) != 0;
    int e = 0;
    if (fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0)
        bad = 1;
    if (bad)
        e = errno;
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    f->fp = NULL;
    if (!bad && rename(f->tmp, f->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        el_status st = el_error_set(err, EL_ERR_IO, "%s: write failed: %s", f->path,
                                    e ? strerror(e) : "stream error");
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
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    if (f->tmp && f->tmp[0])
        unlink(f->tmp);
    el_free(f->tmp);
    el_free(f->path);
    el_free(f);
}
