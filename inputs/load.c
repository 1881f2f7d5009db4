/* DOM -> scenario. The schema guarantees structure and number syntax; this file checks what a
 * schema cannot (references between elements, curve shapes, consistency of intensity caps) and
 * resolves CSV paths relative to the scenario's folder. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "load.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "el_alloc.h"
#include "el_la.h"
#include "xml_doc.h"

extern const char el_schema_scenario[];
extern const char el_schema_results[];

const char *el_scenario_schema(void)
{
    return el_schema_scenario;
}

const char *el_results_schema(void)
{
    return el_schema_results;
}

/* A sorted index of ids (jurisdictions or pools), so that every reference in the file is resolved
 * in O(log n) rather than by a scan of the list: 10,000 designs naming 200 jurisdictions load in
 * linear time. It is rebuilt when the list has grown since (ids are read before they are named,
 * so once per list in practice). */
typedef struct {
    const char *id;
    int idx;
} IdRef;

typedef struct {
    IdRef *refs;
    int n; /* entries, = the length of the list it was built from */
} IdIndex;

typedef struct {
    const char *path;
    ElLoadOptions opt;
    ElScenario *s;
    ElError *err;
    IdIndex jur_index, pool_index;
    /* design templates (model/analysis.h): the template of the design being read, made at its
     * first {parameter}, and where a parameter met now goes (slot_kind -1: nowhere allowed) */
    ElTemplate *tmpl;
    int slot_kind, slot_index;
    const char *slot_attr; /* the slot's attribute if not the XML one (a <set>: "value") */
} Loader;

static int idref_order(const void *a, const void *b)
{
    const IdRef *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Index of id among the n ids (the i-th is ids(s, i)), or -1; the first of equal ids, as a scan
 * would find. */
static el_status index_find(Loader *L,
                            IdIndex *ix,
                            int n,
                            const char *(*ids)(const ElScenario *, int),
                            const char *id,
                            int *out)
{
    int lo = 0, hi, i;
    *out = -1;
    if (ix->n != n || !ix->refs) {
        IdRef *r = el_reallocarray(ix->refs, (size_t)(n > 0 ? n : 1), sizeof(*r));
        if (!r)
            return el_error_set(L->err, EL_ERR_NOMEM, "out of memory (id index)");
        ix->refs = r;
        for (i = 0; i < n; i++)
            r[i] = (IdRef){ids(L->s, i), i};
        qsort(r, (size_t)n, sizeof(*r), idref_order);
        ix->n = n;
    }
    hi = n;
    while (lo < hi) { /* first entry >= id */
        int mid = lo + (hi - lo) / 2;
        if (strcmp(ix->refs[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && strcmp(ix->refs[lo].id, id) == 0)
        *out = ix->refs[lo].idx;
    return EL_OK;
}

static const char *jur_id(const ElScenario *s, int i)
{
    return s->jur[i].id;
}

static const char *pool_id(const ElScenario *s, int i)
{
    return s->pools[i].id;
}

/* el_scenario_find and el_scenario_find_pool through the loader's indexes. */
static el_status find_jur_index(Loader *L, const char *id, int *idx)
{
    return index_find(L, &L->jur_index, L->s->njur, jur_id, id, idx);
}

static el_status find_pool_index(Loader *L, const char *id, int *idx)
{
    return index_find(L, &L->pool_index, L->s->npools, pool_id, id, idx);
}

/* Read attribute `name` of n as a number. Absent: *v = dflt and *present = 0. */
static el_status nomem_at(Loader *L)
{
    return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
}

/* A parameter {name} (text as written) in attribute attr of the element being read: a slot of
 * the current design's template, which is made now if this is its first parameter. */
static el_status
add_slot(Loader *L, const ElXmlNode *n, const char *attr, const char *text, bool word)
{
    ElTemplate *t = L->tmpl;
    size_t len = strlen(text);
    int k;
    ElSlot *ns;
    if (L->slot_kind < 0)
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s %s=\"%.66s\">: a parameter is allowed only in an "
                            "attribute of an element inside a <design>",
                            L->path, el_xml_line(n), el_xml_name(n), attr, text);
    if (!t) {
        t = L->tmpl = el_calloc(1, sizeof(*t));
        if (!t)
            return nomem_at(L);
    }
    for (k = 0; k < t->nparams; k++)
        if (strlen(t->params[k]) == len - 2 && strncmp(t->params[k], text + 1, len - 2) == 0)
            break;
    if (k == t->nparams) {
        char **np = el_reallocarray(t->params, (size_t)k + 1, sizeof(*np));
        bool *nw;
        if (!np)
            return nomem_at(L);
        t->params = np;
        nw = el_reallocarray(t->words, (size_t)k + 1, sizeof(*nw));
        if (!nw)
            return nomem_at(L);
        t->words = nw;
        np[k] = el_malloc(len - 1);
        if (!np[k])
            return nomem_at(L);
        memcpy(np[k], text + 1, len - 2);
        np[k][len - 2] = '\0';
        nw[k] = word;
        t->nparams++;
    } else if (t->words[k] != word) {
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s %s=\"%s\">: parameter '%s' is used both for a word "
                            "(rent-to) and for a number",
                            L->path, el_xml_line(n), el_xml_name(n), attr, text, t->params[k]);
    }
    ns = el_reallocarray(t->slots, (size_t)t->nslots + 1, sizeof(*ns));
    if (!ns)
        return nomem_at(L);
    t->slots = ns;
    ns[t->nslots++] = (ElSlot){k, (ElSlotKind)L->slot_kind, L->slot_index,
                               L->slot_attr ? L->slot_attr : attr, el_xml_line(n)};
    return EL_OK;
}

static el_status
num_attr(Loader *L, const ElXmlNode *n, const char *name, double dflt, double *v, int *present)
{
    char *txt = el_xml_attr(n, name), *end;
    if (present)
        *present = txt != NULL;
    if (!txt) {
        if (el_xml_has_attr(n, name))
            return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
        *v = dflt;
        return EL_OK;
    }
    if (txt[0] == '{') { /* a parameter (the schema allows it only inside designs) */
        el_status st = add_slot(L, n, name, txt, false);
        el_free(txt);
        *v = 1; /* a placeholder in range for every attribute; the point's value replaces it */
        return st;
    }
    errno = 0;
    *v = strtod(txt, &end);
    if (end == txt || *end != '\0' || errno == ERANGE || !isfinite(*v)) {
        el_status st =
            el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <%s %s=\"%.40s\">: not a finite number",
                         L->path, el_xml_line(n), el_xml_name(n), name, txt);
        el_free(txt);
        return st;
    }
    el_free(txt);
    return EL_OK;
}

static el_status num_text(Loader *L, const ElXmlNode *n, double *v)
{
    char *txt = el_xml_text(n), *end, *s;
    el_status st = EL_OK;
    if (!txt)
        return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    for (s = txt; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
        ;
    errno = 0;
    *v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(*v))
        st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <%s>: not a finite number", L->path,
                          el_xml_line(n), el_xml_name(n));
    el_free(txt);
    return st;
}

/* Prefix the message already in L->err with FILE:LINE: and a context, keeping its code
 * (out-of-memory messages are left as they are). */
static el_status prefix(Loader *L, el_status st, const ElXmlNode *n, const char *context)
{
    char msg[sizeof(L->err->msg)];
    if (st == EL_OK || !L->err || st == EL_ERR_NOMEM)
        return st;
    snprintf(msg, sizeof(msg), "%s", L->err->msg);
    return el_error_set(L->err, st, "%s:%d: %s: %s", L->path, el_xml_line(n), context, msg);
}

/* Prefix a curve-construction message with where the curve is ("jurisdiction 'KR'"). */
static el_status at(Loader *L, const ElXmlNode *n, const char *what, el_status st)
{
    char context[200];
    snprintf(context, sizeof(context), "%s: <%s>", what, el_xml_name(n));
    return prefix(L, st, n, context);
}

static el_status read_points(Loader *L, const ElXmlNode *n, double **q, double **p, int *cnt)
{
    const ElXmlNode *c;
    int k = 0, total = 0;
    el_status st = EL_OK;
    for (c = el_xml_child(n); c; c = el_xml_next(c))
        total++;
    *q = el_calloc((size_t)(total > 0 ? total : 1), sizeof(double));
    *p = el_calloc((size_t)(total > 0 ? total : 1), sizeof(double));
    if (!*q || !*p)
        return el_error_set(L->err, EL_ERR_NOMEM, "out of memory (MAC points)");
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c), k++) {
        st = num_attr(L, c, "q", 0, &(*q)[k], NULL);
        if (st == EL_OK)
            st = num_attr(L, c, "p", 0, &(*p)[k], NULL);
    }
    *cnt = k;
    return st;
}

/* Resolve href against the scenario's folder; refuse escapes unless allowed. The check is
 * made twice: on the text (no absolute path, no "..") and on the resolved file (realpath), so
 * a symbolic link inside the folder cannot point outside it either. */
static el_status resolve(Loader *L, const ElXmlNode *n, const char *href, char **out)
{
    const char *slash = strrchr(L->path, '/');
    size_t dirlen = slash ? (size_t)(slash - L->path) + 1 : 0;
    const char *s;
    char *dir = NULL, *real = NULL, *realdir = NULL;
    el_status st = EL_OK;
    *out = NULL;
    if (!L->opt.allow_any_path) {
        int escapes = href[0] == '/';
        for (s = href; *s && !escapes; s++)
            if ((s == href || s[-1] == '/') && s[0] == '.' && s[1] == '.' &&
                (s[2] == '/' || s[2] == '\0'))
                escapes = 1;
        if (escapes)
            return el_error_set(L->err, EL_ERR_INPUT,
                                "%s:%d: <csv href=\"%s\">: the path leaves the scenario's folder "
                                "(use --allow-any-path to permit it)",
                                L->path, el_xml_line(n), href);
    }
    if (href[0] == '/')
        dirlen = 0;
    *out = el_malloc(dirlen + strlen(href) + 1);
    dir = el_malloc(dirlen + 2);
    if (!*out || !dir) {
        el_free(*out);
        *out = NULL;
        el_free(dir);
        return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    }
    memcpy(*out, L->path, dirlen);
    strcpy(*out + dirlen, href);
    memcpy(dir, L->path, dirlen);
    strcpy(dir + dirlen, ".");
    if (!L->opt.allow_any_path) {
        real = realpath(*out, NULL);
        realdir = realpath(dir, NULL);
        if (real && realdir) {
            size_t len = strlen(realdir);
            if (strncmp(real, realdir, len) != 0 || (real[len] != '/' && strcmp(realdir, "/")))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <csv href=\"%s\">: the file it resolves to (%s) is "
                                  "outside the scenario's folder (use --allow-any-path to "
                                  "permit it)",
                                  L->path, el_xml_line(n), href, real);
        }
        free(real); /* realpath allocates with malloc */
        free(realdir);
    }
    el_free(dir);
    if (st != EL_OK) {
        el_free(*out);
        *out = NULL;
    }
    return st;
}

/* <csv> or <fit>: read the table its href names (resolved and confined to the scenario's
 * folder) into q and p, and its form attribute into *form (the caller frees it). context gets
 * "jurisdiction 'X': <csv href="...">" for messages; read errors are prefixed with it. */
static el_status read_table(Loader *L,
                            const ElXmlNode *f,
                            const char *jid,
                            double **q,
                            double **p,
                            int *n,
                            char **form,
                            char *context,
                            size_t context_size)
{
    char *href = el_xml_attr(f, "href"), *full = NULL;
    el_status st;
    *form = el_xml_attr(f, "form");
    snprintf(context, context_size, "%s: <%s href=\"%s\">", jid, el_xml_name(f), href ? href : "");
    st = (!href || !*form) ? el_error_set(L->err, EL_ERR_NOMEM, "out of memory")
                           : resolve(L, f, href, &full);
    if (st == EL_OK)
        st = prefix(L, el_csv_read_qp(full, q, p, n, L->err), f, context);
    el_free(href);
    el_free(full);
    return st;
}

/* req is the jurisdiction's required abatement, BAU - cap (BAU - benchmark x output for an
 * intensity cap), for <linear price-at-cap="p">; NaN where there is none (a tax, a supply). */
static el_status read_mac(Loader *L,
                          const ElXmlNode *macn,
                          const char *jid,
                          double bau,
                          double req,
                          ElMac **mac,
                          ElMacFit **fit)
{
    const ElXmlNode *f = el_xml_child(macn);
    const char *form = el_xml_name(f);
    double *q = NULL, *p = NULL;
    int n = 0;
    el_status st;
    *mac = NULL;
    if (fit)
        *fit = NULL;
    if (strcmp(form, "linear") == 0) {
        double a, c, mx, pc;
        int has_a = 0, has_c = 0, has_pc = 0;
        st = num_attr(L, f, "intercept", 0, &a, &has_a);
        if (st == EL_OK)
            st = num_attr(L, f, "slope", 0, &c, &has_c);
        if (st == EL_OK)
            st = num_attr(L, f, "max", HUGE_VAL, &mx, NULL);
        if (st == EL_OK)
            st = num_attr(L, f, "price-at-cap", 0, &pc, &has_pc);
        if (st == EL_OK && has_pc) { /* the calibration: MAC(BAU - cap) = p, intercept 0 */
            if (has_a || has_c)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <linear price-at-cap>: give either price-at-cap "
                                  "(the slope is derived) or intercept/slope, not both",
                                  L->path, el_xml_line(f), jid);
            else if (!fit || isnan(req))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <linear price-at-cap>: needs a cap (<cap> or "
                                  "<intensity>) to calibrate against; give a slope instead",
                                  L->path, el_xml_line(f), jid);
            else if (!(req > 0))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <linear price-at-cap=\"%g\">: BAU %g is not above "
                                  "the cap %g, so no abatement is required to calibrate against",
                                  L->path, el_xml_line(f), jid, pc, bau, bau - req);
            else if (!(pc > 0))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <linear price-at-cap=\"%g\">: the price must be "
                                  "positive",
                                  L->path, el_xml_line(f), jid, pc);
            c = pc / req;
        } else if (st == EL_OK && !has_c) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <linear> needs a slope or a price-at-cap", L->path,
                              el_xml_line(f), jid);
        }
        if (st == EL_OK)
            st = at(L, f, jid, el_mac_create_linear(mac, a, c, mx, L->err));
        return st;
    }
    if (strcmp(form, "fit") == 0 || strcmp(form, "csv") == 0) {
        char *fform = NULL, context[200];
        int is_fit = form[0] == 'f';
        if (is_fit && !fit)
            return el_error_set(L->err, EL_ERR_INPUT,
                                "%s:%d: %s: <fit> is for a jurisdiction's MAC curve; give a "
                                "supply curve as linear, points, steps or csv",
                                L->path, el_xml_line(f), jid);
        st = read_table(L, f, jid, &q, &p, &n, &fform, context, sizeof(context));
        if (st == EL_OK && is_fit) {
            ElFitForm ff = strcmp(fform, "cubic") == 0   ? EL_FIT_CUBIC
                           : strcmp(fform, "power") == 0 ? EL_FIT_POWER
                                                         : EL_FIT_QUADRATIC;
            st = prefix(L, el_mac_fit(mac, fit, ff, q, p, n, bau, L->err), f, context);
        } else if (st == EL_OK) {
            st = at(L, f, jid,
                    strcmp(fform, "steps") == 0 ? el_mac_create_steps(mac, q, p, n, L->err)
                                                : el_mac_create_points(mac, q, p, n, L->err));
        }
        el_free(fform);
        el_free(q);
        el_free(p);
        return st;
    }
    st = read_points(L, f, &q, &p, &n);
    if (st == EL_OK)
        st = at(L, f, jid,
                strcmp(form, "steps") == 0 ? el_mac_create_steps(mac, q, p, n, L->err)
                                           : el_mac_create_points(mac, q, p, n, L->err));
    el_free(q);
    el_free(p);
    return st;
}

static const char *const instr_tags[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};

/* <floor|ceiling|penalty price="" volume=""/> for jurisdiction j, at scenario level (d < 0) or
 * in design d. */
static el_status read_instrument(Loader *L, const ElXmlNode *n, int d, int j)
{
    double price, volume;
    int k;
    el_status st = num_attr(L, n, "price", 0, &price, NULL);
    for (k = 0; k < EL_INSTR_KINDS; k++)
        if (strcmp(el_xml_name(n), instr_tags[k]) == 0)
            break;
    if (st == EL_OK)
        st = num_attr(L, n, "volume", HUGE_VAL, &volume, NULL);
    if (st == EL_OK)
        st = el_scenario_add_instrument(L->s, d, j, (ElInstrKind)k, price, volume, el_xml_line(n),
                                        L->err);
    return st;
}

static int is_instrument(const char *name)
{
    return strcmp(name, "floor") == 0 || strcmp(name, "ceiling") == 0 ||
           strcmp(name, "penalty") == 0;
}

/* A year attribute (start, until, from on a group, y): a whole number inside the horizon. */
static el_status year_attr(Loader *L, const ElXmlNode *n, const char *name, int *year)
{
    double v;
    int has;
    el_status st = num_attr(L, n, name, 0, &v, &has);
    *year = 0;
    if (st != EL_OK || !has)
        return st;
    if (!L->s->periods.on)
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s %s=\"%g\">: years need <periods> before the "
                            "jurisdictions",
                            L->path, el_xml_line(n), el_xml_name(n), name, v);
    if (v != floor(v) || v < L->s->periods.first || v > L->s->periods.last)
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s %s=\"%g\">: a year from %d to %d (<periods>)", L->path,
                            el_xml_line(n), el_xml_name(n), name, v, L->s->periods.first,
                            L->s->periods.last);
    *year = (int)v;
    return EL_OK;
}

/* The years a link or group is in force: start (a group may say from) and until. */
static el_status read_years(Loader *L, const ElXmlNode *n, bool group, int *start, int *until)
{
    el_status st = year_attr(L, n, "start", start);
    if (st == EL_OK && group && *start == 0)
        st = year_attr(L, n, "from", start);
    if (st == EL_OK)
        st = year_attr(L, n, "until", until);
    if (st == EL_OK && *start && *until && *until < *start)
        st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <%s>: until %d is before start %d", L->path,
                          el_xml_line(n), el_xml_name(n), *until, *start);
    return st;
}

/* <periods first last discount-rate terminal-bank-value>. */
static el_status read_periods(Loader *L, const ElXmlNode *n)
{
    ElPeriods *p = &L->s->periods;
    double first, last;
    el_status st = num_attr(L, n, "first", 0, &first, NULL);
    if (st == EL_OK)
        st = num_attr(L, n, "last", 0, &last, NULL);
    if (st == EL_OK)
        st = num_attr(L, n, "discount-rate", 0, &p->rate, NULL);
    if (st == EL_OK)
        st = num_attr(L, n, "terminal-bank-value", 0, &p->terminal_value, NULL);
    p->line = el_xml_line(n);
    if (st == EL_OK && (first != floor(first) || last != floor(last) || first < 1 || first > 9999 ||
                        last < first || last - first >= EL_MAX_PERIODS))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <periods first=\"%g\" last=\"%g\">: whole years, first <= "
                          "last, at most %d periods",
                          L->path, p->line, first, last, EL_MAX_PERIODS);
    if (st == EL_OK && !(p->rate > -1 && p->rate <= 10))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <periods discount-rate=\"%g\">: a rate in (-1, 10]", L->path,
                          p->line, p->rate);
    if (st == EL_OK && !(p->terminal_value >= 0 && p->terminal_value <= EL_MAX_PRICE))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <periods terminal-bank-value=\"%g\">: a price >= 0", L->path,
                          p->line, p->terminal_value);
    if (st == EL_OK) {
        p->first = (int)first;
        p->last = (int)last;
        p->on = true;
    }
    return st;
}

/* <borrowing phase-starts="2031 2036">: the years that start a compliance phase, after the
 * horizon's first year, no later than its last, increasing; nothing is borrowed across them. */
static el_status read_phase_starts(Loader *L, const ElXmlNode *c, ElJurisdiction *j)
{
    char *text = el_xml_attr(c, "phase-starts"), *p, *end;
    el_status st = EL_OK;
    int prev = L->s->periods.first;
    j->nborrow_phase = 0;
    for (p = text; st == EL_OK && p && *p;) {
        long y;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        errno = 0;
        y = strtol(p, &end, 10);
        if (end == p || errno ||
            (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r'))
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: jurisdiction '%s': <borrowing phase-starts>: '%s' is not a "
                              "list of years",
                              L->path, el_xml_line(c), j->id, text);
        else if (y <= prev || y > L->s->periods.last)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: jurisdiction '%s': <borrowing phase-starts>: %ld is not "
                              "after %d and no later than %d (a phase starts after the "
                              "horizon's first year, in increasing order)",
                              L->path, el_xml_line(c), j->id, y, prev, L->s->periods.last);
        else if (j->nborrow_phase == EL_MAX_PHASE_STARTS)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: jurisdiction '%s': <borrowing phase-starts>: at most %d "
                              "years",
                              L->path, el_xml_line(c), j->id, EL_MAX_PHASE_STARTS);
        else {
            j->borrow_phase[j->nborrow_phase++] = (int)y;
            prev = (int)y;
        }
        p = end;
    }
    el_free(text);
    return st;
}

/* A jurisdiction's several-period elements: <path><year y .../></path>, <banking>,
 * <borrowing>, <initial-bank>, into j (index ji, already added). */
static el_status read_time(Loader *L, const ElXmlNode *jn, int ji)
{
    ElJurisdiction *j = &L->s->jur[ji];
    const ElXmlNode *c, *y;
    el_status st = EL_OK;
    for (c = el_xml_child(jn); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        bool timed = strcmp(nm, "path") == 0 || strcmp(nm, "banking") == 0 ||
                     strcmp(nm, "borrowing") == 0 || strcmp(nm, "initial-bank") == 0;
        if (!timed)
            continue;
        if (!L->s->periods.on) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: jurisdiction '%s': <%s> needs <periods> before the "
                              "jurisdictions",
                              L->path, el_xml_line(c), j->id, nm);
            break;
        }
        if (j->cap_kind == EL_CAP_TAX && strcmp(nm, "path") != 0) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: jurisdiction '%s' is a tax regime: no <%s>", L->path,
                              el_xml_line(c), j->id, nm);
            break;
        }
        if (strcmp(nm, "banking") == 0) {
            char *allowed = el_xml_attr(c, "allowed");
            int has_max, has_share;
            st = num_attr(L, c, "max", HUGE_VAL, &j->bank_max, &has_max);
            if (st == EL_OK)
                st = num_attr(L, c, "share-of-cap", nan(""), &j->bank_share, &has_share);
            if (st == EL_OK && allowed)
                j->bank_allowed = strcmp(allowed, "false") != 0 && strcmp(allowed, "0") != 0;
            if (st == EL_OK && ((has_max && !(j->bank_max >= 0)) ||
                                (has_share && !(j->bank_share >= 0 && j->bank_share <= 10))))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: jurisdiction '%s': <banking>: a bank limit must be "
                                  ">= 0 (max in Mt, share-of-cap a share of the year's cap)",
                                  L->path, el_xml_line(c), j->id);
            if (st == EL_OK && has_max && has_share)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: jurisdiction '%s': <banking>: max or share-of-cap, not "
                                  "both",
                                  L->path, el_xml_line(c), j->id);
            el_free(allowed);
        } else if (strcmp(nm, "borrowing") == 0) {
            st = num_attr(L, c, "share", 0, &j->borrow_share, NULL);
            if (st == EL_OK && !(j->borrow_share >= 0 && j->borrow_share <= 1))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: jurisdiction '%s': <borrowing share=\"%g\">: a share "
                                  "in [0, 1] of the year's emissions",
                                  L->path, el_xml_line(c), j->id, j->borrow_share);
            if (st == EL_OK)
                st = read_phase_starts(L, c, j);
        } else if (strcmp(nm, "initial-bank") == 0) {
            st = num_text(L, c, &j->initial_bank);
            if (st == EL_OK && !(j->initial_bank >= 0 && j->initial_bank <= EL_MAX_QUANTITY))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: jurisdiction '%s': <initial-bank>: Mt >= 0", L->path,
                                  el_xml_line(c), j->id);
        } else {
            int prev = L->s->periods.first;
            for (y = el_xml_child(c); y && st == EL_OK; y = el_xml_next(y)) {
                static const struct {
                    const char *attr;
                    ElSetField f;
                } fields[] = {{"bau", EL_SET_BAU},
                              {"output", EL_SET_OUTPUT},
                              {"cap", EL_SET_CAP},
                              {"mac-shift", EL_SET_MAC_SHIFT},
                              {"mac-scale", EL_SET_MAC_SCALE},
                              {"floor", EL_SET_FLOOR_PRICE},
                              {"floor-price", EL_SET_FLOOR_PRICE},
                              {"floor-volume", EL_SET_FLOOR_VOLUME},
                              {"ceiling", EL_SET_CEILING_PRICE},
                              {"ceiling-price", EL_SET_CEILING_PRICE},
                              {"ceiling-volume", EL_SET_CEILING_VOLUME},
                              {"penalty", EL_SET_PENALTY_PRICE},
                              {"penalty-price", EL_SET_PENALTY_PRICE},
                              {"tax-rate", EL_SET_TAX_RATE},
                              {"credit-limit", EL_SET_CREDIT_LIMIT}};
                int year, any = 0;
                size_t k;
                if (strcmp(el_xml_name(y), "year") != 0)
                    continue;
                st = year_attr(L, y, "y", &year);
                if (st == EL_OK && year == 0)
                    st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <year>: needs y=\"YEAR\"",
                                      L->path, el_xml_line(y));
                if (st == EL_OK && year <= prev)
                    st = el_error_set(L->err, EL_ERR_INPUT,
                                      "%s:%d: jurisdiction '%s': <year y=\"%d\">: after %d: the "
                                      "path's years must increase and follow the first year, "
                                      "whose data are the jurisdiction's own",
                                      L->path, el_xml_line(y), j->id, year, prev);
                for (k = 0; st == EL_OK && k < sizeof(fields) / sizeof(fields[0]); k++) {
                    double v;
                    int has;
                    ElPathEntry *np;
                    st = num_attr(L, y, fields[k].attr, 0, &v, &has);
                    if (st != EL_OK || !has)
                        continue;
                    any = 1;
                    np = el_reallocarray(j->path, (size_t)j->npath + 1, sizeof(*np));
                    if (!np) {
                        st = nomem_at(L);
                        break;
                    }
                    j->path = np;
                    np[j->npath].year = year;
                    np[j->npath].set = (ElSet){ji, fields[k].f, -1, v, el_xml_line(y)};
                    j->npath++;
                }
                if (st == EL_OK && !any)
                    st = el_error_set(L->err, EL_ERR_INPUT,
                                      "%s:%d: jurisdiction '%s': <year y=\"%d\"> changes nothing",
                                      L->path, el_xml_line(y), j->id, year);
                prev = year;
            }
        }
    }
    return st;
}

static el_status read_jurisdiction(Loader *L, const ElXmlNode *jn)
{
    char *id = el_xml_attr(jn, "id"), *name = el_xml_attr(jn, "name"), what[100];
    const ElXmlNode *c;
    double bau = nan(""), cap = nan(""), bench = 0, output = 0, bint = 0, auction = 0;
    double tax_rate = 0, credit_limit = 0, ndc = nan("");
    int has_bau = 0, has_bint = 0, intensity = 0, tax = 0, line = el_xml_line(jn);
    ElMac *mac = NULL;
    ElMacFit *fit = NULL;
    el_status st = (id && (name || !el_xml_has_attr(jn, "name")))
                       ? EL_OK
                       : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK)
        st = num_attr(L, jn, "auction-share", 0, &auction, NULL);
    snprintf(what, sizeof(what), "jurisdiction '%s'", id ? id : "?");
    for (c = el_xml_child(jn); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        if (strcmp(nm, "bau") == 0) {
            st = num_text(L, c, &bau);
            has_bau = 1;
        } else if (strcmp(nm, "cap") == 0) {
            st = num_text(L, c, &cap);
        } else if (strcmp(nm, "tax") == 0) {
            tax = 1;
            cap = 0;
            st = num_attr(L, c, "rate", 0, &tax_rate, NULL);
            if (st == EL_OK)
                st = num_attr(L, c, "credit-limit", 0, &credit_limit, NULL);
        } else if (strcmp(nm, "intensity") == 0) {
            intensity = 1;
            st = num_attr(L, c, "benchmark", 0, &bench, NULL);
            if (st == EL_OK)
                st = num_attr(L, c, "output", 0, &output, NULL);
            if (st == EL_OK)
                st = num_attr(L, c, "bau-intensity", 0, &bint, &has_bint);
            cap = bench * output;
            if (st == EL_OK && has_bint) {
                double derived = bint * output;
                if (has_bau && fabs(derived - bau) > 1e-9 * (1 + fabs(bau)))
                    st = el_error_set(L->err, EL_ERR_INPUT,
                                      "%s:%d: jurisdiction '%s': <bau> %g disagrees with "
                                      "bau-intensity x output = %g",
                                      L->path, el_xml_line(c), id, bau, derived);
                bau = derived;
                has_bau = 1;
            }
        } else if (strcmp(nm, "mac") == 0) {
            st = read_mac(L, c, what, has_bau ? bau : nan(""),
                          (has_bau && !tax && !isnan(cap)) ? bau - cap : nan(""), &mac, &fit);
        } else if (strcmp(nm, "ndc") == 0) {
            st = num_attr(L, c, "target", nan(""), &ndc, NULL);
        }
    }
    if (st == EL_OK && !has_bau)
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: jurisdiction '%s' needs <bau> or <intensity bau-intensity=...>",
                          L->path, line, id);
    if (st == EL_OK) {
        ElJurisdiction *j;
        int ji = L->s->njur;
        st = el_scenario_add_jurisdiction(L->s, id, name, bau, cap, mac, line, L->err);
        mac = NULL;
        j = st == EL_OK ? &L->s->jur[ji] : NULL;
        if (j) {
            j->fit = fit;
            fit = NULL;
            j->auction_share = auction;
            j->ndc_target = ndc;
            if (intensity) {
                j->cap_kind = EL_CAP_INTENSITY;
                j->benchmark = bench;
                j->output = output;
                j->bau_intensity = has_bint ? bint : nan("");
            }
            if (tax)
                st = el_scenario_set_tax(L->s, ji, tax_rate, credit_limit, L->err);
            if (st == EL_OK)
                st = read_time(L, jn, ji);
        }
        for (c = el_xml_child(jn); c && st == EL_OK; c = el_xml_next(c))
            if (is_instrument(el_xml_name(c)))
                st = read_instrument(L, c, EL_SCENARIO_LEVEL, ji);
    }
    el_mac_free(mac);
    el_mac_fit_free(fit);
    el_free(id);
    el_free(name);
    return st;
}

static el_status find_jur(Loader *L, const ElXmlNode *n, const char *did, const char *jid, int *idx)
{
    el_status st = find_jur_index(L, jid, idx);
    if (st != EL_OK)
        return st;
    if (*idx < 0)
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: design '%s': <%s> names '%s', which is not a jurisdiction",
                            L->path, el_xml_line(n), did, el_xml_name(n), jid);
    return EL_OK;
}

static el_status read_group(Loader *L, const ElXmlNode *g, int d, const char *did)
{
    char *members = el_xml_attr(g, "members"), *tok, *save = NULL;
    int *idx = NULL, n = 0, cap = 0;
    el_status st = members ? EL_OK : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    for (tok = members ? strtok_r(members, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == cap) {
            int *ni = el_reallocarray(idx, (size_t)(cap = cap ? 2 * cap : 8), sizeof(int));
            if (!ni) {
                st = el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
                break;
            }
            idx = ni;
        }
        st = find_jur(L, g, did, tok, &idx[n]);
        n++;
    }
    if (st == EL_OK)
        st = el_scenario_add_group(L->s, d, idx, n, el_xml_line(g), L->err);
    if (st == EL_OK) {
        ElGroup *gr = &L->s->designs[d]->groups[L->s->designs[d]->ngroups - 1];
        st = read_years(L, g, true, &gr->start, &gr->until);
    }
    el_free(idx);
    el_free(members);
    return st;
}

/* A jurisdiction named by attribute `attr` of n. */
static el_status
jur_attr(Loader *L, const ElXmlNode *n, const char *where, const char *attr, int *idx)
{
    char *id = el_xml_attr(n, attr);
    el_status st;
    if (!id)
        return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    st = find_jur(L, n, where, id, idx);
    el_free(id);
    return st;
}

static el_status read_accept(Loader *L, const ElXmlNode *n, int d, const char *where)
{
    char *pool = el_xml_attr(n, "pool");
    double limit, share, discount;
    int pk, j, has_share;
    el_status st = pool ? jur_attr(L, n, where, "jurisdiction", &j)
                        : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK)
        st = find_pool_index(L, pool, &pk);
    if (st == EL_OK) {
        if (pk < 0)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <accept> names pool '%s', which is not an "
                              "<offset-pool>",
                              L->path, el_xml_line(n), where, pool);
    }
    if (st == EL_OK)
        st = num_attr(L, n, "limit", HUGE_VAL, &limit, NULL);
    if (st == EL_OK)
        st = num_attr(L, n, "limit-share", nan(""), &share, &has_share);
    if (st == EL_OK)
        st = num_attr(L, n, "discount", 1, &discount, NULL);
    if (st == EL_OK)
        st = el_scenario_add_accept(L->s, d, pk, j, limit, has_share ? share : nan(""), discount,
                                    el_xml_line(n), L->err);
    el_free(pool);
    return st;
}

/* shares="CN:0.4 KR:0.3 JP:0.3" */
static el_status read_project(Loader *L, const ElXmlNode *n, int d, const char *where)
{
    char *id = el_xml_attr(n, "id"), *shares = el_xml_attr(n, "shares"), *tok, *save = NULL;
    double cap, fixed, var, sh[64];
    int members[64], cnt = 0;
    el_status st = (id && shares) ? num_attr(L, n, "capacity", 0, &cap, NULL)
                                  : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK)
        st = num_attr(L, n, "fixed-cost", 0, &fixed, NULL);
    if (st == EL_OK)
        st = num_attr(L, n, "variable-cost", 0, &var, NULL);
    for (tok = st == EL_OK ? strtok_r(shares, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        char *colon = strchr(tok, ':'), *end;
        if (cnt == 64) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <project id=\"%s\">: more than 64 "
                              "members",
                              L->path, el_xml_line(n), where, id);
            break;
        }
        if (!colon) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <project id=\"%s\">: '%s' is not "
                              "ID:SHARE",
                              L->path, el_xml_line(n), where, id, tok);
            break;
        }
        *colon = '\0';
        st = find_jur(L, n, where, tok, &members[cnt]);
        if (st != EL_OK)
            break;
        errno = 0;
        sh[cnt] = strtod(colon + 1, &end);
        if (end == colon + 1 || *end != '\0' || errno == ERANGE || !isfinite(sh[cnt]))
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <project id=\"%s\">: the share of '%s' is not a "
                              "number",
                              L->path, el_xml_line(n), where, id, tok);
        cnt++;
    }
    if (st == EL_OK)
        st = el_scenario_add_project(L->s, d, id, cap, fixed, var, members, sh, cnt, el_xml_line(n),
                                     L->err);
    el_free(id);
    el_free(shares);
    return st;
}

static el_status read_link(Loader *L, const ElXmlNode *c, int d, const char *id)
{
    char *from = el_xml_attr(c, "from"), *to = el_xml_attr(c, "to"),
         *rent = el_xml_attr(c, "rent-to");
    double rate, quota, share;
    int fi = -1, ti = -1, has_share;
    el_status st = (!from || !to || (!rent && el_xml_has_attr(c, "rent-to")))
                       ? el_error_set(L->err, EL_ERR_NOMEM, "out of memory")
                       : find_jur(L, c, id, from, &fi);
    if (st == EL_OK)
        st = find_jur(L, c, id, to, &ti);
    if (st == EL_OK)
        st = num_attr(L, c, "rate", 1, &rate, NULL);
    if (st == EL_OK)
        st = num_attr(L, c, "quota", HUGE_VAL, &quota, NULL);
    if (st == EL_OK)
        st = num_attr(L, c, "quota-share", nan(""), &share, &has_share);
    if (st == EL_OK)
        st = el_scenario_add_link(L->s, d, fi, ti, rate, quota, has_share ? share : nan(""),
                                  el_xml_line(c), L->err);
    if (st == EL_OK && rent && rent[0] == '{') {
        st = add_slot(L, c, "rent-to", rent, true);
    } else if (st == EL_OK && rent) {
        ElLink *lk = &L->s->designs[d]->links[L->s->designs[d]->nlinks - 1];
        lk->rent_to = strcmp(rent, "seller") == 0             ? EL_RENT_SELLER
                      : strcmp(rent, "buyer-government") == 0 ? EL_RENT_BUYER_GOV
                                                              : EL_RENT_BUYER;
    }
    if (st == EL_OK) {
        ElLink *lk = &L->s->designs[d]->links[L->s->designs[d]->nlinks - 1];
        st = read_years(L, c, false, &lk->start, &lk->until);
    }
    el_free(from);
    el_free(to);
    el_free(rent);
    return st;
}

/* <set jurisdiction="CN" cap="2900" mac-scale="1.1"/>: one change per field attribute, in the
 * order of the field list (docs/scenario-format.md); pool="..." names the pool of offset-limit. */
static el_status read_set(Loader *L, const ElXmlNode *n, int d, const char *where)
{
    char *pool = el_xml_attr(n, "pool");
    int j, f, pk = -1, any = 0;
    el_status st = jur_attr(L, n, L->s->designs[d]->id, "jurisdiction", &j);
    if (st == EL_OK && !pool && el_xml_has_attr(n, "pool"))
        st = el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK && pool) {
        st = find_pool_index(L, pool, &pk);
        if (st == EL_OK && pk < 0)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <set> names pool '%s', which is not an <offset-pool>",
                              L->path, el_xml_line(n), where, pool);
    }
    for (f = 0; st == EL_OK && f < EL_SET_FIELDS; f++) {
        double v;
        int has;
        if (f == EL_SET_BANK_DRAW) /* the engine's own */
            continue;
        L->slot_index = L->s->designs[d]->sets.n;
        st = num_attr(L, n, el_set_field_name((ElSetField)f), 0, &v, &has);
        if (st == EL_OK && has) {
            any = 1;
            if (f == EL_SET_OFFSET_LIMIT && pk < 0)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <set offset-limit=...> needs pool=\"...\"", L->path,
                                  el_xml_line(n), where);
            if (st == EL_OK)
                st = el_design_add_set(L->s->designs[d], j, (ElSetField)f,
                                       f == EL_SET_OFFSET_LIMIT ? pk : -1, v, el_xml_line(n),
                                       L->err);
        }
    }
    if (st == EL_OK && !any)
        st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: %s: <set> changes nothing", L->path,
                          el_xml_line(n), where);
    el_free(pool);
    return st;
}

/* Where a parameter in the design element called nm goes: its kind and index-to-be. */
static void slot_at(Loader *L, const char *nm, const ElDesign *des)
{
    L->slot_attr = NULL;
    L->slot_kind = -1;
    L->slot_index = 0;
    if (strcmp(nm, "link") == 0) {
        L->slot_kind = EL_SLOT_LINK;
        L->slot_index = des->nlinks;
    } else if (is_instrument(nm)) {
        L->slot_kind = EL_SLOT_INSTRUMENT;
        L->slot_index = des->ninstruments;
    } else if (strcmp(nm, "accept") == 0) {
        L->slot_kind = EL_SLOT_ACCEPT;
        L->slot_index = des->naccepts;
    } else if (strcmp(nm, "export-cap") == 0) {
        L->slot_kind = EL_SLOT_EXPORT_CAP;
        L->slot_index = des->nexport_caps;
    } else if (strcmp(nm, "project") == 0) {
        L->slot_kind = EL_SLOT_PROJECT;
        L->slot_index = des->nprojects;
    } else if (strcmp(nm, "import-limit") == 0) {
        L->slot_kind = EL_SLOT_IMPORT_LIMIT;
        L->slot_index = des->nimport_limits;
    } else if (strcmp(nm, "set") == 0) {
        L->slot_kind = EL_SLOT_SET; /* read_set sets the index per attribute */
        L->slot_attr = "value";
    }
}

/* The design just read has parameters: move it from the scenario's designs into its template. */
static el_status keep_template(Loader *L)
{
    ElScenario *s = L->s;
    ElAnalyses *x = s->analyses;
    ElTemplate **nt;
    if (!x) {
        x = s->analyses = el_calloc(1, sizeof(*x));
        if (!x)
            return nomem_at(L);
    }
    nt = el_reallocarray(x->templates, (size_t)x->ntemplates + 1, sizeof(*nt));
    if (!nt)
        return nomem_at(L);
    x->templates = nt;
    L->tmpl->design = s->designs[--s->ndesigns];
    nt[x->ntemplates++] = L->tmpl;
    L->tmpl = NULL;
    return EL_OK;
}

/* <import-limit jurisdiction="KR" max="12" | share="0.05" sources="links groups offsets POOL"/>:
 * a limit on the tonnes KR has credited from the sources listed (default links, groups and
 * offsets). A word of sources is a kind of source (links, groups, offsets, projects) or else a
 * pool id: a pool called like a kind can only be counted through `offsets`. */
static el_status read_import_limit(Loader *L, const ElXmlNode *n, int d, const char *where)
{
    char *src = el_xml_attr(n, "sources"), *tok, *save = NULL;
    double mx, share;
    int j, has_max, has_share, *pools = NULL, npools = 0, cap = 0;
    unsigned sources = src ? 0u : EL_IMPORT_DEFAULT;
    el_status st = (!src && el_xml_has_attr(n, "sources"))
                       ? el_error_set(L->err, EL_ERR_NOMEM, "out of memory")
                       : jur_attr(L, n, L->s->designs[d]->id, "jurisdiction", &j);
    if (st == EL_OK)
        st = num_attr(L, n, "max", HUGE_VAL, &mx, &has_max);
    if (st == EL_OK)
        st = num_attr(L, n, "share", nan(""), &share, &has_share);
    if (st == EL_OK && has_max == has_share)
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: %s: <import-limit jurisdiction=\"%s\"> needs exactly one of max "
                          "and share",
                          L->path, el_xml_line(n), where, L->s->jur[j].id);
    for (tok = st == EL_OK && src ? strtok_r(src, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        static const char *const kinds[] = {"links", "groups", "offsets", "projects"};
        static const unsigned bits[] = {EL_IMPORT_LINKS, EL_IMPORT_GROUPS, EL_IMPORT_OFFSETS,
                                        EL_IMPORT_PROJECTS};
        int k, pk = -1;
        for (k = 0; k < 4 && strcmp(tok, kinds[k]) != 0; k++)
            ;
        if (k < 4) {
            sources |= bits[k];
            continue;
        }
        st = find_pool_index(L, tok, &pk);
        if (st == EL_OK && pk < 0)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: %s: <import-limit jurisdiction=\"%s\">: sources: '%s' is "
                              "neither links, groups, offsets, projects nor an <offset-pool>",
                              L->path, el_xml_line(n), where, L->s->jur[j].id, tok);
        if (st == EL_OK && npools == cap) {
            int *np = el_reallocarray(pools, (size_t)(cap = cap ? 2 * cap : 4), sizeof(int));
            if (!np)
                st = el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
            else
                pools = np;
        }
        if (st == EL_OK)
            pools[npools++] = pk;
    }
    if (st == EL_OK)
        st = el_design_add_import_limit(L->s->designs[d], j, mx, has_share ? share : nan(""),
                                        sources, pools, npools, el_xml_line(n), L->err);
    el_free(pools);
    el_free(src);
    return st;
}

static el_status read_design(Loader *L, const ElXmlNode *dn)
{
    char *id = el_xml_attr(dn, "id"), where[100];
    const ElXmlNode *c;
    int d;
    el_status st = id ? el_scenario_add_design(L->s, id, el_xml_line(dn), L->err)
                      : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    d = L->s->ndesigns - 1;
    snprintf(where, sizeof(where), "design '%s'", id ? id : "?");
    if (st == EL_OK && el_xml_has_attr(dn, "title")) { /* how the report names the design */
        char *title = el_xml_attr(dn, "title");
        st = title ? el_design_set_title(L->s->designs[d], title, L->err)
                   : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
        el_free(title);
    }
    for (c = el_xml_child(dn); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        const ElDesign *des = L->s->designs[d];
        int j;
        slot_at(L, nm, des);
        if (strcmp(nm, "group") == 0) {
            st = read_group(L, c, d, id);
        } else if (strcmp(nm, "link") == 0) {
            st = read_link(L, c, d, id);
        } else if (is_instrument(nm)) {
            st = jur_attr(L, c, id, "jurisdiction", &j);
            if (st == EL_OK)
                st = read_instrument(L, c, d, j);
        } else if (strcmp(nm, "accept") == 0) {
            st = read_accept(L, c, d, where);
        } else if (strcmp(nm, "export-cap") == 0) {
            double mx, share;
            int has_max, has_share;
            st = jur_attr(L, c, id, "jurisdiction", &j);
            if (st == EL_OK)
                st = num_attr(L, c, "max", HUGE_VAL, &mx, &has_max);
            if (st == EL_OK)
                st = num_attr(L, c, "share-of-cap", nan(""), &share, &has_share);
            if (st == EL_OK && has_max == has_share)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: %s: <export-cap> needs exactly one of max and "
                                  "share-of-cap",
                                  L->path, el_xml_line(c), where);
            if (st == EL_OK)
                st = el_scenario_add_export_cap(L->s, d, j, mx, has_share ? share : nan(""),
                                                el_xml_line(c), L->err);
        } else if (strcmp(nm, "import-limit") == 0) {
            st = read_import_limit(L, c, d, where);
        } else if (strcmp(nm, "project") == 0) {
            st = read_project(L, c, d, where);
        } else if (strcmp(nm, "set") == 0) {
            st = read_set(L, c, d, where);
        }
    }
    L->slot_kind = -1;
    L->slot_attr = NULL;
    if (st == EL_OK && L->tmpl) /* a template: kept apart, solved only through analyses */
        st = keep_template(L);
    el_template_free(L->tmpl);
    L->tmpl = NULL;
    el_free(id);
    return st;
}

/* ---- Sources: every input figure and the source its element names (docs/scenario-format.md,
 * "Sources"), for the report's appendix ---- */

#define FIGURE_VALUE_MAX 240 /* bytes of a figure's value kept (cut at a character boundary) */

/* Elements that carry figures. */
static bool is_figure(const char *nm)
{
    static const char *const names[] = {
        "bau",   "cap",        "intensity",    "tax",       "linear",       "points",
        "steps", "fit",        "csv",          "floor",     "ceiling",      "penalty",
        "ndc",   "year",       "banking",      "borrowing", "initial-bank", "accept",
        "link",  "export-cap", "import-limit", "set",       "project"};
    size_t k;
    for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(nm, names[k]) == 0)
            return true;
    return false;
}

/* Append text to buf (room for FIGURE_VALUE_MAX bytes, "..." and a terminator) at *n; what does
 * not fit is cut at a character boundary and marked "...", and *n is then FIGURE_VALUE_MAX
 * (full: later text is dropped). */
static void value_add(char *buf, size_t *n, const char *text)
{
    size_t len = strlen(text);
    if (*n >= FIGURE_VALUE_MAX)
        return;
    if (*n + len > FIGURE_VALUE_MAX) {
        len = FIGURE_VALUE_MAX - *n;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
        memcpy(buf + *n, text, len);
        memcpy(buf + *n + len, "...", 4);
        *n = FIGURE_VALUE_MAX;
        return;
    }
    memcpy(buf + *n, text, len + 1);
    *n += len;
}

/* Record element n's figures as they are written (its attributes but source, and id and name
 * when `own` is set: a jurisdiction's; its text; or its count of points), with its source. */
static el_status add_figure(Loader *L, const ElXmlNode *n, const char *owner, int design, bool own)
{
    char value[FIGURE_VALUE_MAX + 4];
    const char *source = NULL, *nm = el_xml_name(n);
    size_t len = 0;
    int i;
    value[0] = '\0';
    for (i = 0; i < el_xml_attr_count(n); i++) {
        const char *a = el_xml_attr_name(n, i), *v = el_xml_attr_value(n, i);
        if (strcmp(a, "source") == 0) {
            source = v;
            continue;
        }
        if (own && (strcmp(a, "id") == 0 || strcmp(a, "name") == 0))
            continue;
        if (len > 0)
            value_add(value, &len, ", ");
        value_add(value, &len, a);
        value_add(value, &len, "=");
        value_add(value, &len, v);
    }
    if (strcmp(nm, "points") == 0 || strcmp(nm, "steps") == 0) {
        const ElXmlNode *c;
        char count[48];
        int k = 0;
        for (c = el_xml_child(n); c; c = el_xml_next(c))
            k++;
        snprintf(count, sizeof(count), "%s%d %s", len > 0 ? ", " : "", k, nm);
        value_add(value, &len, count);
    } else {
        char *text = el_xml_text(n), *t, *e;
        if (!text)
            return el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
        for (t = text; *t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'; t++)
            ;
        for (e = t + strlen(t);
             e > t && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'); e--)
            ;
        *e = '\0';
        if (*t) {
            if (len > 0)
                value_add(value, &len, ", ");
            value_add(value, &len, t);
        }
        el_free(text);
    }
    return el_scenario_add_figure(L->s, owner, nm, value, source, design, el_xml_line(n), L->err);
}

/* The figures among n's descendants (through <mac>, <supply> and <path>). */
static el_status figures_in(Loader *L, const ElXmlNode *n, const char *owner, int design)
{
    const ElXmlNode *c;
    el_status st = EL_OK;
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        if (is_figure(nm))
            st = add_figure(L, c, owner, design, false);
        else if (strcmp(nm, "mac") == 0 || strcmp(nm, "supply") == 0 || strcmp(nm, "path") == 0)
            st = figures_in(L, c, owner, design);
    }
    return st;
}

/* Every input figure of the file, in file order (after the designs are read: a template's
 * figures are told from a design's). */
static el_status read_figures(Loader *L, const ElXmlNode *root)
{
    const ElXmlNode *c;
    el_status st = EL_OK;
    for (c = el_xml_child(root); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        const char *id = NULL;
        int i;
        for (i = 0; i < el_xml_attr_count(c); i++)
            if (strcmp(el_xml_attr_name(c, i), "id") == 0)
                id = el_xml_attr_value(c, i);
        if (strcmp(nm, "jurisdiction") == 0 && id) {
            if (el_xml_has_attr(c, "auction-share") || el_xml_has_attr(c, "source"))
                st = add_figure(L, c, id, EL_FIGURE_SCENARIO, true);
            if (st == EL_OK)
                st = figures_in(L, c, id, EL_FIGURE_SCENARIO);
        } else if (strcmp(nm, "offset-pool") == 0 && id) {
            st = figures_in(L, c, id, EL_FIGURE_SCENARIO);
        } else if (strcmp(nm, "accept") == 0) {
            const char *who = "";
            for (i = 0; i < el_xml_attr_count(c); i++)
                if (strcmp(el_xml_attr_name(c, i), "jurisdiction") == 0)
                    who = el_xml_attr_value(c, i);
            st = add_figure(L, c, who, EL_FIGURE_SCENARIO, false);
        } else if (strcmp(nm, "design") == 0 && id) {
            int d = el_scenario_find_design(L->s, id);
            st = figures_in(L, c, id, d >= 0 ? d : EL_FIGURE_TEMPLATE);
        }
    }
    return st;
}

/* ---- Analyses: <sweep>, <search>, <sequence> (model/analysis.h) ---- */

static const char *analysis_tag(ElAnalysisKind k)
{
    return k == EL_ANALYSIS_SWEEP        ? "sweep"
           : k == EL_ANALYSIS_SEARCH     ? "search"
           : k == EL_ANALYSIS_SEQUENCE   ? "sequence"
           : k == EL_ANALYSIS_COALITIONS ? "coalitions"
                                         : "uncertainty";
}

/* <coalitions id members="A B C" design="rules">: members default to every jurisdiction. */
static el_status read_coalitions(Loader *L, const ElXmlNode *n, ElAnalysis *a)
{
    char *list = el_xml_attr(n, "members"), *rules = el_xml_attr(n, "design"), *tok, *save = NULL;
    el_status st =
        ((!list && el_xml_has_attr(n, "members")) || (!rules && el_xml_has_attr(n, "design")))
            ? nomem_at(L)
            : EL_OK;
    int k;
    a->rules = -1;
    if (st == EL_OK && rules) {
        a->rules = el_scenario_find_design(L->s, rules);
        if (a->rules < 0)
            st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <coalitions id=\"%s\">: %s '%s'",
                              L->path, a->line, a->id,
                              el_analyses_find_template(L->s->analyses, rules)
                                  ? "the rules must be a design without parameters, not"
                                  : "no design",
                              rules);
    }
    a->designs = st == EL_OK ? el_calloc((size_t)L->s->njur + 1, sizeof(int)) : NULL;
    if (st == EL_OK && !a->designs)
        st = nomem_at(L);
    if (st == EL_OK && !list) /* every jurisdiction that can join a group: not tax regimes */
        for (k = 0; k < L->s->njur; k++)
            if (L->s->jur[k].cap_kind != EL_CAP_TAX)
                a->designs[a->nsteps++] = k;
    for (tok = st == EL_OK && list ? strtok_r(list, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        int j = el_scenario_find(L->s, tok), i;
        if (j < 0) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <coalitions id=\"%s\">: member '%s' is not a jurisdiction",
                              L->path, a->line, a->id, tok);
            break;
        }
        if (L->s->jur[j].cap_kind == EL_CAP_TAX) {
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <coalitions id=\"%s\">: member '%s' is a tax regime, which "
                              "cannot be linked in a group (leave it out of members)",
                              L->path, a->line, a->id, tok);
            break;
        }
        for (i = 0; i < a->nsteps; i++)
            if (a->designs[i] == j)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <coalitions id=\"%s\">: member '%s' is listed twice",
                                  L->path, a->line, a->id, tok);
        if (st == EL_OK && a->nsteps >= L->s->njur)
            st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: too many members", L->path, a->line);
        if (st == EL_OK)
            a->designs[a->nsteps++] = j;
    }
    if (st == EL_OK && (a->nsteps < 2 || a->nsteps > EL_COALITION_MEMBERS_MAX))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <coalitions id=\"%s\">: %d members; a game needs 2 to %d",
                          L->path, a->line, a->id, a->nsteps, EL_COALITION_MEMBERS_MAX);
    el_free(list);
    el_free(rules);
    return st;
}

/* An unsigned integer attribute (draws, seed): digits only. */
static el_status
uint_attr(Loader *L, const ElXmlNode *n, const char *name, uint64_t dflt, uint64_t *v)
{
    char *txt = el_xml_attr(n, name), *end;
    el_status st = EL_OK;
    if (!txt) {
        *v = dflt;
        return el_xml_has_attr(n, name) ? nomem_at(L) : EL_OK;
    }
    errno = 0;
    *v = strtoull(txt, &end, 10);
    if (end == txt || *end != '\0' || errno == ERANGE || txt[0] == '-' || txt[0] == '+')
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <%s %s=\"%.40s\">: not a whole number from 0 to 2^64 - 1",
                          L->path, el_xml_line(n), el_xml_name(n), name, txt);
    el_free(txt);
    return st;
}

/* The shock a <correlation> end names: a shock id, else the jurisdiction of exactly one shock. */
static int find_shock(const ElUncertainty *u, const ElScenario *s, const char *name, int *count)
{
    int k, j = el_scenario_find(s, name), found = -1;
    *count = 0;
    for (k = 0; k < u->nshocks; k++)
        if (u->shocks[k].id && strcmp(u->shocks[k].id, name) == 0) {
            *count = 1;
            return k;
        }
    for (k = 0; j >= 0 && k < u->nshocks; k++)
        if (u->shocks[k].jur == j && !u->shocks[k].id) {
            found = k;
            (*count)++;
        }
    return found;
}

static const char *shock_name(const ElScenario *s, const ElShock *x, char *buf, size_t size)
{
    if (x->id)
        return x->id;
    snprintf(buf, size, "%s %s", s->jur[x->jur].id, el_set_field_name(x->on));
    return buf;
}

/* The correlation matrix must be positive semidefinite (a Cholesky factor through LAPACK).
 * When it is not, the first shock k whose leading block is not is found, and the pair (j, k),
 * j < k, of largest |rho| named. */
static el_status check_correlation(Loader *L, ElAnalysis *a)
{
    ElUncertainty *u = a->unc;
    int n = u->nshocks, k, i, j;
    double *sub, *f;
    ElError e = {EL_OK, ""};
    el_status st;
    bool any = false;
    for (i = 0; i < n * n && !any; i++)
        any = u->corr_line[i] != 0;
    if (!any)
        return EL_OK; /* the identity */
    sub = el_malloc((size_t)n * (size_t)n * sizeof(double));
    f = el_malloc((size_t)n * (size_t)n * sizeof(double));
    if (!sub || !f) {
        el_free(sub);
        el_free(f);
        return nomem_at(L);
    }
    el_la_single_thread(); /* a tiny factor: OpenBLAS's own threads would only spin */
    st = el_la_cholesky_psd(n, u->corr, f, NULL, &e);
    if (st == EL_ERR_NUMERIC) {
        st = EL_OK;
        for (k = 1; k < n && st == EL_OK; k++) {
            for (i = 0; i <= k; i++)
                for (j = 0; j <= k; j++)
                    sub[i + j * (k + 1)] = u->corr[i * n + j];
            if (el_la_cholesky_psd(k + 1, sub, f, NULL, &e) == EL_ERR_NUMERIC) {
                int best = 0;
                char b1[160], b2[160];
                for (j = 1; j < k; j++)
                    if (fabs(u->corr[j * n + k]) > fabs(u->corr[best * n + k]))
                        best = j;
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <uncertainty id=\"%s\">: the correlations are not "
                                  "consistent (the matrix is not positive semidefinite) once "
                                  "shock '%s' is added: see the pair '%s' and '%s' (line %d, "
                                  "rho = %g) and the others with '%s'",
                                  L->path,
                                  u->corr_line[best * n + k] ? u->corr_line[best * n + k] : a->line,
                                  a->id, shock_name(L->s, &u->shocks[k], b1, sizeof(b1)),
                                  shock_name(L->s, &u->shocks[best], b2, sizeof(b2)), b1,
                                  u->corr_line[best * n + k], u->corr[best * n + k], b1);
            }
        }
        if (st == EL_OK) /* every leading block factored yet the whole did not: rounding */
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <uncertainty id=\"%s\">: the correlation matrix is not "
                              "positive semidefinite",
                              L->path, a->line, a->id);
    } else if (st != EL_OK)
        st = el_error_set(L->err, st, "%s:%d: <uncertainty id=\"%s\">: %s", L->path, a->line, a->id,
                          e.msg);
    el_free(sub);
    el_free(f);
    return st;
}

/* <uncertainty id draws seed designs> with <shock jurisdiction on sd dist id> and <correlation
 * a b rho> children. */
static el_status read_uncertainty(Loader *L, const ElXmlNode *n, ElAnalysis *a)
{
    ElUncertainty *u = el_calloc(1, sizeof(*u));
    char *list = el_xml_attr(n, "designs"), *tok, *save = NULL;
    const ElXmlNode *c;
    uint64_t draws = 0;
    el_status st = u ? EL_OK : nomem_at(L);
    int k, ns = 0;
    a->unc = u;
    if (st == EL_OK && !list && el_xml_has_attr(n, "designs"))
        st = nomem_at(L);
    if (st == EL_OK)
        st = uint_attr(L, n, "draws", 0, &draws);
    if (st == EL_OK)
        st = uint_attr(L, n, "seed", 1, &u->seed);
    if (st == EL_OK && (draws < 1 || draws > (uint64_t)EL_UNCERTAINTY_MAX_DRAWS))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <uncertainty id=\"%s\">: draws must be from 1 to %ld", L->path,
                          a->line, a->id, EL_UNCERTAINTY_MAX_DRAWS);
    u->draws = (long)draws;
    /* the designs: every design of the file by default (templates are not designs) */
    a->designs = st == EL_OK ? el_calloc((size_t)L->s->ndesigns + 1, sizeof(int)) : NULL;
    if (st == EL_OK && !a->designs)
        st = nomem_at(L);
    if (st == EL_OK && !list)
        for (k = 0; k < L->s->ndesigns; k++)
            a->designs[a->nsteps++] = k;
    for (tok = st == EL_OK && list ? strtok_r(list, " \t\r\n", &save) : NULL; tok && st == EL_OK;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        int d = el_scenario_find_design(L->s, tok), i;
        if (d < 0) {
            st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <uncertainty id=\"%s\">: %s '%s'",
                              L->path, a->line, a->id,
                              el_analyses_find_template(L->s->analyses, tok)
                                  ? "a design must be one without parameters, not"
                                  : "no design",
                              tok);
            break;
        }
        for (i = 0; i < a->nsteps; i++)
            if (a->designs[i] == d)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <uncertainty id=\"%s\">: design '%s' is listed twice",
                                  L->path, a->line, a->id, tok);
        if (st == EL_OK)
            a->designs[a->nsteps++] = d;
    }
    el_free(list);
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c))
        ns += strcmp(el_xml_name(c), "shock") == 0;
    if (st == EL_OK && (ns < 1 || ns > EL_UNCERTAINTY_MAX_SHOCKS))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <uncertainty id=\"%s\">: %d shocks; from 1 to %d", L->path,
                          a->line, a->id, ns, EL_UNCERTAINTY_MAX_SHOCKS);
    if (st == EL_OK) {
        u->shocks = el_calloc((size_t)ns, sizeof(ElShock));
        u->corr = el_calloc((size_t)ns * (size_t)ns, sizeof(double));
        u->corr_line = el_calloc((size_t)ns * (size_t)ns, sizeof(int));
        if (!u->shocks || !u->corr || !u->corr_line)
            st = nomem_at(L);
        for (k = 0; st == EL_OK && k < ns; k++)
            u->corr[k * ns + k] = 1;
    }
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c)) {
        ElShock *x;
        char *jur, *on, *dist;
        int line = el_xml_line(c), i;
        if (strcmp(el_xml_name(c), "shock") != 0)
            continue;
        x = &u->shocks[u->nshocks++];
        x->line = line;
        x->id = el_xml_attr(c, "id");
        jur = el_xml_attr(c, "jurisdiction");
        on = el_xml_attr(c, "on");
        dist = el_xml_attr(c, "dist");
        if ((!x->id && el_xml_has_attr(c, "id")) || !jur || (!on && el_xml_has_attr(c, "on")) ||
            (!dist && el_xml_has_attr(c, "dist")))
            st = nomem_at(L);
        if (st == EL_OK) {
            x->jur = el_scenario_find(L->s, jur);
            if (x->jur < 0)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <shock jurisdiction=\"%s\">: no such jurisdiction",
                                  L->path, line, jur);
        }
        if (st == EL_OK) {
            const char *o = on ? on : "bau";
            x->on = strcmp(o, "bau") == 0         ? EL_SET_BAU
                    : strcmp(o, "output") == 0    ? EL_SET_OUTPUT
                    : strcmp(o, "cap") == 0       ? EL_SET_CAP
                    : strcmp(o, "mac-scale") == 0 ? EL_SET_MAC_SCALE
                                                  : EL_SET_FIELDS;
            x->dist = !dist || strcmp(dist, "normal") == 0 ? EL_DIST_NORMAL
                      : strcmp(dist, "lognormal") == 0     ? EL_DIST_LOGNORMAL
                                                           : (ElDist)-1;
            if (x->on == EL_SET_FIELDS || (int)x->dist < 0)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <shock on=\"%s\" dist=\"%s\">: on is bau, output, cap "
                                  "or mac-scale; dist normal or lognormal",
                                  L->path, line, o, dist ? dist : "normal");
        }
        if (st == EL_OK) {
            const ElJurisdiction *ju = &L->s->jur[x->jur];
            const char *why = NULL;
            if (x->on == EL_SET_OUTPUT && ju->cap_kind != EL_CAP_INTENSITY)
                why = "output is shocked only under an intensity cap";
            else if (x->on == EL_SET_CAP && ju->cap_kind != EL_CAP_ABSOLUTE)
                why = ju->cap_kind == EL_CAP_TAX ? "a tax regime has no cap"
                                                 : "an intensity cap is shocked through output";
            if (why)
                st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <shock jurisdiction=\"%s\">: %s",
                                  L->path, line, jur, why);
        }
        if (st == EL_OK)
            st = num_attr(L, c, "sd", 0, &x->sd, NULL);
        if (st == EL_OK && !(x->sd >= 0 && x->sd <= 1e9))
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <shock sd=\"%g\">: a standard deviation in [0, 1e9]", L->path,
                              line, x->sd);
        for (i = 0; st == EL_OK && i + 1 < u->nshocks; i++) {
            const ElShock *y = &u->shocks[i];
            if ((y->jur == x->jur && y->on == x->on) ||
                (x->id && y->id && strcmp(x->id, y->id) == 0))
                st = el_error_set(
                    L->err, EL_ERR_INPUT, "%s:%d: <shock>: the same %s as the shock on line %d",
                    L->path, line, y->jur == x->jur && y->on == x->on ? "quantity" : "id", y->line);
        }
        el_free(jur);
        el_free(on);
        el_free(dist);
    }
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c)) {
        char *an, *bn;
        int line = el_xml_line(c), ia, ib, ca = 0, cb = 0;
        double rho = 0;
        if (strcmp(el_xml_name(c), "correlation") != 0)
            continue;
        an = el_xml_attr(c, "a");
        bn = el_xml_attr(c, "b");
        if (!an || !bn)
            st = nomem_at(L);
        if (st == EL_OK)
            st = num_attr(L, c, "rho", 0, &rho, NULL);
        if (st == EL_OK) {
            ia = find_shock(u, L->s, an, &ca);
            ib = find_shock(u, L->s, bn, &cb);
            if (ca != 1 || cb != 1)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <correlation a=\"%s\" b=\"%s\">: '%s' %s", L->path, line,
                                  an, bn, ca != 1 ? an : bn,
                                  (ca != 1 ? ca : cb) == 0
                                      ? "is neither a shock id nor a jurisdiction with a shock"
                                      : "has several shocks: give each an id and name that");
            else if (ia == ib)
                st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <correlation>: a shock with itself",
                                  L->path, line);
            else if (!(rho >= -1 && rho <= 1))
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <correlation a=\"%s\" b=\"%s\" rho=\"%g\">: rho must "
                                  "be in [-1, 1]",
                                  L->path, line, an, bn, rho);
            else if (u->corr_line[ia * u->nshocks + ib])
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <correlation a=\"%s\" b=\"%s\">: already given on line "
                                  "%d",
                                  L->path, line, an, bn, u->corr_line[ia * u->nshocks + ib]);
            else {
                u->corr[ia * u->nshocks + ib] = u->corr[ib * u->nshocks + ia] = rho;
                u->corr_line[ia * u->nshocks + ib] = u->corr_line[ib * u->nshocks + ia] = line;
            }
        }
        el_free(an);
        el_free(bn);
    }
    if (st == EL_OK)
        st = check_correlation(L, a);
    return st;
}

/* One <param>: values="..." (numbers, or words for a word parameter), from/to/count, or
 * min/max (searches). */
static el_status read_param(Loader *L, const ElXmlNode *n, ElAnalysis *a, ElParam *p)
{
    const ElTemplate *t = a->tmpl;
    char *values = el_xml_attr(n, "values");
    int has_from, has_to, has_min, has_max, has_count, forms, k;
    double count = 0;
    el_status st = EL_OK;
    p->line = el_xml_line(n);
    p->slot = -1;
    p->name = el_xml_attr(n, "name");
    if (!p->name || (!values && el_xml_has_attr(n, "values")))
        st = nomem_at(L);
    for (k = 0; st == EL_OK && t && k < t->nparams; k++)
        if (strcmp(t->params[k], p->name) == 0)
            p->slot = k;
    if (st == EL_OK && p->slot < 0) {
        el_free(values);
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s id=\"%s\">: unknown parameter '%s': design '%s' has no "
                            "{%s}",
                            L->path, p->line, analysis_tag(a->kind), a->id, p->name, a->design_id,
                            p->name);
    }
    if (st == EL_OK)
        st = num_attr(L, n, "from", 0, &p->from, &has_from);
    if (st == EL_OK)
        st = num_attr(L, n, "to", 0, &p->to, &has_to);
    if (st == EL_OK)
        st = num_attr(L, n, "count", 0, &count, &has_count);
    if (st == EL_OK)
        st = num_attr(L, n, "min", 0, &p->min, &has_min);
    if (st == EL_OK)
        st = num_attr(L, n, "max", 0, &p->max, &has_max);
    if (st != EL_OK) {
        el_free(values);
        return st;
    }
    forms = (values != NULL) + (has_from || has_to || has_count) + (has_min || has_max);
    if (forms != 1 || (has_from || has_to || has_count) != (has_from && has_to && has_count) ||
        (has_min || has_max) != (has_min && has_max)) {
        el_free(values);
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <%s id=\"%s\">: <param name=\"%s\">: give exactly one of "
                            "values=\"...\", from/to/count, or min/max",
                            L->path, p->line, analysis_tag(a->kind), a->id, p->name);
    }
    p->words = p->slot >= 0 && t->words[p->slot];
    if (values) {
        char *tok, *save = NULL;
        p->kind = EL_PARAM_VALUES;
        for (tok = strtok_r(values, " \t\r\n", &save); tok && st == EL_OK;
             tok = strtok_r(NULL, " \t\r\n", &save)) {
            double v = 0, *nv;
            char *end, **ntx;
            if (p->words) {
                int code = el_slot_word_code("rent-to", tok);
                if (code < 0)
                    st = el_error_set(L->err, EL_ERR_INPUT,
                                      "%s:%d: <param name=\"%s\">: '%s' is not buyer, "
                                      "buyer-government or seller",
                                      L->path, p->line, p->name, tok);
                v = code;
            } else {
                errno = 0;
                v = strtod(tok, &end);
                if (end == tok || *end != '\0' || errno == ERANGE || !isfinite(v))
                    st = el_error_set(L->err, EL_ERR_INPUT,
                                      "%s:%d: <param name=\"%s\">: '%s' is not a finite number",
                                      L->path, p->line, p->name, tok);
            }
            if (st != EL_OK)
                break;
            nv = el_reallocarray(p->values, (size_t)p->nvalues + 1, sizeof(*nv));
            if (nv)
                p->values = nv;
            ntx = nv ? el_reallocarray(p->text, (size_t)p->nvalues + 1, sizeof(*ntx)) : NULL;
            if (ntx)
                p->text = ntx;
            if (!nv || !ntx || !(ntx[p->nvalues] = el_strdup(tok))) {
                st = nomem_at(L);
                break;
            }
            nv[p->nvalues++] = v;
        }
        el_free(values);
        if (st == EL_OK && p->nvalues == 0)
            st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <param name=\"%s\">: no values",
                              L->path, p->line, p->name);
        return st;
    }
    if (p->words && st == EL_OK)
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <param name=\"%s\">: a word parameter (rent-to) takes "
                            "values=\"...\"",
                            L->path, p->line, p->name);
    if (has_count) {
        p->kind = EL_PARAM_RANGE;
        if (count > 1e12 || count != floor(count))
            return el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <param name=\"%s\">: count %g",
                                L->path, p->line, p->name, count);
        p->nvalues = (long)count;
        return EL_OK;
    }
    p->kind = EL_PARAM_CONTINUOUS;
    if (!(p->min <= p->max))
        return el_error_set(L->err, EL_ERR_INPUT,
                            "%s:%d: <param name=\"%s\">: min %g is above max %g", L->path, p->line,
                            p->name, p->min, p->max);
    return EL_OK;
}

static el_status
read_criterion(Loader *L, const ElXmlNode *n, ElAnalysis *a, ElCriterion *c, bool bound)
{
    char *what = el_xml_attr(n, "what"), *of = el_xml_attr(n, "of");
    int has_least = 0, has_most = 0, w;
    double least = 0, most = 0;
    el_status st = (what && (of || !el_xml_has_attr(n, "of"))) ? EL_OK : nomem_at(L);
    c->line = el_xml_line(n);
    c->of = EL_OF_TOTAL;
    if (st == EL_OK)
        st = num_attr(L, n, "at-least", 0, &least, &has_least);
    if (st == EL_OK)
        st = num_attr(L, n, "at-most", 0, &most, &has_most);
    if (st == EL_OK) {
        w = el_what_parse(what);
        c->what = (ElWhat)(w < 0 ? 0 : w);
        if (of && strcmp(of, "total") != 0) {
            c->of = el_scenario_find(L->s, of);
            if (c->of < 0)
                st = el_error_set(L->err, EL_ERR_INPUT,
                                  "%s:%d: <%s id=\"%s\">: <%s of=\"%s\">: no such jurisdiction",
                                  L->path, c->line, analysis_tag(a->kind), a->id, el_xml_name(n),
                                  of);
        }
    }
    if (st == EL_OK && (c->what == EL_WHAT_MIN_GAIN || c->what == EL_WHAT_TOTAL_GAIN) &&
        c->of != EL_OF_TOTAL)
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <%s what=\"%s\">: this measure is of all jurisdictions: "
                          "leave out of= or write of=\"total\"",
                          L->path, c->line, el_xml_name(n), what);
    if (st == EL_OK && c->what == EL_WHAT_NDC_MARGIN) {
        int j, any = 0;
        for (j = 0; j < L->s->njur; j++)
            any += (c->of == EL_OF_TOTAL || c->of == j) && !isnan(L->s->jur[j].ndc_target);
        if (!any)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <%s what=\"ndc-margin\">: %s%s has no <ndc target=...>",
                              L->path, c->line, el_xml_name(n),
                              c->of == EL_OF_TOTAL ? "no jurisdiction" : "jurisdiction ",
                              c->of == EL_OF_TOTAL ? "" : L->s->jur[c->of].id);
    }
    if (st == EL_OK && c->what == EL_WHAT_PRICE && c->of == EL_OF_TOTAL)
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <%s what=\"price\">: a price is of one jurisdiction: "
                          "name it with of=\"...\"",
                          L->path, c->line, el_xml_name(n));
    if (st == EL_OK && bound && has_least == has_most)
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <require>: give exactly one of at-least and at-most", L->path,
                          c->line);
    if (st == EL_OK && !bound && (has_least || has_most))
        st = el_error_set(L->err, EL_ERR_INPUT,
                          "%s:%d: <maximize>: at-least and at-most belong in <require>", L->path,
                          c->line);
    c->at_most = has_most;
    c->bound = has_most ? most : least;
    el_free(what);
    el_free(of);
    return st;
}

static el_status read_analysis(Loader *L, const ElXmlNode *n, ElAnalysisKind kind)
{
    ElAnalyses *x = L->s->analyses;
    ElAnalysis *a, **na;
    const ElXmlNode *c;
    el_status st = EL_OK;
    if (!x) {
        x = L->s->analyses = el_calloc(1, sizeof(*x));
        if (!x)
            return nomem_at(L);
    }
    a = el_calloc(1, sizeof(*a));
    na = a ? el_reallocarray(x->analyses, (size_t)x->nanalyses + 1, sizeof(*na)) : NULL;
    if (!na) {
        el_free(a);
        return nomem_at(L);
    }
    x->analyses = na;
    na[x->nanalyses++] = a; /* owned by the scenario from here, also on failure */
    a->kind = kind;
    a->line = el_xml_line(n);
    a->id = el_xml_attr(n, "id");
    if (!a->id)
        return nomem_at(L);
    if (kind == EL_ANALYSIS_COALITIONS)
        return read_coalitions(L, n, a);
    if (kind == EL_ANALYSIS_UNCERTAINTY)
        return read_uncertainty(L, n, a);
    if (kind == EL_ANALYSIS_SEQUENCE) {
        char *list = el_xml_attr(n, "designs"), *tok, *save = NULL;
        if (!list)
            return nomem_at(L);
        for (tok = strtok_r(list, " \t\r\n", &save); tok && st == EL_OK;
             tok = strtok_r(NULL, " \t\r\n", &save)) {
            int d = el_scenario_find_design(L->s, tok), *nd;
            if (d < 0) {
                st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <sequence id=\"%s\">: %s '%s'",
                                  L->path, a->line, a->id,
                                  el_analyses_find_template(x, tok)
                                      ? "a step must be a design without parameters, not"
                                      : "no design",
                                  tok);
                break;
            }
            nd = el_reallocarray(a->designs, (size_t)a->nsteps + 1, sizeof(*nd));
            if (!nd) {
                st = nomem_at(L);
                break;
            }
            a->designs = nd;
            nd[a->nsteps++] = d;
        }
        el_free(list);
        if (st == EL_OK && a->nsteps == 0)
            st = el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <sequence id=\"%s\">: no designs",
                              L->path, a->line, a->id);
        return st;
    }
    a->design_id = el_xml_attr(n, "design");
    if (!a->design_id)
        return nomem_at(L);
    a->tmpl = el_analyses_find_template(x, a->design_id);
    if (!a->tmpl)
        return el_error_set(L->err, EL_ERR_INPUT, "%s:%d: <%s id=\"%s\">: design '%s' %s", L->path,
                            a->line, analysis_tag(kind), a->id, a->design_id,
                            el_scenario_find_design(L->s, a->design_id) >= 0
                                ? "has no parameters: write {name} in an attribute to make it a "
                                  "template"
                                : "does not exist");
    for (c = el_xml_child(n); c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        if (strcmp(nm, "param") == 0) {
            ElParam *np = el_reallocarray(a->params, (size_t)a->nparams + 1, sizeof(*np));
            if (!np)
                return nomem_at(L);
            a->params = np;
            memset(&np[a->nparams], 0, sizeof(*np));
            st = read_param(L, c, a, &np[a->nparams++]);
        } else if (strcmp(nm, "maximize") == 0) {
            st = read_criterion(L, c, a, &a->objective[a->nobjectives++], false);
        } else if (strcmp(nm, "require") == 0) {
            ElCriterion *nr = el_reallocarray(a->require, (size_t)a->nrequire + 1, sizeof(*nr));
            if (!nr)
                return nomem_at(L);
            a->require = nr;
            st = read_criterion(L, c, a, &nr[a->nrequire++], true);
        }
    }
    if (st == EL_OK && kind == EL_ANALYSIS_SWEEP) {
        int k;
        a->points = 1;
        for (k = 0; k < a->nparams; k++) {
            long cnt = el_param_count(&a->params[k]);
            a->points = (cnt > 0 && a->points > LONG_MAX / cnt) ? LONG_MAX : a->points * cnt;
        }
    }
    return st;
}

static el_status read_pool(Loader *L, const ElXmlNode *n)
{
    char *id = el_xml_attr(n, "id"), *host = el_xml_attr(n, "host"), what[100];
    ElMac *supply = NULL;
    int h = EL_HOST_ROW;
    el_status st = (id && host) ? EL_OK : el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
    if (st == EL_OK && strcmp(host, "ROW") != 0)
        st = find_jur_index(L, host, &h);
    if (st == EL_OK && strcmp(host, "ROW") != 0) {
        if (h < 0)
            st = el_error_set(L->err, EL_ERR_INPUT,
                              "%s:%d: <offset-pool id=\"%s\">: host '%s' is neither a "
                              "jurisdiction nor ROW",
                              L->path, el_xml_line(n), id, host);
    }
    snprintf(what, sizeof(what), "offset-pool '%s'", id ? id : "?");
    if (st == EL_OK)
        st = read_mac(L, el_xml_child(n), what, 0, nan(""), &supply, NULL);
    if (st == EL_OK)
        st = el_scenario_add_pool(L->s, id, h, supply, el_xml_line(n), L->err);
    else
        el_mac_free(supply);
    el_free(id);
    el_free(host);
    return st;
}

static el_status read_settings(Loader *L, const ElXmlNode *sn)
{
    const ElXmlNode *c;
    el_status st = EL_OK;
    for (c = el_xml_child(sn); c && st == EL_OK; c = el_xml_next(c)) {
        char *name = el_xml_attr(c, "name"), *value = el_xml_attr(c, "value");
        if (!name || !value) {
            st = el_error_set(L->err, EL_ERR_NOMEM, "out of memory");
        } else {
            st = el_settings_set_scenario(&L->s->settings, name, value, L->err);
            st = prefix(L, st, c, "<set>");
        }
        el_free(name);
        el_free(value);
    }
    return st;
}

static el_status load(ElScenario **out,
                      const char *path,
                      const char *buf,
                      long len,
                      const ElLoadOptions *opt,
                      ElError *err)
{
    ElXmlDoc *doc = NULL;
    const ElXmlNode *root, *c;
    char *name = NULL, *currency = NULL, *unit = NULL;
    Loader L;
    el_status st;
    *out = NULL;
    memset(&L, 0, sizeof(L));
    L.path = path;
    L.err = err;
    L.slot_kind = -1;
    if (opt)
        L.opt = *opt;
    st = buf ? el_xml_read_memory(&doc, buf, len, path, el_scenario_schema(), err)
             : el_xml_read(&doc, path, el_scenario_schema(), err);
    if (st != EL_OK)
        return st;
    root = el_xml_root(doc);
    name = el_xml_attr(root, "name");
    currency = el_xml_attr(root, "currency");
    unit = el_xml_attr(root, "unit");
    if (!name || (!currency && el_xml_has_attr(root, "currency")) ||
        (!unit && el_xml_has_attr(root, "unit")))
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory");
    else
        st = el_scenario_create(&L.s, name, currency, unit, err);
    if (st == EL_OK) {
        el_free(L.s->path);
        L.s->path = el_strdup(path);
        if (!L.s->path)
            st = el_error_set(err, EL_ERR_NOMEM, "out of memory");
    }
    for (c = root ? el_xml_child(root) : NULL; c && st == EL_OK; c = el_xml_next(c)) {
        const char *nm = el_xml_name(c);
        if (strcmp(nm, "settings") == 0)
            st = read_settings(&L, c);
        else if (strcmp(nm, "periods") == 0)
            st = read_periods(&L, c);
        else if (strcmp(nm, "jurisdiction") == 0)
            st = read_jurisdiction(&L, c);
        else if (strcmp(nm, "design") == 0)
            st = read_design(&L, c);
        else if (strcmp(nm, "offset-pool") == 0)
            st = read_pool(&L, c);
        else if (strcmp(nm, "accept") == 0)
            st = read_accept(&L, c, EL_SCENARIO_LEVEL, "scenario");
        else if (strcmp(nm, "sweep") == 0)
            st = read_analysis(&L, c, EL_ANALYSIS_SWEEP);
        else if (strcmp(nm, "search") == 0)
            st = read_analysis(&L, c, EL_ANALYSIS_SEARCH);
        else if (strcmp(nm, "sequence") == 0)
            st = read_analysis(&L, c, EL_ANALYSIS_SEQUENCE);
        else if (strcmp(nm, "coalitions") == 0)
            st = read_analysis(&L, c, EL_ANALYSIS_COALITIONS);
        else if (strcmp(nm, "uncertainty") == 0)
            st = read_analysis(&L, c, EL_ANALYSIS_UNCERTAINTY);
    }
    if (st == EL_OK && root)
        st = read_figures(&L, root);
    if (st == EL_OK)
        st = el_scenario_finish(L.s, err);
    el_free(name);
    el_free(currency);
    el_free(unit);
    el_free(L.jur_index.refs);
    el_free(L.pool_index.refs);
    el_xml_free(doc);
    if (st != EL_OK) {
        el_scenario_free(L.s);
        return st;
    }
    *out = L.s;
    return EL_OK;
}

el_status
el_scenario_load(ElScenario **out, const char *path, const ElLoadOptions *opt, ElError *err)
{
    return load(out, path, NULL, 0, opt, err);
}

el_status el_scenario_load_memory(ElScenario **out,
                                  const char *buf,
                                  long len,
                                  const char *name,
                                  const ElLoadOptions *opt,
                                  ElError *err)
{
    return load(out, name, buf, len, opt, err);
}
