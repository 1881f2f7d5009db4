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
} field;

static const field fields[] = {
    {"kkt_tol", T_DOUBLE, offsetof(ElSettings, kkt_tol), 1e-15, 1e-3, EL_DEFAULT_KKT_TOL},
    {"grid", T_INT, offsetof(ElSettings, grid), 1, 100000, EL_DEFAULT_GRID},
    {"refine", T_INT, offsetof(ElSettings, refine), 0, 10, EL_DEFAULT_REFINE},
    {"polish_iter", T_INT, offsetof(ElSettings, polish_iter), 1, 100000, EL_DEFAULT_POLISH_ITER},
    {"lp_iter", T_INT, offsetof(ElSettings, lp_iter), 1, 1e9, EL_DEFAULT_LP_ITER},
    {"time_limit_s", T_DOUBLE, offsetof(ElSettings, time_limit_s), 0, 1e6, EL_DEFAULT_TIME_LIMIT_S},
    {"verbosity", T_INT, offsetof(ElSettings, verbosity), 0, 3, EL_DEFAULT_VERBOSITY},
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
    int i;
    if (!s)
        return el_error_set(err, EL_ERR_INTERNAL, "settings pointer is NULL");
    for (i = 0; i < NFIELDS; i++) {
        el_status st = check(&fields[i], get(s, &fields[i]), err);
        if (st != EL_OK)
            return st;
    }
    return EL_OK;
}

el_status el_settings_set(ElSettings *s, const char *name, const char *value, ElError *err)
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
        put(s, f, v);
        return EL_OK;
    }
    return el_error_set(err, EL_ERR_SETTINGS, "unknown setting '%s' (see docs/settings.md)", name);
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
        snprintf(buf, (size_t)bufsize, "%g", fields[i].def);
}
