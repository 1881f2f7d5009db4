/* Benchmark: time to load and solve a scenario (every design plus the autarky baseline), and to
 * solve one group of N members with linear MACs. Reports the median of repeated runs.
 * Usage: etslink-bench SCENARIO.xml [REPEATS] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "equilibrium.h"
#include "load.h"
#include "lp.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp);
    return v[n / 2];
}

/* A group of n members with MAC c_j a on [0, bau_j]; returns the largest relative price error
 * against the closed form p = sum R / sum 1/c over the members not at the end of their curve
 * (water-filling), and the time of one solve in *t. */
static double group(int n, double *t)
{
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err;
    double sumR = 0, suminv = 0, p, worst = 0, t0;
    double *bau = calloc((size_t)n, sizeof(double)), *slope = calloc((size_t)n, sizeof(double));
    int *members = calloc((size_t)n, sizeof(int)), j, changed = 1;
    char *atend = calloc((size_t)n, 1);
    el_scenario_create(&s, "bench", "USD", "Mt", &err);
    for (j = 0; j < n; j++) {
        ElMac *m = NULL;
        char id[16];
        double cap;
        bau[j] = 100 + j;
        cap = bau[j] * (0.8 + 0.15 * ((j * 7919) % 100) / 100.0);
        slope[j] = 0.1 + 0.05 * ((j * 104729) % 97);
        snprintf(id, sizeof(id), "J%d", j);
        el_mac_create_linear(&m, 0, slope[j], HUGE_VAL, &err);
        el_scenario_add_jurisdiction(s, id, id, bau[j], cap, m, 0, &err);
        members[j] = j;
        sumR += bau[j] - cap;
    }
    el_scenario_add_design(s, "all", 0, &err);
    el_scenario_add_group(s, 0, members, n, 0, &err);
    if (el_scenario_finish(s, &err) != EL_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    t0 = now_s();
    if (el_run_solve(&run, s, &err) != EL_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    *t = now_s() - t0;
    p = 0;
    while (changed) {
        double num = sumR;
        changed = 0;
        suminv = 0;
        for (j = 0; j < n; j++) {
            if (atend[j])
                num -= bau[j];
            else
                suminv += 1 / slope[j];
        }
        p = num / suminv;
        for (j = 0; j < n; j++)
            if (!atend[j] && p / slope[j] > bau[j]) {
                atend[j] = 1;
                changed = 1;
            }
    }
    for (j = 0; j < n; j++)
        worst = fmax(worst, fabs(run->designs[0].jur[j].price - p) / p);
    el_run_free(run);
    el_scenario_free(s);
    free(members);
    free(bau);
    free(slope);
    free(atend);
    return worst;
}

int main(int argc, char **argv)
{
    int reps = argc > 2 ? atoi(argv[2]) : 50, k, sizes[4] = {10, 50, 200, 500};
    double *t = calloc((size_t)(reps > 0 ? reps : 1), sizeof(double)), tl, ts, tg;
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err;
    if (argc < 2 || reps < 1) {
        fprintf(stderr, "usage: etslink-bench SCENARIO.xml [REPEATS]\n");
        return 2;
    }
    for (k = 0; k < reps; k++) {
        double t0 = now_s();
        if (el_scenario_load(&s, argv[1], NULL, &err) != EL_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        t[k] = now_s() - t0;
        el_scenario_free(s);
    }
    tl = median(t, reps);
    el_scenario_load(&s, argv[1], NULL, &err);
    for (k = 0; k < reps; k++) {
        double t0 = now_s();
        if (el_run_solve(&run, s, &err) != EL_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        t[k] = now_s() - t0;
        if (k + 1 < reps)
            el_run_free(run);
    }
    ts = median(t, reps);
    printf("%s: %d designs + autarky, %d jurisdictions\n", argv[1], s->ndesigns, s->njur);
    printf("  load + validate: %8.3f ms (median of %d)\n", 1e3 * tl, reps);
    printf("  solve all:       %8.3f ms (median of %d), %.3f ms per equilibrium\n", 1e3 * ts, reps,
           1e3 * ts / (s->ndesigns + 1));
    printf("  LP solves and active-set iterations, design by design:");
    for (k = 0; k < run->ndesigns; k++)
        printf(" %d/%d", run->designs[k].info.lp_solves, run->designs[k].info.polish_iter);
    printf("\n");
    el_run_free(run);
    el_scenario_free(s);
    for (k = 0; k < 4; k++) {
        double err_rel = group(sizes[k], &tg);
        printf("  group of %3d: %9.3f ms (autarky + linked), max relative price error %.2e\n",
               sizes[k], 1e3 * tg, err_rel);
    }
    free(t);
    el_lp_shutdown();
    return 0;
}
