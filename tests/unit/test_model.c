/* model suite: scenario rules and the structure of the built problem (rows, columns,
 * coefficients of links, quotas and groups), checked by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "el_alloc.h"
#include "suites.h"

static double coef(const ElProblem *p, int i, int j)
{
    int t;
    for (t = 0; t < p->nnz; t++)
        if (p->ai[t] == i && p->aj[t] == j)
            return p->av[t];
    return 0;
}

static void test_build_link(void)
{
    double bau[2] = {100, 200}, cap[2] = {90, 150}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElError err;
    int l;
    el_scenario_add_design(s, "d", 0, &err);
    el_scenario_add_link(s, 0, 0, 1, 0.5, 10, 0.1, 0, &err);
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(test_build(s, 0, false, &p, &m, &err), EL_OK);
    l = m->link_col[0];
    CU_ASSERT_EQUAL(p->nrows, 3); /* two compliance rows, one quota-share row */
    CU_ASSERT_EQUAL(p->ncols, 3); /* two abatement columns, one link */
    CHECK_REL(p->rlo[m->comply_row[0]], 10);
    CHECK_REL(p->rlo[m->comply_row[1]], 50);
    CHECK_REL(coef(p, m->comply_row[1], l), 0.5); /* credited at the rate in the buyer */
    CHECK_REL(coef(p, m->comply_row[0], l), -1);  /* one unit leaves the seller */
    CHECK_REL(p->up[l], 10 / 0.5);                /* quota in tonnes credited */
    CHECK_REL(coef(p, m->link_share_row[0], l), 0.5);
    CHECK_REL(coef(p, m->link_share_row[0], m->abate_first[1]), 0.1);
    CHECK_REL(p->rup[m->link_share_row[0]], 0.1 * 200);
    CHECK_REL(p->h[m->abate_first[1]], 2);
    CHECK_REL(p->up[m->abate_first[1]], 200); /* linear MAC ends at BAU */
    CU_ASSERT_EQUAL(p->rkind[m->comply_row[0]], EL_ROW_REQUIREMENT);
    el_problem_free(p);
    el_model_map_free(m);
    CU_ASSERT_EQUAL(test_build(s, 5, false, &p, &m, &err), EL_ERR_INTERNAL);
    CU_ASSERT_PTR_NULL(p);
    el_scenario_free(s);
}

static void test_build_elastic(void)
{
    double bau[2] = {100, 200}, cap[2] = {90, 150}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_scenario_finish(s, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(test_build(s, -1, true, &p, &m, &err), EL_OK);
    CU_ASSERT_FALSE(el_problem_is_quadratic(p));
    CHECK_REL(p->c[m->short_col[1]], 1);
    CHECK_REL(coef(p, m->comply_row[1], m->short_col[1]), 1);
    el_problem_free(p);
    el_model_map_free(m);
    el_scenario_free(s);
}

static void test_problem_check(void)
{
    ElProblem *p = NULL, *q = NULL;
    ElError err;
    int r, c;
    CU_ASSERT_EQUAL_FATAL(el_problem_create(&p, &err), EL_OK);
    el_problem_add_row(p, "r", 0, HUGE_VAL, EL_ROW_PLAIN, &r, &err);
    el_problem_add_col(p, "x", 1, 0, 0, 5, &c, &err);
    el_problem_add_coef(p, r, c, 1, &err);
    CU_ASSERT_EQUAL(el_problem_check(p, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_copy(&q, p, &err), EL_OK);
    CU_ASSERT_EQUAL(q->nnz, 1);
    el_problem_add_coef(p, r, c, 2, &err);
    CU_ASSERT_EQUAL(el_problem_check(p, &err), EL_ERR_INTERNAL); /* duplicate (i, j) */
    el_problem_add_col(q, "bad", 0, 0, 3, 1, NULL, &err);
    CU_ASSERT_EQUAL(el_problem_check(q, &err), EL_ERR_INPUT); /* lo > up */
    el_problem_free(p);
    el_problem_free(q);
    el_problem_free(NULL);
}

/* The duplicate check against every pair compared, on random small problems (a third of them
 * with one coefficient repeated somewhere). */
static void test_problem_duplicates(void)
{
    Rng g = {2024};
    int t, agree = 0;
    for (t = 0; t < 300; t++) {
        ElProblem *p = NULL;
        ElError err;
        int nr = 1 + (int)uniform(&g, 0, 6), nc = 1 + (int)uniform(&g, 0, 6), k, l, n = 0;
        bool dup = false;
        CU_ASSERT_EQUAL_FATAL(el_problem_create(&p, &err), EL_OK);
        for (k = 0; k < nr; k++)
            el_problem_add_row(p, NULL, 0, HUGE_VAL, EL_ROW_PLAIN, NULL, &err);
        for (k = 0; k < nc; k++)
            el_problem_add_col(p, NULL, 1, 0, 0, 5, NULL, &err);
        for (k = 0; k < nr * nc; k++) /* each cell at most once, in random order, some left out */
            if (uniform(&g, 0, 1) < 0.6) {
                int i = (int)uniform(&g, 0, nr), j = (int)uniform(&g, 0, nc), m;
                bool there = false;
                for (m = 0; m < p->nnz; m++)
                    there = there || (p->ai[m] == i && p->aj[m] == j);
                if (!there)
                    el_problem_add_coef(p, i, j, 1, &err);
            }
        if (t % 3 == 0 && p->nnz > 0) { /* repeat one */
            int m = (int)uniform(&g, 0, p->nnz);
            el_problem_add_coef(p, p->ai[m], p->aj[m], 2, &err);
        }
        for (k = 0; k < p->nnz; k++)
            for (l = k + 1; l < p->nnz; l++)
                dup = dup || (p->ai[k] == p->ai[l] && p->aj[k] == p->aj[l]);
        n = el_problem_check(p, &err) == (dup ? EL_ERR_INTERNAL : EL_OK);
        agree += n;
        el_problem_free(p);
    }
    CU_ASSERT_EQUAL(agree, 300);
}

static void test_scenario_rules(void)
{
    double bau[2] = {100, 200}, cap[2] = {90, 150}, c[2] = {1, 2};
    ElScenario *s = test_linear_scenario(2, bau, cap, c, NULL);
    ElError err;
    int one[1] = {0};
    el_scenario_add_design(s, "d", 0, &err);
    el_scenario_add_group(s, 0, one, 1, 0, &err);
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at least two members"));
    el_scenario_free(s);
    s = test_linear_scenario(2, bau, cap, c, NULL);
    s->jur[1].bau = -1;
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT);
    el_scenario_free(s);
    CU_ASSERT_EQUAL(el_scenario_create(&s, "x", NULL, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT); /* empty scenario */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no jurisdiction"));
    el_scenario_free(s);
}

/* n jurisdictions J0..J(n-1) with BAU 100, cap 90, MAC = a (for the validation tests). */
static ElScenario *plain(int n)
{
    double *v = calloc((size_t)n, 3 * sizeof(double));
    ElScenario *s;
    int j;
    for (j = 0; j < n; j++) {
        v[j] = 100;
        v[n + j] = 90;
        v[2 * n + j] = 1;
    }
    s = test_linear_scenario(n, v, v + n, v + 2 * n, NULL);
    free(v);
    return s;
}

/* The product a loop message reports ("multiply to X > 1"), or nan. */
static double loop_product(const char *msg)
{
    const char *at = strstr(msg, "multiply to ");
    return at ? strtod(at + strlen("multiply to "), NULL) : nan("");
}

/* finish() on s, which is freed; returns the status, the message in err. */
static el_status finish_free(ElScenario *s, ElError *err)
{
    el_status st = el_scenario_finish(s, err);
    el_scenario_free(s);
    return st;
}

/* Exchange-rate loops (docs/model.md, validation rules): a cycle whose rates multiply to more
 * than 1 is refused and named; products of exactly 1 and cycle-free chains are accepted. */
static void test_rate_loops(void)
{
    ElScenario *s;
    ElError err;
    int l, n = 50, all[10000];
    /* A -> B at 2 and back at 1: 2 > 1 */
    s = plain(2);
    el_scenario_add_design(s, "x", 7, &err);
    el_scenario_add_link(s, 0, 0, 1, 2, HUGE_VAL, nan(""), 8, &err);
    el_scenario_add_link(s, 0, 1, 0, 1, HUGE_VAL, nan(""), 9, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":7: design 'x': the links J0 -> J1 (rate 2) -> J0 "
                                           "(rate 1) multiply to 2 > 1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "exchange-rate loop creates units from nothing"));
    /* 2 then 0.5: exactly 1, no loop; solvable, and p_J0 = 2 p_J1 (doc §2 stationarity) */
    s = plain(2);
    el_scenario_add_design(s, "x", 0, &err);
    el_scenario_add_link(s, 0, 0, 1, 2, HUGE_VAL, nan(""), 0, &err);
    el_scenario_add_link(s, 0, 1, 0, 0.5, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_OK);
    /* a ring of 50 links at 1.01: 1.01^50 */
    s = plain(n);
    el_scenario_add_design(s, "ring", 0, &err);
    for (l = 0; l < n; l++)
        el_scenario_add_link(s, 0, l, (l + 1) % n, 1.01, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_DOUBLE_EQUAL(loop_product(err.msg), pow(1.01, 50), 1e-12 * pow(1.01, 50));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(50 links in all)"));
    /* the same ring closed at 1.01^-50 x 0.999 (product 0.999) is no loop; x 1.0001 is */
    for (l = 0; l < 2; l++) {
        int k;
        s = plain(n);
        el_scenario_add_design(s, "ring", 0, &err);
        for (k = 0; k < n - 1; k++)
            el_scenario_add_link(s, 0, k, k + 1, 1.01, HUGE_VAL, nan(""), 0, &err);
        el_scenario_add_link(s, 0, n - 1, 0, (l == 0 ? 0.999 : 1.0001) / pow(1.01, n - 1), HUGE_VAL,
                             nan(""), 0, &err);
        CU_ASSERT_EQUAL(finish_free(s, &err), l == 0 ? EL_OK : EL_ERR_INPUT);
        if (l == 1)
            CU_ASSERT_DOUBLE_EQUAL(loop_product(err.msg), 1.0001, 1e-12);
    }
    /* 1.000001 on a link parallel to a group: a loop through the group */
    s = plain(3);
    el_scenario_add_design(s, "g", 4, &err);
    all[0] = 2;
    all[1] = 1;
    all[2] = 0;
    el_scenario_add_group(s, 0, all, 3, 5, &err);
    el_scenario_add_link(s, 0, 0, 1, 1.000001, HUGE_VAL, nan(""), 6, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "J0 -> J1 (rate 1.000001) -> J0 (group)"));
    CU_ASSERT_DOUBLE_EQUAL(loop_product(err.msg), 1.000001, 1e-13);
    /* just above the tolerance (1 + 1e-11) is a loop; 2 then 0.5 beside a group is not */
    s = plain(3);
    el_scenario_add_design(s, "g", 0, &err);
    el_scenario_add_group(s, 0, all, 3, 0, &err);
    el_scenario_add_link(s, 0, 0, 1, 1 + 1e-11, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    s = plain(4);
    el_scenario_add_design(s, "g", 0, &err);
    el_scenario_add_group(s, 0, all, 2, 0, &err); /* J2, J1 */
    el_scenario_add_link(s, 0, 1, 3, 2, HUGE_VAL, nan(""), 0, &err);
    el_scenario_add_link(s, 0, 3, 2, 0.5, HUGE_VAL, nan(""), 0, &err);
    el_scenario_add_link(s, 0, 0, 1, 1.1, HUGE_VAL, nan(""), 0, &err);
    el_scenario_add_link(s, 0, 1, 0, 1 / 1.1, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_OK);
    /* a chain of 9,999 links at 1.5 (no cycle), in reverse order, is accepted */
    n = 10000;
    s = plain(n);
    el_scenario_add_design(s, "chain", 0, &err);
    for (l = n - 2; l >= 0; l--)
        el_scenario_add_link(s, 0, l, l + 1, 1.5, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_OK);
    /* a group of 10,000 (a hub, not 10^8 edges) with a link at 2 inside it: a loop; at 0.5, not */
    for (l = 0; l < n; l++)
        all[l] = l;
    for (l = 0; l < 2; l++) {
        s = plain(n);
        el_scenario_add_design(s, "big", 0, &err);
        el_scenario_add_group(s, 0, all, n, 0, &err);
        el_scenario_add_link(s, 0, 4711, 815, l == 0 ? 0.5 : 2, HUGE_VAL, nan(""), 0, &err);
        CU_ASSERT_EQUAL(finish_free(s, &err), l == 0 ? EL_OK : EL_ERR_INPUT);
        if (l == 1)
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "J815 -> J4711 (group) -> J815 (rate 2)"));
    }
}

/* A tax regime issues no units: it may not sell through a link or a group, only buy. */
static void test_tax_not_seller(void)
{
    ElScenario *s;
    ElError err;
    int members[2] = {0, 1};
    int k;
    for (k = 0; k < 3; k++) {
        s = plain(2);
        el_scenario_set_tax(s, 1, 30, 5, &err);
        el_scenario_add_design(s, "d", 0, &err);
        if (k == 0)
            el_scenario_add_group(s, 0, members, 2, 3, &err);
        else
            el_scenario_add_link(s, 0, k == 1 ? 1 : 0, k == 1 ? 0 : 1, 1, HUGE_VAL, nan(""), 3,
                                 &err);
        CU_ASSERT_EQUAL(finish_free(s, &err), k == 2 ? EL_OK : EL_ERR_INPUT);
        if (k < 2)
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'J1' is a tax regime"));
    }
}

/* A floor above the ceiling or the penalty in force in the same design is refused, naming both
 * lines; equal prices are accepted. */
static void test_floor_order(void)
{
    ElScenario *s;
    ElError err;
    s = plain(1);
    s->jur[0].auction_share = 1;
    el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, 0, EL_INSTR_FLOOR, 40, 5, 11, &err);
    el_scenario_add_instrument(s, EL_SCENARIO_LEVEL, 0, EL_INSTR_CEILING, 40, 5, 12, &err);
    el_scenario_add_design(s, "up", 20, &err);
    el_scenario_add_instrument(s, 0, 0, EL_INSTR_CEILING, 60, 5, 21, &err);
    el_scenario_add_instrument(s, 0, 0, EL_INSTR_FLOOR, 50, 5, 22, &err);
    el_scenario_add_design(s, "penalty", 30, &err);
    el_scenario_add_instrument(s, 1, 0, EL_INSTR_PENALTY, 45, HUGE_VAL, 31, &err);
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_OK); /* 40 = 40, 50 < 60, 40 < 45 */
    s->designs[1]->instruments[0].price = 39;            /* now the floor of 40 is above it */
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":31: design 'penalty': the <floor> of 'J0' at 40 "
                                           "(line 11) is above its <penalty> at 39 (line 31)"));
    s->designs[1]->instruments[0].price = 45;
    s->designs[0]->instruments[0].price = 45; /* the design's own ceiling, under its floor */
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":22: design 'up': the <floor> of 'J0' at 50 "
                                           "(line 22) is above its <ceiling> at 45 (line 21)"));
    s->designs[0]->instruments[0].price = 60;
    s->instruments[1].price = 39.5; /* the scenario's ceiling, under its floor */
    CU_ASSERT_EQUAL(el_scenario_finish(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":12: scenario: the <floor> of 'J0' at 40 (line 11) "
                                           "is above its <ceiling> at 39.5 (line 12)"));
    el_scenario_free(s);
}

/* Reserved names; an empty design called autarky is the baseline and is accepted. */
static void test_reserved_names(void)
{
    ElScenario *s;
    ElError err;
    const char *bad[2] = {"total", "ROW"};
    int k;
    for (k = 0; k < 2; k++) {
        s = plain(2);
        el_free(s->jur[1].id);
        s->jur[1].id = el_strdup(bad[k]);
        s->jur[1].line = 4;
        CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":4: jurisdiction id '"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[k]));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is reserved"));
    }
    s = plain(2); /* even empty: the baseline is solved and reported anyway */
    el_scenario_add_design(s, "autarky", 3, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: design id 'autarky' is reserved"));
    s = plain(2);
    el_scenario_add_design(s, "autarky", 3, &err);
    el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: design id 'autarky' is reserved"));
    s = plain(2); /* case-sensitive: Total, row and Autarky are ordinary names */
    el_free(s->jur[0].id);
    s->jur[0].id = el_strdup("Total");
    el_free(s->jur[1].id);
    s->jur[1].id = el_strdup("row");
    el_scenario_add_design(s, "Autarky", 3, &err);
    el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, nan(""), 0, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_OK);
}

/* Duplicates are found by sorting and reported as a scan in file order would: the first
 * element that repeats an earlier one, with both lines. */
static void test_duplicates(void)
{
    const char *ids[6] = {"E", "B", "C", "A", "C", "B"};
    ElScenario *s;
    ElError err;
    int members[4] = {0, 1, 1, 0};
    int k;
    s = plain(6);
    for (k = 0; k < 6; k++) {
        el_free(s->jur[k].id);
        s->jur[k].id = el_strdup(ids[k]);
        s->jur[k].line = 10 + k;
    }
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT); /* C on 14 repeats 12 (B on 15 later) */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":14: jurisdiction id 'C' is already used on line 12"));
    s = plain(3);
    el_scenario_add_design(s, "d", 1, &err);
    el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, nan(""), 5, &err);
    el_scenario_add_link(s, 0, 2, 1, 1, HUGE_VAL, nan(""), 6, &err);
    el_scenario_add_link(s, 0, 1, 0, 1, HUGE_VAL, nan(""), 7, &err);
    el_scenario_add_link(s, 0, 0, 1, 1, HUGE_VAL, nan(""), 8, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":8: design 'd': link J0->J1 is given twice (first "
                                           "on line 5)"));
    s = plain(2);
    el_scenario_add_design(s, "d", 1, &err);
    el_scenario_add_group(s, 0, members, 4, 2, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT); /* J1 is the first repeat */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'J1' is listed twice in a group"));
    s = plain(2);
    el_scenario_add_design(s, "d", 1, &err);
    el_scenario_add_design(s, "e", 2, &err);
    el_scenario_add_design(s, "d", 3, &err);
    CU_ASSERT_EQUAL(finish_free(s, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: design id 'd' is already used on line 1"));
}

CU_TestInfo model_tests[] = {
    {"link, rate, quota and share rows", test_build_link},
    {"elastic problem", test_build_elastic},
    {"problem checks", test_problem_check},
    {"duplicate coefficients, against every pair compared", test_problem_duplicates},
    {"scenario rules", test_scenario_rules},
    {"exchange-rate loops", test_rate_loops},
    {"a tax regime sells nothing", test_tax_not_seller},
    {"floor below ceiling and penalty", test_floor_order},
    {"reserved names", test_reserved_names},
    {"duplicates, first in file order", test_duplicates},
    CU_TEST_INFO_NULL,
};
