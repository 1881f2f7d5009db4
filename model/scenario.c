/* Scenario construction and semantic validation. Everything the loader reads passes through
 * el_scenario_finish, so a scenario built in code obeys the same rules as one read from XML. */
#include "scenario.h"

#include <math.h>
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
    }
    el_free(s->jur);
    for (i = 0; i < s->ndesigns; i++)
        design_clear(&s->designs[i]);
    el_free(s->designs);
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
    arr[des->nlinks++] = (ElLink){from, to, rate, quota, quota_share, line};
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
        if (st != EL_OK)
            return st;
    }
    return el_settings_validate(&s->settings, err);
}
