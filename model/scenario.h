/* scenario: what a scenario file describes, in memory: jurisdictions (BAU, cap, MAC curve) and
 * linkage designs (directed links with quotas and exchange rates, full-link groups). The structs
 * are public read-only values; they are built and changed only through the functions below, and
 * el_scenario_free releases everything they own. */
#ifndef EL_SCENARIO_H
#define EL_SCENARIO_H

#include <stdbool.h>

#include "el_settings.h"
#include "el_status.h"
#include "mac.h"

typedef enum {
    EL_CAP_ABSOLUTE,
    EL_CAP_INTENSITY
} ElCapKind;

typedef struct {
    char *id;
    char *name;
    double bau; /* e_j, Mt */
    double cap; /* A_j, Mt */
    ElCapKind cap_kind;
    double benchmark; /* intensity caps: t per unit of output */
    double output;    /* intensity caps: units of output */
    ElMac *mac;       /* owned; truncated at bau by el_scenario_finish */
    int line;         /* line in the scenario file, 0 if built in code */
} ElJurisdiction;

typedef struct {
    int from, to;       /* jurisdiction indices: entities in `to` may surrender units of `from` */
    double rate;        /* one unit of `from` counts as `rate` tonnes in `to` */
    double quota;       /* max tonnes credited in `to`; HUGE_VAL if none */
    double quota_share; /* max share of `to`'s emissions credited; nan("") if none */
    int line;
} ElLink;

typedef struct {
    int *members; /* jurisdiction indices, owned */
    int n;
    int line;
} ElGroup;

typedef struct {
    char *id;
    ElLink *links;
    int nlinks;
    ElGroup *groups;
    int ngroups;
    int line;
} ElDesign;

typedef struct {
    char *name;
    char *currency;
    char *unit;
    char *path; /* file it came from, or "" */
    ElJurisdiction *jur;
    int njur;
    ElDesign *designs;
    int ndesigns;
    ElSettings settings;
} ElScenario;

/** Empty scenario with default settings. The caller frees it with el_scenario_free. */
el_status el_scenario_create(
    ElScenario **out, const char *name, const char *currency, const char *unit, ElError *err);
void el_scenario_free(ElScenario *s);

/** Add a jurisdiction; mac is taken over (freed by the scenario, also on failure). */
el_status el_scenario_add_jurisdiction(ElScenario *s,
                                       const char *id,
                                       const char *name,
                                       double bau,
                                       double cap,
                                       ElMac *mac,
                                       int line,
                                       ElError *err);
/** Index of jurisdiction id, or -1. */
int el_scenario_find(const ElScenario *s, const char *id);
/** Add an empty design; its index is s->ndesigns - 1 afterwards. */
el_status el_scenario_add_design(ElScenario *s, const char *id, int line, ElError *err);
/** Add a link to design d. quota = HUGE_VAL and quota_share = nan("") mean none. */
el_status el_scenario_add_link(ElScenario *s,
                               int d,
                               int from,
                               int to,
                               double rate,
                               double quota,
                               double quota_share,
                               int line,
                               ElError *err);
/** Add a full-link group of n members (indices copied) to design d. */
el_status
el_scenario_add_group(ElScenario *s, int d, const int *members, int n, int line, ElError *err);

/** Check the whole scenario and make it ready to solve: ids unique, numbers in range, links and
 * groups well-formed, each MAC truncated at BAU. Messages name the element and its line. */
el_status el_scenario_finish(ElScenario *s, ElError *err);

#endif
