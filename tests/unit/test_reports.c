/* reports suite: results files validate against reports/results.xsd, match the golden files
 * (text exactly, numbers to 1e-9 relative), escape hostile names in XML and CSV, and are
 * byte-identical across runs. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "el_alloc.h"
#include "fmt.h"
#include "load.h"
#include "results.h"
#include "suites.h"
#include "xml_doc.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = '\0';
    fclose(f);
    return buf;
}

/* Token-by-token comparison: numbers within rel tolerance, everything else exactly. */
static int numdiff(const char *a, const char *b, double rel)
{
    while (*a && *b) {
        char *ea, *eb;
        double x = strtod(a, &ea), y = strtod(b, &eb);
        int na = ea != a && (isdigit((unsigned char)*a) || *a == '-' || *a == '.'),
            nb = eb != b && (isdigit((unsigned char)*b) || *b == '-' || *b == '.');
        if (na && nb) {
            if (fabs(x - y) > rel * (1 + fabs(y)))
                return 0;
            a = ea;
            b = eb;
        } else if (*a++ != *b++) {
            return 0;
        }
    }
    return *a == *b;
}

static void test_golden(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    char dir[] = "/tmp/etslink-golden-XXXXXX", xml[128], csv[128];
    const char *names[2] = {"results.xml", "results.csv"};
    int k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "golden/small/input.xml", NULL, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    /* the hand check written in input.xml */
    CHECK_REL(run->designs[1].jur[0].price, 20);
    CHECK_REL(run->designs[1].jur[0].gain, 50);
    CHECK_REL(run->designs[1].jur[1].gain, 100);
    CHECK_REL(run->designs[2].link[0].rent, 72);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(xml, sizeof(xml), "%s/results.xml", dir);
    snprintf(csv, sizeof(csv), "%s/results.csv", dir);
    CU_ASSERT_EQUAL(el_results_write_xml(run, xml, &err), EL_OK);
    CU_ASSERT_EQUAL(el_results_write_csv(run, csv, &err), EL_OK);
    CU_ASSERT_EQUAL(el_xml_validate_file(xml, el_results_schema(), &err), EL_OK);
    for (k = 0; k < 2; k++) {
        char got_path[160], want_path[160];
        char *got, *want;
        snprintf(got_path, sizeof(got_path), "%s/%s", dir, names[k]);
        snprintf(want_path, sizeof(want_path), "golden/small/%s", names[k]);
        got = slurp(got_path);
        want = slurp(want_path);
        CU_ASSERT_PTR_NOT_NULL(want);
        if (got && want && !numdiff(got, want, 1e-9)) {
            fprintf(stderr, "\n  %s differs from %s (make golden-update rewrites it)\n", got_path,
                    want_path);
            CU_FAIL("golden file mismatch");
        }
        free(got);
        free(want);
        remove(got_path);
    }
    rmdir(dir);
    el_run_free(run);
    el_scenario_free(s);
}

static void test_hostile_names(void)
{
    const char *evil = "R&D_%$#{}~^\\ \"q\",<x>'";
    double bau[2] = {100, 100}, cap[2] = {90, 80}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElRun *run;
    ElError err;
    char dir[] = "/tmp/etslink-evil-XXXXXX", xml[128], csv[128], *text;
    int members[2] = {0, 1};
    CU_ASSERT_FATAL(s != NULL);
    el_free(s->jur[0].id);
    s->jur[0].id = el_strdup(evil);
    el_free(s->name);
    s->name = el_strdup(evil);
    el_scenario_add_design(s, evil, 0, &err);
    el_scenario_add_group(s, 0, members, 2, 0, &err);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(xml, sizeof(xml), "%s/results.xml", dir);
    snprintf(csv, sizeof(csv), "%s/results.csv", dir);
    CU_ASSERT_EQUAL(el_results_write_xml(run, xml, &err), EL_OK);
    CU_ASSERT_EQUAL(el_results_write_csv(run, csv, &err), EL_OK);
    CU_ASSERT_EQUAL(el_xml_validate_file(xml, el_results_schema(), &err), EL_OK);
    text = slurp(xml);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "R&amp;D_%$#{}~^\\ &quot;q&quot;,&lt;x&gt;&apos;"));
    free(text);
    text = slurp(csv);
    /* RFC 4180: quoted because of the comma and quotes, inner quotes doubled */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"R&D_%$#{}~^\\ \"\"q\"\",<x>'\",\"R&D_%$#{}~^\\ "));
    free(text);
    remove(xml);
    remove(csv);
    rmdir(dir);
    el_run_free(run);
    el_scenario_free(s);
}

static void test_deterministic(void)
{
    ElScenario *s = NULL;
    ElRun *r1, *r2;
    ElError err;
    char *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    FILE *f;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "../scenarios/northeast-asia.xml", NULL, &err),
                          EL_OK);
    r1 = test_solve(s);
    r2 = test_solve(s);
    CU_ASSERT_FATAL(r1 && r2);
    f = open_memstream(&b1, &n1);
    el_results_write_xml_stream(r1, f);
    el_results_write_csv_stream(r1, f);
    fclose(f);
    f = open_memstream(&b2, &n2);
    el_results_write_xml_stream(r2, f);
    el_results_write_csv_stream(r2, f);
    fclose(f);
    CU_ASSERT_EQUAL(n1, n2);
    CU_ASSERT(n1 == n2 && memcmp(b1, b2, n1) == 0);
    free(b1);
    free(b2);
    el_run_free(r1);
    el_run_free(r2);
    el_scenario_free(s);
}

static void test_fmt(void)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    el_fmt_num(f, -0.0);
    fputc(' ', f);
    el_fmt_num(f, 1.0 / 3.0);
    fputc(' ', f);
    el_fmt_num(f, 2.5e-13);
    fputc(' ', f);
    el_fmt_csv(f, "plain");
    fputc(' ', f);
    el_fmt_csv(f, "a\nb");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "0 0.333333333333 2.5e-13 plain \"a\nb\"");
    free(buf);
}

CU_TestInfo reports_tests[] = {
    {"golden results, schema-valid", test_golden},
    {"hostile names escaped", test_hostile_names},
    {"byte-identical runs", test_deterministic},
    {"number and field formatting", test_fmt},
    CU_TEST_INFO_NULL,
};
