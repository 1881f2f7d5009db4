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
/** Most members for which each member's gain in every coalition is kept (n 2^n values) and
 * the coalition structures (partitions: Bell(12) = 4,213,597) are examined. */
#define EL_STRUCTURE_MAX_MEMBERS 12

/* ---- The value function ---- */

/** Hands the outcome of one coalition to the game: `jur_gain` = each jurisdiction's gain
 * (indexed by the scenario's jurisdictions; only S's members are read); v(S) is the sum over S.
 * Called from one thread at a time, in any order of index. */
typedef el_status (*ElGameReport)(void *game, long index, const double *jur_gain, ElError *err);

/** How v(S) is computed: `evaluate` solves every item of the coalition producer pr (item i is
 * the design of coalition mask i + 1) and reports each item's value through report(game, i, …).
 * The game does not know what kind of solve stands behind it: the deterministic equilibrium
 * (el_game_value_equilibrium) or, for instance, an expectation over random draws. */
typedef struct {
    void *ctx;
    el_status (*evaluate)(void *ctx,
                          const ElScenario *s,
                          const ElProducer *pr,
                          const ElBatchOptions *opt,
                          ElGameReport report,
                          void *game,
                          ElError *err);
} ElGameValue;

/** Each member's gain in the coalition design's equilibrium against the baseline, on the batch
 * engine; a coalition without an equilibrium is an error naming it. */
extern const ElGameValue el_game_value_equilibrium;

typedef struct {
    int n;           /* members */
    int *members;    /* jurisdiction indices, owned */
    double *v;       /* 2^n values, v[0] = 0; v[S] = the sum of S's members' gains when S is
                        linked (owned) */
    double *gains;   /* n <= EL_STRUCTURE_MAX_MEMBERS: gains[S * n + k] = member k's gain in
                        coalition S (0 when k is not in S); else NULL */
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
 * elements of `rules` (may be NULL) whose jurisdictions are all in S added to S's group, by
 * `value` (NULL: el_game_value_equilibrium) on opt's threads and ranks; then Shapley values and
 * superadditivity. out is filled (cleared first) and released with el_game_clear. Under MPI
 * every rank calls it; results on rank 0. */
el_status el_game_solve(const ElScenario *s,
                        const int *members,
                        int n,
                        const ElDesign *rules,
                        const ElGameValue *value,
                        const ElBatchOptions *opt,
                        ElGame *out,
                        ElError *err);
void el_game_clear(ElGame *g);

/** A game given by its values alone (tests, other value functions): v (2^n entries, v[0] = 0)
 * and optionally gains (n 2^n, as in ElGame) are copied; members are 0..n-1 unless given; the
 * market gains are gains of the grand coalition (zero without gains); Shapley and
 * superadditivity are computed. */
el_status el_game_from_values(
    int n, const int *members, const double *v, const double *gains, ElGame *out, ElError *err);

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

/** The EL_TOP_COALITIONS coalitions of two or more members with the largest values, largest
 * first (ties: the smaller mask), into top; returns how many (fewer for a small game). What
 * results.csv, coalitions.csv and the C API list beyond the games small enough to list whole. */
#define EL_TOP_COALITIONS 20
int el_game_top_coalitions(const ElGame *g, unsigned *top);

/** The Shapley value of a game given by its values v (2^n entries), into phi (n entries):
 * phi_i = sum over S not containing i of |S|! (n - |S| - 1)! / n! (v(S u i) - v(S)). */
void el_shapley(const double *v, int n, double *phi);

/* ---- Coalition structures ---- */

/** How a member's payoff in a block is set: its gain at the block's market prices, or its
 * Shapley value in the game restricted to the block. */
typedef enum {
    EL_PAYOFF_MARKET = 0,
    EL_PAYOFF_SHAPLEY = 1
} ElPayoffRule;
#define EL_PAYOFF_RULES 2

/** One partition of the members into linked blocks (a block of one is autarky). */
typedef struct {
    unsigned blocks[EL_STRUCTURE_MAX_MEMBERS]; /* member masks, by their lowest member */
    int nblocks;
    double value;                      /* sum of v(B) */
    double loss;                       /* v(N) - value */
    bool stable[EL_PAYOFF_RULES];      /* no coalition whose members all gain strictly more */
    unsigned blocker[EL_PAYOFF_RULES]; /* ... else the blocking coalition whose least gain is
                                          largest (ties: smallest mask) */
    bool cs_core; /* with transfers: the coalition-structure core is not empty */
} ElStructure;

/** The partitions examined (all Bell(n) of them) and those listed: every partition stable under
 * either payoff rule or with a non-empty coalition-structure core, the grand coalition and the
 * efficient partitions (largest value), by value (ties: fewer blocks, then the blocks' masks),
 * at most EL_STRUCTURES_LISTED. */
#define EL_STRUCTURES_LISTED 64
typedef struct {
    long partitions;
    long stable_count[EL_PAYOFF_RULES];
    long cs_core_count;
    double best_value; /* the largest value of a partition */
    int nlisted;
    bool truncated; /* more partitions qualified than were listed */
    ElStructure *listed;
} ElStructures;

/** Examine every partition of g's members (g->n <= EL_STRUCTURE_MAX_MEMBERS, g->gains set).
 * A partition P gives member i the payoff pay_i(B) of its block B under each rule; P is stable
 * when no coalition S has pay_j(S) > pay_j(P) for every j in S (the core of the hedonic game).
 * With transfers (TU), P's coalition-structure core {x : x(B) = v(B) for B in P,
 * x(S) >= v(S)} is non-empty only if P is efficient (Aumann and Dreze 1974); for those an LP
 * decides it. */
el_status
el_game_structures(const ElGame *g, const ElSettings *settings, ElStructures *out, ElError *err);
void el_structures_clear(ElStructures *x);

/* ---- The whole analysis ---- */

typedef struct {
    ElGame game;
    ElCore core;
    bool have_nucleolus; /* n <= EL_NUCLEOLUS_MAX_MEMBERS */
    double nucleolus[EL_NUCLEOLUS_MAX_MEMBERS];
    bool have_structures; /* n <= EL_STRUCTURE_MAX_MEMBERS */
    ElStructures structures;
} ElCoalitionResult;

/** The game (every rank under MPI), then on rank 0 (or without MPI) the core, the nucleolus and
 * the structures. */
el_status el_coalitions_run(const ElScenario *s,
                            const int *members,
                            int n,
                            const ElDesign *rules,
                            const ElGameValue *value,
                            const ElBatchOptions *opt,
                            ElCoalitionResult *out,
                            ElError *err);
void el_coalition_result_clear(ElCoalitionResult *r);

#endif
