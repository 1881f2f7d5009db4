/* The test suites, one per module, and helpers shared by them. */
#ifndef EL_TEST_SUITES_H
#define EL_TEST_SUITES_H

#include <stdint.h>

#include <CUnit/CUnit.h>

#include "build.h"
#include "equilibrium.h"
#include "scenario.h"

#define TEST_REL 1e-6 /* closed forms must hold to 1e-6 relative */

extern CU_TestInfo core_tests[];
extern CU_TestInfo mac_tests[];
extern CU_TestInfo model_tests[];
extern CU_TestInfo solver_tests[];
extern CU_TestInfo kkt_tests[];
extern CU_TestInfo inputs_tests[];
extern CU_TestInfo reports_tests[];
extern CU_TestInfo mechanisms_tests[];
extern CU_TestInfo permute_tests[];
extern CU_TestInfo equilibrium_tests[];
extern CU_TestInfo settings_tests[];
extern CU_TestInfo batch_tests[];
extern CU_TestInfo threads_tests[];
extern CU_TestInfo fast_tests[];
extern CU_TestInfo warm_tests[];
extern CU_TestInfo analysis_tests[];
extern CU_TestInfo coalition_tests[];
extern CU_TestInfo uncertainty_tests[];
extern CU_TestInfo periods_tests[];
extern CU_TestInfo api_tests[];
extern CU_TestInfo export_tests[];
int mechanisms_init(void);
int mechanisms_clean(void);

/** |actual - expected| <= TEST_REL (1 + |expected|), with a CUnit failure that shows both. */
#define CHECK_REL(actual, expected) \
    CU_ASSERT_DOUBLE_EQUAL((actual), (expected), TEST_REL *(1.0 + fabs((double)(expected))))

/** A scenario with n jurisdictions with linear MACs c_j a, BAU e_j and cap A_j (test helper). */
ElScenario *test_linear_scenario(
    int n, const double *bau, const double *cap, const double *slope, const double *intercept);
/** A seeded generator for random tests (xorshift64*: the same numbers on every platform). */
typedef struct {
    uint64_t s;
} Rng;
/** Uniform in [0, 1). */
double urand(Rng *g);
/** Uniform in [a, b). */
double uniform(Rng *g, double a, double b);
/** Uniform in 0..n-1. */
int irand(Rng *g, int n);

/** Build design d of s (-1: the baseline), no variation: el_model_data_init + el_model_build. */
el_status
test_build(const ElScenario *s, int d, bool elastic, ElProblem **p, ElModelMap **m, ElError *err);
/** Solve design d of s (-1: the baseline) against baseline (may be NULL). */
el_status test_design_solve(
    const ElScenario *s, int d, const ElDesignResult *baseline, ElDesignResult *r, ElError *err);
/** Solve the whole run of s; fails the test and returns NULL on error. */
ElRun *test_solve(const ElScenario *s);

#endif
