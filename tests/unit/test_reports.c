/* reports suite: results files validate against reports/results.xsd, match the golden files
 * (text exactly, numbers to 1e-9 relative), escape hostile names in XML and CSV, and are
 * byte-identical across runs; a design without an equilibrium is marked in every file while
 * the others are reported as if it were absent; no file prints a negative zero; report.tex
 * keeps its lines short and compiles for long curves and many designs. */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
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

/* The PDF made from tex in dir, when pdflatex is installed (the caller removes tex). */
static void compile_if_possible(const char *tex, const char *dir)
{
    char pdf[200];
    ElError err = {EL_OK, ""};
    if (!el_report_pdf_available()) {
        fprintf(stderr, "\n  skipped: pdflatex is not installed\n");
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
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\item[2.] tight (no equilibrium)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\subsection*{Design 2: tight (no equilibrium)}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\\num{0.00} & ceiling \\\\\n")); /* K's row */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "K & \\num{20.000} & \\num{15.000} & \\num{3.000} \\\\"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "2. & tight & \\multicolumn{5}{l}{no equilibrium: short of \\num{3.000}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "xticklabels={{linked},{quota}}"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[1](")); /* marks of designs 1 and 3, not 2 */
    CU_ASSERT_PTR_NULL(strstr(text, ") [2]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, ") [3]"));
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
 * line"), and 1,000 designs exceeded TeX's main memory in the bar charts. Lines now stay short, the
 * report details at most 200 designs and draws at most 40, and both reports compile. */
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
            CU_ASSERT_PTR_NOT_NULL(
                strstr(text, "\\item[200.] d199\n\\item[] \\dots\\ and 800 more"));
            CU_ASSERT_PTR_NULL(strstr(text, "\\item[201.]"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "Design 200: d199}"));
            CU_ASSERT_PTR_NULL(strstr(text, "Design 201: "));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "The first 40 of 1000 designs with an equilibrium "
                                                "are drawn"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "(40,"));
            CU_ASSERT_PTR_NULL(strstr(text, "(41,"));
            CU_ASSERT_PTR_NOT_NULL(strstr(text, "{d39}}"));
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
    {"a design without an equilibrium is marked, the others unchanged",
     test_design_without_equilibrium},
    {"el_run_check names many failed designs within the message", test_run_check_many},
    {"no negative zero in results.xml, results.csv or report.tex", test_no_negative_zero},
    {"short report.tex lines; long curves and 1,000 designs compile", test_long_report},
    CU_TEST_INFO_NULL,
};
