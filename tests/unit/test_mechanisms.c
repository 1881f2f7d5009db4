/* mechanisms suite: price instruments, offsets and indirect links, export caps, rent
 * assignments, tax regimes, penalties and joint projects (tests/data/mechanisms.xml), each
 * against a closed form (docs/model.md §6) or a hand solution; and accounting invariants on
 * every design of every test scenario. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "results.h"
#include "suites.h"
#include "xml_doc.h"

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

/* ---- Import limits and NDC margins (tests/data/import-limits.xml) ---- */

typedef struct {
    ElScenario *s;
    ElRun *run;
} Loaded;

static Loaded load_run(const char *path)
{
    Loaded L = {NULL, NULL};
    ElError err = {EL_OK, ""};
    if (el_scenario_load(&L.s, path, NULL, &err) != EL_OK) {
        fprintf(stderr, "\n  %s: %s", path, err.msg);
        CU_FAIL_FATAL("scenario does not load");
    }
    L.run = test_solve(L.s);
    CU_ASSERT_FATAL(L.run != NULL);
    return L;
}

static void loaded_free(Loaded *L)
{
    el_run_free(L->run);
    el_scenario_free(L->s);
}

static const ElDesignResult *design_of(const Loaded *L, const char *id)
{
    int d;
    for (d = 0; d < L->run->ndesigns; d++)
        if (strcmp(L->run->designs[d].id, id) == 0)
            return &L->run->designs[d];
    CU_FAIL_FATAL("design missing");
    return NULL;
}

static const ElJurResult *jur_of(const Loaded *L, const ElDesignResult *r, const char *id)
{
    return &r->jur[el_scenario_find(L->s, id)];
}

/* A = a (R_A 10), B = 2a (R_B 20), full link (group) or a link A -> B, import limit L = 4 on B
 * (free trade would bring 10): binding, so B imports L and p_B = c_B (R_B - L) = 32,
 * p_A = c_A (R_A + L) = 14. The rent (p_B - p_A) L = 72 stays with B's firms, as a quota's rent
 * with rent-to="buyer": B pays the seller's price p_A for each tonne (B's national cost
 * 2 x 16^2 / 2 + 14 x 4 = 312, gain 400 - 312 = 88; A's 14^2 / 2 - 56 = 42, gain 50 - 42 = 8). */
static void test_import_limit_closed_form(void)
{
    Loaded L = load_run("data/import-limits.xml");
    const char *const ids[] = {"group-max", "link-max"};
    size_t k;
    for (k = 0; k < 2; k++) {
        const ElDesignResult *r = design_of(&L, ids[k]);
        const ElJurResult *a = jur_of(&L, r, "A"), *b = jur_of(&L, r, "B");
        /* the fast path (§4.2): a limit on one link is a bound on it; over group purchases, not */
        CU_ASSERT_EQUAL(r->fast_path, k == 1);
        CHECK_REL(b->price, 2 * (20 - 4));
        CHECK_REL(a->price, 1 * (10 + 4));
        CHECK_REL(b->net_imports, 4);
        CHECK_REL(b->import_rent, (32 - 14) * 4);
        CU_ASSERT(isnan(a->import_rent)); /* A has no limit */
        CHECK_REL(b->payments, 14 * 4);
        CHECK_REL(b->gain, 400 - (256 + 56));
        CHECK_REL(a->gain, 50 - (98 - 56));
        CHECK_REL(b->firms_cost, 256 + 56); /* the rent is kept, not paid to anyone */
    }
    CHECK_REL(design_of(&L, "link-max")->link[0].rent, 72);
    /* a limit that does not bind: the free group, p = 30 / 1.5 = 20, and no rent */
    CHECK_REL(jur_of(&L, design_of(&L, "group-slack"), "B")->price, 20);
    CHECK_REL(jur_of(&L, design_of(&L, "group-slack"), "B")->import_rent, 0);
    /* a limit on offsets only leaves group purchases free */
    CHECK_REL(jur_of(&L, design_of(&L, "group-offsets-only"), "B")->net_imports, 10);
    CHECK_REL(jur_of(&L, design_of(&L, "group-offsets-only"), "B")->price, 20);
    loaded_free(&L);
}

/* The same with share s = 0.05 of B's emissions: imports m = s (e_B - a_B) and compliance
 * a_B + m = R_B, a 2x2 linear system: a_B = (R_B - s e_B) / (1 - s), m = R_B - a_B. Then
 * p_A = c_A (R_A + m) and, as for a quota-share (docs/model.md §5), MAC_B = c_B a_B =
 * (1 - s) p_B + s p_A, the compliance dual p_B being the price of B's own allowances. The
 * limit's dual is p_B - p_A, so the rent is (p_B - p_A) m. */
static void test_import_limit_share(void)
{
    Loaded L = load_run("data/import-limits.xml");
    const double s = 0.05, e_b = 100, r_a = 10, r_b = 20, c_a = 1, c_b = 2;
    const double a_b = (r_b - s * e_b) / (1 - s), m = r_b - a_b;
    const double p_a = c_a * (r_a + m), p_b = (c_b * a_b - s * p_a) / (1 - s);
    const char *const ids[] = {"group-share", "link-share"};
    size_t k;
    CHECK_REL(m, s * (e_b - a_b)); /* the hand solution solves the system */
    CU_ASSERT(m < 10);             /* and the limit binds (free trade brings 10) */
    for (k = 0; k < 2; k++) {
        const ElDesignResult *r = design_of(&L, ids[k]);
        const ElJurResult *a = jur_of(&L, r, "A"), *b = jur_of(&L, r, "B");
        CHECK_REL(b->abatement, a_b);
        CHECK_REL(b->net_imports, m);
        CHECK_REL(a->price, p_a);
        CHECK_REL(b->price, p_b);
        CHECK_REL(b->import_rent, (p_b - p_a) * m);
    }
    loaded_free(&L);
}

/* Links and offsets together hit the limit. B (2a, R 20) buys from C (a, R 2) through a link or
 * a group and credits from pool P (price = o, ROW), at most 6 Mt in all. Free, the common price
 * would be 22 / 2.5 = 8.8 with 6.8 + 8.8 Mt imported, so the limit binds. Within it the tonnes
 * go to the cheaper source until the marginal costs meet: p_C = 2 + x = q = o with x + o = 6:
 * x = 2, o = 4, p_C = q = 4; B abates 14 at p_B = 28; rent (28 - 4) x 6 = 144 (per tonne the
 * same on both sources). In a group only purchases count: C (a, R 2) exporting 13 Mt to B in a
 * group while buying credits under a limit of 1 on all its sources: the group's price is
 * (20 + 2 - 1) / 1.5 = 14, the pool's 1, rent (14 - 1) x 1 (were its exports counted as -13, the
 * limit would not bind). */
static void test_import_limit_sources(void)
{
    Loaded L = load_run("data/import-limits.xml");
    const char *const ids[] = {"links-and-offsets", "group-and-offsets"};
    const ElDesignResult *r;
    const ElJurResult *b, *c;
    size_t k;
    for (k = 0; k < 2; k++) {
        r = design_of(&L, ids[k]);
        b = jur_of(&L, r, "B");
        c = jur_of(&L, r, "C");
        CHECK_REL(b->net_imports, 2);
        CHECK_REL(b->offsets, 4);
        CHECK_REL(c->price, 4);
        CHECK_REL(r->pool[el_scenario_find_pool(L.s, "P")].price, 4);
        CHECK_REL(b->price, 28);
        CHECK_REL(b->import_rent, 144);
    }
    CHECK_REL(design_of(&L, "links-and-offsets")->link[0].rent, (28 - 4) * 2);
    r = design_of(&L, "group-exporter-offsets");
    b = jur_of(&L, r, "B");
    c = jur_of(&L, r, "C");
    CHECK_REL(c->price, 14);
    CHECK_REL(b->price, 14);
    CHECK_REL(c->offsets, 1);
    CHECK_REL(c->net_imports, -13);
    CHECK_REL(r->pool[el_scenario_find_pool(L.s, "P")].price, 1);
    CHECK_REL(c->import_rent, 13);
    /* joint-project credits count only when named: K (2a, R 30), credits at 1, at most 3 */
    r = design_of(&L, "project-counted");
    CHECK_REL(jur_of(&L, r, "K")->project_credits, 3);
    CHECK_REL(jur_of(&L, r, "K")->price, 2 * (30 - 3));
    CHECK_REL(jur_of(&L, r, "K")->import_rent, (54 - 1) * 3);
    r = design_of(&L, "project-not-counted");
    CHECK_REL(jur_of(&L, r, "K")->project_credits, 10);
    CHECK_REL(jur_of(&L, r, "K")->price, 2 * (30 - 10));
    loaded_free(&L);
}

/* K-ETS rules. K (2a, BAU 100, R 30) accepts a domestic pool DOM (price 2 o, hosted by K) and an
 * international one INTL (price o / 2). Free: p = 30 / (1/2 + 1/2 + 2) = 10, credits 5 + 20.
 * Phase 2: offsets <= 10% of emissions E, of which international <= 5%. Both bind:
 * o_I = 0.05 E, o_D + o_I = 0.10 E, a + 0.10 (100 - a) = 30: a = 200/9, o_I = o_D = E / 20;
 * q_D = 2 o_D, q_I = o_I / 2. Duals: the import limit's mu_T = p - q_D, the acceptance's
 * mu_I = q_D - q_I, and c a = p - 0.05 mu_I - 0.10 mu_T gives p. The import rent is
 * mu_T x 0.10 E; with the international 5% as a second import limit (sources="INTL") it also
 * holds mu_I x 0.05 E. Phase 3: all offsets <= 5%: a = 25 / 0.95, split at equal credit
 * prices 2 o_D = o_I / 2 (o_I = 4 o_D), q = 2 o_D, 2 a = p - 0.05 (p - q). */
static void test_import_limit_kets(void)
{
    Loaded L = load_run("data/import-limits.xml");
    const int dom = el_scenario_find_pool(L.s, "DOM"), intl = el_scenario_find_pool(L.s, "INTL");
    double a = 200.0 / 9, e = 100 - a, o = e / 20, q_d = 2 * o, q_i = o / 2;
    double p = (2 * a + 0.05 * (q_d - q_i) - 0.10 * q_d) / 0.9;
    double mu_t = p - q_d, mu_i = q_d - q_i;
    const ElDesignResult *r = design_of(&L, "kets-phase2");
    const ElJurResult *k = jur_of(&L, r, "K");
    CU_ASSERT(mu_t > 0 && mu_i > 0); /* both limits bind */
    CHECK_REL(k->abatement, a);
    CHECK_REL(k->offsets, 2 * o);
    CHECK_REL(r->pool[dom].price, q_d);
    CHECK_REL(r->pool[intl].price, q_i);
    CHECK_REL(k->price, p);
    CHECK_REL(k->import_rent, mu_t * 0.10 * e);
    r = design_of(&L, "kets-intl-by-id");
    k = jur_of(&L, r, "K");
    CHECK_REL(k->price, p);
    CHECK_REL(r->pool[intl].price, q_i);
    CHECK_REL(k->import_rent, mu_t * 0.10 * e + mu_i * 0.05 * e);
    /* phase 3 */
    a = 25 / 0.95;
    e = 100 - a;
    o = 0.05 * e / 5; /* o_D; o_I = 4 o_D */
    q_d = 2 * o;
    p = (2 * a - 0.05 * q_d) / 0.95;
    r = design_of(&L, "kets-phase3");
    k = jur_of(&L, r, "K");
    CHECK_REL(k->abatement, a);
    CHECK_REL(r->accept[0].pool == dom ? r->accept[0].credits : r->accept[1].credits, o);
    CHECK_REL(r->pool[dom].price, q_d);
    CHECK_REL(r->pool[intl].price, q_d);
    CHECK_REL(k->price, p);
    CHECK_REL(k->import_rent, (p - q_d) * 0.05 * e);
    loaded_free(&L);
}

/* NDC margins: A (target 88) sells 4 Mt to B (target 85) on a link with quota 4. A abates
 * R_A + 4 = 14 and adds its exported units: 100 - 14 + 4 = 90, margin 88 - 90 = -2; B abates
 * 20 - 4 = 16 and subtracts the credited tonnes: 100 - 16 - 4 = 80, margin 85 - 80 = 5. With
 * rate 2 the quota of 4 credited tonnes is 2 units: A abates 12 and adds 2 (NDC 90), B still
 * subtracts 4. C and K have no target: no margin, no attribute, no row. */
static void test_ndc_margin(void)
{
    Loaded L = load_run("data/import-limits.xml");
    const ElDesignResult *r = design_of(&L, "ndc-quota");
    char *buf = NULL;
    size_t len = 0, count;
    const char *at;
    FILE *f;
    ElXmlDoc *doc = NULL;
    ElError err = {EL_OK, ""};
    CHECK_REL(jur_of(&L, r, "A")->ndc_emissions, 100 - 14 + 4);
    CHECK_REL(jur_of(&L, r, "A")->ndc_margin, 88 - (100 - 14 + 4));
    CHECK_REL(jur_of(&L, r, "B")->ndc_emissions, 100 - 16 - 4);
    CHECK_REL(jur_of(&L, r, "B")->ndc_margin, 85 - (100 - 16 - 4));
    CU_ASSERT(isnan(jur_of(&L, r, "C")->ndc_margin));
    CU_ASSERT(isnan(jur_of(&L, r, "K")->ndc_margin));
    CU_ASSERT(isnan(jur_of(&L, r, "B")->import_rent)); /* no import limit in this design */
    r = design_of(&L, "ndc-rate");
    CHECK_REL(r->link[0].units, 2);
    CHECK_REL(jur_of(&L, r, "A")->ndc_margin, 88 - (100 - 12 + 2));
    CHECK_REL(jur_of(&L, r, "B")->ndc_margin, 85 - (100 - 16 - 4));
    CHECK_REL(jur_of(&L, &L.run->autarky, "A")->ndc_margin, 88 - 90);
    /* results.xml: schema-valid, ndc-margin on A and B of each design only */
    f = open_memstream(&buf, &len);
    CU_ASSERT_FATAL(f != NULL);
    el_results_write_xml_stream(L.run, f);
    fclose(f);
    CU_ASSERT_EQUAL(
        el_xml_read_memory(&doc, buf, (long)len, "results.xml", el_results_schema(), &err), EL_OK);
    el_xml_free(doc);
    for (count = 0, at = buf; (at = strstr(at, " ndc-margin=\"")) != NULL; at++)
        count++;
    CU_ASSERT_EQUAL(count, 2 * (size_t)L.run->ndesigns);
    CU_ASSERT(strstr(buf, "<jurisdiction id=\"A\" price=\"14\"") != NULL);
    CU_ASSERT(strstr(buf, "ndc-emissions=\"90\" ndc-margin=\"-2\"/>") != NULL);
    CU_ASSERT(strstr(buf, "ndc-emissions=\"98\"/>") != NULL); /* C: none */
    free(buf);
    /* results.csv: ndc_margin rows for A and B only */
    buf = NULL;
    f = open_memstream(&buf, &len);
    CU_ASSERT_FATAL(f != NULL);
    el_results_write_csv_stream(L.run, f);
    fclose(f);
    for (count = 0, at = buf; (at = strstr(at, ",ndc_margin,")) != NULL; at++)
        count++;
    CU_ASSERT_EQUAL(count, 2 * (size_t)L.run->ndesigns);
    CU_ASSERT(strstr(buf, "ndc-quota,A,ndc_margin,-2,Mt\r\n") != NULL);
    CU_ASSERT(strstr(buf, "ndc-quota,B,ndc_margin,5,Mt\r\n") != NULL);
    CU_ASSERT(strstr(buf, "ndc-quota,C,ndc_margin") == NULL);
    CU_ASSERT(strstr(buf, "group-max,B,import_rent,72,million USD\r\n") != NULL);
    CU_ASSERT(strstr(buf, "group-max,A,import_rent") == NULL);
    free(buf);
    loaded_free(&L);
}

/* The problem of an import limit: one row per limit; a group member's purchases through a
 * column u >= max(m, 0) and its row (only where a limit counts groups). Copies are deep; the
 * checks refuse what names nothing. */
static void test_import_limit_model(void)
{
    Loaded L = load_run("data/import-limits.xml");
    ElProblem *p0 = NULL, *p1 = NULL;
    ElModelMap *m0 = NULL, *m1 = NULL;
    ElDesign *d = NULL, *c = NULL;
    ElError err = {EL_OK, ""};
    int g = el_scenario_find_design(L.s, "group-max");
    int a = el_scenario_find(L.s, "A"), b = el_scenario_find(L.s, "B");
    int pool = el_scenario_find_pool(L.s, "P"), two[2];
    two[0] = a;
    two[1] = b;
    CU_ASSERT_EQUAL_FATAL(test_build(L.s, g, false, &p1, &m1, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_design_create(&d, "plain", 0, &err), EL_OK);
    CU_ASSERT_EQUAL(el_design_add_group(d, two, 2, 0, &err), EL_OK);
    {
        ElModelData md;
        memset(&md, 0, sizeof(md));
        CU_ASSERT_EQUAL_FATAL(el_model_data_init(&md, L.s, d, NULL, NULL, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_model_build(&md, 0, &p0, &m0, &err), EL_OK);
        el_model_data_clear(&md);
    }
    CU_ASSERT_EQUAL(m1->nimport_limits, 1);
    CU_ASSERT_EQUAL(p1->nrows, p0->nrows + 2);    /* the limit and B's import part */
    CU_ASSERT_EQUAL(p1->ncols, p0->ncols + 1);    /* u_B */
    CU_ASSERT_EQUAL(m1->import_group_col[0], -1); /* A has no limit */
    CU_ASSERT(m1->import_group_col[1] >= 0);
    CU_ASSERT_EQUAL(p1->rup[m1->import_row[0]], 4);
    /* a deep copy keeps the limit and its pool list */
    CU_ASSERT_EQUAL(
        el_design_add_import_limit(d, b, HUGE_VAL, 0.1, EL_IMPORT_LINKS, &pool, 1, 7, &err), EL_OK);
    CU_ASSERT_EQUAL(el_design_check(L.s, d, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_design_copy(&c, d, "copy", &err), EL_OK);
    el_design_free(d);
    d = NULL;
    CU_ASSERT_EQUAL(c->nimport_limits, 1);
    CU_ASSERT_EQUAL(c->import_limits[0].npools, 1);
    CU_ASSERT_EQUAL(c->import_limits[0].pools[0], pool);
    CU_ASSERT_EQUAL(c->import_limits[0].sources, EL_IMPORT_LINKS);
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_OK);
    /* what the checks refuse, each naming the line */
    CU_ASSERT_EQUAL(el_design_add_import_limit(c, b, 5, 0.1, EL_IMPORT_LINKS, NULL, 0, 8, &err),
                    EL_OK);
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, ":8: design 'copy': <import-limit jurisdiction=\"B\">: needs "
                              "exactly one of max and share") != NULL);
    c->import_limits[1].share = nan("");
    c->import_limits[1].sources = 0;
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, ":8:") && strstr(err.msg, "sources names nothing"));
    c->import_limits[1].sources = EL_IMPORT_DEFAULT;
    c->import_limits[1].max = -1;
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "max -1 must be in [0,") != NULL);
    c->import_limits[1].max = 5;
    c->import_limits[0].pools[0] = L.s->npools; /* no such pool */
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, ":7:") && strstr(err.msg, "is not an offset pool"));
    c->import_limits[0].pools[0] = pool;
    c->import_limits[0].share = 1.5;
    CU_ASSERT_EQUAL(el_design_check(L.s, c, &err), EL_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "share 1.5 must be in [0, 1]") != NULL);
    el_design_free(c);
    el_problem_free(p0);
    el_problem_free(p1);
    el_model_map_free(m0);
    el_model_map_free(m1);
    loaded_free(&L);
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
                           "data/degenerate.xml", "golden/small/input.xml",
                           "data/csv-curves.xml", "data/import-limits.xml"};
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
    {"import limit: closed form, rent to the buyer", test_import_limit_closed_form},
    {"import limit as a share of emissions", test_import_limit_share},
    {"import limit over links, groups, offsets, projects", test_import_limit_sources},
    {"import limits: K-ETS phase 2 and 3 rules", test_import_limit_kets},
    {"import limit: rows, copies, checks", test_import_limit_model},
    {"NDC margins with corresponding adjustments", test_ndc_margin},
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
