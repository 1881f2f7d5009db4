/* permute suite: permutation invariance (issue 8 §2, docs/design.md "Permutation test").
 * Reordering the jurisdictions, pools, accepts, designs, links, groups and projects of a scenario
 * file, and the members of a group or a project, must not change any reported number beyond
 * 1e-9 of its scale. Every scenario the tests use is parsed with libxml2, shuffled K times with
 * fixed seeds, solved again, and compared with the original by ids (never by index) three ways:
 * every field of the result structs, every row of results.csv and every attribute of
 * results.xml. The scenarios of tests/data/permute/ stress ties (non-unique quantities). */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "load.h"
#include "results.h"
#include "suites.h"

#define PERM_REL      1e-9       /* |a - b| <= PERM_REL x (1 + largest |value| of the field) */
#define PERM_VARIANTS 8          /* order 0 reverses every run; 1..7 shuffle with fixed seeds */
#define PERM_BIG_FILE (1L << 20) /* bytes: larger files get the reversed order only */
#ifndef PERM_MAX_PRINT
#define PERM_MAX_PRINT 8 /* mismatches printed in full per file */
#endif

/* ---- shuffling ---------------------------------------------------------------------------- */

/* splitmix64: a small deterministic generator; the state is the seed. */
static uint64_t rng_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Reverse v when rng is NULL, else a Fisher-Yates shuffle. */
static void permute_ptrs(void **v, int n, uint64_t *rng)
{
    int i;
    for (i = n - 1; i > 0; i--) {
        int k = rng ? (int)(rng_next(rng) % (uint64_t)(i + 1)) : n - 1 - i;
        void *t;
        if (!rng && k >= i)
            break;
        t = v[i];
        v[i] = v[k];
        v[k] = t;
    }
}

/* Elements whose children are in a meaningful order: curve points and steps (merit order),
 * settings (a repeated name: the last one wins) and a path's years (they must increase). */
static int order_matters(const xmlChar *name)
{
    static const char *const keep[] = {"points", "steps", "settings", "path"};
    size_t k;
    for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
        if (xmlStrEqual(name, (const xmlChar *)keep[k]))
            return 1;
    return 0;
}

/* Put the n elements of run (siblings, in document order) into a new order, leaving every other
 * node (whitespace, comments) where it was. Comment placeholders hold the places: text
 * placeholders would merge with the whitespace around them. */
static int reorder(xmlDocPtr doc, xmlNodePtr *run, int n, uint64_t *rng)
{
    xmlNodePtr *perm = malloc(sizeof(*perm) * (size_t)n), *ph = malloc(sizeof(*ph) * (size_t)n);
    int i, ok = perm && ph;
    for (i = 0; ok && i < n; i++) {
        perm[i] = run[i];
        ph[i] = xmlNewDocComment(doc, (const xmlChar *)"slot");
        ok = ph[i] && xmlAddPrevSibling(run[i], ph[i]) != NULL;
        if (ok)
            xmlUnlinkNode(run[i]);
    }
    if (ok) {
        permute_ptrs((void **)perm, n, rng);
        for (i = 0; i < n; i++) {
            xmlReplaceNode(ph[i], perm[i]);
            xmlFreeNode(ph[i]);
        }
    }
    free(perm);
    free(ph);
    return ok;
}

/* Shuffle the whitespace-separated tokens of attribute `name` of n (if present). */
static int permute_tokens(xmlNodePtr n, const char *name, uint64_t *rng)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *tok[256], *p, *save = NULL, *out;
    int k = 0, i, ok = 1;
    size_t len;
    if (!v)
        return 1;
    len = strlen((const char *)v);
    for (p = strtok_r((char *)v, " \t\r\n", &save); p && k < 256;
         p = strtok_r(NULL, " \t\r\n", &save))
        tok[k++] = p;
    out = calloc(len + 2, 1);
    if (!out || p) { /* out of memory, or more tokens than we hold: leave the list alone */
        free(out);
        xmlFree(v);
        return out != NULL;
    }
    permute_ptrs((void **)tok, k, rng);
    for (i = 0; i < k; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, tok[i]);
    }
    ok = xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)out) != NULL;
    free(out);
    xmlFree(v);
    return ok;
}

/* Reorder the children of every element, recursively. A <design>'s children form an unbounded
 * choice in the schema, so all of them are shuffled together; elsewhere the schema fixes a
 * sequence, so each maximal run of same-named siblings is shuffled within itself. */
static int permute_tree(xmlDocPtr doc, xmlNodePtr e, uint64_t *rng)
{
    xmlNodePtr c, *kids = NULL;
    int n = 0, cap = 0, i, ok = 1;
    if (xmlStrEqual(e->name, (const xmlChar *)"group"))
        ok = permute_tokens(e, "members", rng);
    if (ok && xmlStrEqual(e->name, (const xmlChar *)"project"))
        ok = permute_tokens(e, "shares", rng);
    for (c = e->children; ok && c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (n == cap) {
            xmlNodePtr *t = realloc(kids, sizeof(*kids) * (size_t)(cap = cap ? 2 * cap : 16));
            if (!t) {
                ok = 0;
                break;
            }
            kids = t;
        }
        kids[n++] = c;
    }
    for (i = 0; ok && i < n; i++)
        ok = permute_tree(doc, kids[i], rng);
    if (ok && !order_matters(e->name)) {
        int all = xmlStrEqual(e->name, (const xmlChar *)"design");
        for (i = 0; ok && i < n;) {
            int k = i + 1;
            while (k < n && (all || xmlStrEqual(kids[k]->name, kids[i]->name)))
                k++;
            if (k - i > 1)
                ok = reorder(doc, kids + i, k - i, rng);
            i = k;
        }
    }
    free(kids);
    return ok;
}

/* The XML text of doc in order v (0: every run reversed, else shuffled with seed v); NULL on
 * failure. The document itself is changed; callers pass a fresh copy. */
static xmlChar *permuted_text(xmlDocPtr doc, int v, int *len)
{
    uint64_t seed = 0x5eed0000ULL + (uint64_t)v;
    xmlChar *buf = NULL;
    if (!permute_tree(doc, xmlDocGetRootElement(doc), v == 0 ? NULL : &seed))
        return NULL;
    xmlDocDumpMemory(doc, &buf, len);
    return buf;
}

/* ---- reported numbers as keyed records ---------------------------------------------------- */

/* One reported value. key identifies it by ids (design, element, field); values in one scale
 * group (design and field) share the tolerance scale. str is set for text values. */
typedef struct {
    char *key;
    char *group;
    char *str;
    double v;
} Rec;

typedef struct {
    Rec *r;
    int n, cap;
    int oom;
} Recs;

static void recs_free(Recs *rs)
{
    int i;
    for (i = 0; i < rs->n; i++) {
        free(rs->r[i].key);
        free(rs->r[i].group);
        free(rs->r[i].str);
    }
    free(rs->r);
    memset(rs, 0, sizeof(*rs));
}

static char *dup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    return d ? strcpy(d, s) : NULL;
}

/* Add key = "design|who|field", group = "design|kind|field". */
static void add(Recs *rs,
                const char *design,
                const char *kind,
                const char *who,
                const char *field,
                double v,
                const char *str)
{
    char key[512], group[512];
    Rec *r;
    if (rs->n == rs->cap) {
        Rec *t = realloc(rs->r, sizeof(*t) * (size_t)(rs->cap = rs->cap ? 2 * rs->cap : 256));
        if (!t) {
            rs->oom = 1;
            return;
        }
        rs->r = t;
    }
    snprintf(key, sizeof(key), "%s|%s|%s", design, who, field);
    snprintf(group, sizeof(group), "%s|%s|%s", design, kind, field);
    r = &rs->r[rs->n];
    r->key = dup(key);
    r->group = dup(group);
    r->str = str ? dup(str) : NULL;
    r->v = v;
    if (!r->key || !r->group || (str && !r->str)) {
        free(r->key);
        free(r->group);
        free(r->str);
        rs->oom = 1;
        return;
    }
    rs->n++;
}

/* Every field of the result structs, the unreported ones included. */
static void struct_design(Recs *rs, const ElScenario *s, const ElDesignResult *r)
{
    const ElDesign *des = r->design;
    const char *d = r->design ? r->id : "(autarky baseline)";
    char who[300];
    int i;
    add(rs, d, "design", "design", "outcome", 0, el_outcome_name(r->outcome));
    for (i = 0; i < r->njur; i++) {
        const ElJurResult *q = &r->jur[i];
        const char *j = s->jur[i].id;
#define J(f) add(rs, d, "jur", j, #f, q->f, NULL)
        J(price);
        J(abatement);
        J(emissions);
        J(net_imports);
        J(offsets);
        J(project_credits);
        J(withheld);
        J(released);
        J(penalised);
        J(taxed);
        J(abatement_cost);
        J(payments_abroad);
        J(receipts_abroad);
        J(payments);
        J(unit_payments);
        J(credit_payments);
        J(project_cost);
        J(national_cost);
        J(gain);
        J(firms_cost);
        J(gov_revenue);
        J(offset_surplus);
        J(ndc_emissions);
        J(shortfall);
#undef J
        add(rs, d, "jur", j, "binding", 0, el_binding_name(q->binding));
    }
    for (i = 0; des && i < r->nlinks; i++) {
        const ElLinkResult *q = &r->link[i];
        snprintf(who, sizeof(who), "link %s->%s", s->jur[des->links[i].from].id,
                 s->jur[des->links[i].to].id);
        add(rs, d, "link", who, "units", q->units, NULL);
        add(rs, d, "link", who, "credited", q->credited, NULL);
        add(rs, d, "link", who, "unit_price", q->unit_price, NULL);
        add(rs, d, "link", who, "rent", q->rent, NULL);
    }
    for (i = 0; i < r->npools; i++) {
        const ElPoolResult *q = &r->pool[i];
        snprintf(who, sizeof(who), "pool %s", s->pools[i].id);
        add(rs, d, "pool", who, "used", q->used, NULL);
        add(rs, d, "pool", who, "price", q->price, NULL);
        add(rs, d, "pool", who, "supplied", q->supplied, NULL);
        add(rs, d, "pool", who, "supply_cost", q->supply_cost, NULL);
        add(rs, d, "pool", who, "receipts", q->receipts, NULL);
    }
    for (i = 0; i < r->naccepts; i++) {
        const ElAcceptResult *q = &r->accept[i];
        snprintf(who, sizeof(who), "accept %s<-%s", s->jur[q->jur].id, s->pools[q->pool].id);
        add(rs, d, "accept", who, "credits", q->credits, NULL);
        add(rs, d, "accept", who, "credited", q->credited, NULL);
        add(rs, d, "accept", who, "payment", q->payment, NULL);
    }
    for (i = 0; des && i < r->nprojects; i++) {
        const ElProjectResult *q = &r->project[i];
        snprintf(who, sizeof(who), "project %s", des->projects[i].id);
        add(rs, d, "project", who, "built", q->built, NULL);
        add(rs, d, "project", who, "credits", q->credits, NULL);
        add(rs, d, "project", who, "cost", q->cost, NULL);
    }
    add(rs, d, "total", "total", "abatement_cost", r->abatement_cost, NULL);
    add(rs, d, "total", "total", "total_cost", r->total_cost, NULL);
    add(rs, d, "total", "total", "national_cost", r->national_cost, NULL);
    add(rs, d, "total", "total", "row_surplus", r->row_surplus, NULL);
    add(rs, d, "total", "total", "gain", r->gain, NULL);
}

static void struct_recs(Recs *rs, const ElRun *run)
{
    int d;
    struct_design(rs, run->scenario, &run->autarky);
    for (d = 0; d < run->ndesigns; d++)
        struct_design(rs, run->scenario, &run->designs[d]);
}

/* Text written by a results writer, in memory. */
static char *written(const ElRun *run, void (*w)(const ElRun *, FILE *), size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    w(run, f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* One CSV field starting at *p (RFC 4180 quotes); *p moves past the separator. */
static void csv_field(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    size_t n = 0;
    int q = *s == '"';
    if (q)
        s++;
    while (*s && (q ? !(s[0] == '"' && s[1] != '"') : (*s != ',' && *s != '\r' && *s != '\n'))) {
        if (q && s[0] == '"')
            s++;
        if (n + 1 < cap)
            out[n++] = *s;
        s++;
    }
    if (q && *s == '"')
        s++;
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
}

/* results.csv: key design|who|variable, value, and the unit as text. */
static void csv_recs(Recs *rs, const ElRun *run)
{
    size_t len;
    char *buf = written(run, el_results_write_csv_stream, &len);
    const char *p;
    int first = 1;
    if (!buf) {
        rs->oom = 1;
        return;
    }
    for (p = buf; *p;) {
        char f[5][256], unit_field[300];
        int k;
        for (k = 0; k < 5; k++)
            csv_field(&p, f[k], sizeof(f[k]));
        while (*p == '\r' || *p == '\n')
            p++;
        if (first) {
            first = 0;
            continue;
        }
        add(rs, f[0], "csv", f[1], f[2], strtod(f[3], NULL), NULL);
        snprintf(unit_field, sizeof(unit_field), "%s(unit)", f[2]);
        add(rs, f[0], "csv", f[1], unit_field, 0, f[4]);
    }
    free(buf);
}

/* Attributes that identify an element of results.xml rather than report a value. */
static int is_key_attr(const xmlChar *a)
{
    static const char *const keys[] = {"id", "from", "to", "pool", "jurisdiction"};
    size_t k;
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (xmlStrEqual(a, (const xmlChar *)keys[k]))
            return 1;
    return 0;
}

/* An element of results.xml, recursively: who = its path of names and key attributes. */
static void xml_element(Recs *rs, const char *design, const char *parent, xmlNodePtr e)
{
    char who[512], d[256];
    xmlAttrPtr a;
    xmlNodePtr c;
    size_t n;
    snprintf(who, sizeof(who), "%s/%s", parent, (const char *)e->name);
    for (a = e->properties; a; a = a->next)
        if (is_key_attr(a->name)) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            n = strlen(who);
            snprintf(who + n, sizeof(who) - n, "[%s=%s]", (const char *)a->name,
                     v ? (const char *)v : "");
            if (xmlStrEqual(e->name, (const xmlChar *)"design") &&
                xmlStrEqual(a->name, (const xmlChar *)"id"))
                snprintf(d, sizeof(d), "%s", v ? (const char *)v : "");
            xmlFree(v);
        }
    if (xmlStrEqual(e->name, (const xmlChar *)"design"))
        design = d;
    for (a = e->properties; a; a = a->next) {
        xmlChar *v;
        char *end, kind[300];
        double x;
        if (is_key_attr(a->name))
            continue;
        v = xmlNodeGetContent((xmlNodePtr)a);
        if (!v) {
            rs->oom = 1;
            return;
        }
        x = strtod((const char *)v, &end);
        snprintf(kind, sizeof(kind), "xml:%s", (const char *)e->name);
        add(rs, design, kind, who, (const char *)a->name, x,
            (*v && *end == '\0') ? NULL : (const char *)v);
        xmlFree(v);
    }
    for (c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            xml_element(rs, design, who, c);
}

/* results.xml: every attribute of every element, keyed by the element's ids. */
static void xml_recs(Recs *rs, const ElRun *run)
{
    size_t len;
    char *buf = written(run, el_results_write_xml_stream, &len);
    xmlDocPtr doc = buf ? xmlReadMemory(buf, (int)len, "results.xml", NULL, XML_PARSE_NONET) : NULL;
    if (!doc)
        rs->oom = 1;
    else
        xml_element(rs, "-", "", xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    free(buf);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const Rec *)a)->key, ((const Rec *)b)->key);
}

/* Tolerance scales: per group, the largest |value| in a and b (text values have none). */
typedef struct {
    const char *group;
    double max;
} Scale;

static int by_group(const void *a, const void *b)
{
    return strcmp(((const Scale *)a)->group, ((const Scale *)b)->group);
}

static Scale *scales(const Recs *a, const Recs *b, int *n)
{
    Scale *g = malloc(sizeof(*g) * (size_t)(a->n + b->n + 1));
    int i, k = 0, m = 0;
    if (!g)
        return NULL;
    for (i = 0; i < a->n; i++)
        if (!a->r[i].str)
            g[k++] = (Scale){a->r[i].group, fabs(a->r[i].v)};
    for (i = 0; i < b->n; i++)
        if (!b->r[i].str)
            g[k++] = (Scale){b->r[i].group, fabs(b->r[i].v)};
    qsort(g, (size_t)k, sizeof(*g), by_group);
    for (i = 0; i < k; i++) {
        if (m > 0 && strcmp(g[m - 1].group, g[i].group) == 0) {
            if (g[i].max > g[m - 1].max)
                g[m - 1].max = g[i].max;
        } else {
            g[m++] = g[i];
        }
    }
    *n = m;
    return g;
}

static double group_scale(const Scale *g, int n, const char *group)
{
    Scale key = {group, 0};
    const Scale *x = bsearch(&key, g, (size_t)n, sizeof(*g), by_group);
    return 1 + (x ? x->max : 0);
}

typedef struct {
    const char *file;
    const char *what; /* "struct", "csv" or "xml" */
    int variant;
    int mismatches; /* in this comparison */
    int *printed;   /* for this file, all orders and comparisons together */
} Ctx;

static void mismatch(Ctx *c, const char *key, const char *a, const char *b)
{
    c->mismatches++;
    if ((*c->printed)++ < PERM_MAX_PRINT)
        fprintf(stderr, "\n  permute: %s, order %d (%s), %s: %s: original %s, permuted %s", c->file,
                c->variant, c->variant == 0 ? "reversed" : "seeded", c->what, key, a, b);
}

/* Compare two record sets by key; every value within PERM_REL of its group's scale. */
static void compare(Ctx *c, Recs *a, Recs *b)
{
    int i = 0, k = 0, ng = 0;
    char x[64], y[64];
    Scale *g = scales(a, b, &ng);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    if (a->n > 0) /* qsort of a NULL array is undefined even when empty */
        qsort(a->r, (size_t)a->n, sizeof(Rec), by_key);
    if (b->n > 0)
        qsort(b->r, (size_t)b->n, sizeof(Rec), by_key);
    while (i < a->n || k < b->n) {
        int cmp = i == a->n ? 1 : k == b->n ? -1 : strcmp(a->r[i].key, b->r[k].key);
        if (cmp < 0) {
            mismatch(c, a->r[i++].key, "present", "missing");
            continue;
        }
        if (cmp > 0) {
            mismatch(c, b->r[k++].key, "missing", "present");
            continue;
        }
        if (a->r[i].str || b->r[k].str) {
            if (!a->r[i].str || !b->r[k].str || strcmp(a->r[i].str, b->r[k].str) != 0)
                mismatch(c, a->r[i].key, a->r[i].str ? a->r[i].str : "(number)",
                         b->r[k].str ? b->r[k].str : "(number)");
        } else if (!(fabs(a->r[i].v - b->r[k].v) <= PERM_REL * group_scale(g, ng, a->r[i].group))) {
            snprintf(x, sizeof(x), "%.17g", a->r[i].v);
            snprintf(y, sizeof(y), "%.17g", b->r[k].v);
            mismatch(c, a->r[i].key, x, y);
        }
        i++;
        k++;
    }
    free(g);
}

/* ---- one scenario file -------------------------------------------------------------------- */

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)*len + 1)) != NULL) {
        if (fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
            free(buf);
            buf = NULL;
        } else {
            buf[*len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* Load (from memory, named path so that CSV hrefs resolve) and solve. *run may be NULL. */
static el_status
load_solve(const char *buf, long len, const char *path, ElScenario **s, ElRun **run, ElError *err)
{
    el_status st = el_scenario_load_memory(s, buf, len, path, NULL, err);
    *run = NULL;
    if (st == EL_OK)
        st = el_run_solve(run, *s, err);
    return st;
}

/* Permute path PERM_VARIANTS times; returns the number of orders that differ (0: invariant).
 * A file that does not load or solve must fail the same way in every order, unless must_solve
 * says that it has to solve. */
static int check_file(const char *path, int must_solve)
{
    ElScenario *s0 = NULL;
    ElRun *r0 = NULL;
    ElError err = {EL_OK, ""};
    Recs rec0[3];
    long len = 0;
    char *text = slurp(path, &len);
    xmlDocPtr doc;
    el_status st0;
    int v, bad = 0, w, printed = 0;
    memset(rec0, 0, sizeof(rec0));
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    st0 = load_solve(text, len, path, &s0, &r0, &err);
    if (must_solve && st0 != EL_OK) {
        fprintf(stderr, "\n  permute: %s must solve: %s", path, err.msg);
        CU_FAIL("a scenario of tests/data/permute does not solve");
    } else if (st0 != EL_OK) {
        fprintf(stderr,
                "\n  permute: %s does not solve in its own order (%s: %s); its permutations "
                "must fail the same way",
                path, el_status_name(st0), err.msg);
    }
    if (r0) {
        struct_recs(&rec0[0], r0);
        csv_recs(&rec0[1], r0);
        xml_recs(&rec0[2], r0);
        CU_ASSERT(!rec0[0].oom && !rec0[1].oom && !rec0[2].oom);
    }
    doc = xmlReadMemory(text, (int)len, path, NULL, XML_PARSE_NONET);
    if (!doc) /* not XML: nothing to reorder, and the loader must have refused it too */
        CU_ASSERT_NOT_EQUAL(st0, EL_OK);
    for (v = 0; doc && v < (len > PERM_BIG_FILE ? 1 : PERM_VARIANTS); v++) {
        xmlDocPtr copy = xmlCopyDoc(doc, 1);
        int plen = 0, differ = 0;
        xmlChar *ptext = copy ? permuted_text(copy, v, &plen) : NULL;
        ElScenario *s1 = NULL;
        ElRun *r1 = NULL;
        ElError err1 = {EL_OK, ""};
        el_status st1;
        CU_ASSERT_PTR_NOT_NULL_FATAL(ptext);
        st1 = load_solve((const char *)ptext, plen, path, &s1, &r1, &err1);
        if (st1 != st0) {
            fprintf(stderr, "\n  permute: %s, order %d: status %s (%s), original %s", path, v,
                    el_status_name(st1), err1.msg, el_status_name(st0));
            bad++;
        } else if (r0 && r1) {
            static const char *const what[3] = {"struct", "csv", "xml"};
            Ctx c = {path, "", v, 0, &printed};
            int count[3];
            for (w = 0; w < 3; w++) {
                Recs rec1 = {0};
                c.what = what[w];
                c.mismatches = 0;
                if (w == 0)
                    struct_recs(&rec1, r1);
                else if (w == 1)
                    csv_recs(&rec1, r1);
                else
                    xml_recs(&rec1, r1);
                CU_ASSERT(!rec1.oom);
                compare(&c, &rec0[w], &rec1);
                count[w] = c.mismatches;
                differ += c.mismatches;
                recs_free(&rec1);
            }
            if (differ)
                fprintf(stderr,
                        "\n  permute: %s, order %d: %d fields differ (%d in the structs, "
                        "%d in results.csv, %d in results.xml)",
                        path, v, differ, count[0], count[1], count[2]);
            bad += differ > 0;
        } else if (!r0 != !r1) {
            fprintf(stderr, "\n  permute: %s, order %d: results %s, original %s", path, v,
                    r1 ? "present" : "absent", r0 ? "present" : "absent");
            bad++;
        }
        el_run_free(r1);
        el_scenario_free(s1);
        xmlFree(ptext);
        xmlFreeDoc(copy);
    }
    xmlFreeDoc(doc);
    for (w = 0; w < 3; w++)
        recs_free(&rec0[w]);
    el_run_free(r0);
    el_scenario_free(s0);
    free(text);
    return bad;
}

/* ---- the scenario files ------------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir that end in suffix (regular files, or folders when suffix is "/"). */
static int list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    int n = 0;
    *out = NULL;
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char full[1024];
        struct stat st;
        size_t ln = strlen(e->d_name), ls = strlen(suffix);
        int want_dir = strcmp(suffix, "/") == 0;
        char **t;
        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
        if (stat(full, &st) != 0 || (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
            continue;
        if (!want_dir && (ln < ls || strcmp(e->d_name + ln - ls, suffix) != 0))
            continue;
        t = realloc(v, sizeof(*v) * (size_t)(n + 1));
        if (!t)
            break;
        v = t;
        v[n] = dup(full);
        if (v[n])
            n++;
    }
    closedir(d);
    if (n)
        qsort(v, (size_t)n, sizeof(*v), by_name);
    *out = v;
    return n;
}

static void free_list(char **v, int n)
{
    int i;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Check every file of a list; returns how many files are not invariant. */
static int check_list(char **v, int n, int must_solve, int *count)
{
    int i, bad = 0;
    for (i = 0; i < n; i++) {
        int b = check_file(v[i], must_solve);
        if (b)
            fprintf(stderr, "\n  permute: %s: %d orders changed the results\n", v[i], b);
        bad += b > 0;
        (*count)++;
    }
    return bad;
}

/* Tests run in tests/ (make check): ../scenarios, ../scenarios/examples, data, golden. */
static void test_bundled(void)
{
    static const char *const dirs[] = {"../scenarios", "../scenarios/examples", "data"};
    char **v, **g;
    int n, ng, i, bad = 0, count = 0;
    size_t k;
    for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
        n = list_dir(dirs[k], ".xml", &v);
        bad += check_list(v, n, 0, &count);
        free_list(v, n);
    }
    ng = list_dir("golden", "/", &g);
    for (i = 0; i < ng; i++) {
        char in[1100];
        char *one[1];
        struct stat st;
        snprintf(in, sizeof(in), "%s/input.xml", g[i]);
        one[0] = in;
        if (stat(in, &st) == 0)
            bad += check_list(one, 1, 0, &count);
    }
    free_list(g, ng);
    CU_ASSERT(count >= 7); /* northeast-asia, fitted-mac, 4 in data/, golden/small */
    CU_ASSERT_EQUAL(bad, 0);
}

/* The tie scenarios: quantities that the prices alone do not pin down. */
static void test_ties(void)
{
    char **v;
    int count = 0, n = list_dir("data/permute", ".xml", &v);
    int bad = check_list(v, n, 1, &count);
    free_list(v, n);
    CU_ASSERT(count >= 7);
    CU_ASSERT_EQUAL(bad, 0);
}

/* The shuffle itself: jurisdictions, designs and design children move, curves keep their
 * order, list attributes are permuted, and the document stays schema-valid. */
static void test_shuffle(void)
{
    static const char xml[] =
        "<scenario name=\"s\">\n"
        "  <jurisdiction id=\"A\"><bau>100</bau><cap>90</cap><mac><points><point q=\"0\" "
        "p=\"0\"/><point q=\"10\" p=\"5\"/><point q=\"20\" p=\"30\"/></points></mac>"
        "</jurisdiction>\n"
        "  <jurisdiction id=\"B\"><bau>100</bau><cap>80</cap><mac><steps><step q=\"5\" "
        "p=\"3\"/><step q=\"7\" p=\"9\"/></steps></mac></jurisdiction>\n"
        "  <jurisdiction id=\"C\"><bau>100</bau><cap>70</cap><mac><linear slope=\"2\"/></mac>"
        "</jurisdiction>\n"
        "  <design id=\"d1\"><group members=\"A B C\"/><link from=\"A\" to=\"B\"/>"
        "<link from=\"B\" to=\"C\"/><project id=\"p\" capacity=\"1\" shares=\"A:0.25 B:0.75\"/>"
        "</design>\n"
        "  <design id=\"d2\"/>\n  <design id=\"d3\"/>\n"
        "</scenario>\n";
    int v, jmoved = 0, dmoved = 0, lmoved = 0, gmoved = 0, pmoved = 0;
    for (v = 0; v < PERM_VARIANTS; v++) {
        xmlDocPtr doc = xmlReadMemory(xml, (int)sizeof(xml) - 1, "s.xml", NULL, 0);
        int len = 0, d, k;
        xmlChar *t = doc ? permuted_text(doc, v, &len) : NULL;
        ElScenario *s = NULL;
        ElError err;
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_EQUAL_FATAL(
            el_scenario_load_memory(&s, (const char *)t, len, "s.xml", NULL, &err), EL_OK);
        CU_ASSERT_EQUAL(s->njur, 3);
        CU_ASSERT_EQUAL(s->ndesigns, 3);
        jmoved += strcmp(s->jur[0].id, "A") != 0 || strcmp(s->jur[1].id, "B") != 0;
        dmoved += strcmp(s->designs[0]->id, "d1") != 0;
        for (d = 0; d < s->ndesigns; d++) {
            const ElDesign *de = s->designs[d];
            if (strcmp(de->id, "d1") != 0)
                continue;
            CU_ASSERT_EQUAL_FATAL(de->nlinks, 2);
            CU_ASSERT_EQUAL_FATAL(de->ngroups, 1);
            CU_ASSERT_EQUAL_FATAL(de->nprojects, 1);
            lmoved += strcmp(s->jur[de->links[0].from].id, "A") != 0;
            gmoved += strcmp(s->jur[de->groups[0].members[0]].id, "A") != 0;
            pmoved += strcmp(s->jur[de->projects[0].members[0]].id, "A") != 0;
            /* each share stays with its member */
            for (k = 0; k < de->projects[0].n; k++)
                CU_ASSERT_DOUBLE_EQUAL(
                    de->projects[0].shares[k],
                    strcmp(s->jur[de->projects[0].members[k]].id, "A") == 0 ? 0.25 : 0.75, 0);
        }
        /* the curves keep their order: A's points and B's steps load unchanged */
        for (k = 0; k < s->njur; k++) {
            if (strcmp(s->jur[k].id, "A") == 0)
                CU_ASSERT_DOUBLE_EQUAL(el_mac_value(s->jur[k].mac, 10), 5, 1e-12);
            if (strcmp(s->jur[k].id, "B") == 0)
                CU_ASSERT_DOUBLE_EQUAL(el_mac_value(s->jur[k].mac, 6), 9, 1e-12);
        }
        el_scenario_free(s);
        xmlFree(t);
        xmlFreeDoc(doc);
    }
    CU_ASSERT(jmoved > 0 && dmoved > 0 && lmoved > 0 && gmoved > 0 && pmoved > 0);
}

CU_TestInfo permute_tests[] = {
    {"the shuffle reorders what it may and keeps curves", test_shuffle},
    {"bundled and test scenarios are permutation invariant", test_bundled},
    {"tie scenarios (tests/data/permute) are permutation invariant", test_ties},
    CU_TEST_INFO_NULL,
};
