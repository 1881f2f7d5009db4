/* Two-column CSV reader. Cells are parsed with strtod in the C locale (the library never
 * changes the locale), after trimming blanks; quoted numeric cells ("12.5") are accepted. */
#include "csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_io.h"

static int parse_cell(const char *s, const char *e, double *v)
{
    char buf[64];
    char *end;
    size_t len;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e - s >= 2 && *s == '"' && e[-1] == '"') {
        s++;
        e--;
    }
    len = (size_t)(e - s);
    if (len == 0 || len >= sizeof(buf))
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *v = strtod(buf, &end);
    return *end == '\0' && errno != ERANGE && isfinite(*v);
}

/* True if the n bytes at s are all blanks (the text need not be NUL-terminated). */
static int blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

static int is_header(const char *s, const char *e)
{
    char buf[32];
    size_t len = 0;
    for (; s < e && len + 1 < sizeof(buf); s++)
        if (*s != ' ' && *s != '\t' && *s != '"')
            buf[len++] = (char)((*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : *s);
    buf[len] = '\0';
    return strcmp(buf, "q,p") == 0;
}

el_status el_csv_parse_qp(
    const char *name, const char *text, long len, double **q, double **p, int *n, ElError *err)
{
    const char *s = text, *end = text + len;
    int line = 0, rows = 0, cap = 0;
    double *qa = NULL, *pa = NULL;
    *q = *p = NULL;
    *n = 0;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3;
    while (s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        size_t linelen = (size_t)((eol ? eol : end) - s);
        const char *le, *comma, *c;
        int commas = 0;
        double qv, pv;
        line++;
        if (linelen > 0 && s[linelen - 1] == '\r')
            linelen--;
        le = s + linelen;
        if (memchr(s, '\0', linelen)) {
            el_free(qa);
            el_free(pa);
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: the line contains a NUL byte", name,
                                line);
        }
        for (c = s; c < le; c++)
            commas += *c == ',';
        if (linelen == 0 || (commas == 0 && blank(s, linelen))) {
            s = eol ? eol + 1 : end; /* blank line */
            continue;
        }
        if (rows == 0 && is_header(s, le)) {
            s = eol ? eol + 1 : end;
            continue;
        }
        if (commas != 1) {
            el_free(qa);
            el_free(pa);
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: expected 2 columns (q,p), found %d",
                                name, line, commas + 1);
        }
        comma = memchr(s, ',', (size_t)(le - s));
        if (!parse_cell(s, comma, &qv) || !parse_cell(comma + 1, le, &pv)) {
            el_free(qa);
            el_free(pa);
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: cells must be finite numbers (columns q,p)", name, line);
        }
        if (rows == EL_CSV_MAX_ROWS) {
            el_free(qa);
            el_free(pa);
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: more than %d rows", name, line,
                                EL_CSV_MAX_ROWS);
        }
        if (rows == cap) {
            int nc = cap ? 2 * cap : 64;
            double *nq = el_reallocarray(qa, (size_t)nc, sizeof(double));
            double *np;
            if (nq)
                qa = nq;
            np = nq ? el_reallocarray(pa, (size_t)nc, sizeof(double)) : NULL;
            if (!nq || !np) {
                el_free(qa);
                el_free(pa);
                return el_error_set(err, EL_ERR_NOMEM, "out of memory reading %s", name);
            }
            pa = np;
            cap = nc;
        }
        qa[rows] = qv;
        pa[rows] = pv;
        rows++;
        s = eol ? eol + 1 : end;
    }
    if (rows == 0) {
        el_free(qa);
        el_free(pa);
        return el_error_set(err, EL_ERR_INPUT, "%s: no data rows (expected columns q,p)", name);
    }
    *q = qa;
    *p = pa;
    *n = rows;
    return EL_OK;
}

el_status el_csv_read_qp(const char *path, double **q, double **p, int *n, ElError *err)
{
    char *buf;
    long len;
    el_status st;
    *q = *p = NULL;
    *n = 0;
    /* regular files only (a FIFO or a device is refused at once), at most EL_CSV_MAX_BYTES */
    st = el_read_file(path, EL_CSV_MAX_BYTES, "the CSV file", &buf, &len, err);
    if (st != EL_OK)
        return st;
    st = el_csv_parse_qp(path, buf, len, q, p, n, err);
    el_free(buf);
    return st;
}
