/* PDF from report.tex with pdflatex. No shell is involved (fork + execvp), shell escape is
 * off, TeX reads nothing from the terminal (stdin is /dev/null, nonstop mode, halt on the
 * first error), and a run longer than the timeout is killed. Work files live in a hidden
 * folder beside the target; only a complete PDF is renamed to the final name. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "el_alloc.h"
#include "report.h"

bool el_report_pdf_available(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    const char *p = path ? path : "/usr/bin:/bin";
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0 && len < sizeof(buf) - 10) {
            snprintf(buf, sizeof(buf), "%.*s/pdflatex", (int)len, p);
            if (access(buf, X_OK) == 0)
                return true;
        }
        p += len + (colon ? 1 : 0);
    }
    return false;
}

/* First "! ..." line of the TeX log, or the log's last line. */
static void tex_error(const char *log, char *out, size_t size)
{
    FILE *f = fopen(log, "r");
    char line[300];
    snprintf(out, size, "see the TeX log");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '!') {
            snprintf(out, size, "%s", line);
            break;
        }
    }
    fclose(f);
}

static void remove_dir(const char *dir)
{
    static const char *const ext[] = {"report.aux", "report.log",   "report.pdf",
                                      "report.out", "pdflatex.out", "texput.log"};
    char path[4300];
    size_t k;
    for (k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
        snprintf(path, sizeof(path), "%s/%s", dir, ext[k]);
        unlink(path);
    }
    rmdir(dir);
}

/* One pdflatex run; *status gets its exit status. */
static el_status run_pdflatex(const char *tex_path,
                              const char *outdir_arg,
                              const char *log,
                              int timeout_s,
                              int *status,
                              ElError *err)
{
    int elapsed_ms = 0;
    pid_t pid = fork();
    if (pid < 0)
        return el_error_set(err, EL_ERR_IO, "cannot start pdflatex: %s", strerror(errno));
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        execlp("pdflatex", "pdflatex", "-no-shell-escape", "-interaction=nonstopmode",
               "-halt-on-error", "-file-line-error", outdir_arg, tex_path, (char *)NULL);
        _exit(127);
    }
    for (;;) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            return EL_OK;
        if (w < 0 && errno != EINTR) {
            *status = -1;
            return EL_OK;
        }
        if (elapsed_ms >= timeout_s * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, status, 0);
            return el_error_set(err, EL_ERR_IO, "pdflatex took more than %d s and was stopped",
                                timeout_s);
        }
        nanosleep(&ts, NULL);
        elapsed_ms += 50;
    }
}

el_status
el_report_compile_pdf(const char *tex_path, const char *pdf_path, int timeout_s, ElError *err)
{
    char dir[4200], outdir_arg[4300], log[4300], made[4300], msg[300], *slash;
    const char *base;
    int status = 0, pass;
    el_status st = EL_OK;
    snprintf(dir, sizeof(dir), "%s", pdf_path);
    slash = strrchr(dir, '/');
    if (slash)
        snprintf(slash + 1, sizeof(dir) - (size_t)(slash + 1 - dir), ".etslink-pdf-XXXXXX");
    else
        snprintf(dir, sizeof(dir), ".etslink-pdf-XXXXXX");
    base = strrchr(tex_path, '/') ? strrchr(tex_path, '/') + 1 : tex_path;
    if (strcmp(base, "report.tex") != 0)
        return el_error_set(err, EL_ERR_INTERNAL, "the report must be named report.tex");
    if (!mkdtemp(dir))
        return el_error_set(err, EL_ERR_IO, "%s: cannot create a work folder: %s", pdf_path,
                            strerror(errno));
    snprintf(outdir_arg, sizeof(outdir_arg), "-output-directory=%s", dir);
    snprintf(log, sizeof(log), "%s/pdflatex.out", dir);
    /* two passes: longtable settles its column widths on the second */
    for (pass = 0; pass < 2 && st == EL_OK && status == 0; pass++)
        st = run_pdflatex(tex_path, outdir_arg, log, timeout_s, &status, err);
    snprintf(made, sizeof(made), "%s/report.pdf", dir);
    if (st == EL_OK && (status != 0 || access(made, R_OK) != 0)) {
        snprintf(log, sizeof(log), "%s/report.log", dir);
        tex_error(log, msg, sizeof(msg));
        st = el_error_set(err, EL_ERR_IO, "%s: pdflatex failed (%s)", tex_path, msg);
    } else if (st == EL_OK && rename(made, pdf_path) != 0) {
        st = el_error_set(err, EL_ERR_IO, "%s: cannot write: %s", pdf_path, strerror(errno));
    }
    remove_dir(dir);
    return st;
}
