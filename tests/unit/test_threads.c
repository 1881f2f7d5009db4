/* threads suite (issue 9, item 5): the library loads, solves, writes and injects allocation
 * faults on several threads at once, and every answer equals, bit for bit, the one the calling
 * thread computed alone first. `make tsan` runs it under ThreadSanitizer, so that a data race
 * fails the run even when the answers happen to agree.
 * CUnit is not thread-safe: workers only record what they saw (in memory from malloc, so that
 * the allocation counters see the library's allocations only) and the main thread asserts
 * after joining them. GLPK's environment is per thread: half the workers free theirs with
 * el_lp_shutdown, the others when they end (make asan and make valgrind check that nothing
 * leaks). Tests run from the tests/ folder. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "el_alloc.h"
#include "el_io.h"
#include "el_la.h"
#include "load.h"
#include "lp.h"
#include "qp.h"
#include "suites.h"

#define NTHREADS 4
#define ROUNDS   3

/* ---- fingerprints: every number of an answer, compared with memcmp (bit for bit) ---- */

typedef struct {
    el_status st;
    size_t n, cap;
    double *v;
    int oom; /* the fingerprint itself ran out of memory */
} Print;

static void push(Print *p, double x)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        double *v = realloc(p->v, cap * sizeof(double));
        if (!v) {
            p->oom = 1;
            return;
        }
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = x;
}

static void print_clear(Print *p)
{
    free(p->v);
    memset(p, 0, sizeof(*p));
}

static int print_equal(const Print *a, const Print *b)
{
    return a->st == b->st && a->n == b->n && !a->oom && !b->oom &&
           (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(double)) == 0);
}

static void print_design(Print *p, const ElDesignResult *r)
{
    int k;
    push(p, (double)r->outcome);
    push(p, r->abatement_cost);
    push(p, r->total_cost);
    push(p, r->national_cost);
    push(p, r->row_surplus);
    push(p, r->gain);
    for (k = 0; k < r->njur; k++) {
        const ElJurResult *q = &r->jur[k];
        const double f[] = {q->price,         q->abatement,       q->emissions,
                            q->net_imports,   q->offsets,         q->project_credits,
                            q->withheld,      q->released,        q->penalised,
                            q->taxed,         (double)q->binding, q->abatement_cost,
                            q->payments,      q->national_cost,   q->gain,
                            q->firms_cost,    q->gov_revenue,     q->offset_surplus,
                            q->ndc_emissions, q->shortfall};
        size_t i;
        for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
            push(p, f[i]);
    }
    for (k = 0; k < r->nlinks; k++) {
        push(p, r->link[k].units);
        push(p, r->link[k].credited);
        push(p, r->link[k].unit_price);
        push(p, r->link[k].rent);
    }
    for (k = 0; k < r->npools; k++) {
        push(p, r->pool[k].price);
        push(p, r->pool[k].supplied);
        push(p, r->pool[k].supply_cost);
        push(p, r->pool[k].receipts);
    }
    for (k = 0; k < r->nprojects; k++) {
        push(p, (double)r->project[k].built);
        push(p, r->project[k].credits);
        push(p, r->project[k].cost);
    }
}

/* ---- the work: scenarios loaded from files and solved ---- */

static const char *const files[] = {
    "../scenarios/northeast-asia.xml",      /* the bundled scenario: LP + KKT polish */
    "../scenarios/examples/fitted-mac.xml", /* curves fitted by least squares (LAPACK dgels) */
    "data/csv-curves.xml",                  /* CSV curves (el_read_file) */
    "data/oom.xml",                         /* a joint project: branch and cut (glp_intopt) */
    "data/ties.xml",                        /* tie rules */
};
#define NFILES (int)(sizeof(files) / sizeof(files[0]))

/* Load and solve one file; *p gets the status and every number of the run. */
static void solve_file(const char *path, Print *p)
{
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err = {EL_OK, ""};
    int d;
    p->st = el_scenario_load(&s, path, NULL, &err);
    if (p->st == EL_OK)
        p->st = el_run_solve(&run, s, &err);
    if (p->st == EL_OK) {
        print_design(p, &run->autarky);
        for (d = 0; d < run->ndesigns; d++)
            print_design(p, &run->designs[d]);
    }
    el_run_free(run);
    el_scenario_free(s);
}

/* ---- the work: problems built in code and solved by el_qp_solve ---- */

#define NPROBLEMS 4

/* Problem k: 3 (k + 2) columns in groups of 3 with requirement rows sum >= R_g, quadratic costs
 * (h_j, c_j) plus one linear step column per group, and a plain row x_0 - x_1 <= 2. */
static ElProblem *make_problem(int k)
{
    ElProblem *p = NULL;
    ElError err;
    int g, j, ngroups = k + 2, row, col, ok = 1;
    if (el_problem_create(&p, &err) != EL_OK)
        return NULL;
    for (g = 0; g < ngroups && ok; g++) {
        char name[32];
        snprintf(name, sizeof(name), "R%d", g);
        ok = el_problem_add_row(p, name, 20.0 + 5.0 * g + k, HUGE_VAL, EL_ROW_REQUIREMENT, &row,
                                &err) == EL_OK;
        for (j = 0; j < 4 && ok; j++) {
            double h = j == 3 ? 0 : 1.0 + (double)((3 * g + j) * 7 % 5) / 3.0;
            double c = j == 3 ? 12.0 + g : (double)((g + j) % 3);
            snprintf(name, sizeof(name), "x%d_%d", g, j);
            ok = el_problem_add_col(p, name, c, h, 0, j == 3 ? 5.0 : 60.0, &col, &err) == EL_OK &&
                 el_problem_add_coef(p, row, col, 1.0, &err) == EL_OK;
        }
    }
    ok = ok && el_problem_add_row(p, "L", -HUGE_VAL, 2.0, EL_ROW_PLAIN, &row, &err) == EL_OK &&
         el_problem_add_coef(p, row, 0, 1.0, &err) == EL_OK &&
         el_problem_add_coef(p, row, 1, -1.0, &err) == EL_OK;
    if (!ok) {
        el_problem_free(p);
        return NULL;
    }
    return p;
}

static ElProblem *problems[NPROBLEMS]; /* built once, read by every thread */

static void solve_problem(const ElProblem *p, Print *out)
{
    ElSolution *sol = NULL;
    ElError err = {EL_OK, ""};
    int j;
    out->st = el_solution_create(&sol, p->ncols, p->nrows, &err);
    if (out->st == EL_OK)
        out->st = el_qp_solve(p, NULL, sol, NULL, &err);
    if (out->st == EL_OK) {
        push(out, (double)sol->outcome);
        push(out, sol->obj);
        for (j = 0; j < p->ncols; j++)
            push(out, sol->x[j]);
        for (j = 0; j < p->nrows; j++)
            push(out, sol->y[j]);
    }
    el_solution_free(sol);
}

/* ---- the work: LAPACK directly ---- */

static void solve_lapack(Print *out)
{
    enum {
        N = 6,
        M = 10
    };
    double K[N * N], b[N], A[M * 3], y[M], x[3], rms = 0;
    ElError err;
    bool ls = false;
    int i, j;
    for (j = 0; j < N; j++)
        for (i = 0; i < N; i++)
            K[i + j * N] = i == j ? 4.0 + i : 1.0 / (1.0 + i + 2 * j);
    for (i = 0; i < N; i++)
        b[i] = 1.0 + i;
    out->st = el_la_solve(N, K, b, &ls, &err);
    for (i = 0; i < N; i++)
        push(out, b[i]);
    for (i = 0; i < M; i++) {
        A[i] = 1;
        A[i + M] = i;
        A[i + 2 * M] = (double)i * i;
        y[i] = 3.0 - 0.5 * i + 0.25 * i * i + (i % 2 ? 0.1 : -0.1);
    }
    if (out->st == EL_OK)
        out->st = el_la_least_squares(M, 3, A, y, x, &rms, &err);
    for (i = 0; i < 3; i++)
        push(out, x[i]);
    push(out, rms);
    push(out, (double)ls);
}

/* ---- allocation faults: the counters are per thread ---- */

#define NFAULTS 8
static const char *const fault_file = "data/oom.xml";

typedef struct {
    long total;            /* allocations of a whole load + solve */
    long at[NFAULTS];      /* the allocations made to fail */
    el_status st[NFAULTS]; /* what each run returned */
    long seen[NFAULTS];    /* allocations counted in each run */
} Faults;

static void load_and_solve(void)
{
    ElScenario *s = NULL;
    ElRun *run = NULL;
    ElError err;
    if (el_scenario_load(&s, fault_file, NULL, &err) == EL_OK)
        el_run_solve(&run, s, &err);
    el_run_free(run);
    el_scenario_free(s);
}

/* The whole load + solve counted, then allocation at[k] made to fail for NFAULTS points spread
 * over it. Another thread's allocations, counted in the same counter, would change both. */
static void run_faults(Faults *f)
{
    int k;
    el_alloc_fail_at(0);
    load_and_solve();
    f->total = el_alloc_count();
    for (k = 0; k < NFAULTS; k++) {
        ElScenario *s = NULL;
        ElRun *run = NULL;
        ElError err;
        f->at[k] = 1 + (long)k * (f->total - 1) / (NFAULTS - 1);
        el_alloc_fail_at(f->at[k]);
        f->st[k] = el_scenario_load(&s, fault_file, NULL, &err);
        if (f->st[k] == EL_OK)
            f->st[k] = el_run_solve(&run, s, &err);
        f->seen[k] = el_alloc_count();
        el_alloc_fail_at(0);
        el_run_free(run);
        el_scenario_free(s);
    }
}

/* ---- the threads ---- */

typedef struct {
    int id;
    Print file[ROUNDS][NFILES];
    Print problem[ROUNDS][NPROBLEMS];
    Print lapack[ROUNDS];
    Faults faults;
    int guard_ok;    /* el_lp_selftest_guard said EL_ERR_LP every time */
    int files_ok;    /* every file written and committed */
    const char *dir; /* for the output files */
} Worker;

static Print ref_file[NFILES], ref_problem[NPROBLEMS], ref_lapack;
static Faults ref_faults;

/* Output files: 6 per thread, in sets of 3 (el_outfile_commit_set) and one by one. */
static int write_files(const Worker *w)
{
    int k, ok = 1;
    for (k = 0; k < 6 && ok; k += 3) {
        ElOutFile *f[3] = {NULL, NULL, NULL};
        int committed[3] = {0, 0, 0}, i;
        ElError err;
        for (i = 0; i < 3 && ok; i++) {
            char path[256];
            snprintf(path, sizeof(path), "%s/t%d-%d.txt", w->dir, w->id, k + i);
            ok = el_outfile_open(&f[i], path, &err) == EL_OK;
            if (ok)
                fprintf(el_outfile_stream(f[i]), "thread %d file %d\n", w->id, k + i);
        }
        if (!ok) {
            for (i = 0; i < 3; i++)
                el_outfile_abort(f[i]);
            break;
        }
        if (k == 0)
            ok = el_outfile_commit_set(f, 3, committed, &err) == EL_OK && committed[0] &&
                 committed[1] && committed[2];
        else
            for (i = 0; i < 3; i++)
                ok = el_outfile_commit(f[i], &err) == EL_OK && ok;
    }
    return ok;
}

static void *work(void *arg)
{
    Worker *w = arg;
    int r, k;
    run_faults(&w->faults); /* first, while the other threads solve */
    for (r = 0; r < ROUNDS; r++) {
        /* each thread starts at a different item, so that different work overlaps */
        for (k = 0; k < NFILES; k++) {
            int f = (k + w->id + r) % NFILES;
            solve_file(files[f], &w->file[r][f]);
        }
        for (k = 0; k < NPROBLEMS; k++) {
            int q = (k + w->id) % NPROBLEMS;
            solve_problem(problems[q], &w->problem[r][q]);
        }
        solve_lapack(&w->lapack[r]);
        if (w->id == 0) { /* GLPK's error recovery frees this thread's environment only */
            ElError err;
            w->guard_ok = el_lp_selftest_guard(&err) == EL_ERR_LP && (r == 0 || w->guard_ok);
        }
    }
    w->files_ok = write_files(w);
    if (w->id % 2 == 0) /* odd threads leave it to the thread-exit destructor (no leak either) */
        el_lp_shutdown();
    return NULL;
}

static void compute_references(void)
{
    int k;
    for (k = 0; k < NPROBLEMS; k++)
        if (!problems[k])
            problems[k] = make_problem(k);
    for (k = 0; k < NFILES; k++) {
        print_clear(&ref_file[k]);
        solve_file(files[k], &ref_file[k]);
    }
    for (k = 0; k < NPROBLEMS; k++) {
        print_clear(&ref_problem[k]);
        if (problems[k])
            solve_problem(problems[k], &ref_problem[k]);
    }
    print_clear(&ref_lapack);
    solve_lapack(&ref_lapack);
    run_faults(&ref_faults);
}

static void test_threads_same_answers(void)
{
    static Worker w[NTHREADS];
    pthread_t tid[NTHREADS];
    char dir[] = "/tmp/etslink-threads-XXXXXX";
    int t, r, k, started = 0;
    el_la_single_thread(); /* what a batch does before starting its workers */
    compute_references();
    for (k = 0; k < NPROBLEMS; k++)
        CU_ASSERT_PTR_NOT_NULL_FATAL(problems[k]);
    for (k = 0; k < NFILES; k++) {
        CU_ASSERT_EQUAL(ref_file[k].st, EL_OK);
        CU_ASSERT(ref_file[k].n > 0);
    }
    CU_ASSERT_EQUAL(ref_lapack.st, EL_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    memset(w, 0, sizeof(w));
    for (t = 0; t < NTHREADS; t++) {
        w[t].id = t;
        w[t].dir = dir;
        if (pthread_create(&tid[t], NULL, work, &w[t]) == 0)
            started++;
        else
            break;
    }
    CU_ASSERT_EQUAL(started, NTHREADS);
    for (t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (t = 0; t < started; t++) {
        for (r = 0; r < ROUNDS; r++) {
            for (k = 0; k < NFILES; k++)
                if (!print_equal(&w[t].file[r][k], &ref_file[k])) {
                    fprintf(stderr, "\n  thread %d round %d: %s differs from one thread's answer\n",
                            t, r, files[k]);
                    CU_FAIL("a scenario solved in a thread differs");
                }
            for (k = 0; k < NPROBLEMS; k++)
                CU_ASSERT(print_equal(&w[t].problem[r][k], &ref_problem[k]));
            CU_ASSERT(print_equal(&w[t].lapack[r], &ref_lapack));
        }
        CU_ASSERT_EQUAL(w[t].faults.total, ref_faults.total);
        for (k = 0; k < NFAULTS; k++) {
            CU_ASSERT_EQUAL(w[t].faults.at[k], ref_faults.at[k]);
            CU_ASSERT_EQUAL(w[t].faults.st[k], EL_ERR_NOMEM);
            CU_ASSERT_EQUAL(w[t].faults.st[k], ref_faults.st[k]);
            CU_ASSERT_EQUAL(w[t].faults.seen[k], ref_faults.seen[k]);
        }
        CU_ASSERT(w[t].files_ok);
        for (k = 0; k < 6; k++) { /* every file holds what its thread wrote */
            char path[256], want[64], got[64] = "";
            FILE *fp;
            snprintf(path, sizeof(path), "%s/t%d-%d.txt", dir, t, k);
            snprintf(want, sizeof(want), "thread %d file %d\n", t, k);
            fp = fopen(path, "r");
            CU_ASSERT_PTR_NOT_NULL(fp);
            if (fp) {
                CU_ASSERT_PTR_NOT_NULL(fgets(got, sizeof(got), fp));
                fclose(fp);
            }
            CU_ASSERT_STRING_EQUAL(got, want);
            unlink(path);
        }
    }
    CU_ASSERT(w[0].guard_ok);
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* nothing else left behind: no temporary file */
    for (t = 0; t < started; t++) {
        for (r = 0; r < ROUNDS; r++) {
            for (k = 0; k < NFILES; k++)
                print_clear(&w[t].file[r][k]);
            for (k = 0; k < NPROBLEMS; k++)
                print_clear(&w[t].problem[r][k]);
            print_clear(&w[t].lapack[r]);
        }
    }
}

/* An ElLp belongs to the thread that made it: another thread is refused, not let into the
 * first thread's GLPK memory. */
typedef struct {
    ElLp *lp;
    ElSolution *sol;
    el_status st;
    char msg[512];
} Borrow;

static void *use_other_threads_lp(void *arg)
{
    Borrow *b = arg;
    ElError err = {EL_OK, ""};
    b->st = el_lp_solve(b->lp, b->sol, &err);
    memcpy(b->msg, err.msg, sizeof(b->msg));
    el_lp_shutdown();
    return NULL;
}

static void test_threads_lp_owner(void)
{
    ElProblem *p = NULL;
    ElSolution *sol = NULL;
    ElError err;
    Borrow b;
    pthread_t tid;
    int row, col;
    CU_ASSERT_EQUAL_FATAL(el_problem_create(&p, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_row(p, "r", 1, HUGE_VAL, EL_ROW_PLAIN, &row, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_col(p, "x", 2, 0, 0, 10, &col, &err), EL_OK);
    CU_ASSERT_EQUAL(el_problem_add_coef(p, row, col, 1, &err), EL_OK);
    CU_ASSERT_EQUAL_FATAL(el_solution_create(&sol, 1, 1, &err), EL_OK);
    memset(&b, 0, sizeof(b));
    CU_ASSERT_EQUAL_FATAL(el_lp_create(&b.lp, p, NULL, &err), EL_OK);
    b.sol = sol;
    CU_ASSERT_EQUAL_FATAL(pthread_create(&tid, NULL, use_other_threads_lp, &b), 0);
    pthread_join(tid, NULL);
    CU_ASSERT_EQUAL(b.st, EL_ERR_LP);
    CU_ASSERT_PTR_NOT_NULL(strstr(b.msg, "another thread"));
    /* still fine in its own thread: x = 1, dual 2 */
    CU_ASSERT_EQUAL(el_lp_solve(b.lp, sol, &err), EL_OK);
    CU_ASSERT_EQUAL(sol->outcome, EL_OPTIMAL);
    CHECK_REL(sol->x[0], 1);
    CHECK_REL(sol->y[0], 2);
    el_lp_free(b.lp);
    el_solution_free(sol);
    el_problem_free(p);
}

static void test_threads_clean(void)
{
    int k;
    for (k = 0; k < NPROBLEMS; k++) {
        el_problem_free(problems[k]);
        problems[k] = NULL;
    }
    for (k = 0; k < NFILES; k++)
        print_clear(&ref_file[k]);
    for (k = 0; k < NPROBLEMS; k++)
        print_clear(&ref_problem[k]);
    print_clear(&ref_lapack);
    CU_PASS("freed");
}

CU_TestInfo threads_tests[] = {
    {"4 threads give one thread's answers bit for bit", test_threads_same_answers},
    {"an LP handle belongs to its thread", test_threads_lp_owner},
    {"free the shared problems", test_threads_clean},
    CU_TEST_INFO_NULL,
};
