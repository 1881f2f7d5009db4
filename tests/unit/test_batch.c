/* Batches (engine/batch.h), designs as values (model/design.h) and variations (model/data.h).
 * Every number is checked against a closed form: in a group of linear MACs c_j a_j with
 * requirements R_j, p = sum R_j / sum (1 / c_j) while every a_j = p / c_j stays below BAU. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "el_alloc.h"
#include "suites.h"

#define NJ 8

static const double bau8[NJ] = {100, 120, 90, 200, 150, 80, 110, 130};
static const double cap8[NJ] = {90, 100, 85, 170, 140, 72, 100, 120};
static const double c8[NJ] = {1, 2, 0.5, 3, 1.5, 4, 2.5, 0.8};

static ElScenario *scenario8(void)
{
    ElScenario *s = test_linear_scenario(NJ, bau8, cap8, c8, NULL);
    ElError err;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    return s;
}

/* Item i: a group of 2..6 distinct members drawn from i by a fixed generator. */
static int members_of(long i, int *mem)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull + 12345;
    int n = 2 + (int)(x % 5), k = 0, used[NJ] = {0};
    while (k < n) {
        int j;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdull;
        x ^= x >> 29;
        j = (int)(x % NJ);
        if (!used[j]) {
            used[j] = 1;
            mem[k++] = j;
        }
    }
    return n;
}

typedef struct {
    long count;
    long fail_at[2]; /* items whose production fails, or -1 */
    ElDesign **made; /* per item, until released */
    long arm_at;     /* at this item (-1: none), the thread making it fails its arm_n-th
                        allocation from then on (el_alloc_fail_at): workers run out too */
    long arm_n;
    int *calls, *releases; /* per item: times made (attempted) and given back */
} GroupProducer;

static el_status group_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    GroupProducer *g = ctx;
    int mem[6], n = members_of(i, mem);
    ElDesign *d = NULL;
    char id[32];
    el_status st;
    g->calls[i]++;
    if (i == g->fail_at[0] || i == g->fail_at[1])
        return el_error_set(err, EL_ERR_INPUT, "item %ld refused", i);
    if (i == g->arm_at)
        el_alloc_fail_at(g->arm_n);
    snprintf(id, sizeof(id), "g%ld", i);
    st = el_design_create(&d, id, 0, err);
    if (st == EL_OK)
        st = el_design_add_group(d, mem, n, 0, err);
    if (st != EL_OK) {
        el_design_free(d);
        return st;
    }
    g->made[i] = d;
    out->design = d;
    out->variation = NULL;
    return EL_OK;
}

static void group_release(void *ctx, long i, ElBatchItem *item)
{
    GroupProducer *g = ctx;
    (void)item;
    if (i >= 0)
        g->releases[i]++;
    if (i >= 0 && g->made[i]) {
        el_design_free(g->made[i]);
        g->made[i] = NULL;
    }
}

/* Every result of a batch, kept in order, plus what the sink saw. */
typedef struct {
    long n, seen, expect_next;
    int begun, ended, ended_ok, out_of_order;
    double *price;  /* n x NJ */
    double *gain;   /* n x NJ */
    double *totals; /* n */
    char (*ids)[32];
} Collect;

static el_status c_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    Collect *c = ctx;
    (void)s;
    (void)err;
    c->begun++;
    c->expect_next = -1;
    CU_ASSERT_EQUAL(count, c->n);
    return EL_OK;
}

static el_status c_result(void *ctx,
                          long index,
                          const ElBatchItem *item,
                          const ElDesignResult *r,
                          const ElDesignResult *base,
                          ElError *err)
{
    Collect *c = ctx;
    int j;
    (void)err;
    if (index != c->expect_next)
        c->out_of_order++;
    c->expect_next = index + 1;
    if (index < 0) {
        CU_ASSERT_PTR_NULL(item);
        CU_ASSERT_PTR_NULL(r->design);
        return EL_OK;
    }
    CU_ASSERT_PTR_NOT_NULL(base);
    CU_ASSERT_PTR_EQUAL(r->design, item->design);
    for (j = 0; j < NJ; j++) {
        c->price[index * NJ + j] = r->jur[j].price;
        c->gain[index * NJ + j] = r->jur[j].gain;
    }
    c->totals[index] = r->gain;
    snprintf(c->ids[index], sizeof(c->ids[index]), "%s", r->id);
    c->seen++;
    return EL_OK;
}

static el_status c_end(void *ctx, bool ok, ElError *err)
{
    Collect *c = ctx;
    (void)err;
    c->ended++;
    c->ended_ok += ok;
    return EL_OK;
}

static void collect_init(Collect *c, long n)
{
    memset(c, 0, sizeof(*c));
    c->n = n;
    c->price = calloc((size_t)n * NJ, sizeof(double));
    c->gain = calloc((size_t)n * NJ, sizeof(double));
    c->totals = calloc((size_t)n, sizeof(double));
    c->ids = calloc((size_t)n, sizeof(*c->ids));
}

static void collect_free(Collect *c)
{
    free(c->price);
    free(c->gain);
    free(c->totals);
    free(c->ids);
}

static el_status run_armed(const ElScenario *s,
                           long n,
                           int threads,
                           int window,
                           long fail_a,
                           long fail_b,
                           long arm_at,
                           long arm_n,
                           Collect *c,
                           ElError *err)
{
    GroupProducer g = {n,
                       {fail_a, fail_b},
                       calloc((size_t)n, sizeof(ElDesign *)),
                       arm_at,
                       arm_n,
                       calloc((size_t)n, sizeof(int)),
                       calloc((size_t)n, sizeof(int))};
    ElProducer prod = {&g, n, group_item, group_release};
    ElSink sink = {c, c_begin, c_result, c_end, NULL};
    const ElSink *sinks[1] = {&sink};
    ElBatchOptions opt = {threads, false, window};
    el_status st = el_batch_solve(s, &prod, &opt, sinks, 1, err);
    long i;
    el_alloc_fail_at(0);      /* the calling thread's, if it was armed */
    for (i = 0; i < n; i++) { /* every item made (or tried) was released, once */
        CU_ASSERT_PTR_NULL(g.made[i]);
        CU_ASSERT(g.calls[i] <= 1);
        CU_ASSERT_EQUAL(g.releases[i], g.calls[i]);
    }
    free(g.made);
    free(g.calls);
    free(g.releases);
    return st;
}

static el_status run_groups(const ElScenario *s,
                            long n,
                            int threads,
                            int window,
                            long fail_a,
                            long fail_b,
                            Collect *c,
                            ElError *err)
{
    return run_armed(s, n, threads, window, fail_a, fail_b, -1, 0, c, err);
}

/* The closed form of the group of item i: price, and each member's gain. */
static void closed_form(long i, double *price, double *gain)
{
    int mem[6], n = members_of(i, mem), k, j;
    double sr = 0, sc = 0, p;
    for (j = 0; j < NJ; j++) {
        price[j] = c8[j] * (bau8[j] - cap8[j]); /* autarky: p = c R */
        gain[j] = 0;
    }
    for (k = 0; k < n; k++) {
        sr += bau8[mem[k]] - cap8[mem[k]];
        sc += 1 / c8[mem[k]];
    }
    p = sr / sc;
    for (k = 0; k < n; k++) {
        int m = mem[k];
        double R = bau8[m] - cap8[m], a = p / c8[m];
        /* autarky cost c R^2 / 2; linked: c a^2 / 2 + p (R - a) */
        price[m] = p;
        gain[m] = c8[m] * R * R / 2 - (c8[m] * a * a / 2 + p * (R - a));
    }
}

static void test_batch_threads_same_bytes(void)
{
    ElScenario *s = scenario8();
    const long n = 240;
    static const int threads[] = {1, 2, 4, 2};
    static const int windows[] = {0, 0, 3, 1};
    Collect ref, c;
    ElError err;
    long i;
    int t, j;
    collect_init(&ref, n);
    CU_ASSERT_EQUAL_FATAL(run_groups(s, n, 1, 0, -1, -1, &ref, &err), EL_OK);
    CU_ASSERT_EQUAL(ref.seen, n);
    CU_ASSERT_EQUAL(ref.out_of_order, 0);
    CU_ASSERT_EQUAL(ref.begun, 1);
    CU_ASSERT_EQUAL(ref.ended_ok, 1);
    for (i = 0; i < n; i++) { /* against the closed form */
        double p[NJ], g[NJ], total = 0;
        closed_form(i, p, g);
        for (j = 0; j < NJ; j++) {
            CU_ASSERT_DOUBLE_EQUAL(ref.price[i * NJ + j], p[j], 1e-9 * (1 + p[j]));
            CU_ASSERT_DOUBLE_EQUAL(ref.gain[i * NJ + j], g[j], 1e-9 * (1 + fabs(g[j])));
            total += g[j];
        }
        CU_ASSERT_DOUBLE_EQUAL(ref.totals[i], total, 1e-9 * (1 + fabs(total)));
    }
    for (t = 0; t < 4; t++) { /* any thread count and window: the same bytes */
        collect_init(&c, n);
        CU_ASSERT_EQUAL_FATAL(run_groups(s, n, threads[t], windows[t], -1, -1, &c, &err), EL_OK);
        CU_ASSERT_EQUAL(c.out_of_order, 0);
        CU_ASSERT_EQUAL(memcmp(c.price, ref.price, (size_t)n * NJ * sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(c.gain, ref.gain, (size_t)n * NJ * sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(c.totals, ref.totals, (size_t)n * sizeof(double)), 0);
        CU_ASSERT_EQUAL(memcmp(c.ids, ref.ids, (size_t)n * sizeof(*c.ids)), 0);
        collect_free(&c);
    }
    collect_free(&ref);
    el_scenario_free(s);
}

/* Running out of memory on any thread, at any allocation (the slots, the lists that hand them
 * back, the solves): the batch reports it or, when the failing allocation could do without
 * (a list of slots to hand back) or comes after the thread's last, ends with the same results;
 * every item made is released exactly once (run_armed) and ASan and valgrind find nothing left.
 * Which thread makes items 3, 40 and 77, and so which one runs out, depends on the scheduling:
 * both do over the runs. */
static void test_batch_threads_out_of_memory(void)
{
    ElScenario *s = scenario8();
    const long n = 96;
    static const long arm_items[] = {3, 40, 77};
    Collect ref, c;
    ElError err;
    long k, a;
    int nomem = 0;
    collect_init(&ref, n);
    CU_ASSERT_EQUAL_FATAL(run_groups(s, n, 1, 0, -1, -1, &ref, &err), EL_OK);
    for (a = 0; a < 3; a++)
        for (k = 1; k <= 150; k++) {
            el_status st;
            collect_init(&c, n);
            st = run_armed(s, n, 2, k % 2 ? 0 : 20, -1, -1, arm_items[a], k, &c, &err);
            CU_ASSERT(st == EL_OK || st == EL_ERR_NOMEM);
            if (st != EL_OK && st != EL_ERR_NOMEM)
                fprintf(stderr, "armed at item %ld, allocation %ld: status %d (%s)\n", arm_items[a],
                        k, (int)st, err.msg);
            CU_ASSERT_EQUAL(c.out_of_order, 0);
            CU_ASSERT_EQUAL(c.ended, 1);
            if (st == EL_OK) {
                CU_ASSERT_EQUAL(c.seen, n);
                CU_ASSERT_EQUAL(memcmp(c.price, ref.price, (size_t)n * NJ * sizeof(double)), 0);
                CU_ASSERT_EQUAL(memcmp(c.totals, ref.totals, (size_t)n * sizeof(double)), 0);
            } else {
                nomem++;
                CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "out of memory"));
                CU_ASSERT(c.seen < n);
            }
            collect_free(&c);
        }
    CU_ASSERT(nomem > 0); /* the failures were reached */
    /* armed past the end (how far the end is depends on the scheduling): the same bytes */
    collect_init(&c, n);
    CU_ASSERT_EQUAL(run_armed(s, n, 2, 0, -1, -1, 40, 1000000, &c, &err), EL_OK);
    CU_ASSERT_EQUAL(memcmp(c.price, ref.price, (size_t)n * NJ * sizeof(double)), 0);
    collect_free(&c);
    collect_free(&ref);
    el_scenario_free(s);
}

/* The first failure in item order is the one reported, whatever the thread count; the sinks
 * are told the batch failed, and nothing after the failure is delivered. */
static void test_batch_first_error_in_order(void)
{
    ElScenario *s = scenario8();
    int t;
    for (t = 1; t <= 4; t++) {
        Collect c;
        ElError err;
        collect_init(&c, 40);
        CU_ASSERT_EQUAL(run_groups(s, 40, t, 2, 17, 9, &c, &err), EL_ERR_INPUT);
        CU_ASSERT_STRING_EQUAL(err.msg, "item 9 refused");
        CU_ASSERT_EQUAL(c.seen, 9); /* items 0..8 */
        CU_ASSERT_EQUAL(c.ended, 1);
        CU_ASSERT_EQUAL(c.ended_ok, 0);
        collect_free(&c);
    }
    el_scenario_free(s);
}

/* A variation passed with an item is the state of the world: its baseline is solved under it.
 * A: c = 1, R = 10; B: c = 1, R = 20, and the variation tightens B's cap by 10 (R = 30). Linked,
 * p = (10 + 30) / 2 = 20, each abates 20; A sells 10: cost 200 - 200 = 0 against 50 alone
 * (gain 50); B: 200 + 200 = 400 against 450 (gain 50). Without the variation p = 15 and each
 * gains 12.5. A design's own <set> of the same change is its policy: gains are measured against
 * the scenario's baseline, so B's gain is 200 - 400 = -200. */
typedef struct {
    const ElDesign *d;
    const ElVariation *v;
} OneItem;

static el_status one_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    const OneItem *o = ctx;
    (void)err;
    out->design = o[i].d;
    out->variation = o[i].v;
    return EL_OK;
}

static el_status keep_gains(void *ctx,
                            long index,
                            const ElBatchItem *item,
                            const ElDesignResult *r,
                            const ElDesignResult *base,
                            ElError *err)
{
    double *g = ctx;
    (void)item;
    (void)base;
    (void)err;
    if (index >= 0) {
        g[3 * index] = r->jur[0].gain;
        g[3 * index + 1] = r->jur[1].gain;
        g[3 * index + 2] = r->jur[0].price;
    }
    return EL_OK;
}

static void test_batch_variation_baseline(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, c[2] = {1, 1}, g[9];
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElDesign *d = NULL, *dset = NULL;
    ElVariation v;
    ElError err;
    int both[2] = {0, 1}, t;
    el_variation_init(&v);
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(el_design_create(&d, "ab", 0, &err) == EL_OK);
    CU_ASSERT_FATAL(el_design_add_group(d, both, 2, 0, &err) == EL_OK);
    CU_ASSERT_FATAL(el_design_copy(&dset, d, "ab-tight", &err) == EL_OK);
    CU_ASSERT_FATAL(el_design_add_set(dset, 1, EL_SET_CAP, -1, 70, 0, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_design_check(s, dset, &err), EL_OK);
    CU_ASSERT_FATAL(el_variation_add(&v, 1, EL_SET_CAP, -1, 70, 0, &err) == EL_OK);
    for (t = 1; t <= 2; t++) {
        OneItem items[3] = {{d, NULL}, {d, &v}, {dset, NULL}};
        ElProducer prod = {items, 3, one_item, NULL};
        ElSink sink = {g, NULL, keep_gains, NULL, NULL};
        const ElSink *sinks[1] = {&sink};
        ElBatchOptions opt = {t, false, 0};
        CU_ASSERT_EQUAL_FATAL(el_batch_solve(s, &prod, &opt, sinks, 1, &err), EL_OK);
        CHECK_REL(g[0], 12.5);
        CHECK_REL(g[1], 12.5);
        CHECK_REL(g[2], 15);
        CHECK_REL(g[3], 50);
        CHECK_REL(g[4], 50);
        CHECK_REL(g[5], 20);
        CHECK_REL(g[6], 50 - 0); /* A alone: 50; linked under B's tighter cap: 0 */
        CHECK_REL(g[7], 200 - 400);
        CHECK_REL(g[8], 20);
    }
    el_variation_clear(&v);
    el_design_free(d);
    el_design_free(dset);
    el_scenario_free(s);
}

/* Every field of a variation, against a hand computation on one jurisdiction alone
 * (p = MAC at the requirement). Base: BAU 100, cap 90, MAC 2 a: p = 20. */
static void test_variation_fields(void)
{
    double bau[1] = {100}, cap[1] = {90}, c[1] = {2};
    ElScenario *s = test_linear_scenario(1, bau, cap, c, NULL);
    struct {
        ElSetField f;
        double v, price;
    } cases[] = {
        {EL_SET_BAU, 95, 10},      /* R = 5 */
        {EL_SET_CAP, 80, 40},      /* R = 20 */
        {EL_SET_MAC_SCALE, 3, 60}, /* 6 a at a = 10 */
        {EL_SET_MAC_SHIFT, 7, 27}, /* 2 a + 7 */
        {EL_SET_BAU, 5, 0},        /* BAU below the cap: no abatement needed */
    };
    ElError err;
    size_t k;
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        ElVariation v;
        ElDesignResult r;
        el_variation_init(&v);
        CU_ASSERT_FATAL(el_variation_add(&v, 0, cases[k].f, -1, cases[k].v, 0, &err) == EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_design_solve(s, NULL, &v, NULL, &r, &err), EL_OK);
        CHECK_REL(r.jur[0].price, cases[k].price);
        el_design_result_clear(&r);
        el_variation_clear(&v);
    }
    { /* the curve is cut at the BAU in force: BAU 12, cap 0 needs 12 Mt, the curve ends at 12 */
        ElVariation v;
        ElDesignResult r;
        el_variation_init(&v);
        el_variation_add(&v, 0, EL_SET_BAU, -1, 12, 0, &err);
        el_variation_add(&v, 0, EL_SET_CAP, -1, 0, 0, &err);
        CU_ASSERT_EQUAL_FATAL(el_design_solve(s, NULL, &v, NULL, &r, &err), EL_OK);
        CHECK_REL(r.jur[0].price, 24);
        el_design_result_clear(&r);
        el_variation_add(&v, 0, EL_SET_FLOOR_PRICE, -1, 5, 0, &err); /* no floor in force */
        CU_ASSERT_EQUAL(el_design_solve(s, NULL, &v, NULL, &r, &err), EL_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no <floor> is in force"));
        el_variation_clear(&v);
    }
    el_scenario_free(s);
}

/* A design made in code is checked like one read from a file: an exchange-rate loop that
 * creates units is refused, with the design named. */
static void test_design_check_in_code(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, c[2] = {1, 1};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElDesign *d = NULL, *copy = NULL;
    ElError err;
    CU_ASSERT_FATAL(el_scenario_finish(s, &err) == EL_OK);
    CU_ASSERT_FATAL(el_design_create(&d, "loop", 0, &err) == EL_OK);
    el_design_add_link(d, 0, 1, 2, HUGE_VAL, nan(""), EL_RENT_BUYER, 0, &err);
    CU_ASSERT_EQUAL(el_design_check(s, d, &err), EL_OK);
    el_design_add_link(d, 1, 0, 1, HUGE_VAL, nan(""), EL_RENT_BUYER, 0, &err);
    CU_ASSERT_EQUAL(el_design_check(s, d, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "design 'loop'"));
    CU_ASSERT_FATAL(el_design_copy(&copy, d, NULL, &err) == EL_OK);
    CU_ASSERT_STRING_EQUAL(copy->id, "loop");
    CU_ASSERT_EQUAL(copy->nlinks, 2);
    CU_ASSERT_EQUAL(el_design_check(s, copy, &err), EL_ERR_INPUT);
    el_design_free(copy);
    el_design_free(d);
    el_scenario_free(s);
}

CU_TestInfo batch_tests[] = {
    {"threads and windows give the same bytes, equal to closed forms",
     test_batch_threads_same_bytes},
    {"the first error in item order is reported", test_batch_first_error_in_order},
    {"out of memory on any thread: reported or survived, nothing left over",
     test_batch_threads_out_of_memory},
    {"a variation's baseline is solved under it; a design's sets are its policy",
     test_batch_variation_baseline},
    {"every variation field against a hand computation", test_variation_fields},
    {"a design made in code is checked like one from a file", test_design_check_in_code},
    CU_TEST_INFO_NULL,
};
