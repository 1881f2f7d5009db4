/* solution: the primal-dual solution type shared by every backend (solution.h). */
#include "solution.h"

#include <string.h>

#include "el_alloc.h"

el_status el_solution_create(ElSolution **out, int ncols, int nrows, ElError *err)
{
    ElSolution *s = el_calloc(1, sizeof(*s));
    size_t nc = (size_t)(ncols > 0 ? ncols : 1), nr = (size_t)(nrows > 0 ? nrows : 1);
    *out = NULL;
    if (!s)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (solution)");
    s->ncols = ncols;
    s->nrows = nrows;
    s->cap_cols = (int)nc;
    s->cap_rows = (int)nr;
    s->x = el_calloc(nc, sizeof(double));
    s->y = el_calloc(nr, sizeof(double));
    s->cstat = el_calloc(nc, sizeof(int));
    s->rstat = el_calloc(nr, sizeof(int));
    if (!s->x || !s->y || !s->cstat || !s->rstat) {
        el_solution_free(s);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (solution)");
    }
    *out = s;
    return EL_OK;
}

void el_solution_free(ElSolution *s)
{
    if (!s)
        return;
    el_free(s->x);
    el_free(s->y);
    el_free(s->cstat);
    el_free(s->rstat);
    el_free(s);
}

const char *el_outcome_name(ElOutcome o)
{
    switch (o) {
    case EL_OPTIMAL:
        return "optimal";
    case EL_INFEASIBLE:
        return "infeasible";
    case EL_UNBOUNDED:
        return "unbounded";
    case EL_ITER_LIMIT:
        return "iteration-limit";
    case EL_TIME_LIMIT:
        return "time-limit";
    }
    return "unknown";
}

el_status el_solution_resize(ElSolution *s, int ncols, int nrows, ElError *err)
{
    size_t nc = (size_t)(ncols > 0 ? ncols : 1), nr = (size_t)(nrows > 0 ? nrows : 1);
    if ((int)nc > s->cap_cols) {
        double *x = el_reallocarray(s->x, nc, sizeof(double));
        int *cs = x ? el_reallocarray(s->cstat, nc, sizeof(int)) : NULL;
        if (x)
            s->x = x;
        if (cs)
            s->cstat = cs;
        if (!x || !cs)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (solution)");
        s->cap_cols = (int)nc;
    }
    if ((int)nr > s->cap_rows) {
        double *y = el_reallocarray(s->y, nr, sizeof(double));
        int *rs = y ? el_reallocarray(s->rstat, nr, sizeof(int)) : NULL;
        if (y)
            s->y = y;
        if (rs)
            s->rstat = rs;
        if (!y || !rs)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (solution)");
        s->cap_rows = (int)nr;
    }
    s->ncols = ncols;
    s->nrows = nrows;
    s->outcome = EL_OPTIMAL;
    s->obj = 0;
    memset(s->x, 0, nc * sizeof(double));
    memset(s->cstat, 0, nc * sizeof(int));
    memset(s->y, 0, nr * sizeof(double));
    memset(s->rstat, 0, nr * sizeof(int));
    return EL_OK;
}
