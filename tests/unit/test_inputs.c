/* inputs suite: the bundled scenario as read, CSV curves with their quirks, every case of the
 * bad-input catalogue (tests/bad/cases.txt: status and message), and allocation failures at
 * every point of loading and solving. Tests run from the tests/ folder. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "el_alloc.h"
#include "load.h"
#include "report.h"
#include "results.h"
#include "suites.h"

static void test_bundled(void)
{
    ElScenario *s = NULL;
    ElError err;
    int cn, kr;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "../scenarios/northeast-asia.xml", NULL, &err),
                          EL_OK);
    CU_ASSERT_EQUAL(s->njur, 5);
    CU_ASSERT_EQUAL(s->ndesigns, 11);
    cn = el_scenario_find(s, "CN");
    kr = el_scenario_find(s, "KR");
    CU_ASSERT_FATAL(cn >= 0 && kr >= 0);
    CU_ASSERT_EQUAL(s->jur[cn].cap_kind, EL_CAP_INTENSITY);
    CHECK_REL(s->jur[cn].cap, 0.792 * 3750);
    CHECK_REL(s->jur[cn].bau, 0.8 * 3750);
    CHECK_REL(s->jur[kr].cap, 585.5);
    /* <linear price-at-cap="16.2">: MAC(BAU - cap) = 16.2 */
    CHECK_REL(el_mac_value(s->jur[kr].mac, 614.376 - 585.5), 16.2);
    CU_ASSERT_STRING_EQUAL(s->currency, "USD");
    CU_ASSERT_STRING_EQUAL(s->designs[1]->id, "cn-kr");
    el_scenario_free(s);
}

/* Points 0-10-20 Mt at 0-10-30, R = 15: p = 20. Steps 5@10, 5@20, 10@40, R = 7: p = 20. */
static void test_csv_curves(void)
{
    ElScenario *s = NULL;
    ElRun *run;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/csv-curves.xml", NULL, &err), EL_OK);
    CU_ASSERT_STRING_EQUAL(s->currency, "EUR");
    CU_ASSERT_EQUAL(el_mac_form(s->jur[0].mac), EL_MAC_POINTS);
    CU_ASSERT_EQUAL(el_mac_form(s->jur[1].mac), EL_MAC_STEPS);
    run = test_solve(s);
    CU_ASSERT_FATAL(run != NULL);
    CHECK_REL(run->autarky.jur[0].price, 20);
    CHECK_REL(run->autarky.jur[0].abatement_cost, 125);
    CHECK_REL(run->autarky.jur[1].price, 20);
    el_run_free(run);
    el_scenario_free(s);
}

static void test_csv_parser(void)
{
    double *q, *p;
    int n;
    ElError err;
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "1,2\n3,4", 7, &q, &p, &n, &err), EL_OK);
    CU_ASSERT_EQUAL(n, 2);
    CHECK_REL(q[1], 3);
    CHECK_REL(p[1], 4);
    el_free(q);
    el_free(p);
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "Q, P\r\n1,2\r\n", 11, &q, &p, &n, &err), EL_OK);
    CU_ASSERT_EQUAL(n, 1);
    el_free(q);
    el_free(p);
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "1,nan\n", 6, &q, &p, &n, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "t:1:"));
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "1,2\n1e999,3\n", 12, &q, &p, &n, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "t:2:"));
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "1,2\0,3\n", 7, &q, &p, &n, &err), EL_ERR_INPUT);
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "\n \n", 3, &q, &p, &n, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no data rows"));
    CU_ASSERT_EQUAL(el_csv_parse_qp("t", "1;2\n", 4, &q, &p, &n, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "expected 2 columns"));
}

/* Every catalogue entry: the library's status maps to the expected exit code and the message
 * holds the expected fragment. */
static void test_catalogue(void)
{
    FILE *f = fopen("bad/cases.txt", "r");
    char line[600];
    int cases = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof(line), f)) {
        char *file, *cmd, *code, *frag, path[300], *save = NULL;
        ElScenario *s = NULL;
        ElRun *run = NULL;
        ElError err = {EL_OK, ""};
        el_status st;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        file = strtok_r(line, "|", &save);
        cmd = strtok_r(NULL, "|", &save);
        code = strtok_r(NULL, "|", &save);
        frag = save;
        CU_ASSERT_FATAL(file && cmd && code && frag);
        snprintf(path, sizeof(path), "bad/%s", file);
        st = el_scenario_load(&s, path, NULL, &err);
        if (st == EL_OK && strcmp(cmd, "solve") == 0)
            st = el_run_solve(&run, s, &err);
        if (el_status_exit_code(st) != atoi(code) || !strstr(err.msg, frag)) {
            fprintf(stderr, "\n  %s: status %s, message '%s'; expected exit %s and '%s'\n", file,
                    el_status_name(st), err.msg, code, frag);
            CU_FAIL("bad-input case");
        }
        el_run_free(run);
        el_scenario_free(s);
        cases++;
    }
    fclose(f);
    CU_ASSERT(cases >= 40);
}

/* Make allocation n fail, for n = 1, 2, ... until loading, solving and writing succeed: every
 * earlier run must report out-of-memory (and, under ASan/valgrind, leak nothing). The
 * scenario has a pool, an instrument and a project, so every constructor is reached. */
static void test_out_of_memory(void)
{
    char dir[] = "/tmp/etslink-oom-XXXXXX", xml[128], csv[128], tex[128];
    long n;
    int done = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(tex, sizeof(tex), "%s/report.tex", dir);
    snprintf(xml, sizeof(xml), "%s/results.xml", dir);
    snprintf(csv, sizeof(csv), "%s/results.csv", dir);
    for (n = 1; n < 100000 && !done; n++) {
        ElScenario *s = NULL;
        ElRun *run = NULL;
        ElError err = {EL_OK, ""};
        el_status st;
        el_alloc_fail_at(n);
        st = el_scenario_load(&s, "data/oom.xml", NULL, &err);
        if (st == EL_OK)
            st = el_run_solve(&run, s, &err);
        if (st == EL_OK)
            st = el_results_write_xml(run, xml, &err);
        if (st == EL_OK)
            st = el_results_write_csv(run, csv, &err);
        if (st == EL_OK)
            st = el_report_write_tex(run, tex, &err);
        el_alloc_fail_at(0);
        if (st == EL_OK) {
            done = 1;
        } else if (st != EL_ERR_NOMEM) {
            fprintf(stderr, "\n  allocation %ld failed and gave %s: %s\n", n, el_status_name(st),
                    err.msg);
            CU_FAIL("allocation failure not reported as EL_ERR_NOMEM");
            done = 1;
        }
        el_run_free(run);
        el_scenario_free(s);
    }
    CU_ASSERT(done);
    CU_ASSERT(n > 50); /* the loop really went through many allocation points */
    remove(xml);
    remove(csv);
    remove(tex);
    rmdir(dir);
}

/* A symbolic link inside the scenario's folder that points outside it is refused. */
static void test_symlink_escape(void)
{
    char dir[] = "/tmp/etslink-link-XXXXXX", path[160], outside[160];
    ElScenario *s = NULL;
    ElError err;
    FILE *f;
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(outside, sizeof(outside), "%s-outside.csv", dir);
    f = fopen(outside, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("0,0\n10,10\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/curve.csv", dir);
    CU_ASSERT_EQUAL_FATAL(symlink(outside, path), 0);
    snprintf(path, sizeof(path), "%s/s.xml", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("<scenario name=\"x\"><jurisdiction id=\"A\"><bau>100</bau><cap>95</cap><mac>"
          "<csv href=\"curve.csv\" form=\"points\"/></mac></jurisdiction></scenario>\n",
          f);
    fclose(f);
    CU_ASSERT_EQUAL(el_scenario_load(&s, path, NULL, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "outside the scenario's folder"));
    {
        ElLoadOptions any = {true};
        CU_ASSERT_EQUAL(el_scenario_load(&s, path, &any, &err), EL_OK);
        el_scenario_free(s);
    }
    remove(path);
    snprintf(path, sizeof(path), "%s/curve.csv", dir);
    remove(path);
    remove(outside);
    rmdir(dir);
}

/* The loader resolves ids through a sorted index: every reference must land on the right
 * jurisdiction or pool whatever the ids' order, and a repeated id is reported with both lines
 * (the second as the location) instead of being resolved silently. */
static void test_id_index(void)
{
    static const char xml[] =
        "<scenario name=\"x\">\n"
        "<jurisdiction id=\"zz\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<jurisdiction id=\"a\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>\n"
        "<offset-pool id=\"q\" host=\"a\"><supply><linear slope=\"1\" max=\"9\"/></supply>"
        "</offset-pool>\n"
        "<offset-pool id=\"P\" host=\"zz\"><supply><linear slope=\"1\" max=\"9\"/></supply>"
        "</offset-pool>\n"
        "<design id=\"d\"><link from=\"A\" to=\"zz\"/><link from=\"a\" to=\"B\"/>"
        "<group members=\"B A zz\"/><accept pool=\"P\" jurisdiction=\"a\"/>"
        "<accept pool=\"q\" jurisdiction=\"A\"/></design>\n"
        "</scenario>\n";
    ElScenario *s = NULL;
    ElError err;
    char dup[sizeof(xml) + 200];
    const ElDesign *d;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load_memory(&s, xml, (long)strlen(xml), "m.xml", NULL, &err),
                          EL_OK);
    d = s->designs[0];
    CU_ASSERT_EQUAL(d->links[0].from, 3);
    CU_ASSERT_EQUAL(d->links[0].to, 0);
    CU_ASSERT_EQUAL(d->links[1].from, 2);
    CU_ASSERT_EQUAL(d->links[1].to, 1);
    CU_ASSERT_EQUAL(d->groups[0].members[0], 1);
    CU_ASSERT_EQUAL(d->groups[0].members[1], 3);
    CU_ASSERT_EQUAL(d->groups[0].members[2], 0);
    CU_ASSERT_EQUAL(d->accepts[0].pool, 1);
    CU_ASSERT_EQUAL(d->accepts[0].jur, 2);
    CU_ASSERT_EQUAL(d->accepts[1].pool, 0);
    CU_ASSERT_EQUAL(d->accepts[1].jur, 3);
    CU_ASSERT_EQUAL(s->pools[0].host, 2);
    CU_ASSERT_EQUAL(s->pools[1].host, 0);
    el_scenario_free(s);
    /* jurisdiction 'a' on line 4 given again on line 5 (in place of 'A') */
    snprintf(dup, sizeof(dup), "%s", xml);
    memcpy(strstr(dup, "id=\"A\""), "id=\"a\"", 6);
    strcpy(strstr(dup, "<design"), "</scenario>\n"); /* the design names 'A' */
    CU_ASSERT_EQUAL(el_scenario_load_memory(&s, dup, (long)strlen(dup), "m.xml", NULL, &err),
                    EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(err.msg, "m.xml:5: jurisdiction id 'a' is already used on line 4"));
}

/* <linear price-at-cap="p">: slope = p / (BAU - cap), so MAC(BAU - cap) = p. Absolute cap:
 * BAU 100, cap 96, p 16.2 -> slope 4.05. Intensity cap: output 50 at BAU intensity 0.8 (BAU
 * 40) against a benchmark of 0.7 (cap 35), p 6 -> slope 6 / 5 = 1.2. Refusals name file:line. */
static void test_price_at_cap(void)
{
    static const char ok[] = "<scenario name=\"t\">\n"
                             "<jurisdiction id=\"A\"><bau>100</bau><cap>96</cap>\n"
                             "  <mac><linear price-at-cap=\"16.2\"/></mac></jurisdiction>\n"
                             "<jurisdiction id=\"B\"><intensity benchmark=\"0.7\" output=\"50\" "
                             "bau-intensity=\"0.8\"/>\n"
                             "  <mac><linear price-at-cap=\"6\"/></mac></jurisdiction>\n"
                             "</scenario>\n";
    static const struct {
        const char *xml, *msg;
    } bad[] = {
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>100</bau><cap>100</cap>\n"
         "  <mac><linear price-at-cap=\"5\"/></mac></jurisdiction>\n</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear price-at-cap=\"5\">: BAU 100 is not above the cap "
         "100"},
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>90</bau><cap>100</cap>\n"
         "  <mac><linear price-at-cap=\"5\"/></mac></jurisdiction>\n</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear price-at-cap=\"5\">: BAU 90 is not above the cap 100"},
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap>\n"
         "  <mac><linear price-at-cap=\"5\" slope=\"1\"/></mac></jurisdiction>\n</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear price-at-cap>: give either price-at-cap"},
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap>\n"
         "  <mac><linear price-at-cap=\"5\" intercept=\"0\"/></mac></jurisdiction>\n"
         "</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear price-at-cap>: give either price-at-cap"},
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>100</bau><tax rate=\"3\"/>\n"
         "  <mac><linear price-at-cap=\"5\"/></mac></jurisdiction>\n</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear price-at-cap>: needs a cap"},
        {"<scenario name=\"t\">\n<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap>\n"
         "  <mac><linear/></mac></jurisdiction>\n</scenario>\n",
         "m.xml:3: jurisdiction 'A': <linear> needs a slope or a price-at-cap"},
    };
    ElScenario *s = NULL;
    ElError err;
    size_t k;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load_memory(&s, ok, (long)strlen(ok), "m.xml", NULL, &err),
                          EL_OK);
    CHECK_REL(el_mac_value(s->jur[0].mac, 4), 16.2);
    CHECK_REL(el_mac_value(s->jur[0].mac, 1), 4.05);
    CHECK_REL(el_mac_value(s->jur[0].mac, 0) + 1, 1);
    CHECK_REL(s->jur[1].bau - s->jur[1].cap, 5);
    CHECK_REL(el_mac_value(s->jur[1].mac, 5), 6);
    CHECK_REL(el_mac_value(s->jur[1].mac, 2), 2.4);
    el_scenario_free(s);
    for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        s = NULL;
        CU_ASSERT_EQUAL(
            el_scenario_load_memory(&s, bad[k].xml, (long)strlen(bad[k].xml), "m.xml", NULL, &err),
            EL_ERR_INPUT);
        if (!strstr(err.msg, bad[k].msg))
            fprintf(stderr, "\n  price-at-cap case %zu: got '%s'\n", k, err.msg);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k].msg));
        el_scenario_free(s);
    }
}

CU_TestInfo inputs_tests[] = {
    {"bundled scenario", test_bundled},
    {"CSV curves", test_csv_curves},
    {"CSV parser", test_csv_parser},
    {"bad-input catalogue", test_catalogue},
    {"allocation failures", test_out_of_memory},
    {"symbolic link escaping the folder", test_symlink_escape},
    {"id index: references and duplicates", test_id_index},
    {"linear price-at-cap calibration", test_price_at_cap},
    CU_TEST_INFO_NULL,
};
