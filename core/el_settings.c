/* Settings: one table of {name, type, offset, min, max} drives validation and set-by-name. */
#include "el_settings.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_INT,
    T_DOUBLE
} field_type;

typedef struct {
    const char *name;
    field_type type;
    size_t offset;
    double min, max, def;
    double scenario_max; /* the most a scenario file may ask for */
} field;

static const field fields[] = {
    {"kkt_tol", T_DOUBLE, offsetof(ElSettings, kkt_tol), 1e-15, 1e-3, EL_DEFAULT_KKT_TOL, 1e-3},
    {"grid", T_INT, offsetof(ElSettings, grid), 1, 4096, EL_DEFAULT_GRID, 4096},
    {"refine", T_INT, offsetof(ElSettings, refine), 0, 4, EL_DEFAULT_REFINE, 4},
    {"polish_iter", T_INT, offsetof(ElSettings, polish_iter), 1, 10000, EL_DEFAULT_POLISH_ITER,
     10000},
    {"lp_iter", T_INT, offsetof(ElSettings, lp_iter), 1, 1e7, EL_DEFAULT_LP_ITER, 1e7},
    {"time_limit_s", T_DOUBLE, offsetof(ElSettings, time_limit_s), 0, 1e6, EL_DEFAULT_TIME_LIMIT_S,
     1e6},
    {"verbosity", T_INT, offsetof(ElSettings, verbosity), 0, 3, EL_DEFAULT_VERBOSITY, 3},
    {"design_time_limit_s", T_DOUBLE, offsetof(ElSettings, design_time_limit_s), 0.001, 1e6,
     EL_DEFAULT_DESIGN_TIME_LIMIT_S, EL_DEFAULT_DESIGN_TIME_LIMIT_S},
    {"fast_path", T_INT, offsetof(ElSettings, fast_path), 0, 1, EL_DEFAULT_FAST_PATH, 1},
    {"sweep_max_points", T_INT, offsetof(ElSettings, sweep_max_points), 1, 1e9,
     EL_DEFAULT_SWEEP_MAX_POINTS, EL_DEFAULT_SWEEP_MAX_POINTS},
    {"search_scan", T_INT, offsetof(ElSettings, search_scan), 4, 100000, EL_DEFAULT_SEARCH_SCAN,
     100000},
    {"draws", T_INT, offsetof(ElSettings, draws), 0, 1e9, EL_DEFAULT_DRAWS, 1e9},
};
#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

static double get(const ElSettings *s, const field *f)
{
    const char *base = (const char *)s + f->offset;
    if (f->type == T_INT)
        return (double)*(const int *)(const void *)base;
    return *(const double *)(const void *)base;
}

static void put(ElSettings *s, const field *f, double v)
{
    char *base = (char *)s + f->offset;
    if (f->type == T_INT)
        *(int *)(void *)base = (int)v;
    else
        *(double *)(void *)base = v;
}

void el_settings_default(ElSettings *s)
{
    int i;
    memset(s, 0, sizeof(*s));
    for (i = 0; i < NFIELDS; i++)
        put(s, &fields[i], fields[i].def);
}

static el_status check(const field *f, double v, ElError *err)
{
    if (!isfinite(v) || v < f->min || v > f->max)
        return el_error_set(err, EL_ERR_SETTINGS, "setting %s = %g is outside [%g, %g]", f->name, v,
                            f->min, f->max);
    return EL_OK;
}

el_status el_settings_validate(const ElSettings *s, ElError *err)
{
    double steps;
    int i;
    if (!s)
        return el_error_set(err, EL_ERR_INTERNAL, "settings pointer is NULL");
    for (i = 0; i < NFIELDS; i++) {
        el_status st = check(&fields[i], get(s, &fields[i]), err);
        if (st != EL_OK)
            return st;
    }
    /* in double: grid and refine are in range here, so this is exact and cannot overflow */
    steps = (double)s->grid * pow(8.0, (double)s->refine);
    if (steps > EL_MAX_STEPS_PER_PIECE)
        return el_error_set(err, EL_ERR_SETTINGS,
                            "settings grid = %d and refine = %d ask for grid * 8^refine = %.0f "
                            "LP steps per MAC piece, above the budget of %d (lower grid or "
                            "refine; docs/settings.md)",
                            s->grid, s->refine, steps, EL_MAX_STEPS_PER_PIECE);
    if (isnan(s->deadline) || s->deadline < 0)
        return el_error_set(err, EL_ERR_INTERNAL, "settings deadline %g is not a time",
                            s->deadline);
    return EL_OK;
}

static el_status
set_by_name(ElSettings *s, const char *name, const char *value, int scenario, ElError *err)
{
    int i;
    for (i = 0; i < NFIELDS; i++) {
        const field *f = &fields[i];
        char *end = NULL;
        double v;
        el_status st;
        if (strcmp(f->name, name) != 0)
            continue;
        errno = 0;
        v = strtod(value, &end);
        if (end == value || *end != '\0' || errno == ERANGE)
            return el_error_set(err, EL_ERR_SETTINGS, "setting %s: '%s' is not a number", name,
                                value);
        if (f->type == T_INT && v != floor(v))
            return el_error_set(err, EL_ERR_SETTINGS, "setting %s: '%s' is not a whole number",
                                name, value);
        st = check(f, v, err);
        if (st != EL_OK)
            return st;
        if (scenario && v > f->scenario_max)
            return el_error_set(err, EL_ERR_SETTINGS,
                                "setting %s = %g is above %g, the most a scenario file may ask "
                                "for (use --set %s=%g on the command line)",
                                f->name, v, f->scenario_max, f->name, v);
        put(s, f, v);
        return EL_OK;
    }
    return el_error_set(err, EL_ERR_SETTINGS, "unknown setting '%s' (see docs/settings.md)", name);
}

el_status el_settings_set(ElSettings *s, const char *name, const char *value, ElError *err)
{
    return set_by_name(s, name, value, 0, err);
}

el_status el_settings_set_scenario(ElSettings *s, const char *name, const char *value, ElError *err)
{
    return set_by_name(s, name, value, 1, err);
}

int el_settings_count(void)
{
    return NFIELDS;
}

const char *el_settings_name(int i)
{
    return (i >= 0 && i < NFIELDS) ? fields[i].name : NULL;
}

void el_settings_default_text(int i, char *buf, int bufsize)
{
    if (i >= 0 && i < NFIELDS && bufsize > 0)
        snprintf(buf, (size_t)bufsize, "%.10g", fields[i].def);
}
