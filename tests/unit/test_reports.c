/* reports suite: results files validate against reports/results.xsd, match the golden files
 * (text exactly, numbers to 1e-9 relative), escape hostile names in XML and CSV, and are
 * byte-identical across runs; a design without an equilibrium is marked in every file while
 * the others are reported as if it were absent; no file prints a negative zero; report.tex
 * keeps its lines short and compiles for long curves and many designs.
 * Streaming (issue 9): the field table covers every field of the result structs once; the
 * sinks, driven in a loop or by el_batch_solve on 2 threads, write the same bytes as the
 * printf-based writers they replaced (kept below as the reference); the integer formatter gives
 * snprintf's bytes on millions of values; rankings, histograms and quantiles of the summary
 * agree with brute force; past EL_REPORT_DETAIL_MAX designs the report is a summary that
 * compiles at 1,000 designs. */
#include <ctype.h>
#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "el_alloc.h"
#include "fmt.h"
#include "load.h"
#include "report.h"
#include "report_analysis.h"
#include "results.h"
#include "suites.h"
#include "summary.h"
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

/* Whether to compile reports to PDF: lualatex is installed and ETSLINK_TEST_SKIP_PDF is not set.
 * The sanitizer and valgrind runs set it (Makefile): lualatex is a separate process they do
 * not check, and its passes are most of their time; the plain `make check` compiles every PDF. */
static bool pdf_wanted(void)
{
    const char *skip = getenv("ETSLINK_TEST_SKIP_PDF");
    return el_report_pdf_available() && !(skip && *skip && strcmp(skip, "0") != 0);
}

/* The report escapes the name; with lualatex installed it compiles (no shell escape) and
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
    if (!pdf_wanted() || system("command -v pdftotext >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n  skipped: no lualatex or pdftotext, or ETSLINK_TEST_SKIP_PDF\n");
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

/* The PDF made from tex in dir, when lualatex is installed (the caller removes tex). */
static void compile_if_possible(const char *tex, const char *dir)
{
    char pdf[200];
    ElError err = {EL_OK, ""};
    if (!pdf_wanted()) {
        fprintf(stderr, "\n  skipped: no lualatex, or ETSLINK_TEST_SKIP_PDF\n");
        return;
    }
    snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
    if (el_report_compile_pdf(tex, pdf, 300, &err) != EL_OK) {
        fprintf(stderr, "\n  %s: %s\n", tex, err.msg);
        CU_FAIL("report.tex does not compile");
    }
    remove(pdf);
}

static size_t longest_line(const char *text)
{
    size_t best = 0, n;
    while (*text) {
        n = strcspn(text, "\n");
        best = n > best ? n : best;
        text += n + (text[n] == '\n');
    }
    return best;
}

/* A printed negative zero: '-' then only zeros and points ("-0", "-0.00"), then no digit. */
static const char *negative_zero(const char *text)
{
    const char *p;
    for (p = strchr(text, '-'); p; p = strchr(p + 1, '-')) {
        const char *q = p + 1;
        if (*q != '0' && !(*q == '.' && q[1] == '0'))
            continue;
        while (*q == '0' || *q == '.')
            q++;
        if (!isdigit((unsigned char)*q) && *q != 'e' && *q != 'E')
            return p;
    }
    return NULL;
}

/* One of the three files of a run (0 results.xml, 1 results.csv, 2 report.tex) in memory,
 * into *text (free it). */
static void write_all(const ElRun *run, int which, char **text)
{
    size_t n = 0;
    FILE *f = open_memstream(text, &n);
    if (which == 0)
        el_results_write_xml_stream(run, f);
    else if (which == 1)
        el_results_write_csv_stream(run, f);
    else
        el_report_write_tex_stream(run, f);
    fclose(f);
}

static const ElDesignResult *find_design(const ElRun *run, const char *id)
{
    int d;
    for (d = 0; d < run->ndesigns; d++)
        if (strcmp(run->designs[d].id, id) == 0)
            return &run->designs[d];
    return NULL;
}

/* Every figure of design a equals that of design b (1e-9 relative). */
static void same_design(const ElDesignResult *a, const ElDesignResult *b)
{
    int j, l;
    CU_ASSERT_EQUAL_FATAL(a->njur, b->njur);
    CU_ASSERT_EQUAL_FATAL(a->nlinks, b->nlinks);
    CU_ASSERT_EQUAL(a->outcome, b->outcome);
    for (j = 0; j < a->njur; j++) {
        const double *x = (const double *)&a->jur[j], *y = (const double *)&b->jur[j];
        size_t k, nd = offsetof(ElJurResult, binding) / sizeof(double);
        for (k = 0; k < nd; k++) /* price ... taxed */
            CU_ASSERT_DOUBLE_EQUAL(x[k], y[k], 1e-9 * (1 + fabs(y[k])));
        CU_ASSERT_EQUAL(a->jur[j].binding, b->jur[j].binding);
        CU_ASSERT_DOUBLE_EQUAL(a->jur[j].national_cost, b->jur[j].national_cost,
                               1e-9 * (1 + fabs(b->jur[j].national_cost)));
        CU_ASSERT_DOUBLE_EQUAL(a->jur[j].gain, b->jur[j].gain, 1e-9 * (1 + fabs(b->jur[j].gain)));
        CU_ASSERT_DOUBLE_EQUAL(a->jur[j].firms_cost, b->jur[j].firms_cost,
                               1e-9 * (1 + fabs(b->jur[j].firms_cost)));
        CU_ASSERT_DOUBLE_EQUAL(a->jur[j].gov_revenue, b->jur[j].gov_revenue,
                               1e-9 * (1 + fabs(b->jur[j].gov_revenue)));
    }
    for (l = 0; l < a->nlinks; l++) {
        CU_ASSERT_DOUBLE_EQUAL(a->link[l].units, b->link[l].units, 1e-9 * (1 + b->link[l].units));
        CU_ASSERT_DOUBLE_EQUAL(a->link[l].rent, b->link[l].rent, 1e-9 * (1 + b->link[l].rent));
    }
    CU_ASSERT_DOUBLE_EQUAL(a->gain, b->gain, 1e-9 * (1 + fabs(b->gain)));
    CU_ASSERT_DOUBLE_EQUAL(a->total_cost, b->total_cost, 1e-9 * (1 + fabs(b->total_cost)));
}

/* The lines of text that start with prefix, concatenated. */
static char *lines_with(const char *text, const char *prefix)
{
    size_t cap = strlen(text) + 1, used = 0, n;
    char *out = calloc(cap, 1);
    while (out && *text) {
        n = strcspn(text, "\n") + (text[strcspn(text, "\n")] == '\n');
        if (strncmp(text, prefix, strlen(prefix)) == 0) {
            memcpy(out + used, text, n);
            used += n;
        }
        text += n;
    }
    return out;
}

/* tests/data/no-eq-design.xml: designs 'linked' and 'quota' have an equilibrium, 'tight' has
 * none (K needs 20 Mt, its curve ends at 15 and the design's ceiling releases 2: 3 Mt short).
 * The run keeps all three; the good designs equal those of the file without 'tight'; the bad
 * one is marked in results.xml (schema-valid), results.csv and report.tex, and left out of the
 * report's ranking and figures; el_run_check names it. */
static void test_design_without_equilibrium(void)
{
    ElScenario *s = NULL, *s2 = NULL;
    ElRun *run = NULL, *run2 = NULL;
    ElError err = {EL_OK, ""};
    const ElDesignResult *t;
    char dir[] = "/tmp/etslink-noeq-XXXXXX", xml[128], tex[128], cmd[400];
    char *text, *a;
    int k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/no-eq-design.xml", NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s2, "data/no-eq-design-without.xml", NULL, &err),
                          EL_OK);
    CU_ASSERT_EQUAL(el_run_solve(&run, s, &err), EL_OK); /* the old code stopped here */
    CU_ASSERT_PTR_NOT_NULL_FATAL(run);
    run2 = test_solve(s2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(run2);
    CU_ASSERT_EQUAL(run->ndesigns, 3);
    t = find_design(run, "tight");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_NOT_EQUAL(t->outcome, EL_OPTIMAL);
    CHECK_REL(t->jur[2].shortfall, 3); /* 20 required - 15 of curve - 2 of ceiling */
    CHECK_REL(t->jur[0].shortfall, 0);
    CHECK_REL(t->jur[1].shortfall, 0);
    /* the others: closed forms (input comment), and the same numbers as without 'tight' */
    CHECK_REL(find_design(run, "linked")->jur[0].price, 20);
    CHECK_REL(find_design(run, "linked")->jur[0].gain, 50);
    CHECK_REL(find_design(run, "linked")->jur[1].gain, 100);
    CHECK_REL(find_design(run, "linked")->jur[2].price, 50); /* K at its ceiling */
    CHECK_REL(find_design(run, "quota")->link[0].rent, 72);
    same_design(find_design(run, "linked"), find_design(run2, "linked"));
    same_design(find_design(run, "quota"), find_design(run2, "quota"));
    /* el_run_check: the message of the CLI's exit 4 */
    CU_ASSERT_EQUAL(el_run_check(run2, &err), EL_OK);
    CU_ASSERT_EQUAL(el_run_check(run, &err), EL_ERR_NO_EQUILIBRIUM);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "data/no-eq-design.xml: design 'tight' has no "
                                           "equilibrium: 'K' is short of 3 Mt (cap requires 20 "
                                           "Mt of abatement, MAC curve ends at 15 Mt)"));
    CU_ASSERT_PTR_NULL(strstr(err.msg, "'linked'"));
    /* results.xml: schema-valid (embedded schema and xmllint on reports/results.xsd) */
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(xml, sizeof(xml), "%s/results.xml", dir);
    CU_ASSERT_EQUAL(el_results_write_xml(run, xml, &err), EL_OK);
    CU_ASSERT_EQUAL(el_xml_validate_file(xml, el_results_schema(), &err), EL_OK);
    if (system("command -v xmllint >/dev/null 2>&1") == 0) {
        snprintf(cmd, sizeof(cmd), "xmllint --noout --schema ../reports/results.xsd %s 2>/dev/null",
                 xml);
        CU_ASSERT_EQUAL(system(cmd), 0);
    }
    write_all(run, 0, &text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "  <design id=\"tight\" outcome=\"no-equilibrium\">\n"
                                        "    <shortfall jurisdiction=\"A\" quantity=\"0\"/>\n"
                                        "    <shortfall jurisdiction=\"B\" quantity=\"0\"/>\n"
                                        "    <shortfall jurisdiction=\"K\" quantity=\"3\"/>\n"
                                        "  </design>\n"));
    write_all(run2, 0, &a); /* the other designs: the same elements as without 'tight' */
    {
        char *cut = strstr(text, "  <design id=\"tight\"");
        char *end = cut ? strstr(cut, "</design>\n") : NULL;
        CU_ASSERT_PTR_NOT_NULL_FATAL(end);
        memmove(cut, end + 10, strlen(end + 10) + 1);
        CU_ASSERT(numdiff(text, a, 1e-9));
    }
    free(a);
    free(text);
    /* results.csv: an outcome row for every design, shortfall rows for the bad one */
    write_all(run, 1, &text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\r\nlinked,total,outcome,1,optimal\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\r\ntight,total,outcome,0,no-equilibrium\r\n"
                                        "tight,A,shortfall,0,Mt\r\ntight,B,shortfall,0,Mt\r\n"
                                        "tight,K,shortfall,3,Mt\r\nquota,"));
    CU_ASSERT_PTR_NULL(strstr(text, "tight,K,price"));
    /* which instrument binds, per jurisdiction: K's ceiling, the cap elsewhere */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\r\nlinked,K,binding,3,ceiling\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\r\nquota,A,binding,1,cap\r\n"));
    write_all(run2, 1, &a);
    for (k = 0; k < 2; k++) {
        const char *id = k ? "quota," : "linked,";
        char *l1 = lines_with(text, id), *l2 = lines_with(a, id);
        CU_ASSERT(l1 && l2 && strlen(l1) > 100 && numdiff(l1, l2, 1e-9));
        free(l1);
        free(l2);
    }
    free(a);
    free(text);
    /* report.tex: marked with its shortfall, out of the ranking and the figures */
    write_all(run, 2, &text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 design has no equilibrium:\n\\emph{tight} (short of "
                                        "\\num{3.000}\\,Mt)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains most is \\emph{linked}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains least is \\emph{quota}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "2. & tight (no equilibrium) & ")); /* the designs */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\subsection*{Design 2: tight (no equilibrium)}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\num{0.00} & ceiling \\\\")); /* K's row */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "K & \\num{20.000} & \\num{15.000} & \\num{3.000} \\\\"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "2. & tight & \\multicolumn{9}{l}{no equilibrium: short of \\num{3.000}"));
    /* the figures' rows: autarky, designs 1 and 3, not 2 */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "yticklabels={{autarky},{1.~linked},{3.~quota}}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "yticklabels={{1.~linked},{3.~quota}}"));
    CU_ASSERT_PTR_NULL(strstr(text, "{2.~tight}"));
    free(text);
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    CU_ASSERT_EQUAL(el_report_write_tex(run, tex, &err), EL_OK);
    compile_if_possible(tex, dir);
    remove(tex);
    remove(xml);
    rmdir(dir);
    el_run_free(run);
    el_run_free(run2);
    el_scenario_free(s);
    el_scenario_free(s2);
}

/* el_run_check with 20 designs without an equilibrium, each with 30 short jurisdictions: the
 * message fits ElError, names the first design and jurisdictions in full (K0 needs 20 Mt, its
 * curve ends at 15, the design's ceiling adds 2: 3 Mt short) and counts the rest. */
static void test_run_check_many(void)
{
    char dir[] = "/tmp/etslink-check-XXXXXX", xml[128];
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err = {EL_OK, ""};
    FILE *f;
    int j, d;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(xml, sizeof(xml), "%s/many.xml", dir);
    f = fopen(xml, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("<scenario name=\"check\">\n", f);
    for (j = 0; j < 30; j++)
        fprintf(f,
                "<jurisdiction id=\"K%d\"><bau>100</bau><cap>80</cap><mac><linear slope=\"2\" "
                "max=\"15\"/></mac><ceiling price=\"50\" volume=\"10\"/></jurisdiction>\n",
                j);
    for (d = 0; d < 20; d++) {
        fprintf(f, "<design id=\"tight%d\">", d);
        for (j = 0; j < 30; j++)
            fprintf(f, "<ceiling jurisdiction=\"K%d\" price=\"50\" volume=\"2\"/>", j);
        fputs("</design>\n", f);
    }
    fputs("</scenario>\n", f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, xml, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_run_solve(&run, s, &err), EL_OK);
    CU_ASSERT_EQUAL(el_run_check(run, &err), EL_ERR_NO_EQUILIBRIUM);
    CU_ASSERT(strlen(err.msg) < sizeof(err.msg) - 1); /* not cut off by the buffer */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "many.xml: design 'tight0' has no equilibrium: 'K0' is "
                                           "short of 3 Mt (cap requires 20 Mt of abatement, MAC "
                                           "curve ends at 15 Mt); 'K1' is short of 3 Mt"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "more short jurisdictions"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "more designs without an equilibrium"));
    { /* the streaming CLI keeps only the first 8 failed designs and their number: same text */
        ElError e2 = {EL_OK, ""};
        CU_ASSERT_EQUAL(el_failed_check(s, run->designs, 8, 20, &e2), EL_ERR_NO_EQUILIBRIUM);
        CU_ASSERT_STRING_EQUAL(e2.msg, err.msg);
        CU_ASSERT_EQUAL(el_failed_check(s, run->designs, 0, 0, &e2), EL_OK);
    }
    el_run_free(run);
    el_scenario_free(s);
    remove(xml);
    rmdir(dir);
}

/* No file prints a negative zero: a solved run where one gain is -1e-13, a price -0, an
 * abatement -1e-12 and a fitted curve's coefficients -0 (the old report wrote \num{-0}). */
static void test_no_negative_zero(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElMacFit fit;
    ElRun *run;
    ElError err;
    char *text;
    int members[2] = {0, 1}, k;
    CU_ASSERT_FATAL(s != NULL);
    el_scenario_add_design(s, "linked", 0, &err);
    el_scenario_add_group(s, 0, members, 2, 0, &err);
    el_scenario_add_design(s, "same", 0, &err);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    run->designs[1].jur[0].gain = -1e-13;
    run->designs[1].gain = -1e-13;
    run->designs[1].jur[1].price = -0.0;
    run->designs[1].jur[1].payments = -1e-12;
    run->designs[1].jur[1].net_imports = -0.0;
    memset(&fit, 0, sizeof(fit));
    fit.form = EL_FIT_QUADRATIC;
    fit.coef[0] = -0.0;
    fit.coef[1] = 1;
    fit.coef[2] = -0.0;
    s->jur[0].fit = &fit;
    for (k = 0; k < 3; k++) {
        const char *nz;
        write_all(run, k, &text);
        nz = negative_zero(text);
        if (nz) {
            fprintf(stderr, "\n  file %d prints a negative zero: '%.40s'\n", k, nz);
            CU_FAIL("negative zero printed");
        }
        if (k == 2) /* the report rounds: the gain is 0.00, the coefficient 0 */
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "fitted quadratic: \\num{0} + \\num{1}\\,$a$"));
        free(text);
    }
    s->jur[0].fit = NULL;
    el_run_free(run);
    el_scenario_free(s);
}

/* A scenario file: A with a MAC curve of npoints <points> (p = q + 0.01 q^2 up to 50 Mt), B = 2a
 * and C = 3a; one design linking all three, or ndesigns > 1 designs of quota links from A. */
static void write_big_scenario(const char *path, int npoints, int ndesigns)
{
    FILE *f = fopen(path, "w");
    int k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("<scenario name=\"big\" currency=\"USD\" unit=\"Mt\">\n"
          "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><points>",
          f);
    for (k = 0; k < npoints; k++) {
        double q = 50.0 * k / (npoints - 1);
        fprintf(f, "<point q=\"%.9f\" p=\"%.9f\"/>", q, q + 0.01 * q * q);
    }
    fputs("</points></mac></jurisdiction>\n"
          "<jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><linear slope=\"2\"/></mac>"
          "</jurisdiction>\n"
          "<jurisdiction id=\"C\"><bau>100</bau><cap>85</cap><mac><linear slope=\"3\"/></mac>"
          "</jurisdiction>\n",
          f);
    if (ndesigns == 1)
        fputs("<design id=\"all\"><group members=\"A B C\"/></design>\n", f);
    for (k = 0; ndesigns > 1 && k < ndesigns; k++)
        fprintf(f,
                "<design id=\"d%d\"><link from=\"A\" to=\"B\" quota=\"%g\"/>"
                "<link from=\"A\" to=\"C\" quota=\"%g\"/></design>\n",
                k, 0.01 * k, 0.005 * k);
    fputs("</scenario>\n", f);
    fclose(f);
}

/* TeX reads a line into a 200,000-character buffer and a page into 5,000,000 words: a
 * 3,000-point curve was one line of about 340,000 characters here ("Unable to read an entire
 * line"), and 1,000 designs exceeded TeX's main memory in the bar charts. Lines now stay short;
 * past EL_REPORT_DETAIL_MAX designs the report is a summary (a ranking of the first 20 and last
 * 5 designs, distributions) whose size does not grow with the number of designs; both compile. */
static void test_long_report(void)
{
    static const int npoints[2] = {3000, 2}, ndesigns[2] = {1, 1000};
    char dir[] = "/tmp/etslink-long-XXXXXX", xml[128], tex[128];
    int k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(xml, sizeof(xml), "%s/big.xml", dir);
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    for (k = 0; k < 2; k++) {
        ElScenario *s = NULL;
        ElRun *run;
        ElError err = {EL_OK, ""};
        char *text;
        write_big_scenario(xml, npoints[k], ndesigns[k]);
        CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, xml, NULL, &err), EL_OK);
        run = test_solve(s);
        CU_ASSERT_FATAL(run != NULL);
        CU_ASSERT_EQUAL(el_report_write_tex(run, tex, &err), EL_OK);
        text = slurp(tex);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT(longest_line(text) <= 4000);
        if (k == 0) { /* A abates 22.5 Mt at 27: ~2,700 pieces drawn up to 45 Mt, 2 points each */
            const char *c = text;
            int ncoords = 0;
            while ((c = strchr(c + 1, '(')) != NULL)
                ncoords++;
            CU_ASSERT(ncoords > 5000);
        } else {
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "a summary of 1000 designs"));
            CU_ASSERT_PTR_NULL(strstr(text, "\\item["));               /* no list of designs */
            CU_ASSERT_PTR_NULL(strstr(text, "\\subsection*{Design ")); /* no table per design */
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\section*{Ranking of designs}"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "975 designs, ranked 21 to 995"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "ybar interval"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "boxplot prepared"));
            CU_ASSERT(strlen(text) < 100000); /* does not grow with the designs */
        }
        free(text);
        compile_if_possible(tex, dir);
        remove(tex);
        remove(xml);
        el_run_free(run);
        el_scenario_free(s);
    }
    rmdir(dir);
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
    fputc(' ', f);
    el_fmt_fixed(f, -0.0, 4);
    fputc(' ', f);
    el_fmt_fixed(f, -1e-12, 4);
    fputc(' ', f);
    el_fmt_fixed(f, -0.00005, 4); /* rounds to -0.0001: a real value, kept */
    fputc(' ', f);
    el_fmt_sig(f, -0.0, 4);
    fputc(' ', f);
    el_fmt_num(f, -1e-12); /* 12 significant digits: not zero */
    fputc(' ', f);
    el_fmt_fixed(f, -1e300, 1); /* longer than any small buffer */
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf,
                                  "0 0.333333333333 2.5e-13 plain \"a\nb\" 0.0000 0.0000 "
                                  "-0.0001 0 -1e-12 -1000000000000000052504760255204420248704"));
    CU_ASSERT(n > 300 && strcmp(buf + n - 2, ".0") == 0);
    free(buf);
    {
        char small[8];
        CU_ASSERT_STRING_EQUAL(el_fmt_fixed_str(small, sizeof(small), -1e-12, 4), "0.0000");
        CU_ASSERT_STRING_EQUAL(el_fmt_fixed_str(small, sizeof(small), -0.0, 0), "0");
        CU_ASSERT_STRING_EQUAL(el_fmt_fixed_str(small, sizeof(small), -2.5, 1), "-2.5");
    }
}

static void test_tex_escape(void)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    el_fmt_tex(f, "a&b%c$d#e_f{g}h~i^j\\k\tl|m--n`o' 'p"); /* an apostrophe, a quote */
    fputc(' ', f);
    /* UTF-8 passes through (LuaLaTeX); C1 controls are spaces; an invalid byte, an overlong
     * form and a surrogate are "?" */
    el_fmt_tex(f, "S\xc3\xa3o \xe4\xb8\xad\xe5\x9b\xbd \xea\xb0\x80\xe2\x80\x93\xe2\x82\xac"
                  "\xe2\x82\xa9 \xff\xc0\xaf\xed\xa0\x80"
                  "a\xc2\x85"
                  "b");
    fputc(' ', f);
    el_fmt_fixed(f, -0.0001, 2);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(
        buf, "a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j"
             "\\textbackslash{}k l\\textbar{}m-{}-{}n\\textasciigrave{}o\xe2\x80\x99 "
             "\\textquotesingle{}p "
             "S\xc3\xa3o \xe4\xb8\xad\xe5\x9b\xbd \xea\xb0\x80\xe2\x80\x93\xe2\x82\xac\xe2\x82\xa9 "
             "???a b "
             "0.00");
    free(buf);
}

/* ---- The writers this module had before streaming (printf-based), kept as the reference the
 * sinks must match byte for byte. ---- */

static void ref_num(FILE *f, double v)
{
    if (v == 0)
        v = 0;
    fprintf(f, "%.12g", v);
}

static void ref_attr(FILE *f, const char *name, double v)
{
    fprintf(f, " %s=\"", name);
    ref_num(f, v);
    fputc('"', f);
}

static void ref_sattr(FILE *f, const char *name, const char *v)
{
    fprintf(f, " %s=\"", name);
    el_fmt_xml(f, v);
    fputc('"', f);
}

static void ref_xml(const ElRun *run, FILE *f)
{
    static const char *const rent_names[] = {"buyer", "buyer-government", "seller"};
    const ElScenario *s = run->scenario;
    int d, j, l;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results", f);
    ref_sattr(f, "scenario", s->name);
    ref_sattr(f, "currency", s->currency);
    ref_sattr(f, "unit", s->unit);
    fputs(">\n", f);
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        const ElDesign *des = r->design;
        fputs("  <design", f);
        ref_sattr(f, "id", r->id);
        ref_sattr(f, "outcome", el_results_outcome_name(r->outcome));
        fputs(">\n", f);
        if (r->outcome != EL_OPTIMAL) {
            for (j = 0; j < r->njur; j++) {
                fputs("    <shortfall", f);
                ref_sattr(f, "jurisdiction", s->jur[j].id);
                ref_attr(f, "quantity", r->jur[j].shortfall);
                fputs("/>\n", f);
            }
            fputs("  </design>\n", f);
            continue;
        }
        for (j = 0; j < r->njur; j++) {
            const ElJurResult *q = &r->jur[j];
            fputs("    <jurisdiction", f);
            ref_sattr(f, "id", s->jur[j].id);
            ref_attr(f, "price", q->price);
            ref_attr(f, "abatement", q->abatement);
            ref_attr(f, "emissions", q->emissions);
            ref_attr(f, "net-imports", q->net_imports);
            ref_attr(f, "abatement-cost", q->abatement_cost);
            ref_attr(f, "payments", q->payments);
            ref_attr(f, "national-cost", q->national_cost);
            ref_attr(f, "gain", q->gain);
            ref_sattr(f, "binding", el_binding_name(q->binding));
            ref_attr(f, "offsets", q->offsets);
            ref_attr(f, "project-credits", q->project_credits);
            ref_attr(f, "withheld", q->withheld);
            ref_attr(f, "released", q->released);
            ref_attr(f, "penalised", q->penalised);
            ref_attr(f, "taxed", q->taxed);
            ref_attr(f, "payments-abroad", q->payments_abroad);
            ref_attr(f, "receipts-abroad", q->receipts_abroad);
            ref_attr(f, "firms-cost", q->firms_cost);
            ref_attr(f, "gov-revenue", q->gov_revenue);
            ref_attr(f, "offset-surplus", q->offset_surplus);
            ref_attr(f, "ndc-emissions", q->ndc_emissions);
            if (!isnan(q->ndc_margin)) /* absent without an NDC target */
                ref_attr(f, "ndc-margin", q->ndc_margin);
            if (!isnan(q->import_rent)) /* absent without an import limit */
                ref_attr(f, "import-rent", q->import_rent);
            fputs("/>\n", f);
        }
        for (l = 0; l < r->nlinks; l++) {
            const ElLink *lk = &des->links[l];
            fputs("    <link", f);
            ref_sattr(f, "from", s->jur[lk->from].id);
            ref_sattr(f, "to", s->jur[lk->to].id);
            ref_attr(f, "units", r->link[l].units);
            ref_attr(f, "credited", r->link[l].credited);
            ref_attr(f, "unit-price", r->link[l].unit_price);
            ref_attr(f, "rent", r->link[l].rent);
            ref_sattr(f, "rent-to", rent_names[lk->rent_to]);
            fputs("/>\n", f);
        }
        for (l = 0; l < r->npools; l++) {
            const ElPoolResult *q = &r->pool[l];
            if (!q->used)
                continue;
            fputs("    <pool", f);
            ref_sattr(f, "id", s->pools[l].id);
            ref_sattr(f, "host", s->pools[l].host >= 0 ? s->jur[s->pools[l].host].id : "ROW");
            ref_attr(f, "price", q->price);
            ref_attr(f, "supplied", q->supplied);
            ref_attr(f, "supply-cost", q->supply_cost);
            ref_attr(f, "receipts", q->receipts);
            fputs("/>\n", f);
        }
        for (l = 0; l < r->naccepts; l++) {
            const ElAcceptResult *q = &r->accept[l];
            fputs("    <offset", f);
            ref_sattr(f, "pool", s->pools[q->pool].id);
            ref_sattr(f, "jurisdiction", s->jur[q->jur].id);
            ref_attr(f, "credits", q->credits);
            ref_attr(f, "credited", q->credited);
            ref_attr(f, "payment", q->payment);
            fputs("/>\n", f);
        }
        for (l = 0; l < r->nprojects; l++) {
            const ElProjectResult *q = &r->project[l];
            fputs("    <project", f);
            ref_sattr(f, "id", des->projects[l].id);
            ref_sattr(f, "built", q->built ? "true" : "false");
            ref_attr(f, "credits", q->credits);
            ref_attr(f, "cost", q->cost);
            fputs("/>\n", f);
        }
        fputs("    <total", f);
        ref_attr(f, "abatement-cost", r->abatement_cost);
        ref_attr(f, "total-cost", r->total_cost);
        ref_attr(f, "national-cost", r->national_cost);
        ref_attr(f, "row-surplus", r->row_surplus);
        ref_attr(f, "gain", r->gain);
        fputs("/>\n  </design>\n", f);
    }
    fputs("</results>\n", f);
}

static void
ref_row(FILE *f, const char *design, const char *who, const char *var, double v, const char *unit)
{
    el_fmt_csv(f, design);
    fputc(',', f);
    el_fmt_csv(f, who);
    fputc(',', f);
    el_fmt_csv(f, var);
    fputc(',', f);
    ref_num(f, v);
    fputc(',', f);
    el_fmt_csv(f, unit);
    fputs("\r\n", f);
}

static void ref_csv(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    char money[96], price[96], who[200];
    int d, j, l;
    snprintf(price, sizeof(price), "%s/t", s->currency);
    snprintf(money, sizeof(money), "million %s", s->currency);
    fputs("design,jurisdiction,variable,value,unit\r\n", f);
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        const ElDesign *des = r->design;
        ref_row(f, r->id, "total", "outcome", r->outcome == EL_OPTIMAL ? 1.0 : 0.0,
                el_results_outcome_name(r->outcome));
        if (r->outcome != EL_OPTIMAL) {
            for (j = 0; j < r->njur; j++)
                ref_row(f, r->id, s->jur[j].id, "shortfall", r->jur[j].shortfall, "Mt");
            continue;
        }
        for (j = 0; j < r->njur; j++) {
            const ElJurResult *q = &r->jur[j];
            const char *id = s->jur[j].id;
            ref_row(f, r->id, id, "price", q->price, price);
            ref_row(f, r->id, id, "abatement", q->abatement, "Mt");
            ref_row(f, r->id, id, "emissions", q->emissions, "Mt");
            ref_row(f, r->id, id, "net_imports", q->net_imports, "Mt");
            ref_row(f, r->id, id, "abatement_cost", q->abatement_cost, money);
            ref_row(f, r->id, id, "payments", q->payments, money);
            ref_row(f, r->id, id, "national_cost", q->national_cost, money);
            ref_row(f, r->id, id, "gain", q->gain, money);
            ref_row(f, r->id, id, "binding", (double)q->binding, el_binding_name(q->binding));
            ref_row(f, r->id, id, "offsets", q->offsets, "Mt");
            ref_row(f, r->id, id, "project_credits", q->project_credits, "Mt");
            ref_row(f, r->id, id, "withheld", q->withheld, "Mt");
            ref_row(f, r->id, id, "released", q->released, "Mt");
            ref_row(f, r->id, id, "penalised", q->penalised, "Mt");
            ref_row(f, r->id, id, "taxed", q->taxed, "Mt");
            ref_row(f, r->id, id, "payments_abroad", q->payments_abroad, money);
            ref_row(f, r->id, id, "receipts_abroad", q->receipts_abroad, money);
            ref_row(f, r->id, id, "firms_cost", q->firms_cost, money);
            ref_row(f, r->id, id, "gov_revenue", q->gov_revenue, money);
            ref_row(f, r->id, id, "offset_surplus", q->offset_surplus, money);
            ref_row(f, r->id, id, "ndc_emissions", q->ndc_emissions, "Mt");
            if (!isnan(q->ndc_margin))
                ref_row(f, r->id, id, "ndc_margin", q->ndc_margin, "Mt");
            if (!isnan(q->import_rent))
                ref_row(f, r->id, id, "import_rent", q->import_rent, money);
        }
        for (l = 0; l < r->nlinks; l++) {
            snprintf(who, sizeof(who), "%s->%s", s->jur[des->links[l].from].id,
                     s->jur[des->links[l].to].id);
            ref_row(f, r->id, who, "link_units", r->link[l].units, "Mt");
            ref_row(f, r->id, who, "link_credited", r->link[l].credited, "Mt");
            ref_row(f, r->id, who, "link_unit_price", r->link[l].unit_price, price);
            ref_row(f, r->id, who, "link_rent", r->link[l].rent, money);
        }
        for (l = 0; l < r->npools; l++) {
            if (!r->pool[l].used)
                continue;
            snprintf(who, sizeof(who), "pool:%s", s->pools[l].id);
            ref_row(f, r->id, who, "credit_price", r->pool[l].price, price);
            ref_row(f, r->id, who, "supplied", r->pool[l].supplied, "Mt");
            ref_row(f, r->id, who, "supply_cost", r->pool[l].supply_cost, money);
        }
        for (l = 0; l < r->naccepts; l++) {
            snprintf(who, sizeof(who), "%s<-%s", s->jur[r->accept[l].jur].id,
                     s->pools[r->accept[l].pool].id);
            ref_row(f, r->id, who, "offset_credits", r->accept[l].credits, "Mt");
            ref_row(f, r->id, who, "offset_credited", r->accept[l].credited, "Mt");
        }
        for (l = 0; l < r->nprojects; l++) {
            snprintf(who, sizeof(who), "project:%s", des->projects[l].id);
            ref_row(f, r->id, who, "built", r->project[l].built ? 1.0 : 0.0, "1 = built");
            ref_row(f, r->id, who, "project_credits", r->project[l].credits, "Mt");
        }
        ref_row(f, r->id, "total", "abatement_cost", r->abatement_cost, money);
        ref_row(f, r->id, "total", "total_cost", r->total_cost, money);
        ref_row(f, r->id, "total", "row_surplus", r->row_surplus, money);
        ref_row(f, r->id, "total", "national_cost", r->national_cost, money);
        ref_row(f, r->id, "total", "gain", r->gain, money);
    }
}

/* ---- The field table ---- */

static size_t align_of_size(size_t size)
{
    size_t a = 1;
    while (a * 2 <= size && a * 2 <= alignof(max_align_t))
        a *= 2;
    return a;
}

static int cmp_field_offset(const void *a, const void *b)
{
    const ElResultField *x = *(const ElResultField *const *)a,
                        *y = *(const ElResultField *const *)b;
    return x->offset < y->offset ? -1 : x->offset > y->offset ? 1 : 0;
}

/* Every member of each result struct is in the table once: sorted by offset, the fields tile
 * the struct, with gaps only where padding can be (shorter than the next field's alignment,
 * and at the end shorter than the largest); so a member missing from the table, or listed
 * twice, fails. Positions are 0..n-1 per record and format; names are unique and need no CSV
 * quoting; a field written nowhere says why. */
static void test_field_table(void)
{
    static const size_t sizes[EL_IN_COUNT] = {sizeof(ElJurResult),     sizeof(ElLinkResult),
                                              sizeof(ElPoolResult),    sizeof(ElAcceptResult),
                                              sizeof(ElProjectResult), sizeof(ElDesignResult)};
    int n, i, k, st, rec;
    const ElResultField *t = el_result_fields(&n);
    const ElResultField *byoff[128];
    CU_ASSERT_FATAL(n > 0 && n <= 128);
    for (st = 0; st < EL_IN_COUNT; st++) {
        size_t end = 0, maxal = 1;
        int m = 0;
        for (i = 0; i < n; i++)
            if ((int)t[i].in == st)
                byoff[m++] = &t[i];
        CU_ASSERT(m > 0);
        qsort(byoff, (size_t)m, sizeof(byoff[0]), cmp_field_offset);
        for (k = 0; k < m; k++) {
            size_t al = align_of_size(byoff[k]->size);
            maxal = al > maxal ? al : maxal;
            if (byoff[k]->offset < end || byoff[k]->offset - end >= al) {
                fprintf(stderr, "\n  struct %d: gap or overlap before '%s' (offset %zu, end %zu)",
                        st, byoff[k]->member, byoff[k]->offset, end);
                CU_FAIL("the field table does not tile a result struct");
            }
            end = byoff[k]->offset + byoff[k]->size;
            for (i = 0; i < k; i++)
                CU_ASSERT(strcmp(byoff[i]->member, byoff[k]->member) != 0);
        }
        if (sizes[st] < end || sizes[st] - end >= maxal) {
            fprintf(stderr, "\n  struct %d: %zu bytes, the table covers %zu", st, sizes[st], end);
            CU_FAIL("a member at the end of a result struct is missing from the field table");
        }
    }
    for (rec = 0; rec < EL_REC_COUNT; rec++) {
        int fmt;
        for (fmt = 0; fmt < 2; fmt++) {
            int seen[64] = {0}, count = 0, maxpos = -1;
            for (i = 0; i < n; i++) {
                const char *name = fmt ? t[i].csv : t[i].xml;
                int pos = fmt ? t[i].csv_pos : t[i].xml_pos;
                if ((int)t[i].record != rec || !name)
                    continue;
                CU_ASSERT_FATAL(pos >= 0 && pos < 64);
                seen[pos]++;
                count++;
                maxpos = pos > maxpos ? pos : maxpos;
                for (k = 0; k < i; k++) /* one name per record and format */
                    if ((int)t[k].record == rec && (fmt ? t[k].csv : t[k].xml))
                        CU_ASSERT(strcmp(fmt ? t[k].csv : t[k].xml, name) != 0);
                CU_ASSERT(strpbrk(name, fmt ? ",\"\r\n" : "&<>\"' ") == NULL);
            }
            CU_ASSERT_EQUAL(maxpos + 1, count); /* 0 .. count-1, each once */
            for (k = 0; k < count; k++)
                CU_ASSERT_EQUAL(seen[k], 1);
        }
    }
    for (i = 0; i < n; i++) {
        if (t[i].record == EL_REC_NONE) {
            CU_ASSERT(t[i].xml == NULL && t[i].csv == NULL && t[i].note != NULL);
            continue;
        }
        CU_ASSERT(t[i].xml != NULL || t[i].csv != NULL);
        CU_ASSERT(t[i].csv == NULL || t[i].unit != EL_UNIT_NONE);
        if (t[i].kind == EL_VAL_NUM || t[i].kind == EL_VAL_NUM_OPT)
            CU_ASSERT_EQUAL(t[i].size, sizeof(double));
    }
}

/* results.xml and results.csv of run: the sinks in a loop (begin, baseline, designs, end), the
 * run functions, and the reference writers; all the same bytes. */
static void check_writers(const ElRun *run, const char *what)
{
    int fmt;
    for (fmt = 0; fmt < 2; fmt++) {
        char *want = NULL, *got = NULL, *viarun = NULL;
        size_t nwant = 0, ngot = 0, nrun = 0;
        FILE *f = open_memstream(&want, &nwant);
        ElResultsWriter *w = NULL;
        ElError err = {EL_OK, ""};
        ElSink sink;
        int d;
        if (fmt == 0)
            ref_xml(run, f);
        else
            ref_csv(run, f);
        fclose(f);
        f = open_memstream(&got, &ngot);
        CU_ASSERT_EQUAL_FATAL(
            el_results_writer_create(&w, fmt ? EL_RESULTS_CSV : EL_RESULTS_XML, f, "x", &err),
            EL_OK);
        sink = el_results_writer_sink(w);
        CU_ASSERT_EQUAL(sink.begin(sink.ctx, run->scenario, run->ndesigns, &err), EL_OK);
        CU_ASSERT_EQUAL(sink.result(sink.ctx, -1, NULL, &run->autarky, NULL, &err), EL_OK);
        for (d = 0; d < run->ndesigns; d++)
            CU_ASSERT_EQUAL(sink.result(sink.ctx, d, NULL, &run->designs[d], &run->autarky, &err),
                            EL_OK);
        CU_ASSERT_EQUAL(sink.end(sink.ctx, true, &err), EL_OK);
        el_results_writer_free(w);
        fclose(f);
        f = open_memstream(&viarun, &nrun);
        if (fmt == 0)
            el_results_write_xml_stream(run, f);
        else
            el_results_write_csv_stream(run, f);
        fclose(f);
        if (nwant != ngot || memcmp(want, got, nwant) != 0 || nrun != ngot ||
            memcmp(viarun, got, ngot) != 0) {
            size_t k = 0;
            while (k < nwant && k < ngot && want[k] == got[k])
                k++;
            fprintf(stderr, "\n  %s, %s: differs at byte %zu: want '%.60s', got '%.60s'", what,
                    fmt ? "csv" : "xml", k, want + k, got + k);
            CU_FAIL("a sink's bytes differ from the reference writer's");
        }
        free(want);
        free(got);
        free(viarun);
    }
}

static uint64_t test_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A double of a random kind: any bit pattern, a few-digit decimal, an integer, a tiny or huge
 * value, zero or negative zero, a value near a power of ten. */
static double random_value(uint64_t *s)
{
    uint64_t r = test_rng(s), b;
    double v;
    switch (r % 8) {
    case 0:
        do {
            b = test_rng(s);
            memcpy(&v, &b, sizeof(v));
        } while (!isfinite(v));
        return v;
    case 1:
        return (double)(int64_t)(test_rng(s) % 2000001 - 1000000) / 1000.0;
    case 2:
        return (double)(int64_t)(test_rng(s) >> (test_rng(s) % 64));
    case 3:
        return ldexp((double)(test_rng(s) >> 11), (int)(test_rng(s) % 160) - 120);
    case 4:
        return (r >> 8) % 2 ? 0.0 : -0.0;
    case 5:
        return -ldexp((double)(test_rng(s) >> 11), (int)(test_rng(s) % 40) - 60);
    case 6:
        return pow(10, (double)((int)(test_rng(s) % 50) - 25)) * (1 - 1e-13 * (double)(r % 9));
    default:
        return 1e6 * ((double)(test_rng(s) >> 11) / 9007199254740992.0 - 0.5);
    }
}

/* Every number of every record of run replaced by a random value. */
static void randomise(ElRun *run, uint64_t seed)
{
    int n, i, d, k;
    const ElResultField *t = el_result_fields(&n);
    for (d = -1; d < run->ndesigns; d++) {
        ElDesignResult *r = d < 0 ? &run->autarky : &run->designs[d];
        for (i = 0; i < n; i++) {
            char *base[5] = {(char *)r->jur, (char *)r->link, (char *)r->pool, (char *)r->accept,
                             (char *)r->project};
            int count[5] = {r->njur, r->nlinks, r->npools, r->naccepts, r->nprojects};
            size_t size[5] = {sizeof(*r->jur), sizeof(*r->link), sizeof(*r->pool),
                              sizeof(*r->accept), sizeof(*r->project)};
            if (t[i].kind != EL_VAL_NUM && t[i].kind != EL_VAL_NUM_OPT)
                continue;
            if (t[i].in == EL_IN_DESIGN) {
                double v = random_value(&seed);
                memcpy((char *)r + t[i].offset, &v, sizeof(v));
                continue;
            }
            for (k = 0; k < count[t[i].in]; k++) {
                double v = random_value(&seed);
                if (t[i].kind == EL_VAL_NUM_OPT && test_rng(&seed) % 3 == 0)
                    v = nan(""); /* an absent value: no attribute, no row */
                memcpy(base[t[i].in] + (size_t)k * size[t[i].in] + t[i].offset, &v, sizeof(v));
            }
        }
    }
}

/* The sinks write what the old writers wrote: on the scenarios the tests solve, and on every
 * number replaced by random values of every kind. */
static void test_sinks_match_reference(void)
{
    static const char *const files[] = {
        "golden/small/input.xml", "../scenarios/northeast-asia.xml",
        "data/no-eq-design.xml",  "data/mechanisms.xml",
        "data/ties.xml",          "../scenarios/examples/fitted-mac.xml",
        "data/import-limits.xml"};
    size_t k;
    for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        ElScenario *s = NULL;
        ElRun *run = NULL;
        ElError err = {EL_OK, ""};
        int rep;
        if (el_scenario_load(&s, files[k], NULL, &err) != EL_OK) {
            fprintf(stderr, "\n  %s: %s", files[k], err.msg);
            CU_FAIL("scenario does not load");
            continue;
        }
        CU_ASSERT_EQUAL(el_run_solve(&run, s, &err), EL_OK);
        if (run) {
            check_writers(run, files[k]);
            for (rep = 0; rep < 20; rep++) {
                randomise(run, 1000u * k + (unsigned)rep);
                check_writers(run, files[k]);
            }
        }
        el_run_free(run);
        el_scenario_free(s);
    }
}

/* The golden results.xml and results.csv, byte for byte (the other test compares numbers to
 * 1e-9): the streaming writers change no byte. */
static void test_golden_bytes(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    int fmt;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "golden/small/input.xml", NULL, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    for (fmt = 0; fmt < 3; fmt++) {
        static const char *const names[3] = {"golden/small/results.xml", "golden/small/results.csv",
                                             "golden/small/report.tex"};
        char *got = NULL, *want = slurp(names[fmt]);
        write_all(run, fmt, &got);
        CU_ASSERT_PTR_NOT_NULL(want);
        CU_ASSERT(want && got && strcmp(want, got) == 0);
        free(got);
        free(want);
    }
    el_run_free(run);
    el_scenario_free(s);
}

/* The three writers as sinks of el_batch_solve on 2 threads write what the run functions write
 * from el_run_solve's run. */
static void test_sinks_in_batch(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElError err = {EL_OK, ""};
    ElProducer prod;
    ElBatchOptions opt = {2, false, 4};
    char *buf[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    FILE *f[3];
    ElResultsWriter *xw = NULL, *cw = NULL;
    ElReportWriter *rw = NULL;
    ElSink sink[3];
    const ElSink *sinks[3] = {&sink[0], &sink[1], &sink[2]};
    int k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "../scenarios/northeast-asia.xml", NULL, &err),
                          EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    for (k = 0; k < 3; k++)
        f[k] = open_memstream(&buf[k], &len[k]);
    CU_ASSERT_EQUAL(el_results_writer_create(&xw, EL_RESULTS_XML, f[0], "xml", &err), EL_OK);
    CU_ASSERT_EQUAL(el_results_writer_create(&cw, EL_RESULTS_CSV, f[1], "csv", &err), EL_OK);
    CU_ASSERT_EQUAL(el_report_writer_create(&rw, f[2], &err), EL_OK);
    sink[0] = el_results_writer_sink(xw);
    sink[1] = el_results_writer_sink(cw);
    sink[2] = el_report_writer_sink(rw);
    prod = el_producer_scenario(s);
    CU_ASSERT_EQUAL(el_batch_solve(s, &prod, &opt, sinks, 3, &err), EL_OK);
    el_results_writer_free(xw);
    el_results_writer_free(cw);
    el_report_writer_free(rw);
    for (k = 0; k < 3; k++) {
        char *want = NULL;
        fclose(f[k]);
        write_all(run, k, &want);
        CU_ASSERT(want && buf[k] && strcmp(want, buf[k]) == 0);
        free(want);
        free(buf[k]);
    }
    el_run_free(run);
    el_scenario_free(s);
}

/* Items made on demand and freed after delivery: quota links from A to B and C with quota
 * 0.5 i and 0.25 i. */
typedef struct {
    ElDesign **made;
    bool keep; /* keep the designs (for the in-memory run) */
} QuotaProducer;

static el_status quota_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    QuotaProducer *q = ctx;
    ElDesign *d = NULL;
    char id[32];
    el_status st;
    if (q->keep && q->made[i]) {
        out->design = q->made[i];
        out->variation = NULL;
        return EL_OK;
    }
    snprintf(id, sizeof(id), "q%ld", i);
    st = el_design_create(&d, id, 0, err);
    if (st == EL_OK)
        st = el_design_add_link(d, 0, 1, 1, 0.5 * (double)i, nan(""), EL_RENT_BUYER, 0, err);
    if (st == EL_OK)
        st = el_design_add_link(d, 0, 2, 1, 0.25 * (double)i, nan(""), EL_RENT_BUYER, 0, err);
    if (st != EL_OK) {
        el_design_free(d);
        return st;
    }
    q->made[i] = d;
    out->design = d;
    out->variation = NULL;
    return EL_OK;
}

static void quota_release(void *ctx, long i, ElBatchItem *item)
{
    QuotaProducer *q = ctx;
    (void)item;
    if (!q->keep) {
        el_design_free(q->made[i]);
        q->made[i] = NULL;
    }
}

/* report.tex from a producer whose designs are freed after delivery (the report sink keeps
 * its own copies) equals report.tex of the same designs kept in memory; in detail mode (5
 * designs) and in summary mode (30). */
static void test_report_sink_generated(void)
{
    static const long counts[2] = {5, 30};
    double bau[3] = {100, 100, 100}, cap[3] = {90, 80, 85}, c[3] = {1, 2, 3};
    ElScenario *s = test_linear_scenario(3, bau, cap, c, NULL);
    ElError err = {EL_OK, ""};
    int k;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    for (k = 0; k < 2; k++) {
        long n = counts[k], i;
        ElDesign **kept = calloc((size_t)n, sizeof(*kept)),
                 **made = calloc((size_t)n, sizeof(*made));
        QuotaProducer qk = {kept, true}, qm = {made, false};
        ElProducer pk = {&qk, n, quota_item, quota_release},
                   pm = {&qm, n, quota_item, quota_release};
        ElBatchOptions opt = {2, false, 0};
        ElRunSink rs = {NULL};
        ElSink runsink = el_sink_run(&rs), texsink;
        const ElSink *sinks[1];
        ElReportWriter *rw = NULL;
        char *got = NULL, *want = NULL;
        size_t ngot = 0;
        FILE *f = open_memstream(&got, &ngot);
        sinks[0] = &runsink;
        CU_ASSERT_EQUAL(el_batch_solve(s, &pk, &opt, sinks, 1, &err), EL_OK);
        CU_ASSERT_EQUAL(el_report_writer_create(&rw, f, &err), EL_OK);
        texsink = el_report_writer_sink(rw);
        sinks[0] = &texsink;
        CU_ASSERT_EQUAL(el_batch_solve(s, &pm, &opt, sinks, 1, &err), EL_OK);
        el_report_writer_free(rw);
        fclose(f);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rs.run);
        write_all(rs.run, 2, &want);
        CU_ASSERT(want && got && strcmp(want, got) == 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(got, k == 0 ? "equilibrium of each design"
                                                  : "a summary "
                                                    "of 30 designs"));
        if (k == 0) /* the link ends come from the report's own copies of the designs */
            CU_ASSERT_PTR_NOT_NULL(strstr(got, "J0 & J2 & \\num{"));
        free(got);
        free(want);
        el_run_free(rs.run);
        for (i = 0; i < n; i++) {
            el_design_free(kept[i]);
            CU_ASSERT_PTR_NULL(made[i]);
        }
        free(kept);
        free(made);
    }
    el_scenario_free(s);
}

/* ---- Number formatting ---- */

/* el_fmt_sig_str against snprintf("%.*g") on about two million values of every kind and on
 * the hard cases: exact ties at the last digit (which round to even), values next to powers of
 * ten (which change the exponent when they round), every precision from 1 to 17; negative zero
 * prints as 0. */
static void test_fmt_random(void)
{
    uint64_t seed = 42;
    long i, bad = 0, n = 0;
    char a[64], b[64];
    int P, e, t;
#define CHECK_FMT(v, P)                                                             \
    do {                                                                            \
        double v_ = (v);                                                            \
        int p_ = (P);                                                               \
        el_fmt_sig_str(a, sizeof(a), v_, p_);                                       \
        snprintf(b, sizeof(b), "%.*g", p_, v_ == 0 ? 0.0 : v_);                     \
        n++;                                                                        \
        if (strcmp(a, b) != 0 && bad++ < 10)                                        \
            fprintf(stderr, "\n  %%.%dg of %a: '%s', snprintf '%s'", p_, v_, a, b); \
    } while (0)
    for (i = 0; i < 1000000; i++) {
        double v = random_value(&seed);
        CHECK_FMT(v, 12);
        P = 1 + (int)(test_rng(&seed) % 17);
        CHECK_FMT(v, P);
    }
    /* ties: K odd, K / 2^t has P + 1 significant digits, the last a 5 */
    for (i = 0; i < 200000; i++) {
        double lo, hi, v;
        uint64_t K;
        P = 1 + (int)(test_rng(&seed) % 15);
        t = 1 + (int)(test_rng(&seed) % 12);
        lo = pow(10, P) / pow(5, t);
        hi = pow(10, P + 1) / pow(5, t);
        if (hi > 9e15)
            continue;
        lo = lo < 1 ? 1 : lo;
        K = ((uint64_t)lo + test_rng(&seed) % ((uint64_t)(hi - lo) + 1)) | 1;
        v = ldexp((double)K, -t);
        CHECK_FMT(v, P);
        CHECK_FMT(-v, P);
    }
    /* next to powers of ten, below and above, and values that round up to one */
    for (e = -30; e <= 40; e++) {
        double p = pow(10, e), v = p;
        for (t = 0; t < 40; t++, v = nextafter(v, 0))
            for (P = 1; P <= 17; P++)
                CHECK_FMT(v, P);
        for (v = p, t = 0; t < 40; t++, v = nextafter(v, HUGE_VAL))
            CHECK_FMT(v, 12);
        for (P = 1; P <= 17; P++)
            CHECK_FMT(p * (1 - 0.5 * pow(10, -P)), P);
    }
    CHECK_FMT(-0.0, 12);
    CHECK_FMT(5e-324, 12); /* subnormal: snprintf does it */
    CHECK_FMT(1.7976931348623157e308, 12);
#undef CHECK_FMT
    CU_ASSERT(n > 2000000);
    CU_ASSERT_EQUAL(bad, 0);
    el_fmt_sig_str(a, sizeof(a), -0.0, 12);
    CU_ASSERT_STRING_EQUAL(a, "0");
    el_fmt_sig_str(a, 4, 123456.0, 12); /* truncated to fit */
    CU_ASSERT_STRING_EQUAL(a, "123");
}

/* ---- Summary statistics against brute force ---- */

static int cmp_ranked(const void *a, const void *b)
{
    const ElRanked *x = a, *y = b;
    return el_rank_before(x, y) ? -1 : el_rank_before(y, x) ? 1 : 0;
}

/* The first 20 and the last 5 in rank order (gain down, then index up), with many ties, equal
 * those of a full sort. */
static void test_rank(void)
{
    uint64_t seed = 7;
    int trial;
    for (trial = 0; trial < 50; trial++) {
        int n = trial < 10 ? trial * 3 : 1 + (int)(test_rng(&seed) % 3000), i;
        int levels = 1 + (int)(test_rng(&seed) % 50);
        ElRanked *all = calloc((size_t)(n > 0 ? n : 1), sizeof(*all));
        ElRank top, bottom;
        ElError err;
        CU_ASSERT_EQUAL_FATAL(el_rank_init(&top, 20, false, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_rank_init(&bottom, 5, true, &err), EL_OK);
        for (i = 0; i < n; i++) {
            all[i].index = i;
            all[i].gain = (double)(int)(test_rng(&seed) % (uint64_t)levels) - levels / 2;
            snprintf(all[i].id, sizeof(all[i].id), "d%d", i);
            el_rank_add(&top, &all[i]);
            el_rank_add(&bottom, &all[i]);
        }
        el_rank_sort(&top);
        el_rank_sort(&bottom);
        qsort(all, (size_t)n, sizeof(*all), cmp_ranked);
        CU_ASSERT_EQUAL(top.n, n < 20 ? n : 20);
        CU_ASSERT_EQUAL(bottom.n, n < 5 ? n : 5);
        for (i = 0; i < top.n; i++) {
            CU_ASSERT_EQUAL(top.e[i].index, all[i].index);
            CU_ASSERT_STRING_EQUAL(top.e[i].id, all[i].id);
        }
        for (i = 0; i < bottom.n; i++)
            CU_ASSERT_EQUAL(bottom.e[i].index, all[n - bottom.n + i].index);
        el_rank_clear(&top);
        el_rank_clear(&bottom);
        free(all);
    }
}

/* Histogram counts equal a brute-force count of floor(v / w) over the final bins, for uniform,
 * normal-like, heavy-tailed, constant and two-cluster data, after shrinking to 64 bins. */
static void test_hist(void)
{
    uint64_t seed = 11;
    int kind;
    for (kind = 0; kind < 6; kind++) {
        int n = 1 + (int)(test_rng(&seed) % 20000), i, nbins;
        double *v = malloc((size_t)n * sizeof(*v)), w;
        long total = 0;
        int64_t first, k;
        ElHist h;
        el_hist_init(&h);
        for (i = 0; i < n; i++) {
            double u = (double)(test_rng(&seed) >> 11) / 9007199254740992.0;
            switch (kind) {
            case 0:
                v[i] = 1000 * u - 300;
                break;
            case 1:
                v[i] = (u + (double)(test_rng(&seed) >> 11) / 9007199254740992.0 - 1) * 50 + 5;
                break;
            case 2:
                v[i] = 1 / (u + 1e-6) - 1;
                break;
            case 3:
                v[i] = 42.5;
                break;
            case 4:
                v[i] = (i % 2 ? 1e6 : -3) + u;
                break;
            default:
                v[i] = i == 0 ? 0 : (u - 0.5) * 1e-9;
            }
            el_hist_add(&h, v[i]);
        }
        el_hist_shrink(&h, 64, &first, &nbins);
        CU_ASSERT(nbins >= 1 && nbins <= 64);
        CU_ASSERT_EQUAL(h.n, n);
        w = ldexp(1.0, h.e);
        for (k = first; k < first + nbins; k++) {
            long want = 0;
            for (i = 0; i < n; i++)
                want += (int64_t)floor(v[i] / w) == k;
            CU_ASSERT_EQUAL(el_hist_count(&h, k), want);
            total += el_hist_count(&h, k);
        }
        CU_ASSERT_EQUAL(total, n); /* nothing outside the bins shown */
        free(v);
    }
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Quantiles: exact (type 7 on a full sort) while the sample holds every row; past that, the
 * sampled quantile's rank in the full data is within 0.05 of p (sampling error about 0.011
 * for 2,048 rows). The sample is the same for the same seed. */
static void test_quantiles(void)
{
    static const double ps[] = {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1};
    uint64_t seed = 5;
    int trial;
    for (trial = 0; trial < 8; trial++) {
        int n = trial < 4 ? 1 + (int)(test_rng(&seed) % 2048) : 20000 + trial * 5000, i, q;
        double *v = malloc((size_t)n * sizeof(*v)), row[2];
        ElSample sm, sm2;
        ElError err;
        CU_ASSERT_EQUAL_FATAL(el_sample_init(&sm, 2048, 2, 99, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_sample_init(&sm2, 2048, 2, 99, &err), EL_OK);
        for (i = 0; i < n; i++) {
            double u = (double)(test_rng(&seed) >> 11) / 9007199254740992.0;
            v[i] = trial % 2 ? exp(6 * u) : floor(100 * u); /* skewed; many ties */
            row[0] = v[i];
            row[1] = -v[i];
            el_sample_add(&sm, row);
            el_sample_add(&sm2, row);
        }
        qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
        for (q = 0; q < 7; q++) {
            double got = el_sample_quantile(&sm, 0, ps[q]);
            CU_ASSERT_EQUAL(got, el_sample_quantile(&sm2, 0, ps[q]));
            if (n <= 2048) {
                double h = (n - 1) * ps[q], want;
                int lo = (int)floor(h);
                want = lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[n - 1];
                CU_ASSERT_DOUBLE_EQUAL(got, want, 1e-12 * (1 + fabs(want)));
                CU_ASSERT_DOUBLE_EQUAL(el_sample_quantile(&sm, 1, 1 - ps[q]), -want,
                                       1e-12 * (1 + fabs(want)));
            } else {
                long below = 0, upto = 0;
                for (i = 0; i < n; i++) {
                    below += v[i] < got;
                    upto += v[i] <= got;
                }
                /* p lies within the ranks the value occupies, give or take the sampling error */
                CU_ASSERT((double)below / n <= ps[q] + 0.05 && (double)upto / n >= ps[q] - 0.05);
            }
        }
        el_sample_clear(&sm);
        el_sample_clear(&sm2);
        free(v);
    }
}

/* The collector on a real batch: counts, best design, exact min/max/mean of prices, the
 * ranking, against the run kept in memory. */
static void test_summary_collector(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElSummary *sm = NULL;
    ElError err = {EL_OK, ""};
    double best = -HUGE_VAL;
    int d, j, bi = -1;
    char path[160];
    snprintf(path, sizeof(path), "/tmp/etslink-summary-%d.xml", (int)getpid());
    write_big_scenario(path, 2, 60);
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, path, NULL, &err), EL_OK);
    remove(path);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CU_ASSERT_EQUAL_FATAL(el_summary_create(&sm, s, &err), EL_OK);
    CU_ASSERT_EQUAL(el_summary_add(sm, -1, &run->autarky, &err), EL_OK);
    for (d = 0; d < run->ndesigns; d++) {
        CU_ASSERT_EQUAL(el_summary_add(sm, d, &run->designs[d], &err), EL_OK);
        if (run->designs[d].gain > best) {
            best = run->designs[d].gain;
            bi = d;
        }
    }
    el_summary_finish(sm);
    CU_ASSERT_EQUAL(sm->count, 60);
    CU_ASSERT_EQUAL(sm->nsolved, 60);
    CU_ASSERT_EQUAL(sm->best_index, bi);
    CU_ASSERT_EQUAL(sm->top.e[0].index, bi);
    CU_ASSERT_STRING_EQUAL(sm->top.e[0].id, run->designs[bi].id);
    CU_ASSERT_DOUBLE_EQUAL(sm->best.jur[1].price, run->designs[bi].jur[1].price, 0);
    for (j = 0; j < 3; j++) {
        double lo = HUGE_VAL, hi = -HUGE_VAL, sum = 0;
        for (d = 0; d < run->ndesigns; d++) {
            lo = fmin(lo, run->designs[d].jur[j].price);
            hi = fmax(hi, run->designs[d].jur[j].price);
            sum += run->designs[d].jur[j].price;
        }
        CU_ASSERT_DOUBLE_EQUAL(sm->price_min[j], lo, 0);
        CU_ASSERT_DOUBLE_EQUAL(sm->price_max[j], hi, 0);
        CU_ASSERT_DOUBLE_EQUAL(sm->price_sum[j], sum, 1e-9 * (1 + fabs(sum)));
    }
    el_summary_free(sm);
    el_run_free(run);
    el_scenario_free(s);
}

/* Up to EL_REPORT_DETAIL_MAX designs the report details each; one more makes it a summary,
 * which ranks the designs (quota links: the gain grows with the quota, so the last design
 * ranks first) and keeps what the detail report says about the best and worst designs. */
static void test_report_modes(void)
{
    char path[160];
    int k;
    snprintf(path, sizeof(path), "/tmp/etslink-modes-%d.xml", (int)getpid());
    for (k = 0; k < 2; k++) {
        ElScenario *s = NULL;
        ElRun *run;
        ElError err = {EL_OK, ""};
        char *text = NULL;
        write_big_scenario(path, 2, EL_REPORT_DETAIL_MAX + k);
        CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, path, NULL, &err), EL_OK);
        run = test_solve(s);
        CU_ASSERT_FATAL(run != NULL);
        write_all(run, 2, &text);
        if (k == 0) {
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "equilibrium of each design"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\subsection*{Design 20: d19}"));
            CU_ASSERT_PTR_NULL(strstr(text, "statistics"));
        } else {
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "a summary of 21 designs"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\usepgfplotslibrary{statistics}"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains most is \\emph{d20}"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains least is \\emph{d0}"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n1 & 21 & d20 & \\num{"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n21 & 1 & d0 & \\num{"));
            CU_ASSERT_PTR_NULL(strstr(text, "designs, ranked")); /* 21 = 20 + 1: no gap */
        }
        free(text);
        el_run_free(run);
        el_scenario_free(s);
    }
    /* An empty design last in the file ties with d0 (gain 0) and ranks after it; it is the
     * baseline itself, so the least-gaining design named is still the linkage design d0. */
    {
        ElScenario *s = NULL;
        ElRun *run;
        ElError err = {EL_OK, ""};
        char *text = NULL, *xml;
        FILE *f;
        write_big_scenario(path, 2, EL_REPORT_DETAIL_MAX + 1);
        xml = slurp(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
        *strstr(xml, "</scenario>") = '\0';
        f = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fprintf(f, "%s<design id=\"zero\"/>\n</scenario>\n", xml);
        fclose(f);
        free(xml);
        CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, path, NULL, &err), EL_OK);
        run = test_solve(s);
        CU_ASSERT_FATAL(run != NULL);
        write_all(run, 2, &text);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "a summary of 22 designs"));
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains least is \\emph{d0}"));
        CU_ASSERT_PTR_NULL(strstr(text, "gains least is \\emph{zero}"));
        free(text);
        el_run_free(run);
        el_scenario_free(s);
    }
    remove(path);
}

/* ---- Analyses in the report (issue 10): sweeps, searches, sequences ---- */

/* Two jurisdictions with linear MACs: A needs 10 Mt at slope 1, B 30 Mt at slope 2. A quota q
 * on the link A->B binds below 50/3 Mt: then p_A = 10 + q and p_B = 2 (30 - q); above it both
 * pay 80/3. Gains: with the rent to the buyer (B pays p_A) g_A = q^2/2 and g_B = 50 q - 2 q^2;
 * with the rent to the seller (B pays p_B) g_A = 50 q - 5 q^2/2 and g_B = q^2; above 50/3
 * g_A = 1250/9 and g_B = 2500/9 in both. */
#define ANALYSIS_XML(bound)                                                                   \
    "<scenario name=\"t\">\n"                                                                 \
    "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"      \
    "</jurisdiction>\n"                                                                       \
    "<jurisdiction id=\"B\"><bau>100</bau><cap>70</cap><mac><linear slope=\"2\"/></mac>"      \
    "</jurisdiction>\n"                                                                       \
    "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\" rent-to=\"{who}\"/></design>\n" \
    "<design id=\"full\"><group members=\"A B\"/></design>\n"                                 \
    "<sweep id=\"sw\" design=\"q\"><param name=\"q\" from=\"0\" to=\"30\" count=\"31\"/>"     \
    "<param name=\"who\" values=\"buyer seller\"/></sweep>\n"                                 \
    "<search id=\"se\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"                 \
    "<param name=\"who\" values=\"buyer seller\"/><maximize what=\"gain\" of=\"B\"/>"         \
    "<require what=\"gain\" of=\"A\" at-least=\"" bound "\"/></search>\n"                     \
    "<sequence id=\"seq\" designs=\"full\"/>\n"                                               \
    "</scenario>\n"

static double hand_price(int jur, double q)
{
    if (q >= 50.0 / 3)
        return 80.0 / 3;
    return jur == 0 ? 10 + q : 2 * (30 - q);
}

static double hand_gain(int jur, int seller, double q)
{
    if (q >= 50.0 / 3)
        return jur == 0 ? 1250.0 / 9 : 2500.0 / 9;
    if (jur == 0)
        return seller ? 50 * q - 2.5 * q * q : 0.5 * q * q;
    return seller ? q * q : 50 * q - 2 * q * q;
}

/* The longest line of the analyses' sections (those of the designs are tested above). */
static size_t longest_analysis_line(const char *text)
{
    static const char *const heads[] = {
        "\\section*{Sweep: ", "\\section*{Search: ", "\\section*{Sequence: "};
    const char *first = NULL;
    int k;
    for (k = 0; k < 3; k++) {
        const char *at = strstr(text, heads[k]);
        if (at && (!first || at < first))
            first = at;
    }
    CU_ASSERT_PTR_NOT_NULL(first);
    return first ? longest_line(first) : 0;
}

/* Run the designs, then every analysis of s in file order, into a held report writer; the
 * search's and the sequence's results are also handed back (cleared by the caller). */
static char *
analysis_report_on(const ElScenario *s, int threads, ElSearchResult *se, ElSequenceResult *sq)
{
    ElBatchOptions opt = {threads, false, 0};
    ElError err = {EL_OK, ""};
    ElReportWriter *w = NULL;
    ElProducer prod = el_producer_scenario(s);
    ElSink sink;
    const ElSink *sinks[1] = {&sink};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int k;
    CU_ASSERT_EQUAL_FATAL(el_report_writer_create(&w, f, &err), EL_OK);
    el_report_writer_hold(w);
    sink = el_report_writer_sink(w);
    CU_ASSERT_EQUAL(el_batch_solve(s, &prod, &opt, sinks, 1, &err), EL_OK);
    for (k = 0; s->analyses && k < s->analyses->nanalyses; k++) {
        const ElAnalysis *a = s->analyses->analyses[k];
        el_status st = EL_OK;
        if (a->kind == EL_ANALYSIS_SWEEP) {
            sink = el_report_writer_sweep_sink(w, a);
            st = el_sweep_run(s, a, &opt, sinks, 1, &err);
        } else if (a->kind == EL_ANALYSIS_SEARCH) {
            st = el_search_run(s, a, &opt, NULL, NULL, se, &err);
            if (st == EL_OK)
                st = el_report_writer_search(w, se, &err);
        } else {
            st = el_sequence_run(s, a, &opt, sq, &err);
            if (st == EL_OK)
                st = el_report_writer_sequence(w, sq, &err);
        }
        if (st != EL_OK)
            fprintf(stderr, "\n  analysis %s: %s\n", a->id, err.msg);
        CU_ASSERT_EQUAL(st, EL_OK);
    }
    CU_ASSERT_EQUAL(el_report_writer_close(w, &err), EL_OK);
    el_report_writer_free(w);
    fclose(f);
    return text;
}

static char *analysis_report(const ElScenario *s, ElSearchResult *se, ElSequenceResult *sq)
{
    return analysis_report_on(s, 1, se, sq);
}

/* The coordinates of line `line` (0: the first jurisdiction) of chart `chart` (0: the first
 * axis) after `from`: n points into x, y (NaN for a gap); -1 if not found. */
static int chart_coords(const char *from, int chart, int line, double *x, double *y, int max)
{
    const char *p = from;
    int i, n = 0;
    for (i = 0; i <= chart && p; i++)
        if ((p = strstr(p, "\\begin{axis}")) != NULL)
            p++;
    for (i = 0; i <= line && p; i++)
        if ((p = strstr(p, "\\addplot[thick")) != NULL)
            p++;
    if (!p || !(p = strstr(p, "coordinates {")))
        return -1;
    for (p += 13; *p && *p != '}' && n < max; p++) {
        char *e;
        if (*p != '(')
            continue;
        x[n] = strtod(p + 1, &e);
        if (*e != ',')
            return -1;
        y[n] = strtod(e + 1, &e);
        n++;
        p = e;
    }
    return n;
}

static ElScenario *load_text(const char *xml)
{
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    if (el_scenario_load_memory(&s, xml, (long)strlen(xml), "analyses.xml", NULL, &err) != EL_OK)
        fprintf(stderr, "\n  analyses.xml: %s\n", err.msg);
    return s;
}

/* Write text to dir/report.tex, compile it if lualatex is there, and keep nothing. */
static void compile_text(const char *text)
{
    char dir[] = "/tmp/etslink-analyses-XXXXXX", tex[128];
    FILE *f;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    f = fopen(tex, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    compile_if_possible(tex, dir);
    remove(tex);
    rmdir(dir);
}

/* A sweep, a search and a sequence: sections, charts against the hand values above, the
 * regime changes, the optimum, the ranking, the step table; short lines; it compiles. */
static void test_report_analyses(void)
{
    ElScenario *s = load_text(ANALYSIS_XML("0"));
    ElSearchResult se;
    ElSequenceResult sq;
    char *text;
    const char *at;
    double x[64], y[64];
    int who, jur, k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(&se, 0, sizeof(se));
    memset(&sq, 0, sizeof(sq));
    text = analysis_report(s, &se, &sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT(longest_analysis_line(text) <= 350);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "the report shows 3 analyses:\nsweep \\emph{sw},\n"
                                        "search \\emph{se} and\nsequence \\emph{seq}."));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\section*{Sweep: sw}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\section*{Search: se}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\section*{Sequence: seq}"));
    CU_ASSERT(strstr(text, "\\section*{Sweep: sw}") < strstr(text, "\\section*{Search: se}"));
    /* the sweep: prices and gains of A and B at q = 0 .. 30, for either rent-to */
    for (who = 0; who < 2; who++) {
        at = strstr(text, who ? "\\subsection*{who = seller}" : "\\subsection*{who = buyer}");
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        for (jur = 0; jur < 2; jur++) {
            CU_ASSERT_EQUAL_FATAL(chart_coords(at, 0, jur, x, y, 64), 31);
            for (k = 0; k < 31; k++) {
                CHECK_REL(x[k], k);
                CHECK_REL(y[k], hand_price(jur, k));
            }
            CU_ASSERT_EQUAL_FATAL(chart_coords(at, 1, jur, x, y, 64), 31);
            for (k = 0; k < 31; k++)
                CHECK_REL(y[k], hand_gain(jur, who, k));
        }
    }
    /* the quota binds from q = 1 to 16 (50/3 Mt is where it stops binding) */
    at = strstr(text, "\\subsection*{who = buyer}");
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\num{16} to \\num{17} & change & from quota "
                                      "A-{}\\textgreater{}B\nto none \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\num{30} & last & none \\\\"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "--cycle;")); /* regimes shaded */
    /* the search: rent to the buyer, q = 12.5 (50 - 4q = 0), g_B = 312.5, g_A = 78.125 */
    CU_ASSERT_TRUE(se.found);
    at = strstr(text, "\\section*{Search: se}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{Optimum found.}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "q & \\num{12.5} \\\\\nwho & buyer \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "gain of B (million "));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, " & \\num{312.5000} \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "A & \\num{22.50} & \\num{78.1")); /* 78.125 */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "B & \\num{35.00} & \\num{312.50} & -- \\\\\n"));
    /* ranked: the seller's best is 2500/9 at any q >= 50/3 */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\subsection*{Ranking of the 2 combinations"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "who~=~seller & \\num{277.7778} & yes \\\\\n"));
    CU_ASSERT_PTR_NULL(strstr(at, "Pareto front")); /* one objective */
    /* the sequence: the group prices at 80/3; g_A = 1250/9, g_B = 2500/9 */
    at = strstr(text, "\\section*{Sequence: seq}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{Every step is a Pareto improvement.}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "1 & full & \\num{138.89} & \\num{277.78} & \\num{416.67} "
                                      "& \\num{416.67} & yes \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "const plot"));
    CU_ASSERT_EQUAL_FATAL(chart_coords(at, 0, 1, x, y, 64), 3); /* autarky, step 1, past it */
    CHECK_REL(y[0], 0);
    CHECK_REL(y[1], 2500.0 / 9);
    CHECK_REL(y[2], 2500.0 / 9);
    CU_ASSERT_PTR_NULL(negative_zero(text));
    compile_text(text);
    free(text);
    el_search_result_clear(&se);
    el_sequence_result_clear(&sq);
    el_scenario_free(s);
}

/* Requirements no point meets: the report says so and shows the point that misses them least.
 * g_A is at most 250 (rent to the seller, q = 10): a requirement of 1000 is missed by 750 or,
 * between the search's scan points, by a little more. Two objectives: a Pareto front. */
static void test_report_search_not_found(void)
{
    ElScenario *s = load_text(ANALYSIS_XML("1000"));
    ElSearchResult se;
    ElSequenceResult sq;
    char *text, want[200], miss[64];
    memset(&se, 0, sizeof(se));
    memset(&sq, 0, sizeof(sq));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    text = analysis_report(s, &se, &sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_FALSE(se.found);
    CU_ASSERT(-se.best.margin >= 750 - 1e-6 && -se.best.margin <= 750.2);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\textbf{No point meets every requirement.}"));
    el_fmt_fixed_str(miss, sizeof(miss), -se.best.margin, 4);
    snprintf(want, sizeof(want), "it misses gain of A at least \\num{1000} (million ");
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    snprintf(want, sizeof(want), ") by \\num{%s}.", miss);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "who & seller \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Meets every requirement & no \\\\\n"));
    CU_ASSERT(longest_analysis_line(text) <= 350);
    free(text);
    el_search_result_clear(&se);
    el_sequence_result_clear(&sq);
    el_scenario_free(s);
}

/* Two objectives over q alone with the rent to the buyer: the front runs from q = 12.5 (g_B
 * 312.5, g_A 78.125) to q = 50/3 (g_B 2500/9, g_A 1250/9), where g_A = q^2/2 and
 * g_B = 50 q - 2 q^2; below 12.5 both fall, so no point there is on it. */
static void test_report_pareto(void)
{
    static const char xml[] =
        "<scenario name=\"t\">\n"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>70</cap><mac><linear slope=\"2\"/></mac>"
        "</jurisdiction>\n"
        "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\"/></design>\n"
        "<search id=\"two\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"
        "<maximize what=\"gain\" of=\"B\"/><maximize what=\"gain\" of=\"A\"/></search>\n"
        "</scenario>\n";
    ElScenario *s = load_text(xml);
    ElSearchResult se;
    ElSequenceResult sq;
    double x[500], y[500];
    char *text;
    const char *at;
    int n, k;
    memset(&se, 0, sizeof(se));
    memset(&sq, 0, sizeof(sq));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    text = analysis_report(s, &se, &sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    at = strstr(text, "\\subsection*{Pareto front}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    n = chart_coords(at, 0, 0, x, y, 500);
    CU_ASSERT_FATAL(n >= 2);
    CHECK_REL(x[0], 312.5);
    CHECK_REL(y[0], 78.125);
    for (k = 0; k < n; k++) { /* on the curve: q from g_A, then g_B */
        double q = sqrt(2 * y[k]);
        CU_ASSERT(q >= 12.5 - 1e-6 && q <= 50.0 / 3 + 1e-6);
        CHECK_REL(x[k], 50 * q - 2 * q * q);
        if (k > 0)
            CU_ASSERT(x[k] < x[k - 1] && y[k] > y[k - 1]);
    }
    CHECK_REL(x[n - 1], 2500.0 / 9);
    CHECK_REL(y[n - 1], 1250.0 / 9);
    CU_ASSERT(longest_analysis_line(text) <= 350);
    compile_text(text);
    free(text);
    el_search_result_clear(&se);
    el_sequence_result_clear(&sq);
    el_scenario_free(s);
}

/* 2,001 values along the axis: the lines keep every 6th value (at most 400), the last, and the
 * points on either side of each change of regime (q = 16.665 and 16.68 around 50/3), each at
 * its hand value. */
static void test_report_sweep_strided(void)
{
    static const char xml[] =
        "<scenario name=\"t\">\n"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>70</cap><mac><linear slope=\"2\"/></mac>"
        "</jurisdiction>\n"
        "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\"/></design>\n"
        "<sweep id=\"big\" design=\"q\"><param name=\"q\" from=\"0\" to=\"30\" "
        "count=\"2001\"/></sweep>\n"
        "</scenario>\n";
    ElScenario *s = load_text(xml);
    ElSearchResult se;
    ElSequenceResult sq;
    static double x[3000], y[3000];
    char *text;
    int n, k, i, found[2001];
    memset(&se, 0, sizeof(se));
    memset(&sq, 0, sizeof(sq));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    text = analysis_report(s, &se, &sq);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "every 6th value"));
    n = chart_coords(strstr(text, "\\section*{Sweep: big}"), 0, 1, x, y, 3000);
    CU_ASSERT(n >= 337 && n <= 338); /* 334 multiples of 6, 1111, 1112, 2000 (and q = 0.015
                                        if q = 0 has a regime of its own) */
    memset(found, 0, sizeof(found));
    for (i = 0; i < n; i++) {
        k = (int)lround(x[i] / 0.015);
        CU_ASSERT(k >= 0 && k <= 2000 && (i == 0 || x[i] > x[i - 1]));
        if (k >= 0 && k <= 2000)
            found[k] = 1;
        CHECK_REL(y[i], hand_price(1, x[i]));
    }
    for (k = 0; k <= 2000; k++)
        if (k % 6 == 0 || k == 1111 || k == 1112 || k == 2000)
            CU_ASSERT(found[k]);
    CU_ASSERT(longest_analysis_line(text) <= 350);
    compile_text(text);
    free(text);
    el_scenario_free(s);
}

/* Points without an equilibrium are gaps: A can abate 20 Mt (slope 1), B 40 Mt (slope 2); in
 * a group with B's cap c they need 10 + 100 - c <= 60 Mt, so c < 50 has no equilibrium; from
 * 50 to 80 A is at the end of its curve and the price is B's, 2 (90 - c). */
static void test_report_sweep_gaps(void)
{
    static const char xml[] =
        "<scenario name=\"t\">\n"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><points><point q=\"0\" "
        "p=\"0\"/><point q=\"20\" p=\"20\"/></points></mac></jurisdiction>\n"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>70</cap><mac><points><point q=\"0\" "
        "p=\"0\"/><point q=\"40\" p=\"80\"/></points></mac></jurisdiction>\n"
        "<design id=\"g\"><group members=\"A B\"/><set jurisdiction=\"B\" cap=\"{c}\"/></design>\n"
        "<sweep id=\"gaps\" design=\"g\"><param name=\"c\" from=\"41\" to=\"71\" "
        "count=\"16\"/></sweep>\n"
        "</scenario>\n";
    ElScenario *s = load_text(xml);
    double x[32], y[32];
    char *text;
    int n, k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    text = analysis_report(s, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "5 of the points have no equilibrium; they are gaps"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\addplot[fill=black!18, draw=none"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\num{49} to \\num{51} & change & from no equilibrium"));
    n = chart_coords(strstr(text, "\\section*{Sweep: gaps}"), 0, 1, x, y, 32);
    CU_ASSERT_EQUAL_FATAL(n, 16);
    for (k = 0; k < n; k++) {
        double c = 41 + 2 * k;
        CHECK_REL(x[k], c);
        if (c < 50) {
            CU_ASSERT(isnan(y[k]));
        } else {
            CHECK_REL(y[k], 2 * (90 - c));
        }
    }
    CU_ASSERT(longest_analysis_line(text) <= 350);
    compile_text(text);
    free(text);
    el_scenario_free(s);
}

/* The analyses' sections are the same bytes on 1 and 3 threads. */
static void test_report_analyses_threads(void)
{
    ElScenario *s = load_text(ANALYSIS_XML("0"));
    ElSearchResult se[2];
    ElSequenceResult sq[2];
    char *text[2];
    int k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    for (k = 0; k < 2; k++) {
        memset(&se[k], 0, sizeof(se[k]));
        memset(&sq[k], 0, sizeof(sq[k]));
        text[k] = analysis_report_on(s, k ? 3 : 1, &se[k], &sq[k]);
    }
    CU_ASSERT(text[0] && text[1] && strcmp(text[0], text[1]) == 0);
    for (k = 0; k < 2; k++) {
        free(text[k]);
        el_search_result_clear(&se[k]);
        el_sequence_result_clear(&sq[k]);
    }
    el_scenario_free(s);
}

/* A held writer of a scenario without analyses writes the report byte for byte as before. */
static void test_report_held_unchanged(void)
{
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    char *text, *want = slurp("golden/small/report.tex");
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "golden/small/input.xml", NULL, &err), EL_OK);
    text = analysis_report(s, NULL, NULL);
    CU_ASSERT(want && text && strcmp(want, text) == 0);
    free(text);
    free(want);
    el_scenario_free(s);
}

/* ---- Coalitions: results.xml, results.csv and coalitions.csv from games given by values ---- */

/* The coalition writers on res: text[0] results.xml (validated against the embedded schema),
 * text[1] results.csv, text[2] coalitions.csv. */
static void write_coalition_files(const ElScenario *s, const ElCoalitionResult *res, char **text)
{
    char dir[] = "/tmp/etslink-coal-XXXXXX", path[160], id[] = "g";
    ElAnalysis a;
    ElError err;
    int k;
    memset(&a, 0, sizeof(a));
    a.id = id;
    a.kind = EL_ANALYSIS_COALITIONS;
    a.rules = -1;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    for (k = 0; k < 3; k++) {
        ElResultsWriter *w = NULL;
        FILE *f;
        snprintf(path, sizeof(path), "%s/%d", dir, k);
        f = fopen(path, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        if (k < 2) {
            ElSink sink;
            CU_ASSERT_EQUAL_FATAL(
                el_results_writer_create(&w, k ? EL_RESULTS_CSV : EL_RESULTS_XML, f, "x", &err),
                EL_OK);
            sink = el_results_writer_sink(w);
            CU_ASSERT_EQUAL(sink.begin(sink.ctx, s, 0, &err), EL_OK);
        } else {
            CU_ASSERT_EQUAL_FATAL(el_results_writer_create_coalitions(&w, f, "c", s, &err), EL_OK);
        }
        CU_ASSERT_EQUAL(el_results_writer_coalitions(w, &a, res, &err), EL_OK);
        CU_ASSERT_EQUAL(el_results_writer_close(w, &err), EL_OK);
        el_results_writer_free(w);
        fclose(f);
        text[k] = slurp(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text[k]);
        if (k == 0)
            CU_ASSERT_EQUAL(el_xml_validate_file(path, el_results_schema(), &err), EL_OK);
        remove(path);
    }
    rmdir(dir);
}

/* The value of the coalitions.csv row that starts with prefix ("g,COALITION,MEMBER,VARIABLE,"),
 * NaN without one. */
static double coal_value(const char *text, const char *prefix)
{
    const char *at = text;
    size_t n = strlen(prefix);
    while (at) {
        if (strncmp(at, prefix, n) == 0)
            return strtod(at + n, NULL);
        at = strchr(at, '\n');
        at = at ? at + 1 : NULL;
    }
    return nan("");
}

static int count_lines(const char *text, const char *part)
{
    int n = 0;
    const char *at;
    for (at = strstr(text, part); at; at = strstr(at + 1, part))
        n++;
    return n;
}

/* Three members: v(AB) = 4, v(AC) = 3, v(BC) = 2, v(ABC) = 5, singletons 0; gains at market
 * prices AB (2, 2), AC (1.5, 1.5), BC (1, 1), ABC (2, 2, 1). By hand: Shapley
 * phi_A = 4/6 + 3/6 + (5 - 2)/3 = 13/6, phi_B = 4/6 + 2/6 + (5 - 3)/3 = 5/3, phi_C = 7/6; the
 * least core: x_C <= 1 - e, x_B <= 2 - e, x_A <= 3 - e with sum 5 gives e = 1/3 at (8/3, 5/3,
 * 2/3), a single point and so also the nucleolus; Bell(3) = 5 partitions; {A B}{C} is worth 4
 * (loss 1, a fifth) and stable at market gains: no coalition pays all its members strictly more
 * than A 2, B 2, C 0. Then 17 members, v(S) = S^2 (the mask as a number): coalitions.csv keeps
 * the 20 largest, the masks full, full - 1, ..., full - 19. */
static void test_coalition_files(void)
{
    static const double bau[17] = {0}, zero[17] = {0};
    double slope[17], v[8] = {0, 0, 0, 4, 0, 3, 2, 5}, gains[8 * 3] = {0}, *big;
    ElScenario *s;
    ElCoalitionResult res;
    ElSettings set;
    ElError err;
    char *text[3], want[512], row[128];
    unsigned full = (1u << 17) - 1u, m;
    int k, i;
    for (k = 0; k < 17; k++)
        slope[k] = 1;
    s = test_linear_scenario(3, bau, zero, slope, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    gains[3 * 3 + 0] = gains[3 * 3 + 1] = 2;
    gains[5 * 3 + 0] = gains[5 * 3 + 2] = 1.5;
    gains[6 * 3 + 1] = gains[6 * 3 + 2] = 1;
    gains[7 * 3 + 0] = gains[7 * 3 + 1] = 2;
    gains[7 * 3 + 2] = 1;
    el_settings_default(&set);
    memset(&res, 0, sizeof(res));
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(3, NULL, v, gains, &res.game, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_core(&res.game, &set, &res.core, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_nucleolus(&res.game, &set, res.nucleolus, &err), EL_OK);
    res.have_nucleolus = true;
    CU_ASSERT_EQUAL_FATAL(el_game_structures(&res.game, &set, &res.structures, &err), EL_OK);
    res.have_structures = true;
    write_coalition_files(s, &res, text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text[0], "<structures partitions=\"5\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text[0],
                                  "<structure blocks=\"{J0 J1 J2}\" value=\"5\" loss=\"0\" "
                                  "loss-share=\"0\" "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text[0], "<structure blocks=\"{J0 J1}{J2}\" value=\"4\" "
                                           "loss=\"1\" loss-share=\"0.2\" stable-market=\"true\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(text[1], "\r\ng,total,partitions,5,\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text[1], "\r\ng,total,structure_value,4,{J0 J1}{J2}\r\n"));
    CU_ASSERT(strncmp(text[2], "analysis,coalition,member,variable,value\r\n", 42) == 0);
    CHECK_REL(coal_value(text[2], "g,,J0,shapley,"), 13.0 / 6);
    CHECK_REL(coal_value(text[2], "g,,J1,shapley,"), 5.0 / 3);
    CHECK_REL(coal_value(text[2], "g,,J2,shapley,"), 7.0 / 6);
    CHECK_REL(coal_value(text[2], "g,,J0,transfer,"), 13.0 / 6 - 2);
    CHECK_REL(coal_value(text[2], "g,,,least_core,"), 1.0 / 3);
    CHECK_REL(coal_value(text[2], "g,,J0,least_core,"), 8.0 / 3);
    CHECK_REL(coal_value(text[2], "g,,J1,nucleolus,"), 5.0 / 3);
    CHECK_REL(coal_value(text[2], "g,,J2,nucleolus,"), 2.0 / 3);
    CHECK_REL(coal_value(text[2], "g,,,partitions,"), 5);
    CHECK_REL(coal_value(text[2], "g,{J0 J1}{J2},,value,"), 4);
    CHECK_REL(coal_value(text[2], "g,{J0 J1}{J2},,loss_share,"), 0.2);
    CHECK_REL(coal_value(text[2], "g,{J0 J1}{J2},,stable_market,"), 1);
    CHECK_REL(coal_value(text[2], "g,{J0 J1}{J2},,blocks,"), 2);
    CHECK_REL(coal_value(text[2], "g,J0 J2,,value,"), 3);
    CHECK_REL(coal_value(text[2], "g,J0 J2,J2,gain,"), 1.5);
    CHECK_REL(coal_value(text[2], "g,J1,,value,"), 0);
    /* every coalition has a value row (7), each member of each a gain row (3 + 3 x 2 + 3) */
    CU_ASSERT_EQUAL(count_lines(text[2], ",,value,") - count_lines(text[2], "},,value,"), 7);
    CU_ASSERT_EQUAL(count_lines(text[2], ",gain,"), 12);
    for (k = 0; k < 3; k++)
        free(text[k]);
    el_coalition_result_clear(&res);
    el_scenario_free(s);

    /* 17 members: the top 20 coalitions only; no gains, structures or nucleolus */
    s = test_linear_scenario(17, bau, zero, slope, NULL);
    big = malloc(sizeof(double) * ((size_t)full + 1));
    CU_ASSERT_FATAL(s && big);
    for (m = 0; m <= full; m++)
        big[m] = (double)m * (double)m;
    memset(&res, 0, sizeof(res));
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(17, NULL, big, NULL, &res.game, &err), EL_OK);
    res.core.x = el_calloc(17, sizeof(double)); /* not solved: the writer only copies it */
    CU_ASSERT_FATAL(res.core.x != NULL);
    res.core.market_in_core = true;
    write_coalition_files(s, &res, text);
    CU_ASSERT_EQUAL(count_lines(text[2], ",,value,"), 20);
    CU_ASSERT_PTR_NULL(strstr(text[2], ",gain,"));
    CU_ASSERT_PTR_NULL(strstr(text[2], "partitions"));
    CU_ASSERT_PTR_NULL(strstr(text[2], "nucleolus"));
    CU_ASSERT_PTR_NULL(strstr(text[0], "<structures"));
    for (k = 0; k < 20; k++) {
        size_t len;
        m = full - (unsigned)k;
        snprintf(want, sizeof(want), "\r\ng,");
        for (i = 0; i < 17; i++)
            if ((m >> i) & 1u) {
                len = strlen(want);
                snprintf(want + len, sizeof(want) - len, "%sJ%d", want[len - 1] == ',' ? "" : " ",
                         i);
            }
        len = strlen(want);
        snprintf(row, sizeof(row), ",,value,%.0f\r\n", (double)m * (double)m);
        snprintf(want + len, sizeof(want) - len, "%s", row);
        CU_ASSERT_PTR_NOT_NULL(strstr(text[2], want));
    }
    for (k = 0; k < 3; k++)
        free(text[k]);
    free(big);
    el_coalition_result_clear(&res);
    el_scenario_free(s);
}

/* ---- Coalition games in the report (issue 11) ---- */

#define COALITION_XML                                                                       \
    "<scenario name=\"t\" currency=\"EUR\">\n"                                              \
    "<jurisdiction id=\"A\" name=\"Alpha &amp; Co \xe2\x80\x94 \xed\x95\x9c\xea\xb5\xad\">" \
    "<bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac></jurisdiction>\n"          \
    "<jurisdiction id=\"B\" name=\"Beta\"><bau>100</bau><cap>90</cap><mac><linear "         \
    "slope=\"1\"/></mac></jurisdiction>\n"                                                  \
    "<jurisdiction id=\"C\" name=\"Gamma\"><bau>100</bau><cap>90</cap><mac><linear "        \
    "slope=\"1\"/></mac></jurisdiction>\n"                                                  \
    "<coalitions id=\"g\"/>\n<coalitions id=\"h\"/>\n"                                      \
    "</scenario>\n"

/* The coordinates of the bars after `from` filled with colour `fill`: n points into x, y. */
static int bar_coords(const char *from, const char *fill, double *x, double *y, int max)
{
    char key[64];
    const char *p;
    int n = 0;
    snprintf(key, sizeof(key), "\\addplot[fill=%s", fill);
    p = from ? strstr(from, key) : NULL;
    if (!p || !(p = strstr(p, "coordinates {")))
        return -1;
    for (p += 13; *p && *p != '}' && n < max; p++) {
        char *e;
        if (*p != '(')
            continue;
        x[n] = strtod(p + 1, &e);
        if (*e != ',')
            return -1;
        y[n] = strtod(e + 1, &e);
        n++;
        p = e;
    }
    return n;
}

/* Two hand-made games of A, B, C (values in million EUR), added to a held report writer and
 * cleared before it writes (the report keeps its own copy):
 * g: v(AB) = 4, v(AC) = 6, v(BC) = 8, v(ABC) = 12; market gains AB (1, 3), AC (2, 4),
 *    BC (5, 3), ABC (1, 7, 4). By hand: Shapley A = (4 + 6 + 2 (12 - 8)) / 6 = 3, B = 4, C = 5;
 *    transfers +2, -3, +1. Least core: the three pair rows tight at eps = 2 (2 x 12 = 18 + 3 eps)
 *    give x = (2, 4, 6), the nucleolus. Market not in the core: AC gets 5 of its 6. Partitions:
 *    {ABC} stable under both rules; {A}{BC} (8, loss 4 = 33.3%) blocked under market payoffs by
 *    AC (A 2 > 0, C 4 > 3, least 1; ABC ties at 1 with a larger mask), stable under Shapley
 *    payoffs (halves: A 0, B 4, C 4; no coalition gives all its members more); {AC}{B} (6, loss
 *    6 = 50%) stable under market payoffs (A 2, C 4, B 0: AB gives A 1, BC gives C 3), blocked
 *    under Shapley payoffs by BC (B 4 > 0, C 4 > 3); {AB}{C} and autarky unstable, not listed.
 * h: v(AB) = v(AC) = v(BC) = 10, v(ABC) = 9, no market gains: not superadditive by 1; the core
 *    is empty with eps = -4 (2 x 9 = 30 + 3 eps), x = (3, 3, 3); the market allocation (zero)
 *    is blocked most by AB, worth 10. */
static void test_report_coalitions(void)
{
    static const double vg[8] = {0, 0, 0, 4, 0, 6, 8, 12};
    static const double gg[24] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0,
                                  0, 0, 0, 2, 0, 4, 0, 5, 3, 1, 7, 4};
    static const double vh[8] = {0, 0, 0, 10, 0, 10, 10, 9};
    ElScenario *s = load_text(COALITION_XML);
    ElCoalitionResult r;
    ElError err = {EL_OK, ""};
    ElBatchOptions opt = {.threads = 1};
    ElReportWriter *w = NULL;
    ElProducer prod;
    ElSink sink;
    const ElSink *sinks[1] = {&sink};
    const int members[3] = {0, 1, 2};
    char *text = NULL;
    const char *at, *h;
    size_t len = 0;
    double x[8], y[8];
    FILE *f;
    int k;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(s->analyses->nanalyses, 2);
    prod = el_producer_scenario(s);
    f = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL_FATAL(el_report_writer_create(&w, f, &err), EL_OK);
    el_report_writer_hold(w);
    sink = el_report_writer_sink(w);
    CU_ASSERT_EQUAL(el_batch_solve(s, &prod, &opt, sinks, 1, &err), EL_OK);
    /* g */
    memset(&r, 0, sizeof(r));
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(3, members, vg, gg, &r.game, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_core(&r.game, &s->settings, &r.core, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_nucleolus(&r.game, &s->settings, r.nucleolus, &err), EL_OK);
    r.have_nucleolus = true;
    CU_ASSERT_EQUAL_FATAL(el_game_structures(&r.game, &s->settings, &r.structures, &err), EL_OK);
    r.have_structures = true;
    CU_ASSERT_EQUAL(el_report_writer_coalitions(w, s->analyses->analyses[0], &r, &err), EL_OK);
    el_coalition_result_clear(&r);
    /* h */
    CU_ASSERT_EQUAL_FATAL(el_game_from_values(3, members, vh, NULL, &r.game, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_core(&r.game, &s->settings, &r.core, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_game_nucleolus(&r.game, &s->settings, r.nucleolus, &err), EL_OK);
    r.have_nucleolus = true;
    CU_ASSERT_EQUAL(el_report_writer_coalitions(w, s->analyses->analyses[1], &r, &err), EL_OK);
    el_coalition_result_clear(&r);
    CU_ASSERT_EQUAL(el_report_writer_close(w, &err), EL_OK);
    el_report_writer_free(w);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "the report shows 2 analyses:\ncoalition game "
                                        "\\emph{g} and\ncoalition game \\emph{h}."));
    at = strstr(text, "\\section*{Coalitions: g}");
    h = strstr(text, "\\section*{Coalitions: h}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(at < h);
    CU_ASSERT(longest_line(at) <= 350);
    /* g: the verdicts */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "of the 3 members A,\nB and\nC: each of the \\num{4} "
                                      "coalitions"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "worth \\num{12.00}\\,million EUR a year"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{Superadditive:}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{The core is not empty} (least-core value "
                                      "\\num{2.00})"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "at least its value and \\num{2.00}\\,million EUR more"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{The market allocation is not in the core:} "
                                      "\\{A C\\} is worth \\num{6.00}\\,million EUR, but at the "
                                      "grand coalition's prices its members gain \\num{5.00}, "
                                      "\\num{1.00} less"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "B pays \\num{3.00} and\nA and\nC receive \\num{3.00}"
                                      "\\,million EUR a year in all."));
    /* g: the chart, market gains (1, 7, 4) and Shapley values (3, 4, 5) */
    CU_ASSERT_EQUAL_FATAL(bar_coords(at, "etslinkmarket", x, y, 8), 3);
    for (k = 0; k < 3; k++)
        CHECK_REL(x[k], k + 1);
    CHECK_REL(y[0], 1);
    CHECK_REL(y[1], 7);
    CHECK_REL(y[2], 4);
    CU_ASSERT_EQUAL_FATAL(bar_coords(at, "etslinkshapley", x, y, 8), 3);
    CHECK_REL(y[0], 3);
    CHECK_REL(y[1], 4);
    CHECK_REL(y[2], 5);
    CU_ASSERT(strstr(at, "etslinkshapley] coordinates") < h);
    /* g: members, market gain, Shapley value, transfer, nucleolus (2, 4, 6) */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "Member & Name & Market gain & Shapley value & Transfer & "
                                      "Nucleolus \\\\\n & & (MEUR) & (MEUR) & (MEUR) & (MEUR)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "Alpha \\& Co \xe2\x80\x94 \xed\x95\x9c\xea\xb5\xad & "
                                      "\\num{1.00} & \\num{3.00} & $+$\\num{2.00} & \\num{2.00} "
                                      "\\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "B & \\raggedright Beta & \\num{7.00} & \\num{4.00} & "
                                      "\\num{-3.00} & \\num{4.00} \\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "C & \\raggedright Gamma & \\num{4.00} & \\num{5.00} & "
                                      "$+$\\num{1.00} & \\num{6.00} \\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "Total &  & \\num{12.00} & \\num{12.00} & \\num{0.00} & "
                                      "\\num{12.00} \\\\\n"));
    /* g: the coalitions by value, with their share of 12 */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "The 4 coalitions of two or more members"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "1 & \\raggedright A B C & 3 & \\num{12.00} & "
                                      "\\num{100.0} \\tabularnewline\n\\addlinespace[2pt]\n"
                                      "2 & \\raggedright B C & 2 & \\num{8.00} & \\num{66.7} "
                                      "\\tabularnewline\n\\addlinespace[2pt]\n"
                                      "3 & \\raggedright A C & 2 & \\num{6.00} & \\num{50.0} "
                                      "\\tabularnewline\n\\addlinespace[2pt]\n"
                                      "4 & \\raggedright A B & 2 & \\num{4.00} & \\num{33.3} "
                                      "\\tabularnewline\n"));
    /* g: the structures */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "examined: \\num{5} partitions."));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "Stable under market payoffs: \\textbf{2}; under Shapley "
                                      "payoffs: \\textbf{2}."));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "worth \\num{12.00}\\,million EUR, as much as the grand "
                                      "coalition.\nWith transfers between members, 1 partition "
                                      "has a non-empty"));
    CU_ASSERT_PTR_NOT_NULL(strstr(
        at, "\\raggedright \\{A B C\\} & \\num{12.00} & \\num{0.00} & \\num{0.0} & \\raggedright "
            "stable & \\raggedright stable \\tabularnewline\n\\addlinespace[2pt]\n"
            "\\raggedright \\{A\\}\\hspace{0.4em}\\{B C\\} & \\num{8.00} & \\num{4.00} & "
            "\\num{33.3} & \\raggedright blocked by \\{A C\\} & \\raggedright stable "
            "\\tabularnewline\n\\addlinespace[2pt]\n"
            "\\raggedright \\{A C\\}\\hspace{0.4em}\\{B\\} & \\num{6.00} & \\num{6.00} & "
            "\\num{50.0} & \\raggedright stable & \\raggedright blocked by \\{B C\\} "
            "\\tabularnewline\n\\end{longtable}"));
    /* h */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "\\textbf{Not superadditive:} "));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, " gain \\num{1.00}\\,million EUR more apart (\\num{10.00} "
                                     "and \\num{0.00}) than linked together (\\num{9.00})."));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "\\textbf{The core is empty} (least-core value "
                                     "\\num{-4.00}):\nhowever the grand coalition's gain is "
                                     "shared, some coalition gets at least \\num{4.00}\\,million "
                                     "EUR less than its value"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "\\textbf{The market allocation is not in the core:} "
                                     "\\{A B\\} is worth \\num{10.00}\\,million EUR, but at the "
                                     "grand coalition's prices its members gain \\num{0.00}, "
                                     "\\num{10.00} less"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "A,\nB and\nC receive \\num{9.00}\\,million EUR a year in "
                                     "all."));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "A & \\raggedright Alpha \\& Co"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, " & \\num{0.00} & \\num{3.00} & $+$\\num{3.00} & "
                                     "\\num{3.00} \\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "Coalition structures were not examined."));
    CU_ASSERT_PTR_NULL(negative_zero(text));
    compile_text(text);
    free(text);
    el_scenario_free(s);
}

/* ---- Uncertainty in the report (issue 12) ---- */

#define UNCERTAINTY_XML                                                                  \
    "<scenario name=\"t\" currency=\"EUR\">\n"                                           \
    "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>" \
    "</jurisdiction>\n"                                                                  \
    "<jurisdiction id=\"B\"><bau>60</bau><cap>50</cap><mac><linear slope=\"2\"/></mac>"  \
    "</jurisdiction>\n"                                                                  \
    "<design id=\"ab\" title=\"A–B link\"><group members=\"A B\"/></design>\n"         \
    "<uncertainty id=\"u\" draws=\"1000\" seed=\"42\" designs=\"ab\">"                   \
    "<shock jurisdiction=\"A\" on=\"bau\" sd=\"5\"/>"                                    \
    "<shock id=\"kb\" jurisdiction=\"B\" on=\"bau\" sd=\"3\" dist=\"lognormal\"/>"       \
    "<correlation a=\"A\" b=\"kb\" rho=\"0.25\"/></uncertainty>\n"                       \
    "</scenario>\n"

/* A summary with quantiles q (5, 25, 50, 75, 95%). */
static void unc_summary(ElUncSummary *x, long n, double mean, double sd, double se, const double *q)
{
    int i;
    x->n = n;
    x->mean = mean;
    x->sd = sd;
    x->se = se;
    for (i = 0; i < EL_UQ; i++)
        x->q[i] = q ? q[i] : mean;
    x->min = q ? q[0] - 1 : mean;
    x->max = q ? q[EL_UQ - 1] + 1 : mean;
}

/* The number after `key` in text (after `from`), or NaN. */
static double number_after(const char *from, const char *key)
{
    const char *p = from ? strstr(from, key) : NULL;
    return p ? strtod(p + strlen(key), NULL) : nan("");
}

/* An uncertainty result made by hand, allocated as engine/uncertainty.c does: design ab (slot 1)
 * and autarky (slot 0), jurisdictions A and B, 1,000 draws of which 3 invalid, 2 without
 * autarky, 5 without ab's equilibrium (990 used). ab's expected total gain 7 (s.e. 0.5), its
 * gain at the mean draw 9: effort sharing 9, risk sharing 7 - 9 = -2 (-28.6% of 7), a negative
 * part. A gains 10 (s.e. 0.4) of which effort 8, risk 2, loses in 10% of the draws (s.e.
 * 0.95 pp); B gains -1 (0.3), effort 1, risk -2, loses in 60% (1.56 pp). Prices: autarky A
 * 10/15/20/25/30 (mean 20, s.d. 6), B 40/45/50/55/60 (50, 6); linked both 25/28/30/32/35 (30,
 * 3.5): the variance changes by 3.5^2 - 6^2 = -23.75. */
static void unc_result(ElUncertaintyResult *r, const ElAnalysis *a)
{
    static const double qa[EL_UQ] = {10, 15, 20, 25, 30}, qb[EL_UQ] = {40, 45, 50, 55, 60},
                        ql[EL_UQ] = {25, 28, 30, 32, 35};
    size_t nser = 2 * 2;
    memset(r, 0, sizeof(*r));
    r->a = a;
    r->nd = 1;
    r->njur = 2;
    r->draws = 1000;
    r->invalid = 3;
    r->no_autarky = 2;
    r->rank_error = 0.0025;
    r->no_eq = el_calloc(2, sizeof(long));
    r->used = el_calloc(2, sizeof(long));
    r->jur = el_calloc(nser * EL_UV_COUNT, sizeof(ElUncSummary));
    r->total = el_calloc(2, sizeof(ElUncSummary));
    r->p_loss = el_calloc(nser, sizeof(double));
    r->p_loss_se = el_calloc(nser, sizeof(double));
    r->price_var_change = el_calloc(nser, sizeof(double));
    r->effort = el_calloc(nser, sizeof(double));
    r->effort_total = el_calloc(2, sizeof(double));
    CU_ASSERT_FATAL(r->no_eq && r->used && r->jur && r->total && r->p_loss && r->p_loss_se &&
                    r->price_var_change && r->effort && r->effort_total);
    r->used[0] = 995;
    r->used[1] = 990;
    r->no_eq[1] = 5;
    unc_summary(&r->total[0], 995, 0, 0, 0, NULL);
    unc_summary(&r->total[1], 990, 7, 15.7, 0.5, NULL);
    r->effort_total[1] = 9;
    /* autarky: A (0), B (1) */
    unc_summary(&r->jur[0 * EL_UV_COUNT + EL_UV_PRICE], 995, 20, 6, 0.19, qa);
    unc_summary(&r->jur[1 * EL_UV_COUNT + EL_UV_PRICE], 995, 50, 6, 0.19, qb);
    unc_summary(&r->jur[0 * EL_UV_COUNT + EL_UV_GAIN], 995, 0, 0, 0, NULL);
    unc_summary(&r->jur[1 * EL_UV_COUNT + EL_UV_GAIN], 995, 0, 0, 0, NULL);
    r->price_var_change[0] = r->price_var_change[1] = nan("");
    /* ab: A (2), B (3) */
    unc_summary(&r->jur[2 * EL_UV_COUNT + EL_UV_PRICE], 990, 30, 3.5, 0.11, ql);
    unc_summary(&r->jur[3 * EL_UV_COUNT + EL_UV_PRICE], 990, 30, 3.5, 0.11, ql);
    unc_summary(&r->jur[2 * EL_UV_COUNT + EL_UV_GAIN], 990, 10, 12.6, 0.4, NULL);
    r->jur[2 * EL_UV_COUNT + EL_UV_GAIN].min = -3;
    r->jur[2 * EL_UV_COUNT + EL_UV_GAIN].max = 20;
    unc_summary(&r->jur[3 * EL_UV_COUNT + EL_UV_GAIN], 990, -1, 9.4, 0.3, NULL);
    r->jur[3 * EL_UV_COUNT + EL_UV_GAIN].min = -6;
    r->jur[3 * EL_UV_COUNT + EL_UV_GAIN].max = 4;
    r->effort[2] = 8;
    r->effort[3] = 1;
    r->p_loss[2] = 0.1;
    r->p_loss_se[2] = 0.0095;
    r->p_loss[3] = 0.6;
    r->p_loss_se[3] = 0.0156;
    r->price_var_change[2] = r->price_var_change[3] = -23.75;
}

/* The hand-made result above through a held report writer, cleared before the report is
 * written (the report keeps its own copy; every allocation failure on the way is reported and
 * adds nothing): the draws, shocks and correlation; the stacked bars (effort 9 up, risk -2
 * down, the total 7 with a 95% interval of 1.96 x 0.5) on an axis that shows both; the table of
 * totals; the box plots from the quantiles, autarky first; the members' table; it compiles. */
static void test_report_uncertainty(void)
{
    ElScenario *s = load_text(UNCERTAINTY_XML);
    ElUncertaintyResult r;
    ElError err = {EL_OK, ""};
    ElBatchOptions opt = {.threads = 1};
    ElReportWriter *w = NULL;
    ElProducer prod;
    ElSink sink;
    const ElSink *sinks[1] = {&sink};
    const ElAnalysis *a;
    char *text = NULL;
    const char *at, *chart, *boxes;
    size_t len = 0;
    double x[4], y[4];
    FILE *f;
    long n;
    el_status st;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    a = el_analyses_find(s->analyses, "u");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL_FATAL(a->kind, EL_ANALYSIS_UNCERTAINTY);
    prod = el_producer_scenario(s);
    f = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL_FATAL(el_report_writer_create(&w, f, &err), EL_OK);
    el_report_writer_hold(w);
    sink = el_report_writer_sink(w);
    CU_ASSERT_EQUAL(el_batch_solve(s, &prod, &opt, sinks, 1, &err), EL_OK);
    unc_result(&r, a);
    for (n = 1;; n++) { /* out of memory at each allocation in turn: an error, nothing added */
        el_alloc_fail_at(n);
        st = el_report_writer_uncertainty(w, &r, &err);
        el_alloc_fail_at(0);
        if (st == EL_OK)
            break;
        CU_ASSERT_EQUAL_FATAL(st, EL_ERR_NOMEM);
        CU_ASSERT_EQUAL(el_report_analyses_count(el_report_writer_analyses(w)), 0);
    }
    CU_ASSERT(n > 1);
    CU_ASSERT_EQUAL(el_report_analyses_count(el_report_writer_analyses(w)), 1);
    el_uncertainty_result_clear(&r);
    CU_ASSERT_EQUAL(el_report_writer_close(w, &err), EL_OK);
    el_report_writer_free(w);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\usepgfplotslibrary{statistics}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "the report shows 1 analysis:\nuncertainty analysis "
                                        "\\emph{u}."));
    at = strstr(text, "\\section*{Uncertainty: u}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT(longest_line(at) <= 350);
    /* the draws */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\num{1000} draws of the shocks below (seed 42;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{\\num{3}} draws left the model's domain"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\textbf{\\num{2}} draws had no autarky equilibrium"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "1 design has no equilibrium in some draws, left out of its "
                                      "statistics:\n\\emph{A–B link} (ab) (\\num{5} of "
                                      "\\num{995} draws)."));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "within \\num{0.25}\\,\\% of the draws of its exact rank"));
    /* the shocks (B's named kb) and their correlation */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\begin{longtable}{lllrrrl}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\n & A & BAU emissions (Mt) & \\num{100} & \\num{5} & "
                                      "\\num{5.0} & normal \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\nkb & B & BAU emissions (Mt) & \\num{60} & \\num{3} & "
                                      "\\num{5.0} & lognormal \\\\\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\nA BAU emissions & kb & \\num{0.25} \\\\\n"));
    /* the stacked bars: effort 9 up, risk -2 down, stacked apart; the total 7 +- 1.96 x 0.5 */
    chart = strstr(at, "\\begin{axis}[ybar stacked, stack negative=separate");
    CU_ASSERT_PTR_NOT_NULL_FATAL(chart);
    CU_ASSERT_EQUAL_FATAL(bar_coords(chart, "etslinkeffort", x, y, 4), 1);
    CHECK_REL(x[0], 1);
    CHECK_REL(y[0], 9);
    CU_ASSERT_EQUAL_FATAL(bar_coords(chart, "etslinkrisk", x, y, 4), 1);
    CHECK_REL(x[0], 1);
    CHECK_REL(y[0], -2);
    CHECK_REL(number_after(chart, "(0.25cm,0cm)};}] coordinates {\n(1,"), 7);
    CU_ASSERT_DOUBLE_EQUAL(number_after(chart, "(1,7) +- (0,"), 1.959963984540054 * 0.5, 1e-9);
    CU_ASSERT(number_after(chart, "ymin=") < -2);            /* the negative part shows */
    CU_ASSERT(number_after(chart, "ymax=") > 9);             /* ... and the positive one */
    CU_ASSERT_PTR_NOT_NULL(strstr(chart, "{\\num{7.00}};")); /* the total above the bar */
    /* the totals */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\raggedright ab\\newline\\emph{A–B link} & \\num{7.00} & "
                                      "\\num{0.50} & \\num{9.00} "
                                      "& \\num{-2.00} & \\num{-28.6} & \\num{990} & \\num{5} "
                                      "\\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "The largest expected gain is that of \\emph{A–B link} (ab): "
                                      "\\num{7.00} (s.e. \\num{0.50})\\,million EUR a year, of "
                                      "which risk sharing is \\num{-2.00} (\\num{-28.6}\\,\\%)."));
    /* the box plots: A, then B; autarky first */
    boxes = strstr(at, "title={A}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(boxes);
    CU_ASSERT_PTR_NOT_NULL(strstr(boxes, "xticklabels={{autarky},{ab}}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(boxes, "boxplot prepared={draw position=1, lower whisker=10, "
                                         "lower quartile=15,\nmedian=20, upper quartile=25, "
                                         "upper whisker=30, average=20}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(boxes, "boxplot prepared={draw position=2, lower whisker=25, "
                                         "lower quartile=28,\nmedian=30, upper quartile=32, "
                                         "upper whisker=35, average=30}"));
    boxes = strstr(boxes, "title={B}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(boxes);
    CU_ASSERT_PTR_NOT_NULL(strstr(boxes, "boxplot prepared={draw position=1, lower whisker=40, "
                                         "lower quartile=45,\nmedian=50, upper quartile=55, "
                                         "upper whisker=60, average=50}"));
    /* the members */
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "\\raggedright ab & A & \\num{10.00}\\,(\\num{0.40}) & "
                                      "\\num{8.00} & \\num{2.00} & \\num{10.00}\\,(\\num{0.95}) & "
                                      "\\num{30.00} & \\num{6.00} & \\num{3.50} & \\num{-23.75} "
                                      "\\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(at, "\n\\raggedright\\emph{A–B link} & B & \\num{-1.00}\\,(\\num{0.30}) & "
                   "\\num{1.00} & "
                   "\\num{-2.00} & \\num{60.00}\\,(\\num{1.56}) & \\num{30.00} & "
                   "\\num{6.00} & \\num{3.50} & \\num{-23.75} "
                   "\\tabularnewline\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "The highest probability of a loss is B's under "
                                      "\\emph{A–B link} (ab): \\num{60.00}\\,\\% (s.e. "
                                      "\\num{1.56})."));
    CU_ASSERT_PTR_NOT_NULL(strstr(at, "lower than in autarky in 2 of the rows and higher in 0."));
    CU_ASSERT_PTR_NULL(negative_zero(text));
    compile_text(text);
    free(text);
    el_scenario_free(s);
}

/* tests/data/comparison.xml: the comparison's columns against the hand computations in its
 * comment (price spread over linked members only, scarcity rents of an export cap, a quota and
 * an offset limit, covered and NDC-accounted emissions, government revenue, firms' cost); the
 * members' own rules a design changes; design titles in prose and captions; the caveats on the
 * title page; and every input figure with its source, loaded and in the appendix. */
static void test_report_comparison(void)
{
    static const struct {
        const char *id;
        double spread, traded, rents, emissions, ndc, gov, firms;
    } want[] = {
        {"linked", 0, 10, 0, 215, 215, 900, 1212.5}, {"capped", 18, 4, 72, 215, 215, 630, 996.5},
        {"quota", 18, 4, 72, 215, 215, 630, 996.5},  {"offsets", -1, 3, 96, 218, 215, 450, 807.5},
        {"floor", -1, 0, 0, 213, 213, 516, 1000.5},  {"same", -1, 0, 0, 215, 215, 450, 912.5},
    };
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    ElRun *run;
    ElDesignFigures x;
    char own[EL_RANK_TITLE_SIZE], dir[] = "/tmp/etslink-cmp-XXXXXX", tex[128], *text;
    int d, k, nsourced = 0;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/comparison.xml", NULL, &err), EL_OK);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL && run->ndesigns == 6);
    for (d = 0; d < 6; d++) {
        const ElDesignResult *r = &run->designs[d];
        CU_ASSERT_STRING_EQUAL(r->id, want[d].id);
        el_summary_design_figures(r, &x);
        if (want[d].spread < 0) {
            CU_ASSERT(isnan(x.spread)); /* nothing linked: no spread */
        } else {
            CHECK_REL(x.spread, want[d].spread);
        }
        CHECK_REL(x.traded, want[d].traded);
        CHECK_REL(x.rents, want[d].rents);
        CHECK_REL(x.emissions, want[d].emissions);
        CHECK_REL(x.ndc_emissions, want[d].ndc);
        CHECK_REL(x.gov_revenue, want[d].gov);
        CHECK_REL(x.firms_cost, want[d].firms);
        /* own rules: only the floor; the baseline itself: only 'same' */
        CU_ASSERT_EQUAL(el_design_own_rules(s, r->design, own, sizeof(own)), d == 4 ? 1 : 0);
        CU_ASSERT_STRING_EQUAL(own, d == 4 ? "A: floor" : "");
        CU_ASSERT_EQUAL(el_design_is_empty(r->design), d == 5);
    }
    CHECK_REL(run->designs[2].link[0].rent, 72); /* the quota's rent, as the export cap's */
    /* titles and sources as loaded */
    CU_ASSERT_STRING_EQUAL(s->designs[0]->title, "Full A–B link");
    CU_ASSERT_PTR_NULL(s->designs[2]->title);
    CU_ASSERT_EQUAL(s->nfigures, 15);
    for (k = 0; k < s->nfigures; k++)
        nsourced += s->figures[k].source != NULL;
    CU_ASSERT_EQUAL(nsourced, 3);
    CU_ASSERT_STRING_EQUAL(s->figures[0].element, "jurisdiction");
    CU_ASSERT_STRING_EQUAL(s->figures[0].value, "auction-share=0.5"); /* id and name left out */
    CU_ASSERT_STRING_EQUAL(s->figures[1].owner, "A");
    CU_ASSERT_STRING_EQUAL(s->figures[1].element, "bau");
    CU_ASSERT_STRING_EQUAL(s->figures[1].value, "100");
    CU_ASSERT_STRING_EQUAL(s->figures[1].source, "hand-made: test A");
    CU_ASSERT_EQUAL(s->figures[1].design, EL_FIGURE_SCENARIO);
    CU_ASSERT_STRING_EQUAL(s->figures[2].element, "cap");
    CU_ASSERT_PTR_NULL(s->figures[2].source);
    CU_ASSERT_STRING_EQUAL(s->figures[10].owner, "P");
    CU_ASSERT_STRING_EQUAL(s->figures[10].value, "intercept=2, slope=0, max=100");
    CU_ASSERT_STRING_EQUAL(s->figures[11].owner, "capped");
    CU_ASSERT_STRING_EQUAL(s->figures[11].value, "jurisdiction=A, max=4");
    CU_ASSERT_STRING_EQUAL(s->figures[11].source, "a rule of thumb");
    CU_ASSERT_EQUAL(s->figures[11].design, 1);
    /* the report */
    write_all(run, 2, &text);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "The design that gains most is \\emph{Full A–B link} "
                                        "(linked)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\subsection*{Design 1: Full A–B link (linked)}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\subsection*{Design 3: quota}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "One of them,\n\\emph{same}, changes nothing"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "so 5 of the designs are linkage designs"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "One design also changes members' own rules, so its gains "
                                        "mix domestic policy with linking:\n\\emph{floor} (A: "
                                        "floor)."));
    /* NDC-accounted emissions: only the floor changes what is achieved; the offsets replace
     * 3 Mt of B's abatement (covered +3, NDC-accounted 0) */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "One design changes NDC-accounted emissions against "
                                        "autarky"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\emph{floor} (\\num{-2.00}\\,Mt NDC-accounted, "
                                        "\\num{-2.00}\\,Mt covered)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\emph{floor} (NDC-accounted \\num{-2.000}\\,Mt, "
                                        "covered \\num{-2.000}\\,Mt)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " 1 design changes covered emissions only"));
    CU_ASSERT_PTR_NULL(strstr(text, "\\emph{offsets} (")); /* achieves as much */
    /* the comparison's rows: autarky, then 'capped' with its spread, traded, rent, ... */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "0. & autarky (baseline) & \\num{0.00} & \\num{215.000} & "
                                        "\\num{215.000} & -- & \\num{0.000} & \\num{0.00} & "
                                        "\\num{450.00} & \\num{912.50} & \\num{462.50}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "capped} & \\num{96.00} & \\num{215.000} & "
                                        "\\num{215.000} & \\num{18.00} & \\num{4.000} & "
                                        "\\num{72.00} & \\num{630.00} & \\num{996.50}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "4. & offsets & \\num{105.00} & \\num{218.000} & "
                                        "\\num{215.000} & -- & \\num{3.000} & \\num{96.00}"));
    /* who sells to whom: A to B on the link and in the group; credits from the rest of the
     * world apart */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "P credits (rest of the world) & \\num{3.000}"));
    /* the sources appendix */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " 3 of the 15 figures name a source."));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "A & bau & 100 & hand-{}\\allowbreak{}made: test A & 20"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "A & cap & 90 & \\emph{not stated} & 20"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Sources: 3 of the scenario's 15 input figures name"));
    /* the review of the printed pages (issue 14 §3): every design counted as having an
     * equilibrium; the headline said to be a linking gain; the least gain among the linkage
     * designs, not the empty one (the baseline itself) */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Every design has an equilibrium.\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(linked): it saves \\num{150.00} million USD a year "
                                        "against autarky. In it, B buys and A sells allowances. "
                                        "It changes no member's own rules: its gain is a gain "
                                        "from linking alone. The design that gains least is "
                                        "\\emph{floor}"));
    /* an apostrophe in a title is the typographic one */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "link,{} A\xe2\x80\x99s exports capped"));
    /* matrices and link tables say whose they are, so that one moved to the next page does */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\emph{Who sells to whom} in design 1 (Mt credited"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\emph{Links} of design 3 (one way: units sent"));
    /* C, never linked, has one mark for all 7 (autarky and 6 designs): one label, as a range */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, ") {0--6};\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "Crosses are")); /* no fitted curve */
    /* net trade shaded by sign (A sells 10, B buys 10); the traded volume is not a purchase */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "1. & linked & \\cellcolor{etslinkc3!48}\\num{-10.00} & "
                                        "\\cellcolor{etslinkc0!48}\\num{10.00} & \\num{0.00} & "
                                        "\\num{10.00} \\\\\n"));
    free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    CU_ASSERT_EQUAL(el_report_write_tex(run, tex, &err), EL_OK);
    compile_if_possible(tex, dir);
    remove(tex);
    rmdir(dir);
    el_run_free(run);
    el_scenario_free(s);
}

/* ---- Several periods (report_periods.h) ---- */

/* report.tex of s's several-period designs through a held writer, driven as etslink solve drives
 * it: each design's first year through the sink, its years through el_report_writer_periods. */
static char *periods_report(const ElScenario *s)
{
    ElReportWriter *w = NULL;
    ElMultiResult base, r;
    ElError err = {EL_OK, ""};
    ElSink sink;
    char path[] = "/tmp/etslink-per-XXXXXX", *text;
    int fd = mkstemp(path), d;
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL_FATAL(el_report_writer_create(&w, f, &err), EL_OK);
    el_report_writer_hold(w);
    sink = el_report_writer_sink(w);
    CU_ASSERT_EQUAL_FATAL(sink.begin(sink.ctx, s, s->ndesigns, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &base, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(base.outcome, EL_OPTIMAL);
    CU_ASSERT_EQUAL_FATAL(sink.result(sink.ctx, -1, NULL, &base.year[0], NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_report_writer_periods(w, s, NULL, &base, &err), EL_OK);
    for (d = 0; d < s->ndesigns; d++) {
        CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, s->designs[d], &base, &r, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(r.outcome, EL_OPTIMAL);
        CU_ASSERT_EQUAL_FATAL(sink.result(sink.ctx, d, NULL, &r.year[0], &base.year[0], &err),
                              EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_report_writer_periods(w, s, s->designs[d], &r, &err), EL_OK);
        el_multi_result_clear(&r);
    }
    CU_ASSERT_EQUAL(sink.end(sink.ctx, true, &err), EL_OK);
    CU_ASSERT_EQUAL(el_report_writer_close(w, &err), EL_OK);
    el_report_writer_free(w);
    el_multi_result_clear(&base);
    fclose(f);
    text = slurp(path);
    remove(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    return text;
}

/* The nth coordinate list (from 0) after `panel` after `section` in text: up to max points into
 * x, y; returns their number (0 when there is no such list). */
static int period_coords(const char *text,
                         const char *section,
                         const char *panel,
                         int nth,
                         double *x,
                         double *y,
                         int max)
{
    const char *p = strstr(text, section);
    int k, n = 0;
    p = p ? strstr(p, panel) : NULL;
    for (k = 0; p && k <= nth; k++)
        if ((p = strstr(p, "coordinates {")) != NULL)
            p += strlen("coordinates {");
    while (p && n < max) {
        char *e;
        while (*p == '\n')
            p++;
        if (*p != '(')
            break;
        x[n] = strtod(p + 1, &e);
        if (*e != ',')
            break;
        y[n] = strtod(e + 1, &e);
        if (*e != ')')
            break;
        p = e + 1;
        n++;
    }
    return n;
}

/* The numbers of the table row that starts with `row` in the section: up to max cells, "--" as
 * NaN; returns their number. */
static int period_row(const char *text, const char *row, double *v, int max)
{
    const char *p = strstr(text, "\\subsection*{Present values by design");
    const char *end;
    int n = 0;
    p = p ? strstr(p, row) : NULL;
    end = p ? strstr(p, "\\\\") : NULL;
    while (p && end && n < max) {
        const char *a = strstr(p, "\\num{"), *b = strstr(p, "& --");
        if ((!a || a > end) && (!b || b > end))
            break;
        if (a && a < end && (!b || a < b)) {
            v[n++] = strtod(a + 5, NULL);
            p = a + 5;
        } else {
            v[n++] = nan("");
            p = b + 4;
        }
    }
    return n;
}

/* tests/data/periods-hotelling.xml: A and B (MAC c_A a, c_B a with c = 1, 2), requirements
 * R_A = (10, 20, 30), R_B = (40, 30, 20), free banking and borrowing, r = 0.05 over 2026-2028;
 * "separate" changes nothing, "linked" groups A and B. By hand (docs/model.md §10), with
 * G = 1 + 1.05 + 1.05^2: alone P_j,t = P_j 1.05^t, P_j = c_j sum R_j / G; linked both
 * p_t = p_1 1.05^t, p_1 = sum R / ((1/c_A + 1/c_B) G); abatement a = p / c; the bank at the end
 * of year t is the abatement so far less the requirements so far (alone; linked, the market's:
 * A's and B's together) and 0 after the last year. PV cost alone P_j^2 G / (2 c_j); linked
 * p_1^2 G / (2 c_j) + p_1 (sum R_j - sum a_j) (net imports at p_t, worth p_1 in present
 * value); PV gain G (P_j - p_1)^2 / (2 c_j). Cumulative gain up to t, the bank counted at the
 * year's price: autarky's cost so far sum_k<=t P_j^2 1.05^k / (2 c_j) - P_j n_t (its bank n_t
 * is worth P_j,t d_t = P_j) less the design's sum_k<=t (p_1^2 1.05^k / (2 c_j) + p_1 (R_j,k -
 * a_j,k)) (its bank term cancels: bought at the price it is valued at). */
static void test_report_periods(void)
{
    static const double c[2] = {1, 2}, R[2][3] = {{10, 20, 30}, {40, 30, 20}};
    const double r = 0.05, G = 1 + (1 + r) + (1 + r) * (1 + r), tol = 0.0051; /* 2 decimals */
    double P[2], p1, sumR = 0, x[8], y[8], v[8], cost[2], gain[2];
    static const char *const panel_j[2] = {"title={A}", "title={B}"};
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    char *text;
    int j, t, k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/periods-hotelling.xml", NULL, &err), EL_OK);
    for (j = 0; j < 2; j++) {
        double sj = R[j][0] + R[j][1] + R[j][2];
        P[j] = c[j] * sj / G;
        sumR += sj;
    }
    p1 = sumR / ((1 / c[0] + 1 / c[1]) * G);
    text = periods_report(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\section*{Over the years 2026--2028}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Each design is solved over the years 2026--2028"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "A design that changes nothing is not drawn"));
    /* price paths: autarky's and the linked design's panels, a line per jurisdiction */
    for (j = 0; j < 2; j++) {
        CU_ASSERT_EQUAL(
            period_coords(text, "{Price paths by design}", "title={autarky}", j, x, y, 8), 3);
        for (t = 0; t < 3; t++) {
            CU_ASSERT_DOUBLE_EQUAL(x[t], 2026 + t, 0);
            CHECK_REL(y[t], P[j] * pow(1 + r, t));
        }
        CU_ASSERT_EQUAL(
            period_coords(text, "{Price paths by design}", "title={2.~linked}", j, x, y, 8), 3);
        for (t = 0; t < 3; t++)
            CHECK_REL(y[t], p1 * pow(1 + r, t));
    }
    CU_ASSERT_EQUAL(
        period_coords(text, "{Price paths by design}", "title={1.~separate}", 0, x, y, 8),
        0); /* changes nothing: not drawn */
    /* banks: each alone, and the linked market's total */
    {
        double sum[3] = {0, 0, 0};
        for (j = 0; j < 2; j++) {
            double cum = 0;
            CU_ASSERT_EQUAL(period_coords(text, "{Bank balances}", "title={autarky}", j, x, y, 8),
                            3);
            for (t = 0; t < 3; t++) {
                cum += P[j] * pow(1 + r, t) / c[j] - R[j][t];
                CU_ASSERT_DOUBLE_EQUAL(y[t], t == 2 ? 0 : cum, 1e-6 * (1 + sumR));
            }
            CU_ASSERT_EQUAL(period_coords(text, "{Bank balances}", "title={2.~linked}", j, x, y, 8),
                            3);
            for (t = 0; t < 3; t++)
                sum[t] += y[t];
        }
        for (t = 0, k = 0; t < 3; t++) {
            double cum = 0;
            int i;
            for (i = 0; i <= t; i++)
                cum += p1 * pow(1 + r, i) * (1 / c[0] + 1 / c[1]) - R[0][i] - R[1][i];
            CU_ASSERT_DOUBLE_EQUAL(sum[t], t == 2 ? 0 : cum, 1e-6 * (1 + sumR));
        }
    }
    /* cumulative gains: a panel per jurisdiction, the linked design's line */
    for (j = 0; j < 2; j++) {
        double base = 0, des = 0, nb = 0;
        CU_ASSERT_EQUAL(period_coords(text, "{Cumulative gains}", panel_j[j], 0, x, y, 8), 3);
        { /* one line: the design that changes nothing is not drawn */
            const char *at = strstr(strstr(text, "{Cumulative gains}"), panel_j[j]), *next;
            int lines = 0;
            next = at ? strstr(at, j == 0 ? "\\nextgroupplot" : "\\end{groupplot}") : NULL;
            CU_ASSERT_PTR_NOT_NULL_FATAL(next);
            while ((at = strstr(at + 1, "\\addplot[")) != NULL && at < next)
                lines++;
            CU_ASSERT_EQUAL(lines, 1);
        }
        for (t = 0; t < 3; t++) {
            double a = p1 * pow(1 + r, t) / c[j];
            base += P[j] * P[j] * pow(1 + r, t) / (2 * c[j]);
            nb += P[j] * pow(1 + r, t) / c[j] - R[j][t];
            des += p1 * p1 * pow(1 + r, t) / (2 * c[j]) + p1 * (R[j][t] - a);
            CHECK_REL(y[t], base - P[j] * (t == 2 ? 0 : nb) - des);
        }
        gain[j] = G * (P[j] - p1) * (P[j] - p1) / (2 * c[j]);
        cost[j] = p1 * p1 * G / (2 * c[j]) + p1 * (R[j][0] + R[j][1] + R[j][2] - p1 * G / c[j]);
        CHECK_REL(y[2], gain[j]); /* the line ends at the PV gain */
    }
    /* the table: autarky's costs, the linked design's costs and gains, the link years */
    CU_ASSERT_EQUAL(period_row(text, " & autarky & ", v, 8), 6);
    for (j = 0; j < 2; j++) {
        CU_ASSERT_DOUBLE_EQUAL(v[2 * j], P[j] * P[j] * G / (2 * c[j]), tol);
        CU_ASSERT(isnan(v[2 * j + 1]));
    }
    CU_ASSERT_DOUBLE_EQUAL(v[4], (P[0] * P[0] / c[0] + P[1] * P[1] / c[1]) * G / 2, tol);
    CU_ASSERT_EQUAL(period_row(text, "\n1. & separate & ", v, 8), 6);
    for (k = 1; k < 6; k += 2)
        CU_ASSERT_DOUBLE_EQUAL(v[k], 0, tol);
    CU_ASSERT_EQUAL(period_row(text, "\n2. & linked & ", v, 8), 6);
    for (j = 0; j < 2; j++) {
        CU_ASSERT_DOUBLE_EQUAL(v[2 * j], cost[j], tol);
        CU_ASSERT_DOUBLE_EQUAL(v[2 * j + 1], gain[j], tol);
    }
    CU_ASSERT_DOUBLE_EQUAL(v[4], cost[0] + cost[1], tol);
    CU_ASSERT_DOUBLE_EQUAL(v[5], gain[0] + gain[1], tol);
    { /* the title page names the design of highest PV total gain */
        const char *at = strstr(text, "highest present value of the total gain is \\emph{linked}: "
                                      "\\num{");
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        CU_ASSERT_DOUBLE_EQUAL(strtod(strstr(at, "\\num{") + 5, NULL), gain[0] + gain[1], tol);
    }
    {
        const char *row = strstr(strstr(text, "{Present values by design"), "\n2. & linked & ");
        const char *end = row ? strstr(row, "\\end{") : NULL;
        const char *a = row ? strstr(row, "{\\scriptsize 2026--2028}") : NULL;
        const char *b = a ? strstr(a + 1, "{\\scriptsize 2026--2028}") : NULL;
        CU_ASSERT(a && b && b < end); /* A and B linked every year */
    }
    free(text);
    el_scenario_free(s);
}

/* Many designs and jurisdictions: the section stays bounded and says what it leaves out. 12
 * jurisdictions over 3 years and 24 designs, design k linking J(k mod 11) and J(k mod 11 + 1)
 * from 2027: 20 designs are kept (the highest PV total gains), 7 drawn, 8 jurisdictions drawn,
 * the table in blocks of 5 jurisdictions; and it compiles. */
static void test_report_periods_bounded(void)
{
    char *xml = malloc(65536), *text, *p, *end;
    size_t len = 0;
    int j, k, n;
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
    len += (size_t)snprintf(xml + len, 65536 - len,
                            "<scenario name=\"many\" currency=\"USD\" unit=\"Mt\"><periods "
                            "first=\"2026\" last=\"2028\" discount-rate=\"0.05\"/>");
    for (j = 0; j < 12; j++)
        len += (size_t)snprintf(xml + len, 65536 - len,
                                "<jurisdiction id=\"J%d\"><bau>100</bau><cap>%d</cap><mac><linear "
                                "slope=\"%d\"/></mac><path><year y=\"2027\" cap=\"%d\"/></path>"
                                "</jurisdiction>",
                                j, 95 - j, 1 + j % 5, 90 - j);
    for (k = 0; k < 24; k++)
        len += (size_t)snprintf(xml + len, 65536 - len,
                                "<design id=\"d%d\"><group members=\"J%d J%d\" from=\"2027\"/>"
                                "</design>",
                                k, k % 11, k % 11 + 1);
    snprintf(xml + len, 65536 - len, "</scenario>");
    CU_ASSERT_EQUAL_FATAL(
        el_scenario_load_memory(&s, xml, (long)strlen(xml), "many.xml", NULL, &err), EL_OK);
    text = periods_report(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "Of the 24 designs with an equilibrium the 20 of highest "
                                        "present value of the total gain are shown"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "The 7 designs of highest present value of the total gain "
                                        "are drawn, of the 20 in the table"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "The first 8 of 12 jurisdictions are drawn."));
    p = strstr(text, "\\section*{Over the years");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    end = strstr(text, "{Bank balances}");
    for (n = 0; (p = strstr(p + 1, "\\nextgroupplot")) != NULL && p < end; n++)
        ;
    CU_ASSERT_EQUAL(n, 8); /* autarky and 7 designs */
    p = strstr(text, "{Present values by design");
    for (n = 0; p && (p = strstr(p + 1, "\\begin{longtable}")) != NULL &&
                p < strstr(text, "{Price paths by design}");
         n++)
        ;
    CU_ASSERT_EQUAL(n, 3); /* jurisdictions 1-5, 6-10, 11-12 */
    p = strstr(text, "{Cumulative gains}");
    for (n = 0; p && (p = strstr(p + 1, "\\nextgroupplot")) != NULL &&
                p < strstr(text, "\\section*{Figures}");
         n++)
        ;
    CU_ASSERT_EQUAL(n, 8); /* the first 8 jurisdictions */
    if (el_report_pdf_available()) {
        char dir[] = "/tmp/etslink-perpdf-XXXXXX", tex[96], pdf[96];
        FILE *f;
        CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
        snprintf(tex, sizeof(tex), "%s/report.tex", dir);
        snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
        f = fopen(tex, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        fputs(text, f);
        fclose(f);
        CU_ASSERT_EQUAL(el_report_compile_pdf(tex, pdf, 300, &err), EL_OK);
        if (err.code != EL_OK)
            fprintf(stderr, "\n%s\n", err.msg);
        remove(tex);
        remove(pdf);
        rmdir(dir);
    }
    free(text);
    free(xml);
    el_scenario_free(s);
}

CU_TestInfo reports_tests[] = {
    {"golden results, schema-valid", test_golden},
    {"hostile names escaped in XML, CSV, TeX and PDF", test_hostile_names},
    {"TeX escaping of every special and non-Latin text", test_tex_escape},
    {"byte-identical runs", test_deterministic},
    {"number and field formatting", test_fmt},
    {"a design without an equilibrium is marked, the others unchanged",
     test_design_without_equilibrium},
    {"el_run_check names many failed designs within the message", test_run_check_many},
    {"no negative zero in results.xml, results.csv or report.tex", test_no_negative_zero},
    {"short report.tex lines; long curves and 1,000 designs compile", test_long_report},
    {"the field table covers every result field once", test_field_table},
    {"sinks write the reference writers' bytes, also for random numbers",
     test_sinks_match_reference},
    {"golden results and report byte for byte", test_golden_bytes},
    {"the writers as sinks of a 2-thread batch", test_sinks_in_batch},
    {"report sink keeps its own copies of generated designs", test_report_sink_generated},
    {"integer %.*g equals snprintf on millions of values", test_fmt_random},
    {"top and bottom rankings against a full sort", test_rank},
    {"exact histogram against brute force", test_hist},
    {"sampled quantiles against a full sort", test_quantiles},
    {"summary collector against the run in memory", test_summary_collector},
    {"detail report up to 20 designs, summary from 21", test_report_modes},
    {"analyses: sweep charts, search optimum, sequence steps against hand values",
     test_report_analyses},
    {"a search that finds no feasible point shows the least-violating one",
     test_report_search_not_found},
    {"two objectives: the Pareto front on its closed form", test_report_pareto},
    {"a long sweep keeps a strided subset and both sides of each regime change",
     test_report_sweep_strided},
    {"points without an equilibrium are gaps in a sweep's lines", test_report_sweep_gaps},
    {"the analyses' sections are the same on 1 and 3 threads", test_report_analyses_threads},
    {"a held writer without analyses writes the same report", test_report_held_unchanged},
    {"coalition games: verdicts, gains, transfers, coalitions and structures against hand "
     "values",
     test_report_coalitions},
    {"coalitions: structures in results.xml and .csv, coalitions.csv against hand values",
     test_coalition_files},
    {"uncertainty: draws, shocks, effort and risk sharing, price boxes and losses against hand "
     "values",
     test_report_uncertainty},
    {"comparison: spread of linked members, rents, emissions, revenue, firms' cost, titles, "
     "own rules and sources against hand values",
     test_report_comparison},
    {"several periods: price paths, banks, cumulative gains and present values against "
     "Hotelling's closed forms",
     test_report_periods},
    {"several periods: many designs and jurisdictions stay bounded, say what is left out and "
     "compile",
     test_report_periods_bounded},
    CU_TEST_INFO_NULL,
};
