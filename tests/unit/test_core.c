/* core suite: status table, allocator (overflow, fault injection), settings (defaults mirrored in
 * docs/settings.md, validation, set-by-name), atomic output files. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

CU_TestInfo core_tests[] = {
    {"status table", test_status},        {"allocator", test_alloc},
    {"settings", test_settings},          {"settings documented", test_settings_doc},
    {"atomic output file", test_outfile}, CU_TEST_INFO_NULL,
};
