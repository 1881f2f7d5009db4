/* el_settings: solver settings with named defaults, validated and settable by name (from the
 * scenario's <settings> element or the CLI's --set name=value). docs/settings.md mirrors this. */
#ifndef EL_SETTINGS_H
#define EL_SETTINGS_H

#include "el_clock.h"
#include "el_status.h"

#define EL_DEFAULT_KKT_TOL          (1e-9) /* relative tolerance of the exact (KKT) verification */
#define EL_DEFAULT_GRID             (16)   /* LP steps per quadratic MAC piece in the first solve */
#define EL_DEFAULT_REFINE           (3)    /* grid refinements (x8 each) if the polish fails */
#define EL_DEFAULT_POLISH_ITER      (60)   /* active-set iterations of the exact polish */
#define EL_DEFAULT_LP_ITER          (100000) /* simplex iteration limit per LP */
#define EL_DEFAULT_TIME_LIMIT_S     (0.0)    /* per LP, 0 = no limit */
#define EL_DEFAULT_VERBOSITY        (0)      /* 0 silent .. 3 GLPK chatter */
#define EL_DEFAULT_FAST_PATH        (1) /* 1: exact fast path first (engine/fast.h), 0: never */
#define EL_DEFAULT_SWEEP_MAX_POINTS (2000000) /* most points of one sweep; the CLI may raise it */
#define EL_DEFAULT_SEARCH_SCAN      (64)      /* intervals of a search's first scan per parameter */
#define EL_DEFAULT_DRAWS            (0)       /* 0: each <uncertainty> draws what its draws= says */

/* wall-clock seconds per design; a scenario file may lower it, only the command line raise it */
#define EL_DEFAULT_DESIGN_TIME_LIMIT_S (600.0)

/* The budget (docs/settings.md §Budget): no settings, whatever their source, may ask for more.
 * Measured with GLPK 5: an LP costs about 430 bytes per column and 100 per further nonzero, so
 * the largest allowed LP needs about 1 GB. */
#define EL_MAX_STEPS_PER_PIECE (1048576) /* 2^20: grid * 8^refine, steps of the last refinement */
#define EL_MAX_LP_COLS         (2000000) /* columns of one discretised LP */
#define EL_MAX_LP_NNZ          (3000000) /* nonzeros of one discretised LP */

typedef struct {
    double kkt_tol;      /* relative primal/dual tolerance when verifying the exact solution */
    int grid;            /* steps per quadratic MAC piece in the approximating LP */
    int refine;          /* refinements of the grid when the exact polish fails */
    int polish_iter;     /* iteration limit of the active-set polish */
    int lp_iter;         /* simplex iteration limit */
    double time_limit_s; /* simplex time limit per LP in seconds, 0 = none */
    int verbosity;       /* 0 silent ... 3 debug */
    double design_time_limit_s; /* wall-clock limit of one design's solve, seconds */
    int fast_path;              /* 1: try the exact fast path before the LP (engine/fast.h) */
    int sweep_max_points;       /* most points of one sweep (a scenario may only lower it) */
    int search_scan;            /* a search's first scan: intervals per continuous parameter */
    int draws; /* > 0: the draws of every uncertainty analysis, overriding draws= (a quick look) */
    /* Not a setting by name: an absolute time on el_clock_now()'s clock after which solvers
     * stop with outcome EL_TIME_LIMIT; 0 = none. Callers set it on a copy of the settings
     * (deadline = el_clock_now() + design_time_limit_s) at the start of a design. */
    double deadline;
} ElSettings;

/** Fill s with the documented defaults. */
void el_settings_default(ElSettings *s);

/** Check every field and the joint budget (grid * 8^refine <= EL_MAX_STEPS_PER_PIECE); the
 * message names the first bad setting (both for the budget). */
el_status el_settings_validate(const ElSettings *s, ElError *err);

/** Set the field called name (as in docs/settings.md) from its text value, range-checked (the
 * joint budget is checked by el_settings_validate, once every setting is in). For the command
 * line, which is trusted. */
el_status el_settings_set(ElSettings *s, const char *name, const char *value, ElError *err);

/** The same for a scenario file, which is not trusted: a scenario may lower the wall-clock limit
 * design_time_limit_s but not raise it above its default (only the command line can). */
el_status
el_settings_set_scenario(ElSettings *s, const char *name, const char *value, ElError *err);

/** Number of settings and the name of the i-th (0-based), for docs and tests. */
int el_settings_count(void);
const char *el_settings_name(int i);
/** Default of the i-th setting as text (%.10g), written into buf. */
void el_settings_default_text(int i, char *buf, int bufsize);

#endif
