/* fast suite: the exact fast path (engine/fast.h) against the slow path (GLPK, the KKT polish
 * and the tie rules) and against closed forms (docs/model.md §6).
 * - Every scenario file the tests use is solved with fast_path = 0 and = 1, and every number of
 *   every result must agree to 1e-9 (1 + |x|); the bundled scenario's designs without export
 *   caps or projects, and its autarky (China's CCER rule), must take the fast path.
 * - Thousands of seeded random scenarios (2-6 jurisdictions; linear, points and step MACs with
 *   prices from a small set, so that steps tie across jurisdictions and with instruments;
 *   requirements met exactly by whole steps; floors, ceilings, penalties, tax regimes; groups
 *   and links with rates and quotas; offset pools with linear, step and points supply, hosted or
 *   of the rest of the world, accepted at scenario and design level by one or several
 *   jurisdictions, with discounts, quantity limits and share limits, binding or not) are solved
 *   both ways and must agree the same way.
 * - Closed forms: groups of 2 and 2,000 linear MACs, a binding quota, a binding floor, a step
 *   curve met exactly (the left derivative), offsets (the bundled China, cn-kr, a binding limit,
 *   an indirect link), each solved by the fast path itself.
 * Set FAST_STATS=1 in the environment to print how many designs took the fast path (and
 * FAST_WHY=text to describe designs declined for a reason containing text). */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data.h"
#include "fast.h"
#include "load.h"
#include "suites.h"

#define FAST_REL    1e-9 /* fast and slow: |a - b| <= FAST_REL (1 + max(|a|, |b|)) */
#define CLOSED_REL  1e-10
#define MAX_PRINTED 10
#ifndef NRANDOM
#define NRANDOM 2500 /* random scenarios, 3 designs each */
#endif
#ifndef SEED
#define SEED 0x5eedfa57ULL
#endif

static int stats(void)
{
    const char *v = getenv("FAST_STATS");
    return v && *v && strcmp(v, "0") != 0;
}

/* ---- comparing results -------------------------------------------------------------------- */

typedef struct {
    const char *where; /* file or random case */
    int mismatches;
} Cmp;

static void num(Cmp *c, const char *design, const char *what, int i, double a, double b)
{
    if (fabs(a - b) <= FAST_REL * (1 + fmax(fabs(a), fabs(b))))
        return;
    if (c->mismatches++ < MAX_PRINTED)
        fprintf(stderr, "\n  fast: %s, design %s: %s[%d]: slow %.17g, fast %.17g", c->where, design,
                what, i, a, b);
}

/* Every number and flag of two results (the solver statistics in info excepted). */
static void compare(Cmp *c, const ElDesignResult *a, const ElDesignResult *b)
{
    const char *d = a->id ? a->id : "?";
    int i;
    num(c, d, "outcome", 0, a->outcome, b->outcome);
    num(c, d, "njur", 0, a->njur, b->njur);
    num(c, d, "nlinks", 0, a->nlinks, b->nlinks);
    num(c, d, "npools", 0, a->npools, b->npools);
    num(c, d, "naccepts", 0, a->naccepts, b->naccepts);
    num(c, d, "nprojects", 0, a->nprojects, b->nprojects);
    if (a->njur != b->njur || a->nlinks != b->nlinks || a->npools != b->npools ||
        a->naccepts != b->naccepts || a->nprojects != b->nprojects)
        return;
    for (i = 0; i < a->njur; i++) {
        const ElJurResult *x = &a->jur[i], *y = &b->jur[i];
#define J(f) num(c, d, #f, i, x->f, y->f)
        J(price);
        J(abatement);
        J(emissions);
        J(net_imports);
        J(offsets);
        J(project_credits);
        J(withheld);
        J(released);
        J(penalised);
        J(taxed);
        J(binding);
        J(abatement_cost);
        J(payments_abroad);
        J(receipts_abroad);
        J(payments);
        J(unit_payments);
        J(credit_payments);
        J(project_cost);
        J(national_cost);
        J(gain);
        J(firms_cost);
        J(gov_revenue);
        J(offset_surplus);
        J(ndc_emissions);
        J(shortfall);
        J(requirement);
        J(max_abatement);
#undef J
    }
    for (i = 0; i < a->nlinks; i++) {
        num(c, d, "link.units", i, a->link[i].units, b->link[i].units);
        num(c, d, "link.credited", i, a->link[i].credited, b->link[i].credited);
        num(c, d, "link.unit_price", i, a->link[i].unit_price, b->link[i].unit_price);
        num(c, d, "link.rent", i, a->link[i].rent, b->link[i].rent);
    }
    for (i = 0; i < a->npools; i++) {
        num(c, d, "pool.used", i, a->pool[i].used, b->pool[i].used);
        num(c, d, "pool.price", i, a->pool[i].price, b->pool[i].price);
        num(c, d, "pool.supplied", i, a->pool[i].supplied, b->pool[i].supplied);
        num(c, d, "pool.supply_cost", i, a->pool[i].supply_cost, b->pool[i].supply_cost);
        num(c, d, "pool.receipts", i, a->pool[i].receipts, b->pool[i].receipts);
    }
    for (i = 0; i < a->naccepts; i++) {
        num(c, d, "accept.pool", i, a->accept[i].pool, b->accept[i].pool);
        num(c, d, "accept.jur", i, a->accept[i].jur, b->accept[i].jur);
        num(c, d, "accept.credits", i, a->accept[i].credits, b->accept[i].credits);
        num(c, d, "accept.credited", i, a->accept[i].credited, b->accept[i].credited);
        num(c, d, "accept.payment", i, a->accept[i].payment, b->accept[i].payment);
    }
    for (i = 0; i < a->nprojects; i++) {
        num(c, d, "project.built", i, a->project[i].built, b->project[i].built);
        num(c, d, "project.credits", i, a->project[i].credits, b->project[i].credits);
        num(c, d, "project.cost", i, a->project[i].cost, b->project[i].cost);
    }
    num(c, d, "abatement_cost", 0, a->abatement_cost, b->abatement_cost);
    num(c, d, "total_cost", 0, a->total_cost, b->total_cost);
    num(c, d, "national_cost", 0, a->national_cost, b->national_cost);
    num(c, d, "row_surplus", 0, a->row_surplus, b->row_surplus);
    num(c, d, "gain", 0, a->gain, b->gain);
    num(c, d, "mip_checked", 0, a->mip_checked, b->mip_checked);
    num(c, d, "mip_corrected", 0, a->mip_corrected, b->mip_corrected);
    num(c, d, "fit_rounds", 0, a->fit_rounds, b->fit_rounds);
}

/* Why the fast path declines design d of s ("" if it does not): the problem is built again. */
static const char *decline_reason(const ElScenario *s, const ElDesign *d)
{
    ElModelData md;
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElSolution *sol = NULL;
    ElFastWork *w = NULL;
    ElError err;
    bool solved = false;
    const char *why = "(could not build)";
    memset(&md, 0, sizeof(md));
    if (el_model_data_init(&md, s, d, NULL, NULL, &err) == EL_OK &&
        el_model_build(&md, 0, &p, &m, &err) == EL_OK &&
        el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK &&
        el_fast_work_create(&w, &err) == EL_OK &&
        el_fast_solve(w, &md, p, m, sol, &solved, &err) == EL_OK)
        why = solved ? "" : el_fast_last_reason(w); /* a constant string of the library */
    el_fast_work_free(w);
    el_solution_free(sol);
    el_problem_free(p);
    el_model_map_free(m);
    el_model_data_clear(&md);
    return why;
}

/* ---- every scenario file ------------------------------------------------------------------ */

typedef struct {
    char **v;
    int n;
} Files;

static void add_file(Files *f, const char *path)
{
    char **t = realloc(f->v, sizeof(*t) * (size_t)(f->n + 1));
    if (!t)
        return;
    f->v = t;
    f->v[f->n] = malloc(strlen(path) + 1);
    if (f->v[f->n])
        strcpy(f->v[f->n++], path);
}

/* The .xml files under dir, recursively (any order: the caller sorts). */
static void find_xml(Files *f, const char *dir, int recurse)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char full[1024];
        struct stat st;
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && recurse)
            find_xml(f, full, recurse);
        else if (S_ISREG(st.st_mode) && n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0)
            add_file(f, full);
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Solve the whole run of s with fast_path set to `fast`. */
static el_status solve_run(ElScenario *s, int fast, ElRun **run, ElError *err)
{
    s->settings.fast_path = fast;
    return el_run_solve(run, s, err);
}

static int fast_count(const ElRun *run)
{
    int d, n = run->autarky.fast_path;
    for (d = 0; d < run->ndesigns; d++)
        n += run->designs[d].fast_path;
    return n;
}

/* Designs of northeast-asia.xml and the path they take. The fast path takes every design
 * without a project, China's own CCER rule (a scenario-level <accept>, in the baseline) and the
 * export cap included, and autarky. */
static void check_bundled(const ElRun *run)
{
    static const char *const fast[] = {
        "separate", "cn-kr",          "cn-kr-ts",      "kr-imports-5pct",  "cn-kr-fx",
        "cn-kr-kz", "cn-kr-kr-floor", "ccer-indirect", "cn-kr-export-cap", "jp-tax-ccer"};
    static const char *const slow[] = {"ne-asia-grid"};
    size_t k;
    int d;
    CU_ASSERT_TRUE(run->autarky.fast_path);
    for (d = 0; d < run->ndesigns; d++) {
        const char *id = run->designs[d].id;
        int want = -1;
        for (k = 0; k < sizeof(fast) / sizeof(fast[0]); k++)
            if (strcmp(id, fast[k]) == 0)
                want = 1;
        for (k = 0; k < sizeof(slow) / sizeof(slow[0]); k++)
            if (strcmp(id, slow[k]) == 0)
                want = 0;
        CU_ASSERT_NOT_EQUAL(want, -1); /* a new design: list it above */
        if (want >= 0 && run->designs[d].fast_path != want)
            fprintf(stderr, "\n  fast: northeast-asia.xml, design %s: fast path %s", id,
                    run->designs[d].fast_path ? "taken" : "not taken");
        CU_ASSERT(want < 0 || run->designs[d].fast_path == want);
    }
}

static void test_scenario_files(void)
{
    Files f = {NULL, 0};
    Files g = {NULL, 0};
    int i, files = 0, designs = 0, fast = 0, bundled = 0;
    DIR *dir;
    struct dirent *e;
    find_xml(&f, "../scenarios", 1);
    find_xml(&f, "data", 1);
    dir = opendir("golden");
    while (dir && (e = readdir(dir)) != NULL) {
        char in[1024];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(in, sizeof(in), "golden/%s/input.xml", e->d_name);
        if (stat(in, &st) == 0)
            add_file(&g, in);
    }
    if (dir)
        closedir(dir);
    for (i = 0; i < g.n; i++)
        add_file(&f, g.v[i]);
    if (f.n > 0)
        qsort(f.v, (size_t)f.n, sizeof(*f.v), by_name);
    for (i = 0; i < f.n; i++) {
        ElScenario *s = NULL;
        ElRun *slow = NULL, *quick = NULL;
        ElError e0 = {EL_OK, ""}, e1 = {EL_OK, ""};
        el_status st0, st1;
        Cmp c = {f.v[i], 0};
        int d;
        if (el_scenario_load(&s, f.v[i], NULL, &e0) != EL_OK)
            continue; /* files that do not load are the loader's tests */
        files++;
        st0 = solve_run(s, 0, &slow, &e0);
        st1 = solve_run(s, 1, &quick, &e1);
        if (st0 != st1)
            fprintf(stderr, "\n  fast: %s: slow %s (%s), fast %s (%s)", f.v[i], el_status_name(st0),
                    e0.msg, el_status_name(st1), e1.msg);
        CU_ASSERT_EQUAL(st0, st1);
        if (slow && quick) {
            CU_ASSERT_EQUAL(fast_count(slow), 0);
            compare(&c, &slow->autarky, &quick->autarky);
            for (d = 0; d < slow->ndesigns && d < quick->ndesigns; d++)
                compare(&c, &slow->designs[d], &quick->designs[d]);
            CU_ASSERT_EQUAL(c.mismatches, 0);
            designs += 1 + quick->ndesigns;
            fast += fast_count(quick);
            if (strstr(f.v[i], "northeast-asia.xml")) {
                check_bundled(quick);
                bundled++;
            }
            if (stats())
                fprintf(stderr, "\n  fast: %s: %d of %d designs (autarky included) fast", f.v[i],
                        fast_count(quick), 1 + quick->ndesigns);
            for (d = 0; stats() && d < quick->ndesigns; d++)
                if (!quick->designs[d].fast_path)
                    fprintf(stderr, "\n    %s: %s%s", quick->designs[d].id,
                            decline_reason(s, s->designs[d]),
                            quick->designs[d].outcome != EL_OPTIMAL ? " (no equilibrium)" : "");
        }
        el_run_free(slow);
        el_run_free(quick);
        el_scenario_free(s);
    }
    if (stats())
        fprintf(stderr, "\n  fast: scenario files: %d files, %d of %d designs fast\n", files, fast,
                designs);
    CU_ASSERT_EQUAL(bundled, 1);
    CU_ASSERT(files >= 15);
    CU_ASSERT(fast * 2 >= designs); /* most designs of the test files are in the class */
    for (i = 0; i < f.n; i++)
        free(f.v[i]);
    for (i = 0; i < g.n; i++)
        free(g.v[i]);
    free(f.v);
    free(g.v);
}

/* ---- random scenarios --------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unif(uint64_t *st)
{
    return (double)(rng_next(st) >> 11) * (1.0 / 9007199254740992.0);
}

static int pick(uint64_t *st, int n)
{
    return (int)(rng_next(st) % (uint64_t)n);
}

static bool chance(uint64_t *st, double p)
{
    return unif(st) < p;
}

/* Prices drawn from a few round values tie steps across jurisdictions and with instruments. */
static double a_price(uint64_t *st)
{
    static const double set[] = {5, 10, 20, 30, 40, 60};
    return chance(st, 0.7) ? set[pick(st, 6)] : 1 + 59 * unif(st);
}

/* One random jurisdiction's curve; *exact receives a requirement met by whole steps (or -1). */
static ElMac *random_mac(uint64_t *st, double bau, double *exact)
{
    ElMac *m = NULL;
    ElError err;
    int form = pick(st, 3), n, k;
    double q[6], p[6], total = 0;
    *exact = -1;
    if (form == 0) { /* linear, sometimes with an intercept or an end */
        double icpt = chance(st, 0.3) ? a_price(st) : 0;
        double max = chance(st, 0.25) ? 20 + 60 * unif(st) : HUGE_VAL;
        el_mac_create_linear(&m, icpt, 0.2 + 3 * unif(st), max, &err);
        return m;
    }
    n = 1 + pick(st, 4);
    if (form == 1) { /* points: q from 0, p non-decreasing, sometimes flat */
        q[0] = 0;
        p[0] = chance(st, 0.5) ? 0 : a_price(st) / 4;
        for (k = 1; k <= n; k++) {
            q[k] = q[k - 1] + 5 + 30 * unif(st);
            p[k] = p[k - 1] + (chance(st, 0.25) ? 0 : 1 + 30 * unif(st));
        }
        if (q[n] > bau)
            q[n] = bau;
        for (k = 1; k <= n && q[k] > q[k - 1]; k++)
            ;
        el_mac_create_points(&m, q, p, k, &err);
        return m;
    }
    for (k = 0; k < n; k++) { /* steps, in merit order */
        int i;
        q[k] = 2 + pick(st, 19);
        p[k] = a_price(st);
        for (i = k; i > 0 && p[i - 1] > p[i]; i--) {
            double t = p[i];
            p[i] = p[i - 1];
            p[i - 1] = t;
        }
    }
    for (k = 1 + pick(st, n); k > 0; k--) /* the first few steps, whole */
        total += q[k - 1];
    if (total < bau)
        *exact = total;
    el_mac_create_steps(&m, q, p, n, &err);
    return m;
}

typedef struct {
    int designs, fast, skipped, compared;
    int optimal;               /* compared designs with an equilibrium */
    int pooled, pooled_fast;   /* those with acceptances in force, and those the fast path took */
    int limited, limited_fast; /* those with export caps or import limits */
    int shared, shared_fast;   /* those with a quota-share or limit-share */
    Cmp cmp;
    const char *reason[32]; /* why the fast path declined (FAST_STATS only) */
    int count[32];
} RandomStats;

static void describe(const ElScenario *s, const ElDesign *d);

/* Tally why the fast path declines design d (FAST_STATS only); with FAST_WHY=text in the
 * environment, the first designs declined for a reason containing text are described. */
static void tally_reason(RandomStats *rs, const ElScenario *s, const ElDesign *d, bool optimal)
{
    static int shown;
    const char *why = decline_reason(s, d), *want = getenv("FAST_WHY");
    int k;
    if (!optimal)
        why = "(no equilibrium: the slow path diagnoses)";
    if (want && *want && strstr(why, want) && shown++ < 4) {
        fprintf(stderr, "\n  fast: declined (%s):", why);
        describe(s, d);
    }
    for (k = 0; k < 32 && rs->reason[k] && strcmp(rs->reason[k], why) != 0; k++)
        ;
    if (k < 32) {
        rs->reason[k] = why;
        rs->count[k]++;
    }
}

/* A random supply curve of an offset pool: linear (with an intercept or not, an end or not),
 * steps at round prices (ties with the jurisdictions' steps and prices) or points. */
static ElMac *random_supply(uint64_t *st)
{
    ElMac *m = NULL;
    ElError err;
    int form = pick(st, 3), n = 1 + pick(st, 3), k;
    double q[4], p[4];
    if (form == 0) {
        double icpt = chance(st, 0.4) ? 0 : a_price(st) / (chance(st, 0.5) ? 4 : 1);
        el_mac_create_linear(&m, icpt, 0.05 + 2 * unif(st),
                             chance(st, 0.3) ? 5 + 40 * unif(st) : HUGE_VAL, &err);
        return m;
    }
    if (form == 1) {
        for (k = 0; k < n; k++) {
            int i;
            q[k] = 2 + pick(st, 19);
            p[k] = chance(st, 0.15) ? 0 : a_price(st);
            for (i = k; i > 0 && p[i - 1] > p[i]; i--) {
                double t = p[i];
                p[i] = p[i - 1];
                p[i - 1] = t;
            }
        }
        el_mac_create_steps(&m, q, p, n, &err);
        return m;
    }
    q[0] = 0;
    p[0] = chance(st, 0.5) ? 0 : a_price(st) / 4;
    for (k = 1; k <= n; k++) {
        q[k] = q[k - 1] + 5 + 30 * unif(st);
        p[k] = p[k - 1] + (chance(st, 0.25) ? 0 : 1 + 30 * unif(st));
    }
    el_mac_create_points(&m, q, p, n + 1, &err);
    return m;
}

/* An acceptance of a random pool by jur, at scenario level (d = NULL) or in design d: a
 * quantity limit (often a whole number of Mt, as the steps' widths are), a share limit,
 * discounts other than 1. */
static void random_accept(uint64_t *st, ElScenario *s, ElDesign *d, int jur)
{
    static const double discounts[] = {1, 1, 1, 0.5, 0.8, 2};
    ElError err;
    int pool = pick(st, s->npools);
    double limit =
        chance(st, 0.35) ? (chance(st, 0.5) ? 2 + pick(st, 19) : 1 + 30 * unif(st)) : HUGE_VAL;
    double share = chance(st, 0.25) ? 0.02 + 0.3 * unif(st) : nan("");
    double disc = chance(st, 0.85) ? discounts[pick(st, 6)] : 0.3 + 1.5 * unif(st);
    if (d)
        el_design_add_accept(d, pool, jur, limit, share, disc, 0, &err);
    else
        el_scenario_add_accept(s, EL_SCENARIO_LEVEL, pool, jur, limit, share, disc, 0, &err);
}

static ElScenario *random_scenario(uint64_t *st, int *is_tax)
{
    ElScenario *s = NULL;
    ElError err;
    int nj = 2 + pick(st, 5), j, np = chance(st, 0.55) ? 1 + pick(st, 2) : 0, k;
    if (el_scenario_create(&s, "random", "USD", "Mt", &err) != EL_OK)
        return NULL;
    for (j = 0; j < nj; j++) {
        char id[16];
        double bau = 60 + 100 * unif(st), exact, R, floor_p = -1;
        ElMac *m = random_mac(st, bau, &exact);
        snprintf(id, sizeof(id), "J%d", j);
        R = exact >= 0 && chance(st, 0.4) ? exact : -10 + 50 * unif(st);
        if (!m || el_scenario_add_jurisdiction(s, id, id, bau, bau - R, m, 0, &err) != EL_OK) {
            el_scenario_free(s);
            return NULL;
        }
        is_tax[j] = chance(st, 0.08);
        if (is_tax[j]) {
            el_scenario_set_tax(s, j, a_price(st), 5 + 40 * unif(st), &err);
            continue;
        }
        s->jur[j].auction_share = chance(st, 0.5) ? 1 : unif(st);
        if (chance(st, 0.15)) {
            floor_p = a_price(st);
            el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, j, EL_INSTR_FLOOR, floor_p,
                                       fmin(1 + 15 * unif(st), s->jur[j].auction_share * (bau - R)),
                                       0, &err);
        }
        if (chance(st, 0.15))
            el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, j, EL_INSTR_CEILING,
                                       fmax(a_price(st), floor_p), 1 + 15 * unif(st), 0, &err);
        if (chance(st, 0.25))
            el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, j, EL_INSTR_PENALTY,
                                       fmax(a_price(st) + (chance(st, 0.5) ? 20 : 0), floor_p),
                                       HUGE_VAL, 0, &err);
    }
    for (k = 0; k < np; k++) { /* offset pools, hosted or of the rest of the world */
        char id[16];
        ElMac *m = random_supply(st);
        snprintf(id, sizeof(id), "P%d", k);
        if (!m || el_scenario_add_pool(s, id, chance(st, 0.5) ? EL_HOST_ROW : pick(st, nj), m, 0,
                                       &err) != EL_OK) {
            el_scenario_free(s);
            return NULL;
        }
    }
    for (j = 0; np > 0 && j < nj; j++) /* the jurisdictions' own rules: in autarky too */
        if (chance(st, 0.3))
            random_accept(st, s, NULL, j);
    if (el_scenario_finish(s, &err) != EL_OK) {
        el_scenario_free(s);
        return NULL;
    }
    return s;
}

/* Limits on trade, often binding: a buyer that trades on one link or acceptance alone under a
 * small quota-share or limit-share; export caps (Mt, sometimes 0, or a share of the cap) on any
 * jurisdiction; import limits in Mt or as a share, over every source or links or offsets only. */
static void random_limits(uint64_t *st, ElScenario *s, ElDesign *d, const int *is_tax)
{
    static const unsigned sources[] = {EL_IMPORT_DEFAULT, EL_IMPORT_LINKS, EL_IMPORT_OFFSETS};
    ElError err;
    int nj = s->njur, k, j, b = pick(st, nj);
    bool alone = true;
    for (k = 0; k < d->ngroups; k++)
        for (j = 0; j < d->groups[k].n; j++)
            alone = alone && d->groups[k].members[j] != b;
    for (k = 0; k < d->nlinks; k++)
        alone = alone && d->links[k].from != b && d->links[k].to != b;
    for (k = 0; k < d->naccepts; k++)
        alone = alone && d->accepts[k].jur != b;
    if (alone && chance(st, 0.6)) { /* a lone buyer under a share, binding more often than not */
        double share = chance(st, 0.5) ? 0.01 + 0.1 * unif(st) : 0.02 + 0.4 * unif(st);
        int from = pick(st, nj);
        if (s->npools > 0 && chance(st, 0.4))
            el_design_add_accept(d, pick(st, s->npools), b,
                                 chance(st, 0.2) ? 1 + 20 * unif(st) : HUGE_VAL, share,
                                 chance(st, 0.7) ? 1 : 0.5 + unif(st), 0, &err);
        else if (from != b && !is_tax[from])
            el_design_add_link(d, from, b, chance(st, 0.7) ? 1 : 0.5 + unif(st),
                               chance(st, 0.2) ? 1 + 20 * unif(st) : HUGE_VAL, share, EL_RENT_BUYER,
                               0, &err);
    }
    if (chance(st, 0.3)) {
        k = pick(st, nj);
        if (chance(st, 0.5))
            el_design_add_export_cap(d, k, chance(st, 0.15) ? 0 : 20 * unif(st), nan(""), 0, &err);
        else
            el_design_add_export_cap(d, k, HUGE_VAL, 0.3 * unif(st), 0, &err);
    }
    if (chance(st, 0.2)) {
        k = pick(st, nj);
        if (chance(st, 0.5))
            el_design_add_import_limit(d, k, 20 * unif(st), nan(""), sources[pick(st, 3)], NULL, 0,
                                       0, &err);
        else
            el_design_add_import_limit(d, k, HUGE_VAL, 0.3 * unif(st), sources[pick(st, 3)], NULL,
                                       0, 0, &err);
    }
}

static ElDesign *random_design(uint64_t *st, ElScenario *s, const int *is_tax, int i)
{
    static const double rates[] = {1, 1, 1, 0.5, 2, 0.8};
    ElDesign *d = NULL;
    ElError err;
    char id[16];
    int nj = s->njur, ng = pick(st, 3), nl = pick(st, 4), g, l, k, members[6], n;
    snprintf(id, sizeof(id), "d%d", i);
    if (el_design_create(&d, id, 0, &err) != EL_OK)
        return NULL;
    for (g = 0; g < ng; g++) {
        n = 0;
        for (k = 0; k < nj; k++)
            if (!is_tax[k] && chance(st, 0.6))
                members[n++] = k;
        if (n >= 2)
            el_design_add_group(d, members, n, 0, &err);
    }
    for (l = 0; l < nl; l++) {
        int from = pick(st, nj), to = pick(st, nj);
        double rate = chance(st, 0.8) ? rates[pick(st, 6)] : 0.3 + 2 * unif(st);
        double quota = chance(st, 0.4) ? 1 + 20 * unif(st) : HUGE_VAL;
        if (from == to || is_tax[from])
            continue;
        el_design_add_link(d, from, to, rate, quota,
                           chance(st, 0.1) ? 0.1 + 0.5 * unif(st) : nan(""), EL_RENT_BUYER, 0,
                           &err);
    }
    for (k = 0; s->npools > 0 && k < nj; k++) /* acceptances: several buyers = indirect links */
        if (chance(st, 0.3))
            random_accept(st, s, d, k);
    if (chance(st, 0.2)) { /* a design's own instrument, at a round price */
        k = pick(st, nj);
        if (!is_tax[k])
            el_design_add_instrument(d, k, chance(st, 0.5) ? EL_INSTR_CEILING : EL_INSTR_PENALTY,
                                     60 + a_price(st), chance(st, 0.5) ? 10 : HUGE_VAL, 0, &err);
    }
    random_limits(st, s, d, is_tax);
    if (el_design_check(s, d, &err) != EL_OK) {
        el_design_free(d);
        return NULL;
    }
    return d;
}

/* The data of design d of s, for a failure report (FAST_STATS only). */
static void describe(const ElScenario *s, const ElDesign *d)
{
    ElModelData md;
    ElError err;
    int j, k;
    memset(&md, 0, sizeof(md));
    if (el_model_data_init(&md, s, d, NULL, NULL, &err) != EL_OK)
        return;
    for (j = 0; j < md.njur; j++) {
        const ElJurData *q = &md.jur[j];
        fprintf(stderr, "\n    J%d: bau %.17g R %.17g%s", j, q->bau, q->requirement,
                q->kind == EL_CAP_TAX ? " tax" : "");
        if (q->kind == EL_CAP_TAX)
            fprintf(stderr, " rate %g limit %g", q->tax_rate, q->credit_limit);
        for (k = 0; k < EL_INSTR_KINDS; k++)
            if (q->has_instr[k])
                fprintf(stderr, " instr%d %g/%g", k, q->instr[k].price, q->instr[k].volume);
        for (k = 0; k < q->npieces; k++) {
            const ElMacPiece *pc = el_model_data_piece(&md, j, k);
            fprintf(stderr, " [%g +%g: %g slope %g]", pc->q0, pc->width, pc->p0, pc->slope);
        }
    }
    for (k = 0; d && k < d->ngroups; k++) {
        fprintf(stderr, "\n    group");
        for (j = 0; j < d->groups[k].n; j++)
            fprintf(stderr, " J%d", d->groups[k].members[j]);
    }
    for (k = 0; d && k < d->nlinks; k++)
        fprintf(stderr, "\n    link J%d -> J%d rate %g quota %g share %g", d->links[k].from,
                d->links[k].to, d->links[k].rate, d->links[k].quota, d->links[k].quota_share);
    for (k = 0; d && k < d->nexport_caps; k++)
        fprintf(stderr, "\n    export cap J%d max %g share-of-cap %g", d->export_caps[k].jur,
                d->export_caps[k].max, d->export_caps[k].share_of_cap);
    for (k = 0; d && k < d->nimport_limits; k++)
        fprintf(stderr, "\n    import limit J%d max %g share %g sources %u",
                d->import_limits[k].jur, d->import_limits[k].max, d->import_limits[k].share,
                d->import_limits[k].sources);
    for (k = 0; d && k < d->ninstruments; k++)
        fprintf(stderr, "\n    design instr J%d kind %d %g/%g", d->instruments[k].jur,
                d->instruments[k].kind, d->instruments[k].price, d->instruments[k].volume);
    for (k = 0; k < s->npools; k++) {
        const ElMac *sup = s->pools[k].supply;
        fprintf(stderr, "\n    pool P%d host %d", k, s->pools[k].host);
        for (j = 0; j < el_mac_piece_count(sup); j++) {
            const ElMacPiece *pc = el_mac_piece(sup, j);
            fprintf(stderr, " [%g +%g: %g slope %g]", pc->q0, pc->width, pc->p0, pc->slope);
        }
    }
    for (k = 0; k < md.naccepts; k++)
        fprintf(stderr, "\n    accept P%d by J%d limit %g share %g discount %g", md.accepts[k].pool,
                md.accepts[k].jur, md.accepts[k].limit, md.accepts[k].limit_share,
                md.accepts[k].discount);
    el_model_data_clear(&md);
}

/* One design both ways (against each way's own baseline); compares and counts. */
static void random_compare(RandomStats *rs,
                           ElScenario *s,
                           const ElDesign *d,
                           const ElDesignResult *base0,
                           const ElDesignResult *base1)
{
    ElDesignResult r0, r1;
    ElError e0 = {EL_OK, ""}, e1 = {EL_OK, ""};
    el_status st0, st1;
    s->settings.fast_path = 0;
    st0 = el_design_solve(s, d, NULL, base0, &r0, &e0);
    s->settings.fast_path = 1;
    st1 = el_design_solve(s, d, NULL, base1, &r1, &e1);
    if (st0 != st1 && rs->cmp.mismatches++ < MAX_PRINTED)
        fprintf(stderr, "\n  fast: %s, design %s: slow %s (%s), fast %s (%s)", rs->cmp.where,
                d ? d->id : "autarky", el_status_name(st0), e0.msg, el_status_name(st1), e1.msg);
    if (st0 == EL_OK && st1 == EL_OK) {
        int before = rs->cmp.mismatches;
        compare(&rs->cmp, &r0, &r1);
        if (rs->cmp.mismatches > before && stats())
            describe(s, d);
        rs->compared++;
        rs->optimal += r0.outcome == EL_OPTIMAL;
        rs->fast += r1.fast_path;
        rs->pooled += r1.naccepts > 0 && r0.outcome == EL_OPTIMAL;
        rs->pooled_fast += r1.naccepts > 0 && r1.fast_path;
        if (r0.outcome == EL_OPTIMAL && d) {
            bool limited = d->nexport_caps + d->nimport_limits > 0, shared = false;
            int k;
            for (k = 0; k < d->nlinks; k++)
                shared = shared || !isnan(d->links[k].quota_share);
            for (k = 0; k < d->naccepts; k++)
                shared = shared || !isnan(d->accepts[k].limit_share);
            rs->limited += limited;
            rs->limited_fast += limited && r1.fast_path;
            rs->shared += shared;
            rs->shared_fast += shared && r1.fast_path;
        }
        CU_ASSERT_FALSE(r0.fast_path);
        if (!r1.fast_path && stats())
            tally_reason(rs, s, d, r0.outcome == EL_OPTIMAL);
    }
    rs->designs++;
    el_design_result_clear(&r0);
    el_design_result_clear(&r1);
}

static void test_random(void)
{
    const char *seed = getenv("FAST_SEED"); /* another sample: FAST_SEED=n */
    uint64_t st = seed && *seed ? strtoull(seed, NULL, 0) : SEED;
    /* valgrind runs a quarter of the sample (ETSLINK_TEST_SHORT, Makefile): every path is still
     * taken, at a fiftieth of the speed */
    const char *short_run = getenv("ETSLINK_TEST_SHORT");
    int nrandom = short_run && *short_run && strcmp(short_run, "0") != 0 ? NRANDOM / 4 : NRANDOM;
    RandomStats rs;
    char where[64];
    int i, k;
    memset(&rs, 0, sizeof(rs));
    rs.cmp.where = where;
    for (i = 0; i < nrandom; i++) {
        int is_tax[6] = {0};
        ElScenario *s = random_scenario(&st, is_tax);
        ElDesignResult b0, b1;
        ElError err;
        snprintf(where, sizeof(where), "random scenario %d", i);
        if (!s) {
            rs.skipped++;
            continue;
        }
        s->settings.fast_path = 0;
        if (el_design_solve(s, NULL, NULL, NULL, &b0, &err) != EL_OK) {
            el_scenario_free(s);
            rs.skipped++;
            continue;
        }
        s->settings.fast_path = 1;
        CU_ASSERT_EQUAL_FATAL(el_design_solve(s, NULL, NULL, NULL, &b1, &err), EL_OK);
        b0.id = b1.id = "autarky";
        k = rs.cmp.mismatches;
        compare(&rs.cmp, &b0, &b1);
        if (rs.cmp.mismatches > k && stats())
            describe(s, NULL);
        rs.designs++;
        rs.compared++;
        rs.optimal += b0.outcome == EL_OPTIMAL;
        rs.fast += b1.fast_path;
        rs.pooled += b1.naccepts > 0 && b0.outcome == EL_OPTIMAL;
        rs.pooled_fast += b1.naccepts > 0 && b1.fast_path;
        if (!b1.fast_path && stats())
            tally_reason(&rs, s, NULL, b0.outcome == EL_OPTIMAL);
        for (k = 0; k < 3; k++) {
            ElDesign *d = random_design(&st, s, is_tax, k);
            if (!d) {
                rs.skipped++;
                continue;
            }
            random_compare(&rs, s, d, &b0, &b1);
            el_design_free(d);
        }
        el_design_result_clear(&b0);
        el_design_result_clear(&b1);
        el_scenario_free(s);
    }
    if (stats())
        fprintf(
            stderr,
            "\n  fast: random: %d designs compared (%d skipped), %d with an equilibrium, %d fast "
            "(%.1f%%); with offsets: %d with an equilibrium, %d fast (%.1f%%); with export caps "
            "or import limits: %d, %d fast (%.1f%%); with share limits: %d, %d fast (%.1f%%)\n",
            rs.compared, rs.skipped, rs.optimal, rs.fast,
            100.0 * rs.fast / (rs.optimal ? rs.optimal : 1), rs.pooled, rs.pooled_fast,
            100.0 * rs.pooled_fast / (rs.pooled ? rs.pooled : 1), rs.limited, rs.limited_fast,
            100.0 * rs.limited_fast / (rs.limited ? rs.limited : 1), rs.shared, rs.shared_fast,
            100.0 * rs.shared_fast / (rs.shared ? rs.shared : 1));
    for (k = 0; stats() && k < 32 && rs.reason[k]; k++)
        fprintf(stderr, "  fast: declined %5d: %s\n", rs.count[k], rs.reason[k]);
    CU_ASSERT_EQUAL(rs.cmp.mismatches, 0);
    CU_ASSERT(rs.compared >= 5 * nrandom / 2);
    /* most random designs with an equilibrium are in the class (about 70% on every seed tried:
     * 69.5% to 70.1%), and most of those with offsets */
    CU_ASSERT(rs.fast * 20 >= rs.optimal * 13);
    CU_ASSERT(rs.pooled_fast * 2 > rs.pooled);
    CU_ASSERT(rs.pooled * 5 >= rs.optimal); /* offsets are not rare in the sample */
}

/* ---- closed forms ------------------------------------------------------------------------- */

/* Solve design d (-1: the baseline) of s with the fast path, which must take it. */
static void fast_solve(const ElScenario *s, int d, ElDesignResult *r)
{
    ElError err = {EL_OK, ""};
    el_status st = test_design_solve(s, d, NULL, r, &err);
    if (st != EL_OK)
        fprintf(stderr, "\n  fast: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, EL_OK);
    CU_ASSERT_TRUE(r->fast_path);
}

static void near_rel(double got, double want)
{
    CU_ASSERT_DOUBLE_EQUAL(got, want, CLOSED_REL * (1 + fabs(want)));
}

/* A group of n linear MACs c_j a: p = sum R / sum 1/c, a_j = p / c_j, m_j = R_j - a_j
 * (docs/model.md §6). */
static void group_closed_form(int n)
{
    double *bau = malloc(sizeof(double) * (size_t)n), *cap = malloc(sizeof(double) * (size_t)n);
    double *slope = malloc(sizeof(double) * (size_t)n), sr = 0, sc = 0, p;
    int *members = malloc(sizeof(int) * (size_t)n), j;
    ElScenario *s;
    ElDesignResult r;
    ElError err;
    CU_ASSERT_FATAL(bau && cap && slope && members);
    for (j = 0; j < n; j++) {
        bau[j] = 100 + j % 7;
        cap[j] = bau[j] - (5 + (j * 37) % 23);
        slope[j] = 0.5 + (j * 13) % 11 * 0.25;
        members[j] = j;
        sr += bau[j] - cap[j];
        sc += 1 / slope[j];
    }
    p = sr / sc;
    s = test_linear_scenario(n, bau, cap, slope, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "all", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, 0, members, n, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    for (j = 0; j < n; j++) {
        near_rel(r.jur[j].price, p);
        near_rel(r.jur[j].abatement, p / slope[j]);
        near_rel(r.jur[j].net_imports, bau[j] - cap[j] - p / slope[j]);
    }
    el_design_result_clear(&r);
    el_scenario_free(s);
    free(bau);
    free(cap);
    free(slope);
    free(members);
}

static void test_group_closed_forms(void)
{
    group_closed_form(2);
    group_closed_form(2000);
}

/* Binding quota q = 4 on A -> B (A: MAC = a, R 10; B: MAC = 2a, R 20): p_B = 2 (20 - 4) = 32,
 * p_A = 1 (10 + 4) = 14, rent (32 - 14) 4 = 72 (README). */
static void test_quota_closed_form(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, slope[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElDesignResult r;
    ElError err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "quota", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, 0, 0, 1, 1, 4, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    near_rel(r.jur[0].price, 14);
    near_rel(r.jur[1].price, 32);
    near_rel(r.link[0].units, 4);
    near_rel(r.link[0].rent, 72);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Floor F = 25 in A of a group (A: MAC = a, R 10; B: MAC = 2a, R 20; sum 1/c = 1.5):
 * w = clamp(F 1.5 - 30, 0, V), p = (30 + w) / 1.5: V = 3 gives w = 3, p = 22 (the floor's
 * volume is used up); V = 10 gives w = 7.5 and p = 25, the floor. */
static void test_floor_closed_form(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, slope[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElDesignResult r;
    ElError err;
    int members[2] = {0, 1}, d;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    s->jur[0].auction_share = 0.5; /* a floor withholds auctioned allowances only */
    for (d = 0; d < 2; d++) {
        CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, d ? "v10" : "v3", 0, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, d, members, 2, 0, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(
            el_scenario_add_instrument(s, d, 0, EL_INSTR_FLOOR, 25, d ? 10 : 3, 0, &err), EL_OK);
    }
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    near_rel(r.jur[0].price, 22);
    near_rel(r.jur[1].price, 22);
    near_rel(r.jur[0].withheld, 3);
    CU_ASSERT_EQUAL(r.jur[0].binding, EL_BIND_CAP);
    el_design_result_clear(&r);
    fast_solve(s, 1, &r);
    near_rel(r.jur[0].price, 25);
    near_rel(r.jur[0].withheld, 7.5);
    near_rel(r.jur[0].abatement, 25);
    near_rel(r.jur[1].abatement, 12.5);
    CU_ASSERT_EQUAL(r.jur[0].binding, EL_BIND_FLOOR);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Steps 5 Mt at 10, 5 at 20, 10 at 40 and R = 10 (docs/model.md §4): the requirement is met by
 * the first two steps exactly, and the price is the cost of the last one used, 20. With
 * R = 12 the price is 40 and 2 Mt of the third step are used. */
static void test_left_derivative(void)
{
    double q[3] = {5, 5, 10}, pr[3] = {10, 20, 40};
    ElScenario *s = NULL;
    ElMac *m = NULL;
    ElDesignResult r;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_scenario_create(&s, "steps", "USD", "Mt", &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_mac_create_steps(&m, q, pr, 3, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_jurisdiction(s, "S", "S", 100, 90, m, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_mac_create_steps(&m, q, pr, 3, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_jurisdiction(s, "T", "T", 100, 88, m, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, -1, &r);
    near_rel(r.jur[0].price, 20);
    near_rel(r.jur[0].abatement, 10);
    near_rel(r.jur[1].price, 40);
    near_rel(r.jur[1].abatement, 12);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Offsets (docs/model.md §6), each solved by the fast path itself.
 * - China alone with the bundled numbers: MAC slope 0.60 / 30 = 0.02, R = 30, CCER supply
 *   1 + 0.1 o. The autarky price 0.6 is below the first credit's cost 1, so no credit is used and
 *   the pool's price is its buyer's value, 0.6 (the slow path's convention, §4.1).
 * - cn-kr with it: one market, p (1/0.02 + 28.876/16.2) + 10 (p - 1) = 30 + 28.876, so
 *   p = 68.876 / (50 + 28.876/16.2 + 10) = 1.11481462239 (results.csv), credits 10 (p - 1).
 * - A binding quantity limit: J (MAC 2a, R 20), pool 0.5 o, discount 0.5, limit 3 credited
 *   tonnes: unlimited, p = 20 / (1/2 + 0.25/0.5) = 20 would credit 10 > 3, so p = 2 (20 - 3) = 34,
 *   credits 3 / 0.5 = 6, q = 0.5 x 6 = 3.
 * - An indirect link: J (MAC 2a, R 20, discount 0.5) and K (MAC a, R 16, discount 1) share the
 *   pool 0.5 o. With q = 0.5 p_J = p_K: a_J = a_K = q, credits o_J = (20 - q) / 0.5, o_K = 16 - q,
 *   o_J + o_K = 2 q: q = 56 / 5 = 11.2, p_J = 22.4, o_J = 17.6, o_K = 4.8. */
static void test_pool_closed_forms(void)
{
    double bau[2] = {3000, 614.376}, cap[2] = {2970, 585.5}, slope[2] = {0.02, 16.2 / 28.876};
    double bau2[2] = {100, 100}, cap2[2] = {80, 84}, slope2[2] = {2, 1};
    double p = 68.876 / (50 + 28.876 / 16.2 + 10);
    int members[2] = {0, 1}, pool;
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElDesignResult r;
    ElMac *sup = NULL;
    ElError err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&sup, 1, 0.1, HUGE_VAL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_pool(s, "CCER", 0, sup, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(
        el_scenario_add_accept(s, EL_SCENARIO_LEVEL, 0, 0, HUGE_VAL, 0.05, 1, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "cn-kr", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, 0, members, 2, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, -1, &r);
    near_rel(r.jur[0].price, 0.6);
    near_rel(r.jur[0].abatement, 30);
    near_rel(r.pool[0].price, 0.6);
    near_rel(r.pool[0].supplied, 0);
    el_design_result_clear(&r);
    fast_solve(s, 0, &r);
    near_rel(r.jur[0].price, p);
    near_rel(r.jur[1].price, p);
    CU_ASSERT_DOUBLE_EQUAL(p, 1.11481462239, 1e-11);
    near_rel(r.pool[0].price, p);
    near_rel(r.pool[0].supplied, 10 * (p - 1));
    near_rel(r.jur[0].offsets, 10 * (p - 1));
    near_rel(r.jur[0].abatement, p / 0.02);
    el_design_result_clear(&r);
    el_scenario_free(s);

    s = test_linear_scenario(2, bau2, cap2, slope2, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    sup = NULL;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&sup, 0, 0.5, HUGE_VAL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_pool(s, "P", EL_HOST_ROW, sup, 0, &err), EL_OK);
    pool = el_scenario_find_pool(s, "P");
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "limit", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 0, pool, 0, 3, nan(""), 0.5, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "indirect", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 1, pool, 0, HUGE_VAL, nan(""), 0.5, 0, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 1, pool, 1, HUGE_VAL, nan(""), 1, 0, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    near_rel(r.jur[0].price, 34);
    near_rel(r.jur[0].abatement, 17);
    near_rel(r.jur[0].offsets, 3);
    near_rel(r.pool[0].price, 3);
    near_rel(r.pool[0].supplied, 6);
    near_rel(r.jur[1].price, 16);
    el_design_result_clear(&r);
    fast_solve(s, 1, &r);
    near_rel(r.jur[0].price, 22.4);
    near_rel(r.jur[1].price, 11.2);
    near_rel(r.pool[0].price, 11.2);
    near_rel(r.pool[0].supplied, 22.4);
    near_rel(r.jur[0].abatement, 11.2);
    near_rel(r.jur[0].offsets, 8.8);
    near_rel(r.jur[1].offsets, 4.8);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* An untraded pool (docs/model.md §4.1): A (MAC = a, R 10, price 10) and B (MAC = 2a, R 5,
 * price 10) may buy credits of a ROW pool whose first credit costs 20: A at discount 1 (limit
 * 5), B at discount 0.5 (no limit). Nobody buys; the pool's price is the most a buyer with room
 * would pay, max(1 x 10, 0.5 x 10) = 10, on the fast path and on the slow path alike (whose
 * dual could lie anywhere in [10, 20]). With A's limit 0 only B has room: 5. */
static void test_untraded_pool(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 95}, slope[2] = {1, 2};
    double want[2] = {10, 5};
    int pool, d, fast;
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElMac *sup = NULL;
    ElError err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&sup, 20, 1, HUGE_VAL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_pool(s, "P", EL_HOST_ROW, sup, 0, &err), EL_OK);
    pool = el_scenario_find_pool(s, "P");
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "both", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 0, pool, 0, 5, nan(""), 1, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 0, pool, 1, HUGE_VAL, nan(""), 0.5, 0, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "b-only", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 1, pool, 0, 0, nan(""), 1, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 1, pool, 1, HUGE_VAL, nan(""), 0.5, 0, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    for (fast = 0; fast < 2; fast++) {
        s->settings.fast_path = fast;
        for (d = 0; d < 2; d++) {
            ElDesignResult r;
            CU_ASSERT_EQUAL_FATAL(test_design_solve(s, d, NULL, &r, &err), EL_OK);
            CU_ASSERT_EQUAL(r.fast_path, fast);
            near_rel(r.jur[0].price, 10);
            near_rel(r.jur[1].price, 10);
            near_rel(r.pool[0].supplied, 0);
            near_rel(r.pool[0].price, want[d]);
            el_design_result_clear(&r);
        }
    }
    el_scenario_free(s);
}

/* A one-way link into a buyer whose seller has a surplus at price 0 (model.md §4.2): A (BAU 100,
 * cap 120) gives away 20 units, B (BAU 100, cap 90) needs 10 t, and at the rate 0.8 a unit of A
 * counts as 0.8 t in B. Both prices are 0 and the least-squares flow (tie stage 4) is the least
 * B needs: 10 / 0.8 = 12.5 units, 10 t credited; nobody abates. At the rate 0.4 B would need
 * 25 units, more than A's surplus: A's price rises (a priced market, not this rule), and the
 * paths still agree. */
static void test_price_zero_link(void)
{
    double bau[2] = {100, 100}, cap[2] = {120, 90}, slope[2] = {1, 2};
    int fast;
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElError err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "rate-0.8", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, 0, 0, 1, 0.8, HUGE_VAL, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "rate-0.4", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, 1, 0, 1, 0.4, HUGE_VAL, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    for (fast = 0; fast < 2; fast++) {
        ElDesignResult r, q;
        s->settings.fast_path = fast;
        CU_ASSERT_EQUAL_FATAL(test_design_solve(s, 0, NULL, &r, &err), EL_OK);
        CU_ASSERT_EQUAL(r.fast_path, fast);
        CU_ASSERT_DOUBLE_EQUAL(r.jur[0].price, 0, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(r.jur[1].price, 0, 1e-12);
        near_rel(r.link[0].units, 12.5);
        near_rel(r.link[0].credited, 10);
        CU_ASSERT_DOUBLE_EQUAL(r.jur[0].abatement, 0, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(r.jur[1].abatement, 0, 1e-9);
        /* rate 0.4: 25 units wanted, 20 free: A abates a = x - 20 at p_A = a, B abates
         * b = 10 - 0.4 x at p_B = 2 b, and the free link gives 0.4 p_B = p_A:
         * 0.8 (10 - 0.4 x) = x - 20, x = 28 / 1.32, a = 4 / 3.3 */
        CU_ASSERT_EQUAL_FATAL(test_design_solve(s, 1, NULL, &q, &err), EL_OK);
        near_rel(q.jur[0].price, 4 / 3.3);
        near_rel(q.jur[1].price, 4 / 3.3 / 0.4);
        near_rel(q.link[0].units, 20 + 4 / 3.3);
        el_design_result_clear(&r);
        el_design_result_clear(&q);
    }
    el_scenario_free(s);
}

/* Export caps and import limits (docs/model.md §6). A (MAC = a, R 10) and B (MAC = 2a, R 20)
 * in a group clear at p = 30 / 1.5 = 20, A selling 10. A's export cap X binds below that: A sells
 * X, p_A = R_A + X, p_B = 2 (R_B - X), and B pays the group's price p_B for the X units, so A
 * keeps the scarcity rent (p_B - p_A) X: A's national cost is (R_A + X)^2 / 2 - p_B X.
 * X = 4: p_A 14, p_B 32, A's cost 98 - 128 = -30, B's 256 + 128 = 384. share-of-cap 0.05 of
 * A's cap 90: X = 4.5, p_A 14.5, p_B 31. An import limit of 4 on B over a link A -> B is a
 * quota: p_A 14, p_B 32. */
static void test_export_cap_closed_form(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, slope[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElDesignResult r;
    ElError err;
    int members[2] = {0, 1};
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "max", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, 0, members, 2, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_export_cap(s, 0, 0, 4, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "share", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, 1, members, 2, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_export_cap(s, 1, 0, HUGE_VAL, 0.05, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "slack", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_group(s, 2, members, 2, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_export_cap(s, 2, 0, 12, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "import", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, 3, 0, 1, 1, HUGE_VAL, nan(""), 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_design_add_import_limit(s->designs[3], 1, 4, nan(""),
                                                     EL_IMPORT_DEFAULT, NULL, 0, 0, &err),
                          EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    near_rel(r.jur[0].price, 14);
    near_rel(r.jur[1].price, 32);
    near_rel(r.jur[0].net_imports, -4);
    near_rel(r.jur[1].net_imports, 4);
    near_rel(r.jur[0].national_cost, -30);
    near_rel(r.jur[1].national_cost, 384);
    el_design_result_clear(&r);
    fast_solve(s, 1, &r);
    near_rel(r.jur[0].price, 14.5);
    near_rel(r.jur[1].price, 31);
    near_rel(r.jur[0].abatement, 14.5);
    near_rel(r.jur[0].national_cost, 14.5 * 14.5 / 2 - 31 * 4.5);
    el_design_result_clear(&r);
    fast_solve(s, 2, &r); /* a cap of 12 above the free 10: p = 20 for both */
    near_rel(r.jur[0].price, 20);
    near_rel(r.jur[1].price, 20);
    near_rel(r.jur[0].net_imports, -10);
    el_design_result_clear(&r);
    fast_solve(s, 3, &r);
    near_rel(r.jur[0].price, 14);
    near_rel(r.jur[1].price, 32);
    near_rel(r.link[0].units, 4);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* Binding share limits on a buyer that trades there alone (docs/model.md §5, §6).
 * - Quota-share 0.05 on A -> B (A: MAC = a, R 10; B: MAC = 2a, BAU 100, R 20): free, p = 20 and B
 *   would import 10 > 0.05 (100 - 10). Binding, B imports m = 0.05 (100 - a_B) with
 *   a_B + m = 20: a_B = (20 - 5) / 0.95 = 300/19, m = 80/19 (0.05/0.95 of B's cap 80);
 *   p_A = 10 + m = 270/19; B's MAC 2 a_B = (1 - 0.05) p_B + 0.05 p_A, so
 *   p_B = (600/19 - 13.5/19) / 0.95 = 586.5 / 18.05.
 * - Limit-share 0.1 on J's credits (J: MAC = 2a, BAU 100, R 20; pool 0.5 o, discount 1): free,
 *   p = 20 / (1/2 + 2) = 8 and o = 16 > 0.1 (100 - 4). Binding: a = (20 - 10) / 0.9 = 100/9,
 *   o = 80/9, q = 0.5 o = 40/9, MAC 200/9 = 0.9 p + 0.1 q: p = (200/9 - 4/9) / 0.9 = 196/8.1. */
static void test_share_closed_form(void)
{
    double bau[2] = {100, 100}, cap[2] = {90, 80}, slope[2] = {1, 2}, pA = 270.0 / 19;
    ElScenario *s = test_linear_scenario(2, bau, cap, slope, NULL);
    ElDesignResult r;
    ElMac *sup = NULL;
    ElError err;
    int pool;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&sup, 0, 0.5, HUGE_VAL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_pool(s, "P", EL_HOST_ROW, sup, 0, &err), EL_OK);
    pool = el_scenario_find_pool(s, "P");
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "quota-share", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, 0.05, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, "limit-share", 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_add_accept(s, 1, pool, 1, HUGE_VAL, 0.1, 1, 0, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    fast_solve(s, 0, &r);
    near_rel(r.jur[1].abatement, 300.0 / 19);
    near_rel(r.jur[1].net_imports, 80.0 / 19);
    near_rel(r.jur[0].price, pA);
    near_rel(r.jur[1].price, (600.0 / 19 - 0.05 * pA) / 0.95);
    near_rel(r.link[0].units, 80.0 / 19);
    el_design_result_clear(&r);
    fast_solve(s, 1, &r);
    near_rel(r.jur[1].abatement, 100.0 / 9);
    near_rel(r.jur[1].offsets, 80.0 / 9);
    near_rel(r.pool[0].price, 40.0 / 9);
    near_rel(r.jur[1].price, (200.0 / 9 - 4.0 / 9) / 0.9);
    el_design_result_clear(&r);
    el_scenario_free(s);
}

/* One workspace across a sweep of quotas (warm starts from the previous states) gives the same
 * numbers, bit for bit, as a fresh workspace per solve, and solved = false leaves nothing
 * behind: a design with an offset pool is refused with a reason. */
static void test_workspace(void)
{
    double bau[3] = {100, 100, 100}, cap[3] = {90, 80, 70}, slope[3] = {1, 2, 3};
    ElScenario *s = test_linear_scenario(3, bau, cap, slope, NULL);
    ElFastWork *w = NULL;
    ElError err;
    int d;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    for (d = 0; d < 12; d++) {
        char id[16];
        snprintf(id, sizeof(id), "q%d", d);
        CU_ASSERT_EQUAL_FATAL(el_scenario_add_design(s, id, 0, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, d, 0, 1, 1, 0.5 + 2 * d, nan(""), 0, &err),
                              EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_scenario_add_link(s, d, 1, 2, 0.8, 30 - 2 * d, nan(""), 0, &err),
                              EL_OK);
    }
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_fast_work_create(&w, &err), EL_OK);
    for (d = 0; d < 2 * s->ndesigns; d++) {
        const ElDesign *des = s->designs[d % s->ndesigns];
        ElModelData md;
        ElProblem *p = NULL;
        ElModelMap *m = NULL;
        ElSolution *a = NULL, *b = NULL;
        bool sa = false, sb = false;
        int j;
        memset(&md, 0, sizeof(md));
        CU_ASSERT_EQUAL_FATAL(el_model_data_init(&md, s, des, NULL, NULL, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_model_build(&md, 0, &p, &m, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_solution_create(&a, p->ncols, p->nrows, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_solution_create(&b, p->ncols, p->nrows, &err), EL_OK);
        CU_ASSERT_EQUAL(el_fast_solve(w, &md, p, m, a, &sa, &err), EL_OK);
        CU_ASSERT_EQUAL(el_fast_solve(NULL, &md, p, m, b, &sb, &err), EL_OK);
        CU_ASSERT_TRUE(sa && sb);
        CU_ASSERT_STRING_EQUAL(el_fast_last_reason(w), "");
        for (j = 0; sa && sb && j < p->ncols; j++)
            CU_ASSERT_EQUAL(memcmp(&a->x[j], &b->x[j], sizeof(double)), 0);
        for (j = 0; sa && sb && j < p->nrows; j++)
            CU_ASSERT_EQUAL(memcmp(&a->y[j], &b->y[j], sizeof(double)), 0);
        el_solution_free(a);
        el_solution_free(b);
        el_problem_free(p);
        el_model_map_free(m);
        el_model_data_clear(&md);
    }
    el_fast_work_free(w);
    el_fast_work_free(NULL);
    el_scenario_free(s);
}

/* Outside the class: projects, a binding credit limit of a tax regime, a design without an
 * equilibrium. The fast path declines and the slow path answers (a shortfall); offsets with a
 * quantity limit, a discount, several buyers or a share (slack, or binding on a lone buyer) and
 * export caps on a seller's one link are in the class. */
static void test_declines(void)
{
    ElScenario *s = NULL;
    ElError err = {EL_OK, ""};
    ElRun *run = NULL;
    int d;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/mechanisms.xml", NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_run_solve(&run, s, &err), EL_OK);
    for (d = 0; d < run->ndesigns; d++) {
        const char *id = run->designs[d].id;
        if (strncmp(id, "project", 7) == 0 || strcmp(id, "tax-credits") == 0)
            CU_ASSERT_FALSE(run->designs[d].fast_path);
        if (strncmp(id, "offset", 6) == 0 || strncmp(id, "export", 6) == 0)
            CU_ASSERT_TRUE(run->designs[d].fast_path);
    }
    el_run_free(run);
    el_scenario_free(s);
    s = NULL;
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(&s, "data/no-eq-design.xml", NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_run_solve(&run, s, &err), EL_OK);
    for (d = 0; d < run->ndesigns; d++)
        if (run->designs[d].outcome != EL_OPTIMAL)
            CU_ASSERT_FALSE(run->designs[d].fast_path);
    el_run_free(run);
    el_scenario_free(s);
}

CU_TestInfo fast_tests[] = {
    {"group of 2 and of 2000: p = sum R / sum 1/c", test_group_closed_forms},
    {"binding quota: both prices by hand", test_quota_closed_form},
    {"binding floor in a group", test_floor_closed_form},
    {"steps met exactly: the left derivative", test_left_derivative},
    {"offsets: bundled China, cn-kr, a binding limit, an indirect link", test_pool_closed_forms},
    {"an untraded pool's price on both paths", test_untraded_pool},
    {"a one-way link at price 0: the least flow the buyer needs", test_price_zero_link},
    {"export caps and an import limit by hand", test_export_cap_closed_form},
    {"binding quota-share and limit-share on a lone buyer by hand", test_share_closed_form},
    {"one workspace, warm starts: bit-identical", test_workspace},
    {"outside the class: the slow path answers", test_declines},
    {"every scenario file: fast = slow to 1e-9", test_scenario_files},
    {"random scenarios: fast = slow to 1e-9", test_random},
    CU_TEST_INFO_NULL,
};
