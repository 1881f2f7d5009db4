/* design: a linkage design as a value of its own, and variations of a scenario's data.
 *
 * A design (links, full-link groups, price instruments, offset acceptances, export caps, import
 * limits, joint projects, and <set> changes of data) refers to jurisdictions and pools of a
 * scenario by index but never changes the scenario: code may create any number of designs against
 * one loaded, immutable scenario, check each (el_design_check) and solve it (engine/equilibrium.h).
 *
 * A variation is an overlay on the scenario's data: a list of (jurisdiction, field, value)
 * changes applied when a problem is built (model/data.h), never by copying the scenario. A
 * design's own sets are part of its policy: gains are measured against the baseline without
 * them. A variation passed alongside a design (a sweep point, a random draw) describes the state
 * of the world: the baseline of that solve is built with it too (docs/scenario-format.md). */
#ifndef EL_DESIGN_H
#define EL_DESIGN_H

#include <stdbool.h>

#include "el_status.h"

typedef struct ElScenario ElScenario;
typedef struct ElDesign ElDesign;

/** Price instruments: a floor withholds up to `volume` allowances below `price`, a ceiling sells
 * up to `volume` extra allowances at `price`, a penalty buys any shortfall at `price`. */
typedef enum {
    EL_INSTR_FLOOR = 0,
    EL_INSTR_CEILING,
    EL_INSTR_PENALTY,
    EL_INSTR_KINDS
} ElInstrKind;

typedef struct {
    int jur;
    ElInstrKind kind;
    double price;  /* currency per tonne */
    double volume; /* Mt; HUGE_VAL for a penalty */
    int line;
} ElInstrument;

/** Who keeps a binding quota's rent: the buyer's firms (default), the buyer's government (it
 * auctions the import rights), or the seller (units sell at the buyer's price). */
typedef enum {
    EL_RENT_BUYER = 0,
    EL_RENT_BUYER_GOV,
    EL_RENT_SELLER
} ElRentTo;

typedef struct {
    int pool, jur;
    double limit;       /* max tonnes credited (discount x credits); HUGE_VAL if none */
    double limit_share; /* max share of the jurisdiction's emissions credited; nan("") if none */
    double discount;    /* tonnes credited per credit surrendered (> 0) */
    int line;
} ElAccept;

typedef struct {
    int jur;
    double max;          /* Mt of net exports; HUGE_VAL if given as a share */
    double share_of_cap; /* share of the jurisdiction's cap; nan("") if none */
    int line;
} ElExportCap;

/** What an import limit counts (ElImportLimit.sources), as bits; pools may also be listed one
 * by one (ElImportLimit.pools). */
#define EL_IMPORT_LINKS    1u /* tonnes credited on links into the jurisdiction */
#define EL_IMPORT_GROUPS   2u /* its net purchases in full-link groups (positive part only) */
#define EL_IMPORT_OFFSETS  4u /* tonnes credited from every offset pool it accepts */
#define EL_IMPORT_PROJECTS 8u /* joint-project credits it uses (not in the default) */
#define EL_IMPORT_DEFAULT  (EL_IMPORT_LINKS | EL_IMPORT_GROUPS | EL_IMPORT_OFFSETS)
#define EL_IMPORT_ALL      (EL_IMPORT_DEFAULT | EL_IMPORT_PROJECTS)

/** An aggregate limit on the tonnes a jurisdiction has credited from outside its own cap, over
 * the sources it names (docs/model.md §2.1): credited <= max, or <= share x its emissions. */
typedef struct {
    int jur;
    double max;       /* Mt credited; HUGE_VAL if given as a share */
    double share;     /* share of the jurisdiction's emissions (BAU - abatement); nan("") if none */
    unsigned sources; /* EL_IMPORT_* bits */
    int *pools;       /* pools counted one by one (indices, owned), besides EL_IMPORT_OFFSETS */
    int npools;
    int line;
} ElImportLimit;

typedef struct {
    char *id;
    double capacity;      /* Mt of credits a year if built */
    double fixed_cost;    /* million currency a year if built */
    double variable_cost; /* currency per credit used */
    int *members;         /* jurisdiction indices, owned */
    double *shares;       /* share of credits and costs per member, owned; sums to 1 */
    int n;
    int line;
} ElProject;

/** What a variation changes. Quantities in Mt, prices in currency per tonne. */
typedef enum {
    EL_SET_BAU = 0,     /* BAU emissions */
    EL_SET_OUTPUT,      /* output of an intensity cap: cap = benchmark x output, and BAU =
                           bau-intensity x output where BAU was given as an intensity */
    EL_SET_CAP,         /* the cap of an absolute-cap jurisdiction */
    EL_SET_MAC_SHIFT,   /* added to every marginal cost (after the scale) */
    EL_SET_MAC_SCALE,   /* every marginal cost multiplied by it (> 0) */
    EL_SET_FLOOR_PRICE, /* of the floor in force */
    EL_SET_FLOOR_VOLUME,
    EL_SET_CEILING_PRICE, /* of the ceiling in force */
    EL_SET_CEILING_VOLUME,
    EL_SET_PENALTY_PRICE, /* of the penalty in force */
    EL_SET_TAX_RATE,      /* of a tax regime */
    EL_SET_CREDIT_LIMIT,  /* of a tax regime */
    EL_SET_OFFSET_LIMIT,  /* the limit (tonnes credited) of the acceptance of `pool` in force */
    EL_SET_BANK_DRAW,     /* several periods: Mt drawn from the bank this year (negative: put in
                             it); lowers the requirement. Made by the engine, not read from files */
    EL_SET_FIELDS
} ElSetField;

/** The XML attribute name of a field ("bau", "mac-scale", "floor-price", ...). */
const char *el_set_field_name(ElSetField f);
/** The field of an XML attribute name, or -1. */
int el_set_field_parse(const char *name);

typedef struct {
    int jur; /* jurisdiction index */
    ElSetField field;
    int pool; /* EL_SET_OFFSET_LIMIT: pool index; otherwise -1 */
    double value;
    int line; /* line in the scenario file, 0 if made in code */
} ElSet;

/** A list of changes, applied in order (a later change of the same field wins). A plain value:
 * zero-initialise it (ElVariation v = {0}) or use el_variation_init; release with
 * el_variation_clear. */
typedef struct {
    ElSet *sets;
    int n, cap;
} ElVariation;

void el_variation_init(ElVariation *v);
void el_variation_clear(ElVariation *v);
/** Append a change. */
el_status el_variation_add(
    ElVariation *v, int jur, ElSetField field, int pool, double value, int line, ElError *err);
/** Deep copy into *to (a variation, zeroed or in use: its array is reused when large enough). */
el_status el_variation_copy(ElVariation *to, const ElVariation *from, ElError *err);

typedef struct {
    int from, to;       /* jurisdiction indices: entities in `to` may surrender units of `from` */
    double rate;        /* one unit of `from` counts as `rate` tonnes in `to` */
    double quota;       /* max tonnes credited in `to`; HUGE_VAL if none */
    double quota_share; /* max share of `to`'s emissions credited; nan("") if none */
    ElRentTo rent_to;
    int line;
    int start, until; /* several periods: the first and last year it is in force (0: none) */
} ElLink;

typedef struct {
    int *members; /* jurisdiction indices, owned */
    int n;
    int line;
    int start, until; /* several periods: the first and last year it is in force (0: none) */
} ElGroup;

struct ElDesign {
    char *id;
    char *title; /* <design title="...">: how the report names it in prose; NULL if none */
    ElLink *links;
    int nlinks;
    ElGroup *groups;
    int ngroups;
    ElInstrument *instruments; /* override the scenario's for the same jurisdiction and kind */
    int ninstruments;
    ElAccept *accepts; /* override the scenario's for the same pool and jurisdiction */
    int naccepts;
    ElExportCap *export_caps;
    int nexport_caps;
    ElImportLimit *import_limits;
    int nimport_limits;
    ElProject *projects;
    int nprojects;
    ElVariation sets; /* data the design changes (<set> elements): its policy, see below */
    int line;
};

/** An empty design called id (copied). Free with el_design_free. */
el_status el_design_create(ElDesign **out, const char *id, int line, ElError *err);
void el_design_free(ElDesign *d);
/** Set d's title (copied; NULL or "" clears it). */
el_status el_design_set_title(ElDesign *d, const char *title, ElError *err);
/** Deep copy, with a new id if id is not NULL. */
el_status el_design_copy(ElDesign **out, const ElDesign *d, const char *id, ElError *err);

/** Add a link: entities in `to` may surrender units of `from`, each counting as `rate` tonnes.
 * quota = HUGE_VAL and quota_share = nan("") mean none. */
el_status el_design_add_link(ElDesign *d,
                             int from,
                             int to,
                             double rate,
                             double quota,
                             double quota_share,
                             ElRentTo rent_to,
                             int line,
                             ElError *err);
/** Add a full-link group of n members (indices copied). */
el_status el_design_add_group(ElDesign *d, const int *members, int n, int line, ElError *err);
/** Add a price instrument (it overrides the scenario's of the same jurisdiction and kind). */
el_status el_design_add_instrument(
    ElDesign *d, int jur, ElInstrKind kind, double price, double volume, int line, ElError *err);
/** Let jur use credits of pool (overrides the scenario's acceptance of the same pair). */
el_status el_design_add_accept(ElDesign *d,
                               int pool,
                               int jur,
                               double limit,
                               double limit_share,
                               double discount,
                               int line,
                               ElError *err);
/** Cap jur's net exports (max in Mt, or share_of_cap; the other HUGE_VAL / nan("")). */
el_status el_design_add_export_cap(
    ElDesign *d, int jur, double max, double share_of_cap, int line, ElError *err);
/** Limit the tonnes jur has credited from the sources named by `sources` (EL_IMPORT_* bits) and
 * by the npools pool indices in pools (copied; may be NULL when npools is 0): at most max Mt, or
 * at most share x jur's emissions (the other HUGE_VAL / nan("")). */
el_status el_design_add_import_limit(ElDesign *d,
                                     int jur,
                                     double max,
                                     double share,
                                     unsigned sources,
                                     const int *pools,
                                     int npools,
                                     int line,
                                     ElError *err);
/** Add a joint project; members and shares (n entries) are copied. */
el_status el_design_add_project(ElDesign *d,
                                const char *id,
                                double capacity,
                                double fixed_cost,
                                double variable_cost,
                                const int *members,
                                const double *shares,
                                int n,
                                int line,
                                ElError *err);
/** Add a change of data to the design's own variation (a <set> element). */
el_status el_design_add_set(
    ElDesign *d, int jur, ElSetField field, int pool, double value, int line, ElError *err);

/** Check design d against a finished scenario s: indices in range, links and groups
 * well-formed, no exchange-rate loop that creates units, mechanisms consistent, numbers in
 * range, price instruments in order, and its sets applicable (model/data.h). Messages name the
 * scenario file, the element's line and the design. A design must pass before it is solved;
 * the loader checks every design of the file. */
el_status el_design_check(const ElScenario *s, const ElDesign *d, ElError *err);

#endif
