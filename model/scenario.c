/* Scenario construction and semantic validation. Everything the loader reads passes through
 * el_scenario_finish, so a scenario built in code obeys the same rules as one read from XML. */
#include "scenario.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "el_alloc.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (scenario)");
}

el_status el_scenario_create(
    ElScenario **out, const char *name, const char *currency, const char *unit, ElError *err)
{
    ElScenario *s;
    *out = NULL;
    s = el_calloc(1, sizeof(*s));
    if (!s)
        return nomem(err);
    s->name = el_strdup(name ? name : "");
    s->currency = el_strdup(currency ? currency : "USD");
    s->unit = el_strdup(unit ? unit : "Mt");
    s->path = el_strdup("");
    if (!s->name || !s->currency || !s->unit || !s->path) {
        el_scenario_free(s);
        return nomem(err);
    }
    el_settings_default(&s->settings);
    *out = s;
    return EL_OK;
}

void el_scenario_free(ElScenario *s)
{
    int i;
    if (!s)
        return;
    for (i = 0; i < s->njur; i++) {
        el_free(s->jur[i].id);
        el_free(s->jur[i].name);
        el_mac_free(s->jur[i].mac);
        el_mac_fit_free(s->jur[i].fit);
        el_free(s->jur[i].path);
    }
    el_free(s->jur);
    for (i = 0; i < s->ndesigns; i++)
        el_design_free(s->designs[i]);
    el_free(s->designs);
    el_analyses_free(s->analyses);
    for (i = 0; i < s->npools; i++) {
        el_free(s->pools[i].id);
        el_mac_free(s->pools[i].supply);
    }
    el_free(s->pools);
    el_free(s->instruments);
    el_free(s->accepts);
    for (i = 0; i < s->nfigures; i++) {
        el_free(s->figures[i].owner);
        el_free(s->figures[i].element);
        el_free(s->figures[i].value);
        el_free(s->figures[i].source);
    }
    el_free(s->figures);
    el_free(s->name);
    el_free(s->currency);
    el_free(s->unit);
    el_free(s->path);
    el_free(s);
}

el_status el_scenario_add_jurisdiction(ElScenario *s,
                                       const char *id,
                                       const char *name,
                                       double bau,
                                       double cap,
                                       ElMac *mac,
                                       int line,
                                       ElError *err)
{
    ElJurisdiction *arr, *j;
    arr = el_reallocarray(s->jur, (size_t)s->njur + 1, sizeof(*arr));
    if (!arr) {
        el_mac_free(mac);
        return nomem(err);
    }
    s->jur = arr;
    j = &s->jur[s->njur];
    memset(j, 0, sizeof(*j));
    j->mac = mac;
    j->bau = bau;
    j->cap = cap;
    j->cap_kind = EL_CAP_ABSOLUTE;
    j->bau_intensity = nan("");
    j->ndc_target = nan("");
    j->bank_allowed = true;
    j->bank_max = HUGE_VAL;
    j->bank_share = nan("");
    j->line = line;
    j->id = el_strdup(id);
    j->name = el_strdup(name ? name : id);
    s->njur++; /* counted now so that el_scenario_free releases it on any failure */
    if (!j->id || !j->name)
        return nomem(err);
    return EL_OK;
}

el_status el_scenario_add_figure(ElScenario *s,
                                 const char *owner,
                                 const char *element,
                                 const char *value,
                                 const char *source,
                                 int design,
                                 int line,
                                 ElError *err)
{
    ElFigure *fg;
    if ((s->nfigures & (s->nfigures - 1)) == 0) { /* full at 0, 1, 2, 4, ...: double the room */
        ElFigure *arr = el_reallocarray(s->figures, s->nfigures > 0 ? 2 * (size_t)s->nfigures : 1,
                                        sizeof(*arr));
        if (!arr)
            return nomem(err);
        s->figures = arr;
    }
    /* counted now so that el_scenario_free releases it on failure */
    fg = &s->figures[s->nfigures++];
    memset(fg, 0, sizeof(*fg));
    fg->design = design;
    fg->line = line;
    fg->owner = el_strdup(owner ? owner : "");
    fg->element = el_strdup(element ? element : "");
    fg->value = el_strdup(value ? value : "");
    fg->source = source ? el_strdup(source) : NULL;
    if (!fg->owner || !fg->element || !fg->value || (source && !fg->source))
        return nomem(err);
    return EL_OK;
}

int el_scenario_find(const ElScenario *s, const char *id)
{
    int i;
    for (i = 0; i < s->njur; i++)
        if (strcmp(s->jur[i].id, id) == 0)
            return i;
    return -1;
}

el_status el_scenario_take_design(ElScenario *s, ElDesign *d, ElError *err)
{
    ElDesign **arr = el_reallocarray(s->designs, (size_t)s->ndesigns + 1, sizeof(*arr));
    if (!arr) {
        el_design_free(d);
        return nomem(err);
    }
    s->designs = arr;
    arr[s->ndesigns++] = d;
    return EL_OK;
}

el_status el_scenario_add_design(ElScenario *s, const char *id, int line, ElError *err)
{
    ElDesign *d = NULL;
    el_status st = el_design_create(&d, id, line, err);
    return st == EL_OK ? el_scenario_take_design(s, d, err) : st;
}

int el_scenario_find_design(const ElScenario *s, const char *id)
{
    int i;
    for (i = 0; i < s->ndesigns; i++)
        if (strcmp(s->designs[i]->id, id) == 0)
            return i;
    return -1;
}

el_status el_scenario_add_link(ElScenario *s,
                               int d,
                               int from,
                               int to,
                               double rate,
                               double quota,
                               double quota_share,
                               int line,
                               ElError *err)
{
    return el_design_add_link(s->designs[d], from, to, rate, quota, quota_share, EL_RENT_BUYER,
                              line, err);
}

el_status
el_scenario_add_group(ElScenario *s, int d, const int *members, int n, int line, ElError *err)
{
    return el_design_add_group(s->designs[d], members, n, line, err);
}

el_status el_scenario_set_tax(ElScenario *s, int j, double rate, double credit_limit, ElError *err)
{
    if (j < 0 || j >= s->njur)
        return el_error_set(err, EL_ERR_INTERNAL, "el_scenario_set_tax: bad jurisdiction");
    s->jur[j].cap_kind = EL_CAP_TAX;
    s->jur[j].cap = 0;
    s->jur[j].tax_rate = rate;
    s->jur[j].credit_limit = credit_limit;
    return EL_OK;
}

/* Grow an array of n elements of size sz by one; the new element is zeroed. */
static void *append(void *arr, int n, size_t sz)
{
    char *a = el_reallocarray(arr, (size_t)n + 1, sz);
    if (a)
        memset(a + (size_t)n * sz, 0, sz);
    return a;
}

el_status el_scenario_add_instrument(ElScenario *s,
                                     int d,
                                     int jur,
                                     ElInstrKind kind,
                                     double price,
                                     double volume,
                                     int line,
                                     ElError *err)
{
    ElInstrument *a;
    if (d != EL_SCENARIO_LEVEL)
        return el_design_add_instrument(s->designs[d], jur, kind, price, volume, line, err);
    a = append(s->instruments, s->ninstruments, sizeof(*a));
    if (!a)
        return nomem(err);
    s->instruments = a;
    a[s->ninstruments++] = (ElInstrument){jur, kind, price, volume, line};
    return EL_OK;
}

el_status
el_scenario_add_pool(ElScenario *s, const char *id, int host, ElMac *supply, int line, ElError *err)
{
    ElPool *a = append(s->pools, s->npools, sizeof(*s->pools));
    if (!a) {
        el_mac_free(supply);
        return nomem(err);
    }
    s->pools = a;
    a[s->npools] = (ElPool){el_strdup(id), host, supply, line};
    s->npools++;
    return a[s->npools - 1].id ? EL_OK : nomem(err);
}

int el_scenario_find_pool(const ElScenario *s, const char *id)
{
    int k;
    for (k = 0; k < s->npools; k++)
        if (strcmp(s->pools[k].id, id) == 0)
            return k;
    return -1;
}

el_status el_scenario_add_accept(ElScenario *s,
                                 int d,
                                 int pool,
                                 int jur,
                                 double limit,
                                 double limit_share,
                                 double discount,
                                 int line,
                                 ElError *err)
{
    ElAccept *a;
    if (d != EL_SCENARIO_LEVEL)
        return el_design_add_accept(s->designs[d], pool, jur, limit, limit_share, discount, line,
                                    err);
    a = append(s->accepts, s->naccepts, sizeof(*a));
    if (!a)
        return nomem(err);
    s->accepts = a;
    a[s->naccepts++] = (ElAccept){pool, jur, limit, limit_share, discount, line};
    return EL_OK;
}

el_status el_scenario_add_export_cap(
    ElScenario *s, int d, int jur, double max, double share_of_cap, int line, ElError *err)
{
    return el_design_add_export_cap(s->designs[d], jur, max, share_of_cap, line, err);
}

el_status el_scenario_add_project(ElScenario *s,
                                  int d,
                                  const char *id,
                                  double capacity,
                                  double fixed_cost,
                                  double variable_cost,
                                  const int *members,
                                  const double *shares,
                                  int n,
                                  int line,
                                  ElError *err)
{
    return el_design_add_project(s->designs[d], id, capacity, fixed_cost, variable_cost, members,
                                 shares, n, line, err);
}

const ElInstrument *
el_scenario_instrument(const ElScenario *s, const ElDesign *d, int j, ElInstrKind k)
{
    int i;
    for (i = 0; d && i < d->ninstruments; i++)
        if (d->instruments[i].jur == j && d->instruments[i].kind == k)
            return &d->instruments[i];
    for (i = 0; i < s->ninstruments; i++)
        if (s->instruments[i].jur == j && s->instruments[i].kind == k)
            return &s->instruments[i];
    return NULL;
}

/* Uniqueness checks sort their keys (O(n log n)) instead of comparing every pair. A key is a
 * string, a pair of integers, or both, with the element's position in its list. */
typedef struct {
    const char *str;
    long a, b;
    int pos;
} DupKey;

static int dupkey_compare(const DupKey *x, const DupKey *y)
{
    int c = x->str && y->str ? strcmp(x->str, y->str) : 0;
    if (c != 0)
        return c;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static int dupkey_order(const void *p, const void *q)
{
    const DupKey *x = p, *y = q;
    int c = dupkey_compare(x, y);
    return c != 0 ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The duplicate a scan in list order meets first: *later is the smallest position whose key
 * appears at an earlier position, *first the first position of that key; *later = -1 if every
 * key is unique. keys (n of them) are sorted in place. */
static void first_duplicate(DupKey *keys, int n, int *later, int *first)
{
    int i;
    *later = *first = -1;
    if (n < 2)
        return;
    qsort(keys, (size_t)n, sizeof(*keys), dupkey_order);
    for (i = 1; i < n; i++)
        if (dupkey_compare(&keys[i - 1], &keys[i]) == 0 &&
            (i == 1 || dupkey_compare(&keys[i - 2], &keys[i - 1]) != 0) &&
            (*later < 0 || keys[i].pos < *later)) {
            *later = keys[i].pos; /* the second of a run of equal keys */
            *first = keys[i - 1].pos;
        }
}

static DupKey *dupkeys_alloc(int n)
{
    return el_calloc((size_t)(n > 0 ? n : 1), sizeof(DupKey));
}

#define NO_FIELD ((size_t)-1)

/* first_duplicate over n elements of size `size` at base, keyed by the int fields at offsets
 * off_a and off_b (NO_FIELD: none) or by the char * field at off_str. */
static el_status field_duplicate(const void *base,
                                 int n,
                                 size_t size,
                                 size_t off_str,
                                 size_t off_a,
                                 size_t off_b,
                                 int *later,
                                 int *first,
                                 ElError *err)
{
    DupKey *k;
    int i;
    *later = *first = -1;
    if (n < 2)
        return EL_OK;
    k = dupkeys_alloc(n);
    if (!k)
        return nomem(err);
    for (i = 0; i < n; i++) {
        const char *e = (const char *)base + (size_t)i * size;
        int a = 0, b = 0;
        k[i] = (DupKey){NULL, 0, 0, i};
        if (off_str != NO_FIELD)
            memcpy(&k[i].str, e + off_str, sizeof(k[i].str));
        if (off_a != NO_FIELD)
            memcpy(&a, e + off_a, sizeof(a));
        if (off_b != NO_FIELD)
            memcpy(&b, e + off_b, sizeof(b));
        k[i].a = a;
        k[i].b = b;
    }
    first_duplicate(k, n, later, first);
    el_free(k);
    return EL_OK;
}

#define ID_DUPLICATE(arr, n, type, later, first, err) \
    field_duplicate(arr, n, sizeof(type), offsetof(type, id), NO_FIELD, NO_FIELD, later, first, err)

static const char *const instr_names[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};

static el_status check_instruments(
    const ElScenario *s, const ElInstrument *in, int n, const char *where, ElError *err)
{
    int i, later = -1, first = -1;
    if (n > 1) {
        DupKey *k = dupkeys_alloc(n);
        if (!k)
            return nomem(err);
        for (i = 0; i < n; i++)
            k[i] = (DupKey){NULL, in[i].jur, (long)in[i].kind, i};
        first_duplicate(k, n, &later, &first);
        el_free(k);
    }
    for (i = 0; i < n; i++) {
        const ElInstrument *x = &in[i];
        if (x->jur < 0 || x->jur >= s->njur)
            return el_error_set(err, EL_ERR_INTERNAL, "instrument: bad jurisdiction");
        if (!isfinite(x->price) || x->price < 0 || isnan(x->volume) || x->volume < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <%s> of '%s': price must be finite and >= 0, volume "
                                ">= 0",
                                s->path, x->line, where, instr_names[x->kind], s->jur[x->jur].id);
        if (x->kind == EL_INSTR_FLOOR &&
            x->volume > s->jur[x->jur].auction_share * s->jur[x->jur].cap * (1 + 1e-12))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <floor> of '%s': volume %g exceeds the auctioned "
                                "allowances (auction-share x cap = %g): a floor can only withhold "
                                "what is auctioned",
                                s->path, x->line, where, s->jur[x->jur].id, x->volume,
                                s->jur[x->jur].auction_share * s->jur[x->jur].cap);
        if (i == later)
            return el_error_set(
                err, EL_ERR_INPUT, "%s:%d: %s: a second <%s> for '%s' (first on line %d)", s->path,
                x->line, where, instr_names[x->kind], s->jur[x->jur].id, in[first].line);
    }
    return EL_OK;
}

static el_status
check_accepts(const ElScenario *s, const ElAccept *ac, int n, const char *where, ElError *err)
{
    int i, later, first;
    el_status st = field_duplicate(ac, n, sizeof(*ac), NO_FIELD, offsetof(ElAccept, pool),
                                   offsetof(ElAccept, jur), &later, &first, err);
    if (st != EL_OK)
        return st;
    for (i = 0; i < n; i++) {
        const ElAccept *a = &ac[i];
        const char *pid = s->pools[a->pool].id, *jid = s->jur[a->jur].id;
        if (!isfinite(a->discount) || a->discount <= 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <accept pool=\"%s\" jurisdiction=\"%s\">: discount "
                                "%g must be > 0",
                                s->path, a->line, where, pid, jid, a->discount);
        if (!isnan(a->limit_share) && !(a->limit_share >= 0 && a->limit_share <= 1))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <accept pool=\"%s\" jurisdiction=\"%s\">: "
                                "limit-share %g must be in [0, 1]",
                                s->path, a->line, where, pid, jid, a->limit_share);
        if (isnan(a->limit) || a->limit < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <accept pool=\"%s\" jurisdiction=\"%s\">: limit "
                                "must be >= 0",
                                s->path, a->line, where, pid, jid);
        if (i == later)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: '%s' accepts pool '%s' twice (first on line %d)",
                                s->path, a->line, where, jid, pid, ac[first].line);
    }
    return EL_OK;
}

/* Import limits: exactly one of max (0 <= max <= EL_MAX_QUANTITY) and share (in [0, 1]), and a
 * source list that names something: known source kinds, pools of the scenario, each once. */
static el_status
check_import_limits(const ElScenario *s, const ElDesign *d, const char *where, ElError *err)
{
    int i, k, q;
    for (i = 0; i < d->nimport_limits; i++) {
        const ElImportLimit *x = &d->import_limits[i];
        bool has_max = x->max != HUGE_VAL, has_share = !isnan(x->share);
        const char *jid;
        if (x->jur < 0 || x->jur >= s->njur || (x->sources & ~EL_IMPORT_ALL) != 0 ||
            x->npools < 0 || (x->npools > 0 && !x->pools))
            return el_error_set(err, EL_ERR_INTERNAL,
                                "%s:%d: %s: <import-limit>: bad jurisdiction index or source",
                                s->path, x->line, where);
        jid = s->jur[x->jur].id;
        if (has_max == has_share)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <import-limit jurisdiction=\"%s\">: needs exactly one "
                                "of max and share",
                                s->path, x->line, where, jid);
        if (has_max && !(x->max >= 0 && x->max <= EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <import-limit jurisdiction=\"%s\">: max %g must be in "
                                "[0, %g] Mt",
                                s->path, x->line, where, jid, x->max, EL_MAX_QUANTITY);
        if (has_share && !(x->share >= 0 && x->share <= 1))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <import-limit jurisdiction=\"%s\">: share %g must be "
                                "in [0, 1]",
                                s->path, x->line, where, jid, x->share);
        if (x->sources == 0 && x->npools == 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <import-limit jurisdiction=\"%s\">: sources names "
                                "nothing to count (links, groups, offsets, projects or pool ids)",
                                s->path, x->line, where, jid);
        for (k = 0; k < x->npools; k++) {
            if (x->pools[k] < 0 || x->pools[k] >= s->npools)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: %s: <import-limit jurisdiction=\"%s\">: source %d is "
                                    "not an offset pool of the scenario",
                                    s->path, x->line, where, jid, x->pools[k]);
            for (q = 0; q < k; q++)
                if (x->pools[q] == x->pools[k])
                    return el_error_set(err, EL_ERR_INPUT,
                                        "%s:%d: %s: <import-limit jurisdiction=\"%s\">: pool "
                                        "'%s' is listed twice in sources",
                                        s->path, x->line, where, jid, s->pools[x->pools[k]].id);
        }
    }
    return EL_OK;
}

static el_status check_mechanisms(const ElScenario *s, const ElDesign *d, ElError *err)
{
    char where[96];
    el_status st;
    int i, k, later, first;
    snprintf(where, sizeof(where), "design '%s'", d->id);
    st = check_instruments(s, d->instruments, d->ninstruments, where, err);
    if (st == EL_OK)
        st = check_accepts(s, d->accepts, d->naccepts, where, err);
    if (st == EL_OK)
        st = ID_DUPLICATE(d->projects, d->nprojects, ElProject, &later, &first, err);
    if (st != EL_OK)
        return st;
    for (i = 0; i < d->nexport_caps; i++) {
        const ElExportCap *x = &d->export_caps[i];
        double mx = !isnan(x->share_of_cap) ? x->share_of_cap * s->jur[x->jur].cap : x->max;
        if (isnan(mx) || mx < 0 || (!isnan(x->share_of_cap) && x->share_of_cap > 1))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <export-cap jurisdiction=\"%s\">: needs max >= 0 or "
                                "share-of-cap in [0, 1]",
                                s->path, x->line, where, s->jur[x->jur].id);
    }
    st = check_import_limits(s, d, where, err);
    if (st != EL_OK)
        return st;
    for (i = 0; i < d->nprojects; i++) {
        const ElProject *p = &d->projects[i];
        double sum = 0;
        int mlater, mfirst;
        if (!isfinite(p->capacity) || p->capacity < 0 || !isfinite(p->fixed_cost) ||
            p->fixed_cost < 0 || !isfinite(p->variable_cost) || p->variable_cost < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <project id=\"%s\">: capacity and costs must be "
                                "finite and >= 0",
                                s->path, p->line, where, p->id);
        if (p->n < 1)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: <project id=\"%s\"> has no members",
                                s->path, p->line, where, p->id);
        st = field_duplicate(p->members, p->n, sizeof(int), NO_FIELD, 0, NO_FIELD, &mlater, &mfirst,
                             err);
        if (st != EL_OK)
            return st;
        for (k = 0; k < p->n; k++) {
            if (!isfinite(p->shares[k]) || p->shares[k] <= 0)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: %s: <project id=\"%s\">: the share of '%s' must be "
                                    "> 0",
                                    s->path, p->line, where, p->id, s->jur[p->members[k]].id);
            if (k == mlater)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: %s: <project id=\"%s\">: '%s' is listed twice", s->path,
                                    p->line, where, p->id, s->jur[p->members[k]].id);
            sum += p->shares[k];
        }
        if (fabs(sum - 1) > 1e-9)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <project id=\"%s\">: shares sum to %.12g, not 1",
                                s->path, p->line, where, p->id, sum);
        if (i == later)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: project id '%s' is used twice (first on line %d)",
                                s->path, p->line, where, p->id, d->projects[first].line);
    }
    return EL_OK;
}

/* Pools and tax regimes. A pool's supply curve is cut by each design's model (build.c), at what
 * that design can use, never here: a cut here would depend on the whole file. */
static el_status check_scenario_mechanisms(ElScenario *s, ElError *err)
{
    el_status st;
    int i, k, later, first;
    for (i = 0; i < s->njur; i++) {
        const ElJurisdiction *j = &s->jur[i];
        if (!isfinite(j->auction_share) || j->auction_share < 0 || j->auction_share > 1)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: jurisdiction '%s': auction-share %g must be in [0, 1]",
                                s->path, j->line, j->id, j->auction_share);
        if (j->cap_kind == EL_CAP_TAX && (!isfinite(j->tax_rate) || j->tax_rate < 0 ||
                                          isnan(j->credit_limit) || j->credit_limit < 0))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: jurisdiction '%s': <tax> needs rate >= 0 and credit-limit "
                                ">= 0",
                                s->path, j->line, j->id);
    }
    st = check_instruments(s, s->instruments, s->ninstruments, "scenario", err);
    if (st == EL_OK)
        st = check_accepts(s, s->accepts, s->naccepts, "scenario", err);
    if (st != EL_OK)
        return st;
    st = ID_DUPLICATE(s->pools, s->npools, ElPool, &later, &first, err);
    if (st != EL_OK)
        return st;
    for (k = 0; k < s->npools; k++) {
        ElPool *p = &s->pools[k];
        if (k == later)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: offset pool id '%s' is already used on line %d", s->path,
                                p->line, p->id, s->pools[first].line);
        if (!p->supply)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: offset pool '%s' has no supply curve",
                                s->path, p->line, p->id);
    }
    return EL_OK;
}

/* Curve pieces within the magnitude limits. what: "jurisdiction 'KR'" and the like. */
static el_status
check_curve(const ElScenario *s, const ElMac *m, int line, const char *what, ElError *err)
{
    int k;
    for (k = 0; k < el_mac_piece_count(m); k++) {
        const ElMacPiece *pc = el_mac_piece(m, k);
        if (pc->p0 > EL_MAX_PRICE || pc->slope > EL_MAX_PRICE ||
            (isfinite(pc->width) && pc->p0 + pc->slope * pc->width > EL_MAX_PRICE))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: the curve's cost exceeds the limit of %g per tonne",
                                s->path, line, what, EL_MAX_PRICE);
        if (pc->q0 + pc->width > EL_MAX_QUANTITY && isfinite(pc->width))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: the curve's quantity exceeds the limit of %g Mt",
                                s->path, line, what, EL_MAX_QUANTITY);
    }
    return EL_OK;
}

static int out_of_range(double v, double lo, double hi)
{
    return isfinite(v) && (v < lo || v > hi);
}

static el_status check_limits(const ElScenario *s, ElError *err)
{
    char what[100];
    int i, k;
    el_status st;
    for (i = 0; i < s->njur; i++) {
        const ElJurisdiction *j = &s->jur[i];
        snprintf(what, sizeof(what), "jurisdiction '%s'", j->id);
        if (out_of_range(j->bau, 0, EL_MAX_QUANTITY) || out_of_range(j->cap, 0, EL_MAX_QUANTITY) ||
            out_of_range(j->credit_limit, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: a quantity exceeds %g Mt", s->path,
                                j->line, what, EL_MAX_QUANTITY);
        if (out_of_range(j->tax_rate, 0, EL_MAX_PRICE))
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: the tax exceeds %g per tonne",
                                s->path, j->line, what, EL_MAX_PRICE);
        st = check_curve(s, j->mac, j->line, what, err);
        if (st != EL_OK)
            return st;
    }
    for (i = 0; i < s->npools; i++) {
        snprintf(what, sizeof(what), "offset-pool '%s'", s->pools[i].id);
        st = check_curve(s, s->pools[i].supply, s->pools[i].line, what, err);
        if (st != EL_OK)
            return st;
    }
    for (i = 0; i < s->ninstruments; i++)
        if (out_of_range(s->instruments[i].price, 0, EL_MAX_PRICE) ||
            out_of_range(s->instruments[i].volume, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: a price instrument is out of range",
                                s->path, s->instruments[i].line);
    for (k = 0; k < s->naccepts; k++)
        if (out_of_range(s->accepts[k].discount, EL_MIN_RATE, EL_MAX_RATE) ||
            out_of_range(s->accepts[k].limit, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <accept>: discount must be in [%g, %g], limit at most %g",
                                s->path, s->accepts[k].line, EL_MIN_RATE, EL_MAX_RATE,
                                EL_MAX_QUANTITY);
    return EL_OK;
}

static el_status check_design_limits(const ElScenario *s, const ElDesign *des, ElError *err)
{
    int k;
    for (k = 0; k < des->nlinks; k++)
        if (out_of_range(des->links[k].rate, EL_MIN_RATE, EL_MAX_RATE) ||
            out_of_range(des->links[k].quota, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': a link's rate must be in [%g, %g] and "
                                "its quota at most %g Mt",
                                s->path, des->links[k].line, des->id, EL_MIN_RATE, EL_MAX_RATE,
                                EL_MAX_QUANTITY);
    for (k = 0; k < des->ninstruments; k++)
        if (out_of_range(des->instruments[k].price, 0, EL_MAX_PRICE) ||
            out_of_range(des->instruments[k].volume, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': a price instrument is out of range", s->path,
                                des->instruments[k].line, des->id);
    for (k = 0; k < des->nprojects; k++)
        if (out_of_range(des->projects[k].capacity, 0, EL_MAX_QUANTITY) ||
            out_of_range(des->projects[k].fixed_cost, 0, EL_MAX_PRICE) ||
            out_of_range(des->projects[k].variable_cost, 0, EL_MAX_PRICE))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': project '%s' is out of range", s->path,
                                des->projects[k].line, des->id, des->projects[k].id);
    for (k = 0; k < des->naccepts; k++)
        if (out_of_range(des->accepts[k].discount, EL_MIN_RATE, EL_MAX_RATE) ||
            out_of_range(des->accepts[k].limit, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': <accept>: discount must be in [%g, %g], "
                                "limit at most %g",
                                s->path, des->accepts[k].line, des->id, EL_MIN_RATE, EL_MAX_RATE,
                                EL_MAX_QUANTITY);
    for (k = 0; k < des->nexport_caps; k++)
        if (out_of_range(des->export_caps[k].max, 0, EL_MAX_QUANTITY))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': <export-cap> max exceeds %g Mt", s->path,
                                des->export_caps[k].line, des->id, EL_MAX_QUANTITY);
    return EL_OK;
}

static el_status check_jurisdiction(const ElScenario *s, ElJurisdiction *j, ElError *err)
{
    double amax;
    if (!isfinite(j->bau) || j->bau < 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction '%s': BAU emissions %g must be finite and >= 0",
                            s->path, j->line, j->id, j->bau);
    if (!isfinite(j->cap) || j->cap < 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction '%s': cap %g must be finite and >= 0", s->path,
                            j->line, j->id, j->cap);
    if (!j->mac)
        return el_error_set(err, EL_ERR_INPUT, "%s:%d: jurisdiction '%s' has no MAC curve", s->path,
                            j->line, j->id);
    if (!isnan(j->ndc_target) && !(j->ndc_target >= 0 && j->ndc_target <= EL_MAX_QUANTITY))
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction '%s': <ndc> target %g must be in [0, %g] Mt",
                            s->path, j->line, j->id, j->ndc_target, EL_MAX_QUANTITY);
    amax = el_mac_max_abatement(j->mac);
    if (el_mac_form(j->mac) != EL_MAC_LINEAR && amax > j->bau * (1 + 1e-12))
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction '%s': the MAC curve reaches %g Mt of abatement, "
                            "more than BAU emissions of %g Mt",
                            s->path, j->line, j->id, amax, j->bau);
    return EL_OK; /* the build cuts the curve at the BAU in force (model/data.h) */
}

/* Reserved names: 'total' labels each design's totals in results.csv, 'ROW' is the rest of the
 * world (host="ROW"), 'autarky' is the baseline (export-lp --design autarky). A design called
 * autarky is accepted only when it is empty, that is, when it is the baseline itself. */
static el_status
check_reserved_jurisdiction(const ElScenario *s, const ElJurisdiction *j, ElError *err)
{
    if (strcmp(j->id, "total") == 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction id 'total' is reserved: results.csv uses it for "
                            "each design's totals",
                            s->path, j->line);
    if (strcmp(j->id, "ROW") == 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction id 'ROW' is reserved: it names the rest of the "
                            "world (an offset pool's host=\"ROW\")",
                            s->path, j->line);
    return EL_OK;
}

static el_status check_reserved_design(const ElScenario *s, const ElDesign *d, ElError *err)
{
    if (strcmp(d->id, "autarky") == 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: design id 'autarky' is reserved for the baseline, which every "
                            "run solves and reports anyway; give this design another id",
                            s->path, d->line);
    return EL_OK;
}

static el_status check_design(const ElScenario *s, const ElDesign *d, ElError *err)
{
    int l, g, k, later, first;
    el_status st =
        field_duplicate(d->links, d->nlinks, sizeof(ElLink), NO_FIELD, offsetof(ElLink, from),
                        offsetof(ElLink, to), &later, &first, err);
    if (st != EL_OK)
        return st;
    for (l = 0; l < d->nlinks; l++) {
        const ElLink *lk = &d->links[l];
        if (lk->from < 0 || lk->from >= s->njur || lk->to < 0 || lk->to >= s->njur)
            return el_error_set(err, EL_ERR_INTERNAL, "%s:%d: design '%s': link index out of range",
                                s->path, lk->line, d->id);
        if (lk->from == lk->to)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: design '%s': a link from '%s' to itself",
                                s->path, lk->line, d->id, s->jur[lk->from].id);
        if (!isfinite(lk->rate) || lk->rate <= 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': link %s->%s: rate %g must be finite and > 0",
                                s->path, lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id,
                                lk->rate);
        if (isnan(lk->quota) || lk->quota < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': link %s->%s: quota %g must be >= 0", s->path,
                                lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id, lk->quota);
        if (!isnan(lk->quota_share) && !(lk->quota_share >= 0 && lk->quota_share <= 1))
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': link %s->%s: quota-share %g must be in [0, 1]",
                                s->path, lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id,
                                lk->quota_share);
        if (l == later)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': link %s->%s is given twice (first on line %d)",
                                s->path, lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id,
                                d->links[first].line);
        if (s->jur[lk->from].cap_kind == EL_CAP_TAX)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': link %s->%s: '%s' is a tax regime, which "
                                "issues no units and so cannot sell any; it may buy through a "
                                "link to it, or use offset credits",
                                s->path, lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id,
                                s->jur[lk->from].id);
    }
    for (g = 0; g < d->ngroups; g++) {
        const ElGroup *gr = &d->groups[g];
        if (gr->n < 2)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': a group needs at least two members", s->path,
                                gr->line, d->id);
        st = field_duplicate(gr->members, gr->n, sizeof(int), NO_FIELD, 0, NO_FIELD, &later, &first,
                             err);
        if (st != EL_OK)
            return st;
        for (k = 0; k < gr->n; k++) {
            int j = gr->members[k];
            if (j < 0 || j >= s->njur)
                return el_error_set(err, EL_ERR_INTERNAL,
                                    "%s:%d: design '%s': group member index out of range", s->path,
                                    gr->line, d->id);
            if (k == later)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: design '%s': '%s' is listed twice in a group", s->path,
                                    gr->line, d->id, s->jur[j].id);
            if (s->jur[j].cap_kind == EL_CAP_TAX)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: design '%s': '%s' is a tax regime and cannot be in a "
                                    "group, where every member sells to the others: a tax regime "
                                    "issues no units; it may buy through a link to it, or use "
                                    "offset credits",
                                    s->path, gr->line, d->id, s->jur[j].id);
        }
    }
    return EL_OK;
}

/* Exchange-rate loops. A directed cycle of links whose rates multiply to more than 1 turns a
 * unit into more than one unit: trading round it creates tonnes from nothing, and the
 * equilibrium is nonsense (every price 0). Graph: the design's jurisdictions, plus one hub per
 * group with rate-1 edges member -> hub -> member (the same cycle products as rate-1 links
 * both ways between every pair of members, with 2n edges instead of n(n - 1)). With weights
 * -log(rate), a loop is a cycle of negative weight, found by a queue-based Bellman-Ford (SPFA)
 * from a virtual source joined to every node. The cycle found is re-measured with a long
 * double sum of logarithms; a product of at most 1 + EL_LOOP_TOL is not a loop (rates 2 and
 * 0.5 multiply to exactly 1). */
#define EL_LOOP_TOL 1e-12

typedef struct {
    int n, m;       /* nodes and edges */
    int *jur;       /* node -> jurisdiction index, or -1 for a group's hub */
    int *head;      /* the edges leaving node u are head[u] .. head[u + 1] - 1 */
    int *src, *dst; /* per edge */
    int *link;      /* per edge: the link's index, or -1 for a group edge */
    double *w;      /* per edge: -log(rate) */
    int *comp;      /* strongly connected component of each node */
    /* search state */
    double *dist;
    int *pred, *queue, *mark, *cyc, *low, *call, *next;
    char *inq;
} RateGraph;

static void rate_graph_free(RateGraph *G)
{
    el_free(G->jur);
    el_free(G->head);
    el_free(G->src);
    el_free(G->dst);
    el_free(G->link);
    el_free(G->w);
    el_free(G->dist);
    el_free(G->pred);
    el_free(G->queue);
    el_free(G->mark);
    el_free(G->cyc);
    el_free(G->comp);
    el_free(G->low);
    el_free(G->call);
    el_free(G->next);
    el_free(G->inq);
}

static int rate_node(RateGraph *G, int *node_of, int j)
{
    if (node_of[j] < 0) {
        node_of[j] = G->n;
        G->jur[G->n++] = j;
    }
    return node_of[j];
}

/* node_of: one entry per jurisdiction, all -1; left so. */
static el_status rate_graph_build(const ElDesign *d, int *node_of, RateGraph *G, ElError *err)
{
    size_t nmax = 2 * (size_t)d->nlinks + (size_t)d->ngroups + 1, m = (size_t)d->nlinks, k;
    int *esrc, *edst, *elink, *fill;
    double *ew;
    int l, g, e = 0;
    el_status st = EL_OK;
    for (g = 0; g < d->ngroups; g++) {
        nmax += (size_t)d->groups[g].n;
        m += 2 * (size_t)d->groups[g].n;
    }
    memset(G, 0, sizeof(*G));
    G->jur = el_calloc(nmax, sizeof(int));
    G->head = el_calloc(nmax + 1, sizeof(int));
    G->src = el_calloc(m + 1, sizeof(int));
    G->dst = el_calloc(m + 1, sizeof(int));
    G->link = el_calloc(m + 1, sizeof(int));
    G->w = el_calloc(m + 1, sizeof(double));
    G->dist = el_calloc(nmax, sizeof(double));
    G->pred = el_calloc(nmax, sizeof(int));
    G->queue = el_calloc(nmax, sizeof(int));
    G->mark = el_calloc(nmax, sizeof(int));
    G->cyc = el_calloc(nmax, sizeof(int));
    G->comp = el_calloc(nmax, sizeof(int));
    G->low = el_calloc(nmax, sizeof(int));
    G->call = el_calloc(nmax, sizeof(int));
    G->next = el_calloc(nmax, sizeof(int));
    G->inq = el_calloc(nmax, 1);
    esrc = el_calloc(m + 1, sizeof(int));
    edst = el_calloc(m + 1, sizeof(int));
    elink = el_calloc(m + 1, sizeof(int));
    ew = el_calloc(m + 1, sizeof(double));
    fill = el_calloc(nmax + 1, sizeof(int));
    if (!G->jur || !G->head || !G->src || !G->dst || !G->link || !G->w || !G->dist || !G->pred ||
        !G->queue || !G->mark || !G->cyc || !G->comp || !G->low || !G->call || !G->next ||
        !G->inq || !esrc || !edst || !elink || !ew || !fill) {
        st = nomem(err);
        goto done;
    }
    for (l = 0; l < d->nlinks; l++) {
        esrc[e] = rate_node(G, node_of, d->links[l].from);
        edst[e] = rate_node(G, node_of, d->links[l].to);
        elink[e] = l;
        ew[e++] = -log(d->links[l].rate);
    }
    for (g = 0; g < d->ngroups; g++) {
        int hub = G->n, i;
        G->jur[G->n++] = -1;
        for (i = 0; i < d->groups[g].n; i++) {
            int v = rate_node(G, node_of, d->groups[g].members[i]);
            esrc[e] = v;
            edst[e] = hub;
            elink[e] = -1;
            ew[e++] = 0;
            esrc[e] = hub;
            edst[e] = v;
            elink[e] = -1;
            ew[e++] = 0;
        }
    }
    G->m = e;
    /* edges grouped by source (a counting sort keeps their order) */
    for (l = 0; l < e; l++)
        G->head[esrc[l] + 1]++;
    for (l = 0; l < G->n; l++)
        G->head[l + 1] += G->head[l];
    for (l = 0; l < G->n; l++)
        fill[l] = G->head[l];
    for (l = 0; l < e; l++) {
        int at = fill[esrc[l]]++;
        G->src[at] = esrc[l];
        G->dst[at] = edst[l];
        G->link[at] = elink[l];
        G->w[at] = ew[l];
    }
done:
    for (k = 0; G->jur && k < (size_t)G->n; k++)
        if (G->jur[k] >= 0)
            node_of[G->jur[k]] = -1;
    el_free(esrc);
    el_free(edst);
    el_free(elink);
    el_free(ew);
    el_free(fill);
    return st;
}

/* Strongly connected components (Tarjan's algorithm, without recursion): G->comp. A cycle
 * lies within one component, so edges between components are never searched, and a long
 * chain of links costs one pass. G->mark holds the visit order, G->pred the stack, G->inq
 * says who is on it. */
static void rate_graph_components(RateGraph *G)
{
    int n = G->n, order = 0, ncomp = 0, sp = 0, cp, v;
    int *idx = G->mark, *stack = G->pred;
    for (v = 0; v < n; v++) {
        idx[v] = -1;
        G->inq[v] = 0;
    }
    for (v = 0; v < n; v++) {
        if (idx[v] >= 0)
            continue;
        cp = 0;
        G->call[cp++] = v;
        idx[v] = G->low[v] = order++;
        stack[sp++] = v;
        G->inq[v] = 1;
        G->next[v] = G->head[v];
        while (cp > 0) {
            int u = G->call[cp - 1];
            if (G->next[u] < G->head[u + 1]) {
                int w = G->dst[G->next[u]++];
                if (idx[w] < 0) {
                    idx[w] = G->low[w] = order++;
                    stack[sp++] = w;
                    G->inq[w] = 1;
                    G->next[w] = G->head[w];
                    G->call[cp++] = w;
                } else if (G->inq[w] && idx[w] < G->low[u]) {
                    G->low[u] = idx[w];
                }
                continue;
            }
            cp--;
            if (cp > 0 && G->low[u] < G->low[G->call[cp - 1]])
                G->low[G->call[cp - 1]] = G->low[u];
            if (G->low[u] == idx[u]) {
                int w;
                do {
                    w = stack[--sp];
                    G->inq[w] = 0;
                    G->comp[w] = ncomp;
                } while (w != u);
                ncomp++;
            }
        }
    }
}

/* A cycle of the predecessor graph, as its edges in order in G->cyc; returns their number, or
 * 0 if the predecessor graph has no cycle. O(n). */
static int pred_cycle(RateGraph *G)
{
    int v, u, len = 0;
    for (v = 0; v < G->n; v++)
        G->mark[v] = 0;
    for (v = 0; v < G->n; v++) {
        if (G->mark[v] != 0)
            continue;
        for (u = v; u >= 0 && G->mark[u] == 0; u = G->pred[u] >= 0 ? G->src[G->pred[u]] : -1)
            G->mark[u] = v + 1;
        if (u >= 0 && G->mark[u] == v + 1) { /* the walk from v came back to u: a cycle */
            int c = u, i;
            do {
                G->cyc[len++] = G->pred[c];
                c = G->src[G->pred[c]];
            } while (c != u);
            for (i = 0; i < len / 2; i++) { /* it was collected backwards */
                int t = G->cyc[i];
                G->cyc[i] = G->cyc[len - 1 - i];
                G->cyc[len - 1 - i] = t;
            }
            return len;
        }
    }
    return 0;
}

/* SPFA relaxing only by more than tol, along edges within a strongly connected component; the
 * predecessor graph is searched for a cycle after every n relaxations. Returns the length of
 * the cycle found (in G->cyc), 0 if none. */
static int negative_cycle(RateGraph *G, double tol)
{
    int n = G->n, qh = 0, qn = 0, u, e, len;
    long since = 0;
    double relax = 0, limit = (double)n * (double)G->m + n + 16;
    for (u = 0; u < n; u++) {
        G->dist[u] = 0;
        G->pred[u] = -1;
        G->inq[u] = 0;
        for (e = G->head[u]; e < G->head[u + 1] && !G->inq[u]; e++)
            if (G->comp[G->dst[e]] == G->comp[u]) {
                G->queue[qn++] = u;
                G->inq[u] = 1;
            }
    }
    while (qn > 0) {
        u = G->queue[qh];
        qh = (qh + 1) % n;
        qn--;
        G->inq[u] = 0;
        for (e = G->head[u]; e < G->head[u + 1]; e++) {
            int v = G->dst[e];
            double cand = G->dist[u] + G->w[e];
            if (G->comp[v] != G->comp[u] || !(cand < G->dist[v] - tol))
                continue;
            G->dist[v] = cand;
            G->pred[v] = e;
            if (!G->inq[v]) {
                G->queue[(qh + qn) % n] = v;
                qn++;
                G->inq[v] = 1;
            }
            relax++;
            if (++since >= n || relax > limit) {
                since = 0;
                len = pred_cycle(G);
                if (len > 0 || relax > limit)
                    return len;
            }
        }
    }
    return 0;
}

static el_status report_loop(const ElScenario *s,
                             const ElDesign *d,
                             const RateGraph *G,
                             int len,
                             long double logp,
                             ElError *err)
{
    char text[320], prod[48];
    size_t used;
    int start = 0, i, hops = 0, shown = 1;
    /* start at the jurisdiction that comes first in the file, never at a hub */
    for (i = 0; i < len; i++) {
        int j = G->jur[G->src[G->cyc[i]]];
        if (j >= 0 && (G->jur[G->src[G->cyc[start]]] < 0 || j < G->jur[G->src[G->cyc[start]]]))
            start = i;
    }
    snprintf(text, sizeof(text), "%s", s->jur[G->jur[G->src[G->cyc[start]]]].id);
    used = strlen(text);
    for (i = 0; i < len; i++) {
        int e = G->cyc[(start + i) % len], to = G->dst[e];
        char hop[140];
        if (G->jur[to] < 0) { /* into a hub: the next edge leaves it to a member */
            i++;
            to = G->dst[G->cyc[(start + i) % len]];
            snprintf(hop, sizeof(hop), " -> %s (group)", s->jur[G->jur[to]].id);
        } else {
            snprintf(hop, sizeof(hop), " -> %s (rate %.15g)", s->jur[G->jur[to]].id,
                     d->links[G->link[e]].rate);
        }
        hops++;
        if (shown && used + strlen(hop) < 240) {
            memcpy(text + used, hop, strlen(hop) + 1);
            used += strlen(hop);
        } else {
            shown = 0;
        }
    }
    if (!shown)
        snprintf(text + used, sizeof(text) - used, " -> ... (%d links in all)", hops);
    if (logp < 700)
        snprintf(prod, sizeof(prod), "%.15g", (double)expl(logp));
    else
        snprintf(prod, sizeof(prod), "e^%.6g", (double)logp);
    return el_error_set(err, EL_ERR_INPUT,
                        "%s:%d: design '%s': the links %s multiply to %s > 1: an exchange-rate "
                        "loop creates units from nothing",
                        s->path, d->line, d->id, text, prod);
}

static el_status
check_rate_loops(const ElScenario *s, const ElDesign *d, int *node_of, ElError *err)
{
    static const double tols[] = {0, 1e-14, 1e-12, 1e-10};
    RateGraph G;
    el_status st = EL_OK;
    int l, t, any = 0;
    for (l = 0; l < d->nlinks && !any; l++)
        any = d->links[l].rate > 1;
    if (!any) /* a cycle of rates <= 1 cannot multiply to more than 1 */
        return EL_OK;
    st = rate_graph_build(d, node_of, &G, err);
    if (st == EL_OK)
        rate_graph_components(&G);
    for (t = 0; st == EL_OK && t < (int)(sizeof(tols) / sizeof(tols[0])); t++) {
        int len = negative_cycle(&G, tols[t]), i;
        long double logp = 0;
        if (len == 0)
            break;
        for (i = 0; i < len; i++)
            if (G.link[G.cyc[i]] >= 0)
                logp += logl((long double)d->links[G.link[G.cyc[i]]].rate);
        if (logp > log1pl((long double)EL_LOOP_TOL)) {
            st = report_loop(s, d, &G, len, logp, err);
            break;
        }
        /* a product within the tolerance of 1 (or rounding): search again, less finely */
    }
    rate_graph_free(&G);
    return st;
}

/* A floor above the ceiling or the penalty in force for the same jurisdiction. in: the three
 * instruments of one jurisdiction (NULL where none), by kind. */
static el_status check_price_order(const ElScenario *s,
                                   const char *where,
                                   const ElInstrument *const *in,
                                   ElError *err)
{
    const ElInstrument *f = in[EL_INSTR_FLOOR];
    int k;
    if (!f)
        return EL_OK;
    for (k = EL_INSTR_CEILING; k <= EL_INSTR_PENALTY; k++) {
        const ElInstrument *x = in[k];
        if (x && f->price > x->price)
            return el_error_set(
                err, EL_ERR_INPUT,
                "%s:%d: %s: the <floor> of '%s' at %.15g (line %d) is above its <%s> at %.15g "
                "(line %d): %s",
                s->path, f->line > x->line ? f->line : x->line, where, s->jur[f->jur].id, f->price,
                f->line, instr_names[k], x->price, x->line,
                k == EL_INSTR_CEILING
                    ? "the floor would withhold and the ceiling release allowances at once"
                    : "a penalty caps the price, so no floor can hold above it");
    }
    return EL_OK;
}

/* Price order in the baseline: the scenario's instruments. */
static el_status check_price_orders(const ElScenario *s, ElError *err)
{
    const ElInstrument **base = el_calloc((size_t)s->njur * EL_INSTR_KINDS + 1, sizeof(*base));
    el_status st = base ? EL_OK : nomem(err);
    int i;
    for (i = 0; st == EL_OK && i < s->ninstruments; i++)
        base[s->instruments[i].jur * EL_INSTR_KINDS + (int)s->instruments[i].kind] =
            &s->instruments[i];
    for (i = 0; st == EL_OK && i < s->njur; i++)
        st = check_price_order(s, "scenario", base + (size_t)i * EL_INSTR_KINDS, err);
    el_free(base);
    return st;
}

/* Price order in a design: its own instruments override the scenario's for the same
 * jurisdiction and kind. O(instruments of the design x kinds) plus one lookup each. */
static el_status check_design_price_orders(const ElScenario *s, const ElDesign *des, ElError *err)
{
    const ElInstrument *in[EL_INSTR_KINDS];
    char where[96];
    el_status st = EL_OK;
    int i, k;
    if (des->ninstruments == 0)
        return EL_OK;
    snprintf(where, sizeof(where), "design '%s'", des->id);
    for (i = 0; st == EL_OK && i < des->ninstruments; i++) {
        for (k = 0; k < EL_INSTR_KINDS; k++)
            in[k] = el_scenario_instrument(s, des, des->instruments[i].jur, (ElInstrKind)k);
        st = check_price_order(s, where, in, err);
    }
    return st;
}

el_status el_design_check(const ElScenario *s, const ElDesign *d, ElError *err)
{
    int *node_of = el_malloc((size_t)s->njur * sizeof(int) + 1), i;
    el_status st = node_of ? EL_OK : nomem(err);
    for (i = 0; node_of && i < s->njur; i++)
        node_of[i] = -1;
    if (st == EL_OK)
        st = check_reserved_design(s, d, err);
    if (st == EL_OK)
        st = check_design(s, d, err);
    if (st == EL_OK)
        st = check_mechanisms(s, d, err);
    if (st == EL_OK)
        st = check_rate_loops(s, d, node_of, err);
    if (st == EL_OK)
        st = check_design_limits(s, d, err);
    if (st == EL_OK)
        st = check_design_price_orders(s, d, err);
    if (st == EL_OK)
        st = el_variation_check(s, d, &d->sets, err);
    el_free(node_of);
    return st;
}

/* Design ids of the file are unique (O(n log n)). */
static el_status design_ids_unique(const ElScenario *s, ElError *err)
{
    DupKey *k = dupkeys_alloc(s->ndesigns);
    int i, later, first;
    if (!k)
        return nomem(err);
    for (i = 0; i < s->ndesigns; i++)
        k[i] = (DupKey){s->designs[i]->id, 0, 0, i};
    first_duplicate(k, s->ndesigns, &later, &first);
    el_free(k);
    if (later >= 0)
        return el_error_set(err, EL_ERR_INPUT, "%s:%d: design id '%s' is already used on line %d",
                            s->path, s->designs[later]->line, s->designs[later]->id,
                            s->designs[first]->line);
    return EL_OK;
}

/* Templates and analyses: ids distinct from each other and from the designs' (O(n^2) in the
 * number of templates and analyses, which are few), then each analysis checked. */
static el_status check_analyses(const ElScenario *s, ElError *err)
{
    const ElAnalyses *x = s->analyses;
    int i, k;
    el_status st = EL_OK;
    for (i = 0; i < x->ntemplates; i++) {
        const ElDesign *t = x->templates[i]->design;
        int d = el_scenario_find_design(s, t->id);
        for (k = 0; k < i && d < 0; k++)
            if (strcmp(x->templates[k]->design->id, t->id) == 0)
                d = k, k = i;
        if (d >= 0)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: design id '%s' is already used", s->path,
                                t->line, t->id);
    }
    for (i = 0; i < x->nanalyses; i++) {
        const ElAnalysis *a = x->analyses[i];
        bool dup =
            el_scenario_find_design(s, a->id) >= 0 || el_analyses_find_template(x, a->id) != NULL;
        for (k = 0; k < i && !dup; k++)
            dup = strcmp(x->analyses[k]->id, a->id) == 0;
        if (dup)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: id '%s' is already used by a design or an analysis",
                                s->path, a->line, a->id);
    }
    for (i = 0; st == EL_OK && i < x->nanalyses; i++)
        st = el_analysis_check(s, x->analyses[i], err);
    return st;
}

el_status el_scenario_finish(ElScenario *s, ElError *err)
{
    int i, later, first;
    el_status st;
    if (s->njur == 0)
        return el_error_set(err, EL_ERR_INPUT, "%s: the scenario has no jurisdiction", s->path);
    st = ID_DUPLICATE(s->jur, s->njur, ElJurisdiction, &later, &first, err);
    for (i = 0; st == EL_OK && i < s->njur; i++) {
        if (i == later)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: jurisdiction id '%s' is already used on line %d", s->path,
                                s->jur[i].line, s->jur[i].id, s->jur[first].line);
        st = check_reserved_jurisdiction(s, &s->jur[i], err);
        if (st == EL_OK)
            st = check_jurisdiction(s, &s->jur[i], err);
    }
    /* scenario-level rules first: a design's checks rely on them */
    if (st == EL_OK)
        st = check_scenario_mechanisms(s, err);
    if (st == EL_OK)
        st = check_limits(s, err);
    if (st == EL_OK)
        st = check_price_orders(s, err);
    if (st == EL_OK)
        st = design_ids_unique(s, err);
    for (i = 0; st == EL_OK && i < s->ndesigns; i++)
        st = el_design_check(s, s->designs[i], err);
    if (st == EL_OK && s->analyses)
        st = check_analyses(s, err);
    if (st != EL_OK)
        return st;
    return el_settings_validate(&s->settings, err);
}
