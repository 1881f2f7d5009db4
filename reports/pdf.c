/* PDF from report.tex with lualatex (a Unicode engine: Hangul, Han, en dashes and currency signs
 * print as text), run so that a hostile file cannot take part:
 * - report.tex is copied into a private work folder (mkdtemp, mode 0700); TeX runs with that
 *   folder as its current directory and is given only the name "report.tex", so the output
 *   folder's name never reaches TeX;
 * - the environment is rebuilt: TEXINPUTS=".:" (the private folder, then the system tree),
 *   TEXMFHOME and TEXMFCONFIG point into the private folder (no ~/texmf), openin_any=p,
 *   openout_any=p, shell_escape=f, and no other TeX variable is passed on;
 * - TEXMFVAR and TEXMFCACHE (luaotfload's font name database and font caches, tens of seconds
 *   to build) are etslink's own cache, $XDG_CACHE_HOME/etslink/texmf-var or
 *   ~/.cache/etslink/texmf-var, made mode 0700 and used only if it is a folder of ours that
 *   nobody else can write; otherwise the private folder (every run then rebuilds the cache);
 * - no shell (fork + execve of the lualatex found on PATH, with -no-shell-escape and
 *   -nosocket), stdin is /dev/null, non-stop mode, halt on the first error;
 * - TeX runs in its own process group, killed on timeout, and by el_report_pdf_signal_cleanup
 *   from a signal handler; the work folder is always removed;
 * - the PDF is copied to its final name atomically (el_outfile); on failure the TeX log is
 *   kept beside it and the message quotes TeX's first error. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "el_alloc.h"
#include "el_io.h"
#include "report.h"

#define PATH_SIZE 4352

/* The names TeX (or etslink) makes in the work folder; a signal handler removes them. */
static const char *const work_files[] = {
    "report.tex", "report.aux", "report.log",   "report.pdf",   "report.out",
    "report.toc", "report.fls", "lualatex.out", "missfont.log", "texput.log",
};

/* State for el_report_pdf_signal_cleanup, changed only with signals blocked. */
static volatile pid_t tex_pgid;     /* > 0 while a TeX process group runs */
static volatile int tex_dirfd = -1; /* the work folder, open */
static char tex_dir[PATH_SIZE];     /* its path (for rmdir) */
static volatile sig_atomic_t tex_dir_set;

void el_report_pdf_signal_cleanup(void)
{
    pid_t g = tex_pgid;
    size_t k;
    if (g > 0) {
        kill(-g, SIGKILL);
        waitpid(g, NULL, 0);
        tex_pgid = 0;
    }
    if (tex_dir_set) {
        for (k = 0; k < sizeof(work_files) / sizeof(work_files[0]); k++)
            unlinkat(tex_dirfd, work_files[k], 0);
        rmdir(tex_dir);
        tex_dir_set = 0;
    }
}

/* The lualatex on PATH, as a full name, or false. */
static bool find_lualatex(char *buf, size_t size)
{
    const char *path = getenv("PATH");
    const char *p = path && *path ? path : "/usr/bin:/bin";
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0 && len + 10 < size) {
            struct stat sb;
            snprintf(buf, size, "%.*s/lualatex", (int)len, p);
            if (access(buf, X_OK) == 0 && stat(buf, &sb) == 0 && S_ISREG(sb.st_mode))
                return true;
        }
        p += len + (colon ? 1 : 0);
    }
    return false;
}

bool el_report_pdf_available(void)
{
    char buf[PATH_SIZE];
    return find_lualatex(buf, sizeof(buf));
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Remove the work folder and everything in it (not following symbolic links). */
static void remove_work(void)
{
    sigset_t old;
    if (!tex_dir_set)
        return;
    nftw(tex_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    el_io_signals_block(&old);
    rmdir(tex_dir);
    if (tex_dirfd >= 0)
        close(tex_dirfd);
    tex_dirfd = -1;
    tex_dir_set = 0;
    el_io_signals_restore(&old);
}

/* Copy the file `name` of the work folder to dest atomically (el_outfile: mode 0666 less the
 * umask, fsync, rename). */
static el_status copy_out(const char *name, const char *dest, ElError *err)
{
    ElOutFile *of;
    char chunk[65536];
    ssize_t n;
    el_status st;
    int fd = openat(tex_dirfd, name, O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot read TeX's %s: %s", dest, name,
                            strerror(errno));
    st = el_outfile_open(&of, dest, err);
    if (st != EL_OK) {
        close(fd);
        return st;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        if (fwrite(chunk, 1, (size_t)n, el_outfile_stream(of)) != (size_t)n)
            break;
    close(fd);
    if (n < 0) {
        el_outfile_abort(of);
        return el_error_set(err, EL_ERR_IO, "%s: cannot read TeX's %s", dest, name);
    }
    return el_outfile_commit(of, err);
}

/* Copy tex_path into the work folder as report.tex. */
static el_status copy_in(const char *tex_path, ElError *err)
{
    char chunk[65536];
    ssize_t n;
    int in = open(tex_path, O_RDONLY), out;
    if (in < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot read: %s", tex_path, strerror(errno));
    out = openat(tex_dirfd, "report.tex", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (out < 0) {
        close(in);
        return el_error_set(err, EL_ERR_IO, "%s: cannot copy into the work folder: %s", tex_path,
                            strerror(errno));
    }
    while ((n = read(in, chunk, sizeof(chunk))) > 0)
        if (write(out, chunk, (size_t)n) != n) {
            n = -1;
            break;
        }
    close(in);
    if (close(out) != 0 || n < 0)
        return el_error_set(err, EL_ERR_IO, "%s: cannot copy into the work folder", tex_path);
    return EL_OK;
}

/* The environment TeX gets: a few harmless variables from ours, and the kpathsea settings. */
typedef struct {
    char *vars[16];
    int n;
} Env;

static el_status env_add(Env *e, const char *name, const char *value, ElError *err)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *v = el_malloc(len);
    if (!v)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (lualatex environment)");
    snprintf(v, len, "%s=%s", name, value);
    e->vars[e->n++] = v;
    e->vars[e->n] = NULL;
    return EL_OK;
}

static void env_free(Env *e)
{
    int k;
    for (k = 0; k < e->n; k++)
        el_free(e->vars[k]);
    e->n = 0;
}

/* A folder of ours that nobody else can write (no symbolic link followed). */
static bool own_folder(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && sb.st_uid == geteuid() &&
           (sb.st_mode & 022) == 0;
}

/* etslink's TeX cache ($XDG_CACHE_HOME/etslink/texmf-var, else ~/.cache/etslink/texmf-var),
 * made if missing (mode 0700), into out; "." (the private work folder, so each run rebuilds
 * the font cache) without an absolute home, for a name kpathsea could read as a list or a
 * variable, or when the folder or its parent is not ours or others can write it. */
static void cache_dir(char *out, size_t size)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char path[PATH_SIZE], *slash;
    int n;
    snprintf(out, size, ".");
    if (xdg && xdg[0] == '/')
        n = snprintf(path, sizeof(path), "%s/etslink/texmf-var", xdg);
    else if (home && home[0] == '/')
        n = snprintf(path, sizeof(path), "%s/.cache/etslink/texmf-var", home);
    else
        return;
    if (n < 0 || (size_t)n >= sizeof(path) || (size_t)n >= size ||
        strpbrk(path, ":;,$!{}'\"\\ \t\n"))
        return;
    for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700); /* EEXIST and the rest: judged by own_folder below */
        *slash = '/';
    }
    mkdir(path, 0700);
    if (!own_folder(path))
        return;
    slash = strrchr(path, '/');
    *slash = '\0';
    if (!own_folder(path)) /* the etslink folder: nobody else may swap texmf-var */
        return;
    *slash = '/';
    snprintf(out, size, "%s", path);
}

static el_status env_build(Env *e, ElError *err)
{
    static const char *const keep[] = {"PATH", "HOME", "TMPDIR", "SOURCE_DATE_EPOCH",
                                       "FORCE_SOURCE_DATE"};
    static const char *const set[][2] = {
        {"TEXINPUTS", ".:"}, /* "." is the private folder; the empty entry is the system tree */
        {"TEXMFHOME", "."},  /* no ~/texmf, no user configuration or format cache */
        {"TEXMFCONFIG", "."},
        {"openin_any", "p"}, /* no dot files, no "..", no absolute names outside the trees */
        {"openout_any", "p"},
        {"shell_escape", "f"},
        {"max_print_line", "1000"}, /* error messages on one line in the log */
    };
    char cache[PATH_SIZE];
    el_status st = EL_OK;
    size_t k;
    e->n = 0;
    e->vars[0] = NULL;
    cache_dir(cache, sizeof(cache));
    for (k = 0; k < sizeof(keep) / sizeof(keep[0]) && st == EL_OK; k++) {
        const char *v = getenv(keep[k]);
        if (v)
            st = env_add(e, keep[k], v, err);
        else if (k == 0)
            st = env_add(e, "PATH", "/usr/bin:/bin", err);
    }
    for (k = 0; k < sizeof(set) / sizeof(set[0]) && st == EL_OK; k++)
        st = env_add(e, set[k][0], set[k][1], err);
    /* luaotfload's font database and caches (TEXMFCACHE), formats (TEXMFVAR) */
    if (st == EL_OK)
        st = env_add(e, "TEXMFVAR", cache, err);
    if (st == EL_OK)
        st = env_add(e, "TEXMFCACHE", cache, err);
    if (st != EL_OK)
        env_free(e);
    return st;
}

/* One lualatex run in the work folder; *status gets its wait status (-1 if unknown). */
static el_status
run_lualatex(const char *exe, char **envp, int logfd, int timeout_s, int *status, ElError *err)
{
    static char a0[] = "lualatex", a1[] = "-no-shell-escape", a2[] = "-nosocket",
                a3[] = "-interaction=nonstopmode", a4[] = "-halt-on-error",
                a5[] = "-file-line-error", a6[] = "report.tex";
    static char *argv[] = {a0, a1, a2, a3, a4, a5, a6, NULL};
    struct timespec start, now;
    sigset_t old;
    int nullfd = open("/dev/null", O_RDONLY), e;
    pid_t pid;
    *status = -1;
    if (nullfd < 0)
        return el_error_set(err, EL_ERR_IO, "cannot open /dev/null: %s", strerror(errno));
    el_io_signals_block(&old);
    pid = fork();
    if (pid == 0) {
        /* child: async-signal-safe calls only */
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        struct sigaction sa, cur;
        size_t k;
        setpgid(0, 0);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        for (k = 0; k < 3; k++)
            if (sigaction(sigs[k], NULL, &cur) == 0 && cur.sa_handler != SIG_IGN)
                sigaction(sigs[k], &sa, NULL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (fchdir(tex_dirfd) != 0 || dup2(nullfd, 0) < 0 || dup2(logfd, 1) < 0 ||
            dup2(logfd, 2) < 0)
            _exit(126);
        execve(exe, argv, envp);
        _exit(127);
    }
    e = errno;
    if (pid > 0) {
        setpgid(pid, pid); /* also here: whichever runs first, the group exists */
        tex_pgid = pid;
    }
    el_io_signals_restore(&old);
    close(nullfd);
    if (pid < 0)
        return el_error_set(err, EL_ERR_IO, "cannot start lualatex: %s", strerror(e));
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        siginfo_t si;
        double elapsed;
        memset(&si, 0, sizeof(si));
        /* WNOWAIT: the leader stays a zombie, so its group id cannot be reused before the
         * stragglers of the group are killed */
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        elapsed =
            (double)(now.tv_sec - start.tv_sec) + 1e-9 * (double)(now.tv_nsec - start.tv_nsec);
        if (elapsed >= timeout_s) {
            el_io_signals_block(&old);
            kill(-pid, SIGKILL);
            waitpid(pid, status, 0);
            tex_pgid = 0;
            el_io_signals_restore(&old);
            *status = -1;
            return el_error_set(err, EL_ERR_IO, "lualatex took more than %d s and was stopped",
                                timeout_s);
        }
        nanosleep(&ts, NULL);
    }
    el_io_signals_block(&old);
    kill(-pid, SIGKILL); /* anything TeX left running in its group */
    if (waitpid(pid, status, 0) != pid)
        *status = -1;
    tex_pgid = 0;
    el_io_signals_restore(&old);
    return EL_OK;
}

/* Trim a log line for a message: no line end, at most 160 characters. */
static void clip(char *line)
{
    size_t len = strcspn(line, "\r\n");
    line[len] = '\0';
    if (len > 160)
        strcpy(line + 157, "...");
}

/* "file:line: message" as -file-line-error prints errors, e.g. "./report.tex:12: ...". */
static bool file_line_error(const char *line)
{
    const char *c = line;
    while (*c && *c != ' ' && *c != ':')
        c++;
    if (c == line || *c != ':' || c[1] < '0' || c[1] > '9')
        return false;
    for (c++; *c >= '0' && *c <= '9'; c++)
        ;
    return c[0] == ':' && c[1] == ' ';
}

/* TeX's first error ("! ..." or "file:line: ...") and its "l.N ..." context line, from the
 * work folder's report.log (or, without one, lualatex's own output). */
static void tex_error(char *out, size_t size)
{
    char line[1200], first[200] = "", where[200] = "", last[200] = "", msg[420] = "";
    int fd = openat(tex_dirfd, "report.log", O_RDONLY | O_NOFOLLOW), after = -1;
    FILE *f;
    if (fd < 0)
        fd = openat(tex_dirfd, "lualatex.out", O_RDONLY | O_NOFOLLOW);
    f = fd >= 0 ? fdopen(fd, "r") : NULL;
    snprintf(out, size, "no TeX log");
    if (!f) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        int whole = strchr(line, '\n') != NULL;
        clip(line);
        if (!first[0] && (line[0] == '!' || file_line_error(line))) {
            snprintf(first, sizeof(first), "%.160s", line);
            after = 0;
        } else if (first[0] && after >= 0 && after < 8 && strncmp(line, "l.", 2) == 0 &&
                   line[2] >= '0' && line[2] <= '9') {
            snprintf(where, sizeof(where), "%.160s", line);
            after = -1;
        } else if (after >= 0) {
            after++;
        }
        if (line[0])
            snprintf(last, sizeof(last), "%.160s", line);
        while (!whole && fgets(line, sizeof(line), f)) /* skip the rest of a long line */
            whole = strchr(line, '\n') != NULL;
    }
    fclose(f);
    /* composed in a buffer that always fits, then cut to the caller's size */
    if (first[0] && where[0])
        snprintf(msg, sizeof(msg), "%s [%s]", first, where);
    else if (first[0])
        snprintf(msg, sizeof(msg), "%s", first);
    else if (last[0])
        snprintf(msg, sizeof(msg), "the log ends: %s", last);
    if (msg[0] && size > 0) {
        size_t len = strlen(msg) < size - 1 ? strlen(msg) : size - 1;
        memcpy(out, msg, len);
        out[len] = '\0';
    }
}

/* pdf_path with ".pdf" replaced by ".log" (or ".log" appended). */
static void log_name(const char *pdf_path, char *out, size_t size)
{
    size_t len = strlen(pdf_path);
    if (len >= 4 && strcmp(pdf_path + len - 4, ".pdf") == 0)
        len -= 4;
    snprintf(out, size, "%.*s.log", (int)len, pdf_path);
}

static void describe_status(int status, char *out, size_t size)
{
    if (status == -1)
        snprintf(out, size, "status unknown");
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        snprintf(out, size, "could not be run");
    else if (WIFEXITED(status))
        snprintf(out, size, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, size, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(out, size, "status %d", status);
}

el_status
el_report_compile_pdf(const char *tex_path, const char *pdf_path, int timeout_s, ElError *err)
{
    char exe[PATH_SIZE], log[PATH_SIZE], how[64], msg[400];
    const char *slash = strrchr(pdf_path, '/');
    size_t dlen = slash ? (size_t)(slash - pdf_path) + 1 : 0;
    Env env;
    sigset_t old;
    int status = 0, pass, logfd = -1;
    el_status st;
    if (!find_lualatex(exe, sizeof(exe)))
        return el_error_set(err, EL_ERR_IO, "%s: lualatex is not installed", pdf_path);
    if (dlen + 32 > sizeof(tex_dir))
        return el_error_set(err, EL_ERR_IO, "%s: the name is too long", pdf_path);
    st = env_build(&env, err);
    if (st != EL_OK)
        return st;
    el_io_signals_block(&old);
    memcpy(tex_dir, pdf_path, dlen);
    memcpy(tex_dir + dlen, ".etslink-pdf-XXXXXX", sizeof(".etslink-pdf-XXXXXX"));
    if (!mkdtemp(tex_dir)) {
        st = el_error_set(err, EL_ERR_IO, "%s: cannot create a work folder: %s", pdf_path,
                          strerror(errno));
    } else {
        tex_dirfd = open(tex_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        tex_dir_set = 1;
        if (tex_dirfd < 0)
            st = el_error_set(err, EL_ERR_IO, "%s: cannot open the work folder: %s", pdf_path,
                              strerror(errno));
    }
    el_io_signals_restore(&old);
    if (st == EL_OK)
        st = copy_in(tex_path, err);
    if (st == EL_OK) {
        logfd = openat(tex_dirfd, "lualatex.out", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
        if (logfd < 0)
            st = el_error_set(err, EL_ERR_IO, "%s: cannot create lualatex.out: %s", pdf_path,
                              strerror(errno));
    }
    /* two passes: longtable settles its column widths on the second */
    for (pass = 0; pass < 2 && st == EL_OK && status == 0; pass++) {
        st = run_lualatex(exe, env.vars, logfd, timeout_s, &status, err);
        if (st != EL_OK && logfd >= 0 && err) { /* stopped: keep what TeX wrote */
            char first[sizeof(err->msg)];
            ElError kerr;
            snprintf(first, sizeof(first), "%s", err->msg);
            log_name(pdf_path, log, sizeof(log));
            if (copy_out(faccessat(tex_dirfd, "report.log", R_OK, 0) == 0 ? "report.log"
                                                                          : "lualatex.out",
                         log, &kerr) == EL_OK)
                el_error_set(err, st, "%s: %s; the TeX log is kept in %s", tex_path, first, log);
        }
    }
    if (logfd >= 0)
        close(logfd);
    env_free(&env);
    if (st == EL_OK) {
        int made = faccessat(tex_dirfd, "report.pdf", R_OK, 0) == 0;
        if (status == 0 && made) {
            st = copy_out("report.pdf", pdf_path, err);
        } else {
            el_status kept;
            ElError kerr;
            tex_error(msg, sizeof(msg));
            describe_status(status, how, sizeof(how));
            log_name(pdf_path, log, sizeof(log));
            kept = faccessat(tex_dirfd, "report.log", R_OK, 0) == 0
                       ? copy_out("report.log", log, &kerr)
                       : copy_out("lualatex.out", log, &kerr);
            if (kept == EL_OK)
                st = el_error_set(err, EL_ERR_IO,
                                  "%s: lualatex failed (%s%s): %s; the TeX log is kept in %s",
                                  tex_path, how, status == 0 ? ", no PDF made" : "", msg, log);
            else
                st = el_error_set(
                    err, EL_ERR_IO,
                    "%s: lualatex failed (%s%s): %s; the TeX log could not be kept (%s)", tex_path,
                    how, status == 0 ? ", no PDF made" : "", msg, kerr.msg);
        }
    }
    remove_work();
    return st;
}
