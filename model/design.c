/* Designs as values and variations (design.h). Checking a design against a scenario lives in
 * scenario.c with the other semantic checks (el_design_check). */
#include "design.h"

#include <math.h>
#include <string.h>

#include "el_alloc.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (design)");
}

/* Grow an array of n elements of size sz by one; the new element is zeroed. */
static void *append(void *arr, int n, size_t sz)
{
    char *a = el_reallocarray(arr, (size_t)n + 1, sz);
    if (a)
        memset(a + (size_t)n * sz, 0, sz);
    return a;
}

static const char *const set_names[EL_SET_FIELDS] = {
    "bau",         "output",       "cap",           "mac-shift",      "mac-scale",
    "floor-price", "floor-volume", "ceiling-price", "ceiling-volume", "penalty-price",
    "tax-rate",    "credit-limit", "offset-limit",  "bank-draw"};

const char *el_set_field_name(ElSetField f)
{
    return (int)f >= 0 && f < EL_SET_FIELDS ? set_names[f] : "?";
}

int el_set_field_parse(const char *name)
{
    int k;
    for (k = 0; k < EL_SET_FIELDS; k++)
        if (strcmp(name, set_names[k]) == 0)
            return k;
    return -1;
}

void el_variation_init(ElVariation *v)
{
    memset(v, 0, sizeof(*v));
}

void el_variation_clear(ElVariation *v)
{
    if (!v)
        return;
    el_free(v->sets);
    memset(v, 0, sizeof(*v));
}

el_status el_variation_add(
    ElVariation *v, int jur, ElSetField field, int pool, double value, int line, ElError *err)
{
    if (v->n == v->cap) {
        int cap = v->cap ? 2 * v->cap : 4;
        ElSet *a = el_reallocarray(v->sets, (size_t)cap, sizeof(*a));
        if (!a)
            return nomem(err);
        v->sets = a;
        v->cap = cap;
    }
    v->sets[v->n++] = (ElSet){jur, field, pool, value, line};
    return EL_OK;
}

el_status el_variation_copy(ElVariation *to, const ElVariation *from, ElError *err)
{
    to->n = 0;
    if (!from || from->n == 0)
        return EL_OK;
    if (to->cap < from->n) { /* to's array is kept when it is large enough */
        el_variation_clear(to);
        to->sets = el_malloc((size_t)from->n * sizeof(*to->sets));
        if (!to->sets)
            return nomem(err);
        to->cap = from->n;
    }
    memcpy(to->sets, from->sets, (size_t)from->n * sizeof(*to->sets));
    to->n = from->n;
    return EL_OK;
}

el_status el_design_create(ElDesign **out, const char *id, int line, ElError *err)
{
    ElDesign *d = el_calloc(1, sizeof(*d));
    *out = NULL;
    if (!d)
        return nomem(err);
    d->id = el_strdup(id ? id : "");
    d->line = line;
    if (!d->id) {
        el_free(d);
        return nomem(err);
    }
    *out = d;
    return EL_OK;
}

void el_design_free(ElDesign *d)
{
    int g;
    if (!d)
        return;
    el_free(d->id);
    el_free(d->title);
    el_free(d->links);
    for (g = 0; g < d->ngroups; g++)
        el_free(d->groups[g].members);
    el_free(d->groups);
    el_free(d->instruments);
    el_free(d->accepts);
    el_free(d->export_caps);
    for (g = 0; g < d->nimport_limits; g++)
        el_free(d->import_limits[g].pools);
    el_free(d->import_limits);
    for (g = 0; g < d->nprojects; g++) {
        el_free(d->projects[g].id);
        el_free(d->projects[g].members);
        el_free(d->projects[g].shares);
    }
    el_free(d->projects);
    el_variation_clear(&d->sets);
    el_free(d);
}

el_status el_design_set_title(ElDesign *d, const char *title, ElError *err)
{
    char *t = NULL;
    if (title && title[0] != '\0') {
        t = el_strdup(title);
        if (!t)
            return nomem(err);
    }
    el_free(d->title);
    d->title = t;
    return EL_OK;
}

el_status el_design_copy(ElDesign **out, const ElDesign *d, const char *id, ElError *err)
{
    ElDesign *c = NULL;
    el_status st = el_design_create(&c, id ? id : d->id, d->line, err);
    int k;
    if (st == EL_OK)
        st = el_design_set_title(c, d->title, err);
    for (k = 0; st == EL_OK && k < d->nlinks; k++) {
        const ElLink *l = &d->links[k];
        st = el_design_add_link(c, l->from, l->to, l->rate, l->quota, l->quota_share, l->rent_to,
                                l->line, err);
        if (st == EL_OK) {
            c->links[k].start = l->start;
            c->links[k].until = l->until;
        }
    }
    for (k = 0; st == EL_OK && k < d->ngroups; k++) {
        st = el_design_add_group(c, d->groups[k].members, d->groups[k].n, d->groups[k].line, err);
        if (st == EL_OK) {
            c->groups[k].start = d->groups[k].start;
            c->groups[k].until = d->groups[k].until;
        }
    }
    for (k = 0; st == EL_OK && k < d->ninstruments; k++) {
        const ElInstrument *in = &d->instruments[k];
        st = el_design_add_instrument(c, in->jur, in->kind, in->price, in->volume, in->line, err);
    }
    for (k = 0; st == EL_OK && k < d->naccepts; k++) {
        const ElAccept *a = &d->accepts[k];
        st = el_design_add_accept(c, a->pool, a->jur, a->limit, a->limit_share, a->discount,
                                  a->line, err);
    }
    for (k = 0; st == EL_OK && k < d->nexport_caps; k++) {
        const ElExportCap *x = &d->export_caps[k];
        st = el_design_add_export_cap(c, x->jur, x->max, x->share_of_cap, x->line, err);
    }
    for (k = 0; st == EL_OK && k < d->nimport_limits; k++) {
        const ElImportLimit *x = &d->import_limits[k];
        st = el_design_add_import_limit(c, x->jur, x->max, x->share, x->sources, x->pools,
                                        x->npools, x->line, err);
    }
    for (k = 0; st == EL_OK && k < d->nprojects; k++) {
        const ElProject *p = &d->projects[k];
        st = el_design_add_project(c, p->id, p->capacity, p->fixed_cost, p->variable_cost,
                                   p->members, p->shares, p->n, p->line, err);
    }
    if (st == EL_OK)
        st = el_variation_copy(&c->sets, &d->sets, err);
    if (st != EL_OK) {
        el_design_free(c);
        c = NULL;
    }
    *out = c;
    return st;
}

el_status el_design_add_link(ElDesign *d,
                             int from,
                             int to,
                             double rate,
                             double quota,
                             double quota_share,
                             ElRentTo rent_to,
                             int line,
                             ElError *err)
{
    ElLink *arr = append(d->links, d->nlinks, sizeof(*arr));
    if (!arr)
        return nomem(err);
    d->links = arr;
    arr[d->nlinks++] = (ElLink){from, to, rate, quota, quota_share, rent_to, line, 0, 0};
    return EL_OK;
}

el_status el_design_add_group(ElDesign *d, const int *members, int n, int line, ElError *err)
{
    ElGroup *arr = append(d->groups, d->ngroups, sizeof(*arr));
    int *copy;
    if (!arr)
        return nomem(err);
    d->groups = arr;
    copy = el_calloc((size_t)(n > 0 ? n : 1), sizeof(*copy));
    if (!copy)
        return nomem(err);
    if (n > 0)
        memcpy(copy, members, (size_t)n * sizeof(*copy));
    arr[d->ngroups++] = (ElGroup){copy, n, line, 0, 0};
    return EL_OK;
}

el_status el_design_add_instrument(
    ElDesign *d, int jur, ElInstrKind kind, double price, double volume, int line, ElError *err)
{
    ElInstrument *a = append(d->instruments, d->ninstruments, sizeof(*a));
    if (!a)
        return nomem(err);
    d->instruments = a;
    a[d->ninstruments++] = (ElInstrument){jur, kind, price, volume, line};
    return EL_OK;
}

el_status el_design_add_accept(ElDesign *d,
                               int pool,
                               int jur,
                               double limit,
                               double limit_share,
                               double discount,
                               int line,
                               ElError *err)
{
    ElAccept *a = append(d->accepts, d->naccepts, sizeof(*a));
    if (!a)
        return nomem(err);
    d->accepts = a;
    a[d->naccepts++] = (ElAccept){pool, jur, limit, limit_share, discount, line};
    return EL_OK;
}

el_status el_design_add_export_cap(
    ElDesign *d, int jur, double max, double share_of_cap, int line, ElError *err)
{
    ElExportCap *a = append(d->export_caps, d->nexport_caps, sizeof(*a));
    if (!a)
        return nomem(err);
    d->export_caps = a;
    a[d->nexport_caps++] = (ElExportCap){jur, max, share_of_cap, line};
    return EL_OK;
}

el_status el_design_add_import_limit(ElDesign *d,
                                     int jur,
                                     double max,
                                     double share,
                                     unsigned sources,
                                     const int *pools,
                                     int npools,
                                     int line,
                                     ElError *err)
{
    ElImportLimit *a = append(d->import_limits, d->nimport_limits, sizeof(*a));
    int *copy;
    if (!pools || npools < 0)
        npools = 0;
    if (!a)
        return nomem(err);
    d->import_limits = a;
    copy = el_calloc((size_t)(npools > 0 ? npools : 1), sizeof(*copy));
    if (!copy)
        return nomem(err);
    if (npools > 0)
        memcpy(copy, pools, (size_t)npools * sizeof(*copy));
    a[d->nimport_limits++] = (ElImportLimit){jur, max, share, sources, copy, npools, line};
    return EL_OK;
}

el_status el_design_add_project(ElDesign *d,
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
    ElProject *a = append(d->projects, d->nprojects, sizeof(*a)), *p;
    size_t cnt = (size_t)(n > 0 ? n : 1);
    if (!a)
        return nomem(err);
    d->projects = a;
    p = &a[d->nprojects++];
    *p = (ElProject){el_strdup(id),
                     capacity,
                     fixed_cost,
                     variable_cost,
                     el_calloc(cnt, sizeof(int)),
                     el_calloc(cnt, sizeof(double)),
                     n,
                     line};
    if (!p->id || !p->members || !p->shares)
        return nomem(err);
    if (n > 0) {
        memcpy(p->members, members, (size_t)n * sizeof(int));
        memcpy(p->shares, shares, (size_t)n * sizeof(double));
    }
    return EL_OK;
}

el_status el_design_add_set(
    ElDesign *d, int jur, ElSetField field, int pool, double value, int line, ElError *err)
{
    return el_variation_add(&d->sets, jur, field, pool, value, line, err);
}
