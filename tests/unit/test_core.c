/* core suite: status table, allocator (overflow, fault injection), settings (defaults mirrored in
 * docs/settings.md, validation, set-by-name), atomic output files (umask, symbolic links,
 * signal-time cleanup), safe input (regular files only, size limit). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "el_alloc.h"
#include "el_io.h"
#include "el_settings.h"
#include "el_status.h"
#include "suites.h"

static void test_status(void)
{
    ElError err;
    char longmsg[2000];
    CU_ASSERT_STRING_EQUAL(el_strerror(EL_OK), "success");
    CU_ASSERT_STRING_EQUAL(el_status_name(EL_ERR_INPUT), "EL_ERR_INPUT");
    CU_ASSERT_EQUAL(el_status_exit_code(EL_OK), 0);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_USAGE), 2);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_INPUT), 3);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_XML), 3);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_NO_EQUILIBRIUM), 4);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_IO), 5);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_LP), 6);
    CU_ASSERT_EQUAL(el_status_exit_code(EL_ERR_NOMEM), 7);
    CU_ASSERT_STRING_EQUAL(el_strerror((el_status)999), "unknown status");
    CU_ASSERT_EQUAL(el_error_set(&err, EL_ERR_INPUT, "line %d", 7), EL_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err.msg, "line 7");
    memset(longmsg, 'x', sizeof(longmsg) - 1);
    longmsg[sizeof(longmsg) - 1] = '\0';
    el_error_set(&err, EL_ERR_IO, "%s", longmsg);
    CU_ASSERT_EQUAL(strlen(err.msg), sizeof(err.msg) - 1); /* truncated, terminated */
    CU_ASSERT_EQUAL(el_error_set(NULL, EL_ERR_IO, "x"), EL_ERR_IO);
    el_error_clear(&err);
    CU_ASSERT_EQUAL(err.code, EL_OK);
}

static void test_alloc(void)
{
    void *p;
    CU_ASSERT_PTR_NULL(el_calloc(SIZE_MAX / 2, 4)); /* n * size overflows */
    CU_ASSERT_PTR_NULL(el_reallocarray(NULL, SIZE_MAX / 2, 4));
    el_alloc_fail_at(2);
    p = el_malloc(8);
    CU_ASSERT_PTR_NOT_NULL(p);
    CU_ASSERT_PTR_NULL(el_malloc(8)); /* the second one fails */
    CU_ASSERT_EQUAL(el_alloc_count(), 2);
    el_alloc_fail_at(0);
    el_free(p);
    CU_ASSERT_PTR_NULL(el_strdup(NULL));
    p = el_strdup("abc");
    CU_ASSERT_STRING_EQUAL(p, "abc");
    el_free(p);
}

static void test_settings(void)
{
    ElSettings s;
    ElError err;
    el_settings_default(&s);
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(s.kkt_tol, EL_DEFAULT_KKT_TOL, 0);
    CU_ASSERT_EQUAL(s.grid, EL_DEFAULT_GRID);
    CU_ASSERT_EQUAL(el_settings_set(&s, "grid", "40", &err), EL_OK);
    CU_ASSERT_EQUAL(s.grid, 40);
    CU_ASSERT_EQUAL(el_settings_set(&s, "grid", "4.5", &err), EL_ERR_SETTINGS);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "whole number"));
    CU_ASSERT_EQUAL(el_settings_set(&s, "kkt_tol", "abc", &err), EL_ERR_SETTINGS);
    CU_ASSERT_EQUAL(el_settings_set(&s, "kkt_tol", "nan", &err), EL_ERR_SETTINGS);
    CU_ASSERT_EQUAL(el_settings_set(&s, "kkt_tol", "1e-12", &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(s.kkt_tol, 1e-12, 0);
    CU_ASSERT_EQUAL(el_settings_set(&s, "nope", "1", &err), EL_ERR_SETTINGS);
    s.verbosity = 9;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_SETTINGS);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "verbosity"));
}

/* docs/settings.md has a row "| `name` | default | ..." for every setting, with the default
 * the code uses. */
static void test_settings_doc(void)
{
    FILE *f = fopen("../docs/settings.md", "r");
    char line[512], want[64], def[32];
    int i, found;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (i = 0; i < el_settings_count(); i++) {
        rewind(f);
        found = 0;
        el_settings_default_text(i, def, sizeof(def));
        snprintf(want, sizeof(want), "| `%s` | %s |", el_settings_name(i), def);
        while (fgets(line, sizeof(line), f))
            if (strncmp(line, want, strlen(want)) == 0)
                found = 1;
        if (!found)
            fprintf(stderr, "\n  docs/settings.md lacks the row starting '%s'\n", want);
        CU_ASSERT(found);
    }
    fclose(f);
}

static void test_outfile(void)
{
    char dir[] = "/tmp/etslink-test-XXXXXX", path[128], buf[64];
    ElOutFile *f;
    ElError err;
    FILE *in;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f, path, &err), EL_OK);
    fputs("first", el_outfile_stream(f));
    CU_ASSERT_EQUAL(access(path, F_OK), -1); /* nothing under the final name yet */
    CU_ASSERT_EQUAL(el_outfile_commit(f, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f, path, &err), EL_OK);
    fputs("second, abandoned", el_outfile_stream(f));
    el_outfile_abort(f);
    in = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), in));
    CU_ASSERT_STRING_EQUAL(buf, "first"); /* the earlier file is intact */
    fclose(in);
    el_outfile_abort(NULL);
    snprintf(path, sizeof(path), "%s/missing/out.txt", dir);
    CU_ASSERT_EQUAL(el_outfile_open(&f, path, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "missing/out.txt"));
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    remove(path);
    rmdir(dir);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* Files are created with mode 0666 less the umask, like any Unix tool. */
static void test_outfile_umask(void)
{
    char dir[] = "/tmp/etslink-umask-XXXXXX", path[128];
    static const mode_t masks[2] = {077, 022}, want[2] = {0600, 0644};
    ElOutFile *f;
    ElError err;
    struct stat sb;
    mode_t old;
    int k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    for (k = 0; k < 2; k++) {
        old = umask(masks[k]);
        CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f, path, &err), EL_OK);
        fputs("x", el_outfile_stream(f));
        CU_ASSERT_EQUAL(el_outfile_commit(f, &err), EL_OK);
        umask(old);
        CU_ASSERT_EQUAL_FATAL(stat(path, &sb), 0);
        CU_ASSERT_EQUAL(sb.st_mode & 0777, want[k]);
        remove(path);
    }
    rmdir(dir);
}

/* finish completes a file without renaming it; a symbolic link at the target is replaced,
 * never followed. */
static void test_outfile_symlink(void)
{
    char dir[] = "/tmp/etslink-link-XXXXXX", path[128], victim[128], buf[64];
    ElOutFile *f;
    ElError err;
    struct stat sb;
    FILE *in;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    write_text(victim, "victim");
    CU_ASSERT_EQUAL_FATAL(symlink(victim, path), 0);
    CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f, path, &err), EL_OK);
    fputs("new", el_outfile_stream(f));
    CU_ASSERT_EQUAL(el_outfile_finish(f, &err), EL_OK);
    CU_ASSERT_EQUAL(lstat(path, &sb), 0);
    CU_ASSERT(S_ISLNK(sb.st_mode)); /* not renamed yet */
    CU_ASSERT_EQUAL(el_outfile_commit(f, &err), EL_OK);
    CU_ASSERT_EQUAL(lstat(path, &sb), 0);
    CU_ASSERT(S_ISREG(sb.st_mode));
    in = fopen(victim, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), in));
    CU_ASSERT_STRING_EQUAL(buf, "victim");
    fclose(in);
    remove(path);
    remove(victim);
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* nothing else left */
}

static el_status produce_ok(const char *name, void *ctx, ElError *err)
{
    (void)err;
    write_text(name, ctx);
    return EL_OK;
}

static el_status produce_fail(const char *name, void *ctx, ElError *err)
{
    (void)ctx;
    write_text(name, "partial");
    return el_error_set(err, EL_ERR_IO, "cannot");
}

/* A producer that can only write to a name (GLPK) writes in a private folder; the result is
 * copied atomically; nothing is left either way. */
static void test_outfile_from_named(void)
{
    char dir[] = "/tmp/etslink-named-XXXXXX", path[128], buf[64];
    char text[] = "written by name";
    ElError err;
    FILE *in;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/x.lp", dir);
    CU_ASSERT_EQUAL(el_outfile_from_named(path, produce_ok, text, &err), EL_OK);
    in = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), in));
    CU_ASSERT_STRING_EQUAL(buf, text);
    fclose(in);
    CU_ASSERT_EQUAL(el_outfile_from_named(path, produce_fail, NULL, &err), EL_ERR_IO);
    in = fopen(path, "r"); /* the earlier file is intact */
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), in));
    CU_ASSERT_STRING_EQUAL(buf, text);
    fclose(in);
    remove(path);
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* no private folder or temporary left */
}

/* What a signal handler calls: every tracked temporary file, then folder, is removed. */
static void test_signal_cleanup(void)
{
    char dir[] = "/tmp/etslink-sig-XXXXXX", sub[128], path[128];
    int s1, s2;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/work", dir);
    snprintf(path, sizeof(path), "%s/work/file", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
    write_text(path, "x");
    s1 = el_io_track(sub); /* the folder first: it is still removed after its file */
    s2 = el_io_track(path);
    CU_ASSERT(s1 >= 0 && s2 >= 0 && s1 != s2);
    el_io_signal_cleanup();
    CU_ASSERT_EQUAL(access(path, F_OK), -1);
    CU_ASSERT_EQUAL(access(sub, F_OK), -1);
    el_io_untrack(s1);
    el_io_untrack(s2);
    el_io_untrack(-1);
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* Only regular files are read, at most max_bytes; a FIFO without a writer does not block. */
static void test_read_file(void)
{
    char dir[] = "/tmp/etslink-read-XXXXXX", path[128], fifo[128], *buf = NULL;
    ElError err;
    long len = -1;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/a.txt", dir);
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    write_text(path, "0123456789");
    CU_ASSERT_EQUAL(el_read_file(path, 10, "the file", &buf, &len, &err), EL_OK);
    CU_ASSERT_EQUAL(len, 10);
    CU_ASSERT_STRING_EQUAL(buf, "0123456789");
    el_free(buf);
    CU_ASSERT_EQUAL(el_read_file(path, 9, "the file", &buf, &len, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "10 bytes, more than the limit of 9"));
    CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
    CU_ASSERT_EQUAL(el_read_file(fifo, 100, "the file", &buf, &len, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fifo: is a FIFO"));
    CU_ASSERT_EQUAL(el_read_file(dir, 100, "the file", &buf, &len, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is a directory"));
    CU_ASSERT_EQUAL(el_read_file("/dev/null", 100, "the file", &buf, &len, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is a device"));
    remove(path);
    CU_ASSERT_EQUAL(el_read_file(path, 100, "the CSV file", &buf, &len, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open the CSV file"));
    remove(fifo);
    rmdir(dir);
}

/* A set of three whose second final name is a folder: its rename fails, so the first stays
 * committed and the second and third are aborted, leaving no temporary file; then a whole set
 * commits. */
static void test_outfile_set(void)
{
    char dir[] = "/tmp/etslink-set-XXXXXX", path[3][128], buf[32];
    ElOutFile *f[3];
    int committed[3] = {9, 9, 9}, k;
    ElError err;
    FILE *in;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    for (k = 0; k < 3; k++) {
        snprintf(path[k], sizeof(path[k]), "%s/f%d", dir, k);
        CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f[k], path[k], &err), EL_OK);
        fprintf(el_outfile_stream(f[k]), "file %d", k);
    }
    CU_ASSERT_EQUAL(el_outfile_finish(f[0], &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(mkdir(path[1], 0700), 0);
    CU_ASSERT_EQUAL(el_outfile_commit_set(f, 3, committed, &err), EL_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "f1: write failed"));
    CU_ASSERT(committed[0] == 1 && committed[1] == 0 && committed[2] == 0);
    CU_ASSERT(f[0] == NULL && f[1] == NULL && f[2] == NULL);
    CU_ASSERT_EQUAL(access(path[2], F_OK), -1);
    CU_ASSERT_EQUAL(rmdir(path[1]), 0);
    for (k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL_FATAL(el_outfile_open(&f[k], path[k], &err), EL_OK);
        fprintf(el_outfile_stream(f[k]), "set %d", k);
    }
    CU_ASSERT_EQUAL(el_outfile_commit_set(f, 3, committed, &err), EL_OK);
    for (k = 0; k < 3; k++) {
        char want[16];
        snprintf(want, sizeof(want), "set %d", k);
        CU_ASSERT_EQUAL(committed[k], 1);
        in = fopen(path[k], "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(in);
        CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof(buf), in));
        CU_ASSERT_STRING_EQUAL(buf, want);
        fclose(in);
        remove(path[k]);
    }
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* no temporary file left */
}

/* System error texts without strerror's shared buffer. */
static void test_errno_text(void)
{
    char buf[EL_ERRNO_TEXT_SIZE], tiny[4];
    CU_ASSERT_STRING_EQUAL(el_errno_text(ENOENT, buf, sizeof(buf)), "No such file or directory");
    CU_ASSERT_PTR_NOT_NULL(strstr(el_errno_text(123456, buf, sizeof(buf)), "123456"));
    CU_ASSERT_EQUAL(strlen(el_errno_text(ENOENT, tiny, sizeof(tiny))), 3);
}

CU_TestInfo core_tests[] = {
    {"status table", test_status},
    {"allocator", test_alloc},
    {"settings", test_settings},
    {"settings documented", test_settings_doc},
    {"atomic output file", test_outfile},
    {"output files follow the umask", test_outfile_umask},
    {"output replaces a symbolic link", test_outfile_symlink},
    {"output from a named-file producer", test_outfile_from_named},
    {"signal-time cleanup", test_signal_cleanup},
    {"regular files only, size-limited", test_read_file},
    {"output sets: one sync, a failed rename aborts the rest", test_outfile_set},
    {"errno text (strerror_r)", test_errno_text},
    CU_TEST_INFO_NULL,
};
