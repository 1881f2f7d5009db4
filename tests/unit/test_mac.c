/* mac suite: each curve form against hand-computed values, truncation, and bad curves. */
#include <math.h>
#include <string.h>

#include "mac.h"
#include "suites.h"

static void test_linear(void)
{
    ElMac *m = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_linear(&m, 2, 0.5, 100, &err), EL_OK);
    CHECK_REL(el_mac_value(m, 10), 7);                  /* 2 + 0.5 * 10 */
    CHECK_REL(el_mac_cost(m, 10), 2 * 10 + 0.25 * 100); /* alpha q + c q^2 / 2 */
    CHECK_REL(el_mac_abatement_at(m, 7), 10);
    CHECK_REL(el_mac_abatement_at(m, 1), 0);      /* below the intercept */
    CHECK_REL(el_mac_abatement_at(m, 1000), 100); /* the curve's end */
    CHECK_REL(el_mac_max_abatement(m), 100);
    CU_ASSERT_EQUAL(el_mac_truncate(m, 40, &err), EL_OK);
    CHECK_REL(el_mac_max_abatement(m), 40);
    el_mac_free(m);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, 0, -1, 10, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, -3, 1, 10, &err), EL_ERR_INPUT);
    CU_ASSERT_EQUAL(el_mac_create_linear(&m, 0, nan(""), 10, &err), EL_ERR_INPUT);
    el_mac_free(NULL);
}

static void test_points(void)
{
    double q[3] = {0, 10, 20}, p[3] = {0, 10, 30};
    ElMac *m = NULL, *c = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_points(&m, q, p, 3, &err), EL_OK);
    CU_ASSERT_EQUAL(el_mac_piece_count(m), 2);
    CHECK_REL(el_mac_value(m, 15), 20);
    CHECK_REL(el_mac_cost(m, 15), 50 + 10 * 5 + 25);
    CHECK_REL(el_mac_abatement_at(m, 20), 15);
    CU_ASSERT_EQUAL(el_mac_copy(&c, m, &err), EL_OK);
    CU_ASSERT_EQUAL(el_mac_truncate(c, 12, &err), EL_OK);
    CHECK_REL(el_mac_max_abatement(c), 12);
    CHECK_REL(el_mac_max_abatement(m), 20); /* the copy is independent */
    el_mac_free(c);
    el_mac_free(m);
    p[2] = 5;
    CU_ASSERT_EQUAL(el_mac_create_points(&m, q, p, 3, &err), EL_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "non-decreasing"));
    CU_ASSERT_EQUAL(el_mac_create_points(&m, q, p, 1, &err), EL_ERR_INPUT);
}

static void test_steps(void)
{
    double q[3] = {5, 5, 10}, p[3] = {10, 20, 40};
    ElMac *m = NULL;
    ElError err;
    CU_ASSERT_EQUAL_FATAL(el_mac_create_steps(&m, q, p, 3, &err), EL_OK);
    CHECK_REL(el_mac_value(m, 7), 20);
    CHECK_REL(el_mac_value(m, 5), 20); /* right-continuous at a boundary */
    CHECK_REL(el_mac_cost(m, 7), 50 + 40);
    CHECK_REL(el_mac_abatement_at(m, 25), 10);
    CHECK_REL(el_mac_abatement_at(m, 40), 20);
    CHECK_REL(el_mac_max_abatement(m), 20);
    el_mac_free(m);
    q[1] = -1;
    CU_ASSERT_EQUAL(el_mac_create_steps(&m, q, p, 3, &err), EL_ERR_INPUT);
}

CU_TestInfo mac_tests[] = {
    {"linear", test_linear},
    {"points", test_points},
    {"steps", test_steps},
    CU_TEST_INFO_NULL,
};
