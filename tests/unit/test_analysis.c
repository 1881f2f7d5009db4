/* Analyses (model/analysis.h, engine/analyze.h): templates, sweeps, searches, sequences,
 * against the closed forms of docs/model.md §3 and §7 for linear MACs MAC_j = c_j a:
 * - a binding quota q on A -> B: p_B = c_B (R_B - q), p_A = c_A (R_A + q); the seller gains
 *   c_A q^2 / 2; the buyer, keeping the rent, gains c_B R_B^2/2 - c_B (R_B - q)^2/2 - p_A q,
 *   largest at the monopsony quota q* = (c_B R_B - c_A R_A) / (c_B + 2 c_A);
 * - a full link of S: p = sum R / sum 1/c, gain_j = c_j (R_j - p/c_j)^2 / 2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "load.h"
#include "suites.h"

static ElScenario *load_text(const char *xml, ElError *err)
{
    ElScenario *s = NULL;
    if (el_scenario_load_memory(&s, xml, (long)strlen(xml), "test.xml", NULL, err) != EL_OK)
        return NULL;
    return s;
}

/* Two jurisdictions A (seller) and B (buyer): BAU 100, required abatements ra and rb, slopes ca
 * and cb; a template "q" with a link A -> B of quota {q} and rent-to {who}; then `extra`. */
static ElScenario *pair(double ca, double ra, double cb, double rb, const char *extra)
{
    static char xml[8192];
    ElError err = {EL_OK, ""};
    ElScenario *s;
    snprintf(xml, sizeof(xml),
             "<scenario name=\"t\">"
             "<jurisdiction id=\"A\"><bau>1000</bau><cap>%.17g</cap><mac><linear slope=\"%.17g\"/>"
             "</mac></jurisdiction>"
             "<jurisdiction id=\"B\"><bau>1000</bau><cap>%.17g</cap><mac><linear slope=\"%.17g\"/>"
             "</mac></jurisdiction>"
             "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\" rent-to=\"{who}\"/></design>"
             "%s</scenario>",
             1000 - ra, ca, 1000 - rb, cb, extra);
    s = load_text(xml, &err);
    if (!s)
        fprintf(stderr, "\n  load failed: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(s);
    return s;
}

static const ElAnalysis *analysis(const ElScenario *s, const char *id)
{
    const ElAnalysis *a = s ? el_analyses_find(s->analyses, id) : NULL;
    CU_ASSERT_PTR_NOT_NULL(a);
    return a;
}

static double buyer_gain(double ca, double ra, double cb, double rb, double q)
{
    return cb * rb * rb / 2 - cb * (rb - q) * (rb - q) / 2 - ca * (ra + q) * q;
}

static double monopsony(double ca, double ra, double cb, double rb)
{
    return (cb * rb - ca * ra) / (cb + 2 * ca);
}

static ElBatchOptions one_thread = {1, false, 0};

/* The search finds the monopsony quota to 1e-6, on random pairs. */
static void test_search_monopsony(void)
{
    Rng g = {20261207};
    int t;
    for (t = 0; t < 25; t++) {
        double ca = uniform(&g, 0.5, 4), cb = uniform(&g, 0.5, 4), ra = uniform(&g, 1, 20);
        double rb = (ca * ra + uniform(&g, 5, 60)) / cb; /* c_B R_B > c_A R_A: B buys */
        double qs = monopsony(ca, ra, cb, rb), qfree = (cb * rb - ca * ra) / (ca + cb);
        char extra[600];
        ElScenario *s;
        ElSearchResult res;
        ElError err = {EL_OK, ""};
        snprintf(extra, sizeof(extra),
                 "<search id=\"best\" design=\"q\"><param name=\"q\" min=\"0\" max=\"%.17g\"/>"
                 "<param name=\"who\" values=\"buyer\"/><maximize what=\"gain\" of=\"B\"/>"
                 "</search>",
                 2 * qfree);
        s = pair(ca, ra, cb, rb, extra);
        if (!s)
            return;
        CU_ASSERT_EQUAL_FATAL(
            el_search_run(s, analysis(s, "best"), &one_thread, NULL, NULL, &res, &err), EL_OK);
        CU_ASSERT(res.found);
        CU_ASSERT_DOUBLE_EQUAL(res.best.values[0], qs, 1e-9);
        CHECK_REL(res.best.obj[0], buyer_gain(ca, ra, cb, rb, qs));
        CHECK_REL(res.best_result.jur[1].price, cb * (rb - qs));
        CHECK_REL(res.best_result.jur[0].price, ca * (ra + qs));
        CU_ASSERT(res.nactive >= 1);
        el_search_result_clear(&res);
        el_scenario_free(s);
    }
}

/* A requirement that binds: the seller must gain at least G: c_A q^2 / 2 >= G, so q >= sqrt(2G/c_A)
 * above the monopsony quota; the optimum is that bound, and the requirement is named. */
static void test_search_requirement_binds(void)
{
    double ca = 1, ra = 10, cb = 2, rb = 30; /* q* = 12.5, free flow 16.67 */
    double qreq = sqrt(2 * 100 / ca);        /* 14.142 */
    ElScenario *s = pair(ca, ra, cb, rb,
                         "<search id=\"best\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"
                         "<param name=\"who\" values=\"buyer\"/><maximize what=\"gain\" of=\"B\"/>"
                         "<require what=\"gain\" of=\"A\" at-least=\"100\"/></search>");
    ElSearchResult res;
    ElError err = {EL_OK, ""};
    int k, named = 0;
    if (!s)
        return;
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "best"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT(res.found);
    CU_ASSERT_DOUBLE_EQUAL(res.best.values[0], qreq, 1e-6);
    CHECK_REL(res.best.obj[0], buyer_gain(ca, ra, cb, rb, qreq));
    for (k = 0; k < res.nactive; k++)
        named += strstr(res.active[k], "gain of A at-least 100") != NULL;
    CU_ASSERT_EQUAL(named, 1);
    el_search_result_clear(&res);
    el_scenario_free(s);
}

/* Discrete rent-to: the buyer keeping the rent (monopsony gain) ranks above the seller keeping
 * it, whose best is the unrestricted flow, found where the quota stops binding. */
static void test_search_ranked(void)
{
    double ca = 1, ra = 10, cb = 2, rb = 30;
    double qs = monopsony(ca, ra, cb, rb), qfree = (cb * rb - ca * ra) / (ca + cb);
    double p = (ra + rb) / (1 / ca + 1 / cb), mb = rb - p / cb;
    ElScenario *s = pair(ca, ra, cb, rb,
                         "<search id=\"best\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"
                         "<param name=\"who\" values=\"seller buyer\"/>"
                         "<maximize what=\"gain\" of=\"B\"/></search>");
    ElSearchResult res;
    ElError err = {EL_OK, ""};
    if (!s)
        return;
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "best"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(res.nranked, 2);
    CU_ASSERT_EQUAL(res.ranked[0].values[1], EL_RENT_BUYER);
    CU_ASSERT_DOUBLE_EQUAL(res.ranked[0].values[0], qs, 1e-6);
    CU_ASSERT_EQUAL(res.ranked[1].values[1], EL_RENT_SELLER);
    CU_ASSERT_DOUBLE_EQUAL(res.ranked[1].values[0], qfree, 1e-6);
    CHECK_REL(res.ranked[1].obj[0], cb * mb * mb / 2);
    el_search_result_clear(&res);
    el_scenario_free(s);
}

/* Two objectives: the buyer's and the seller's gain. The seller gains with q throughout, the
 * buyer up to q*: the front is q in [q*, free flow], each point on the closed forms. */
static void test_search_pareto(void)
{
    double ca = 1, ra = 10, cb = 2, rb = 30;
    double qs = monopsony(ca, ra, cb, rb), qfree = (cb * rb - ca * ra) / (ca + cb);
    ElScenario *s = pair(ca, ra, cb, rb,
                         "<search id=\"front\" design=\"q\"><param name=\"q\" min=\"0\" "
                         "max=\"16\"/><param name=\"who\" values=\"buyer\"/>"
                         "<maximize what=\"gain\" of=\"B\"/><maximize what=\"gain\" of=\"A\"/>"
                         "</search>");
    ElSearchResult res;
    ElError err = {EL_OK, ""};
    long k;
    if (!s)
        return;
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "front"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT(res.nfront >= 10);
    for (k = 0; k < res.nfront; k++) {
        double q = res.front[k].values[0];
        CU_ASSERT(q >= qs - 1e-6 && q <= qfree + 1e-6);
        CHECK_REL(res.front[k].obj[0], buyer_gain(ca, ra, cb, rb, q));
        CHECK_REL(res.front[k].obj[1], ca * q * q / 2);
        if (k > 0) /* by the first objective falling, the second rising */
            CU_ASSERT(res.front[k].obj[0] <= res.front[k - 1].obj[0] &&
                      res.front[k].obj[1] > res.front[k - 1].obj[1]);
    }
    CU_ASSERT_DOUBLE_EQUAL(res.front[0].values[0], qs, 1e-6); /* the buyer's optimum is on it */
    el_search_result_clear(&res);
    el_scenario_free(s);
}

/* No point meets the requirement: found is false, the closest point is reported. */
static void test_search_infeasible(void)
{
    ElScenario *s = pair(1, 10, 2, 30,
                         "<search id=\"x\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"
                         "<param name=\"who\" values=\"buyer\"/><maximize what=\"gain\" of=\"B\"/>"
                         "<require what=\"gain\" of=\"A\" at-least=\"1000\"/></search>");
    ElSearchResult res;
    ElError err = {EL_OK, ""};
    if (!s)
        return;
    CU_ASSERT_EQUAL_FATAL(el_search_run(s, analysis(s, "x"), &one_thread, NULL, NULL, &res, &err),
                          EL_OK);
    CU_ASSERT(!res.found);
    CU_ASSERT_EQUAL(res.best.worst, 0);
    /* the seller's gain is largest at the free flow 16.67 (quota no longer binding) */
    CU_ASSERT(res.best.margin < 0);
    CHECK_REL(res.best.margin, 1 * (50.0 / 3) * (50.0 / 3) / 2 - 1000);
    el_search_result_clear(&res);
    el_scenario_free(s);
}

typedef struct {
    const ElAnalysis *a;
    double ca, ra, cb, rb;
    long n;
} SweepCheck;

static el_status check_point(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    SweepCheck *c = ctx;
    double v[8], q, qfree = (c->cb * c->rb - c->ca * c->ra) / (c->ca + c->cb), pa, pb, ga, gb;
    (void)item;
    (void)baseline;
    (void)err;
    if (index < 0)
        return EL_OK;
    el_sweep_point(c->a, index, v);
    q = fmin(v[0], qfree);
    pa = c->ca * (c->ra + q);
    pb = c->cb * (c->rb - q);
    ga = c->ca * q * q / 2;
    gb = c->cb * c->rb * c->rb / 2 - c->cb * (c->rb - q) * (c->rb - q) / 2 - pa * q;
    if (v[1] == EL_RENT_SELLER) { /* units sell at the buyer's price: the rent moves */
        ga += (pb - pa) * q;
        gb -= (pb - pa) * q;
    }
    CU_ASSERT_EQUAL(r->outcome, EL_OPTIMAL);
    CHECK_REL(r->jur[0].price, pa);
    CHECK_REL(r->jur[1].price, pb);
    CHECK_REL(r->jur[0].gain, ga);
    CHECK_REL(r->jur[1].gain, gb);
    CHECK_REL(r->link[0].units, q);
    CU_ASSERT_EQUAL(index, c->n);
    c->n++;
    return EL_OK;
}

/* Every point of a sweep over the quota and who keeps the rent, on the closed forms, in order
 * (the last parameter varies fastest), on 1 and 2 threads. */
static void test_sweep_closed_forms(void)
{
    ElScenario *s = pair(1, 10, 2, 30,
                         "<sweep id=\"sw\" design=\"q\"><param name=\"q\" from=\"0\" to=\"30\" "
                         "count=\"61\"/><param name=\"who\" values=\"buyer seller\"/></sweep>");
    const ElAnalysis *a = analysis(s, "sw");
    SweepCheck c = {a, 1, 10, 2, 30, 0};
    ElSink sink = {&c, NULL, check_point, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    ElBatchOptions two = {2, false, 0};
    ElError err = {EL_OK, ""};
    double v[8];
    if (!s)
        return;
    CU_ASSERT_EQUAL(a->points, 122);
    el_sweep_point(a, 3, v); /* q index 1, who index 1 */
    CU_ASSERT_DOUBLE_EQUAL(v[0], 0.5, 1e-15);
    CU_ASSERT_EQUAL(v[1], EL_RENT_SELLER);
    CU_ASSERT_EQUAL(el_sweep_run(s, a, &one_thread, sinks, 1, &err), EL_OK);
    CU_ASSERT_EQUAL(c.n, 122);
    c.n = 0;
    CU_ASSERT_EQUAL(el_sweep_run(s, a, &two, sinks, 1, &err), EL_OK);
    CU_ASSERT_EQUAL(c.n, 122);
    el_scenario_free(s);
}

/* A sequence whose middle step hurts one party: A sells, B and C buy. Linking C to {A, B}
 * raises the price, so B loses; the gain changes are the closed forms' differences. */
static void test_sequence(void)
{
    const char *xml =
        "<scenario name=\"t\">"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>98</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>"
        "<jurisdiction id=\"C\"><bau>100</bau><cap>70</cap><mac><linear slope=\"2\"/></mac>"
        "</jurisdiction>"
        "<design id=\"ab\"><group members=\"A B\"/></design>"
        "<design id=\"abc\"><group members=\"A B C\"/></design>"
        "<design id=\"abc-again\"><group members=\"C A B\"/></design>"
        "<sequence id=\"path\" designs=\"ab abc abc-again\"/></scenario>";
    double c[3] = {1, 1, 2}, R[3] = {2, 20, 30}, g2[3], g3[3], p2, p3;
    ElError err = {EL_OK, ""};
    ElScenario *s = load_text(xml, &err);
    ElSequenceResult res;
    int j;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    p2 = (R[0] + R[1]) / (1 / c[0] + 1 / c[1]);
    p3 = (R[0] + R[1] + R[2]) / (1 / c[0] + 1 / c[1] + 1 / c[2]);
    for (j = 0; j < 3; j++) {
        double m2 = R[j] - p2 / c[j], m3 = R[j] - p3 / c[j];
        g2[j] = j < 2 ? c[j] * m2 * m2 / 2 : 0;
        g3[j] = c[j] * m3 * m3 / 2;
    }
    CU_ASSERT_EQUAL_FATAL(el_sequence_run(s, analysis(s, "path"), &one_thread, &res, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(res.nsteps, 3);
    CU_ASSERT(res.steps[0].pareto && res.steps[0].strict);
    CU_ASSERT(!res.steps[1].pareto);
    CU_ASSERT(res.steps[2].pareto && !res.steps[2].strict);
    CU_ASSERT(!res.all_pareto);
    for (j = 0; j < 3; j++) {
        CHECK_REL(res.steps[0].delta[j], g2[j]);
        CHECK_REL(res.steps[1].delta[j], g3[j] - g2[j]);
        CU_ASSERT_DOUBLE_EQUAL(res.steps[2].delta[j], 0, 1e-9);
    }
    CU_ASSERT(res.steps[1].delta[1] < 0); /* B, a buyer, loses when C joins */
    el_sequence_result_clear(&res);
    el_scenario_free(s);
}

/* Bad analyses: each refused when the file is read, naming what is wrong. */
static void test_bad_analyses(void)
{
    static const struct {
        const char *extra, *needle;
    } cases[] = {
        {"<sweep id=\"s\" design=\"q\"><param name=\"z\" values=\"1\"/>"
         "<param name=\"q\" values=\"1\"/><param name=\"who\" values=\"buyer\"/></sweep>",
         "unknown parameter 'z'"},
        {"<sweep id=\"s\" design=\"q\"><param name=\"q\" values=\"1 2\"/></sweep>",
         "{who} of design 'q' is left unbound"},
        {"<sweep id=\"s\" design=\"q\"><param name=\"q\" values=\"1\"/>"
         "<param name=\"who\" values=\"5\"/></sweep>",
         "'5' is not buyer"},
        {"<sweep id=\"s\" design=\"q\"><param name=\"q\" min=\"0\" max=\"1\"/>"
         "<param name=\"who\" values=\"buyer\"/></sweep>",
         "a sweep needs values"},
        {"<sweep id=\"s\" design=\"nope\"><param name=\"q\" values=\"1\"/></sweep>",
         "design 'nope' does not exist"},
        {"<sweep id=\"s\" design=\"q\"><param name=\"q\" values=\"1\" min=\"0\" max=\"2\"/>"
         "<param name=\"who\" values=\"buyer\"/></sweep>",
         "give exactly one of"},
        {"<search id=\"s\" design=\"q\"><param name=\"q\" min=\"0\" max=\"1\"/>"
         "<param name=\"who\" values=\"buyer\"/><maximize what=\"price\"/></search>",
         "a price is of one jurisdiction"},
        {"<search id=\"s\" design=\"q\"><param name=\"q\" min=\"0\" max=\"1\"/>"
         "<param name=\"who\" values=\"buyer\"/><maximize what=\"gain\" of=\"Z\"/></search>",
         "no such jurisdiction"},
        {"<sweep id=\"s\" design=\"q\"><param name=\"q\" values=\"1 -5 3\"/>"
         "<param name=\"who\" values=\"buyer\"/></sweep>",
         "at the corner q=-5 of the parameters' ranges"},
        {"<sequence id=\"s\" designs=\"q\"/>", "a step must be a design without parameters"},
        {"<sweep id=\"q\" design=\"q\"><param name=\"q\" values=\"1\"/>"
         "<param name=\"who\" values=\"buyer\"/></sweep>",
         "already used"},
    };
    size_t k;
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char xml[4096];
        ElError err = {EL_OK, ""};
        ElScenario *s;
        snprintf(xml, sizeof(xml),
                 "<scenario name=\"t\"><jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac>"
                 "<linear slope=\"1\"/></mac></jurisdiction><jurisdiction id=\"B\"><bau>100</bau>"
                 "<cap>70</cap><mac><linear slope=\"2\"/></mac></jurisdiction>"
                 "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\" rent-to=\"{who}\"/>"
                 "</design>%s</scenario>",
                 cases[k].extra);
        s = load_text(xml, &err);
        CU_ASSERT_PTR_NULL(s);
        if (!strstr(err.msg, cases[k].needle)) {
            fprintf(stderr, "\n  case %zu: expected '%s' in: %s\n", k, cases[k].needle, err.msg);
            CU_FAIL("message");
        }
        CU_ASSERT(strstr(err.msg, "test.xml:") != NULL);
        el_scenario_free(s);
    }
}

/* 10 million points are refused before anything is solved (sweep_max_points), in O(1). */
static void test_sweep_limit(void)
{
    ElScenario *s = pair(1, 10, 2, 30,
                         "<sweep id=\"big\" design=\"q\"><param name=\"q\" from=\"0\" to=\"30\" "
                         "count=\"5000000\"/><param name=\"who\" values=\"buyer seller\"/>"
                         "</sweep>");
    ElError err = {EL_OK, ""};
    if (!s)
        return;
    CU_ASSERT_EQUAL(analysis(s, "big")->points, 10000000L);
    CU_ASSERT_EQUAL(el_analyses_check_limits(s, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "sweep_max_points") != NULL);
    el_scenario_free(s);
    /* a search with a continuous parameter and 20,000 discrete combinations */
    s = pair(1, 10, 2, 30,
             "<design id=\"q2\"><link from=\"A\" to=\"B\" quota=\"{q}\" rate=\"{r}\"/>"
             "</design><search id=\"wide\" design=\"q2\"><param name=\"q\" min=\"0\" "
             "max=\"9\"/><param name=\"r\" from=\"0.5\" to=\"1.5\" count=\"20000\"/>"
             "<maximize what=\"gain\" of=\"B\"/></search>");
    if (!s)
        return;
    CU_ASSERT_EQUAL(el_analyses_check_limits(s, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "20000 combinations") != NULL);
    el_scenario_free(s);
}

/* The same search on 1 and 2 threads: the same numbers, bit for bit. */
static void test_search_threads(void)
{
    ElScenario *s = pair(1.3, 7, 2.1, 25,
                         "<search id=\"b\" design=\"q\"><param name=\"q\" min=\"0\" max=\"30\"/>"
                         "<param name=\"who\" values=\"buyer seller buyer-government\"/>"
                         "<maximize what=\"gain\" of=\"B\"/>"
                         "<require what=\"price\" of=\"A\" at-most=\"20\"/></search>");
    ElSearchResult r1, r2;
    ElBatchOptions two = {2, false, 0};
    ElError err = {EL_OK, ""};
    long k;
    if (!s)
        return;
    CU_ASSERT_EQUAL_FATAL(el_search_run(s, analysis(s, "b"), &one_thread, NULL, NULL, &r1, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_search_run(s, analysis(s, "b"), &two, NULL, NULL, &r2, &err), EL_OK);
    CU_ASSERT_EQUAL(r1.evaluations, r2.evaluations);
    CU_ASSERT_EQUAL_FATAL(r1.nranked, r2.nranked);
    for (k = 0; k < r1.nranked; k++) {
        CU_ASSERT(memcmp(r1.ranked[k].values, r2.ranked[k].values, 2 * sizeof(double)) == 0);
        CU_ASSERT(memcmp(&r1.ranked[k].obj[0], &r2.ranked[k].obj[0], sizeof(double)) == 0);
    }
    /* the price cap binds for the seller: c_A (R_A + q) <= 20, q <= 20/1.3 - 7 = 8.38 < q* */
    CU_ASSERT_DOUBLE_EQUAL(r1.best.values[0], fmin(20 / 1.3 - 7, monopsony(1.3, 7, 2.1, 25)), 1e-6);
    el_search_result_clear(&r1);
    el_search_result_clear(&r2);
    el_scenario_free(s);
}

typedef struct {
    const ElAnalysis *a;
    long n;
} LimitCheck;

/* A: R 10, MAC a; B: R 20, MAC 2a, fully linked: free trade at p = 30 / 1.5 = 20 carries
 * R_B - p / c_B = 10 to B; a limit L below it binds, p_B = c_B (R_B - L), p_A = c_A (R_A + L)
 * (docs/model.md §6). */
static el_status check_limit(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    LimitCheck *c = ctx;
    double v[4], L, p = 20;
    (void)item;
    (void)baseline;
    (void)err;
    if (index < 0)
        return EL_OK;
    el_sweep_point(c->a, index, v);
    L = v[0];
    if (L < 10) {
        CHECK_REL(r->jur[1].price, 2 * (20 - L));
        CHECK_REL(r->jur[0].price, 10 + L);
    } else {
        CHECK_REL(r->jur[1].price, p);
        CHECK_REL(r->jur[0].price, p);
    }
    c->n++;
    return EL_OK;
}

/* A parameter in an import limit: every point on the closed form. */
static void test_sweep_import_limit(void)
{
    const char *xml =
        "<scenario name=\"t\">"
        "<jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/></mac>"
        "</jurisdiction>"
        "<jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><linear slope=\"2\"/></mac>"
        "</jurisdiction>"
        "<design id=\"lim\"><group members=\"A B\"/>"
        "<import-limit jurisdiction=\"B\" max=\"{L}\"/></design>"
        "<sweep id=\"s\" design=\"lim\"><param name=\"L\" from=\"0\" to=\"16\" count=\"41\"/>"
        "</sweep></scenario>";
    ElError err = {EL_OK, ""};
    ElScenario *s = load_text(xml, &err);
    LimitCheck c = {NULL, 0};
    ElSink sink = {&c, NULL, check_limit, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    if (!s)
        fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    c.a = analysis(s, "s");
    CU_ASSERT_EQUAL(el_sweep_run(s, c.a, &one_thread, sinks, 1, &err), EL_OK);
    CU_ASSERT_EQUAL(c.n, 41);
    el_scenario_free(s);
}

typedef struct {
    const ElScenario *s;
    const ElAnalysis *a;
    double best, best_t;
    long n;
} GridBest;

static el_status grid_point(void *ctx,
                            long index,
                            const ElBatchItem *item,
                            const ElDesignResult *r,
                            const ElDesignResult *baseline,
                            ElError *err)
{
    GridBest *g = ctx;
    const ElAnalysis *a = g->a;
    double v[4], f;
    int k;
    (void)item;
    (void)baseline;
    (void)err;
    if (index < 0 || r->outcome != EL_OPTIMAL)
        return EL_OK;
    for (k = 0; k < a->nrequire; k++)
        if (el_requirement_margin(g->s, &a->require[k], r) <
            -1e-9 * (1 + fabs(a->require[k].bound)))
            return EL_OK;
    f = el_criterion_value(g->s, &a->objective[0], r);
    el_sweep_point(a, index, v);
    if (f > g->best) {
        g->best = f;
        g->best_t = v[0];
    }
    g->n++;
    return EL_OK;
}

/* Differential: on random three-jurisdiction scenarios with a random template parameter (a
 * quota, an exchange rate, a floor price, a cap), objective and requirement, the search's
 * optimum is at least as good as the best of a dense grid (a second, independent method: 4,001
 * points), and feasible whenever a grid point is. */
static void test_search_vs_grid(void)
{
    static const char *const params[] = {
        "<link from=\"A\" to=\"B\" quota=\"{t}\"/><link from=\"C\" to=\"B\"/>",
        "<link from=\"A\" to=\"B\" rate=\"{t}\"/><link from=\"C\" to=\"B\" quota=\"3\"/>",
        "<group members=\"A B C\"/><floor jurisdiction=\"B\" price=\"{t}\" volume=\"4\"/>",
        ("<group members=\"A B\"/><link from=\"C\" to=\"B\" quota=\"2\"/><set "
         "jurisdiction=\"A\" cap=\"{t}\"/>"),
    };
    static const double lo[] = {0, 0.2, 0, 80}, hi[] = {25, 3, 40, 100};
    static const char *const objs[] = {"gain\" of=\"B", "gain\" of=\"A", "min-gain", "total-gain",
                                       "price\" of=\"B"};
    Rng g = {424242};
    int t, fails = 0;
    for (t = 0; t < 100; t++) {
        char xml[4096];
        int kind = irand(&g, 4), o = irand(&g, 5), req = irand(&g, 2);
        double c[3], R[3];
        ElScenario *s;
        ElSearchResult res;
        ElError err = {EL_OK, ""};
        GridBest gb = {NULL, NULL, -HUGE_VAL, 0, 0};
        ElSink sink = {&gb, NULL, grid_point, NULL, NULL};
        const ElSink *sinks[1] = {&sink};
        int j;
        for (j = 0; j < 3; j++) {
            c[j] = uniform(&g, 0.3, 3);
            R[j] = uniform(&g, 1, 20);
        }
        snprintf(xml, sizeof(xml),
                 "<scenario name=\"t\">"
                 "<jurisdiction id=\"A\"><bau>100</bau><cap>%.6f</cap><mac><linear slope=\"%.6f\"/>"
                 "</mac></jurisdiction>"
                 "<jurisdiction id=\"B\" "
                 "auction-share=\"0.5\"><bau>100</bau><cap>%.6f</cap><mac><linear slope=\"%.6f\"/>"
                 "</mac></jurisdiction>"
                 "<jurisdiction id=\"C\"><bau>100</bau><cap>%.6f</cap><mac><linear slope=\"%.6f\"/>"
                 "</mac></jurisdiction>"
                 "<design id=\"tp\">%s</design>"
                 "<search id=\"x\" design=\"tp\"><param name=\"t\" min=\"%g\" max=\"%g\"/>"
                 "<maximize what=\"%s\"/>%s</search>"
                 "<sweep id=\"g\" design=\"tp\"><param name=\"t\" from=\"%g\" to=\"%g\" "
                 "count=\"4001\"/></sweep></scenario>",
                 100 - R[0], c[0], 100 - R[1], c[1], 100 - R[2], c[2], params[kind], lo[kind],
                 hi[kind], objs[o], req ? "<require what=\"gain\" of=\"C\" at-least=\"0.5\"/>" : "",
                 lo[kind], hi[kind]);
        s = load_text(xml, &err);
        if (!s) {
            fprintf(stderr, "\n  case %d: %s\n", t, err.msg);
            CU_FAIL("load");
            continue;
        }
        gb.s = s;
        gb.a = analysis(s, "g");
        /* the grid checks the search's requirements and objective */
        ((ElAnalysis *)(size_t)gb.a)->objective[0] = analysis(s, "x")->objective[0];
        ((ElAnalysis *)(size_t)gb.a)->require = analysis(s, "x")->require;
        ((ElAnalysis *)(size_t)gb.a)->nrequire = analysis(s, "x")->nrequire;
        CU_ASSERT_EQUAL_FATAL(el_sweep_run(s, gb.a, &one_thread, sinks, 1, &err), EL_OK);
        ((ElAnalysis *)(size_t)gb.a)->require = NULL;
        ((ElAnalysis *)(size_t)gb.a)->nrequire = 0;
        CU_ASSERT_EQUAL_FATAL(
            el_search_run(s, analysis(s, "x"), &one_thread, NULL, NULL, &res, &err), EL_OK);
        if (gb.n == 0) {
            CU_ASSERT(!res.found);
        } else {
            bool ok = res.found && res.best.obj[0] >= gb.best - 1e-9 * (1 + fabs(gb.best));
            CU_ASSERT(ok);
            if (!ok && fails++ < 5)
                fprintf(stderr,
                        "\n  case %d (kind %d, objective %d, req %d): search %s t=%.9g "
                        "f=%.12g, grid t=%.9g f=%.12g\n",
                        t, kind, o, req, res.found ? "found" : "not found", res.best.values[0],
                        res.best.obj[0], gb.best_t, gb.best);
        }
        el_search_result_clear(&res);
        el_scenario_free(s);
    }
}

/* The seller's gain on a link A -> B at exchange rate r (docs/model.md §6):
 * p_B = (R_B + r R_A) / (1/c_B + r^2/c_A), p_A = r p_B, exports x = p_A / c_A - R_A. */
static double rate_gain(double ca, double ra, double cb, double rb, double r)
{
    double pb = (rb + r * ra) / (1 / cb + r * r / ca), pa = r * pb, aa = pa / ca, x = aa - ra;
    return ca * ra * ra / 2 - (ca * aa * aa / 2 - pa * x);
}

/* An exchange rate enters the matrix, not the right-hand side: the search's golden section and
 * its Richardson-extrapolated Newton step find the rate best for the seller to 1e-6, against
 * the closed form maximised here by golden section (no solver involved). */
static void test_search_rate(void)
{
    Rng g = {99};
    int t;
    for (t = 0; t < 10; t++) {
        double ca = uniform(&g, 0.5, 3), cb = uniform(&g, 0.5, 3), ra = uniform(&g, 2, 15);
        double rb = uniform(&g, 15, 40), lo = 0.2, hi = 3, phi = 0.6180339887498949;
        char xml[2048];
        ElScenario *s;
        ElSearchResult res;
        ElError err = {EL_OK, ""};
        int k;
        for (k = 0; k < 200; k++) {
            double c = hi - phi * (hi - lo), d = lo + phi * (hi - lo);
            if (rate_gain(ca, ra, cb, rb, c) >= rate_gain(ca, ra, cb, rb, d))
                hi = d;
            else
                lo = c;
        }
        snprintf(xml, sizeof(xml),
                 "<scenario name=\"t\">"
                 "<jurisdiction id=\"A\"><bau>1000</bau><cap>%.17g</cap><mac><linear "
                 "slope=\"%.17g\"/></mac></jurisdiction>"
                 "<jurisdiction id=\"B\"><bau>1000</bau><cap>%.17g</cap><mac><linear "
                 "slope=\"%.17g\"/></mac></jurisdiction>"
                 "<design id=\"fx\"><link from=\"A\" to=\"B\" rate=\"{r}\"/></design>"
                 "<search id=\"best\" design=\"fx\"><param name=\"r\" min=\"0.2\" max=\"3\"/>"
                 "<maximize what=\"gain\" of=\"A\"/></search></scenario>",
                 1000 - ra, ca, 1000 - rb, cb);
        s = load_text(xml, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_EQUAL_FATAL(
            el_search_run(s, analysis(s, "best"), &one_thread, NULL, NULL, &res, &err), EL_OK);
        if (0.5 * (lo + hi) > 0.21 && 0.5 * (lo + hi) < 2.99) {
            CU_ASSERT_DOUBLE_EQUAL(res.best.values[0], 0.5 * (lo + hi), 1e-6);
        }
        CHECK_REL(res.best.obj[0], rate_gain(ca, ra, cb, rb, 0.5 * (lo + hi)));
        el_search_result_clear(&res);
        el_scenario_free(s);
    }
}

/* Review cases: two requirements of very different scales (each judged against its own
 * tolerance); a narrow range of large values (the bisection and golden section end where
 * doubles run out, not in an endless loop); a floor and a ceiling that cross inside the box
 * (those points are infeasible, not errors). */
static void test_search_edges(void)
{
    const char *xml =
        "<scenario name=\"t\">"
        "<jurisdiction id=\"A\" auction-share=\"0.5\"><bau>100</bau><cap>90</cap><mac><linear "
        "slope=\"1\"/></mac></jurisdiction>"
        "<jurisdiction id=\"B\" auction-share=\"0.5\"><bau>100</bau><cap>70</cap><mac><linear "
        "slope=\"2\"/></mac></jurisdiction>"
        "<design id=\"q\"><link from=\"A\" to=\"B\" quota=\"{q}\"/></design>"
        "<design id=\"fl\"><group members=\"A B\"/>"
        "<floor jurisdiction=\"A\" price=\"{f}\" volume=\"5\"/>"
        "<ceiling jurisdiction=\"A\" price=\"{c}\" volume=\"5\"/></design>"
        "<design id=\"big\"><group members=\"A B\"/>"
        "<floor jurisdiction=\"A\" price=\"{f}\" volume=\"5\"/></design>"
        /* B's emissions are 70 + q... at-most 79.5 needs q <= 9.5; the seller's gain q^2/2
           at-least 1e6 cannot be met; scaled, the 1e6 requirement is missed the most */
        "<search id=\"scales\" design=\"q\"><param name=\"q\" min=\"0\" max=\"12\"/>"
        "<maximize what=\"gain\" of=\"B\"/>"
        "<require what=\"emissions\" of=\"B\" at-most=\"79.5\"/>"
        "<require what=\"gain\" of=\"A\" at-least=\"40.5\"/></search>"
        "<search id=\"cross\" design=\"fl\"><param name=\"f\" min=\"0\" max=\"50\"/>"
        "<param name=\"c\" values=\"40\"/><maximize what=\"gain\" of=\"A\"/></search>"
        "<search id=\"narrow\" design=\"big\"><param name=\"f\" min=\"9999999.9\" "
        "max=\"10000000.1\"/><maximize what=\"total-gain\"/></search>"
        "</scenario>";
    ElError err = {EL_OK, ""};
    ElScenario *s = load_text(xml, &err);
    ElSearchResult res;
    if (!s)
        fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    /* q* = 12.5 > 9.5: emissions of B = 70 + q (B abates 30 - q) bind at q = 9.5; the seller's
       gain q^2/2 >= 40.5 needs q >= 9: feasible [9, 9.5], the buyer's best is 9.5 */
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "scales"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT(res.found);
    CU_ASSERT_DOUBLE_EQUAL(res.best.values[0], 9.5, 1e-6);
    CU_ASSERT(res.best_result.jur[1].emissions <= 79.5 + 1e-6);
    el_search_result_clear(&res);
    /* f above 40 crosses the ceiling: infeasible points, not an error; the best is found below */
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "cross"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT(res.found);
    CU_ASSERT(res.best.values[0] <= 40 + 1e-9);
    el_search_result_clear(&res);
    CU_ASSERT_EQUAL_FATAL(
        el_search_run(s, analysis(s, "narrow"), &one_thread, NULL, NULL, &res, &err), EL_OK);
    CU_ASSERT(res.found);
    CU_ASSERT(res.rounds < 1000);
    el_search_result_clear(&res);
    el_scenario_free(s);
}

CU_TestInfo analysis_tests[] = {
    {"search finds the monopsony quota (25 random pairs)", test_search_monopsony},
    {"search: a binding requirement", test_search_requirement_binds},
    {"search: the exchange rate best for the seller (10 random pairs)", test_search_rate},
    {"search: ranked list of discrete values", test_search_ranked},
    {"search: Pareto front of two gains", test_search_pareto},
    {"search without a feasible point", test_search_infeasible},
    {"search: scales of requirements, crossing instruments, narrow large ranges",
     test_search_edges},
    {"search: same numbers on 1 and 2 threads", test_search_threads},
    {"search against a dense grid on 100 random scenarios", test_search_vs_grid},
    {"sweep points on the quota closed forms", test_sweep_closed_forms},
    {"sweep of 10 million points and a search of 20,000 lines refused", test_sweep_limit},
    {"sweep of an import limit on its closed form", test_sweep_import_limit},
    {"sequence whose middle step hurts a party", test_sequence},
    {"bad analyses refused with file:line", test_bad_analyses},
    CU_TEST_INFO_NULL,
};
