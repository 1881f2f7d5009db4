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
#include "report.h"
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
    char dir[] = "/tmp/etslink-golden-XXXXXX", xml[128], csv[128], tex[128];
    const char *names[3] = {"results.xml", "results.csv", "report.tex"};
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
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    CU_ASSERT_EQUAL(el_report_write_tex(run, tex, &err), EL_OK);
    CU_ASSERT_EQUAL(el_xml_validate_file(xml, el_results_schema(), &err), EL_OK);
    for (k = 0; k < 3; k++) {
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

/* The report escapes the name; with pdflatex installed it compiles (no shell escape) and
 * pdftotext finds the name printed literally. */
static void check_tex(const ElRun *run, const char *dir, const char *evil)
{
    char tex[160], pdf[160], txt[160], cmd[600], *text;
    ElError err;
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
    snprintf(txt, sizeof(txt), "%s/report.txt", dir);
    CU_ASSERT_EQUAL_FATAL(el_report_write_tex(run, tex, &err), EL_OK);
    text = slurp(tex);
    CU_ASSERT_PTR_NOT_NULL(strstr(
        text, "R\\&D\\_\\%\\$\\#\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{} "
              "\\textquotedbl{}q\\textquotedbl{},{}\\textless{}x\\textgreater{}"
              "\\textquotesingle{}"));
    CU_ASSERT_PTR_NULL(strstr(text, evil)); /* never raw */
    free(text);
    if (!el_report_pdf_available() || system("command -v pdftotext >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n  skipped: pdflatex or pdftotext is not installed\n");
    } else {
        CU_ASSERT_EQUAL_FATAL(el_report_compile_pdf(tex, pdf, 120, &err), EL_OK);
        snprintf(cmd, sizeof(cmd), "pdftotext -raw %s %s", pdf, txt);
        CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
        text = slurp(txt);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "R&D_%$#{}~^\\ \"q\",<x>'"));
        free(text);
        remove(pdf);
        remove(txt);
    }
    remove(tex);
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
    check_tex(run, dir, evil);
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
    el_report_write_tex_stream(r1, f);
    fclose(f);
    f = open_memstream(&b2, &n2);
    el_results_write_xml_stream(r2, f);
    el_results_write_csv_stream(r2, f);
    el_report_write_tex_stream(r2, f);
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

static void test_tex_escape(void)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    el_fmt_tex(f, "a&b%c$d#e_f{g}h~i^j\\k\tl|m--n`o'");
    fputc(' ', f);
    el_fmt_tex(f, "S\xc3\xa3o \xe4\xb8\xad\xe5\x9b\xbd \xff");
    fputc(' ', f);
    el_fmt_fixed(f, -0.0001, 2);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(
        buf, "a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j"
             "\\textbackslash{}k l\\textbar{}m-{}-{}n\\textasciigrave{}o\\textquotesingle{} "
             "S\xc3\xa3o \\texttt{U+4E2D}\\texttt{U+56FD} ? "
             "0.00");
    free(buf);
}

CU_TestInfo reports_tests[] = {
    {"golden results, schema-valid", test_golden},
    {"hostile names escaped in XML, CSV, TeX and PDF", test_hostile_names},
    {"TeX escaping of every special and non-Latin text", test_tex_escape},
    {"byte-identical runs", test_deterministic},
    {"number and field formatting", test_fmt},
    CU_TEST_INFO_NULL,
};
