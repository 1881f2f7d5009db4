/* Helpers shared by the suites: build small scenarios in code, solve them. */
#include <math.h>
#include <stdio.h>

#include "suites.h"

ElScenario *test_linear_scenario(
    int n, const double *bau, const double *cap, const double *slope, const double *intercept)
{
    ElScenario *s = NULL;
    ElError err;
    int j;
    if (el_scenario_create(&s, "test", "USD", "Mt", &err) != EL_OK)
        return NULL;
    for (j = 0; j < n; j++) {
        ElMac *m = NULL;
        char id[16];
        snprintf(id, sizeof(id), "J%d", j);
        if (el_mac_create_linear(&m, intercept ? intercept[j] : 0, slope[j], HUGE_VAL, &err) !=
                EL_OK ||
            el_scenario_add_jurisdiction(s, id, id, bau[j], cap[j], m, 0, &err) != EL_OK) {
            el_scenario_free(s);
            return NULL;
        }
    }
    return s;
}

ElRun *test_solve(const ElScenario *s)
{
    ElRun *run = NULL;
    ElError err = {EL_OK, ""};
    el_status st = el_run_solve(&run, s, &err);
    if (st != EL_OK) {
        fprintf(stderr, "\n  solve failed: %s\n", err.msg);
        CU_FAIL("el_run_solve failed");
        return NULL;
    }
    return run;
}
