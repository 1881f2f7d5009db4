/* etslink command line: the only code that prints to stdout/stderr or decides the exit code.
 * Exit codes come from EL_STATUS_LIST (docs/cli.md). */
#define _XOPEN_SOURCE 700 /* sigaction */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h> /* flock: interoperates with flock(1) */
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "batch.h"
#include "build.h"
#include "coalition.h"
#include "el_alloc.h"
#include "el_clock.h"
#include "el_io.h"
#include "el_mpi.h"
#include "el_settings.h"
#include "el_status.h"
#include "equilibrium.h"
#include "load.h"
#include "lp.h"
#include "periods.h"
#include "qp.h"
#include "qp_export.h"
#include "report.h"
#include "results.h"
#include "xml_doc.h"

#define EL_VERSION    "0.1.0"
#define PDF_TIMEOUT_S 300
#define TEX_PACKAGES                                                                \
    "texlive-latex-base texlive-latex-recommended texlive-luatex texlive-pictures " \
    "texlive-science fonts-lmodern fonts-noto-cjk"

static const char usage_text[] =
    "usage: etslink solve SCENARIO.xml -o DIR [--set NAME=VALUE]... [--allow-any-path] [--no-pdf]\n"
    "                     [--quiet] [--threads N] [--mpi] [--only ID]... [--draws-csv]\n"
    "       etslink coalitions SCENARIO.xml -o DIR [--members \"A B C\"] [--design ID]\n"
    "                     [--set NAME=VALUE]... [--allow-any-path] [--no-pdf] [--quiet]\n"
    "                     [--threads N] [--mpi]\n"
    "       etslink validate SCENARIO.xml [--allow-any-path]\n"
    "       etslink export-lp SCENARIO.xml --design ID -o FILE.lp|FILE.mps\n"
    "                     [--form refined|qp|steps] [--set NAME=VALUE]...\n"
    "       etslink --help | --version\n"
    "\n"
    "solve      computes the equilibrium of every linkage design (and the autarky baseline),\n"
    "           runs every sweep, search, sequence, coalitions and uncertainty, and writes\n"
    "           DIR/results.xml, results.csv, report.tex and (with lualatex) report.pdf;\n"
    "           coalitions.csv too when it runs a <coalitions> analysis, uncertainty.csv when\n"
    "           it runs an <uncertainty> analysis, and with --draws-csv every draw's rows in\n"
    "           draws.csv\n"
    "coalitions runs one coalition analysis of the members given (default: every\n"
    "           jurisdiction), --design naming the rules that apply in every coalition,\n"
    "           and writes the same files, coalitions.csv included (no design is solved)\n"
    "validate   checks a scenario against the schema and the model rules without solving\n"
    "export-lp  writes one design's problem (\"autarky\" for the baseline) for another solver:\n"
    "           the LP refined around the equilibrium (default; glpsol finds etslink's\n"
    "           quantities, and its prices to 1e-7), the QP itself (--form qp, .lp only: for\n"
    "           QP solvers such as HiGHS) or the coarse LP GLPK solves first (--form steps)\n"
    "\n"
    "exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 no equilibrium,\n"
    "            5 file error (also: the output folder is locked by another run),\n"
    "            6 solver failure, 7 out of memory, 129/130/143 ended by SIGHUP/SIGINT/SIGTERM\n"
    "            (docs/cli.md)\n";

/* A signal ends the run: lualatex's process group is killed and its work folder removed, every
 * temporary file (el_io tracks them) is removed, and the exit code is 128 + the signal. The
 * output set is never mixed at that moment: results are renamed into place together with
 * signals blocked (write_results). */
static void on_signal(int sig)
{
    el_report_pdf_signal_cleanup();
    el_io_signal_cleanup();
    _exit(128 + sig); /* 129 SIGHUP, 130 SIGINT, 143 SIGTERM (docs/cli.md) */
}

static void install_signal_handlers(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT); /* one handler at a time */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN) /* respect nohup */
        sigaction(SIGHUP, &sa, NULL);
}

typedef struct {
    const char *cmd, *scenario, *out, *design;
    const char *form; /* export-lp --form refined|qp|steps (NULL: refined) */
    const char *sets[64];
    int nsets;
    int allow_any_path, quiet, no_pdf;
    int draws_csv;        /* --draws-csv: every draw of the uncertainty analyses to draws.csv */
    int threads;          /* --threads N: worker threads (default: every online core) */
    int mpi;              /* --mpi: share the designs across the ranks of mpirun (etslink-mpi) */
    const char *only[64]; /* --only ID: the designs and analyses to run (default all) */
    int nonly;
    const char *members;     /* coalitions --members "A B C" (NULL: every jurisdiction) */
    const ElAnalysis *adhoc; /* coalitions: the one analysis run (set after loading) */
} Args;

static int fail(el_status st, const ElError *err)
{
    fprintf(stderr, "etslink: %s\n", err->msg[0] ? err->msg : el_strerror(st));
    return el_status_exit_code(st);
}

static int usage_error(const char *what)
{
    fprintf(stderr, "etslink: %s\n%s", what, usage_text);
    return el_status_exit_code(EL_ERR_USAGE);
}

static int parse_args(int argc, char **argv, Args *a)
{
    int i;
    memset(a, 0, sizeof(*a));
    if (argc < 2)
        return usage_error("no command given");
    a->cmd = argv[1];
    for (i = 2; i < argc; i++) {
        const char *s = argv[i];
        if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && i + 1 < argc)
            a->out = argv[++i];
        else if (strcmp(s, "--design") == 0 && i + 1 < argc)
            a->design = argv[++i];
        else if (strcmp(s, "--form") == 0 && i + 1 < argc)
            a->form = argv[++i];
        else if (strcmp(s, "--members") == 0 && i + 1 < argc)
            a->members = argv[++i];
        else if (strcmp(s, "--set") == 0 && i + 1 < argc) {
            if (a->nsets == (int)(sizeof(a->sets) / sizeof(a->sets[0])))
                return usage_error("too many --set options");
            a->sets[a->nsets++] = argv[++i];
        } else if (strcmp(s, "--allow-any-path") == 0)
            a->allow_any_path = 1;
        else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0)
            a->quiet = 1;
        else if (strcmp(s, "--no-pdf") == 0)
            a->no_pdf = 1;
        else if (strcmp(s, "--mpi") == 0)
            a->mpi = 1;
        else if (strcmp(s, "--draws-csv") == 0)
            a->draws_csv = 1;
        else if (strcmp(s, "--only") == 0 && i + 1 < argc) {
            if (a->nonly == (int)(sizeof(a->only) / sizeof(a->only[0])))
                return usage_error("too many --only options");
            a->only[a->nonly++] = argv[++i];
        } else if (strcmp(s, "--threads") == 0 && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end != '\0' || end == argv[i] || t < 1 || t > 256)
                return usage_error("--threads needs a whole number from 1 to 256");
            a->threads = (int)t;
        } else if (s[0] == '-') {
            char msg[300];
            snprintf(msg, sizeof(msg), "unknown or incomplete option '%.200s'", s);
            return usage_error(msg);
        } else if (!a->scenario)
            a->scenario = s;
        else {
            char msg[300];
            snprintf(msg, sizeof(msg), "unexpected argument '%.200s'", s);
            return usage_error(msg);
        }
    }
    if (!a->scenario)
        return usage_error("no scenario file given");
    return 0;
}

static el_status load(const Args *a, ElScenario **s, ElError *err)
{
    ElLoadOptions opt = {a->allow_any_path != 0};
    el_status st = el_scenario_load(s, a->scenario, &opt, err);
    int i;
    for (i = 0; st == EL_OK && i < a->nsets; i++) {
        char name[64];
        const char *eq = strchr(a->sets[i], '=');
        size_t len = eq ? (size_t)(eq - a->sets[i]) : 0;
        if (!eq || len == 0 || len >= sizeof(name)) {
            st = el_error_set(err, EL_ERR_USAGE, "--set expects NAME=VALUE, got '%.100s'",
                              a->sets[i]);
            break;
        }
        memcpy(name, a->sets[i], len);
        name[len] = '\0';
        st = el_settings_set(&(*s)->settings, name, eq + 1, err);
    }
    if (st == EL_OK && a->nsets > 0) /* the joint budget, once every --set is in */
        st = el_settings_validate(&(*s)->settings, err);
    if (st != EL_OK) {
        el_scenario_free(*s);
        *s = NULL;
    }
    return st;
}

/* The output folder, checked before anything is loaded or solved: an existing folder we can
 * write to, or a name whose parent folder exists (then it is created after loading). */
static el_status check_out_dir(const char *dir, ElError *err)
{
    struct stat sb;
    char parent[4096];
    size_t len = strlen(dir);
    if (len == 0)
        return el_error_set(err, EL_ERR_USAGE, "-o needs a folder name");
    if (len >= sizeof(parent) - 300)
        return el_error_set(err, EL_ERR_IO, "%.200s...: the output folder name is too long", dir);
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return el_error_set(err, EL_ERR_IO, "%s: exists and is not a folder", dir);
        if (access(dir, W_OK | X_OK) != 0)
            return el_error_set(err, EL_ERR_IO, "%s: cannot write to the output folder: %s", dir,
                                strerror(errno));
        return EL_OK;
    }
    if (errno != ENOENT)
        return el_error_set(err, EL_ERR_IO, "%s: cannot use the output folder: %s", dir,
                            strerror(errno));
    if (lstat(dir, &sb) == 0 && S_ISLNK(sb.st_mode)) {
        char target[1024];
        ssize_t n = readlink(dir, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        return el_error_set(err, EL_ERR_IO,
                            "%s: is a dangling symbolic link (to '%s', which does not exist); "
                            "create its target or choose another output folder",
                            dir, target);
    }
    memcpy(parent, dir, len + 1);
    while (len > 1 && parent[len - 1] == '/') /* "out/" names "out" */
        parent[--len] = '\0';
    while (len > 0 && parent[len - 1] != '/')
        len--;
    while (len > 1 && parent[len - 1] == '/')
        len--;
    if (len == 0)
        snprintf(parent, sizeof(parent), ".");
    else
        parent[len] = '\0';
    if (stat(parent, &sb) != 0)
        return el_error_set(err, EL_ERR_IO,
                            "%s: cannot create the output folder: its parent %s: %s", dir, parent,
                            strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return el_error_set(err, EL_ERR_IO,
                            "%s: cannot create the output folder: its parent %s is not a folder",
                            dir, parent);
    if (access(parent, W_OK | X_OK) != 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot create the output folder: %s", dir,
                            strerror(errno));
    return EL_OK;
}

/* Create the output folder if needed (mode 0777 less the umask, like mkdir(1)) and take its
 * lock, DIR/.etslink.lock, with flock(2): a second run into the same folder fails at once
 * rather than mixing its files with ours. The lock is held until the process ends. */
static el_status prepare_out_dir(const char *dir, ElError *err)
{
    char lock[4200];
    struct stat sb;
    int fd;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return el_error_set(err, EL_ERR_IO, "%s: cannot create the output folder: %s", dir,
                            strerror(errno));
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return el_error_set(err, EL_ERR_IO, "%s: exists and is not a folder", dir);
    snprintf(lock, sizeof(lock), "%s/.etslink.lock", dir);
    fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot create the lock file: %s", lock,
                            strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK || e == EAGAIN) {
            close(fd);
            return el_error_set(err, EL_ERR_IO,
                                "%s: another etslink run is writing to this folder (it holds "
                                "%s); wait for it to finish or choose another folder",
                                dir, lock);
        }
        fprintf(stderr,
                "etslink: warning: %s: cannot lock (%s); concurrent runs into %s are not "
                "detected\n",
                lock, strerror(e), dir);
    }
    return EL_OK; /* fd stays open: the lock lasts as long as the process */
}

/* The files a run owns in DIR, in the order they are written: the first OUT_DATA are written
 * together (solve_and_write; coalitions.csv only by a run with a coalition analysis,
 * uncertainty.csv by one with an uncertainty analysis, draws.csv by one with --draws-csv). */
enum {
    OUT_XML,
    OUT_CSV,
    OUT_COAL,
    OUT_UNC,
    OUT_DRAWS,
    OUT_TEX,
    OUT_DATA,
    OUT_PDF = OUT_DATA,
    OUT_LOG,
    OUT_COUNT
};
static const char *const out_names[OUT_COUNT] = {"results.xml",     "results.csv", "coalitions.csv",
                                                 "uncertainty.csv", "draws.csv",   "report.tex",
                                                 "report.pdf",      "report.log"};

typedef struct {
    char path[OUT_COUNT][4200];
    int written[OUT_COUNT]; /* by this run */
    int removed[OUT_COUNT]; /* an earlier run's file of that name was removed */
} OutSet;

/* Remove an earlier run's file of this name (a folder of that name is left alone). */
static void remove_stale(OutSet *o, int k)
{
    struct stat sb;
    if (lstat(o->path[k], &sb) == 0 && !S_ISDIR(sb.st_mode) && unlink(o->path[k]) == 0)
        o->removed[k] = 1;
}

/* What the solve prints and checks, collected as the designs arrive (a sink): the table printed
 * on stdout, for the first TABLE_ROWS designs, and the designs without an equilibrium, the
 * first KEEP_FAILED of them kept for the message of exit code 4. Memory does not grow with the
 * number of designs. */
#define TABLE_ROWS  100
#define KEEP_FAILED 8

typedef struct {
    const ElScenario *s;
    char *table; /* the rows, printed once the files are written */
    size_t table_len;
    FILE *mem;
    long rows, more;
    ElDesignResult failed[KEEP_FAILED]; /* copies; ids point to failed_id */
    char *failed_id[KEEP_FAILED];
    int nkept;
    long nfailed;
    int complete; /* every design was delivered */
    FILE *notes;  /* one line per analysis, printed after the table */
    char *notes_text;
    size_t notes_len;
    ElError search_fail; /* the first search without a feasible point (exit 4) */
    el_status search_st;
    bool periods;         /* a several-period run: the table has a year column */
    ElError periods_fail; /* the designs without an equilibrium over the horizon (exit 4) */
    el_status periods_st;
    long periods_nfailed;
} Console;

/* printf("%*.*f") without a negative zero: a value that rounds to 0 prints as 0. */
static void print_num(FILE *f, int width, int decimals, double v)
{
    char buf[64];
    const char *c;
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    for (c = buf[0] == '-' ? buf + 1 : buf; *c == '0' || *c == '.'; c++)
        ;
    fprintf(f, " %*s", width, (buf[0] == '-' && *c == '\0') ? buf + 1 : buf);
}

static el_status console_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    Console *con = ctx;
    int j;
    (void)count;
    con->s = s;
    con->mem = open_memstream(&con->table, &con->table_len);
    if (!con->mem)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (summary table)");
    fprintf(con->mem, "%-24s", "design");
    for (j = 0; j < s->njur; j++)
        fprintf(con->mem, " %12.12s", s->jur[j].id);
    fprintf(con->mem, " %14s\n", "total gain");
    return EL_OK;
}

static el_status console_result(void *ctx,
                                long index,
                                const ElBatchItem *item,
                                const ElDesignResult *r,
                                const ElDesignResult *baseline,
                                ElError *err)
{
    Console *con = ctx;
    int j;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    if (r->outcome != EL_OPTIMAL && con->nfailed++ < KEEP_FAILED) {
        ElDesignResult *k = &con->failed[con->nkept];
        el_status st = el_design_result_copy(k, r, err);
        if (st != EL_OK)
            return st;
        k->design = NULL; /* the design may be freed after the call: the id is copied */
        con->failed_id[con->nkept] = strdup(r->id);
        k->id = con->failed_id[con->nkept];
        if (!k->id) {
            el_design_result_clear(k);
            return el_error_set(err, EL_ERR_NOMEM, "out of memory");
        }
        con->nkept++;
    }
    if (con->rows >= TABLE_ROWS) {
        con->more++;
        return EL_OK;
    }
    con->rows++;
    fprintf(con->mem, "%-24.24s", r->id);
    if (r->outcome != EL_OPTIMAL) {
        fprintf(con->mem, " no equilibrium\n");
        return EL_OK;
    }
    for (j = 0; j < con->s->njur; j++)
        print_num(con->mem, 12, 4, r->jur[j].price);
    print_num(con->mem, 14, 4, r->gain);
    fprintf(con->mem, "\n");
    return EL_OK;
}

static el_status console_end(void *ctx, bool ok, ElError *err)
{
    Console *con = ctx;
    (void)err;
    con->complete = ok;
    return EL_OK;
}

static void console_free(Console *con)
{
    int k;
    if (con->notes)
        fclose(con->notes);
    free(con->notes_text);
    if (con->mem)
        fclose(con->mem);
    free(con->table);
    for (k = 0; k < con->nkept; k++) {
        el_design_result_clear(&con->failed[k]);
        free(con->failed_id[k]);
    }
    memset(con, 0, sizeof(*con));
}

/* The table of designs (unless !table: no design was solved), then the analyses' lines. */
static void console_print(Console *con, bool table)
{
    const ElScenario *s = con->s;
    fflush(con->mem);
    if (table)
        fwrite(con->table, 1, con->table_len, stdout);
    if (table && con->more > 0)
        printf("... and %ld more design%s (results.csv lists every design; report.tex ranks "
               "them)\n",
               con->more, con->more == 1 ? "" : "s");
    if (table && con->periods)
        printf("(prices in %s/t; present values in million %s of %d, discounted at %g%% a "
               "year)\n",
               s->currency, s->currency, s->periods.first, 100 * s->periods.rate);
    else if (table)
        printf("(prices in %s/t, gains in million %s)\n", s->currency, s->currency);
    else
        printf("(gains in million %s)\n", s->currency);
    if (con->notes) {
        fflush(con->notes);
        fwrite(con->notes_text, 1, con->notes_len, stdout);
    }
}

/* --only: is id selected? (everything without --only) */
static bool selected(const Args *a, const char *id)
{
    int k;
    if (a->nonly == 0)
        return true;
    for (k = 0; k < a->nonly; k++)
        if (strcmp(a->only[k], id) == 0)
            return true;
    return false;
}

/* Every --only names a design or an analysis of s. */
static el_status check_only(const Args *a, const ElScenario *s, ElError *err)
{
    int k;
    for (k = 0; k < a->nonly; k++)
        if (el_scenario_find_design(s, a->only[k]) < 0 &&
            !el_analyses_find(s->analyses, a->only[k]))
            return el_error_set(err, EL_ERR_USAGE,
                                "--only %.200s: %s has no design, sweep, search or sequence of "
                                "that id",
                                a->only[k], a->scenario);
    return EL_OK;
}

/* The designs --only selects, in file order. */
typedef struct {
    const ElScenario *s;
    int *idx;
    int n;
} Pick;

static el_status pick_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    const Pick *p = ctx;
    (void)err;
    out->design = p->s->designs[p->idx[i]];
    out->variation = NULL;
    return EL_OK;
}

static ElBatchOptions batch_options(const Args *a)
{
    ElBatchOptions opt = {a->threads, a->mpi != 0, 0};
    if (opt.threads <= 0) { /* every online core */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        opt.threads = n < 1 ? 1 : n > 256 ? 256 : (int)n;
    }
    return opt;
}

/* Under mpirun every rank runs the same batches in the same order. Errors inside a batch reach
 * every rank through el_batch_solve; an error rank 0 meets outside one (the output folder, a
 * file it cannot write) reaches them here: rank 0 passes its status, the others call this at
 * the same places and get it, and stop with it. Outside MPI it returns st. */
static el_status mpi_sync(const Args *a, el_status st, ElError *err)
{
    int code = (int)st;
    if (!a->mpi || !el_mpi_active())
        return st;
    if (el_mpi_bcast(&code, sizeof(code), err) != EL_OK)
        return st != EL_OK ? st : EL_ERR_INTERNAL;
    if (el_mpi_rank() > 0 && code != EL_OK)
        return el_error_set(err, (el_status)code, "rank 0 stopped");
    return st;
}

static el_status solve_designs(
    const Args *a, const ElScenario *s, const ElSink *const *sinks, int nsinks, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    Pick pick = {s, NULL, 0};
    ElProducer prod = el_producer_scenario(s);
    el_status st;
    int d;
    if (a->adhoc) { /* no design: the writers get their header and the baseline alone */
        prod = (ElProducer){&pick, 0, pick_item, NULL};
        return el_batch_solve(s, &prod, &opt, sinks, nsinks, err);
    }
    if (a->nonly == 0)
        return el_batch_solve(s, &prod, &opt, sinks, nsinks, err);
    pick.idx = malloc(sizeof(int) * (size_t)(s->ndesigns + 1));
    if (!pick.idx)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory");
    for (d = 0; d < s->ndesigns; d++)
        if (selected(a, s->designs[d]->id))
            pick.idx[pick.n++] = d;
    prod = (ElProducer){&pick, pick.n, pick_item, NULL};
    st = el_batch_solve(s, &prod, &opt, sinks, nsinks, err);
    free(pick.idx);
    return st;
}

/* ---- Analyses: progress on a terminal, a line each on stdout ---- */

typedef struct {
    const char *kind, *id;
    long total, done, failed;
    double t0, shown;
    bool tty;
} Progress;

static void progress_show(Progress *p, bool last)
{
    double now = el_clock_now(), rate;
    if (!p->tty || (!last && now - p->shown < 0.25))
        return;
    p->shown = now;
    if (last) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    rate = p->done / fmax(now - p->t0, 1e-9);
    if (p->total > 0)
        fprintf(stderr, "\r\033[K%s %s: %ld of %ld equilibria, %.0f/s, about %.0f s left", p->kind,
                p->id, p->done, p->total, rate, (p->total - p->done) / fmax(rate, 1e-9));
    else
        fprintf(stderr, "\r\033[K%s %s: %ld equilibria, %.0f/s", p->kind, p->id, p->done, rate);
    fflush(stderr);
}

static el_status progress_result(void *ctx,
                                 long index,
                                 const ElBatchItem *item,
                                 const ElDesignResult *r,
                                 const ElDesignResult *baseline,
                                 ElError *err)
{
    Progress *p = ctx;
    (void)item;
    (void)baseline;
    (void)err;
    if (index < 0)
        return EL_OK;
    p->done++;
    p->failed += r->outcome != EL_OPTIMAL;
    if ((p->done & 63) == 0)
        progress_show(p, false);
    return EL_OK;
}

static void progress_search(void *ctx, const char *id, long done, long total)
{
    Progress *p = ctx;
    (void)id;
    (void)total;
    p->done = done;
    progress_show(p, false);
}

/* The writers an analysis' results go to (NULL on MPI ranks other than 0: nothing is written);
 * coal (coalitions.csv) is NULL when no coalition analysis runs, unc (uncertainty.csv) when no
 * uncertainty analysis runs, draws (draws.csv) without --draws-csv. */
typedef struct {
    ElResultsWriter *xml, *csv, *coal, *unc, *draws;
    ElReportWriter *tex;
    Console *con;
} Writers;

static el_status
run_sweep(const Args *a, const ElScenario *s, const ElAnalysis *an, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    Progress pg = {"sweep", an->id, an->points, 0, 0, el_clock_now(), 0, false};
    ElSink sink[4];
    const ElSink *sinks[4] = {&sink[0], &sink[1], &sink[2], &sink[3]};
    el_status st;
    if (!w)
        return el_sweep_run(s, an, &opt, NULL, 0, err);
    pg.tty = !a->quiet && isatty(2);
    sink[0] = el_results_writer_sweep_sink(w->xml, an);
    sink[1] = el_results_writer_sweep_sink(w->csv, an);
    sink[2] = el_report_writer_sweep_sink(w->tex, an);
    sink[3] = (ElSink){&pg, NULL, progress_result, NULL, NULL};
    st = el_sweep_run(s, an, &opt, sinks, 4, err);
    progress_show(&pg, true);
    if (st == EL_OK)
        fprintf(w->con->notes, "sweep %s: %ld points%s", an->id, pg.done,
                pg.failed ? "" : ", each with an equilibrium\n");
    if (st == EL_OK && pg.failed)
        fprintf(w->con->notes, ", %ld without an equilibrium (marked in the results)\n", pg.failed);
    return st;
}

static el_status
run_search(const Args *a, const ElScenario *s, const ElAnalysis *an, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    Progress pg = {"search", an->id, -1, 0, 0, el_clock_now(), 0, false};
    ElSearchResult res;
    el_status st;
    char what[200], pt[300];
    pg.tty = w && !a->quiet && isatty(2);
    st = el_search_run(s, an, &opt, pg.tty ? progress_search : NULL, &pg, &res, err);
    progress_show(&pg, true);
    if (st == EL_OK && w) {
        st = el_results_writer_search(w->xml, &res, err);
        if (st == EL_OK)
            st = el_results_writer_search(w->csv, &res, err);
        if (st == EL_OK)
            st = el_report_writer_search(w->tex, &res, err);
    }
    if (st == EL_OK && w) {
        FILE *f = w->con->notes;
        el_criterion_text(s, &an->objective[0], what, sizeof(what));
        el_point_text(an, res.best.values, pt, sizeof(pt));
        fprintf(f, "search %s: %s", an->id, pt);
        if (res.found) {
            fprintf(f, ": %s = %.6g (%ld equilibria)\n", what, res.best.obj[0], res.evaluations);
        } else {
            fprintf(f, ": no feasible point\n");
            if (w->con->search_st == EL_OK) {
                char req[200], miss[1024];
                if (res.best.ok && res.best.worst >= 0) {
                    const ElCriterion *c = &an->require[res.best.worst];
                    el_criterion_text(s, c, req, sizeof(req));
                    snprintf(miss, sizeof(miss),
                             "every point misses a requirement; the closest, at %s, misses "
                             "'%s %s %.10g' by %.6g",
                             pt, req, c->at_most ? "at-most" : "at-least", c->bound,
                             -res.best.margin);
                } else {
                    snprintf(miss, sizeof(miss),
                             "no point has an equilibrium (the first tried: %s)", pt);
                }
                w->con->search_st = el_error_set(&w->con->search_fail, EL_ERR_NO_EQUILIBRIUM,
                                                 "%s:%d: search '%s' has no feasible point: %s",
                                                 s->path, an->line, an->id, miss);
            }
        }
    }
    el_search_result_clear(&res);
    return st;
}

static el_status
run_sequence(const Args *a, const ElScenario *s, const ElAnalysis *an, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    ElSequenceResult res;
    el_status st = el_sequence_run(s, an, &opt, &res, err);
    int k, j;
    if (st == EL_OK && w) {
        st = el_results_writer_sequence(w->xml, &res, err);
        if (st == EL_OK)
            st = el_results_writer_sequence(w->csv, &res, err);
        if (st == EL_OK)
            st = el_report_writer_sequence(w->tex, &res, err);
    }
    if (st == EL_OK && w) {
        FILE *f = w->con->notes;
        fprintf(f, "sequence %s: %s\n", an->id,
                res.all_pareto ? "every step is a Pareto improvement"
                               : "not every step is a Pareto improvement");
        for (k = 0; k < res.nsteps; k++) {
            const ElSequenceStep *p = &res.steps[k];
            int nl = 0;
            if (p->pareto)
                continue;
            fprintf(f, "  step %d (%s):", k + 1, p->result.id);
            if (p->result.outcome != EL_OPTIMAL)
                fprintf(f, " no equilibrium");
            for (j = 0; p->result.outcome == EL_OPTIMAL && j < s->njur; j++)
                if (p->delta[j] < 0 && !isnan(p->delta[j]) && nl++ < 8)
                    fprintf(f, " %s loses %.4g", s->jur[j].id, -p->delta[j]);
            fprintf(f, "\n");
        }
    }
    el_sequence_result_clear(&res);
    return st;
}

static el_status
run_coalitions(const Args *a, const ElScenario *s, const ElAnalysis *an, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    ElCoalitionResult res;
    el_status st =
        el_coalitions_run(s, an->designs, an->nsteps, an->rules >= 0 ? s->designs[an->rules] : NULL,
                          NULL, &opt, &res, err);
    if (st == EL_OK && w) { /* rank 0 */
        const ElGame *g = &res.game;
        st = el_results_writer_coalitions(w->xml, an, &res, err);
        if (st == EL_OK)
            st = el_results_writer_coalitions(w->csv, an, &res, err);
        if (st == EL_OK && w->coal)
            st = el_results_writer_coalitions(w->coal, an, &res, err);
        if (st == EL_OK)
            st = el_report_writer_coalitions(w->tex, an, &res, err);
        if (st == EL_OK)
            fprintf(w->con->notes,
                    "coalitions %s: %d members, %ld coalitions; %ssuperadditive; the core is "
                    "%s; the market gains are %sin it\n",
                    an->id, g->n, g->evaluations, g->superadditive ? "" : "not ",
                    res.core.empty ? "empty" : "not empty", res.core.market_in_core ? "" : "not ");
    }
    el_coalition_result_clear(&res);
    return st;
}

/* What an uncertainty analysis' draws go to as they arrive: draws.csv, the progress line. */
typedef struct {
    ElResultsWriter *draws; /* NULL: no draws.csv */
    Progress *pg;
} DrawTap;

static el_status draw_tap(void *ctx, long draw, int d, const ElDesignResult *r, ElError *err)
{
    DrawTap *t = ctx;
    Progress *p = t->pg;
    if (p->tty && (++p->done & 255) == 0)
        progress_show(p, false);
    return t->draws ? el_results_draw_sink(t->draws, draw, d, r, err) : EL_OK;
}

/* An uncertainty analysis (engine/uncertainty.h): every rank runs the draws; rank 0 writes the
 * summary to results.xml, results.csv and uncertainty.csv, the draws to draws.csv as they come
 * (--draws-csv), and a line per design on stdout. */
static el_status
run_uncertainty(const Args *a, const ElScenario *s, const ElAnalysis *an, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    Progress pg = {"uncertainty", an->id, 0, 0, 0, el_clock_now(), 0, false};
    DrawTap tap = {w ? w->draws : NULL, &pg};
    ElUncertaintyResult res;
    el_status st = EL_OK;
    int d;
    pg.tty = w && !a->quiet && isatty(2);
    pg.total = an->unc ? el_uncertainty_draws(s, an->unc) * (an->nsteps + 1) : 0;
    if (tap.draws)
        st = el_results_writer_draws_begin(tap.draws, an, err);
    if (st == EL_OK)
        st =
            el_uncertainty_run(s, an, &opt, tap.draws || pg.tty ? draw_tap : NULL, &tap, &res, err);
    else
        memset(&res, 0, sizeof(res));
    progress_show(&pg, true);
    if (st == EL_OK && w) { /* rank 0 */
        st = el_results_writer_uncertainty(w->xml, &res, err);
        if (st == EL_OK)
            st = el_results_writer_uncertainty(w->csv, &res, err);
        if (st == EL_OK && w->unc)
            st = el_results_writer_uncertainty(w->unc, &res, err);
        if (st == EL_OK)
            st = el_report_writer_uncertainty(w->tex, &res, err);
    }
    if (st == EL_OK && w) {
        FILE *f = w->con->notes;
        fprintf(f,
                "uncertainty %s: %ld draws, %ld invalid, %ld without an equilibrium in autarky, "
                "%.2f s\n",
                an->id, res.draws, res.invalid, res.no_autarky, res.seconds);
        for (d = 1; d <= res.nd; d++) {
            double mean = res.total[d].mean, effort = res.effort_total[d];
            fprintf(f, "  %s: ", s->designs[an->designs[d - 1]]->id);
            if (res.used[d] == 0)
                fprintf(f, "no draw with an equilibrium");
            else if (isnan(effort)) /* the design has no equilibrium without shocks */
                fprintf(f,
                        "expected total gain %.6g (se %.2g); no split into effort and risk "
                        "sharing (no equilibrium without shocks)",
                        mean, res.total[d].se);
            else
                fprintf(f,
                        "expected total gain %.6g (se %.2g); effort sharing %.6g, risk sharing "
                        "%.6g",
                        mean, res.total[d].se, effort, mean - effort);
            if (res.no_eq[d] > 0)
                fprintf(f, "; %ld draws without an equilibrium", res.no_eq[d]);
            fprintf(f, "\n");
        }
    }
    el_uncertainty_result_clear(&res);
    return st;
}

/* Every selected analysis, in file order, or the ad hoc one alone (every MPI rank runs the
 * same ones). */
static el_status run_analyses(const Args *a, const ElScenario *s, Writers *w, ElError *err)
{
    const ElAnalyses *x = s->analyses;
    el_status st = EL_OK;
    int i;
    if (w && !w->con->notes) {
        w->con->notes = open_memstream(&w->con->notes_text, &w->con->notes_len);
        if (!w->con->notes)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory");
    }
    if (a->adhoc)
        return mpi_sync(a, run_coalitions(a, s, a->adhoc, w, err), err);
    for (i = 0; x && st == EL_OK && i < x->nanalyses; i++) {
        const ElAnalysis *an = x->analyses[i];
        if (!selected(a, an->id))
            continue;
        if (an->kind == EL_ANALYSIS_SWEEP)
            st = run_sweep(a, s, an, w, err);
        else if (an->kind == EL_ANALYSIS_SEARCH)
            st = run_search(a, s, an, w, err);
        else if (an->kind == EL_ANALYSIS_COALITIONS)
            st = run_coalitions(a, s, an, w, err);
        else if (an->kind == EL_ANALYSIS_UNCERTAINTY)
            st = run_uncertainty(a, s, an, w, err);
        else if (an->kind == EL_ANALYSIS_SEQUENCE)
            st = run_sequence(a, s, an, w, err);
        else
            st = el_error_set(err, EL_ERR_INTERNAL, "analysis '%s' of an unknown kind", an->id);
        st = mpi_sync(a, st, err); /* rank 0 may fail writing what the others never see */
    }
    return st;
}

/* Does the run include an analysis of this kind (and so write coalitions.csv, uncertainty.csv)? */
static bool runs_kind(const Args *a, const ElScenario *s, ElAnalysisKind kind)
{
    const ElAnalyses *x = s->analyses;
    int i;
    if (a->adhoc)
        return kind == EL_ANALYSIS_COALITIONS;
    for (i = 0; x && i < x->nanalyses; i++)
        if (x->analyses[i]->kind == kind && selected(a, x->analyses[i]->id))
            return true;
    return false;
}

/* ---- Several periods (docs/model.md §10) ---- */

static const char *const analysis_tag[] = {"sweep", "search", "sequence", "coalitions",
                                           "uncertainty"};

/* What a several-period run can do: solve its designs. Analyses (and so `etslink coalitions`)
 * and joint projects are not modelled over several periods yet: refused with exit 3 before
 * anything is solved or written. all: every analysis of the file (validate), else those the
 * run selects (--only). */
static el_status check_periods(const Args *a, const ElScenario *s, bool all, ElError *err)
{
    const ElAnalyses *x = s->analyses;
    int i;
    if (!s->periods.on)
        return EL_OK;
    if (a->adhoc)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: <periods>: coalition analyses are not supported over several "
                            "periods yet; run 'etslink coalitions' on a one-period scenario",
                            s->path, s->periods.line);
    for (i = 0; x && i < x->nanalyses; i++) {
        const ElAnalysis *an = x->analyses[i];
        if (!all && !selected(a, an->id))
            continue;
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: <%s id=\"%s\">: analyses (sweeps, searches, sequences, "
                            "coalitions, uncertainty) are not supported with <periods> yet; "
                            "solve the designs alone (--only ID) or analyse one year without "
                            "<periods>",
                            s->path, an->line, analysis_tag[an->kind], an->id);
    }
    for (i = 0; i < s->ndesigns; i++)
        if (s->designs[i]->nprojects > 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': joint projects are not modelled over several "
                                "periods yet",
                                s->path, s->designs[i]->line, s->designs[i]->id);
    return EL_OK;
}

/* A window of designs solved on the threads: each el_multi_solve is independent given the
 * baseline; worker threads take the next design until none is left. */
typedef struct {
    const ElScenario *s;
    const ElMultiResult *base;
    const ElDesign **designs;
    ElMultiResult *res;
    el_status *st;
    ElError *err;
    int n, next;
    pthread_mutex_t mu;
} MultiWork;

static void *multi_worker(void *arg)
{
    MultiWork *w = arg;
    for (;;) {
        int i;
        pthread_mutex_lock(&w->mu);
        i = w->next++;
        pthread_mutex_unlock(&w->mu);
        if (i >= w->n)
            return NULL;
        w->err[i] = (ElError){EL_OK, ""};
        w->st[i] = el_multi_solve(w->s, w->designs[i], w->base, &w->res[i], &w->err[i]);
    }
}

/* Solve the n designs of w on up to `threads` threads (the caller's included). */
static void multi_solve_window(MultiWork *w, int threads)
{
    pthread_t tid[256];
    int t, started = 0;
    w->next = 0;
    for (t = 1; t < threads && t < w->n; t++, started++)
        if (pthread_create(&tid[started], NULL, multi_worker, w) != 0)
            break; /* the caller's thread does the rest */
    multi_worker(w);
    for (t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* The summary table's rows of a design: the prices of its first and last year, and the
 * present value of its total gain on the first row. */
static void console_multi(Console *con, const char *id, const ElMultiResult *r)
{
    const ElScenario *s = con->s;
    int k, j, T = r->nperiods;
    if (r->outcome != EL_OPTIMAL) {
        fprintf(con->mem, "%-24.24s no equilibrium over %d-%d\n", id, r->first, r->first + T - 1);
        return;
    }
    for (k = 0; k < (T > 1 ? 2 : 1); k++) {
        const ElDesignResult *y = &r->year[k ? T - 1 : 0];
        fprintf(con->mem, "%-24.24s %6d", k ? "" : id, r->first + (k ? T - 1 : 0));
        for (j = 0; j < s->njur; j++)
            print_num(con->mem, 12, 4, y->jur[j].price);
        if (!k)
            print_num(con->mem, 14, 4, r->pv_total_gain);
        fprintf(con->mem, "\n");
    }
}

/* A design without an equilibrium over the horizon, added to the exit-4 message. */
static void note_multi_failure(Console *con, const char *id)
{
    const ElScenario *s = con->s;
    char *msg = con->periods_fail.msg;
    size_t size = sizeof(con->periods_fail.msg), used = strlen(msg);
    if (con->periods_nfailed++ == 0)
        used = (size_t)snprintf(msg, size, "%.200s: ", s->path);
    if (used + 160 >= size) { /* no room for the note below: say that more follow, once */
        if (!strstr(msg, "; and more"))
            snprintf(msg + used, size - used, "; and more");
        return;
    }
    snprintf(msg + used, size - used,
             "%sdesign '%s' has no equilibrium over %d-%d: the caps cannot be met in every year "
             "even with the banking and borrowing allowed",
             con->periods_nfailed > 1 ? "; " : "", id, s->periods.first, s->periods.last);
    con->periods_fail.code = EL_ERR_NO_EQUILIBRIUM;
    con->periods_st = EL_ERR_NO_EQUILIBRIUM;
}

/* Every selected design of a several-period scenario and the baseline, with el_multi_solve, on
 * the threads in windows of designs; results.xml, results.csv and the table get each design in
 * file order as its window completes, so memory holds one window. The report shows each
 * design's first year in its tables, and the years in a section of their own
 * (el_report_writer_periods). Under MPI rank 0 alone solves. */
static el_status solve_periods(const Args *a, const ElScenario *s, Writers *w, ElError *err)
{
    ElBatchOptions opt = batch_options(a);
    ElSink sk[3];
    ElMultiResult base;
    MultiWork mw;
    Console *con = w->con;
    const ElDesign **picked = NULL;
    int window = opt.threads * 4, npicked = 0, d, k, j, started = 0;
    bool mutex = false;
    el_status st = EL_OK;
    memset(&base, 0, sizeof(base));
    memset(&mw, 0, sizeof(mw));
    con->s = s;
    con->periods = true;
    con->mem = open_memstream(&con->table, &con->table_len);
    picked = el_calloc((size_t)s->ndesigns + 1, sizeof(*picked));
    mw.res = el_calloc((size_t)window, sizeof(*mw.res));
    mw.st = el_calloc((size_t)window, sizeof(*mw.st));
    mw.err = el_calloc((size_t)window, sizeof(*mw.err));
    if (!con->mem || !picked || !mw.res || !mw.st || !mw.err) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (several periods)");
        goto out;
    }
    mutex = pthread_mutex_init(&mw.mu, NULL) == 0;
    if (!mutex) {
        st = el_error_set(err, EL_ERR_INTERNAL, "cannot create a mutex");
        goto out;
    }
    fprintf(con->mem, "%-24s %6s", "design", "year");
    for (j = 0; j < s->njur; j++)
        fprintf(con->mem, " %12.12s", s->jur[j].id);
    fprintf(con->mem, " %14s\n", "PV total gain");
    for (d = 0; d < s->ndesigns; d++)
        if (selected(a, s->designs[d]->id))
            picked[npicked++] = s->designs[d];
    el_results_writer_set_periods(w->xml);
    el_results_writer_set_periods(w->csv);
    sk[0] = el_results_writer_sink(w->xml);
    sk[1] = el_results_writer_sink(w->csv);
    sk[2] = el_report_writer_sink(w->tex);
    for (k = 0; k < 3 && st == EL_OK; k++, started++)
        st = sk[k].begin(sk[k].ctx, s, npicked, err);
    if (st == EL_OK)
        st = el_multi_solve(s, NULL, NULL, &base, err);
    if (st == EL_OK && base.outcome != EL_OPTIMAL)
        st = el_error_set(
            err, EL_ERR_NO_EQUILIBRIUM,
            "%s: design 'autarky' has no equilibrium over %d-%d%s%s%s: the caps "
            "cannot be met in every year even with the banking and borrowing "
            "allowed",
            s->path, s->periods.first, s->periods.last, base.outcome == EL_INFEASIBLE ? "" : " (",
            base.outcome == EL_INFEASIBLE ? "" : el_results_outcome_name(base.outcome),
            base.outcome == EL_INFEASIBLE ? "" : ")");
    if (st == EL_OK)
        st = sk[2].result(sk[2].ctx, -1, NULL, &base.year[0], NULL, err);
    if (st == EL_OK)
        st = el_report_writer_periods(w->tex, s, NULL, &base, err);
    mw.s = s;
    mw.base = &base;
    for (d = 0; d < npicked && st == EL_OK; d += mw.n) {
        mw.designs = picked + d;
        mw.n = npicked - d < window ? npicked - d : window;
        multi_solve_window(&mw, opt.threads);
        for (k = 0; k < mw.n && st == EL_OK; k++) {
            const ElMultiResult *r = &mw.res[k];
            const char *id = picked[d + k]->id;
            st = mw.st[k];
            if (st != EL_OK) {
                *err = mw.err[k];
                break;
            }
            st = el_results_writer_multi(w->xml, id, r, err);
            if (st == EL_OK)
                st = el_results_writer_multi(w->csv, id, r, err);
            if (st == EL_OK)
                st = el_report_writer_periods(w->tex, s, picked[d + k], r, err);
            if (st == EL_OK && r->outcome == EL_OPTIMAL) { /* the first year, so labelled */
                ElDesignResult y = r->year[0];
                char label[300];
                snprintf(label, sizeof(label), "%s (%d)", id, r->first);
                y.id = label;
                st = sk[2].result(sk[2].ctx, d + k, NULL, &y, &base.year[0], err);
            }
            if (st == EL_OK && con->rows++ < TABLE_ROWS)
                console_multi(con, id, r);
            else if (st == EL_OK)
                con->more++;
            if (r->outcome != EL_OPTIMAL)
                note_multi_failure(con, id);
        }
        for (k = 0; k < mw.n; k++)
            el_multi_result_clear(&mw.res[k]);
    }
    for (k = 0; k < started; k++) {
        el_status e = sk[k].end(sk[k].ctx, st == EL_OK, err);
        if (st == EL_OK)
            st = e;
    }
out:
    if (mutex)
        pthread_mutex_destroy(&mw.mu);
    el_multi_result_clear(&base);
    el_free(picked);
    el_free(mw.res);
    el_free(mw.st);
    el_free(mw.err);
    return st;
}

/* Solve every design and write results.xml, results.csv and report.tex as the designs arrive
 * (sinks: each writes to its temporary file; memory does not grow with the number of designs),
 * then the analyses, and coalitions.csv when a coalition analysis runs. All the files are
 * completed and fsync'ed first; only then are they renamed, one after the other with signals
 * blocked. So a failure while solving or writing leaves the earlier run's files untouched, and
 * from the first rename on the folder holds this run's files only: every name this run could not
 * write or did not write (coalitions.csv without a coalition analysis), and report.pdf and
 * report.log of an earlier run, are removed. The test-only variable
 * ETSLINK_TEST_PAUSE_BEFORE_COMMIT=SECONDS waits after each temporary file (docs/cli.md). */
static el_status
solve_and_write(const Args *a, const ElScenario *s, OutSet *o, Console *con, ElError *err)
{
    const char *pause = getenv("ETSLINK_TEST_PAUSE_BEFORE_COMMIT");
    ElOutFile *of[OUT_DATA] = {NULL};
    ElResultsWriter *xml = NULL, *csv = NULL, *coal = NULL, *unc = NULL, *draws = NULL;
    ElReportWriter *tex = NULL;
    ElSink sink[4];
    const ElSink *sinks[4] = {&sink[0], &sink[1], &sink[2], &sink[3]};
    el_status st = EL_OK;
    bool want_coal = runs_kind(a, s, EL_ANALYSIS_COALITIONS);
    bool want_unc = runs_kind(a, s, EL_ANALYSIS_UNCERTAINTY);
    sigset_t old;
    int k;
    for (k = 0; k < OUT_DATA && st == EL_OK; k++)
        if ((k != OUT_COAL || want_coal) && (k != OUT_UNC || want_unc) &&
            (k != OUT_DRAWS || a->draws_csv))
            st = el_outfile_open(&of[k], o->path[k], err);
    if (st == EL_OK)
        st = el_results_writer_create(&xml, EL_RESULTS_XML, el_outfile_stream(of[OUT_XML]),
                                      o->path[OUT_XML], err);
    if (st == EL_OK)
        st = el_results_writer_create(&csv, EL_RESULTS_CSV, el_outfile_stream(of[OUT_CSV]),
                                      o->path[OUT_CSV], err);
    if (st == EL_OK && want_coal)
        st = el_results_writer_create_coalitions(&coal, el_outfile_stream(of[OUT_COAL]),
                                                 o->path[OUT_COAL], s, err);
    if (st == EL_OK && want_unc)
        st = el_results_writer_create_uncertainty(&unc, el_outfile_stream(of[OUT_UNC]),
                                                  o->path[OUT_UNC], s, err);
    if (st == EL_OK && a->draws_csv)
        st = el_results_writer_create_draws(&draws, el_outfile_stream(of[OUT_DRAWS]),
                                            o->path[OUT_DRAWS], s, err);
    if (st == EL_OK)
        st = el_report_writer_create(&tex, el_outfile_stream(of[OUT_TEX]), err);
    st = mpi_sync(a, st, err); /* the other ranks start (or stop) with rank 0 */
    if (st == EL_OK) {
        ElSink c = {con, console_begin, console_result, console_end, NULL};
        Writers w = {xml, csv, coal, unc, draws, tex, con};
        el_results_writer_hold(xml);
        el_results_writer_hold(csv);
        el_report_writer_hold(tex);
        sink[0] = el_results_writer_sink(xml);
        sink[1] = el_results_writer_sink(csv);
        sink[2] = el_report_writer_sink(tex);
        sink[3] = c;
        if (s->periods.on) { /* no analysis runs (check_periods) */
            st = solve_periods(a, s, &w, err);
        } else {
            st = solve_designs(a, s, sinks, 4, err);
            if (st == EL_OK)
                st = run_analyses(a, s, &w, err);
        }
        if (st == EL_OK)
            st = el_results_writer_close(xml, err);
        if (st == EL_OK)
            st = el_results_writer_close(csv, err);
        if (st == EL_OK && coal)
            st = el_results_writer_close(coal, err);
        if (st == EL_OK && unc)
            st = el_results_writer_close(unc, err);
        if (st == EL_OK && draws)
            st = el_results_writer_close(draws, err);
        if (st == EL_OK)
            st = el_report_writer_close(tex, err);
    }
    el_results_writer_free(xml);
    el_results_writer_free(csv);
    el_results_writer_free(coal);
    el_results_writer_free(unc);
    el_results_writer_free(draws);
    el_report_writer_free(tex);
    for (k = 0; k < OUT_DATA && st == EL_OK; k++) {
        if (!of[k])
            continue;
        st = el_outfile_finish(of[k], err);
        if (st == EL_OK && pause)
            sleep((unsigned)atoi(pause));
    }
    if (st != EL_OK) {
        for (k = 0; k < OUT_DATA; k++)
            el_outfile_abort(of[k]);
        return st;
    }
    el_io_signals_block(&old);
    st = el_outfile_commit_set(of, OUT_DATA, o->written, err); /* one data sync, one folder sync */
    /* from the first rename on no earlier file is left; when nothing was renamed (a failed
     * sync), the earlier set stays whole */
    for (k = 0; k < OUT_DATA && !o->written[k]; k++)
        ;
    if (k < OUT_DATA) {
        for (k = 0; k < OUT_DATA; k++)
            if (!o->written[k])
                remove_stale(o, k);
        remove_stale(o, OUT_PDF);
        remove_stale(o, OUT_LOG);
    }
    el_io_signals_restore(&old);
    return st;
}

/* "A, B and C" of the files written (or not written). */
static void list_files(const OutSet *o, int written, char *buf, size_t size)
{
    int k, n = 0, total = 0;
    size_t len = 0;
    buf[0] = '\0';
    for (k = 0; k < OUT_COUNT; k++)
        total += o->written[k] == written && (written || k != OUT_LOG);
    for (k = 0; k < OUT_COUNT && len < size; k++) {
        if (o->written[k] != written || (!written && k == OUT_LOG))
            continue;
        n++;
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                n == 1       ? ""
                                : n == total ? " and "
                                             : ", ",
                                o->path[k]);
    }
}

/* `etslink coalitions`: the ad hoc coalition analysis (id "ad-hoc") of --members (default:
 * every jurisdiction) with the rules of --design, checked as <coalitions> is (inputs/load.c). */
static el_status adhoc_analysis(const Args *a, const ElScenario *s, ElAnalysis **out, ElError *err)
{
    ElAnalysis *an = el_calloc(1, sizeof(*an));
    char *list = NULL, *tok, *save = NULL;
    el_status st = EL_OK;
    int k;
    *out = NULL;
    if (!an)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory");
    an->kind = EL_ANALYSIS_COALITIONS;
    an->rules = -1;
    an->id = el_strdup("ad-hoc");
    an->designs = el_calloc((size_t)s->njur + 1, sizeof(int));
    list = a->members ? el_strdup(a->members) : NULL;
    if (!an->id || !an->designs || (a->members && !list))
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK && a->design) {
        an->rules = el_scenario_find_design(s, a->design);
        if (an->rules < 0 && el_analyses_find_template(s->analyses, a->design))
            st = el_error_set(err, EL_ERR_INPUT,
                              "--design %s: a template; the rules must be a design without "
                              "parameters",
                              a->design);
        else if (an->rules < 0)
            st = el_error_set(err, EL_ERR_INPUT, "--design %s: %s has no design of that id",
                              a->design, a->scenario);
    }
    if (st == EL_OK && !a->members) /* tax regimes cannot join a group */
        for (k = 0; k < s->njur; k++)
            if (s->jur[k].cap_kind != EL_CAP_TAX)
                an->designs[an->nsteps++] = k;
    for (tok = st == EL_OK && list ? strtok_r(list, " ,\t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " ,\t\r\n", &save)) {
        int j = el_scenario_find(s, tok);
        if (j < 0) {
            st = el_error_set(err, EL_ERR_INPUT, "--members: '%s' is not a jurisdiction of %s", tok,
                              a->scenario);
            break;
        }
        if (s->jur[j].cap_kind == EL_CAP_TAX) {
            st = el_error_set(err, EL_ERR_INPUT,
                              "--members: '%s' is a tax regime, which cannot be linked in a group",
                              tok);
            break;
        }
        for (k = 0; k < an->nsteps; k++)
            if (an->designs[k] == j)
                st = el_error_set(err, EL_ERR_INPUT, "--members: '%s' is listed twice", tok);
        if (st == EL_OK)
            an->designs[an->nsteps++] = j;
    }
    if (st == EL_OK && (an->nsteps < 2 || an->nsteps > EL_COALITION_MEMBERS_MAX))
        st = el_error_set(err, EL_ERR_INPUT,
                          a->members ? "--members: %d member(s); a coalition game needs 2 to %d"
                                     : "%d jurisdiction(s) in the scenario; a coalition game needs "
                                       "2 to %d: name them with --members",
                          an->nsteps, EL_COALITION_MEMBERS_MAX);
    el_free(list);
    if (st != EL_OK)
        el_analysis_free(an);
    else
        *out = an;
    return st;
}

/* Load the scenario and check what the command runs: --only's ids and the analyses' sizes
 * (solve), or the ad hoc analysis (coalitions: *adhoc, owned by the caller). */
static el_status prepare(const Args *a, ElScenario **s, ElAnalysis **adhoc, ElError *err)
{
    el_status st = load(a, s, err);
    *adhoc = NULL;
    if (st == EL_OK && strcmp(a->cmd, "coalitions") == 0)
        st = adhoc_analysis(a, *s, adhoc, err);
    else if (st == EL_OK)
        st = check_only(a, *s, err);
    if (st == EL_OK && !*adhoc)
        st = el_analyses_check_limits(*s, err);
    if (st == EL_OK) {
        Args with = *a; /* the ad hoc analysis, if any, is refused over several periods */
        with.adhoc = *adhoc;
        st = check_periods(&with, *s, false, err);
    }
    if (st == EL_OK && a->draws_csv && !runs_kind(a, *s, EL_ANALYSIS_UNCERTAINTY))
        st = el_error_set(err, EL_ERR_USAGE, "--draws-csv: %s runs no <uncertainty> analysis%s",
                          a->scenario, a->nonly > 0 ? " of those --only selects" : "");
    return st;
}

/* Under mpirun, ranks other than 0 solve their share of the designs and send it to rank 0,
 * which writes every output; they write nothing and leave error messages to rank 0. */
static int solve_on_worker_rank(const Args *args)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    ElAnalysis *adhoc = NULL;
    Args run = *args, *a = &run;
    el_status st = prepare(args, &s, &adhoc, &err);
    run.adhoc = adhoc;
    st = mpi_sync(a, st, &err); /* go on only if rank 0 got as far */
    if (st == EL_OK && s->periods.on) {
        /* rank 0 solves every design (solve_periods) */
        el_analysis_free(adhoc);
        el_scenario_free(s);
        return 0;
    }
    if (st == EL_OK)
        st = solve_designs(a, s, NULL, 0, &err);
    if (st == EL_OK)
        st = run_analyses(a, s, NULL, &err);
    el_analysis_free(adhoc);
    el_scenario_free(s);
    return st == EL_OK ? 0 : el_status_exit_code(st);
}

/* solve, and coalitions (the ad hoc analysis alone, through the same output set). */
static int cmd_solve(const Args *args)
{
    ElError err = {EL_OK, ""}, check = {EL_OK, ""};
    ElScenario *s = NULL;
    ElAnalysis *adhoc = NULL;
    Args run = *args, *a = &run;
    Console con;
    OutSet o;
    char list[OUT_COUNT * 4300];
    el_status st, eq = EL_OK;
    int k;
    if (!a->out)
        return usage_error(strcmp(a->cmd, "solve") == 0 ? "solve needs -o DIR"
                                                        : "coalitions needs -o DIR");
    if (strcmp(a->cmd, "coalitions") == 0 && a->nonly > 0)
        return usage_error("--only is for solve: coalitions runs one analysis");
    if (strcmp(a->cmd, "solve") == 0 && a->members)
        return usage_error("--members is for coalitions");
    if (strcmp(a->cmd, "coalitions") == 0 && a->draws_csv)
        return usage_error("--draws-csv is for solve: coalitions runs no <uncertainty> analysis");
    if (el_mpi_active() && el_mpi_rank() > 0)
        return solve_on_worker_rank(a);
    memset(&o, 0, sizeof(o));
    memset(&con, 0, sizeof(con));
    for (k = 0; k < OUT_COUNT; k++)
        snprintf(o.path[k], sizeof(o.path[k]), "%s/%s", a->out, out_names[k]);
    st = check_out_dir(a->out, &err);
    if (st == EL_OK)
        st = prepare(a, &s, &adhoc, &err);
    run.adhoc = adhoc;
    if (st == EL_OK)
        st = prepare_out_dir(a->out, &err);
    if (st == EL_OK) {
        st = solve_and_write(a, s, &o, &con, &err);
    } else {
        ElError ignored;
        mpi_sync(a, st, &ignored); /* the other ranks wait for it: they stop */
    }
    if (con.complete) /* a design without an equilibrium: exit 4 below */
        eq = el_failed_check(s, con.failed, con.nkept, con.nfailed, &check);
    if (st == EL_OK && eq == EL_OK && con.periods_st != EL_OK) { /* no equilibrium over time */
        eq = con.periods_st;
        check = con.periods_fail;
    }
    if (st == EL_OK && eq == EL_OK && con.search_st != EL_OK) { /* no feasible point: exit 4 */
        eq = con.search_st;
        check = con.search_fail;
    } else if (st == EL_OK && con.search_st != EL_OK) {
        fprintf(stderr, "etslink: %s\n", con.search_fail.msg);
    }
    if (st == EL_OK && !a->quiet) {
        console_print(&con, !a->adhoc);
        list_files(&o, 1, list, sizeof(list));
        printf("wrote %s\n", list);
    }
    if (st == EL_OK && a->no_pdf) {
        if (o.removed[OUT_PDF])
            fprintf(stderr, "etslink: --no-pdf: removed %s of an earlier run\n", o.path[OUT_PDF]);
    } else if (st == EL_OK && !el_report_pdf_available()) {
        fprintf(stderr,
                "etslink: warning: report.pdf not made: lualatex is not installed (apt-get "
                "install %s)%s%s\n",
                TEX_PACKAGES, o.removed[OUT_PDF] ? "; removed " : "",
                o.removed[OUT_PDF] ? o.path[OUT_PDF] : "");
    } else if (st == EL_OK) {
        if (!a->quiet) /* lualatex takes seconds to minutes: say what the wait is */
            fprintf(stderr,
                    "etslink: making %s with lualatex (2 passes, each stopped after %d s)\n",
                    o.path[OUT_PDF], PDF_TIMEOUT_S);
        st = el_report_compile_pdf(o.path[OUT_TEX], o.path[OUT_PDF], PDF_TIMEOUT_S, &err);
        if (st == EL_OK) {
            o.written[OUT_PDF] = 1;
            if (!a->quiet)
                printf("wrote %s\n", o.path[OUT_PDF]);
        } else if (access(o.path[OUT_LOG], F_OK) == 0) {
            o.written[OUT_LOG] = 1;
        }
    }
    for (k = 0; k < OUT_DATA && !o.written[k]; k++)
        ;
    if (st != EL_OK && k < OUT_DATA) {
        list_files(&o, 1, list, sizeof(list));
        fprintf(stderr, "etslink: wrote %s\n", list);
        list_files(&o, 0, list, sizeof(list));
        fprintf(stderr,
                "etslink: not written (no file of an earlier run is left under these "
                "names): %s\n",
                list);
    }
    if (st != EL_OK && eq != EL_OK)
        fprintf(stderr, "etslink: %s\n", check.msg);
    console_free(&con);
    el_analysis_free(adhoc);
    el_scenario_free(s);
    if (st != EL_OK)
        return fail(st, &err);
    return eq == EL_OK ? 0 : fail(eq, &check);
}

static int cmd_validate(const Args *a)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    el_status st = load(a, &s, &err);
    if (st == EL_OK)
        st = el_analyses_check_limits(s, &err);
    if (st == EL_OK)
        st = check_periods(a, s, true, &err);
    if (st == EL_OK && s->periods.on)
        printf("%s: valid (%d jurisdictions, %d designs, %d periods from %d to %d)\n", a->scenario,
               s->njur, s->ndesigns, s->periods.last - s->periods.first + 1, s->periods.first,
               s->periods.last);
    else if (st == EL_OK)
        printf("%s: valid (%d jurisdictions, %d designs)\n", a->scenario, s->njur, s->ndesigns);
    el_scenario_free(s);
    return st == EL_OK ? 0 : fail(st, &err);
}

static int cmd_export(const Args *a)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    ElModelData md;
    ElExportInfo info;
    size_t len;
    int d = -1, form = a->form ? el_export_form_parse(a->form) : EL_EXPORT_REFINED;
    ElLpFormat fmt;
    el_status st;
    if (!a->out || !a->design)
        return usage_error("export-lp needs --design ID and -o FILE");
    if (form < 0)
        return usage_error("export-lp: --form is refined, qp or steps");
    len = strlen(a->out);
    if (len >= 4 && strcmp(a->out + len - 4, ".mps") == 0)
        fmt = EL_LP_FORMAT_MPS;
    else if (len >= 3 && strcmp(a->out + len - 3, ".lp") == 0)
        fmt = EL_LP_FORMAT_CPLEX;
    else
        return usage_error("export-lp: the output file must end in .mps or .lp");
    memset(&md, 0, sizeof(md));
    st = load(a, &s, &err);
    if (st == EL_OK && s->periods.on)
        st = el_error_set(&err, EL_ERR_INPUT,
                          "%s:%d: <periods>: export-lp writes one period's problem; a "
                          "several-period scenario is not supported yet",
                          a->scenario, s->periods.line);
    if (st == EL_OK && strcmp(a->design, "autarky") != 0) {
        d = el_scenario_find_design(s, a->design);
        if (d < 0)
            st = el_error_set(&err, EL_ERR_INPUT, "%s: no design with id '%s'", a->scenario,
                              a->design);
    }
    if (st == EL_OK)
        st = el_model_data_init(&md, s, d < 0 ? NULL : s->designs[d], NULL, NULL, &err);
    if (st == EL_OK)
        st = el_model_build(&md, EL_BUILD_NAMES, &p, &m, &err);
    if (st == EL_OK) /* atomic and symlink-safe (el_io) */
        st = el_qp_export(p, &s->settings, (ElExportForm)form, a->out, fmt, &info, &err);
    if (st == EL_OK && !a->quiet)
        printf("wrote %s (%s: %d columns, %d rows, %d nonzeros%s)\n", a->out,
               el_export_form_name((ElExportForm)form), info.ncols, info.nrows, info.nnz,
               info.integer ? ", integer columns" : "");
    el_problem_free(p);
    el_model_map_free(m);
    el_model_data_clear(&md);
    el_scenario_free(s);
    return st == EL_OK ? 0 : fail(st, &err);
}

int main(int argc, char **argv)
{
    Args a;
    int rc;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("etslink %s\n", EL_VERSION);
        return 0;
    }
    rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc;
    if (a.mpi && !el_mpi_built())
        return usage_error("--mpi: this etslink was built without MPI; run etslink-mpi under "
                           "mpirun (docs/cli.md)");
    if (a.mpi) {
        ElError err = {EL_OK, ""};
        el_status st = el_mpi_init(&argc, &argv, &err);
        if (st != EL_OK)
            return fail(st, &err);
    }
    install_signal_handlers();
    if (strcmp(a.cmd, "solve") == 0 || strcmp(a.cmd, "coalitions") == 0)
        rc = cmd_solve(&a);
    else if (strcmp(a.cmd, "validate") == 0)
        rc = cmd_validate(&a);
    else if (strcmp(a.cmd, "export-lp") == 0)
        rc = cmd_export(&a);
    else
        rc = usage_error("unknown command (solve, coalitions, validate, export-lp)");
    el_lp_shutdown();
    el_xml_shutdown();
    el_mpi_finalize();
    return rc;
}
