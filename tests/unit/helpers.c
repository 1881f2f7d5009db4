/* Helpers shared by the suites: build small scenarios in code, solve them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

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

el_status
test_build(const ElScenario *s, int d, bool elastic, ElProblem **p, ElModelMap **m, ElError *err)
{
    ElModelData md;
    el_status st;
    memset(&md, 0, sizeof(md));
    *p = NULL;
    *m = NULL;
    if (d < -1 || d >= s->ndesigns)
        return el_error_set(err, EL_ERR_INTERNAL, "design index %d out of range", d);
    st = el_model_data_init(&md, s, d < 0 ? NULL : s->designs[d], NULL, NULL, err);
    if (st == EL_OK)
        st = el_model_build(&md, elastic ? EL_BUILD_ELASTIC : 0, p, m, err);
    el_model_data_clear(&md);
    return st;
}

el_status test_design_solve(
    const ElScenario *s, int d, const ElDesignResult *baseline, ElDesignResult *r, ElError *err)
{
    return el_design_solve(s, d < 0 ? NULL : s->designs[d], NULL, baseline, r, err);
}

double urand(Rng *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return (double)((g->s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

double uniform(Rng *g, double a, double b)
{
    return a + (b - a) * urand(g);
}

int irand(Rng *g, int n)
{
    return (int)(urand(g) * n) % n;
}
