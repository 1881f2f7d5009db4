/* The GLPK adapter: the only file that includes glpk.h.
 * - Problems are checked by el_problem_check before GLPK sees them: GLPK aborts on bad input.
 * - Indices become 1-based; settings map onto glp_smcp.
 * - GLPK's terminal output is swallowed unless verbosity is 3.
 * - As a last resort glp_error_hook longjmps back here. GLPK's environment is then freed, which
 *   kills every live GLPK problem of this thread; a generation number marks the handles that
 *   died with it.
 * Threads. GLPK keeps its environment (memory, hooks) in thread-local storage (Debian's libglpk
 * is built with TLS: its .tbss holds the environment pointer), so threads do not share it, and
 * neither do we: the generation is per thread. Each thread's generations come from one atomic
 * counter, so a number names one environment of one thread, and a handle used from a thread
 * other than its creator's is refused ("belongs to another thread") instead of touching another
 * thread's GLPK memory. Both hooks live in the environment, so they are per thread too; they are
 * installed for each call into GLPK and removed after it (GLPK cannot tell which hook was there
 * before: etslink assumes none, and leaves none). A thread's environment is freed when the thread
 * ends (see arm_thread_exit) or by el_lp_shutdown. */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <glpk.h>

#include "el_alloc.h"
#include "el_io.h"
#include "lp.h"

struct ElLp {
    glp_prob *P;
    const char *owner;   /* &thread_tag of the thread that created it */
    unsigned generation; /* its GLPK environment in that thread */
    ElSettings settings;
    int ncols, nrows;
    int solved_once;
};

/* This thread's GLPK environment: 0 until first used, then a number no other environment of any
 * thread had (from next_generation). */
static atomic_uint next_generation = 1;
static _Thread_local unsigned env_generation;
/* Its address tells the threads apart (a handle records its creator's). */
static _Thread_local char thread_tag;

static unsigned generation(void)
{
    if (env_generation == 0)
        env_generation = atomic_fetch_add(&next_generation, 1);
    return env_generation;
}

/* GLPK's environment of this thread is gone (freed): handles of the old one are dead. */
static void env_freed(void)
{
    env_generation = 0;
}

/* A thread that used GLPK frees its environment when it ends, through the destructor of a
 * thread-specific key (run by the exiting thread, before its thread-local storage goes): a
 * worker that forgets el_lp_shutdown does not leak. The main thread ends with exit(), which runs
 * no destructor: it calls el_lp_shutdown. */
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static int exit_key_made;
static _Thread_local int exit_armed;

static void at_thread_exit(void *unused)
{
    (void)unused;
    glp_free_env();
    env_freed();
}

static void make_exit_key(void)
{
    exit_key_made = pthread_key_create(&exit_key, at_thread_exit) == 0;
}

static void arm_thread_exit(void)
{
    if (exit_armed)
        return;
    pthread_once(&exit_key_once, make_exit_key);
    if (exit_key_made && pthread_setspecific(exit_key, &thread_tag) == 0)
        exit_armed = 1;
}

static int term_quiet(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

static void on_glpk_error(void *info)
{
    longjmp(*(jmp_buf *)info, 1);
}

/* Around every call into GLPK: the error hook longjmps to jb; output is swallowed unless
 * `talk`. hooks_off removes both again. */
static void hooks_on(jmp_buf *jb, int talk)
{
    arm_thread_exit();
    glp_error_hook(on_glpk_error, jb);
    glp_term_hook(talk ? NULL : term_quiet, NULL);
    /* quiet: GLPK does not even format its messages (glp_scale_prob formats three with %e on
     * every call, a few percent of a small design's solve); its error messages turn output on
     * again and reach the hook */
    glp_term_out(talk ? GLP_ON : GLP_OFF);
}

static void hooks_off(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    glp_term_out(GLP_ON); /* GLPK's default */
}

/* After a GLPK error the environment is unusable: free it and invalidate every handle of this
 * thread. (glp_free_env drops the hooks with the environment.) */
static el_status recover(ElError *err, const char *where)
{
    glp_error_hook(NULL, NULL);
    glp_free_env();
    env_freed();
    return el_error_set(err, EL_ERR_LP, "GLPK failed inside %s (internal error caught)", where);
}

static int bound_type(double lo, double up)
{
    if (isinf(lo) && isinf(up))
        return GLP_FR;
    if (isinf(up))
        return GLP_LO;
    if (isinf(lo))
        return GLP_UP;
    return lo == up ? GLP_FX : GLP_DB;
}

static double fin(double v)
{
    return isinf(v) ? 0.0 : v;
}

/* Load p into a new glp_prob. Runs under the caller's error hook. */
static glp_prob *load(const ElProblem *p, int *ia, int *ja, double *ar)
{
    glp_prob *P = glp_create_prob();
    int k;
    glp_set_obj_dir(P, GLP_MIN);
    if (p->nrows > 0)
        glp_add_rows(P, p->nrows);
    if (p->ncols > 0)
        glp_add_cols(P, p->ncols);
    for (k = 0; k < p->nrows; k++) {
        glp_set_row_name(P, k + 1, p->rowname[k]);
        glp_set_row_bnds(P, k + 1, bound_type(p->rlo[k], p->rup[k]), fin(p->rlo[k]),
                         fin(p->rup[k]));
    }
    for (k = 0; k < p->ncols; k++) {
        glp_set_col_name(P, k + 1, p->colname[k]);
        glp_set_col_bnds(P, k + 1, bound_type(p->lo[k], p->up[k]), fin(p->lo[k]), fin(p->up[k]));
        glp_set_obj_coef(P, k + 1, p->c[k]);
        if (p->is_int[k])
            glp_set_col_kind(P, k + 1, GLP_IV);
    }
    for (k = 0; k < p->nnz; k++) {
        ia[k + 1] = p->ai[k] + 1;
        ja[k + 1] = p->aj[k] + 1;
        ar[k + 1] = p->av[k];
    }
    glp_load_matrix(P, p->nnz, ia, ja, ar);
    return P;
}

static el_status alloc_triplets(int nnz, int **ia, int **ja, double **ar, ElError *err)
{
    size_t n = (size_t)nnz + 1;
    *ia = el_calloc(n, sizeof(int));
    *ja = el_calloc(n, sizeof(int));
    *ar = el_calloc(n, sizeof(double));
    if (!*ia || !*ja || !*ar) {
        el_free(*ia);
        el_free(*ja);
        el_free(*ar);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (LP matrix)");
    }
    return EL_OK;
}

el_status el_lp_create(ElLp **out, const ElProblem *p, const ElSettings *s, ElError *err)
{
    ElLp *lp;
    int *ia = NULL, *ja = NULL;
    double *ar = NULL;
    jmp_buf jb;
    el_status st;
    int k;
    *out = NULL;
    for (k = 0; k < p->ncols; k++)
        if (p->h[k] != 0)
            return el_error_set(err, EL_ERR_INTERNAL, "el_lp_create: column %s is quadratic",
                                p->colname[k]);
    st = el_problem_check(p, err);
    if (st != EL_OK)
        return st;
    lp = el_calloc(1, sizeof(*lp));
    if (!lp)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (LP)");
    if (s) {
        st = el_settings_validate(s, err);
        if (st != EL_OK) {
            el_free(lp);
            return st;
        }
        lp->settings = *s;
    } else {
        el_settings_default(&lp->settings);
    }
    lp->ncols = p->ncols;
    lp->nrows = p->nrows;
    st = alloc_triplets(p->nnz, &ia, &ja, &ar, err);
    if (st != EL_OK) {
        el_free(lp);
        return st;
    }
    if (setjmp(jb)) {
        el_free(ia);
        el_free(ja);
        el_free(ar);
        el_free(lp);
        return recover(err, "el_lp_create");
    }
    hooks_on(&jb, lp->settings.verbosity >= 3);
    lp->P = load(p, ia, ja, ar);
    glp_scale_prob(lp->P, GLP_SF_AUTO);
    hooks_off();
    lp->generation = generation();
    lp->owner = &thread_tag;
    el_free(ia);
    el_free(ja);
    el_free(ar);
    *out = lp;
    return EL_OK;
}

/* The handle's problem lives in this thread's current GLPK environment. */
static int alive(const ElLp *lp)
{
    return lp->P && lp->owner == &thread_tag && lp->generation == env_generation;
}

static el_status dead(const ElLp *lp, ElError *err)
{
    if (lp->P && lp->owner != &thread_tag)
        return el_error_set(err, EL_ERR_LP, "LP handle belongs to another thread");
    return el_error_set(err, EL_ERR_LP, "LP handle is no longer valid");
}

el_status el_lp_set_row_bounds(ElLp *lp, int i, double lo, double up, ElError *err)
{
    if (!alive(lp))
        return dead(lp, err);
    if (i < 0 || i >= lp->nrows || isnan(lo) || isnan(up) || lo > up)
        return el_error_set(err, EL_ERR_INTERNAL, "el_lp_set_row_bounds: bad row or bounds");
    glp_set_row_bnds(lp->P, i + 1, bound_type(lo, up), fin(lo), fin(up));
    return EL_OK;
}

/* GLPK's tm_lim in ms for the next call: the per-LP time_limit_s and what is left until the
 * design's deadline, whichever is smaller (INT_MAX, GLPK's "none", if neither is set).
 * Returns 0 when the deadline has already passed. */
static int time_limit_ms(const ElSettings *s)
{
    double ms = s->time_limit_s > 0 ? s->time_limit_s * 1000.0 : HUGE_VAL;
    if (s->deadline > 0) {
        double left = el_clock_remaining(s->deadline);
        if (!(left > 0))
            return 0;
        ms = fmin(ms, ceil(left * 1000.0));
    }
    return ms >= (double)INT_MAX ? INT_MAX : ms < 1 ? 1 : (int)ms;
}

static int map_stat(int glp_stat)
{
    switch (glp_stat) {
    case GLP_BS:
        return EL_ST_BASIC;
    case GLP_NL:
        return EL_ST_LOWER;
    case GLP_NU:
        return EL_ST_UPPER;
    case GLP_NF:
        return EL_ST_FREE;
    default:
        return EL_ST_FIXED;
    }
}

el_status el_lp_solve(ElLp *lp, ElSolution *sol, ElError *err)
{
    glp_smcp parm;
    jmp_buf jb;
    volatile int ret = 0;
    int k, status;
    if (!alive(lp))
        return dead(lp, err);
    if (sol->ncols != lp->ncols || sol->nrows != lp->nrows)
        return el_error_set(err, EL_ERR_INTERNAL, "el_lp_solve: solution has the wrong size");
    glp_init_smcp(&parm);
    parm.msg_lev = lp->settings.verbosity >= 3 ? GLP_MSG_ALL : GLP_MSG_OFF;
    parm.it_lim = lp->settings.lp_iter;
    parm.tm_lim = time_limit_ms(&lp->settings);
    parm.presolve = GLP_OFF;
    if (parm.tm_lim == 0) { /* the design's deadline has passed: do not start */
        sol->outcome = EL_TIME_LIMIT;
        return EL_OK;
    }
    if (setjmp(jb)) {
        lp->P = NULL;
        return recover(err, "el_lp_solve");
    }
    hooks_on(&jb, lp->settings.verbosity >= 3);
    if (!lp->solved_once) {
        glp_adv_basis(lp->P, 0);
        lp->solved_once = 1;
    }
    ret = glp_simplex(lp->P, &parm);
    if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
        glp_std_basis(lp->P);
        parm.tm_lim = time_limit_ms(&lp->settings);
        ret = parm.tm_lim == 0 ? GLP_ETMLIM : glp_simplex(lp->P, &parm);
    }
    hooks_off();
    /* GLPK checks tm_lim only now and then: a failure past the deadline is the deadline's */
    if (ret == GLP_ETMLIM || (el_clock_expired(lp->settings.deadline) &&
                              (ret != 0 || glp_get_status(lp->P) != GLP_OPT))) {
        sol->outcome = EL_TIME_LIMIT;
        return EL_OK;
    }
    if (ret == GLP_EITLIM) {
        sol->outcome = EL_ITER_LIMIT;
        return EL_OK;
    }
    if (ret != 0)
        return el_error_set(err, EL_ERR_LP, "GLPK simplex failed (glp_simplex returned %d)", ret);
    status = glp_get_status(lp->P);
    if (status == GLP_NOFEAS || status == GLP_INFEAS) {
        sol->outcome = EL_INFEASIBLE;
        return EL_OK;
    }
    if (status == GLP_UNBND) {
        sol->outcome = EL_UNBOUNDED;
        return EL_OK;
    }
    if (status != GLP_OPT)
        return el_error_set(err, EL_ERR_LP, "GLPK ended with status %d", status);
    sol->outcome = EL_OPTIMAL;
    sol->obj = glp_get_obj_val(lp->P);
    for (k = 0; k < lp->ncols; k++) {
        sol->x[k] = glp_get_col_prim(lp->P, k + 1);
        sol->cstat[k] = map_stat(glp_get_col_stat(lp->P, k + 1));
    }
    for (k = 0; k < lp->nrows; k++) {
        sol->y[k] = glp_get_row_dual(lp->P, k + 1);
        sol->rstat[k] = map_stat(glp_get_row_stat(lp->P, k + 1));
    }
    return EL_OK;
}

el_status el_lp_solve_mip(ElLp *lp, ElSolution *sol, ElError *err)
{
    glp_iocp parm;
    jmp_buf jb;
    volatile int ret = 0;
    int k, status;
    el_status st = el_lp_solve(lp, sol, err); /* the relaxation gives glp_intopt its basis */
    if (st != EL_OK || sol->outcome != EL_OPTIMAL)
        return st;
    glp_init_iocp(&parm);
    parm.msg_lev = lp->settings.verbosity >= 3 ? GLP_MSG_ALL : GLP_MSG_OFF;
    parm.tm_lim = time_limit_ms(&lp->settings); /* bounds the whole branch and cut */
    if (parm.tm_lim == 0) {
        sol->outcome = EL_TIME_LIMIT;
        return EL_OK;
    }
    if (setjmp(jb)) {
        lp->P = NULL;
        return recover(err, "el_lp_solve_mip");
    }
    hooks_on(&jb, lp->settings.verbosity >= 3);
    ret = glp_intopt(lp->P, &parm);
    hooks_off();
    if (ret == GLP_ETMLIM || (el_clock_expired(lp->settings.deadline) &&
                              (ret != 0 || glp_mip_status(lp->P) != GLP_OPT))) {
        sol->outcome = EL_TIME_LIMIT;
        return EL_OK;
    }
    if (ret != 0 && ret != GLP_ENOPFS)
        return el_error_set(err, EL_ERR_LP, "GLPK branch and cut failed (glp_intopt returned %d)",
                            ret);
    status = glp_mip_status(lp->P);
    if (ret == GLP_ENOPFS || status == GLP_NOFEAS) {
        sol->outcome = EL_INFEASIBLE;
        return EL_OK;
    }
    if (status != GLP_OPT)
        return el_error_set(err, EL_ERR_LP, "GLPK branch and cut ended with status %d", status);
    sol->outcome = EL_OPTIMAL;
    sol->obj = glp_mip_obj_val(lp->P);
    for (k = 0; k < lp->ncols; k++)
        sol->x[k] = glp_mip_col_val(lp->P, k + 1);
    return EL_OK;
}

void el_lp_free(ElLp *lp)
{
    if (!lp)
        return;
    if (alive(lp))
        glp_delete_prob(lp->P);
    el_free(lp);
}

typedef struct {
    const ElProblem *p;
    ElLpFormat fmt;
    const char *path; /* the final name, for messages */
} LpWriteJob;

/* GLPK writes only to a file name (fopen "w"): give it one in el_io's private folder. */
static el_status lp_write_named(const char *name, void *ctx, ElError *err)
{
    const LpWriteJob *job = ctx;
    const ElProblem *p = job->p;
    const char *path = job->path;
    ElLpFormat fmt = job->fmt;
    int *ia = NULL, *ja = NULL;
    double *ar = NULL;
    glp_prob *volatile P = NULL;
    int is_mps = fmt == EL_LP_FORMAT_MPS;
    volatile int ret;
    jmp_buf jb;
    el_status st;
    int k;
    for (k = 0; k < p->ncols; k++)
        if (p->h[k] != 0)
            return el_error_set(err, EL_ERR_INTERNAL, "el_lp_write: column %s is quadratic",
                                p->colname[k]);
    st = el_problem_check(p, err);
    if (st == EL_OK)
        st = alloc_triplets(p->nnz, &ia, &ja, &ar, err);
    if (st != EL_OK)
        return st;
    if (setjmp(jb)) {
        el_free(ia);
        el_free(ja);
        el_free(ar);
        return recover(err, "el_lp_write");
    }
    hooks_on(&jb, 0);
    P = load(p, ia, ja, ar);
    ret = is_mps ? glp_write_mps(P, GLP_MPS_FILE, NULL, name) : glp_write_lp(P, NULL, name);
    glp_delete_prob(P);
    hooks_off();
    el_free(ia);
    el_free(ja);
    el_free(ar);
    if (ret != 0)
        return el_error_set(err, EL_ERR_IO, "%s: GLPK could not write the file", path);
    return EL_OK;
}

/* Atomic and symlink-safe like every output (el_outfile_from_named: a private folder, then a
 * temporary file beside path, fsync, rename); nothing is written under a predictable name. */
el_status el_lp_write(const ElProblem *p, const char *path, ElLpFormat fmt, ElError *err)
{
    LpWriteJob job;
    job.p = p;
    job.fmt = fmt;
    job.path = path;
    return el_outfile_from_named(path, lp_write_named, &job, err);
}

el_status el_lp_selftest_guard(ElError *err)
{
    jmp_buf jb;
    glp_prob *volatile P = NULL;
    if (setjmp(jb))
        return recover(err, "el_lp_selftest_guard");
    hooks_on(&jb, 0);
    P = glp_create_prob();
    glp_set_row_bnds(P, 1, GLP_FX, 0, 0); /* row 1 does not exist: GLPK calls its error hook */
    hooks_off();
    glp_delete_prob(P);
    return el_error_set(err, EL_ERR_INTERNAL, "GLPK did not report the invalid call");
}

void el_lp_shutdown(void)
{
    glp_free_env();
    env_freed();
}
