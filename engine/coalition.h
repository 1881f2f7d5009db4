/* coalition: linking as a cooperative game (issue 11, first part). For a set of n members, the
 * value v(S) of every coalition S (a bit mask over the members) is the total gain of linking S
 * in one full-link group, everyone else in autarky, solved on the batch engine (engine/batch.h)
 * as a stream of coalition designs; the Shapley value is accumulated as the values arrive, and
 * superadditivity is checked on the stored values. Still to come (docs/model.md §8): the core
 * LP, the nucleolus, stable coalition structures, the <coalitions> element and the outputs. */
#ifndef EL_COALITION_H
#define EL_COALITION_H

#include <stdbool.h>

#include "batch.h"

/** Most members: 2^25 coalitions (268 MB of values). */
#define EL_COALITION_MAX_MEMBERS 25

typedef struct {
    int n;           /* members */
    int *members;    /* jurisdiction indices, owned */
    double *v;       /* 2^n values, v[0] = 0; v[S] = total gain of linking S (owned) */
    double *market;  /* n: each member's gain at market prices in the grand coalition */
    double *shapley; /* n */
    bool superadditive;
    bool sa_exhaustive;  /* every pair of disjoint coalitions checked (n <= 16), else pairs
                            (S, {i}) only */
    unsigned sa_s, sa_t; /* the first violating pair (when not superadditive) */
    double sa_gap;       /* v(S) + v(T) - v(S u T) there */
    long evaluations;
} ElGame;

/** Solve v(S) for every coalition of the n members (jurisdiction indices) of s, with the
 * elements of `rules` (may be NULL) whose jurisdictions are all in S added to S's group, on
 * opt's threads and ranks; then Shapley values and superadditivity. out is filled (cleared
 * first) and released with el_game_clear. Under MPI every rank calls it; results on rank 0. */
el_status el_game_solve(const ElScenario *s,
                        const int *members,
                        int n,
                        const ElDesign *rules,
                        const ElBatchOptions *opt,
                        ElGame *out,
                        ElError *err);
void el_game_clear(ElGame *g);

/** The core of the game (an LP solved through the GLPK adapter, with row generation: the rows
 * of coalitions are added one by one, each time the one whose value exceeds what the current
 * allocation gives it most, until none does). */
typedef struct {
    double eps;          /* least-core value: max over allocations of min_S x(S) - v(S) */
    bool empty;          /* eps < 0 (beyond 1e-9 of the grand coalition's value) */
    double *x;           /* n: a least-core allocation (a core allocation when not empty) */
    int rows;            /* coalition rows the LP needed */
    bool market_in_core; /* the market gains give every coalition at least its value */
    unsigned market_s;   /* ... else the most violated coalition */
    double market_gap;   /* v(S) - market(S) there */
} ElCore;

el_status el_game_core(const ElGame *g, const ElSettings *settings, ElCore *out, ElError *err);
void el_core_clear(ElCore *c);

/** The nucleolus of g (x, n entries): the allocation that lexicographically maximises the
 * smallest excesses x(S) - v(S), by the sequence of LPs of Maschler, Peleg and Shapley (1979):
 * each stage maximises the least excess of the coalitions not yet fixed, then fixes those whose
 * dual is positive (tight in every optimum), until the fixed coalitions determine x. Every
 * coalition is a row: at most EL_NUCLEOLUS_MAX_MEMBERS members. */
#define EL_NUCLEOLUS_MAX_MEMBERS 12
el_status el_game_nucleolus(const ElGame *g, const ElSettings *settings, double *x, ElError *err);

/** The Shapley value of a game given by its values v (2^n entries), into phi (n entries):
 * phi_i = sum over S not containing i of |S|! (n - |S| - 1)! / n! (v(S u i) - v(S)). */
void el_shapley(const double *v, int n, double *phi);

#endif
