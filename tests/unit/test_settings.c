/* settings suite: the budget no scenario file can exceed (ranges, grid * 8^refine, the LP size
 * in discretize, the scenario's ceiling on design_time_limit_s) and the deadline: a deadline in
 * the past makes every solver stop with outcome EL_TIME_LIMIT. Deterministic: no timings. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "el_clock.h"
#include "el_settings.h"
#include "load.h"
#include "lp.h"
#include "qp.h"
#include "suites.h"

#define HAS(msg, frag) CU_ASSERT_PTR_NOT_NULL(strstr((msg), (frag)))

/* Per-setting ranges: what used to be accepted (grid 100000, refine 10, polish_iter 100000,
 * lp_iter 1e9) is refused, naming the setting. */
static void test_ranges(void)
{
    ElSettings s;
    ElError err;
    el_settings_default(&s);
    CU_ASSERT_EQUAL(el_settings_set(&s, "grid", "100000", &err), EL_ERR_SETTINGS);
    HAS(err.msg, "setting grid = 100000 is outside [1, 4096]");
    CU_ASSERT_EQUAL(el_settings_set(&s, "refine", "10", &err), EL_ERR_SETTINGS);
    HAS(err.msg, "setting refine = 10 is outside [0, 4]");
    CU_ASSERT_EQUAL(el_settings_set(&s, "polish_iter", "100000", &err), EL_ERR_SETTINGS);
    HAS(err.msg, "polish_iter");
    CU_ASSERT_EQUAL(el_settings_set(&s, "lp_iter", "1e9", &err), EL_ERR_SETTINGS);
    HAS(err.msg, "lp_iter");
    CU_ASSERT_EQUAL(el_settings_set(&s, "design_time_limit_s", "0", &err), EL_ERR_SETTINGS);
    HAS(err.msg, "design_time_limit_s");
    CU_ASSERT_EQUAL(el_settings_set(&s, "design_time_limit_s", "inf", &err), EL_ERR_SETTINGS);
    /* the limits themselves are accepted, and nothing above changed s */
    CU_ASSERT_EQUAL(s.grid, EL_DEFAULT_GRID);
    CU_ASSERT_EQUAL(s.refine, EL_DEFAULT_REFINE);
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, EL_DEFAULT_DESIGN_TIME_LIMIT_S, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, 600, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.deadline, 0, 0);
    CU_ASSERT_EQUAL(el_settings_set(&s, "grid", "4096", &err), EL_OK);
    CU_ASSERT_EQUAL(el_settings_set(&s, "refine", "2", &err), EL_OK);
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_OK);
    CU_ASSERT_EQUAL(el_settings_set(&s, "design_time_limit_s", "0.001", &err), EL_OK);
    CU_ASSERT_EQUAL(el_settings_set(&s, "design_time_limit_s", "1e6", &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, 1e6, 0);
}

/* The joint budget grid * 8^refine <= 2^20, computed without int overflow. */
static void test_joint_budget(void)
{
    ElSettings s;
    ElError err;
    el_settings_default(&s);
    /* each in range, together 4096 * 8^3 = 2^21 steps per piece: over */
    s.grid = 4096;
    s.refine = 3;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "grid = 4096 and refine = 3");
    HAS(err.msg, "2097152");
    HAS(err.msg, "1048576");
    /* 256 * 8^4 = 2^20 exactly: at the budget; 257 * 8^4 is over */
    s.grid = 256;
    s.refine = 4;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_OK);
    s.grid = 257;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "refine = 4");
    /* the defaults leave room for one more refinement: 16 * 8^4 = 65536 */
    s.grid = 16;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_OK);
    /* combinations the old ranges accepted, whose int product overflows (100000 * 8^10 and
     * 65536 * 8^6 = 2^34): refused, whatever the order of the checks */
    s.grid = 100000;
    s.refine = 10;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "grid");
    s.grid = 65536;
    s.refine = 6;
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "grid");
    /* a deadline is a time or 0, never NaN */
    el_settings_default(&s);
    s.deadline = nan("");
    CU_ASSERT_EQUAL(el_settings_validate(&s, &err), EL_ERR_INTERNAL);
}

/* A scenario file may lower design_time_limit_s but not raise it; the command line may. */
static void test_scenario_ceiling(void)
{
    ElSettings s;
    ElError err;
    el_settings_default(&s);
    CU_ASSERT_EQUAL(el_settings_set_scenario(&s, "design_time_limit_s", "601", &err),
                    EL_ERR_SETTINGS);
    HAS(err.msg, "design_time_limit_s = 601 is above 600");
    HAS(err.msg, "--set design_time_limit_s=601");
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, 600, 0);
    CU_ASSERT_EQUAL(el_settings_set_scenario(&s, "design_time_limit_s", "30", &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, 30, 0);
    CU_ASSERT_EQUAL(el_settings_set_scenario(&s, "grid", "100000", &err), EL_ERR_SETTINGS);
    CU_ASSERT_EQUAL(el_settings_set_scenario(&s, "grid", "64", &err), EL_OK);
    CU_ASSERT_EQUAL(s.grid, 64);
    CU_ASSERT_EQUAL(el_settings_set(&s, "design_time_limit_s", "3600", &err), EL_OK);
    CU_ASSERT_DOUBLE_EQUAL(s.design_time_limit_s, 3600, 0);
}

static el_status load_with(const char *settings, ElScenario **s, ElError *err)
{
    char xml[1024];
    snprintf(xml, sizeof(xml),
             "<?xml version=\"1.0\"?>\n<scenario name=\"t\">\n  <settings>%s</settings>\n"
             "  <jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><linear slope=\"1\"/>"
             "</mac></jurisdiction>\n</scenario>\n",
             settings);
    return el_scenario_load_memory(s, xml, (long)strlen(xml), "m.xml", NULL, err);
}

/* The budget holds for settings read from a scenario file. */
static void test_scenario_settings(void)
{
    ElScenario *s = NULL;
    ElError err;
    CU_ASSERT_EQUAL(load_with("<set name=\"grid\" value=\"100000\"/>", &s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "grid = 100000 is outside");
    CU_ASSERT_EQUAL(load_with("<set name=\"refine\" value=\"10\"/>", &s, &err), EL_ERR_SETTINGS);
    HAS(err.msg, "refine = 10 is outside");
    CU_ASSERT_EQUAL(
        load_with("<set name=\"grid\" value=\"4096\"/><set name=\"refine\" value=\"3\"/>", &s,
                  &err),
        EL_ERR_SETTINGS);
    HAS(err.msg, "grid = 4096 and refine = 3");
    CU_ASSERT_EQUAL(load_with("<set name=\"design_time_limit_s\" value=\"1e6\"/>", &s, &err),
                    EL_ERR_SETTINGS);
    HAS(err.msg, "design_time_limit_s");
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL_FATAL(
        load_with("<set name=\"grid\" value=\"512\"/><set name=\"refine\" value=\"1\"/>"
                  "<set name=\"design_time_limit_s\" value=\"5\"/>",
                  &s, &err),
        EL_OK);
    CU_ASSERT_EQUAL(s->settings.grid, 512);
    CU_ASSERT_EQUAL(s->settings.refine, 1);
    CU_ASSERT_DOUBLE_EQUAL(s->settings.design_time_limit_s, 5, 0);
    el_scenario_free(s);
}

/* n quadratic columns x_j in [0, 100] with cost x_j^2 / 2, each in `rows` rows sum_j x_j >= 10
 * (the first a requirement row). */
static ElProblem *quadratic(int n, int rows)
{
    ElProblem *p = NULL;
    ElError err;
    int i, j;
    char name[32];
    CU_ASSERT_FATAL(el_problem_create(&p, &err) == EL_OK);
    for (j = 0; j < n; j++) {
        snprintf(name, sizeof(name), "x%d", j);
        CU_ASSERT_FATAL(el_problem_add_col(p, name, 0, 1, 0, 100, NULL, &err) == EL_OK);
    }
    for (i = 0; i < rows; i++) {
        snprintf(name, sizeof(name), "r%d", i);
        CU_ASSERT_FATAL(el_problem_add_row(p, name, 10, HUGE_VAL,
                                           i == 0 ? EL_ROW_REQUIREMENT : EL_ROW_PLAIN, NULL,
                                           &err) == EL_OK);
        for (j = 0; j < n; j++)
            CU_ASSERT_FATAL(el_problem_add_coef(p, i, j, 1, &err) == EL_OK);
    }
    return p;
}

/* discretize refuses an LP above 2,000,000 columns or 3,000,000 nonzeros before allocating it,
 * whatever the number of pieces, and the QP solver passes the refusal on. */
static void test_lp_budget(void)
{
    ElProblem *p = quadratic(600, 1), *d = NULL;
    ElSolution *sol = NULL;
    ElSettings s;
    ElError err;
    /* 600 pieces x 4096 steps = 2,457,600 columns */
    CU_ASSERT_EQUAL(el_qp_discretize(p, 4096, &d, &err), EL_ERR_NUMERIC);
    CU_ASSERT_PTR_NULL(d);
    HAS(err.msg, "2457600 columns");
    HAS(err.msg, "2000000");
    el_settings_default(&s);
    s.grid = 4096;
    s.refine = 0;
    s.fast_path = 0; /* the LP path: step 0 (qp.h) would answer without an LP */
    CU_ASSERT_FATAL(el_solution_create(&sol, p->ncols, p->nrows, &err) == EL_OK);
    CU_ASSERT_EQUAL(el_qp_solve(p, &s, sol, NULL, &err), EL_ERR_NUMERIC);
    HAS(err.msg, "budget");
    el_solution_free(sol);
    el_problem_free(p);
    /* one piece in 800 rows: 4096 columns but 3,276,800 nonzeros */
    p = quadratic(1, 800);
    CU_ASSERT_EQUAL(el_qp_discretize(p, 4096, &d, &err), EL_ERR_NUMERIC);
    CU_ASSERT_PTR_NULL(d);
    HAS(err.msg, "nonzeros");
    CU_ASSERT_EQUAL_FATAL(el_qp_discretize(p, 16, &d, &err), EL_OK);
    CU_ASSERT_EQUAL(d->ncols, 16);
    CU_ASSERT_EQUAL(d->nnz, 16 * 800);
    el_problem_free(d);
    el_problem_free(p);
}

static void test_clock(void)
{
    double a = el_clock_now(), b = el_clock_now();
    CU_ASSERT(a > 0);
    CU_ASSERT(b >= a);
    CU_ASSERT(!el_clock_expired(0));
    CU_ASSERT(el_clock_expired(a - 1));
    CU_ASSERT(!el_clock_expired(b + 3600));
    CU_ASSERT(isinf(el_clock_remaining(0)));
    CU_ASSERT(el_clock_remaining(a - 1) < 0);
}

/* min x^2 / 2 subject to x >= 10: x = 10, price 10 without a deadline; a deadline in the past
 * gives EL_OK with outcome EL_TIME_LIMIT and no price. */
static void test_deadline_qp(void)
{
    ElProblem *p = quadratic(1, 1);
    ElSolution *sol = NULL;
    ElSettings s;
    ElQpInfo info;
    ElError err;
    el_settings_default(&s);
    CU_ASSERT_FATAL(el_solution_create(&sol, 1, 1, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, &s, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CHECK_REL(sol->x[0], 10);
    CHECK_REL(sol->y[0], 10);
    s.deadline = el_clock_now() - 1;
    sol->outcome = EL_OPTIMAL;
    CU_ASSERT_EQUAL(el_qp_solve(p, &s, sol, &info, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_TIME_LIMIT);
    CU_ASSERT_STRING_EQUAL(el_outcome_name(sol->outcome), "time-limit");
    CU_ASSERT_EQUAL(info.polish_iter, 0);
    el_solution_free(sol);
    el_problem_free(p);
}

/* An LP (min 2 y, y >= 3) and a MIP (min 5 b, b >= 0.5, b binary): optimal without a deadline,
 * EL_TIME_LIMIT with one in the past, before GLPK starts. */
static void test_deadline_lp(void)
{
    ElProblem *p = NULL;
    ElLp *lp = NULL;
    ElSolution *sol = NULL;
    ElSettings s;
    ElError err;
    int y, b, r;
    el_settings_default(&s);
    CU_ASSERT_FATAL(el_problem_create(&p, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_col(p, "y", 2, 0, 0, 100, &y, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_col(p, "b", 5, 0, 0, 1, &b, &err) == EL_OK);
    el_problem_set_integer(p, b);
    CU_ASSERT_FATAL(el_problem_add_row(p, "ry", 3, HUGE_VAL, EL_ROW_PLAIN, &r, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_coef(p, r, y, 1, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_row(p, "rb", 0.5, HUGE_VAL, EL_ROW_PLAIN, &r, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_coef(p, r, b, 1, &err) == EL_OK);
    CU_ASSERT_FATAL(el_solution_create(&sol, 2, 2, &err) == EL_OK);

    CU_ASSERT_FATAL(el_lp_create(&lp, p, &s, &err) == EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_lp_solve_mip(lp, sol, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CHECK_REL(sol->obj, 2 * 3 + 5 * 1);
    el_lp_free(lp);

    s.deadline = el_clock_now() - 1;
    CU_ASSERT_FATAL(el_lp_create(&lp, p, &s, &err) == EL_OK);
    sol->outcome = EL_OPTIMAL;
    CU_ASSERT_EQUAL(el_lp_solve(lp, sol, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_TIME_LIMIT);
    sol->outcome = EL_OPTIMAL;
    CU_ASSERT_EQUAL(el_lp_solve_mip(lp, sol, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_TIME_LIMIT);
    el_lp_free(lp);

    /* the pure-LP path of the QP solver (no quadratic column) */
    el_problem_free(p);
    CU_ASSERT_FATAL(el_problem_create(&p, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_col(p, "y", 2, 0, 0, 100, &y, &err) == EL_OK);
    CU_ASSERT_FATAL(el_problem_add_row(p, "ry", 3, HUGE_VAL, EL_ROW_REQUIREMENT, &r, &err) ==
                    EL_OK);
    CU_ASSERT_FATAL(el_problem_add_coef(p, r, y, 1, &err) == EL_OK);
    el_solution_free(sol);
    CU_ASSERT_FATAL(el_solution_create(&sol, 1, 1, &err) == EL_OK);
    sol->outcome = EL_OPTIMAL;
    CU_ASSERT_EQUAL(el_qp_solve(p, &s, sol, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_TIME_LIMIT);
    s.deadline = 0;
    CU_ASSERT_EQUAL(el_qp_solve(p, &s, sol, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CHECK_REL(sol->x[0], 3);
    CHECK_REL(sol->y[0], 2);
    el_solution_free(sol);
    el_problem_free(p);
}

CU_TestInfo settings_tests[] = {
    {"ranges", test_ranges},
    {"joint budget grid * 8^refine", test_joint_budget},
    {"scenario ceiling of design_time_limit_s", test_scenario_ceiling},
    {"settings from a scenario file", test_scenario_settings},
    {"LP size budget", test_lp_budget},
    {"monotonic clock", test_clock},
    {"deadline in the past: QP", test_deadline_qp},
    {"deadline in the past: LP and MIP", test_deadline_lp},
    CU_TEST_INFO_NULL,
};
