/* export-lp's problems (solver/qp_export.h) against closed forms: the refined LP solved by GLPK
 * gives the equilibrium's quantities and, within EL_EXPORT_PRICE_TOL, its prices; the QP in
 * CPLEX LP format holds the objective and rows of the problem; glpsol, when installed, reads
 * the refined LP and finds the same optimum. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "data.h"
#include "load.h"
#include "lp.h"
#include "qp.h"
#include "qp_export.h"
#include "suites.h"

/* Design d of the golden case (tests/golden/small/input.xml: A = a, B = 2a, caps 90 and 80 of
 * BAU 100), built with names as export-lp builds it. */
static ElProblem *golden_problem(ElScenario **s, int d, ElModelMap **m)
{
    ElModelData md;
    ElProblem *p = NULL;
    ElError err = {EL_OK, ""};
    memset(&md, 0, sizeof(md));
    CU_ASSERT_EQUAL_FATAL(el_scenario_load(s, "golden/small/input.xml", NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(
        el_model_data_init(&md, *s, d < 0 ? NULL : (*s)->designs[d], NULL, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_model_build(&md, EL_BUILD_NAMES, &p, m, &err), EL_OK);
    el_model_data_clear(&md);
    return p;
}

/* Sum of the LP columns whose name starts with prefix (a quadratic column's steps). */
static double steps_sum(const ElProblem *lp, const ElSolution *sol, const char *prefix)
{
    double t = 0;
    int j;
    for (j = 0; j < lp->ncols; j++)
        if (lp->colname[j] && strncmp(lp->colname[j], prefix, strlen(prefix)) == 0)
            t += sol->x[j];
    return t;
}

/* The refined LP of the linked design (p = (10 + 20) / (1 + 1/2) = 20, aA = 20, aB = 10) and of
 * the quota design (pA = 14, pB = 32): GLPK finds the QP's quantities and its prices within
 * EL_EXPORT_PRICE_TOL (1 + p); the coarse LP of steps does not. */
static void test_refined_lp(void)
{
    static const struct {
        int design;
        double pa, pb, aa, ab;
    } cases[] = {{1, 20, 20, 20, 10}, {2, 14, 32, 14, 16}};
    size_t c;
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        ElScenario *s = NULL;
        ElModelMap *m = NULL;
        ElProblem *p = golden_problem(&s, cases[c].design, &m), *lp = NULL;
        ElSolution *qs = NULL, *ls = NULL;
        ElSettings set;
        ElLp *glpk = NULL;
        ElError err = {EL_OK, ""};
        el_settings_default(&set);
        CU_ASSERT_EQUAL_FATAL(el_solution_create(&qs, p->ncols, p->nrows, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_qp_solve(p, &set, qs, NULL, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_qp_refine_around(p, set.grid, qs->x, &lp, &err), EL_OK);
        CU_ASSERT(lp->ncols <= p->ncols * (set.grid + 3));
        CU_ASSERT_EQUAL_FATAL(el_solution_create(&ls, lp->ncols, lp->nrows, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_lp_create(&glpk, lp, &set, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_lp_solve(glpk, ls, &err), EL_OK);
        CU_ASSERT_EQUAL(ls->outcome, EL_OPTIMAL);
        CU_ASSERT_DOUBLE_EQUAL(ls->y[m->comply_row[0]], cases[c].pa,
                               EL_EXPORT_PRICE_TOL * (1 + cases[c].pa) + 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(ls->y[m->comply_row[1]], cases[c].pb,
                               EL_EXPORT_PRICE_TOL * (1 + cases[c].pb) + 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(steps_sum(lp, ls, "abate_0_"), cases[c].aa, 1e-7);
        CU_ASSERT_DOUBLE_EQUAL(steps_sum(lp, ls, "abate_1_"), cases[c].ab, 1e-7);
        el_lp_free(glpk);
        el_solution_free(ls);
        el_problem_free(lp);
        ls = NULL;
        lp = NULL;
        /* the coarse LP: 16 steps of 100 / 16 Mt; A's marginal step [18.75, 25] costs 21.875 */
        CU_ASSERT_EQUAL_FATAL(el_qp_discretize(p, set.grid, &lp, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_solution_create(&ls, lp->ncols, lp->nrows, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_lp_create(&glpk, lp, &set, &err), EL_OK);
        CU_ASSERT_EQUAL_FATAL(el_lp_solve(glpk, ls, &err), EL_OK);
        CU_ASSERT(fabs(ls->y[m->comply_row[0]] - cases[c].pa) > 0.1);
        el_lp_free(glpk);
        el_solution_free(ls);
        el_problem_free(lp);
        el_solution_free(qs);
        el_problem_free(p);
        el_model_map_free(m);
        el_scenario_free(s);
    }
}

/* The QP in CPLEX LP format: minimise (aA^2 + 2 aB^2) / 2 subject to the compliance rows
 * (aA + tA >= 10, aB + tB >= 20), the group's balance tA + tB = 0, bounds 0 <= a <= 100 and
 * free trades. */
static void test_qp_cplex(void)
{
    ElScenario *s = NULL;
    ElModelMap *m = NULL;
    ElProblem *p = golden_problem(&s, 1, &m);
    ElError err = {EL_OK, ""};
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(el_qp_write_cplex(p, f, &err), EL_OK);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(text, "Minimize\n obj: [ 1 abate_0_0 ^2 + 2 abate_1_0 ^2 ] / 2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " comply_0: 1 abate_0_0 + 1 trade_0_0 >= 10\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " comply_1: 1 abate_1_0 + 1 trade_0_1 >= 20\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " group_0: 1 trade_0_0 + 1 trade_0_1 = 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " 0 <= abate_0_0 <= 100\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " trade_0_0 free\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "End\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "General"));
    free(text);
    el_problem_free(p);
    el_model_map_free(m);
    el_scenario_free(s);
}

/* A hand-made problem: a ranged row becomes two rows, an integer column a General section,
 * negative coefficients and unnamed rows and columns are written as such. */
static void test_qp_cplex_rows(void)
{
    ElProblem *p = NULL;
    ElError err = {EL_OK, ""};
    char *text = NULL;
    size_t n = 0;
    FILE *f;
    CU_ASSERT_EQUAL_FATAL(el_problem_create(&p, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_col(p, NULL, -1.5, 4, 0, 10, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_col(p, "y", 2, 0, 0, 1, NULL, &err), EL_OK);
    el_problem_set_integer(p, 1);
    CU_ASSERT_EQUAL(el_problem_add_row(p, "cap", 1, 3, EL_ROW_PLAIN, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_row(p, NULL, -HUGE_VAL, 5, EL_ROW_PLAIN, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_coef(p, 0, 0, 1, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_coef(p, 0, 1, -2, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_coef(p, 1, 1, 1, &err), EL_OK);
    f = open_memstream(&text, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(el_qp_write_cplex(p, f, &err), EL_OK);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " obj: -1.5 x0 + 2 y\n  + [ 4 x0 ^2 ] / 2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " cap_lo: 1 x0 - 2 y >= 1\n cap_hi: 1 x0 - 2 y <= 3\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, " r1: 1 y <= 5\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "General\n y\nEnd\n"));
    free(text);
    el_problem_free(p);
}

/* el_qp_export: the QP only as .lp (usage error otherwise); a design without an equilibrium
 * has nothing to refine around; glpsol, if installed, solves the refined file to the same
 * objective, (20^2 + 2 x 10^2) / 2 = 300 for the linked design. */
static void test_export_files(void)
{
    ElScenario *s = NULL;
    ElModelMap *m = NULL;
    ElProblem *p = golden_problem(&s, 1, &m), *bad = NULL;
    ElError err = {EL_OK, ""};
    ElExportInfo info;
    char dir[] = "/tmp/etslink-export-XXXXXX", path[128], out[160], cmd[512];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/x.mps", dir);
    CU_ASSERT_EQUAL(el_qp_export(p, NULL, EL_EXPORT_QP, path, EL_LP_FORMAT_MPS, &info, &err),
                    EL_ERR_USAGE);
    CU_ASSERT(access(path, F_OK) != 0);
    snprintf(path, sizeof(path), "%s/qp.lp", dir);
    CU_ASSERT_EQUAL(el_qp_export(p, NULL, EL_EXPORT_QP, path, EL_LP_FORMAT_CPLEX, &info, &err),
                    EL_OK);
    CU_ASSERT_EQUAL(info.ncols, p->ncols);
    CU_ASSERT_EQUAL(info.nrows, p->nrows);
    CU_ASSERT(!info.integer);
    remove(path);
    snprintf(path, sizeof(path), "%s/refined.lp", dir);
    CU_ASSERT_EQUAL(el_qp_export(p, NULL, EL_EXPORT_REFINED, path, EL_LP_FORMAT_CPLEX, &info, &err),
                    EL_OK);
    CU_ASSERT(info.ncols > p->ncols);
    if (system("command -v glpsol >/dev/null 2>&1") == 0) {
        FILE *f;
        char line[256];
        int found = 0;
        snprintf(out, sizeof(out), "%s/refined.txt", dir);
        snprintf(cmd, sizeof(cmd), "glpsol --lp '%s' -o '%s' >/dev/null 2>&1", path, out);
        CU_ASSERT_EQUAL(system(cmd), 0);
        f = fopen(out, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        while (fgets(line, sizeof(line), f))
            if (strncmp(line, "Objective:", 10) == 0) {
                const char *eq = strchr(line, '=');
                CU_ASSERT_PTR_NOT_NULL(eq);
                if (eq)
                    CU_ASSERT_DOUBLE_EQUAL(strtod(eq + 1, NULL), 300, 1e-4);
                found = 1;
            }
        fclose(f);
        CU_ASSERT(found);
        remove(out);
    } else {
        fprintf(stderr, "\n  skipped: glpsol is not installed\n");
    }
    remove(path);
    /* a problem without a solution: refined refuses, steps writes */
    CU_ASSERT_EQUAL_FATAL(el_problem_create(&bad, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_col(bad, "x", 0, 1, 0, 1, NULL, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_row(bad, "need", 2, HUGE_VAL, EL_ROW_REQUIREMENT, NULL, &err),
                    EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_coef(bad, 0, 0, 1, &err), EL_OK);
    snprintf(path, sizeof(path), "%s/bad.lp", dir);
    CU_ASSERT_EQUAL(
        el_qp_export(bad, NULL, EL_EXPORT_REFINED, path, EL_LP_FORMAT_CPLEX, &info, &err),
        EL_ERR_NO_EQUILIBRIUM);
    CU_ASSERT(access(path, F_OK) != 0);
    CU_ASSERT_EQUAL(el_qp_export(bad, NULL, EL_EXPORT_STEPS, path, EL_LP_FORMAT_CPLEX, &info, &err),
                    EL_OK);
    remove(path);
    CU_ASSERT_EQUAL(el_export_form_parse("refined"), EL_EXPORT_REFINED);
    CU_ASSERT_EQUAL(el_export_form_parse("qp"), EL_EXPORT_QP);
    CU_ASSERT_EQUAL(el_export_form_parse("steps"), EL_EXPORT_STEPS);
    CU_ASSERT_EQUAL(el_export_form_parse("QP"), -1);
    rmdir(dir);
    el_problem_free(bad);
    el_problem_free(p);
    el_model_map_free(m);
    el_scenario_free(s);
}

CU_TestInfo export_tests[] = {
    {"refined LP: the QP's quantities, and its prices within the tolerance", test_refined_lp},
    {"the QP in CPLEX LP format: objective, rows and bounds", test_qp_cplex},
    {"CPLEX LP: ranged rows, integer columns, unnamed rows and columns", test_qp_cplex_rows},
    {"export files: forms, formats, no equilibrium, glpsol reads the refined LP",
     test_export_files},
    CU_TEST_INFO_NULL,
};
