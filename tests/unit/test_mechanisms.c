/* mechanisms suite: price instruments, offsets and indirect links, export caps, rent
 * assignments, tax regimes, penalties and joint projects (tests/data/mechanisms.xml), each
 * against a closed form (docs/model.md §6) or a hand solution; and accounting invariants on
 * every design of every test scenario. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "suites.h"

static ElScenario *mech;
static ElRun *run;

static int init_mech(void)
{
    ElError err;
    if (el_scenario_load(&mech, "data/mechanisms.xml", NULL, &err) != EL_OK) {
        fprintf(stderr, "mechanisms.xml: %s\n", err.msg);
        return 1;
    }
    return el_run_solve(&run, mech, &err) != EL_OK;
}

static int clean_mech(void)
{
    el_run_free(run);
    el_scenario_free(mech);
    return 0;
}

static const ElDesignResult *design(const char *id)
{
    int d;
    for (d = 0; d < run->ndesigns; d++)
        if (strcmp(run->designs[d].id, id) == 0)
            return &run->designs[d];
    CU_FAIL_FATAL("design missing");
    return NULL;
}

static const ElJurResult *jur(const ElDesignResult *r, const char *id)
{
    return &r->jur[el_scenario_find(mech, id)];
}

/* A = a (R 10), B = 2a (R 20): sum 1/c = 1.5, sum R = 30, free price 20.
 * Floor F on A: w = clamp(F 1.5 - 30, 0, V), p = (30 + w) / 1.5.
 * Ceiling P on B: s = clamp(30 - P 1.5, 0, V), p = (30 - s) / 1.5.
 * An instrument whose whole volume is used no longer sets the price (22 < 25 with 3 Mt
 * withheld; 16.67 > 15 with the 5 Mt sold out): the label is then the cap. */
static void test_floor_ceiling(void)
{
    const ElDesignResult *r = design("floor3");
    CHECK_REL(jur(r, "A")->withheld, 3);
    CHECK_REL(jur(r, "A")->price, 33 / 1.5);
    CU_ASSERT_EQUAL(jur(r, "A")->binding, EL_BIND_CAP);
    CHECK_REL(jur(r, "A")->gov_revenue, 22 * (0.5 * 90 - 3)); /* auction minus withheld */
    r = design("floor10");
    CHECK_REL(jur(r, "A")->withheld, 7.5);
    CHECK_REL(jur(r, "B")->price, 25);
    CU_ASSERT_EQUAL(jur(r, "A")->binding, EL_BIND_FLOOR);
    CU_ASSERT_EQUAL(jur(r, "B")->binding, EL_BIND_CAP);
    r = design("ceiling5");
    CHECK_REL(jur(r, "B")->released, 5);
    CHECK_REL(jur(r, "A")->price, 25 / 1.5);
    CU_ASSERT_EQUAL(jur(r, "B")->binding, EL_BIND_CAP);
    CHECK_REL(jur(r, "B")->gov_revenue, 15 * 5);
    r = design("ceiling100");
    CHECK_REL(jur(r, "B")->released, 7.5);
    CHECK_REL(jur(r, "B")->price, 15);
    CU_ASSERT_EQUAL(jur(r, "B")->binding, EL_BIND_CEILING);
}

/* J = 2a, R 30, BAU 100; pool supply price = quantity (slope b = 1), from the rest of the world.
 * Free: p = R / (1/c + 1/b) = 20, o = 20; ROW surplus 20 x 20 - 200 = 200; J's gain
 * 900 - (100 + 400) = 400; total gain 600 = fall in total cost 900 - (100 + 200).
 * Limit 5: p = 2 (30 - 5) = 50, credit price 5.
 * Share 0.1: o = 0.1 (100 - a), a + o = 30: a = 200/9; credit price q = o; the compliance
 * dual is the domestic price (MAC - 0.1 q) / 0.9 (docs/model.md §5).
 * Discount 0.5: p = R / (1/c + d^2/b) = 40, o = d p / b = 20, credited 10. */
static void test_offsets(void)
{
    const ElDesignResult *r = design("offset-free");
    double a = 200.0 / 9, o = 30 - a;
    CHECK_REL(jur(r, "J")->price, 20);
    CHECK_REL(jur(r, "J")->offsets, 20);
    CHECK_REL(r->pool[0].price, 20);
    CHECK_REL(r->row_surplus, 200);
    CHECK_REL(jur(r, "J")->gain, 400);
    CHECK_REL(r->gain, 600);
    CHECK_REL(jur(r, "J")->ndc_emissions, 100 - 10 - 20); /* international credits subtracted */
    r = design("offset-slack"); /* limits of 100 Mt and 90% do not bind: as if free */
    CHECK_REL(jur(r, "J")->price, 20);
    CHECK_REL(jur(r, "J")->offsets, 20);
    CHECK_REL(r->pool[0].price, 20);
    r = design("offset-limit");
    CHECK_REL(jur(r, "J")->price, 50);
    CHECK_REL(r->pool[0].price, 5);
    CHECK_REL(r->accept[0].credits, 5);
    r = design("offset-share");
    CHECK_REL(jur(r, "J")->abatement, a);
    CHECK_REL(r->accept[0].credited, o);
    CHECK_REL(r->pool[0].price, o);
    CHECK_REL(jur(r, "J")->price, (2 * a - 0.1 * o) / 0.9);
    r = design("offset-discount");
    CHECK_REL(jur(r, "J")->price, 40);
    CHECK_REL(r->accept[0].credits, 20);
    CHECK_REL(r->accept[0].credited, 10);
    CHECK_REL(r->pool[0].price, 20);
}

/* Indirect link: J (2a, R 30) and B (2a, R 20) both buy from ROWP: one price for all three,
 * p (1/2 + 1/2 + 1) = 50. Hosted pool: B buys from A's pool: p (1/2 + 1) = 20; A hosts: its
 * producers' surplus q o - o^2/2, its national cost falls by the same. */
static void test_indirect_and_hosted(void)
{
    const ElDesignResult *r = design("indirect");
    double p = 20 / 1.5;
    CHECK_REL(jur(r, "J")->price, 25);
    CHECK_REL(jur(r, "B")->price, 25);
    CHECK_REL(r->pool[0].price, 25);
    r = design("hosted");
    CHECK_REL(jur(r, "B")->price, p);
    CHECK_REL(r->pool[1].price, p);
    CHECK_REL(jur(r, "A")->offset_surplus, p * p / 2);
    CHECK_REL(jur(r, "A")->gain, p * p / 2);
    CHECK_REL(jur(r, "A")->receipts_abroad, p * p);
    /* the host subtracts the credits its pool supplies and adds back those sold abroad */
    CHECK_REL(jur(r, "A")->ndc_emissions, 90 - p + p);
    CHECK_REL(jur(r, "B")->ndc_emissions, 100 - (20 - p) - p);
    CHECK_REL(r->row_surplus, 0);
}

/* Export cap X on A -> B acts like a quota: p_A = 1 (10 + X), p_B = 2 (20 - X). */
static void test_export_cap(void)
{
    const ElDesignResult *r = design("export-cap");
    CHECK_REL(jur(r, "A")->price, 14);
    CHECK_REL(jur(r, "B")->price, 32);
    r = design("export-share"); /* 5% of A's cap of 90 = 4.5 */
    CHECK_REL(jur(r, "A")->price, 14.5);
    CHECK_REL(jur(r, "B")->price, 31);
    CHECK_REL(r->link[0].units, 4.5);
}

/* Quota 4 on A -> B: p_A = 14, p_B = 32, rent 72. Seller keeps it: B pays 32 x 4 = 128, so
 * A's national cost 98 - 128 (gain 50 + 30 = 80) and B's 256 + 128 (gain 400 - 384 = 16).
 * Buyer's government keeps it: national costs as with the buyer (B 256 + 56), and B's firms
 * pay 72 to their government for import rights. */
static void test_rents(void)
{
    const ElDesignResult *r = design("rent-seller");
    CHECK_REL(r->link[0].unit_price, 32);
    CHECK_REL(jur(r, "A")->gain, 80);
    CHECK_REL(jur(r, "B")->gain, 16);
    CHECK_REL(r->gain, 96);
    r = design("rent-gov");
    CHECK_REL(r->link[0].unit_price, 14);
    CHECK_REL(jur(r, "B")->gain, 400 - 312);
    CHECK_REL(jur(r, "B")->gov_revenue, 72);
    CHECK_REL(jur(r, "B")->firms_cost, 256 + 56 + 72);
}

/* T: tax 30, MAC = a, BAU 100: abates 30, pays tax on 70. With up to 5 Mt of A's units
 * (A = a, R 10): A sells 5 at p_A = 15; T's firms save 15 a tonne but the nation pays abroad
 * what its government collected before: T's national cost 450 + 75, gain -75. */
static void test_tax(void)
{
    const ElDesignResult *r = &run->autarky;
    CHECK_REL(jur(r, "T")->price, 30);
    CHECK_REL(jur(r, "T")->taxed, 70);
    CU_ASSERT_EQUAL(jur(r, "T")->binding, EL_BIND_TAX);
    CHECK_REL(jur(r, "T")->gov_revenue, 2100);
    CHECK_REL(jur(r, "T")->national_cost, 450);
    r = design("tax-credits");
    CHECK_REL(r->link[0].units, 5);
    CHECK_REL(jur(r, "A")->price, 15);
    CHECK_REL(jur(r, "T")->price, 30);
    CHECK_REL(jur(r, "T")->taxed, 65);
    CHECK_REL(jur(r, "T")->gain, -75);
    CHECK_REL(r->link[0].rent, (30 - 15) * 5);
}

/* P: R 90 but the curve ends at 50: the penalty of 100 sets the price and buys 40 Mt. */
static void test_penalty(void)
{
    const ElJurResult *q = jur(&run->autarky, "P");
    CHECK_REL(q->price, 100);
    CHECK_REL(q->penalised, 40);
    CU_ASSERT_EQUAL(q->binding, EL_BIND_PENALTY);
    CHECK_REL(q->gov_revenue, 4000);
}

/* J = 2a, R 30 (autarky cost 900, price 60). A project of 10 Mt at 2 a credit: built, J
 * abates 20: 400 + 20 + fixed. Fixed 100 -> built (gain 380, price 40); fixed 500 -> not
 * built (570 + ... > 900 - 480). Shared J:0.5 B:0.5 (fixed 60): J abates 25 (p 50), B 15
 * (p 30); gains 900 - (625 + 10 + 30) and 400 - (225 + 10 + 30). */
static void test_projects(void)
{
    const ElDesignResult *r = design("project-yes");
    CU_ASSERT_TRUE(r->project[0].built);
    CU_ASSERT_TRUE(r->mip_checked);
    CU_ASSERT_FALSE(r->mip_corrected);
    CHECK_REL(jur(r, "J")->price, 40);
    CHECK_REL(jur(r, "J")->gain, 380);
    CHECK_REL(r->project[0].cost, 120);
    r = design("project-no");
    CU_ASSERT_FALSE(r->project[0].built);
    CHECK_REL(jur(r, "J")->price, 60);
    CHECK_REL(r->gain, 0);
    r = design("project-shared");
    CU_ASSERT_TRUE(r->project[0].built);
    CHECK_REL(jur(r, "J")->price, 50);
    CHECK_REL(jur(r, "B")->price, 30);
    CHECK_REL(jur(r, "J")->gain, 900 - 665);
    CHECK_REL(jur(r, "B")->gain, 400 - 265);
}

/* Invariants that hold for every design of any scenario (docs/model.md §3). */
static void check_invariants(const ElScenario *s, const ElRun *rn)
{
    int d, j, l, k;
    for (d = -1; d < rn->ndesigns; d++) {
        const ElDesignResult *r = d < 0 ? &rn->autarky : &rn->designs[d];
        const ElDesign *des = d < 0 ? NULL : s->designs[d];
        double sum_gain = 0, net = 0, rate_gain = 0, abroad = 0, row_receipts = 0;
        for (j = 0; j < s->njur; j++) {
            const ElJurResult *q = &r->jur[j];
            const ElJurisdiction *ju = &s->jur[j];
            const ElInstrument *fl = el_scenario_instrument(s, r->design, j, EL_INSTR_FLOOR);
            const ElInstrument *ce = el_scenario_instrument(s, r->design, j, EL_INSTR_CEILING);
            const ElInstrument *pe = el_scenario_instrument(s, r->design, j, EL_INSTR_PENALTY);
            double supply = ju->cap - q->withheld + q->released + q->penalised + q->taxed +
                            q->net_imports + q->offsets + q->project_credits;
            double tol = 1e-6 * (1 + ju->bau);
            sum_gain += q->gain;
            net += q->net_imports;
            abroad += q->payments_abroad - q->receipts_abroad;
            /* compliance, with equality when the price is positive */
            CU_ASSERT(q->emissions <= supply + tol);
            if (q->price > 1e-9)
                CHECK_REL(q->emissions, supply);
            /* national cost = firms' cost - government revenue - offset producers' surplus */
            CHECK_REL(q->national_cost, q->firms_cost - q->gov_revenue - q->offset_surplus);
            /* complementary slackness of each instrument */
            if (fl && q->withheld > tol)
                CU_ASSERT(q->price <= fl->price + 1e-6 * (1 + fl->price));
            if (fl && q->withheld < fl->volume - tol)
                CU_ASSERT(q->price >= fl->price - 1e-6 * (1 + fl->price));
            if (ce && q->released > tol)
                CU_ASSERT(q->price >= ce->price - 1e-6 * (1 + ce->price));
            if (ce && q->released < ce->volume - tol)
                CU_ASSERT(q->price <= ce->price + 1e-6 * (1 + ce->price));
            if (pe)
                CU_ASSERT(q->price <= pe->price + 1e-6 * (1 + pe->price));
            if (pe && q->penalised > tol)
                CHECK_REL(q->price, pe->price);
        }
        for (l = 0; des && l < des->nlinks; l++)
            rate_gain += r->link[l].credited - r->link[l].units;
        for (k = 0; k < s->npools; k++)
            if (s->pools[k].host == EL_HOST_ROW)
                row_receipts += r->pool[k].receipts;
        /* units balance across links (with rates) and groups */
        CU_ASSERT_DOUBLE_EQUAL(net, rate_gain, 1e-6);
        /* payments between jurisdictions cancel; what is left went to the rest of the world */
        CHECK_REL(abroad, row_receipts);
        /* the gains, with the rest of the world's, add up to the fall in total cost */
        if (d >= 0)
            CHECK_REL(sum_gain + r->row_surplus - rn->autarky.row_surplus,
                      rn->autarky.total_cost - r->total_cost);
        CHECK_REL(r->gain, d < 0 ? 0 : sum_gain + r->row_surplus - rn->autarky.row_surplus);
    }
}

static void test_invariants(void)
{
    const char *files[] = {"data/mechanisms.xml", "../scenarios/northeast-asia.xml",
                           "data/degenerate.xml", "golden/small/input.xml", "data/csv-curves.xml"};
    size_t f;
    for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        ElScenario *s = NULL;
        ElRun *rn = NULL;
        ElError err;
        CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, files[f], NULL, &err), EL_OK);
        rn = test_solve(s);
        CU_ASSERT_FATAL(rn != NULL);
        check_invariants(s, rn);
        el_run_free(rn);
        el_scenario_free(s);
    }
}

CU_TestInfo mechanisms_tests[] = {
    {"floor and ceiling in a group", test_floor_ceiling},
    {"offset limits and discounts", test_offsets},
    {"indirect link and hosted pool", test_indirect_and_hosted},
    {"export caps", test_export_cap},
    {"rent assignments", test_rents},
    {"tax with credit use", test_tax},
    {"penalty", test_penalty},
    {"joint projects (MIP)", test_projects},
    {"invariants on every design", test_invariants},
    CU_TEST_INFO_NULL,
};

int mechanisms_init(void)
{
    return init_mech();
}

int mechanisms_clean(void)
{
    return clean_mech();
}
