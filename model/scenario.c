/* Scenario construction and semantic validation. Everything the loader reads passes through
 * el_scenario_finish, so a scenario built in code obeys the same rules as one read from XML. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

static void design_clear(ElDesign *d)
{
    int g;
    el_free(d->id);
    el_free(d->links);
    for (g = 0; g < d->ngroups; g++)
        el_free(d->groups[g].members);
    el_free(d->groups);
    el_free(d->instruments);
    el_free(d->accepts);
    el_free(d->export_caps);
    for (g = 0; g < d->nprojects; g++) {
        el_free(d->projects[g].id);
        el_free(d->projects[g].members);
        el_free(d->projects[g].shares);
    }
    el_free(d->projects);
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
    }
    el_free(s->jur);
    for (i = 0; i < s->ndesigns; i++)
        design_clear(&s->designs[i]);
    el_free(s->designs);
    for (i = 0; i < s->npools; i++) {
        el_free(s->pools[i].id);
        el_mac_free(s->pools[i].supply);
    }
    el_free(s->pools);
    el_free(s->instruments);
    el_free(s->accepts);
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
    j->line = line;
    j->id = el_strdup(id);
    j->name = el_strdup(name ? name : id);
    s->njur++; /* counted now so that el_scenario_free releases it on any failure */
    if (!j->id || !j->name)
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

el_status el_scenario_add_design(ElScenario *s, const char *id, int line, ElError *err)
{
    ElDesign *arr = el_reallocarray(s->designs, (size_t)s->ndesigns + 1, sizeof(*arr));
    if (!arr)
        return nomem(err);
    s->designs = arr;
    memset(&arr[s->ndesigns], 0, sizeof(*arr));
    arr[s->ndesigns].line = line;
    arr[s->ndesigns].id = el_strdup(id);
    s->ndesigns++;
    if (!arr[s->ndesigns - 1].id)
        return nomem(err);
    return EL_OK;
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
    ElDesign *des = &s->designs[d];
    ElLink *arr = el_reallocarray(des->links, (size_t)des->nlinks + 1, sizeof(*arr));
    if (!arr)
        return nomem(err);
    des->links = arr;
    arr[des->nlinks++] = (ElLink){from, to, rate, quota, quota_share, EL_RENT_BUYER, line};
    return EL_OK;
}

el_status
el_scenario_add_group(ElScenario *s, int d, const int *members, int n, int line, ElError *err)
{
    ElDesign *des = &s->designs[d];
    ElGroup *arr = el_reallocarray(des->groups, (size_t)des->ngroups + 1, sizeof(*arr));
    int *copy;
    if (!arr)
        return nomem(err);
    des->groups = arr;
    copy = el_calloc((size_t)(n > 0 ? n : 1), sizeof(*copy));
    if (!copy)
        return nomem(err);
    if (n > 0)
        memcpy(copy, members, (size_t)n * sizeof(*copy));
    arr[des->ngroups++] = (ElGroup){copy, n, line};
    return EL_OK;
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
    ElInstrument **arr = d == EL_SCENARIO_LEVEL ? &s->instruments : &s->designs[d].instruments;
    int *n = d == EL_SCENARIO_LEVEL ? &s->ninstruments : &s->designs[d].ninstruments;
    ElInstrument *a = append(*arr, *n, sizeof(**arr));
    if (!a)
        return nomem(err);
    *arr = a;
    a[(*n)++] = (ElInstrument){jur, kind, price, volume, line};
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
    ElAccept **arr = d == EL_SCENARIO_LEVEL ? &s->accepts : &s->designs[d].accepts;
    int *n = d == EL_SCENARIO_LEVEL ? &s->naccepts : &s->designs[d].naccepts;
    ElAccept *a = append(*arr, *n, sizeof(**arr));
    if (!a)
        return nomem(err);
    *arr = a;
    a[(*n)++] = (ElAccept){pool, jur, limit, limit_share, discount, line};
    return EL_OK;
}

el_status el_scenario_add_export_cap(
    ElScenario *s, int d, int jur, double max, double share_of_cap, int line, ElError *err)
{
    ElDesign *des = &s->designs[d];
    ElExportCap *a = append(des->export_caps, des->nexport_caps, sizeof(*a));
    if (!a)
        return nomem(err);
    des->export_caps = a;
    a[des->nexport_caps++] = (ElExportCap){jur, max, share_of_cap, line};
    return EL_OK;
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
    ElDesign *des = &s->designs[d];
    ElProject *a = append(des->projects, des->nprojects, sizeof(*a)), *p;
    size_t cnt = (size_t)(n > 0 ? n : 1);
    if (!a)
        return nomem(err);
    des->projects = a;
    p = &a[des->nprojects++];
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

const ElInstrument *el_scenario_instrument(const ElScenario *s, int d, int j, ElInstrKind k)
{
    int i;
    if (d != EL_AUTARKY)
        for (i = 0; i < s->designs[d].ninstruments; i++)
            if (s->designs[d].instruments[i].jur == j && s->designs[d].instruments[i].kind == k)
                return &s->designs[d].instruments[i];
    for (i = 0; i < s->ninstruments; i++)
        if (s->instruments[i].jur == j && s->instruments[i].kind == k)
            return &s->instruments[i];
    return NULL;
}

static const char *const instr_names[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};

static el_status check_instruments(
    const ElScenario *s, const ElInstrument *in, int n, const char *where, ElError *err)
{
    int i, k;
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
        for (k = 0; k < i; k++)
            if (in[k].jur == x->jur && in[k].kind == x->kind)
                return el_error_set(
                    err, EL_ERR_INPUT, "%s:%d: %s: a second <%s> for '%s' (first on line %d)",
                    s->path, x->line, where, instr_names[x->kind], s->jur[x->jur].id, in[k].line);
    }
    return EL_OK;
}

static el_status
check_accepts(const ElScenario *s, const ElAccept *ac, int n, const char *where, ElError *err)
{
    int i, k;
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
        for (k = 0; k < i; k++)
            if (ac[k].pool == a->pool && ac[k].jur == a->jur)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: %s: '%s' accepts pool '%s' twice (first on line %d)",
                                    s->path, a->line, where, jid, pid, ac[k].line);
    }
    return EL_OK;
}

static el_status check_mechanisms(const ElScenario *s, const ElDesign *d, ElError *err)
{
    char where[96];
    el_status st;
    int i, k;
    snprintf(where, sizeof(where), "design '%s'", d->id);
    st = check_instruments(s, d->instruments, d->ninstruments, where, err);
    if (st == EL_OK)
        st = check_accepts(s, d->accepts, d->naccepts, where, err);
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
    for (i = 0; i < d->nprojects; i++) {
        const ElProject *p = &d->projects[i];
        double sum = 0;
        if (!isfinite(p->capacity) || p->capacity < 0 || !isfinite(p->fixed_cost) ||
            p->fixed_cost < 0 || !isfinite(p->variable_cost) || p->variable_cost < 0)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <project id=\"%s\">: capacity and costs must be "
                                "finite and >= 0",
                                s->path, p->line, where, p->id);
        if (p->n < 1)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: <project id=\"%s\"> has no members",
                                s->path, p->line, where, p->id);
        for (k = 0; k < p->n; k++) {
            int m;
            if (!isfinite(p->shares[k]) || p->shares[k] <= 0)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: %s: <project id=\"%s\">: the share of '%s' must be "
                                    "> 0",
                                    s->path, p->line, where, p->id, s->jur[p->members[k]].id);
            for (m = 0; m < k; m++)
                if (p->members[m] == p->members[k])
                    return el_error_set(err, EL_ERR_INPUT,
                                        "%s:%d: %s: <project id=\"%s\">: '%s' is listed twice",
                                        s->path, p->line, where, p->id, s->jur[p->members[k]].id);
            sum += p->shares[k];
        }
        if (fabs(sum - 1) > 1e-9)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: <project id=\"%s\">: shares sum to %.12g, not 1",
                                s->path, p->line, where, p->id, sum);
        for (k = 0; k < i; k++)
            if (strcmp(d->projects[k].id, p->id) == 0)
                return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: project id '%s' is used twice",
                                    s->path, p->line, where, p->id);
    }
    return EL_OK;
}

/* Pools and tax regimes; pool supply curves are cut where no demand could reach them. */
static el_status check_scenario_mechanisms(ElScenario *s, ElError *err)
{
    double total_bau = 0, min_discount = 1;
    el_status st;
    int i, k, d;
    for (i = 0; i < s->njur; i++) {
        const ElJurisdiction *j = &s->jur[i];
        total_bau += j->bau;
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
    for (i = 0; i < s->naccepts; i++)
        min_discount = fmin(min_discount, s->accepts[i].discount);
    for (d = 0; d < s->ndesigns; d++)
        for (i = 0; i < s->designs[d].naccepts; i++)
            min_discount = fmin(min_discount, s->designs[d].accepts[i].discount);
    for (k = 0; k < s->npools; k++) {
        ElPool *p = &s->pools[k];
        for (i = 0; i < k; i++)
            if (strcmp(s->pools[i].id, p->id) == 0)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: offset pool id '%s' is already used on line %d",
                                    s->path, p->line, p->id, s->pools[i].line);
        if (!p->supply)
            return el_error_set(err, EL_ERR_INPUT, "%s:%d: offset pool '%s' has no supply curve",
                                s->path, p->line, p->id);
        /* no design can use more credits than total emissions / smallest discount */
        st = el_mac_truncate(p->supply, total_bau / min_discount, err);
        if (st != EL_OK)
            return st;
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
            pc->p0 + pc->slope * pc->width > EL_MAX_PRICE)
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
    int i, d, k;
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
    for (d = 0; d < s->ndesigns; d++) {
        const ElDesign *des = &s->designs[d];
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
                                    "%s:%d: design '%s': a price instrument is out of range",
                                    s->path, des->instruments[k].line, des->id);
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
                                    s->path, des->accepts[k].line, des->id, EL_MIN_RATE,
                                    EL_MAX_RATE, EL_MAX_QUANTITY);
        for (k = 0; k < des->nexport_caps; k++)
            if (out_of_range(des->export_caps[k].max, 0, EL_MAX_QUANTITY))
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: design '%s': <export-cap> max exceeds %g Mt", s->path,
                                    des->export_caps[k].line, des->id, EL_MAX_QUANTITY);
    }
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
    amax = el_mac_max_abatement(j->mac);
    if (el_mac_form(j->mac) != EL_MAC_LINEAR && amax > j->bau * (1 + 1e-12))
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: jurisdiction '%s': the MAC curve reaches %g Mt of abatement, "
                            "more than BAU emissions of %g Mt",
                            s->path, j->line, j->id, amax, j->bau);
    return el_mac_truncate(j->mac, j->bau, err);
}

static el_status check_design(const ElScenario *s, const ElDesign *d, ElError *err)
{
    int l, g, k, m;
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
        for (m = 0; m < l; m++)
            if (d->links[m].from == lk->from && d->links[m].to == lk->to)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: design '%s': link %s->%s is given twice", s->path,
                                    lk->line, d->id, s->jur[lk->from].id, s->jur[lk->to].id);
    }
    for (g = 0; g < d->ngroups; g++) {
        const ElGroup *gr = &d->groups[g];
        if (gr->n < 2)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: design '%s': a group needs at least two members", s->path,
                                gr->line, d->id);
        for (k = 0; k < gr->n; k++)
            for (m = 0; m < k; m++)
                if (gr->members[k] == gr->members[m])
                    return el_error_set(err, EL_ERR_INPUT,
                                        "%s:%d: design '%s': '%s' is listed twice in a group",
                                        s->path, gr->line, d->id, s->jur[gr->members[k]].id);
    }
    return EL_OK;
}

el_status el_scenario_finish(ElScenario *s, ElError *err)
{
    int i, k;
    el_status st;
    if (s->njur == 0)
        return el_error_set(err, EL_ERR_INPUT, "%s: the scenario has no jurisdiction", s->path);
    for (i = 0; i < s->njur; i++) {
        for (k = 0; k < i; k++)
            if (strcmp(s->jur[i].id, s->jur[k].id) == 0)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: jurisdiction id '%s' is already used on line %d",
                                    s->path, s->jur[i].line, s->jur[i].id, s->jur[k].line);
        st = check_jurisdiction(s, &s->jur[i], err);
        if (st != EL_OK)
            return st;
    }
    for (i = 0; i < s->ndesigns; i++) {
        for (k = 0; k < i; k++)
            if (strcmp(s->designs[i].id, s->designs[k].id) == 0)
                return el_error_set(err, EL_ERR_INPUT,
                                    "%s:%d: design id '%s' is already used on line %d", s->path,
                                    s->designs[i].line, s->designs[i].id, s->designs[k].line);
        st = check_design(s, &s->designs[i], err);
        if (st == EL_OK)
            st = check_mechanisms(s, &s->designs[i], err);
        if (st != EL_OK)
            return st;
    }
    st = check_scenario_mechanisms(s, err);
    if (st == EL_OK)
        st = check_limits(s, err);
    if (st != EL_OK)
        return st;
    return el_settings_validate(&s->settings, err);
}
