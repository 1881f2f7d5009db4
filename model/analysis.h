/* analysis: what a negotiator asks of a scenario beyond its hand-written designs (docs/
 * scenario-format.md, "Analyses"): design templates with parameters {name}, sweeps over their
 * values, searches for the best feasible values, and linking sequences. This module holds the
 * declarations as loaded and checked; engine/analysis.h runs them.
 *
 * A template is a design whose numeric attributes (and rent-to) may be parameters. It is kept
 * as a design with placeholder values and a list of slots, each saying which field of which
 * element takes which parameter; a point (one value per parameter) is applied to a copy of the
 * design, so that a million points never re-read XML. */
#ifndef EL_ANALYSIS_H
#define EL_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "design.h"

typedef struct ElScenario ElScenario;

/** Which element of a design a slot is in. */
typedef enum {
    EL_SLOT_LINK = 0,
    EL_SLOT_INSTRUMENT,
    EL_SLOT_ACCEPT,
    EL_SLOT_EXPORT_CAP,
    EL_SLOT_PROJECT,
    EL_SLOT_SET,
    EL_SLOT_IMPORT_LIMIT,
    EL_SLOT_KINDS
} ElSlotKind;

typedef struct {
    int param;        /* index into the template's params */
    ElSlotKind kind;  /* element array of the design */
    int index;        /* element index in that array */
    const char *attr; /* attribute name (static storage): "quota", "rent-to", "value" (a set) */
    int line;
} ElSlot;

/** A design with parameters. `design` holds placeholder values (0) where slots are. */
typedef struct {
    ElDesign *design;
    char **params; /* names, in order of first use */
    bool *words;   /* params[k] fills a word attribute (rent-to) */
    int nparams;
    ElSlot *slots;
    int nslots;
} ElTemplate;

/** Does attribute attr of an element of kind k take words (rent-to) rather than numbers? -1 if
 * the attribute cannot be a parameter. */
int el_slot_attr_kind(ElSlotKind k, const char *attr);
/** Does every slot of parameter `param` enter the problem affinely (the right-hand side or the
 * linear costs: quotas, caps, volumes, limits, prices, BAU, a MAC shift), so that within one
 * regime every cost and gain is quadratic in it (docs/model.md §7)? False for exchange rates,
 * discounts, quota and limit shares of emissions, and MAC scales, which enter the matrix. */
bool el_template_param_affine(const ElTemplate *t, int param);
/** The code of a word value of attribute attr ("buyer" -> EL_RENT_BUYER ...), or -1. */
int el_slot_word_code(const char *attr, const char *word);
/** The word of a code (for output). */
const char *el_slot_word_name(const char *attr, int code);

/** Apply values (one per template parameter; a word parameter's value is its code) to d, a copy
 * of t->design (el_design_copy). The caller checks d with el_design_check afterwards. */
void el_template_apply(const ElTemplate *t, const double *values, ElDesign *d);

/* ---- Parameters of an analysis ---- */

typedef enum {
    EL_PARAM_VALUES = 0, /* values="0 5 10" (numbers) or values="buyer seller" (words) */
    EL_PARAM_RANGE,      /* from="0" to="30" count="301": evenly spaced, both ends included */
    EL_PARAM_CONTINUOUS  /* min="0" max="30": any value (searches only) */
} ElParamKind;

typedef struct {
    char *name;
    int slot; /* index among the template's params */
    ElParamKind kind;
    bool words;      /* values are words; value k is then words_code[k] */
    double *values;  /* EL_PARAM_VALUES: nvalues numbers (word codes for words) */
    char **text;     /* EL_PARAM_VALUES: the values as written (for output) */
    long nvalues;    /* EL_PARAM_VALUES: count; EL_PARAM_RANGE: count */
    double from, to; /* EL_PARAM_RANGE */
    double min, max; /* EL_PARAM_CONTINUOUS */
    int line;
} ElParam;

/** Value k of a discrete parameter (VALUES or RANGE). */
double el_param_value(const ElParam *p, long k);
/** Number of values of a discrete parameter; 0 for a continuous one. */
long el_param_count(const ElParam *p);

/* ---- Criteria ---- */

/** What a criterion measures (the `what` attribute). */
typedef enum {
    EL_WHAT_GAIN = 0,
    EL_WHAT_PRICE,
    EL_WHAT_ABATEMENT,
    EL_WHAT_NET_IMPORTS,
    EL_WHAT_EMISSIONS,
    EL_WHAT_NDC_MARGIN,
    EL_WHAT_MIN_GAIN,   /* the least gain of any jurisdiction */
    EL_WHAT_TOTAL_GAIN, /* the design's total gain (ROW's surplus included) */
    EL_WHAT_COUNT
} ElWhat;

const char *el_what_name(ElWhat w);
int el_what_parse(const char *name);

#define EL_OF_TOTAL (-1)

typedef struct {
    ElWhat what;
    int of;       /* jurisdiction index or EL_OF_TOTAL */
    bool at_most; /* a requirement: value <= bound (else >= bound) */
    double bound; /* a requirement's bound */
    int line;
} ElCriterion;

/* ---- Analyses ---- */

typedef enum {
    EL_ANALYSIS_SWEEP = 0,
    EL_ANALYSIS_SEARCH,
    EL_ANALYSIS_SEQUENCE,
    EL_ANALYSIS_COALITIONS,
    EL_ANALYSIS_UNCERTAINTY
} ElAnalysisKind;

/* ---- Uncertainty (docs/model.md §9) ---- */

typedef enum {
    EL_DIST_NORMAL = 0,
    EL_DIST_LOGNORMAL
} ElDist;

/** One shock: the quantity `on` of a jurisdiction (EL_SET_BAU, EL_SET_OUTPUT, EL_SET_CAP: a
 * level with standard deviation sd in its own unit; EL_SET_MAC_SCALE: the multiplier of the
 * marginal costs, mean 1, standard deviation sd). Normal: level + sd z. Lognormal: the level
 * times exp(sigma z - sigma^2 / 2), sigma^2 = ln(1 + (sd / level)^2): the same mean and
 * standard deviation, never negative. */
typedef struct {
    char *id; /* optional (for <correlation a b>); NULL */
    int jur;
    ElSetField on;
    double sd;
    ElDist dist;
    int line;
} ElShock;

/** The draws of an <uncertainty>: shocks and their correlation (nshocks^2, row-major; identity
 * unless a <correlation> says otherwise). */
typedef struct {
    long draws;
    uint64_t seed;
    ElShock *shocks;
    int nshocks;
    double *corr;
    int *corr_line; /* the line of the <correlation> that set each entry, or 0 */
} ElUncertainty;

/** Most draws of one <uncertainty>. */
#define EL_UNCERTAINTY_MAX_DRAWS 100000000L
/** Most shocks of one <uncertainty>. */
#define EL_UNCERTAINTY_MAX_SHOCKS 256

#define EL_SEARCH_MAX_OBJECTIVES 2

typedef struct {
    char *id;
    ElAnalysisKind kind;
    const ElTemplate *tmpl; /* sweep, search: borrowed from the scenario */
    char *design_id;        /* as written */
    ElParam *params;        /* sweep, search: one per template parameter, in the file's order */
    int nparams;
    long points; /* sweep: the number of points (product of the counts) */
    ElCriterion objective[EL_SEARCH_MAX_OBJECTIVES];
    int nobjectives;
    ElCriterion *require;
    int nrequire;
    int *designs;       /* sequence: indices of the scenario's designs, in order; coalitions: the
                           members (jurisdiction indices) */
    int nsteps;         /* ... and their number */
    int rules;          /* coalitions: the design whose elements apply in every coalition, or -1 */
    ElUncertainty *unc; /* uncertainty: the draws; `designs` the designs (all by default) */
    int line;
} ElAnalysis;

/** The values (template order, word codes for words) of sweep point i: the last parameter in
 * the file varies fastest. */
void el_sweep_point(const ElAnalysis *a, long i, double *values);

/** The templates and analyses of a scenario (owned by it). */
typedef struct {
    ElTemplate **templates;
    int ntemplates;
    ElAnalysis **analyses;
    int nanalyses;
} ElAnalyses;

void el_analyses_free(ElAnalyses *x);
void el_template_free(ElTemplate *t);
void el_analysis_free(ElAnalysis *a);
/** The template called id, or NULL. */
const ElTemplate *el_analyses_find_template(const ElAnalyses *x, const char *id);
/** The analysis called id, or NULL. */
const ElAnalysis *el_analyses_find(const ElAnalyses *x, const char *id);

/** Check analysis a of the finished scenario s: every template parameter bound exactly once,
 * word parameters only in word attributes, and the template checked (el_design_check) at the
 * ends of every parameter's range. Messages name the file, the analysis' line and the
 * parameter. */
el_status el_analysis_check(const ElScenario *s, const ElAnalysis *a, ElError *err);

/** Most combinations of discrete parameters a search with a continuous parameter may have: all
 * are searched at once, each keeping a few hundred samples (about 10 kB). */
#define EL_SEARCH_MAX_LINES 10000L
/** Most points one round of a search may evaluate (combinations x scan points, or x the 4,096
 * points of the starting grid of several continuous parameters). */
#define EL_SEARCH_MAX_ROUND 2000000L
/** Most members of a <coalitions> game: 2^25 coalitions (engine/coalition.h). */
#define EL_COALITION_MEMBERS_MAX 25
/** Most continuous parameters of one search (they are optimised one at a time, in cycles). */
#define EL_SEARCH_MAX_CONTINUOUS 8

/** Check the sizes of every analysis of s against its settings (sweep_max_points) and
 * EL_SEARCH_MAX_LINES: a larger sweep or search is refused before anything is solved, naming
 * the setting that allows it. */
el_status el_analyses_check_limits(const ElScenario *s, ElError *err);

#endif
