/* The C API for bindings (api/etslink.h): designs built in code by ids, solved through the batch
 * engine into tables, against closed forms (docs/model.md §6, §7.1: a full link of linear MACs,
 * a binding quota; §8: Shapley values by a sum over every ordering), plus the tables'
 * accessors, errors with their exit codes and messages, thread invariance and allocation
 * failures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "etslink.h"
#include "suites.h"

/* A (BAU 100, cap 90, MAC = a), B (100, 80, 2a), C (50, 40, 4a): required abatement R = 10, 20,
 * 10; a tax regime T; an offset pool P hosted by the rest of the world. */
static const char api_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<scenario name=\"api\" currency=\"EUR\" unit=\"Mt\">\n"
    "  <jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
    "</jurisdiction>\n"
    "  <jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><linear slope=\"2\"/></mac>"
    "</jurisdiction>\n"
    "  <jurisdiction id=\"C\"><bau>50</bau><cap>40</cap><mac><linear slope=\"4\"/></mac>"
    "</jurisdiction>\n"
    "  <jurisdiction id=\"T\"><bau>10</bau><tax rate=\"5\" credit-limit=\"1\"/>"
    "<mac><linear slope=\"1\"/></mac></jurisdiction>\n"
    "  <offset-pool id=\"P\" host=\"ROW\"><supply><linear intercept=\"1\" slope=\"1\"/></supply>"
    "</offset-pool>\n"
    "  <design id=\"ab\"><group members=\"A B\"/></design>\n"
    "</scenario>\n";

static const double C_[3] = {1, 2, 4}, R_[3] = {10, 20, 10};

static etsl_scenario *load_api(void)
{
    etsl_scenario *s = NULL;
    char err[512];
    int rc = etsl_scenario_load_string(&s, api_xml, strlen(api_xml), "api.xml", err, sizeof(err));
    if (rc != ETSL_OK)
        fprintf(stderr, "\n  load failed: %s\n", err);
    CU_ASSERT_EQUAL(rc, ETSL_OK);
    return s;
}

static double num(const etsl_table *t, const char *col, long row)
{
    int c = etsl_table_column_index(t, col);
    CU_ASSERT_FATAL(c >= 0);
    return etsl_table_doubles(t, c)[row];
}

static const char *str(const etsl_table *t, const char *col, long row)
{
    int c = etsl_table_column_index(t, col);
    CU_ASSERT_FATAL(c >= 0);
    return etsl_table_string(t, c, row);
}

/* The row of jurisdiction j of design d in the jurisdictions table, or -1. */
static long jur_row(const etsl_table *t, const char *d, const char *j)
{
    long r;
    for (r = 0; r < etsl_table_nrows(t); r++)
        if (strcmp(str(t, "design", r), d) == 0 && strcmp(str(t, "jurisdiction", r), j) == 0)
            return r;
    return -1;
}

static etsl_tables *solve(etsl_scenario *s, etsl_design **d, int n, int threads)
{
    etsl_tables *ts = NULL;
    char err[512];
    int rc = etsl_solve(s, (const etsl_design *const *)d, n, threads, &ts, err, sizeof(err));
    if (rc != ETSL_OK)
        fprintf(stderr, "\n  solve failed (%d): %s\n", rc, err);
    CU_ASSERT_EQUAL(rc, ETSL_OK);
    CU_ASSERT_STRING_EQUAL(err, "");
    return ts;
}

/* Groups of 2 and 3 members built in code: p = sum R / sum 1/c, a_j = p / c_j, net imports
 * m_j = R_j - a_j, gain_j = c_j m_j^2 / 2, the total the sum of the gains. */
static void test_groups(void)
{
    etsl_scenario *s = load_api();
    etsl_design *d[2] = {NULL, NULL};
    const char *ab[] = {"A", "B"}, *abc[] = {"A", "B", "C"};
    const etsl_table *jt, *dt;
    etsl_tables *ts;
    int k, n;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(etsl_design_create(&d[0], "g2", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_group(d[0], ab, 2, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_create(&d[1], "g3", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_group(d[1], abc, 3, NULL, 0), ETSL_OK);
    ts = solve(s, d, 2, 1);
    CU_ASSERT_FATAL(ts != NULL);
    jt = etsl_tables_get(ts, "jurisdictions");
    dt = etsl_tables_get(ts, "designs");
    CU_ASSERT_FATAL(jt && dt);
    CU_ASSERT_EQUAL(etsl_table_nrows(dt), 2);
    CU_ASSERT_EQUAL(etsl_table_nrows(jt), 8); /* 2 designs x 4 jurisdictions */
    for (n = 2; n <= 3; n++) {
        const char *id = n == 2 ? "g2" : "g3";
        double sr = 0, si = 0, p, total = 0;
        long dr = n - 2;
        for (k = 0; k < n; k++) {
            sr += R_[k];
            si += 1 / C_[k];
        }
        p = sr / si;
        for (k = 0; k < n; k++) {
            const char *j = k == 0 ? "A" : k == 1 ? "B" : "C";
            long r = jur_row(jt, id, j);
            double m = R_[k] - p / C_[k], gain = C_[k] * m * m / 2;
            CU_ASSERT_FATAL(r >= 0);
            CHECK_REL(num(jt, "price", r), p);
            CHECK_REL(num(jt, "abatement", r), p / C_[k]);
            CHECK_REL(num(jt, "net_imports", r), m);
            CHECK_REL(num(jt, "gain", r), gain);
            CU_ASSERT_STRING_EQUAL(str(jt, "binding", r), "cap");
            total += gain;
        }
        CU_ASSERT_STRING_EQUAL(str(dt, "design", dr), id);
        CU_ASSERT_STRING_EQUAL(str(dt, "outcome", dr), "optimal");
        CHECK_REL(num(dt, "gain", dr), total);
    }
    etsl_tables_free(ts);
    etsl_design_free(d[0]);
    etsl_design_free(d[1]);
    etsl_scenario_free(s);
}

/* A binding quota q = 4 on A -> B (docs/model.md §6, §7.1): p_B = c_B (R_B - q) = 32,
 * p_A = c_A (R_A + q) = 14, rent (p_B - p_A) q = 72, gain_A = c_A q^2 / 2 = 8,
 * gain_B = c_B R_B^2 / 2 - c_B (R_B - q)^2 / 2 - p_A q = 88. With the rent to the seller, A
 * gains the rent too. And a scenario design by id, with a ceiling added on top. */
static void test_quota(void)
{
    etsl_scenario *s = load_api();
    etsl_design *d[3] = {NULL, NULL, NULL};
    const etsl_table *jt, *lt, *dt;
    etsl_tables *ts;
    const double q = 4, pa = 14, pb = 32;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(etsl_design_create(&d[0], "q", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_link(d[0], "A", "B", ETSL_NA, q, ETSL_NA, NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_create(&d[1], "q-seller", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_link(d[1], "A", "B", 1, q, ETSL_NA, "seller", NULL, 0), ETSL_OK);
    /* the file's design ab (p = 20) with a ceiling of 15 in B that sells without limit: the
     * group's price is the ceiling's, A abates 15 and B 7.5, and B releases
     * s = sum R - P sum 1/c = 30 - 22.5 */
    CU_ASSERT_EQUAL(etsl_design_create(&d[2], "ab-ceiling", "ab", NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_instrument(d[2], "ceiling", "B", 15, ETSL_NA, NULL, 0), ETSL_OK);
    ts = solve(s, d, 3, 2);
    CU_ASSERT_FATAL(ts != NULL);
    jt = etsl_tables_get(ts, "jurisdictions");
    lt = etsl_tables_get(ts, "links");
    dt = etsl_tables_get(ts, "designs");
    CHECK_REL(num(jt, "price", jur_row(jt, "q", "A")), pa);
    CHECK_REL(num(jt, "price", jur_row(jt, "q", "B")), pb);
    CHECK_REL(num(jt, "gain", jur_row(jt, "q", "A")), 1 * q * q / 2);
    CHECK_REL(num(jt, "gain", jur_row(jt, "q", "B")),
              2 * 20 * 20 / 2.0 - 2 * 16 * 16 / 2.0 - pa * q);
    CHECK_REL(num(jt, "gain", jur_row(jt, "q-seller", "A")), q * q / 2 + (pb - pa) * q);
    CHECK_REL(num(jt, "gain", jur_row(jt, "q-seller", "B")), 400 - 256 - pa * q - (pb - pa) * q);
    CU_ASSERT_EQUAL(etsl_table_nrows(lt), 2);
    CU_ASSERT_STRING_EQUAL(str(lt, "link", 0), "A->B");
    CU_ASSERT_STRING_EQUAL(str(lt, "rent_to", 1), "seller");
    CHECK_REL(num(lt, "link_units", 0), q);
    CHECK_REL(num(lt, "link_rent", 0), (pb - pa) * q);
    CHECK_REL(num(dt, "gain", 0), 96);
    CHECK_REL(num(jt, "price", jur_row(jt, "ab-ceiling", "A")), 15);
    CHECK_REL(num(jt, "abatement", jur_row(jt, "ab-ceiling", "A")), 15);
    CHECK_REL(num(jt, "abatement", jur_row(jt, "ab-ceiling", "B")), 7.5);
    CHECK_REL(num(jt, "released", jur_row(jt, "ab-ceiling", "B")), 7.5);
    CU_ASSERT_STRING_EQUAL(str(jt, "binding", jur_row(jt, "ab-ceiling", "B")), "ceiling");
    etsl_tables_free(ts);
    for (int k = 0; k < 3; k++)
        etsl_design_free(d[k]);
    etsl_scenario_free(s);
}

/* The tables: the columns of results.csv (docs/results-format.md) in its order, types and
 * units, the accessors' answers out of range. */
static void test_tables(void)
{
    static const char *const jur_cols[] = {
        "design",      "jurisdiction",   "price",           "abatement",       "emissions",
        "net_imports", "abatement_cost", "payments",        "national_cost",   "gain",
        "binding",     "offsets",        "project_credits", "withheld",        "released",
        "penalised",   "taxed",          "payments_abroad", "receipts_abroad", "firms_cost",
        "gov_revenue", "offset_surplus", "ndc_emissions",   "ndc_margin",      "import_rent",
        "shortfall"};
    static const char *const des_cols[] = {"design",     "outcome",     "abatement_cost",
                                           "total_cost", "row_surplus", "national_cost",
                                           "gain"};
    etsl_scenario *s = load_api();
    etsl_design *d = NULL;
    etsl_table *t = NULL;
    etsl_tables *ts;
    const etsl_table *jt, *dt;
    int c;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(etsl_design_create(&d, NULL, "ab", NULL, 0), ETSL_OK);
    CU_ASSERT_STRING_EQUAL(etsl_design_id(d), "ab");
    ts = solve(s, &d, 1, 0);
    CU_ASSERT_FATAL(ts != NULL);
    CU_ASSERT_EQUAL(etsl_tables_count(ts), 6);
    CU_ASSERT_STRING_EQUAL(etsl_tables_name(ts, 0), "designs");
    CU_ASSERT_PTR_NULL(etsl_tables_get(ts, "nope"));
    CU_ASSERT_PTR_NULL(etsl_tables_at(ts, 6));
    jt = etsl_tables_get(ts, "jurisdictions");
    dt = etsl_tables_get(ts, "designs");
    CU_ASSERT_EQUAL_FATAL(etsl_table_ncols(jt), (int)(sizeof(jur_cols) / sizeof(jur_cols[0])));
    for (c = 0; c < etsl_table_ncols(jt); c++)
        CU_ASSERT_STRING_EQUAL(etsl_table_column_name(jt, c), jur_cols[c]);
    CU_ASSERT_EQUAL_FATAL(etsl_table_ncols(dt), (int)(sizeof(des_cols) / sizeof(des_cols[0])));
    for (c = 0; c < etsl_table_ncols(dt); c++)
        CU_ASSERT_STRING_EQUAL(etsl_table_column_name(dt, c), des_cols[c]);
    c = etsl_table_column_index(jt, "price");
    CU_ASSERT_EQUAL(etsl_table_column_type(jt, c), ETSL_COL_DOUBLE);
    CU_ASSERT_STRING_EQUAL(etsl_table_column_unit(jt, c), "EUR/t");
    CU_ASSERT_STRING_EQUAL(etsl_table_column_unit(jt, etsl_table_column_index(jt, "gain")),
                           "million EUR");
    CU_ASSERT_EQUAL(etsl_table_column_type(jt, etsl_table_column_index(jt, "binding")),
                    ETSL_COL_STRING);
    CU_ASSERT_PTR_NULL(etsl_table_strings(jt, c));
    CU_ASSERT_PTR_NULL(etsl_table_doubles(jt, 0));
    CU_ASSERT_PTR_NULL(etsl_table_column_name(jt, -1));
    CU_ASSERT_EQUAL(etsl_table_column_type(jt, 99), -1);
    CU_ASSERT_EQUAL(etsl_table_column_index(jt, "nope"), -1);
    CU_ASSERT_PTR_NULL(etsl_table_string(jt, 0, 99));
    /* NDC margin and import rent: NaN without a target or a limit (no row in results.csv) */
    CU_ASSERT(isnan(num(jt, "ndc_margin", 0)));
    CU_ASSERT(isnan(num(jt, "shortfall", 0)));
    /* T, a tax regime, in the listing */
    CU_ASSERT_EQUAL(etsl_scenario_jurisdictions(s, &t, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_table_nrows(t), 4);
    CU_ASSERT_STRING_EQUAL(str(t, "kind", 3), "tax");
    CHECK_REL(num(t, "tax_rate", 3), 5);
    CHECK_REL(num(t, "cap", 1), 80);
    etsl_table_free(t);
    CU_ASSERT_EQUAL(etsl_scenario_pools(s, &t, NULL, 0), ETSL_OK);
    CU_ASSERT_STRING_EQUAL(str(t, "host", 0), "ROW");
    etsl_table_free(t);
    CU_ASSERT_EQUAL(etsl_scenario_designs(s, &t, NULL, 0), ETSL_OK);
    CU_ASSERT_STRING_EQUAL(str(t, "id", 0), "ab");
    CU_ASSERT_EQUAL(num(t, "groups", 0), 1);
    etsl_table_free(t);
    CU_ASSERT_STRING_EQUAL(etsl_scenario_currency(s), "EUR");
    CU_ASSERT_STRING_EQUAL(etsl_version(), ETSL_VERSION);
    etsl_tables_free(ts);
    etsl_design_free(d);
    etsl_scenario_free(s);
    /* free(NULL) is a no-op */
    etsl_tables_free(NULL);
    etsl_table_free(NULL);
    etsl_design_free(NULL);
    etsl_scenario_free(NULL);
}

/* Errors: the exit code, and a message naming the file, the line and the element. */
static void test_errors(void)
{
    static const char bad_xml[] = "<?xml version=\"1.0\"?>\n<scenario name=\"x\">\n"
                                  "  <jurisdiction id=\"A\">\n</scenario>\n";
    etsl_scenario *s = NULL, *ok = load_api();
    etsl_design *d = NULL, *e = NULL;
    etsl_tables *ts = NULL;
    const char *pair[] = {"A", "ZZ"};
    char err[512];
    CU_ASSERT_FATAL(ok != NULL);
    CU_ASSERT_EQUAL(
        etsl_scenario_load_string(&s, bad_xml, strlen(bad_xml), "bad.xml", err, sizeof(err)),
        ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad.xml:4"));
    CU_ASSERT_EQUAL(etsl_scenario_load(&s, "data/no-such-file.xml", err, sizeof(err)),
                    ETSL_ERR_FILE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no-such-file.xml"));
    /* a tiny buffer gets a cut, terminated message; no buffer is fine */
    CU_ASSERT_EQUAL(etsl_scenario_load(&s, "data/no-such-file.xml", err, 4), ETSL_ERR_FILE);
    CU_ASSERT_EQUAL(strlen(err), 3);
    CU_ASSERT_EQUAL(etsl_scenario_load(&s, "data/no-such-file.xml", NULL, 0), ETSL_ERR_FILE);
    /* an unknown jurisdiction, found when solved */
    CU_ASSERT_EQUAL(etsl_design_create(&d, "x", NULL, err, sizeof(err)), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_group(d, pair, 2, err, sizeof(err)), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_check(ok, d, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "api.xml: design 'x': group: 'ZZ' is not a jurisdiction"));
    CU_ASSERT_EQUAL(etsl_solve(ok, (const etsl_design *const *)&d, 1, 1, &ts, err, sizeof(err)),
                    ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(ts);
    etsl_design_free(d);
    /* the design checks: a quota below zero, a tax regime in a group (no line: "api.xml: ") */
    CU_ASSERT_EQUAL(etsl_design_create(&d, "neg", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_link(d, "A", "B", ETSL_NA, -1, ETSL_NA, NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_check(ok, d, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err, "api.xml: design 'neg': link A->B: quota -1 must be >= 0");
    etsl_design_free(d);
    /* words and arguments checked when added */
    CU_ASSERT_EQUAL(etsl_design_create(&d, "w", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_link(d, "A", "B", 1, 1, ETSL_NA, "nobody", err, sizeof(err)),
                    ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "rent-to 'nobody'"));
    CU_ASSERT_EQUAL(etsl_design_export_cap(d, "A", 1, 0.5, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_EQUAL(etsl_design_instrument(d, "cap", "A", 1, ETSL_NA, err, sizeof(err)),
                    ETSL_ERR_INPUT);
    CU_ASSERT_EQUAL(etsl_design_set(d, "A", "colour", NULL, 1, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_EQUAL(etsl_design_group(d, pair, 0, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_EQUAL(etsl_design_create(&e, "", NULL, err, sizeof(err)), ETSL_ERR_INPUT);
    /* an unknown base design, an unknown pool, an import limit's unknown source */
    CU_ASSERT_EQUAL(etsl_design_create(&e, "e", "no-such-design", NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_check(ok, e, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'no-such-design' is not a design"));
    etsl_design_free(e);
    CU_ASSERT_EQUAL(etsl_design_create(&e, "e", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_accept(e, "Q", "A", ETSL_NA, ETSL_NA, ETSL_NA, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_check(ok, e, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'Q' is not an offset pool of the scenario (P)"));
    etsl_design_free(e);
    CU_ASSERT_EQUAL(etsl_design_create(&e, "e", NULL, NULL, 0), ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_import_limit(e, "B", 3, ETSL_NA, "links gadgets", NULL, 0),
                    ETSL_OK);
    CU_ASSERT_EQUAL(etsl_design_check(ok, e, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "'gadgets' is neither links"));
    etsl_design_free(e);
    /* two designs with one id */
    CU_ASSERT_EQUAL(etsl_design_create(&e, "w", "ab", NULL, 0), ETSL_OK);
    {
        etsl_design *two[2] = {d, e};
        CU_ASSERT_EQUAL(
            etsl_solve(ok, (const etsl_design *const *)two, 2, 1, &ts, err, sizeof(err)),
            ETSL_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "design id 'w' is given twice"));
    }
    /* coalitions: unknown, taxed and repeated members */
    {
        const char *m1[] = {"A", "ZZ"}, *m2[] = {"A", "T"}, *m3[] = {"A", "A"};
        CU_ASSERT_EQUAL(etsl_coalitions(ok, m1, 2, NULL, 1, &ts, err, sizeof(err)), ETSL_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "member 'ZZ' is not a jurisdiction"));
        CU_ASSERT_EQUAL(etsl_coalitions(ok, m2, 2, NULL, 1, &ts, err, sizeof(err)), ETSL_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "tax regime"));
        CU_ASSERT_EQUAL(etsl_coalitions(ok, m3, 2, NULL, 1, &ts, err, sizeof(err)), ETSL_ERR_INPUT);
        CU_ASSERT_PTR_NULL(ts);
    }
    /* NULL handles */
    CU_ASSERT_EQUAL(etsl_solve(NULL, NULL, 0, 1, &ts, err, sizeof(err)), ETSL_ERR_INPUT);
    CU_ASSERT_EQUAL(etsl_design_group(NULL, pair, 2, err, sizeof(err)), ETSL_ERR_INPUT);
    etsl_design_free(d);
    etsl_design_free(e);
    etsl_scenario_free(ok);
}

/* v(S) of the linear members A, B, C linked in one group (docs/model.md §6). */
static double value(void *ctx, unsigned mask)
{
    double sr = 0, si = 0, v = 0, p;
    int j;
    (void)ctx;
    for (j = 0; j < 3; j++)
        if ((mask >> j) & 1u) {
            sr += R_[j];
            si += 1 / C_[j];
        }
    p = sr / si;
    for (j = 0; j < 3; j++)
        if ((mask >> j) & 1u)
            v += C_[j] * (R_[j] - p / C_[j]) * (R_[j] - p / C_[j]) / 2;
    return v;
}

/* The coalition game of A, B, C: values, and Shapley values as the mean marginal contribution
 * over the 6 orderings. */
static void test_coalitions(void)
{
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                     {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    etsl_scenario *s = load_api();
    const char *members[] = {"A", "B", "C"};
    etsl_tables *ts = NULL;
    const etsl_table *mt, *ct, *st;
    double phi[3] = {0, 0, 0};
    char err[512];
    int o, k;
    long r;
    CU_ASSERT_FATAL(s != NULL);
    for (o = 0; o < 6; o++) {
        unsigned mask = 0;
        double prev = 0;
        for (k = 0; k < 3; k++) {
            double v;
            mask |= 1u << orders[o][k];
            v = value(NULL, mask);
            phi[orders[o][k]] += (v - prev) / 6;
            prev = v;
        }
    }
    CU_ASSERT_EQUAL_FATAL(etsl_coalitions(s, members, 3, NULL, 2, &ts, err, sizeof(err)), ETSL_OK);
    mt = etsl_tables_get(ts, "members");
    ct = etsl_tables_get(ts, "coalitions");
    st = etsl_tables_get(ts, "summary");
    CU_ASSERT_EQUAL(etsl_table_nrows(mt), 3);
    for (k = 0; k < 3; k++) {
        CU_ASSERT_STRING_EQUAL(str(mt, "member", k), members[k]);
        CHECK_REL(num(mt, "shapley", k), phi[k]);
    }
    CU_ASSERT_EQUAL(etsl_table_nrows(ct), 7);
    for (r = 0; r < 7; r++) {
        unsigned m = (unsigned)num(ct, "mask", r);
        CU_ASSERT_EQUAL(m, (unsigned)r + 1);
        CHECK_REL(num(ct, "value", r), value(NULL, m));
    }
    CU_ASSERT_STRING_EQUAL(str(ct, "coalition", 6), "A B C");
    CHECK_REL(num(st, "grand_coalition", 0), value(NULL, 7));
    CU_ASSERT_EQUAL(num(st, "superadditive", 0), 1);
    CU_ASSERT_EQUAL(etsl_table_nrows(etsl_tables_get(ts, "gains")), 12);
    CU_ASSERT(etsl_table_nrows(etsl_tables_get(ts, "structures")) >= 1);
    CU_ASSERT_STRING_EQUAL(str(etsl_tables_get(ts, "structures"), "structure", 0), "{A B C}");
    etsl_tables_free(ts);
    etsl_scenario_free(s);
}

/* Every number and string of every table is the same on 1 and 3 threads. */
static void test_threads(void)
{
    etsl_scenario *s = load_api();
    etsl_design *d[40];
    etsl_tables *t1, *t3;
    int i, k, c;
    long r;
    CU_ASSERT_FATAL(s != NULL);
    for (i = 0; i < 40; i++) {
        char id[16];
        snprintf(id, sizeof(id), "q%d", i);
        CU_ASSERT_EQUAL(etsl_design_create(&d[i], id, NULL, NULL, 0), ETSL_OK);
        CU_ASSERT_EQUAL(etsl_design_link(d[i], "A", "B", ETSL_NA, i * 0.5, ETSL_NA, NULL, NULL, 0),
                        ETSL_OK);
    }
    t1 = solve(s, d, 40, 1);
    t3 = solve(s, d, 40, 3);
    CU_ASSERT_FATAL(t1 && t3);
    for (k = 0; k < etsl_tables_count(t1); k++) {
        const etsl_table *a = etsl_tables_at(t1, k), *b = etsl_tables_at(t3, k);
        CU_ASSERT_EQUAL_FATAL(etsl_table_nrows(a), etsl_table_nrows(b));
        for (c = 0; c < etsl_table_ncols(a); c++)
            for (r = 0; r < etsl_table_nrows(a); r++) {
                if (etsl_table_column_type(a, c) == ETSL_COL_STRING) {
                    CU_ASSERT_STRING_EQUAL(etsl_table_string(a, c, r), etsl_table_string(b, c, r));
                } else {
                    double x = etsl_table_doubles(a, c)[r], y = etsl_table_doubles(b, c)[r];
                    CU_ASSERT(memcmp(&x, &y, sizeof(x)) == 0);
                }
            }
    }
    etsl_tables_free(t1);
    etsl_tables_free(t3);
    for (i = 0; i < 40; i++)
        etsl_design_free(d[i]);
    etsl_scenario_free(s);
}

/* Allocation n fails, for n = 1, 2, ... until the whole sequence succeeds: each failure is
 * ETSL_ERR_MEMORY with no handle returned (and, under make asan / valgrind, no leak). */
static void test_out_of_memory(void)
{
    const char *ab[] = {"A", "B"};
    long n;
    int done = 0;
    for (n = 1; n < 100000 && !done; n++) {
        etsl_scenario *s = NULL;
        etsl_design *d[2] = {NULL, NULL};
        etsl_tables *ts = NULL, *cs = NULL;
        char err[256];
        int rc;
        el_alloc_fail_at(n);
        rc = etsl_scenario_load_string(&s, api_xml, strlen(api_xml), "api.xml", err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_design_create(&d[0], "g", NULL, err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_design_group(d[0], ab, 2, err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_design_create(&d[1], "l", "ab", err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_design_link(d[1], "C", "A", 1, 2, ETSL_NA, "seller", err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_solve(s, (const etsl_design *const *)d, 2, 1, &ts, err, sizeof(err));
        if (rc == ETSL_OK)
            rc = etsl_coalitions(s, ab, 2, d[1], 1, &cs, err, sizeof(err));
        el_alloc_fail_at(0);
        if (rc == ETSL_OK) {
            done = 1;
        } else if (rc != ETSL_ERR_MEMORY) {
            fprintf(stderr, "\n  allocation %ld failed and gave %d: %s\n", n, rc, err);
            CU_FAIL("allocation failure not reported as ETSL_ERR_MEMORY");
            done = 1;
        } else {
            CU_ASSERT(ts == NULL || cs == NULL);
        }
        etsl_tables_free(ts);
        etsl_tables_free(cs);
        etsl_design_free(d[0]);
        etsl_design_free(d[1]);
        etsl_scenario_free(s);
    }
    CU_ASSERT(done);
    CU_ASSERT(n > 100);
}

CU_TestInfo api_tests[] = {
    {"groups of 2 and 3 members built in code: closed forms", test_groups},
    {"a binding quota, rent to the seller, a scenario design with a ceiling", test_quota},
    {"tables: results.csv's columns, units, accessors", test_tables},
    {"errors: exit codes and messages", test_errors},
    {"coalitions: Shapley values over every ordering", test_coalitions},
    {"1 and 3 threads give the same tables", test_threads},
    {"allocation failures: ETSL_ERR_MEMORY, nothing leaked", test_out_of_memory},
    CU_TEST_INFO_NULL,
};
