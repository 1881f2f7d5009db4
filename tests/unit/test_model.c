/* model suite: scenario rules and the structure of the built problem (rows, columns,
 * coefficients of links, quotas and groups), checked by hand. */
#include <math.h>
#include <string.h>

#include "build.h"
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
    CU_ASSERT_EQUAL_FATAL(el_model_build(s, 0, false, &p, &m, &err), EL_OK);
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
    CU_ASSERT_EQUAL(el_model_build(s, 5, false, &p, &m, &err), EL_ERR_INTERNAL);
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
    CU_ASSERT_EQUAL_FATAL(el_model_build(s, EL_AUTARKY, true, &p, &m, &err), EL_OK);
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

CU_TestInfo model_tests[] = {
    {"link, rate, quota and share rows", test_build_link},
    {"elastic problem", test_build_elastic},
    {"problem checks", test_problem_check},
    {"scenario rules", test_scenario_rules},
    CU_TEST_INFO_NULL,
};
