/* scenario: what a scenario file describes, in memory: jurisdictions (BAU, cap, MAC curve) and
 * linkage designs (directed links with quotas and exchange rates, full-link groups). The structs
 * are public read-only values; they are built and changed only through the functions below, and
 * el_scenario_free releases everything they own. */
#ifndef EL_SCENARIO_H
#define EL_SCENARIO_H

#include <stdbool.h>

#include "analysis.h"
#include "design.h"
#include "el_settings.h"
#include "el_status.h"
#include "mac.h"
#include "mac_fit.h"

typedef enum {
    EL_CAP_ABSOLUTE,
    EL_CAP_INTENSITY,
    EL_CAP_TAX
} ElCapKind;

/* Largest magnitudes accepted (docs/security.md): they keep every LP coefficient, bound and cost
 * far from overflow while covering any real market (world emissions are ~5e4 Mt). */
#define EL_MAX_QUANTITY (1e9)  /* Mt: BAU, caps, curve widths, volumes, capacities */
#define EL_MAX_PRICE    (1e12) /* currency per tonne, and MAC slopes per Mt */
#define EL_MIN_RATE     (1e-6) /* exchange rates and discounts */
#define EL_MAX_RATE     (1e6)

#define EL_HOST_ROW       (-1) /* an offset pool hosted by the rest of the world */
#define EL_SCENARIO_LEVEL (-1) /* "not inside a design" for the add functions */

typedef struct {
    char *id;
    int host;      /* jurisdiction index, or EL_HOST_ROW */
    ElMac *supply; /* credit supply curve (owned), same forms as a MAC */
    int line;
} ElPool;

/** A change from a year on (<path><year y="..." .../>): the set applies from `year` until a
 * later entry of the same field replaces it. */
typedef struct {
    int year;
    ElSet set;
} ElPathEntry;

/* <borrowing phase-starts="...">: at most this many years that start a compliance phase */
#define EL_MAX_PHASE_STARTS 16

typedef struct {
    char *id;
    char *name;
    double bau; /* e_j, Mt */
    double cap; /* A_j, Mt */
    ElCapKind cap_kind;
    double benchmark;     /* intensity caps: t per unit of output */
    double output;        /* intensity caps: units of output */
    double bau_intensity; /* intensity caps: BAU per unit of output if BAU was given so, else nan */
    ElMac *mac;           /* owned; as given: the build cuts it at the BAU in force */
    ElMacFit *fit;        /* owned; the fit the curve came from, or NULL */
    double auction_share; /* share of the cap sold by the government (revenue accounting) */
    double tax_rate;      /* EL_CAP_TAX: the tax per tonne emitted */
    double credit_limit;  /* EL_CAP_TAX: max tonnes of linked units and credits surrendered */
    double ndc_target;    /* Mt of NDC-accounted emissions of its covered sectors (<ndc>); nan("")
                             if none */
    /* several periods (<periods>, docs/model.md §10) */
    ElPathEntry *path; /* changes in later years, in the file's order (years increasing) */
    int npath;
    bool bank_allowed;   /* <banking allowed="false"/> clears it; default true */
    double bank_max;     /* Mt the bank may hold at the end of a year; HUGE_VAL: no limit */
    double bank_share;   /* ... as a share of the year's cap; nan(""): none */
    double borrow_share; /* share of the year's emissions that may be borrowed from the next
                            year's allocation; 0: no borrowing */
    int borrow_phase[EL_MAX_PHASE_STARTS]; /* years that start a new phase, increasing: nothing
                                              is borrowed from them into the year before */
    int nborrow_phase;
    double initial_bank; /* Mt banked before the first year */
    int line;            /* line in the scenario file, 0 if built in code */
} ElJurisdiction;

/** The horizon: one period per year from first to last, costs discounted at rate to the first
 * year; units banked at the end of the last year are worth terminal_value each (that year's
 * money; default 0). Without <periods>, on = false and a scenario is one period. */
#define EL_MAX_PERIODS 200

typedef struct {
    bool on;
    int first, last;
    double rate;
    double terminal_value;
    int line;
} ElPeriods;

/** An input figure as written in the scenario file, with the source it names (an element's
 * source="..." attribute; docs/scenario-format.md, "Sources"), for the report's sources
 * appendix. The loader records one for every element that carries figures. */
#define EL_FIGURE_SCENARIO (-1) /* ElFigure.design: a jurisdiction's, a pool's or an acceptance */
#define EL_FIGURE_TEMPLATE (-2) /* ... a design template's (analyses) */
typedef struct {
    char *owner;   /* the jurisdiction, pool or design it belongs to */
    char *element; /* the element's name: "bau", "linear", "floor", ... */
    char *value;   /* its figures as written: "572.197", "intercept=0, slope=3.178" */
    char *source;  /* the source as written, or NULL: not stated */
    int design;    /* index of its design, or EL_FIGURE_SCENARIO / EL_FIGURE_TEMPLATE */
    int line;      /* line in the scenario file */
} ElFigure;

struct ElScenario {
    char *name;
    char *currency;
    char *unit;
    char *path; /* file it came from, or "" */
    ElJurisdiction *jur;
    int njur;
    ElDesign **designs; /* the designs of the file, owned */
    int ndesigns;
    ElPool *pools;
    int npools;
    ElInstrument *instruments; /* apply in every design, autarky included */
    int ninstruments;
    ElAccept *accepts; /* apply in every design, autarky included */
    int naccepts;
    ElSettings settings;
    ElAnalyses *analyses; /* templates, sweeps, searches, sequences (model/analysis.h); owned,
                             NULL when the file declares none */
    ElPeriods periods;
    ElFigure *figures; /* every input figure and its source, in file order */
    int nfigures;
};

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
/** Add an empty design; its index is s->ndesigns - 1 afterwards. The el_scenario_add_* functions
 * below that take a design index d change s->designs[d] through model/design.h. */
el_status el_scenario_add_design(ElScenario *s, const char *id, int line, ElError *err);
/** Add a design made with el_design_create; the scenario takes it over (also on failure). */
el_status el_scenario_take_design(ElScenario *s, ElDesign *d, ElError *err);
/** Index of design id, or -1. */
int el_scenario_find_design(const ElScenario *s, const char *id);
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

/** Make jurisdiction j a carbon-tax regime: no cap, emissions taxed at rate, up to
 * credit_limit tonnes of linked units and offset credits surrendered instead. */
el_status el_scenario_set_tax(ElScenario *s, int j, double rate, double credit_limit, ElError *err);
/** Add a price instrument at scenario level (d = EL_SCENARIO_LEVEL) or in design d. */
el_status el_scenario_add_instrument(ElScenario *s,
                                     int d,
                                     int jur,
                                     ElInstrKind kind,
                                     double price,
                                     double volume,
                                     int line,
                                     ElError *err);
/** Add an offset pool (supply is taken over, also on failure); host may be EL_HOST_ROW. */
el_status el_scenario_add_pool(
    ElScenario *s, const char *id, int host, ElMac *supply, int line, ElError *err);
/** Index of pool id, or -1. */
int el_scenario_find_pool(const ElScenario *s, const char *id);
/** Let jur use credits of pool, at scenario level (d = EL_SCENARIO_LEVEL) or in design d. */
el_status el_scenario_add_accept(ElScenario *s,
                                 int d,
                                 int pool,
                                 int jur,
                                 double limit,
                                 double limit_share,
                                 double discount,
                                 int line,
                                 ElError *err);
/** Cap jur's net exports in design d (max in Mt, or share_of_cap; the other HUGE_VAL / nan). */
el_status el_scenario_add_export_cap(
    ElScenario *s, int d, int jur, double max, double share_of_cap, int line, ElError *err);
/** Add a joint project to design d; members and shares (n entries) are copied. */
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
                                  ElError *err);

/** Record an input figure (strings copied; source may be NULL: not stated). */
el_status el_scenario_add_figure(ElScenario *s,
                                 const char *owner,
                                 const char *element,
                                 const char *value,
                                 const char *source,
                                 int design,
                                 int line,
                                 ElError *err);

/** The instrument of kind k that applies to jurisdiction j in design d (NULL: the baseline):
 * the design's own, else the scenario's, else NULL. Variations are applied by model/data.h. */
const ElInstrument *
el_scenario_instrument(const ElScenario *s, const ElDesign *d, int j, ElInstrKind k);

/** Check the whole scenario and every design in it (el_design_check): ids unique, numbers in
 * range, links and groups well-formed. Messages name the element and its line. After this call
 * the scenario is immutable: everything that reads it takes it const, and designs, variations
 * and results live outside it. */
el_status el_scenario_finish(ElScenario *s, ElError *err);

#endif
