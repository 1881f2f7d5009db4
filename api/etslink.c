/* etslink.c: the C API for bindings (api/etslink.h) over the engine's designs-as-values API.
 *
 * A scenario handle wraps a finished, immutable ElScenario. A design handle keeps its elements
 * by id; each solve resolves them against the scenario into an ElDesign (model/design.h), checks
 * it with el_design_check, and hands the list to el_batch_solve (engine/batch.h) as a producer.
 * A sink turns each result, in item order, into rows of column-oriented tables whose columns are
 * taken from the results field table (reports/results.h, el_result_fields): the API's columns
 * are results.csv's variables, with the same values, and a field added there appears here.
 * No state outside the handles: every function may run in several threads at once. */
#include "etslink.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "coalition.h"
#include "el_alloc.h"
#include "load.h"
#include "results.h"

struct etsl_scenario {
    ElScenario *s;
};

/* ---- Errors ---- */

/* Copy e's message (or the code's) into the caller's buffer and return the exit code. A design
 * built in code has no line: "FILE:0: " becomes "FILE: ". */
static int finish(el_status st, const ElError *e, const char *path, char *err, size_t errlen)
{
    const char *msg;
    size_t plen;
    if (err && errlen > 0)
        err[0] = '\0';
    if (st == EL_OK)
        return ETSL_OK;
    msg = e && e->msg[0] ? e->msg : el_strerror(st);
    if (err && errlen > 0) {
        plen = path ? strlen(path) : 0;
        if (plen > 0 && strncmp(msg, path, plen) == 0 && strncmp(msg + plen, ":0: ", 4) == 0)
            snprintf(err, errlen, "%s: %s", path, msg + plen + 4);
        else
            snprintf(err, errlen, "%s", msg);
    }
    return el_status_exit_code(st);
}

static el_status nomem(ElError *e)
{
    return el_error_set(e, EL_ERR_NOMEM, "out of memory");
}

const char *etsl_version(void)
{
    return ETSL_VERSION;
}

/* ---- Tables ---- */

typedef struct {
    char *name, *unit;
    int type;
    double *num; /* numeric columns */
    char **str;  /* string columns: NULL entries read as "" */
} Col;

struct etsl_table {
    long nrows, cap;
    int ncols, ccap;
    Col *cols;
};

static char empty_string[] = "";

void etsl_table_free(etsl_table *t)
{
    int c;
    long r;
    if (!t)
        return;
    for (c = 0; c < t->ncols; c++) {
        Col *k = &t->cols[c];
        el_free(k->name);
        el_free(k->unit);
        el_free(k->num);
        for (r = 0; k->str && r < t->nrows; r++)
            if (k->str[r] != empty_string)
                el_free(k->str[r]);
        el_free(k->str);
    }
    el_free(t->cols);
    el_free(t);
}

static etsl_table *table_new(void)
{
    return el_calloc(1, sizeof(etsl_table));
}

/* Add a column (before any row); its index, or -1 when out of memory. */
static int table_col(etsl_table *t, const char *name, const char *unit, int type)
{
    Col *k;
    if (t->ncols == t->ccap) {
        int cap = t->ccap ? 2 * t->ccap : 16;
        Col *nc = el_reallocarray(t->cols, (size_t)cap, sizeof(*nc));
        if (!nc)
            return -1;
        t->cols = nc;
        t->ccap = cap;
    }
    k = &t->cols[t->ncols];
    memset(k, 0, sizeof(*k));
    k->type = type;
    k->name = el_strdup(name);
    k->unit = el_strdup(unit ? unit : "");
    t->ncols++;
    return k->name && k->unit ? t->ncols - 1 : -1;
}

/* Append a row of NaNs and empty strings; its index, or -1 when out of memory. */
static long table_row(etsl_table *t)
{
    int c;
    long r;
    if (t->nrows == t->cap) {
        long cap = t->cap ? 2 * t->cap : 64;
        for (c = 0; c < t->ncols; c++) {
            Col *k = &t->cols[c];
            if (k->type == ETSL_COL_STRING) {
                char **p = el_reallocarray(k->str, (size_t)cap, sizeof(*p));
                if (!p)
                    return -1;
                k->str = p;
            } else {
                double *p = el_reallocarray(k->num, (size_t)cap, sizeof(*p));
                if (!p)
                    return -1;
                k->num = p;
            }
        }
        t->cap = cap;
    }
    r = t->nrows++;
    for (c = 0; c < t->ncols; c++) {
        if (t->cols[c].type == ETSL_COL_STRING)
            t->cols[c].str[r] = empty_string;
        else
            t->cols[c].num[r] = nan("");
    }
    return r;
}

static void set_num(etsl_table *t, int c, long r, double v)
{
    t->cols[c].num[r] = v;
}

static bool set_str(etsl_table *t, int c, long r, const char *s)
{
    char *copy;
    if (!s || !s[0])
        return true;
    copy = el_strdup(s);
    if (!copy)
        return false;
    if (t->cols[c].str[r] != empty_string)
        el_free(t->cols[c].str[r]);
    t->cols[c].str[r] = copy;
    return true;
}

long etsl_table_nrows(const etsl_table *t)
{
    return t ? t->nrows : 0;
}

int etsl_table_ncols(const etsl_table *t)
{
    return t ? t->ncols : 0;
}

static const Col *col_at(const etsl_table *t, int col)
{
    return t && col >= 0 && col < t->ncols ? &t->cols[col] : NULL;
}

const char *etsl_table_column_name(const etsl_table *t, int col)
{
    const Col *k = col_at(t, col);
    return k ? k->name : NULL;
}

const char *etsl_table_column_unit(const etsl_table *t, int col)
{
    const Col *k = col_at(t, col);
    return k ? k->unit : NULL;
}

int etsl_table_column_type(const etsl_table *t, int col)
{
    const Col *k = col_at(t, col);
    return k ? k->type : -1;
}

int etsl_table_column_index(const etsl_table *t, const char *name)
{
    int c;
    for (c = 0; t && name && c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return c;
    return -1;
}

const double *etsl_table_doubles(const etsl_table *t, int col)
{
    const Col *k = col_at(t, col);
    static const double none[1] = {0};
    if (!k || k->type == ETSL_COL_STRING)
        return NULL;
    return k->num ? k->num : none; /* an empty column: a valid pointer to no rows */
}

const char *const *etsl_table_strings(const etsl_table *t, int col)
{
    const Col *k = col_at(t, col);
    static const char *const none[1] = {""};
    if (!k || k->type != ETSL_COL_STRING)
        return NULL;
    return k->str ? (const char *const *)k->str : none;
}

const char *etsl_table_string(const etsl_table *t, int col, long row)
{
    const Col *k = col_at(t, col);
    if (!k || k->type != ETSL_COL_STRING || row < 0 || row >= t->nrows)
        return NULL;
    return k->str[row];
}

/* ---- Sets of tables ---- */

#define MAX_TABLES 8

struct etsl_tables {
    int n;
    char *names[MAX_TABLES];
    etsl_table *t[MAX_TABLES];
};

void etsl_tables_free(etsl_tables *ts)
{
    int i;
    if (!ts)
        return;
    for (i = 0; i < ts->n; i++) {
        el_free(ts->names[i]);
        etsl_table_free(ts->t[i]);
    }
    el_free(ts);
}

/* Add an empty table called name; NULL when out of memory. */
static etsl_table *tables_add(etsl_tables *ts, const char *name)
{
    if (ts->n == MAX_TABLES)
        return NULL;
    ts->names[ts->n] = el_strdup(name);
    ts->t[ts->n] = table_new();
    ts->n++;
    return ts->names[ts->n - 1] ? ts->t[ts->n - 1] : NULL;
}

int etsl_tables_count(const etsl_tables *ts)
{
    return ts ? ts->n : 0;
}

const char *etsl_tables_name(const etsl_tables *ts, int i)
{
    return ts && i >= 0 && i < ts->n ? ts->names[i] : NULL;
}

const etsl_table *etsl_tables_at(const etsl_tables *ts, int i)
{
    return ts && i >= 0 && i < ts->n ? ts->t[i] : NULL;
}

const etsl_table *etsl_tables_get(const etsl_tables *ts, const char *name)
{
    int i;
    for (i = 0; ts && name && i < ts->n; i++)
        if (strcmp(ts->names[i], name) == 0)
            return ts->t[i];
    return NULL;
}

/* ---- Scenarios ---- */

static int wrap_scenario(etsl_scenario **out, ElScenario *s, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    *out = el_calloc(1, sizeof(**out));
    if (!*out) {
        el_scenario_free(s);
        return finish(nomem(&e), &e, NULL, err, errlen);
    }
    (*out)->s = s;
    return finish(EL_OK, NULL, NULL, err, errlen);
}

int etsl_scenario_load(etsl_scenario **out, const char *path, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    ElScenario *s = NULL;
    el_status st;
    if (!out)
        return finish(el_error_set(&e, EL_ERR_INPUT, "etsl_scenario_load: out is NULL"), &e, NULL,
                      err, errlen);
    *out = NULL;
    if (!path)
        return finish(el_error_set(&e, EL_ERR_INPUT, "etsl_scenario_load: no path"), &e, NULL, err,
                      errlen);
    st = el_scenario_load(&s, path, NULL, &e);
    if (st != EL_OK)
        return finish(st, &e, NULL, err, errlen);
    return wrap_scenario(out, s, err, errlen);
}

int etsl_scenario_load_string(
    etsl_scenario **out, const char *xml, size_t len, const char *name, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    ElScenario *s = NULL;
    el_status st;
    if (!out)
        return finish(el_error_set(&e, EL_ERR_INPUT, "etsl_scenario_load_string: out is NULL"), &e,
                      NULL, err, errlen);
    *out = NULL;
    if (!xml || len > (size_t)INT32_MAX)
        return finish(
            el_error_set(&e, EL_ERR_INPUT, "etsl_scenario_load_string: no XML, or more than 2 GiB"),
            &e, NULL, err, errlen);
    st = el_scenario_load_memory(&s, xml, (long)len, name ? name : "<string>", NULL, &e);
    if (st != EL_OK)
        return finish(st, &e, NULL, err, errlen);
    return wrap_scenario(out, s, err, errlen);
}

void etsl_scenario_free(etsl_scenario *s)
{
    if (!s)
        return;
    el_scenario_free(s->s);
    el_free(s);
}

const char *etsl_scenario_name(const etsl_scenario *s)
{
    return s ? s->s->name : NULL;
}

const char *etsl_scenario_currency(const etsl_scenario *s)
{
    return s ? s->s->currency : NULL;
}

const char *etsl_scenario_unit(const etsl_scenario *s)
{
    return s ? s->s->unit : NULL;
}

const char *etsl_scenario_path(const etsl_scenario *s)
{
    return s ? s->s->path : NULL;
}

/* A table made column by column: start with its columns, then fill. */
static int listing(etsl_table *t, const char *const *names, const int *types, int n)
{
    int c;
    for (c = 0; c < n; c++)
        if (table_col(t, names[c], "", types[c]) < 0)
            return -1;
    return 0;
}

static int bad_handle(const char *fn, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    return finish(el_error_set(&e, EL_ERR_INPUT, "%s: a NULL handle", fn), &e, NULL, err, errlen);
}

static int give_table(etsl_table *t, bool ok, etsl_table **out, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    if (!t || !ok) {
        etsl_table_free(t);
        return finish(nomem(&e), &e, NULL, err, errlen);
    }
    *out = t;
    return finish(EL_OK, NULL, NULL, err, errlen);
}

int etsl_scenario_jurisdictions(const etsl_scenario *sc, etsl_table **out, char *err, size_t errlen)
{
    static const char *const names[] = {"id",          "name",       "kind",          "bau",
                                        "cap",         "ndc_target", "auction_share", "tax_rate",
                                        "credit_limit"};
    static const int types[] = {ETSL_COL_STRING, ETSL_COL_STRING, ETSL_COL_STRING,
                                ETSL_COL_DOUBLE, ETSL_COL_DOUBLE, ETSL_COL_DOUBLE,
                                ETSL_COL_DOUBLE, ETSL_COL_DOUBLE, ETSL_COL_DOUBLE};
    static const char *const kinds[] = {"absolute", "intensity", "tax"};
    etsl_table *t;
    bool ok;
    int j;
    if (!sc || !out)
        return bad_handle("etsl_scenario_jurisdictions", err, errlen);
    *out = NULL;
    t = table_new();
    ok = t && listing(t, names, types, 9) == 0;
    for (j = 0; ok && j < sc->s->njur; j++) {
        const ElJurisdiction *J = &sc->s->jur[j];
        long r = table_row(t);
        ok = r >= 0 && set_str(t, 0, r, J->id) && set_str(t, 1, r, J->name ? J->name : "") &&
             set_str(t, 2, r, kinds[J->cap_kind]);
        if (ok) {
            set_num(t, 3, r, J->bau);
            set_num(t, 4, r, J->cap);
            set_num(t, 5, r, J->ndc_target);
            set_num(t, 6, r, J->auction_share);
            set_num(t, 7, r, J->cap_kind == EL_CAP_TAX ? J->tax_rate : nan(""));
            set_num(t, 8, r, J->cap_kind == EL_CAP_TAX ? J->credit_limit : nan(""));
        }
    }
    return give_table(t, ok, out, err, errlen);
}

int etsl_scenario_designs(const etsl_scenario *sc, etsl_table **out, char *err, size_t errlen)
{
    static const char *const names[] = {"id",      "links",       "groups",        "instruments",
                                        "accepts", "export_caps", "import_limits", "projects",
                                        "sets"};
    static const int types[] = {ETSL_COL_STRING, ETSL_COL_INT, ETSL_COL_INT,
                                ETSL_COL_INT,    ETSL_COL_INT, ETSL_COL_INT,
                                ETSL_COL_INT,    ETSL_COL_INT, ETSL_COL_INT};
    etsl_table *t;
    bool ok;
    int d;
    if (!sc || !out)
        return bad_handle("etsl_scenario_designs", err, errlen);
    *out = NULL;
    t = table_new();
    ok = t && listing(t, names, types, 9) == 0;
    for (d = 0; ok && d < sc->s->ndesigns; d++) {
        const ElDesign *D = sc->s->designs[d];
        long r = table_row(t);
        ok = r >= 0 && set_str(t, 0, r, D->id);
        if (ok) {
            set_num(t, 1, r, D->nlinks);
            set_num(t, 2, r, D->ngroups);
            set_num(t, 3, r, D->ninstruments);
            set_num(t, 4, r, D->naccepts);
            set_num(t, 5, r, D->nexport_caps);
            set_num(t, 6, r, D->nimport_limits);
            set_num(t, 7, r, D->nprojects);
            set_num(t, 8, r, D->sets.n);
        }
    }
    return give_table(t, ok, out, err, errlen);
}

int etsl_scenario_pools(const etsl_scenario *sc, etsl_table **out, char *err, size_t errlen)
{
    static const char *const names[] = {"id", "host"};
    static const int types[] = {ETSL_COL_STRING, ETSL_COL_STRING};
    etsl_table *t;
    bool ok;
    int k;
    if (!sc || !out)
        return bad_handle("etsl_scenario_pools", err, errlen);
    *out = NULL;
    t = table_new();
    ok = t && listing(t, names, types, 2) == 0;
    for (k = 0; ok && k < sc->s->npools; k++) {
        const ElPool *P = &sc->s->pools[k];
        long r = table_row(t);
        ok = r >= 0 && set_str(t, 0, r, P->id) &&
             set_str(t, 1, r, P->host >= 0 ? sc->s->jur[P->host].id : "ROW");
    }
    return give_table(t, ok, out, err, errlen);
}

/* "A B C": the ids of jurisdictions idx[0..n-1] (only those whose bit is set in mask, when
 * mask is not 0), into a growing buffer; false when out of memory. */
typedef struct {
    char *p;
    size_t len, cap;
} Text;

static bool text_add(Text *x, const char *s)
{
    size_t n = strlen(s);
    if (x->len + n + 1 > x->cap) {
        size_t cap = 2 * (x->len + n + 1) + 64;
        char *p = el_realloc(x->p, cap);
        if (!p)
            return false;
        x->p = p;
        x->cap = cap;
    }
    memcpy(x->p + x->len, s, n + 1);
    x->len += n;
    return true;
}

static bool members_text(const ElScenario *s, const int *idx, int n, unsigned mask, Text *x)
{
    int k, m = 0;
    x->len = 0;
    if (!text_add(x, ""))
        return false;
    for (k = 0; k < n; k++)
        if (mask == 0 || ((mask >> k) & 1u))
            if ((m++ > 0 && !text_add(x, " ")) || !text_add(x, s->jur[idx[k]].id))
                return false;
    return true;
}

int etsl_scenario_analyses(const etsl_scenario *sc, etsl_table **out, char *err, size_t errlen)
{
    static const char *const names[] = {"id", "kind", "members", "rules"};
    static const int types[] = {ETSL_COL_STRING, ETSL_COL_STRING, ETSL_COL_STRING, ETSL_COL_STRING};
    static const char *const kinds[] = {"sweep", "search", "sequence", "coalitions", "uncertainty"};
    const ElAnalyses *x;
    etsl_table *t;
    Text text = {NULL, 0, 0};
    bool ok;
    int k;
    if (!sc || !out)
        return bad_handle("etsl_scenario_analyses", err, errlen);
    *out = NULL;
    x = sc->s->analyses;
    t = table_new();
    ok = t && listing(t, names, types, 4) == 0;
    for (k = 0; ok && x && k < x->nanalyses; k++) {
        const ElAnalysis *a = x->analyses[k];
        long r = table_row(t);
        int kind = (int)a->kind;
        ok = r >= 0 && set_str(t, 0, r, a->id) &&
             set_str(t, 1, r, kind >= 0 && kind <= 4 ? kinds[kind] : "?");
        if (ok && a->kind == EL_ANALYSIS_COALITIONS)
            ok = members_text(sc->s, a->designs, a->nsteps, 0, &text) && set_str(t, 2, r, text.p) &&
                 set_str(t, 3, r, a->rules >= 0 ? sc->s->designs[a->rules]->id : "");
    }
    el_free(text.p);
    return give_table(t, ok, out, err, errlen);
}

/* ---- Designs ---- */

typedef enum {
    EK_GROUP,
    EK_LINK,
    EK_INSTRUMENT,
    EK_ACCEPT,
    EK_EXPORT_CAP,
    EK_IMPORT_LIMIT,
    EK_PROJECT,
    EK_SET
} ElemKind;

typedef struct {
    ElemKind kind;
    char **ids; /* jurisdictions: group or project members; link from, to; else the one */
    int nids;
    char *word;     /* accept and set: the pool (may be NULL); project: its id; import limit:
                       its sources (NULL: the default) */
    double x[4];    /* the numbers, in the order of the etsl_design_* arguments */
    double *shares; /* project: nids shares */
    int code;       /* link: ElRentTo; instrument: ElInstrKind; set: ElSetField */
} Elem;

struct etsl_design {
    char *id;
    char *base; /* a scenario design the elements are appended to, or NULL */
    Elem *el;
    int n, cap;
};

static void elem_clear(Elem *x)
{
    int k;
    for (k = 0; x->ids && k < x->nids; k++)
        el_free(x->ids[k]);
    el_free(x->ids);
    el_free(x->word);
    el_free(x->shares);
}

void etsl_design_free(etsl_design *d)
{
    int i;
    if (!d)
        return;
    for (i = 0; i < d->n; i++)
        elem_clear(&d->el[i]);
    el_free(d->el);
    el_free(d->id);
    el_free(d->base);
    el_free(d);
}

static int input_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int input_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return ETSL_ERR_INPUT;
}

static int memory_error(char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    return finish(nomem(&e), &e, NULL, err, errlen);
}

int etsl_design_create(
    etsl_design **out, const char *id, const char *base, char *err, size_t errlen)
{
    etsl_design *d;
    if (!out)
        return bad_handle("etsl_design_create", err, errlen);
    *out = NULL;
    if (!id)
        id = base;
    if (!id || !id[0])
        return input_error(err, errlen, "a design needs an id");
    d = el_calloc(1, sizeof(*d));
    if (!d)
        return memory_error(err, errlen);
    d->id = el_strdup(id);
    d->base = base ? el_strdup(base) : NULL;
    if (!d->id || (base && !d->base)) {
        etsl_design_free(d);
        return memory_error(err, errlen);
    }
    *out = d;
    return finish(EL_OK, NULL, NULL, err, errlen);
}

const char *etsl_design_id(const etsl_design *d)
{
    return d ? d->id : NULL;
}

/* A new element of d with n ids copied from ids (none may be NULL or empty) into *out; the
 * status, with the error written. */
static int elem_new(etsl_design *d,
                    ElemKind kind,
                    const char *const *ids,
                    int n,
                    Elem **out,
                    char *err,
                    size_t errlen)
{
    Elem *x;
    int k;
    *out = NULL;
    for (k = 0; k < n; k++)
        if (!ids[k] || !ids[k][0])
            return input_error(err, errlen, "design '%s': a jurisdiction id is missing or empty",
                               d->id);
    if (d->n == d->cap) {
        int cap = d->cap ? 2 * d->cap : 8;
        Elem *ne = el_reallocarray(d->el, (size_t)cap, sizeof(*ne));
        if (!ne)
            return memory_error(err, errlen);
        d->el = ne;
        d->cap = cap;
    }
    x = &d->el[d->n];
    memset(x, 0, sizeof(*x));
    x->kind = kind;
    x->ids = el_calloc((size_t)(n > 0 ? n : 1), sizeof(char *));
    if (!x->ids)
        return memory_error(err, errlen);
    for (x->nids = 0; x->nids < n; x->nids++)
        if (!(x->ids[x->nids] = el_strdup(ids[x->nids]))) {
            elem_clear(x);
            return memory_error(err, errlen);
        }
    d->n++;
    *out = x;
    return ETSL_OK;
}

/* Drop the last element (its word could not be copied). */
static int elem_drop_nomem(etsl_design *d, char *err, size_t errlen)
{
    elem_clear(&d->el[--d->n]);
    return memory_error(err, errlen);
}

static int ok_result(char *err, size_t errlen)
{
    return finish(EL_OK, NULL, NULL, err, errlen);
}

int etsl_design_group(etsl_design *d, const char *const *members, int n, char *err, size_t errlen)
{
    if (!d)
        return bad_handle("etsl_design_group", err, errlen);
    if (n < 1 || !members)
        return input_error(err, errlen, "design '%s': a group needs members", d->id);
    {
        Elem *x;
        int rc = elem_new(d, EK_GROUP, members, n, &x, err, errlen);
        return rc != ETSL_OK ? rc : ok_result(err, errlen);
    }
}

int etsl_design_link(etsl_design *d,
                     const char *from,
                     const char *to,
                     double rate,
                     double quota,
                     double quota_share,
                     const char *rent_to,
                     char *err,
                     size_t errlen)
{
    static const char *const rents[] = {"buyer", "buyer-government", "seller"};
    const char *ids[2] = {from, to};
    int code = EL_RENT_BUYER, k, rc;
    Elem *x;
    if (!d)
        return bad_handle("etsl_design_link", err, errlen);
    if (rent_to) {
        for (k = 0; k < 3 && strcmp(rent_to, rents[k]) != 0; k++)
            ;
        if (k == 3)
            return input_error(err, errlen,
                               "design '%s': link %s->%s: rent-to '%s' is not buyer, "
                               "buyer-government or seller",
                               d->id, from ? from : "?", to ? to : "?", rent_to);
        code = k;
    }
    rc = elem_new(d, EK_LINK, ids, 2, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    x->x[0] = isnan(rate) ? 1.0 : rate;
    x->x[1] = isnan(quota) ? HUGE_VAL : quota;
    x->x[2] = quota_share;
    x->code = code;
    return ok_result(err, errlen);
}

int etsl_design_instrument(etsl_design *d,
                           const char *kind,
                           const char *jur,
                           double price,
                           double volume,
                           char *err,
                           size_t errlen)
{
    static const char *const kinds[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};
    int k;
    Elem *x;
    int rc;
    if (!d)
        return bad_handle("etsl_design_instrument", err, errlen);
    for (k = 0; kind && k < EL_INSTR_KINDS && strcmp(kind, kinds[k]) != 0; k++)
        ;
    if (!kind || k == EL_INSTR_KINDS)
        return input_error(err, errlen,
                           "design '%s': instrument '%s' is not floor, ceiling or penalty", d->id,
                           kind ? kind : "");
    if (isnan(price))
        return input_error(err, errlen, "design '%s': the %s of '%s' needs a price", d->id,
                           kinds[k], jur ? jur : "?");
    rc = elem_new(d, EK_INSTRUMENT, &jur, 1, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    x->code = k;
    x->x[0] = price;
    x->x[1] = isnan(volume) ? HUGE_VAL : volume;
    return ok_result(err, errlen);
}

int etsl_design_accept(etsl_design *d,
                       const char *pool,
                       const char *jur,
                       double limit,
                       double limit_share,
                       double discount,
                       char *err,
                       size_t errlen)
{
    Elem *x;
    int rc;
    if (!d)
        return bad_handle("etsl_design_accept", err, errlen);
    if (!pool || !pool[0])
        return input_error(err, errlen, "design '%s': an accept needs a pool", d->id);
    rc = elem_new(d, EK_ACCEPT, &jur, 1, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    x->word = el_strdup(pool);
    if (!x->word)
        return elem_drop_nomem(d, err, errlen);
    x->x[0] = isnan(limit) ? HUGE_VAL : limit;
    x->x[1] = limit_share;
    x->x[2] = isnan(discount) ? 1.0 : discount;
    return ok_result(err, errlen);
}

int etsl_design_export_cap(
    etsl_design *d, const char *jur, double max, double share_of_cap, char *err, size_t errlen)
{
    Elem *x;
    int rc;
    if (!d)
        return bad_handle("etsl_design_export_cap", err, errlen);
    if (isnan(max) == isnan(share_of_cap))
        return input_error(err, errlen,
                           "design '%s': the export cap of '%s' needs exactly one of max and "
                           "share-of-cap",
                           d->id, jur ? jur : "?");
    rc = elem_new(d, EK_EXPORT_CAP, &jur, 1, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    x->x[0] = isnan(max) ? HUGE_VAL : max;
    x->x[1] = share_of_cap;
    return ok_result(err, errlen);
}

int etsl_design_import_limit(etsl_design *d,
                             const char *jur,
                             double max,
                             double share,
                             const char *sources,
                             char *err,
                             size_t errlen)
{
    Elem *x;
    int rc;
    if (!d)
        return bad_handle("etsl_design_import_limit", err, errlen);
    if (isnan(max) == isnan(share))
        return input_error(err, errlen,
                           "design '%s': the import limit of '%s' needs exactly one of max and "
                           "share",
                           d->id, jur ? jur : "?");
    if (sources && !sources[strspn(sources, " \t\r\n")])
        return input_error(err, errlen, "design '%s': the import limit of '%s' has no sources",
                           d->id, jur ? jur : "?");
    rc = elem_new(d, EK_IMPORT_LIMIT, &jur, 1, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    if (sources && !(x->word = el_strdup(sources)))
        return elem_drop_nomem(d, err, errlen);
    x->x[0] = isnan(max) ? HUGE_VAL : max;
    x->x[1] = share;
    return ok_result(err, errlen);
}

int etsl_design_project(etsl_design *d,
                        const char *id,
                        double capacity,
                        double fixed_cost,
                        double variable_cost,
                        const char *const *members,
                        const double *shares,
                        int n,
                        char *err,
                        size_t errlen)
{
    Elem *x;
    int rc;
    if (!d)
        return bad_handle("etsl_design_project", err, errlen);
    if (!id || !id[0])
        return input_error(err, errlen, "design '%s': a project needs an id", d->id);
    if (n < 1 || !members || !shares)
        return input_error(err, errlen, "design '%s': project '%s' needs members and shares", d->id,
                           id);
    rc = elem_new(d, EK_PROJECT, members, n, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    x->word = el_strdup(id);
    x->shares = el_malloc((size_t)n * sizeof(double));
    if (!x->word || !x->shares)
        return elem_drop_nomem(d, err, errlen);
    memcpy(x->shares, shares, (size_t)n * sizeof(double));
    x->x[0] = isnan(capacity) ? 0 : capacity;
    x->x[1] = isnan(fixed_cost) ? 0 : fixed_cost;
    x->x[2] = isnan(variable_cost) ? 0 : variable_cost;
    return ok_result(err, errlen);
}

int etsl_design_set(etsl_design *d,
                    const char *jur,
                    const char *field,
                    const char *pool,
                    double value,
                    char *err,
                    size_t errlen)
{
    int f = field ? el_set_field_parse(field) : -1, rc;
    Elem *x;
    if (!d)
        return bad_handle("etsl_design_set", err, errlen);
    if (f < 0)
        return input_error(err, errlen, "design '%s': set: '%s' is not a field of <set>", d->id,
                           field ? field : "");
    if (isnan(value))
        return input_error(err, errlen, "design '%s': set %s of '%s': the value is not a number",
                           d->id, field, jur ? jur : "?");
    rc = elem_new(d, EK_SET, &jur, 1, &x, err, errlen);
    if (rc != ETSL_OK)
        return rc;
    if (pool && pool[0] && !(x->word = el_strdup(pool)))
        return elem_drop_nomem(d, err, errlen);
    x->code = f;
    x->x[0] = value;
    return ok_result(err, errlen);
}

/* ---- Resolving a design against a scenario ---- */

/* "no such jurisdiction" with the ids the scenario has. */
static el_status unknown_id(const ElScenario *s,
                            const etsl_design *d,
                            const char *what,
                            const char *id,
                            bool pool,
                            ElError *e)
{
    char known[200];
    size_t len = 0;
    int k, n = pool ? s->npools : s->njur;
    known[0] = '\0';
    for (k = 0; k < n && len + 8 < sizeof(known); k++) {
        int m = snprintf(known + len, sizeof(known) - len, "%s%s", k ? " " : "",
                         pool ? s->pools[k].id : s->jur[k].id);
        len += m > 0 ? (size_t)m : 0;
    }
    if (len >= sizeof(known) - 8)
        snprintf(known + sizeof(known) - 8, 8, " ...");
    return el_error_set(e, EL_ERR_INPUT, "%s: design '%s': %s: '%s' is not %s of the scenario (%s)",
                        s->path, d->id, what, id, pool ? "an offset pool" : "a jurisdiction",
                        n ? known : "none");
}

static el_status find_jur(const ElScenario *s,
                          const etsl_design *d,
                          const char *what,
                          const char *id,
                          int *out,
                          ElError *e)
{
    *out = el_scenario_find(s, id);
    return *out >= 0 ? EL_OK : unknown_id(s, d, what, id, false, e);
}

static el_status find_pool(const ElScenario *s,
                           const etsl_design *d,
                           const char *what,
                           const char *id,
                           int *out,
                           ElError *e)
{
    *out = el_scenario_find_pool(s, id);
    return *out >= 0 ? EL_OK : unknown_id(s, d, what, id, true, e);
}

/* The jurisdiction indices of x's ids into idx (x->nids entries). */
static el_status elem_jurs(const ElScenario *s,
                           const etsl_design *d,
                           const Elem *x,
                           const char *what,
                           int *idx,
                           ElError *e)
{
    int k;
    el_status st = EL_OK;
    for (k = 0; st == EL_OK && k < x->nids; k++)
        st = find_jur(s, d, what, x->ids[k], &idx[k], e);
    return st;
}

static el_status
import_limit(const ElScenario *s, const etsl_design *d, const Elem *x, ElDesign *D, ElError *e)
{
    static const char *const kinds[] = {"links", "groups", "offsets", "projects"};
    static const unsigned bits[] = {EL_IMPORT_LINKS, EL_IMPORT_GROUPS, EL_IMPORT_OFFSETS,
                                    EL_IMPORT_PROJECTS};
    unsigned sources = x->word ? 0u : EL_IMPORT_DEFAULT;
    int j = -1, npools = 0, *pools = NULL, cap = 0;
    char *copy = x->word ? el_strdup(x->word) : NULL, *tok, *save = NULL;
    el_status st = x->word && !copy ? nomem(e) : find_jur(s, d, "import limit", x->ids[0], &j, e);
    for (tok = st == EL_OK && copy ? strtok_r(copy, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        int k, pk;
        for (k = 0; k < 4 && strcmp(tok, kinds[k]) != 0; k++)
            ;
        if (k < 4) {
            sources |= bits[k];
            continue;
        }
        pk = el_scenario_find_pool(s, tok);
        if (pk < 0) {
            st = el_error_set(e, EL_ERR_INPUT,
                              "%s: design '%s': import limit of '%s': sources: '%s' is neither "
                              "links, groups, offsets, projects nor an offset pool",
                              s->path, d->id, x->ids[0], tok);
            break;
        }
        if (npools == cap) {
            int *np = el_reallocarray(pools, (size_t)(cap = cap ? 2 * cap : 4), sizeof(int));
            if (!np) {
                st = nomem(e);
                break;
            }
            pools = np;
        }
        pools[npools++] = pk;
    }
    if (st == EL_OK)
        st = el_design_add_import_limit(D, j, x->x[0], x->x[1], sources, pools, npools, 0, e);
    el_free(pools);
    el_free(copy);
    return st;
}

static el_status
add_elem(const ElScenario *s, const etsl_design *d, const Elem *x, ElDesign *D, ElError *e)
{
    int two[2], j, pk = -1, *idx;
    el_status st;
    switch (x->kind) {
    case EK_GROUP:
    case EK_PROJECT:
        idx = el_malloc((size_t)x->nids * sizeof(int));
        if (!idx)
            return nomem(e);
        st = elem_jurs(s, d, x, x->kind == EK_GROUP ? "group" : "project", idx, e);
        if (st == EL_OK && x->kind == EK_GROUP)
            st = el_design_add_group(D, idx, x->nids, 0, e);
        else if (st == EL_OK)
            st = el_design_add_project(D, x->word, x->x[0], x->x[1], x->x[2], idx, x->shares,
                                       x->nids, 0, e);
        el_free(idx);
        return st;
    case EK_LINK:
        st = elem_jurs(s, d, x, "link", two, e);
        return st != EL_OK ? st
                           : el_design_add_link(D, two[0], two[1], x->x[0], x->x[1], x->x[2],
                                                (ElRentTo)x->code, 0, e);
    case EK_INSTRUMENT:
        st = find_jur(s, d, "instrument", x->ids[0], &j, e);
        return st != EL_OK
                   ? st
                   : el_design_add_instrument(D, j, (ElInstrKind)x->code, x->x[0], x->x[1], 0, e);
    case EK_ACCEPT:
        st = find_jur(s, d, "accept", x->ids[0], &j, e);
        if (st == EL_OK)
            st = find_pool(s, d, "accept", x->word, &pk, e);
        return st != EL_OK ? st : el_design_add_accept(D, pk, j, x->x[0], x->x[1], x->x[2], 0, e);
    case EK_EXPORT_CAP:
        st = find_jur(s, d, "export cap", x->ids[0], &j, e);
        return st != EL_OK ? st : el_design_add_export_cap(D, j, x->x[0], x->x[1], 0, e);
    case EK_IMPORT_LIMIT:
        return import_limit(s, d, x, D, e);
    case EK_SET:
        st = find_jur(s, d, "set", x->ids[0], &j, e);
        if (st == EL_OK && x->word)
            st = find_pool(s, d, "set", x->word, &pk, e);
        return st != EL_OK ? st : el_design_add_set(D, j, (ElSetField)x->code, pk, x->x[0], 0, e);
    }
    return el_error_set(e, EL_ERR_INTERNAL, "unknown element kind");
}

/* d resolved against s into *out (checked); *out is NULL on failure. */
static el_status resolve(const ElScenario *s, const etsl_design *d, ElDesign **out, ElError *e)
{
    el_status st;
    int i;
    *out = NULL;
    if (d->base) {
        int k = el_scenario_find_design(s, d->base);
        if (k < 0)
            return el_error_set(e, EL_ERR_INPUT, "%s: '%s' is not a design of the scenario",
                                s->path, d->base);
        st = el_design_copy(out, s->designs[k], d->id, e);
    } else {
        st = el_design_create(out, d->id, 0, e);
    }
    for (i = 0; st == EL_OK && i < d->n; i++)
        st = add_elem(s, d, &d->el[i], *out, e);
    if (st == EL_OK)
        st = el_design_check(s, *out, e);
    if (st != EL_OK) {
        el_design_free(*out);
        *out = NULL;
    }
    return st;
}

int etsl_design_check(const etsl_scenario *sc, const etsl_design *d, char *err, size_t errlen)
{
    ElError e = {EL_OK, ""};
    ElDesign *D;
    el_status st;
    if (!sc || !d)
        return bad_handle("etsl_design_check", err, errlen);
    st = resolve(sc->s, d, &D, &e);
    el_design_free(D);
    return finish(st, &e, sc->s->path, err, errlen);
}

/* ---- Solving: a producer over resolved designs, a sink filling the tables ---- */

static int online_threads(int threads)
{
    long n;
    if (threads > 0)
        return threads > 256 ? 256 : threads;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

typedef struct {
    ElDesign **d;
    int n;
} List;

static el_status list_item(void *ctx, long i, ElBatchItem *out, ElError *err)
{
    const List *l = ctx;
    (void)err;
    out->design = l->d[i];
    out->variation = NULL;
    return EL_OK;
}

/* The columns of one record of the field table, in results.csv's order (then the XML-only
 * fields), and where each goes in its table. */
#define MAX_FIELDS 48
typedef struct {
    const ElResultField *f[MAX_FIELDS];
    int col[MAX_FIELDS];
    int n;
} Fields;

static const char *unit_text(const ElScenario *s, ElUnitKind u, char *buf, size_t size)
{
    buf[0] = '\0';
    if (u == EL_UNIT_MT)
        snprintf(buf, size, "Mt");
    else if (u == EL_UNIT_PRICE)
        snprintf(buf, size, "%s/t", s->currency);
    else if (u == EL_UNIT_MONEY)
        snprintf(buf, size, "million %s", s->currency);
    return buf;
}

static bool add_fields(etsl_table *t, const ElScenario *s, ElRecord rec, Fields *F)
{
    int nf, i, pos, pass;
    const ElResultField *all = el_result_fields(&nf);
    char name[64], unit[96];
    F->n = 0;
    for (pass = 0; pass < 2; pass++)
        for (pos = 0; pos < MAX_FIELDS; pos++)
            for (i = 0; i < nf; i++) {
                const ElResultField *f = &all[i];
                int type, c, k;
                if (f->record != rec || (pass == 0 ? !f->csv || f->csv_pos != pos
                                                   : f->csv || !f->xml || f->xml_pos != pos))
                    continue;
                snprintf(name, sizeof(name), "%s", f->csv ? f->csv : f->xml);
                for (k = 0; name[k]; k++)
                    if (name[k] == '-')
                        name[k] = '_';
                type = f->kind == EL_VAL_BINDING || f->kind == EL_VAL_OUTCOME ? ETSL_COL_STRING
                       : f->kind == EL_VAL_FLAG                               ? ETSL_COL_BOOL
                                                                              : ETSL_COL_DOUBLE;
                c = table_col(t, name, unit_text(s, f->unit, unit, sizeof(unit)), type);
                if (c < 0 || F->n == MAX_FIELDS)
                    return false;
                F->f[F->n] = f;
                F->col[F->n++] = c;
            }
    return true;
}

/* Fill row r with the fields F of the struct at base. */
static bool put_fields(etsl_table *t, long r, const Fields *F, const void *base)
{
    int i;
    for (i = 0; i < F->n; i++) {
        const ElResultField *f = F->f[i];
        const char *p = (const char *)base + f->offset;
        double v;
        bool b;
        ElBinding bind;
        ElOutcome o;
        switch (f->kind) {
        case EL_VAL_NUM:
        case EL_VAL_NUM_OPT:
            memcpy(&v, p, sizeof(v));
            set_num(t, F->col[i], r, v);
            break;
        case EL_VAL_FLAG:
            memcpy(&b, p, sizeof(b));
            set_num(t, F->col[i], r, b ? 1 : 0);
            break;
        case EL_VAL_BINDING:
            memcpy(&bind, p, sizeof(bind));
            if (!set_str(t, F->col[i], r, el_binding_name(bind)))
                return false;
            break;
        case EL_VAL_OUTCOME:
            memcpy(&o, p, sizeof(o));
            if (!set_str(t, F->col[i], r, el_results_outcome_name(o)))
                return false;
            break;
        case EL_VAL_OTHER:
            break;
        }
    }
    return true;
}

enum {
    T_DESIGNS,
    T_JUR,
    T_LINKS,
    T_POOLS,
    T_OFFSETS,
    T_PROJECTS,
    T_COUNT
};

typedef struct {
    etsl_tables *ts;
    const ElScenario *s;
    etsl_table *t[T_COUNT];
    Fields outcome, total, jur, shortfall, link, pool, offset, project;
    int jur_key, link_key, pool_key, offset_key, project_key; /* first key column */
} Collect;

static bool keys(etsl_table *t, const char *const *names, int n, int *first)
{
    int k, c = 0;
    for (k = 0; k < n && c >= 0; k++) {
        c = table_col(t, names[k], "", ETSL_COL_STRING);
        if (k == 0)
            *first = c;
    }
    return c >= 0;
}

static el_status collect_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    static const char *const names[T_COUNT] = {"designs", "jurisdictions", "links",
                                               "pools",   "offsets",       "projects"};
    static const char *const design[] = {"design"};
    static const char *const jur[] = {"design", "jurisdiction"};
    static const char *const link[] = {"design", "link", "from", "to", "rent_to"};
    static const char *const pool[] = {"design", "pool", "host"};
    static const char *const offset[] = {"design", "offset", "pool", "jurisdiction"};
    static const char *const project[] = {"design", "project"};
    Collect *c = ctx;
    int k, first;
    bool ok = true;
    (void)count;
    c->s = s;
    for (k = 0; ok && k < T_COUNT; k++)
        ok = (c->t[k] = tables_add(c->ts, names[k])) != NULL;
    ok = ok && keys(c->t[T_DESIGNS], design, 1, &first) &&
         add_fields(c->t[T_DESIGNS], s, EL_REC_OUTCOME, &c->outcome) &&
         add_fields(c->t[T_DESIGNS], s, EL_REC_TOTAL, &c->total) &&
         keys(c->t[T_JUR], jur, 2, &c->jur_key) &&
         add_fields(c->t[T_JUR], s, EL_REC_JUR, &c->jur) &&
         add_fields(c->t[T_JUR], s, EL_REC_SHORTFALL, &c->shortfall) &&
         keys(c->t[T_LINKS], link, 5, &c->link_key) &&
         add_fields(c->t[T_LINKS], s, EL_REC_LINK, &c->link) &&
         keys(c->t[T_POOLS], pool, 3, &c->pool_key) &&
         add_fields(c->t[T_POOLS], s, EL_REC_POOL, &c->pool) &&
         keys(c->t[T_OFFSETS], offset, 4, &c->offset_key) &&
         add_fields(c->t[T_OFFSETS], s, EL_REC_OFFSET, &c->offset) &&
         keys(c->t[T_PROJECTS], project, 2, &c->project_key) &&
         add_fields(c->t[T_PROJECTS], s, EL_REC_PROJECT, &c->project);
    return ok ? EL_OK : nomem(err);
}

/* A row of table t starting with the design id and the given keys. */
static long keyed_row(etsl_table *t, const char *design, const char *const *k, int n)
{
    long r = table_row(t);
    int i;
    bool ok = r >= 0 && set_str(t, 0, r, design);
    for (i = 0; ok && i < n; i++)
        ok = set_str(t, 1 + i, r, k[i]);
    return ok ? r : -1;
}

static el_status collect_result(void *ctx,
                                long index,
                                const ElBatchItem *item,
                                const ElDesignResult *r,
                                const ElDesignResult *baseline,
                                ElError *err)
{
    static const char *const rents[] = {"buyer", "buyer-government", "seller"};
    Collect *c = ctx;
    const ElScenario *s = c->s;
    const ElDesign *D = r->design;
    bool solved = r->outcome == EL_OPTIMAL, ok;
    char who[512];
    long row;
    int j, l;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK; /* the baseline is not a design of the results */
    row = keyed_row(c->t[T_DESIGNS], r->id, NULL, 0);
    ok = row >= 0 && put_fields(c->t[T_DESIGNS], row, &c->outcome, r) &&
         (!solved || put_fields(c->t[T_DESIGNS], row, &c->total, r));
    for (j = 0; ok && j < r->njur; j++) {
        const char *k[1] = {s->jur[j].id};
        row = keyed_row(c->t[T_JUR], r->id, k, 1);
        ok = row >= 0 && (solved ? put_fields(c->t[T_JUR], row, &c->jur, &r->jur[j])
                                 : put_fields(c->t[T_JUR], row, &c->shortfall, &r->jur[j]));
    }
    if (!solved) /* no prices, quantities or gains: the shortfall alone, as results.csv */
        return ok ? EL_OK : nomem(err);
    for (l = 0; ok && l < r->nlinks; l++) {
        const ElLink *lk = &D->links[l];
        const char *k[4] = {who, s->jur[lk->from].id, s->jur[lk->to].id, rents[lk->rent_to]};
        snprintf(who, sizeof(who), "%s->%s", k[1], k[2]);
        row = keyed_row(c->t[T_LINKS], r->id, k, 4);
        ok = row >= 0 && put_fields(c->t[T_LINKS], row, &c->link, &r->link[l]);
    }
    for (l = 0; ok && l < r->npools; l++) {
        const char *k[2] = {s->pools[l].id,
                            s->pools[l].host >= 0 ? s->jur[s->pools[l].host].id : "ROW"};
        if (!r->pool[l].used)
            continue;
        row = keyed_row(c->t[T_POOLS], r->id, k, 2);
        ok = row >= 0 && put_fields(c->t[T_POOLS], row, &c->pool, &r->pool[l]);
    }
    for (l = 0; ok && l < r->naccepts; l++) {
        const char *k[3] = {who, s->pools[r->accept[l].pool].id, s->jur[r->accept[l].jur].id};
        snprintf(who, sizeof(who), "%s<-%s", k[2], k[1]);
        row = keyed_row(c->t[T_OFFSETS], r->id, k, 3);
        ok = row >= 0 && put_fields(c->t[T_OFFSETS], row, &c->offset, &r->accept[l]);
    }
    for (l = 0; ok && l < r->nprojects; l++) {
        const char *k[1] = {D->projects[l].id};
        row = keyed_row(c->t[T_PROJECTS], r->id, k, 1);
        ok = row >= 0 && put_fields(c->t[T_PROJECTS], row, &c->project, &r->project[l]);
    }
    return ok ? EL_OK : nomem(err);
}

/* Resolve the n designs of list (ids distinct) into l->d; free with free_list. */
static void free_list(List *l)
{
    int i;
    for (i = 0; l->d && i < l->n; i++)
        el_design_free(l->d[i]);
    el_free(l->d);
    l->d = NULL;
    l->n = 0;
}

static el_status
resolve_list(const ElScenario *s, const etsl_design *const *list, int n, List *l, ElError *e)
{
    el_status st = EL_OK;
    int i, k;
    l->n = 0;
    l->d = el_calloc((size_t)(n > 0 ? n : 1), sizeof(ElDesign *));
    if (!l->d)
        return nomem(e);
    for (i = 0; st == EL_OK && i < n; i++) {
        if (!list[i]) {
            st = el_error_set(e, EL_ERR_INPUT, "etsl_solve: design %d is NULL", i);
            break;
        }
        for (k = 0; k < i; k++)
            if (strcmp(list[k]->id, list[i]->id) == 0) {
                st = el_error_set(e, EL_ERR_INPUT,
                                  "%s: design id '%s' is given twice (designs %d and %d of the "
                                  "list); give each design its own id",
                                  s->path, list[i]->id, k, i);
                break;
            }
        if (st == EL_OK)
            st = resolve(s, list[i], &l->d[i], e);
        if (st == EL_OK)
            l->n = i + 1;
    }
    if (st != EL_OK)
        free_list(l);
    return st;
}

int etsl_solve(const etsl_scenario *sc,
               const etsl_design *const *designs,
               int n,
               int threads,
               etsl_tables **out,
               char *err,
               size_t errlen)
{
    ElError e = {EL_OK, ""};
    List l = {NULL, 0};
    Collect c;
    ElBatchOptions opt = {online_threads(threads), false, 0};
    ElProducer prod;
    ElSink sink = {&c, collect_begin, collect_result, NULL, NULL};
    const ElSink *sinks[1] = {&sink};
    el_status st;
    if (!sc || !out || (n > 0 && !designs) || n < 0)
        return bad_handle("etsl_solve", err, errlen);
    *out = NULL;
    memset(&c, 0, sizeof(c));
    st = resolve_list(sc->s, designs, n, &l, &e);
    if (st == EL_OK) {
        c.ts = el_calloc(1, sizeof(*c.ts));
        st = c.ts ? EL_OK : nomem(&e);
    }
    if (st == EL_OK) {
        prod = (ElProducer){&l, l.n, list_item, NULL};
        st = el_batch_solve(sc->s, &prod, &opt, sinks, 1, &e);
    }
    free_list(&l);
    if (st != EL_OK) {
        etsl_tables_free(c.ts);
        return finish(st, &e, sc->s->path, err, errlen);
    }
    *out = c.ts;
    return finish(EL_OK, NULL, NULL, err, errlen);
}

/* ---- Coalitions ---- */

#define TOP_COALITIONS     EL_TOP_COALITIONS /* beyond COALITIONS_ALL_MAX members */
#define COALITIONS_ALL_MAX 16                /* up to this many members, every coalition is a row */

/* "{A B}{C}": the blocks of a structure. */
static bool structure_text(const ElScenario *s, const ElGame *g, const ElStructure *x, Text *t)
{
    Text block = {NULL, 0, 0};
    bool ok = text_add(t, "");
    int b;
    t->len = 0;
    t->p[0] = '\0';
    for (b = 0; ok && b < x->nblocks; b++)
        ok = members_text(s, g->members, g->n, x->blocks[b], &block) && text_add(t, "{") &&
             text_add(t, block.p) && text_add(t, "}");
    el_free(block.p);
    return ok;
}

static bool coalition_tables(etsl_tables *ts, const ElScenario *s, const ElCoalitionResult *res)
{
    static const char *const sum_names[] = {"members",
                                            "coalitions",
                                            "grand_coalition",
                                            "superadditive",
                                            "superadditivity_gap",
                                            "core_empty",
                                            "least_core",
                                            "market_in_core",
                                            "market_gap",
                                            "market_blocked_by",
                                            "partitions",
                                            "stable_market_structures",
                                            "stable_shapley_structures",
                                            "cs_core_structures",
                                            "best_structure_value",
                                            "structures_truncated"};
    static const int sum_types[] = {
        ETSL_COL_INT,    ETSL_COL_INT,    ETSL_COL_DOUBLE, ETSL_COL_BOOL,
        ETSL_COL_DOUBLE, ETSL_COL_BOOL,   ETSL_COL_DOUBLE, ETSL_COL_BOOL,
        ETSL_COL_DOUBLE, ETSL_COL_STRING, ETSL_COL_INT,    ETSL_COL_INT,
        ETSL_COL_INT,    ETSL_COL_INT,    ETSL_COL_DOUBLE, ETSL_COL_BOOL};
    static const char *const mem_names[] = {"member",   "market_gain", "shapley",
                                            "transfer", "least_core",  "nucleolus"};
    static const int mem_types[] = {ETSL_COL_STRING, ETSL_COL_DOUBLE, ETSL_COL_DOUBLE,
                                    ETSL_COL_DOUBLE, ETSL_COL_DOUBLE, ETSL_COL_DOUBLE};
    static const char *const coal_names[] = {"coalition", "mask", "size", "value"};
    static const int coal_types[] = {ETSL_COL_STRING, ETSL_COL_INT, ETSL_COL_INT, ETSL_COL_DOUBLE};
    static const char *const gain_names[] = {"coalition", "member", "gain"};
    static const int gain_types[] = {ETSL_COL_STRING, ETSL_COL_STRING, ETSL_COL_DOUBLE};
    static const char *const str_names[] = {"structure",
                                            "blocks",
                                            "value",
                                            "loss",
                                            "loss_share",
                                            "stable_market",
                                            "stable_shapley",
                                            "cs_core",
                                            "blocked_market_by",
                                            "blocked_shapley_by"};
    static const int str_types[] = {
        ETSL_COL_STRING, ETSL_COL_INT,  ETSL_COL_DOUBLE, ETSL_COL_DOUBLE, ETSL_COL_DOUBLE,
        ETSL_COL_BOOL,   ETSL_COL_BOOL, ETSL_COL_BOOL,   ETSL_COL_STRING, ETSL_COL_STRING};
    const ElGame *g = &res->game;
    const ElCore *core = &res->core;
    const ElStructures *x = &res->structures;
    etsl_table *sum = tables_add(ts, "summary"), *mem = tables_add(ts, "members"),
               *coal = tables_add(ts, "coalitions"), *gains = tables_add(ts, "gains"),
               *str = tables_add(ts, "structures");
    unsigned full = (1u << g->n) - 1u, m, top[TOP_COALITIONS];
    Text text = {NULL, 0, 0};
    long r;
    int k, i, nt;
    bool ok = sum && mem && coal && gains && str && listing(sum, sum_names, sum_types, 16) == 0 &&
              listing(mem, mem_names, mem_types, 6) == 0 &&
              listing(coal, coal_names, coal_types, 4) == 0 &&
              listing(gains, gain_names, gain_types, 3) == 0 &&
              listing(str, str_names, str_types, 10) == 0;
    /* the summary: one row */
    r = ok ? table_row(sum) : -1;
    ok = r >= 0;
    if (ok) {
        double vn = g->v[full];
        set_num(sum, 0, r, g->n);
        set_num(sum, 1, r, (double)g->evaluations);
        set_num(sum, 2, r, vn);
        set_num(sum, 3, r, g->superadditive);
        set_num(sum, 4, r, g->superadditive ? nan("") : g->sa_gap);
        set_num(sum, 5, r, core->empty);
        set_num(sum, 6, r, core->eps);
        set_num(sum, 7, r, core->market_in_core);
        set_num(sum, 8, r, core->market_in_core ? nan("") : core->market_gap);
        if (!core->market_in_core)
            ok = members_text(s, g->members, g->n, core->market_s, &text) &&
                 set_str(sum, 9, r, text.p);
        if (res->have_structures) {
            set_num(sum, 10, r, (double)x->partitions);
            set_num(sum, 11, r, (double)x->stable_count[EL_PAYOFF_MARKET]);
            set_num(sum, 12, r, (double)x->stable_count[EL_PAYOFF_SHAPLEY]);
            set_num(sum, 13, r, (double)x->cs_core_count);
            set_num(sum, 14, r, x->best_value);
            set_num(sum, 15, r, x->truncated);
        }
    }
    /* each member's allocations */
    for (k = 0; ok && k < g->n; k++) {
        r = table_row(mem);
        ok = r >= 0 && set_str(mem, 0, r, s->jur[g->members[k]].id);
        if (ok) {
            set_num(mem, 1, r, g->market[k]);
            set_num(mem, 2, r, g->shapley[k]);
            set_num(mem, 3, r, g->shapley[k] - g->market[k]);
            set_num(mem, 4, r, core->x[k]);
            set_num(mem, 5, r, res->have_nucleolus ? res->nucleolus[k] : nan(""));
        }
    }
    /* the coalitions: every one, or the largest values */
    nt = g->n <= COALITIONS_ALL_MAX ? (int)full : el_game_top_coalitions(g, top);
    for (i = 0; ok && i < nt; i++) {
        m = g->n <= COALITIONS_ALL_MAX ? (unsigned)i + 1u : top[i];
        r = table_row(coal);
        ok = r >= 0 && members_text(s, g->members, g->n, m, &text) && set_str(coal, 0, r, text.p);
        if (ok) {
            set_num(coal, 1, r, m);
            set_num(coal, 2, r, __builtin_popcount(m));
            set_num(coal, 3, r, g->v[m]);
        }
        for (k = 0; ok && g->gains && k < g->n; k++)
            if ((m >> k) & 1u) {
                r = table_row(gains);
                ok = r >= 0 && set_str(gains, 0, r, text.p) &&
                     set_str(gains, 1, r, s->jur[g->members[k]].id);
                if (ok)
                    set_num(gains, 2, r, g->gains[(size_t)m * (size_t)g->n + (size_t)k]);
            }
    }
    /* the listed coalition structures */
    for (i = 0; ok && res->have_structures && i < x->nlisted; i++) {
        const ElStructure *p = &x->listed[i];
        double vn = g->v[full];
        r = table_row(str);
        ok = r >= 0 && structure_text(s, g, p, &text) && set_str(str, 0, r, text.p);
        if (ok) {
            set_num(str, 1, r, p->nblocks);
            set_num(str, 2, r, p->value);
            set_num(str, 3, r, p->loss);
            set_num(str, 4, r, vn > 0 ? p->loss / vn : nan(""));
            set_num(str, 5, r, p->stable[EL_PAYOFF_MARKET]);
            set_num(str, 6, r, p->stable[EL_PAYOFF_SHAPLEY]);
            set_num(str, 7, r, p->cs_core);
        }
        for (k = 0; ok && k < EL_PAYOFF_RULES; k++)
            if (!p->stable[k])
                ok = members_text(s, g->members, g->n, p->blocker[k], &text) &&
                     set_str(str, 8 + k, r, text.p);
    }
    el_free(text.p);
    return ok;
}

int etsl_coalitions(const etsl_scenario *sc,
                    const char *const *members,
                    int n,
                    const etsl_design *rules,
                    int threads,
                    etsl_tables **out,
                    char *err,
                    size_t errlen)
{
    ElError e = {EL_OK, ""};
    const ElScenario *s;
    ElBatchOptions opt = {online_threads(threads), false, 0};
    ElCoalitionResult res;
    ElDesign *R = NULL;
    etsl_tables *ts = NULL;
    int *idx = NULL, k, i, m = 0;
    el_status st = EL_OK;
    if (!sc || !out || n < 0 || (n > 0 && !members))
        return bad_handle("etsl_coalitions", err, errlen);
    *out = NULL;
    s = sc->s;
    memset(&res, 0, sizeof(res));
    idx = el_malloc(((size_t)s->njur + 1) * sizeof(int));
    if (!idx)
        st = nomem(&e);
    if (st == EL_OK && n == 0) /* every jurisdiction that can join a group: not tax regimes */
        for (k = 0; k < s->njur; k++)
            if (s->jur[k].cap_kind != EL_CAP_TAX)
                idx[m++] = k;
    for (k = 0; st == EL_OK && k < n; k++) {
        int j = members[k] ? el_scenario_find(s, members[k]) : -1;
        if (j < 0) {
            st = el_error_set(&e, EL_ERR_INPUT, "%s: coalitions: member '%s' is not a jurisdiction",
                              s->path, members[k] ? members[k] : "");
            break;
        }
        if (s->jur[j].cap_kind == EL_CAP_TAX) {
            st = el_error_set(&e, EL_ERR_INPUT,
                              "%s: coalitions: member '%s' is a tax regime, which cannot be "
                              "linked in a group (leave it out of members)",
                              s->path, members[k]);
            break;
        }
        for (i = 0; i < m; i++)
            if (idx[i] == j)
                st = el_error_set(&e, EL_ERR_INPUT, "%s: coalitions: member '%s' is listed twice",
                                  s->path, members[k]);
        if (st == EL_OK)
            idx[m++] = j;
    }
    if (st == EL_OK && (m < 2 || m > EL_COALITION_MEMBERS_MAX))
        st = el_error_set(&e, EL_ERR_INPUT, "%s: coalitions: %d members: from 2 to %d", s->path, m,
                          EL_COALITION_MEMBERS_MAX);
    if (st == EL_OK && rules)
        st = resolve(s, rules, &R, &e);
    if (st == EL_OK)
        st = el_coalitions_run(s, idx, m, R, NULL, &opt, &res, &e);
    if (st == EL_OK) {
        ts = el_calloc(1, sizeof(*ts));
        if (!ts || !coalition_tables(ts, s, &res)) {
            etsl_tables_free(ts);
            ts = NULL;
            st = nomem(&e);
        }
    }
    el_coalition_result_clear(&res);
    el_design_free(R);
    el_free(idx);
    if (st != EL_OK)
        return finish(st, &e, s->path, err, errlen);
    *out = ts;
    return finish(EL_OK, NULL, NULL, err, errlen);
}
