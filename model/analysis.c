/* Templates, parameters and analyses as declared (model/analysis.h). */
#include "analysis.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"
#include "scenario.h"

/* Where each parameter attribute lives: (element kind, attribute) -> the double field, or the
 * word field rent-to. */
typedef struct {
    ElSlotKind kind;
    const char *attr;
    size_t offset; /* of a double in the element struct */
    bool word;
    bool affine; /* enters the right-hand side or the linear costs of the problem (model.md §7) */
} AttrField;

static const AttrField attr_fields[] = {
    {EL_SLOT_LINK, "rate", offsetof(ElLink, rate), false, false},
    {EL_SLOT_LINK, "quota", offsetof(ElLink, quota), false, true},
    {EL_SLOT_LINK, "quota-share", offsetof(ElLink, quota_share), false, false},
    {EL_SLOT_LINK, "rent-to", offsetof(ElLink, rent_to), true, true},
    {EL_SLOT_INSTRUMENT, "price", offsetof(ElInstrument, price), false, true},
    {EL_SLOT_INSTRUMENT, "volume", offsetof(ElInstrument, volume), false, true},
    {EL_SLOT_ACCEPT, "limit", offsetof(ElAccept, limit), false, true},
    {EL_SLOT_ACCEPT, "limit-share", offsetof(ElAccept, limit_share), false, false},
    {EL_SLOT_ACCEPT, "discount", offsetof(ElAccept, discount), false, false},
    {EL_SLOT_EXPORT_CAP, "max", offsetof(ElExportCap, max), false, true},
    {EL_SLOT_EXPORT_CAP, "share-of-cap", offsetof(ElExportCap, share_of_cap), false, true},
    {EL_SLOT_PROJECT, "capacity", offsetof(ElProject, capacity), false, true},
    {EL_SLOT_PROJECT, "fixed-cost", offsetof(ElProject, fixed_cost), false, true},
    {EL_SLOT_PROJECT, "variable-cost", offsetof(ElProject, variable_cost), false, true},
    {EL_SLOT_SET, "value", offsetof(ElSet, value), false, true},
    {EL_SLOT_IMPORT_LIMIT, "max", offsetof(ElImportLimit, max), false, true},
    {EL_SLOT_IMPORT_LIMIT, "share", offsetof(ElImportLimit, share), false, false},
};
#define NATTR ((int)(sizeof(attr_fields) / sizeof(attr_fields[0])))

static const AttrField *attr_field(ElSlotKind k, const char *attr)
{
    int i;
    for (i = 0; i < NATTR; i++)
        if (attr_fields[i].kind == k && strcmp(attr_fields[i].attr, attr) == 0)
            return &attr_fields[i];
    return NULL;
}

bool el_template_param_affine(const ElTemplate *t, int param)
{
    int i;
    for (i = 0; i < t->nslots; i++) {
        const ElSlot *sl = &t->slots[i];
        const AttrField *f = attr_field(sl->kind, sl->attr);
        if (sl->param != param || !f)
            continue;
        if (!f->affine)
            return false;
        if (sl->kind == EL_SLOT_SET) { /* a <set>: the field decides */
            const ElSet *set = &t->design->sets.sets[sl->index];
            if (set->field == EL_SET_MAC_SCALE)
                return false; /* scales the MAC slopes: the KKT matrix */
        }
    }
    return true;
}

int el_slot_attr_kind(ElSlotKind k, const char *attr)
{
    const AttrField *f = attr_field(k, attr);
    return f ? (int)f->word : -1;
}

static const char *const rent_words[] = {"buyer", "buyer-government", "seller"};

int el_slot_word_code(const char *attr, const char *word)
{
    int i;
    if (strcmp(attr, "rent-to") != 0)
        return -1;
    for (i = 0; i < 3; i++)
        if (strcmp(word, rent_words[i]) == 0)
            return i;
    return -1;
}

const char *el_slot_word_name(const char *attr, int code)
{
    if (strcmp(attr, "rent-to") == 0 && code >= 0 && code < 3)
        return rent_words[code];
    return "?";
}

static void *element(ElDesign *d, ElSlotKind k, int i)
{
    switch (k) {
    case EL_SLOT_LINK:
        return &d->links[i];
    case EL_SLOT_INSTRUMENT:
        return &d->instruments[i];
    case EL_SLOT_ACCEPT:
        return &d->accepts[i];
    case EL_SLOT_EXPORT_CAP:
        return &d->export_caps[i];
    case EL_SLOT_PROJECT:
        return &d->projects[i];
    case EL_SLOT_SET:
        return &d->sets.sets[i];
    case EL_SLOT_IMPORT_LIMIT:
        return &d->import_limits[i];
    case EL_SLOT_KINDS:
        break;
    }
    return NULL;
}

void el_template_apply(const ElTemplate *t, const double *values, ElDesign *d)
{
    int i;
    for (i = 0; i < t->nslots; i++) {
        const ElSlot *sl = &t->slots[i];
        const AttrField *f = attr_field(sl->kind, sl->attr);
        char *el = element(d, sl->kind, sl->index);
        double v = values[sl->param];
        if (!f || !el)
            continue;
        if (f->word) {
            ElRentTo r = (ElRentTo)(int)v;
            memcpy(el + f->offset, &r, sizeof(r));
        } else {
            memcpy(el + f->offset, &v, sizeof(v));
        }
    }
}

double el_param_value(const ElParam *p, long k)
{
    if (p->kind == EL_PARAM_VALUES)
        return p->values[k];
    if (p->kind == EL_PARAM_RANGE) {
        if (p->nvalues <= 1)
            return p->from;
        if (k == p->nvalues - 1)
            return p->to; /* exactly the end as written */
        return p->from + (p->to - p->from) * ((double)k / (double)(p->nvalues - 1));
    }
    return p->min;
}

long el_param_count(const ElParam *p)
{
    return p->kind == EL_PARAM_CONTINUOUS ? 0 : p->nvalues;
}

static const char *const what_names[EL_WHAT_COUNT] = {"gain",        "price",     "abatement",
                                                      "net-imports", "emissions", "ndc-margin",
                                                      "min-gain",    "total-gain"};

const char *el_what_name(ElWhat w)
{
    return (int)w >= 0 && w < EL_WHAT_COUNT ? what_names[w] : "?";
}

int el_what_parse(const char *name)
{
    int i;
    for (i = 0; i < EL_WHAT_COUNT; i++)
        if (strcmp(name, what_names[i]) == 0)
            return i;
    return -1;
}

void el_sweep_point(const ElAnalysis *a, long i, double *values)
{
    int k;
    for (k = a->nparams - 1; k >= 0; k--) {
        const ElParam *p = &a->params[k];
        long n = el_param_count(p);
        values[p->slot] = el_param_value(p, i % n);
        i /= n;
    }
}

void el_template_free(ElTemplate *t)
{
    int i;
    if (!t)
        return;
    el_design_free(t->design);
    for (i = 0; i < t->nparams; i++)
        el_free(t->params[i]);
    el_free(t->params);
    el_free(t->words);
    el_free(t->slots);
    el_free(t);
}

void el_analysis_free(ElAnalysis *a)
{
    int i;
    long k;
    if (!a)
        return;
    for (i = 0; i < a->nparams; i++) {
        ElParam *p = &a->params[i];
        el_free(p->name);
        el_free(p->values);
        for (k = 0; p->text && k < p->nvalues; k++)
            el_free(p->text[k]);
        el_free(p->text);
    }
    el_free(a->params);
    if (a->unc) {
        for (i = 0; i < a->unc->nshocks; i++)
            el_free(a->unc->shocks[i].id);
        el_free(a->unc->shocks);
        el_free(a->unc->corr);
        el_free(a->unc->corr_line);
        el_free(a->unc);
    }
    el_free(a->require);
    el_free(a->designs);
    el_free(a->design_id);
    el_free(a->id);
    el_free(a);
}

void el_analyses_free(ElAnalyses *x)
{
    int i;
    if (!x)
        return;
    for (i = 0; i < x->ntemplates; i++)
        el_template_free(x->templates[i]);
    el_free(x->templates);
    for (i = 0; i < x->nanalyses; i++)
        el_analysis_free(x->analyses[i]);
    el_free(x->analyses);
    el_free(x);
}

const ElTemplate *el_analyses_find_template(const ElAnalyses *x, const char *id)
{
    int i;
    for (i = 0; x && i < x->ntemplates; i++)
        if (strcmp(x->templates[i]->design->id, id) == 0)
            return x->templates[i];
    return NULL;
}

const ElAnalysis *el_analyses_find(const ElAnalyses *x, const char *id)
{
    int i;
    for (i = 0; x && i < x->nanalyses; i++)
        if (strcmp(x->analyses[i]->id, id) == 0)
            return x->analyses[i];
    return NULL;
}

static const char *const kind_tags[] = {"sweep", "search", "sequence", "coalitions", "uncertainty"};

/* The least (hi = 0) or greatest (hi = 1) value of parameter p; a word parameter's first. */
static double param_end(const ElParam *p, int hi)
{
    long k;
    double v;
    if (p->kind == EL_PARAM_CONTINUOUS)
        return hi ? p->max : p->min;
    if (p->kind == EL_PARAM_RANGE)
        return hi ? fmax(p->from, p->to) : fmin(p->from, p->to);
    if (p->words)
        return p->values[0];
    v = p->values[0];
    for (k = 1; k < p->nvalues; k++)
        v = hi ? fmax(v, p->values[k]) : fmin(v, p->values[k]);
    return v;
}

/* The template at corner `mask` of the parameter box (bit k: parameter k at its greatest value,
 * else at its least), checked as a design. */
static el_status check_corner(const ElScenario *s, const ElAnalysis *a, long mask, ElError *err)
{
    const ElTemplate *t = a->tmpl;
    double vals[64];
    char at[400];
    size_t len = 0;
    ElDesign *d = NULL;
    el_status st;
    int k;
    if (t->nparams > 64)
        return el_error_set(err, EL_ERR_INPUT, "%s:%d: <%s id=\"%s\">: more than 64 parameters",
                            s->path, a->line, kind_tags[a->kind], a->id);
    at[0] = '\0';
    for (k = 0; k < a->nparams; k++) {
        const ElParam *p = &a->params[k];
        vals[p->slot] = param_end(p, k < 62 ? (int)((mask >> k) & 1) : 0);
        if (!p->words && len < sizeof(at)) {
            int n = snprintf(at + len, sizeof(at) - len, "%s%s=%.10g", len ? " " : "", p->name,
                             vals[p->slot]);
            if (n > 0)
                len += (size_t)n;
        }
    }
    st = el_design_copy(&d, t->design, NULL, err);
    if (st == EL_OK) {
        el_template_apply(t, vals, d);
        st = el_design_check(s, d, err);
    }
    el_design_free(d);
    if (st == EL_ERR_INPUT) {
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        st = el_error_set(err, EL_ERR_INPUT,
                          "%s:%d: <%s id=\"%s\">: at the corner %s of the parameters' ranges: %s",
                          s->path, a->line, kind_tags[a->kind], a->id, at, msg);
    }
    return st;
}

el_status el_analysis_check(const ElScenario *s, const ElAnalysis *a, ElError *err)
{
    const ElTemplate *t = a->tmpl;
    int k, i;
    if (a->kind == EL_ANALYSIS_SEQUENCE || a->kind == EL_ANALYSIS_COALITIONS ||
        a->kind == EL_ANALYSIS_UNCERTAINTY)
        return EL_OK;
    for (k = 0; k < a->nparams; k++) {
        const ElParam *p = &a->params[k];
        if (p->slot < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <%s id=\"%s\">: unknown parameter '%s': design '%s' has "
                                "no {%s}",
                                s->path, p->line, kind_tags[a->kind], a->id, p->name, a->design_id,
                                p->name);
        for (i = 0; i < k; i++)
            if (a->params[i].slot == p->slot)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: <%s id=\"%s\">: parameter '%s' is given twice", s->path,
                                    p->line, kind_tags[a->kind], a->id, p->name);
        if (p->words != t->words[p->slot])
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <%s id=\"%s\">: parameter '%s' fills %s attribute, so "
                                "its values must be %s",
                                s->path, p->line, kind_tags[a->kind], a->id, p->name,
                                t->words[p->slot] ? "a word" : "a numeric",
                                t->words[p->slot] ? "words (buyer, buyer-government, seller)"
                                                  : "numbers");
        if (a->kind == EL_ANALYSIS_SEARCH && p->kind == EL_PARAM_CONTINUOUS) {
            int c = 0, i2;
            for (i2 = 0; i2 < a->nparams; i2++)
                c += a->params[i2].kind == EL_PARAM_CONTINUOUS;
            if (c > EL_SEARCH_MAX_CONTINUOUS)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: <search id=\"%s\">: %d continuous parameters, more "
                                    "than %d",
                                    s->path, a->line, a->id, c, EL_SEARCH_MAX_CONTINUOUS);
            if (c > 1 && a->nobjectives > 1)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: <search id=\"%s\">: a Pareto front (two "
                                    "<maximize>) needs at most one continuous parameter; give "
                                    "the others values=\"...\"",
                                    s->path, a->line, a->id);
        }
        if (a->kind == EL_ANALYSIS_SWEEP && p->kind == EL_PARAM_CONTINUOUS)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <sweep id=\"%s\">: parameter '%s': a sweep needs values "
                                "or from/to/count, not min/max",
                                s->path, p->line, a->id, p->name);
    }
    for (i = 0; i < t->nparams; i++) {
        for (k = 0; k < a->nparams && a->params[k].slot != i; k++)
            ;
        if (k == a->nparams)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <%s id=\"%s\">: parameter {%s} of design '%s' is left "
                                "unbound: add <param name=\"%s\" .../>",
                                s->path, a->line, kind_tags[a->kind], a->id, t->params[i],
                                a->design_id, t->params[i]);
    }
    { /* every corner of the box (up to 12 numeric parameters; beyond, the two extreme ones) */
        int num[64], nnum = 0, b;
        long m, ncorner;
        for (k = 0; k < a->nparams && k < 62; k++)
            if (!a->params[k].words)
                num[nnum++] = k;
        ncorner = nnum <= 12 ? 1L << nnum : 2;
        /* a sweep solves every point: every corner must be a valid design. A search goes
         * around invalid points (they are infeasible): one valid corner is enough */
        for (m = 0; m < ncorner; m++) {
            long mask = 0;
            el_status st;
            ElError e2;
            for (b = 0; b < nnum; b++)
                if (nnum <= 12 ? (m >> b) & 1 : m)
                    mask |= 1L << num[b];
            st = check_corner(s, a, mask, a->kind == EL_ANALYSIS_SWEEP || m == 0 ? err : &e2);
            if (a->kind == EL_ANALYSIS_SEARCH) {
                if (st == EL_OK)
                    return EL_OK;
                if (st != EL_ERR_INPUT)
                    return m == 0 ? st : el_error_set(err, st, "%s", e2.msg);
                if (m + 1 == ncorner) /* no valid corner: the first one's message */
                    return EL_ERR_INPUT;
            } else if (st != EL_OK) {
                return st;
            }
        }
    }
    return EL_OK;
}

el_status el_analyses_check_limits(const ElScenario *s, ElError *err)
{
    const ElAnalyses *x = s->analyses;
    int i;
    for (i = 0; x && i < x->nanalyses; i++) {
        const ElAnalysis *a = x->analyses[i];
        if (a->kind == EL_ANALYSIS_SEARCH) {
            long combos = 1, per;
            int k, cont = 0;
            for (k = 0; k < a->nparams; k++) {
                long n = el_param_count(&a->params[k]);
                cont += n == 0;
                combos = n > 0 && combos > LONG_MAX / n ? LONG_MAX : combos * (n > 0 ? n : 1);
            }
            /* the largest round: the scan, or the starting grid of several continuous ones */
            per = cont == 0 ? 1 : cont == 1 ? s->settings.search_scan + 1L : 4096;
            if (combos <= EL_SEARCH_MAX_LINES && combos * per > EL_SEARCH_MAX_ROUND)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: <search id=\"%s\">: %ld combinations x %ld points a "
                                    "round is more than %ld: lower search_scan or the number of "
                                    "discrete values",
                                    s->path, a->line, a->id, combos, per, EL_SEARCH_MAX_ROUND);
            if ((cont && combos > EL_SEARCH_MAX_LINES) ||
                combos > (long)s->settings.sweep_max_points)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: <search id=\"%s\">: %ld combinations of the discrete "
                                    "parameters, more than %ld%s",
                                    s->path, a->line, a->id, combos,
                                    cont ? EL_SEARCH_MAX_LINES : (long)s->settings.sweep_max_points,
                                    cont ? " with a continuous parameter (each is searched at "
                                           "once: make one of them continuous, or split the "
                                           "search)"
                                         : " (sweep_max_points)");
        }
        if (a->kind == EL_ANALYSIS_SWEEP && a->points > (long)s->settings.sweep_max_points)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: <sweep id=\"%s\">: %ld points, more than "
                                "sweep_max_points = %d (raise it with --set "
                                "sweep_max_points=N; results stream, but the run takes time)",
                                s->path, a->line, a->id, a->points, s->settings.sweep_max_points);
    }
    return EL_OK;
}
