/* etslink command line: the only code that prints to stdout/stderr or decides the exit code.
 * Exit codes come from EL_STATUS_LIST (docs/cli.md). */
#define _XOPEN_SOURCE 700 /* sigaction */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "el_io.h"
#include "el_settings.h"
#include "el_status.h"
#include "equilibrium.h"
#include "load.h"
#include "lp.h"
#include "qp.h"
#include "report.h"
#include "results.h"
#include "xml_doc.h"

#define EL_VERSION    "0.1.0"
#define PDF_TIMEOUT_S 300
#define TEX_PACKAGES \
    "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-science lmodern"

static const char usage_text[] =
    "usage: etslink solve SCENARIO.xml -o DIR [--set NAME=VALUE]... [--allow-any-path] [--no-pdf]\n"
    "                     [--quiet]\n"
    "       etslink validate SCENARIO.xml [--allow-any-path]\n"
    "       etslink export-lp SCENARIO.xml --design ID -o FILE.mps|FILE.lp [--set NAME=VALUE]...\n"
    "       etslink --help | --version\n"
    "\n"
    "solve      computes the equilibrium of every linkage design (and the autarky baseline)\n"
    "           and writes DIR/results.xml, results.csv, report.tex and (with pdflatex)\n"
    "           report.pdf\n"
    "validate   checks a scenario against the schema and the model rules without solving\n"
    "export-lp  writes the LP GLPK solves first for one design (\"autarky\" for the baseline)\n"
    "\n"
    "exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 no equilibrium,\n"
    "            5 file error, 6 solver failure, 7 out of memory,\n"
    "            130 interrupted (SIGINT), 143 terminated (SIGTERM) (docs/cli.md)\n";

/* The temporary output file being written, removed if a signal ends the run: a final name
 * never holds a partial file, and no litter is left. */
static char pending_tmp[4200];

static void on_signal(int sig)
{
    if (pending_tmp[0])
        unlink(pending_tmp);
    _exit(128 + sig); /* 130 for SIGINT, 143 for SIGTERM (docs/cli.md) */
}

static void install_signal_handlers(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN) /* respect nohup */
        sigaction(SIGHUP, &sa, NULL);
}

static void set_pending(const char *tmp)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    snprintf(pending_tmp, sizeof(pending_tmp), "%s", tmp ? tmp : "");
    sigprocmask(SIG_SETMASK, &old, NULL);
}

typedef void (*stream_writer)(const ElRun *, FILE *);

/* Write one results file atomically, registered for removal on a signal. The test-only
 * variable ETSLINK_TEST_PAUSE_BEFORE_COMMIT=SECONDS waits with the file half-way (docs/cli.md). */
static el_status write_file(const ElRun *run, const char *path, stream_writer w, ElError *err)
{
    ElOutFile *of;
    const char *pause = getenv("ETSLINK_TEST_PAUSE_BEFORE_COMMIT");
    el_status st = el_outfile_open(&of, path, err);
    if (st != EL_OK)
        return st;
    set_pending(el_outfile_tmp_path(of));
    w(run, el_outfile_stream(of));
    if (pause)
        sleep((unsigned)atoi(pause));
    st = el_outfile_commit(of, err);
    set_pending(NULL);
    return st;
}

typedef struct {
    const char *cmd, *scenario, *out, *design;
    const char *sets[64];
    int nsets;
    int allow_any_path, quiet, no_pdf;
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
        else if (s[0] == '-') {
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
    if (st != EL_OK) {
        el_scenario_free(*s);
        *s = NULL;
    }
    return st;
}

static el_status ensure_dir(const char *dir, ElError *err)
{
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return S_ISDIR(sb.st_mode)
                   ? EL_OK
                   : el_error_set(err, EL_ERR_IO, "%s: exists and is not a folder", dir);
    if (mkdir(dir, 0755) != 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot create the output folder: %s", dir,
                            strerror(errno));
    return EL_OK;
}

static void summary(const ElRun *run)
{
    const ElScenario *s = run->scenario;
    int d, j;
    printf("%-24s", "design");
    for (j = 0; j < s->njur; j++)
        printf(" %12.12s", s->jur[j].id);
    printf(" %14s\n", "total gain");
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        printf("%-24.24s", r->id);
        for (j = 0; j < s->njur; j++)
            printf(" %12.4f", r->jur[j].price);
        printf(" %14.4f\n", r->gain);
    }
    printf("(prices in %s/t, gains in million %s)\n", s->currency, s->currency);
}

static int cmd_solve(const Args *a)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    ElRun *run = NULL;
    char path[4096];
    el_status st;
    if (!a->out)
        return usage_error("solve needs -o DIR");
    st = load(a, &s, &err);
    if (st == EL_OK)
        st = el_run_solve(&run, s, &err);
    if (st == EL_OK)
        st = ensure_dir(a->out, &err);
    if (st == EL_OK) {
        snprintf(path, sizeof(path), "%s/results.xml", a->out);
        st = write_file(run, path, el_results_write_xml_stream, &err);
    }
    if (st == EL_OK) {
        snprintf(path, sizeof(path), "%s/results.csv", a->out);
        st = write_file(run, path, el_results_write_csv_stream, &err);
    }
    if (st == EL_OK) {
        snprintf(path, sizeof(path), "%s/report.tex", a->out);
        st = write_file(run, path, el_report_write_tex_stream, &err);
    }
    if (st == EL_OK && !a->quiet) {
        summary(run);
        printf("wrote %s/results.xml, %s/results.csv and %s/report.tex\n", a->out, a->out, a->out);
    }
    if (st == EL_OK && !a->no_pdf) {
        if (el_report_pdf_available()) {
            char pdf[4096];
            snprintf(pdf, sizeof(pdf), "%s/report.pdf", a->out);
            st = el_report_compile_pdf(path, pdf, PDF_TIMEOUT_S, &err);
            if (st == EL_OK && !a->quiet)
                printf("wrote %s\n", pdf);
        } else if (!a->quiet) {
            printf("report.pdf not made: pdflatex is not installed (apt-get install %s)\n",
                   TEX_PACKAGES);
        }
    }
    el_run_free(run);
    el_scenario_free(s);
    return st == EL_OK ? 0 : fail(st, &err);
}

static int cmd_validate(const Args *a)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    el_status st = load(a, &s, &err);
    if (st == EL_OK)
        printf("%s: valid (%d jurisdictions, %d designs)\n", a->scenario, s->njur, s->ndesigns);
    el_scenario_free(s);
    return st == EL_OK ? 0 : fail(st, &err);
}

static int cmd_export(const Args *a)
{
    ElError err = {EL_OK, ""};
    ElScenario *s = NULL;
    ElProblem *p = NULL, *lp = NULL;
    ElModelMap *m = NULL;
    char tmp[4200];
    size_t len;
    int d = EL_AUTARKY, i;
    ElLpFormat fmt;
    el_status st;
    if (!a->out || !a->design)
        return usage_error("export-lp needs --design ID and -o FILE");
    len = strlen(a->out);
    if (len >= 4 && strcmp(a->out + len - 4, ".mps") == 0)
        fmt = EL_LP_FORMAT_MPS;
    else if (len >= 3 && strcmp(a->out + len - 3, ".lp") == 0)
        fmt = EL_LP_FORMAT_CPLEX;
    else
        return usage_error("export-lp: the output file must end in .mps or .lp");
    st = load(a, &s, &err);
    if (st == EL_OK && strcmp(a->design, "autarky") != 0) {
        for (i = 0; i < s->ndesigns; i++)
            if (strcmp(s->designs[i].id, a->design) == 0)
                d = i;
        if (d == EL_AUTARKY)
            st = el_error_set(&err, EL_ERR_INPUT, "%s: no design with id '%s'", a->scenario,
                              a->design);
    }
    if (st == EL_OK)
        st = el_model_build(s, d, false, &p, &m, &err);
    if (st == EL_OK)
        st = el_qp_discretize(p, s->settings.grid, &lp, &err);
    if (st == EL_OK) {
        snprintf(tmp, sizeof(tmp), "%s.tmp%ld", a->out, (long)getpid());
        set_pending(tmp);
        st = el_lp_write(lp, tmp, fmt, &err);
        if (st == EL_OK && rename(tmp, a->out) != 0)
            st = el_error_set(&err, EL_ERR_IO, "%s: cannot write: %s", a->out, strerror(errno));
        if (st != EL_OK)
            remove(tmp);
        set_pending(NULL);
    }
    if (st == EL_OK && !a->quiet)
        printf("wrote %s (%d columns, %d rows, %d nonzeros)\n", a->out, lp->ncols, lp->nrows,
               lp->nnz);
    el_problem_free(lp);
    el_problem_free(p);
    el_model_map_free(m);
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
    install_signal_handlers();
    if (strcmp(a.cmd, "solve") == 0)
        rc = cmd_solve(&a);
    else if (strcmp(a.cmd, "validate") == 0)
        rc = cmd_validate(&a);
    else if (strcmp(a.cmd, "export-lp") == 0)
        rc = cmd_export(&a);
    else
        rc = usage_error("unknown command (solve, validate, export-lp)");
    el_lp_shutdown();
    el_xml_shutdown();
    return rc;
}
