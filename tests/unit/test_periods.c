/* Several periods (engine/periods.h) against the closed forms of docs/model.md §10, linear MACs
 * c a: with free banking and borrowing the price rises at the discount rate (Hotelling),
 * p_t = p_1 (1 + r)^(t - 1), and sum_t a_t = sum_t R_t, so p_1 = c sum R / sum (1 + r)^(t - 1);
 * banking alone cannot move units back in time, so a falling requirement parts the prices; a
 * borrowing limit or a bank cap that binds fixes the units moved; a link that starts later
 * equalises every year's prices once units may be banked and borrowed towards it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "periods.h"
#include "suites.h"

static ElScenario *load_text(const char *xml, ElError *err)
{
    ElScenario *s = NULL;
    if (el_scenario_load_memory(&s, xml, (long)strlen(xml), "test.xml", NULL, err) != EL_OK)
        return NULL;
    return s;
}

/* One jurisdiction (BAU 1000, MAC c a) with requirement R[t] in year 2026 + t, banking and
 * borrowing as given by extra (child elements of the jurisdiction). */
static ElScenario *one(double c, const double *R, int T, double rate, const char *extra)
{
    static char xml[8192];
    char path[4096] = "";
    size_t len = 0;
    int t;
    ElError err = {EL_OK, ""};
    ElScenario *s;
    for (t = 1; t < T; t++)
        len += (size_t)snprintf(path + len, sizeof(path) - len, "<year y=\"%d\" cap=\"%.17g\"/>",
                                2026 + t, 1000 - R[t]);
    snprintf(xml, sizeof(xml),
             "<scenario name=\"t\"><periods first=\"2026\" last=\"%d\" discount-rate=\"%g\"/>"
             "<jurisdiction id=\"A\"><bau>1000</bau><cap>%.17g</cap><mac><linear slope=\"%g\"/>"
             "</mac>%s%s%s%s</jurisdiction></scenario>",
             2025 + T, rate, 1000 - R[0], c, T > 1 ? "<path>" : "", path, T > 1 ? "</path>" : "",
             extra);
    s = load_text(xml, &err);
    if (!s)
        fprintf(stderr, "\n%s\n", err.msg);
    return s;
}

static void hotelling(int T, double r)
{
    static const double R[5] = {30, 10, 25, 5, 40};
    double c = 2, sumR = 0, sumg = 0, p1;
    int t;
    ElMultiResult res;
    ElError err = {EL_OK, ""};
    ElScenario *s = one(c, R, T, r, "<borrowing share=\"1\"/>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    for (t = 0; t < T; t++) {
        sumR += R[t];
        sumg += pow(1 + r, t);
    }
    p1 = c * sumR / sumg;
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(res.outcome, EL_OPTIMAL);
    for (t = 0; t < T; t++) {
        double p = p1 * pow(1 + r, t), cum = 0;
        int k;
        CHECK_REL(res.year[t].jur[0].price, p);
        CHECK_REL(res.year[t].jur[0].abatement, p / c);
        for (k = 0; k <= t; k++) /* bank = abated so far - required so far */
            cum += p1 * pow(1 + r, k) / c - R[k];
        CU_ASSERT_DOUBLE_EQUAL(res.bank[t], cum, 1e-6 * (1 + sumR));
    }
    CU_ASSERT_DOUBLE_EQUAL(res.bank[T - 1], 0, 1e-6);
    el_multi_result_clear(&res);
    el_scenario_free(s);
}

static void test_hotelling(void)
{
    hotelling(2, 0.05);
    hotelling(5, 0.05);
    hotelling(5, 0);
    hotelling(1, 0.05); /* one period: autarky as today */
}

/* Banking only: R = (30, 10) would borrow, cannot: each year alone, p = c R. R = (10, 30):
 * the bank carries units forward, p_2 = (1 + r) p_1 with a_1 + a_2 = 40. */
static void test_banking_only(void)
{
    double c = 2, r = 0.1, fall[2] = {30, 10}, rise[2] = {10, 30}, p1;
    ElMultiResult res;
    ElError err = {EL_OK, ""};
    ElScenario *s = one(c, fall, 2, r, "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CHECK_REL(res.year[0].jur[0].price, c * 30);
    CHECK_REL(res.year[1].jur[0].price, c * 10);
    CU_ASSERT_DOUBLE_EQUAL(res.bank[0], 0, 1e-9);
    el_multi_result_clear(&res);
    el_scenario_free(s);
    s = one(c, rise, 2, r, "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    p1 = c * 40 / (2 + r);
    CHECK_REL(res.year[0].jur[0].price, p1);
    CHECK_REL(res.year[1].jur[0].price, p1 * (1 + r));
    CHECK_REL(res.bank[0], p1 / c - 10);
    el_multi_result_clear(&res);
    el_scenario_free(s);
}

/* Limits that bind. Borrowing share s of emissions with R = (30, 10), BAU 1000: the borrowed
 * v = s (1000 - a_1) and a_1 = 30 - v, so a_1 = (30 - 1000 s) / (1 - s) = 25.1256... with
 * s = 0.005. Free borrowing would abate a_1 = 40 / (2 + r) = 19.05 (p_2 = (1 + r) p_1 and
 * a_1 + a_2 = 40), so the limit binds: (30 - 1000 s) / (1 - s) > 40 / (2 + r). A bank cap B with
 * R = (10, 30): a_1 = 10 + B, a_2 = 30 - B. */
static void test_limits(void)
{
    double c = 2, r = 0.1, fall[2] = {30, 10}, rise[2] = {10, 30}, s_ = 0.005;
    double a1 = (30 - 1000 * s_) / (1 - s_);
    ElMultiResult res;
    ElError err = {EL_OK, ""};
    ElScenario *s = one(c, fall, 2, r, "<borrowing share=\"0.005\"/>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(a1 > 40 / (2 + r)); /* the limit binds */
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CHECK_REL(res.year[0].jur[0].abatement, a1);
    CHECK_REL(res.year[1].jur[0].abatement, 40 - a1);
    CHECK_REL(res.bank[0], -(30 - a1));
    CU_ASSERT(res.year[1].jur[0].price < (1 + r) * res.year[0].jur[0].price);
    el_multi_result_clear(&res);
    el_scenario_free(s);
    s = one(c, rise, 2, r, "<banking max=\"3\"/>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CHECK_REL(res.year[0].jur[0].abatement, 13);
    CHECK_REL(res.year[1].jur[0].abatement, 27);
    CHECK_REL(res.bank[0], 3);
    CU_ASSERT(res.year[1].jur[0].price > (1 + r) * res.year[0].jur[0].price);
    el_multi_result_clear(&res);
    el_scenario_free(s);
    /* banking not allowed: each year alone even with a rising requirement */
    s = one(c, rise, 2, r, "<banking allowed=\"false\"/>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CHECK_REL(res.year[0].jur[0].price, c * 10);
    CHECK_REL(res.year[1].jur[0].price, c * 30);
    el_multi_result_clear(&res);
    el_scenario_free(s);
}

/* A and B (c = 1 and 2; requirements (10, 10, 10) and (40, 40, 40)), linked from year 3 of 3,
 * free banking and borrowing: units move through time in each account and across the link from
 * year 3 on, so every price is p_t = p_1 (1 + r)^(t - 1) in both, with
 * p_1 = sum R / ((1/1 + 1/2) sum_t (1 + r)^(t - 1)); in autarky each keeps its own Hotelling
 * path. The gain is the fall in discounted cost, sum over j and t of discounted c_j a^2 / 2. */
static void test_late_link(void)
{
    const char *xml =
        "<scenario name=\"t\"><periods first=\"2026\" last=\"2028\" discount-rate=\"0.05\"/>"
        "<jurisdiction id=\"A\"><bau>1000</bau><cap>990</cap><mac><linear slope=\"1\"/></mac>"
        "<borrowing share=\"1\"/></jurisdiction>"
        "<jurisdiction id=\"B\"><bau>1000</bau><cap>960</cap><mac><linear slope=\"2\"/></mac>"
        "<borrowing share=\"1\"/></jurisdiction>"
        "<design id=\"late\"><group members=\"A B\" from=\"2028\"/></design></scenario>";
    ElError err = {EL_OK, ""};
    ElScenario *s = load_text(xml, &err);
    ElMultiResult base, res;
    double r = 0.05, g = 1 + 1.05 + 1.05 * 1.05, p1 = 150 / (1.5 * g), cost_link = 0, cost_aut = 0;
    double pa = 1 * 30 / g, pb = 2 * 120 / g; /* autarky first-year prices */
    int t;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &base, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, s->designs[0], &base, &res, &err), EL_OK);
    for (t = 0; t < 3; t++) {
        double d = pow(1 + r, -t), p = p1 * pow(1 + r, t);
        CHECK_REL(res.year[t].jur[0].price, p);
        CHECK_REL(res.year[t].jur[1].price, p);
        CHECK_REL(base.year[t].jur[0].price, pa * pow(1 + r, t));
        CHECK_REL(base.year[t].jur[1].price, pb * pow(1 + r, t));
        cost_link += d * (p * p / 2 + p * p / 4); /* c a^2 / 2 with a = p / c */
        cost_aut += d * (pow(pa * pow(1 + r, t), 2) / 2 + pow(pb * pow(1 + r, t), 2) / 4);
    }
    CU_ASSERT(res.year[0].jur[0].net_imports == 0); /* not linked before 2028 */
    CHECK_REL(res.pv_total_gain, cost_aut - cost_link);
    el_multi_result_clear(&res);
    el_multi_result_clear(&base);
    el_scenario_free(s);
}

/* Bad input: a year outside the horizon, a path out of order, a negative bank limit, a bank
 * without periods. */
/* Borrowing within phases (<borrowing phase-starts="2027">): R = (30, 30, 0), c = 2, r = 0.05.
 * Nothing is borrowed from 2027 into 2026, so 2026 stands alone, p_1 = c 30 = 60; 2027 borrows
 * from 2028: a_2 + a_3 = 30 with p_3 = 1.05 p_2, a_2 = 30 / 2.05, bank_2 = a_2 - 30 (< 0). Without
 * the phase, Hotelling over the three years: p_1 = c 60 / (1 + 1.05 + 1.05^2). */
static void test_phases(void)
{
    static const double R[3] = {30, 30, 0};
    double c = 2, r = 0.05, a2 = 30 / 2.05, p1 = c * 60 / (1 + 1.05 + 1.05 * 1.05);
    ElMultiResult res;
    ElError err = {EL_OK, ""};
    ElScenario *s = one(c, R, 3, r, "<borrowing share=\"1\" phase-starts=\"2027\"/>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(res.outcome, EL_OPTIMAL);
    CHECK_REL(res.year[0].jur[0].price, c * 30);
    CU_ASSERT_DOUBLE_EQUAL(res.bank[0], 0, 1e-9);
    CHECK_REL(res.year[1].jur[0].abatement, a2);
    CHECK_REL(res.year[1].jur[0].price, c * a2);
    CHECK_REL(res.year[2].jur[0].price, 1.05 * c * a2);
    CHECK_REL(res.bank[1], a2 - 30);
    el_multi_result_clear(&res);
    el_scenario_free(s);
    s = one(c, R, 3, r, "<borrowing share=\"1\" phase-starts=\"2028\"/>"); /* 2027 -> 2028 */
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    /* 2026 borrows from 2027 and neither from 2028: a_1 + a_2 = 60, p_2 = 1.05 p_1; a_3 = 0 */
    CHECK_REL(res.year[0].jur[0].price, c * 60 / 2.05);
    CHECK_REL(res.year[1].jur[0].price, 1.05 * c * 60 / 2.05);
    CU_ASSERT_DOUBLE_EQUAL(res.year[2].jur[0].price, 0, 1e-9);
    el_multi_result_clear(&res);
    el_scenario_free(s);
    s = one(c, R, 3, r, "<borrowing share=\"1\"/>"); /* one phase: Hotelling */
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &res, &err), EL_OK);
    CHECK_REL(res.year[0].jur[0].price, p1);
    CHECK_REL(res.year[2].jur[0].price, p1 * 1.05 * 1.05);
    el_multi_result_clear(&res);
    el_scenario_free(s);
}

static void test_bad_input(void)
{
    static const char *const cases[][2] = {
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<path><year y=\"2031\" cap=\"80\"/></path></jurisdiction>",
         "a year from 2026 to 2030"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<path><year y=\"2029\" cap=\"80\"/><year y=\"2028\" cap=\"70\"/></path>"
         "</jurisdiction>",
         "must increase"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<banking max=\"-1\"/></jurisdiction>",
         "minimum value allowed"},
        {"<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<banking max=\"1\"/></jurisdiction>",
         "needs <periods>"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "</jurisdiction><jurisdiction id=\"B\"><bau>100</bau><cap>90</cap><mac><linear "
         "slope=\"1\"/></mac></jurisdiction><design id=\"d\"><group members=\"A B\" "
         "from=\"2020\"/></design>",
         "a year from 2026 to 2030"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<borrowing share=\"0.1\" phase-starts=\"2026\"/></jurisdiction>",
         "2026 is not after 2026"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<borrowing share=\"0.1\" phase-starts=\"2029 2028\"/></jurisdiction>",
         "2028 is not after 2029"},
        {"<periods first=\"2026\" last=\"2030\"/>"
         "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
         "<borrowing share=\"0.1\" phase-starts=\"2031\"/></jurisdiction>",
         "no later than 2030"},
    };
    size_t k;
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char xml[2048];
        ElError err = {EL_OK, ""};
        ElScenario *s;
        snprintf(xml, sizeof(xml), "<scenario name=\"t\">%s</scenario>", cases[k][0]);
        s = load_text(xml, &err);
        CU_ASSERT_PTR_NULL(s);
        CU_ASSERT(err.code == EL_ERR_INPUT || err.code == EL_ERR_SCHEMA); /* both exit 3 */
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[k][1]));
        if (!strstr(err.msg, cases[k][1]))
            fprintf(stderr, "\n  got: %s\n", err.msg);
        el_scenario_free(s);
    }
}

/* Two algorithms: banks without limits are pruned to one per pair of groups (a forest: no QP
 * for the split, the equal split) while banks with a limit that never binds (max 1e8) take the
 * general path (a singular first stage solved by the LP path, then the least-squares tie QP).
 * Random scenarios of 2 to 4 jurisdictions over 2 to 4 years, with groups that start and end
 * at random, must give the same prices, abatement and banks to 1e-6; and a persistent group
 * splits its bank equally. */
static void test_pruned_vs_general(void)
{
    Rng g = {606};
    int trial;
    for (trial = 0; trial < 40; trial++) {
        int nj = 2 + trial % 3, T = 2 + (trial / 3) % 3, j, y, k;
        char xml[2][16384];
        int v;
        ElMultiResult base[2], res[2];
        ElScenario *s[2];
        for (v = 0; v < 2; v++) {
            size_t len = 0;
            Rng h = g; /* the same draws for both versions */
            len += (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len,
                                    "<scenario name=\"t\"><periods first=\"2026\" last=\"%d\" "
                                    "discount-rate=\"%g\"/>",
                                    2025 + T, 0.03 * (trial % 4));
            for (j = 0; j < nj; j++) {
                double c = uniform(&h, 0.5, 3);
                len += (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len,
                                        "<jurisdiction id=\"J%d\"><bau>1000</bau><cap>%.6f</cap>"
                                        "<mac><linear slope=\"%.6f\"/></mac><path>",
                                        j, 1000 - uniform(&h, 1, 30), c);
                for (y = 1; y < T; y++)
                    len += (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len,
                                            "<year y=\"%d\" cap=\"%.6f\"/>", 2026 + y,
                                            1000 - uniform(&h, 1, 40));
                len +=
                    (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len, "</path>%s</jurisdiction>",
                                     v ? "<banking max=\"1e8\"/>" : "");
            }
            len += (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len, "<design id=\"d\">");
            for (k = 0; k < 2; k++) { /* two groups with random spans */
                int a = irand(&h, nj), b = (a + 1 + irand(&h, nj - 1)) % nj;
                int y0 = 2026 + irand(&h, T), y1 = y0 + irand(&h, 2026 + T - y0);
                len += (size_t)snprintf(xml[v] + len, sizeof(xml[v]) - len,
                                        "<group members=\"J%d J%d\" start=\"%d\" until=\"%d\"/>", a,
                                        b, y0, y1);
            }
            snprintf(xml[v] + len, sizeof(xml[v]) - len, "</design></scenario>");
            if (v == 1)
                g = h;
        }
        for (v = 0; v < 2; v++) {
            ElError err = {EL_OK, ""};
            s[v] = load_text(xml[v], &err);
            if (!s[v])
                fprintf(stderr, "\n%s\n", err.msg);
            CU_ASSERT_PTR_NOT_NULL_FATAL(s[v]);
            CU_ASSERT_EQUAL_FATAL(el_multi_solve(s[v], NULL, NULL, &base[v], &err), EL_OK);
            CU_ASSERT_EQUAL_FATAL(el_multi_solve(s[v], s[v]->designs[0], &base[v], &res[v], &err),
                                  EL_OK);
        }
        for (y = 0; y < T; y++)
            for (j = 0; j < nj; j++) {
                const ElJurResult *a = &res[0].year[y].jur[j], *b = &res[1].year[y].jur[j];
                CU_ASSERT_DOUBLE_EQUAL(a->price, b->price, 1e-6 * (1 + fabs(b->price)));
                CU_ASSERT_DOUBLE_EQUAL(a->abatement, b->abatement, 1e-6 * (1 + b->abatement));
                CU_ASSERT_DOUBLE_EQUAL(res[0].bank[y * nj + j], res[1].bank[y * nj + j],
                                       1e-6 * (1 + fabs(res[1].bank[y * nj + j])));
            }
        CU_ASSERT_DOUBLE_EQUAL(res[0].pv_total_gain, res[1].pv_total_gain,
                               1e-6 * (1 + fabs(res[1].pv_total_gain)));
        for (v = 0; v < 2; v++) {
            el_multi_result_clear(&res[v]);
            el_multi_result_clear(&base[v]);
            el_scenario_free(s[v]);
        }
    }
}

/* A group of three over three years with rising requirements (5, 10, 40 each): the group's
 * bank is split equally, and prices follow Hotelling at the group level. */
static void test_equal_split(void)
{
    const char *xml =
        "<scenario name=\"t\"><periods first=\"2026\" last=\"2028\" discount-rate=\"0.1\"/>"
        "<jurisdiction id=\"A\"><bau>1000</bau><cap>995</cap><mac><linear slope=\"1\"/></mac>"
        "<path><year y=\"2027\" cap=\"990\"/><year y=\"2028\" cap=\"960\"/></path>"
        "</jurisdiction>"
        "<jurisdiction id=\"B\"><bau>1000</bau><cap>995</cap><mac><linear slope=\"2\"/></mac>"
        "<path><year y=\"2027\" cap=\"990\"/><year y=\"2028\" cap=\"960\"/></path>"
        "</jurisdiction>"
        "<jurisdiction id=\"C\"><bau>1000</bau><cap>995</cap><mac><linear slope=\"4\"/></mac>"
        "<path><year y=\"2027\" cap=\"990\"/><year y=\"2028\" cap=\"960\"/></path>"
        "</jurisdiction>"
        "<design id=\"abc\"><group members=\"A B C\"/></design></scenario>";
    ElError err = {EL_OK, ""};
    ElScenario *s = load_text(xml, &err);
    ElMultiResult base, res;
    double inv = 1 + 0.5 + 0.25, g = 1 + 1.1 + 1.21, p1 = 165 / (inv * g), cum = 0;
    int t;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, NULL, NULL, &base, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_multi_solve(s, s->designs[0], &base, &res, &err), EL_OK);
    for (t = 0; t < 3; t++) {
        static const double req[3] = {15, 30, 120};
        double p = p1 * pow(1.1, t);
        CHECK_REL(res.year[t].jur[0].price, p);
        CHECK_REL(res.year[t].jur[2].price, p);
        cum += p * inv - req[t];
        if (t < 2) {
            CHECK_REL(res.bank[t * 3 + 0], cum / 3);
            CHECK_REL(res.bank[t * 3 + 1], cum / 3);
            CHECK_REL(res.bank[t * 3 + 2], cum / 3);
        }
    }
    el_multi_result_clear(&res);
    el_multi_result_clear(&base);
    el_scenario_free(s);
}

CU_TestInfo periods_tests[] = {
    {"free banking and borrowing: Hotelling over 1, 2 and 5 periods", test_hotelling},
    {"banking only: a falling requirement parts the prices", test_banking_only},
    {"a borrowing limit, a bank cap and no banking bind", test_limits},
    {"a link from year 3 equalises every year's prices", test_late_link},
    {"borrowing within compliance phases (phase-starts)", test_phases},
    {"bad several-period input is refused", test_bad_input},
    {"pruned banks against the general path on random scenarios", test_pruned_vs_general},
    {"a persistent group splits its bank equally", test_equal_split},
    CU_TEST_INFO_NULL,
};
