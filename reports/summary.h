/* summary: streaming statistics of many designs, for the report's summary mode (report.h): the
 * designs ranked first and last by total gain, an exact histogram of total gains, exact minimum,
 * maximum and mean, and a deterministic sample for quantiles of prices and gains per
 * jurisdiction. Memory is O(top + bottom + histogram bins + sample rows x jurisdictions shown),
 * whatever the number of designs; the result is the same for the same designs in the same order
 * (batches deliver in item order whatever the number of threads). */
#ifndef EL_SUMMARY_H
#define EL_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "equilibrium.h"

/* ---- Ranking: the first or last `cap` entries in rank order, in O(cap) memory ---- */

/** The figures of a design the comparison and the ranking show (el_summary_design_figures).
 * Units: Mt, currency per tonne, millions of currency. */
typedef struct {
    double spread;        /* highest minus lowest price among the members of its links and
                             groups; NaN when fewer than two jurisdictions are linked */
    double traded;        /* tonnes credited to buyers from links, groups and offset pools */
    double rents;         /* scarcity rents: tonnes credited from links, groups and offset pools
                             valued at the buyer's price, minus what was paid for them (binding
                             quotas, export caps, import limits, offset and credit limits) */
    double emissions;     /* covered emissions, all jurisdictions */
    double ndc_emissions; /* NDC-accounted emissions (corresponding adjustments), all */
    double gov_revenue;   /* governments' revenue, all */
    double firms_cost;    /* covered firms' compliance cost, all */
} ElDesignFigures;

/** One ranked design. Rank order: higher gain first, then lower index. */
#define EL_RANK_ID_SIZE    80  /* longer ids are cut at a character boundary */
#define EL_RANK_TITLE_SIZE 128 /* ... and titles and descriptions of own rules */
typedef struct {
    long index;                     /* item index (file order) */
    char id[EL_RANK_ID_SIZE];       /* the design's id */
    char title[EL_RANK_TITLE_SIZE]; /* its title, or "" */
    char own[EL_RANK_TITLE_SIZE];   /* the members' own rules it changes (el_design_own_rules) */
    double gain;                    /* total gain */
    double total_cost;              /* real resource cost */
    ElDesignFigures fig;
} ElRanked;

typedef struct {
    int cap, n;
    bool last;   /* keep the last `cap` in rank order (else the first) */
    ElRanked *e; /* a heap while adding; in rank order after el_rank_sort */
} ElRank;

/** Start an empty ranking keeping the first (last = false) or last cap entries. */
el_status el_rank_init(ElRank *rk, int cap, bool last, ElError *err);
/** Offer e (copied). */
void el_rank_add(ElRank *rk, const ElRanked *e);
/** Copy id into e->id, cut at a character boundary to fit. */
void el_rank_set_id(ElRanked *e, const char *id);
/** Copy text (may be NULL: "") into buf of size bytes, cut at a character boundary to fit. */
void el_rank_copy_text(char *buf, size_t size, const char *text);
/** Sort the kept entries into rank order (no more el_rank_add afterwards). */
void el_rank_sort(ElRank *rk);
void el_rank_clear(ElRank *rk);
/** True if a comes before b in rank order. */
bool el_rank_before(const ElRanked *a, const ElRanked *b);

/* ---- An exact histogram with adaptive bins ---- */

/** Bins [k w, (k+1) w) for k = k0 .. k0 + EL_HIST_BINS - 1, w a power of two. When a value falls
 * outside, w doubles (neighbouring bins merge) until it fits, so every count stays exact. */
#define EL_HIST_BINS 128
typedef struct {
    long n;     /* values added */
    int e;      /* w = 2^e */
    int64_t k0; /* first bin */
    long count[EL_HIST_BINS];
    double lo, hi; /* smallest and largest value */
} ElHist;

void el_hist_init(ElHist *h);
void el_hist_add(ElHist *h, double v);
/** Merge bins (doubling the width) until the bins from the lowest to the highest value number at
 * most max_bins (1 .. EL_HIST_BINS); then *first is the first such bin, *nbins their number and
 * the bin width is ldexp(1, h->e): bin i is [(first + i) w, (first + i + 1) w). */
void el_hist_shrink(ElHist *h, int max_bins, int64_t *first, int *nbins);
/** The count of bin k (0 outside the window). */
long el_hist_count(const ElHist *h, int64_t k);

/* ---- A deterministic uniform sample of rows (reservoir sampling) ---- */

typedef struct {
    int cap, ncols, n; /* room, values per row, rows held */
    long seen;         /* rows offered */
    uint64_t state;    /* splitmix64 */
    double *rows;      /* cap x ncols */
    double *tmp;       /* cap: column sorted_col sorted, for quantiles */
    int sorted_col;    /* -1: none */
} ElSample;

/** Room for cap rows of ncols values; seed fixes which rows are kept. */
el_status el_sample_init(ElSample *sm, int cap, int ncols, uint64_t seed, ElError *err);
/** Offer one row (ncols values, copied). Every row offered so far is held with the same
 * probability cap / seen (algorithm R); all are held while seen <= cap. */
void el_sample_add(ElSample *sm, const double *row);
/** The p-quantile (0 <= p <= 1) of column col of the rows held: linear interpolation between
 * order statistics at h = (n - 1) p (Hyndman and Fan type 7, R's and numpy's default). NaN if no
 * row is held. Exact for all rows offered while seen <= cap. */
double el_sample_quantile(ElSample *sm, int col, double p);
void el_sample_clear(ElSample *sm);

/* ---- The collector ---- */

#define EL_SUMMARY_TOP    20   /* designs ranked first in the report */
#define EL_SUMMARY_BOTTOM 5    /* ... and last */
#define EL_SUMMARY_JUR    24   /* jurisdictions with distributions (the first in file order) */
#define EL_SUMMARY_SAMPLE 2048 /* sample rows for quantiles */
#define EL_SUMMARY_NAMED  10   /* designs without an equilibrium named */
#define EL_SUMMARY_SEED   0x5EEDE75ULL

typedef struct {
    const ElScenario *s; /* borrowed */
    long count;          /* designs offered (index >= 0) */
    long nsolved;
    ElDesignResult autarky; /* copy of the baseline */
    bool has_autarky;
    ElDesignResult best; /* copy of the best-ranked design so far */
    long best_index;     /* -1: none yet */
    ElRanked best_best;  /* its ranking entry (id, title, own rules) */
    ElRanked best_pure;  /* the best design that changes no member's own rules (index -1: none) */
    ElRanked worst_link; /* the least-gaining design that is not empty (index -1: none); an
                            empty design is the baseline itself, not a linkage design */
    long nown;           /* designs with an equilibrium that change members' own rules */
    long nempty;         /* designs that change nothing (the baseline itself) */
    long nemissions;     /* designs with an equilibrium whose NDC-accounted emissions differ
                            from autarky's (by more than EL_EMISSIONS_TOL) */
    ElRank top, bottom;
    ElHist gains;    /* total gains */
    double gain_sum; /* for the mean */
    int njur;        /* jurisdictions with distributions: min(njur, EL_SUMMARY_JUR) */
    double *price_min, *price_max, *price_sum, *gain_min, *gain_max, *gain_sum_j; /* njur */
    ElSample sample; /* rows: total gain, njur prices, njur gains */
    long nfailed;
    int nnamed;
    char *named[EL_SUMMARY_NAMED];        /* ids of the first designs without an equilibrium */
    char *named_title[EL_SUMMARY_NAMED];  /* their titles (NULL: none) */
    double named_short[EL_SUMMARY_NAMED]; /* their total shortfall (Mt) */
} ElSummary;

/** Start collecting for scenario s (borrowed). *out is owned by the caller (el_summary_free). */
el_status el_summary_create(ElSummary **out, const ElScenario *s, ElError *err);
/** Add the result of design `index` (-1: the baseline, kept as autarky). */
el_status el_summary_add(ElSummary *sm, long index, const ElDesignResult *r, ElError *err);
/** Sort the rankings; call once, after the last el_summary_add. */
void el_summary_finish(ElSummary *sm);
void el_summary_free(ElSummary *sm);
/** A sink that adds every result to sm (borrowed) and finishes it at end. */
ElSink el_summary_sink(ElSummary *sm);

/** The figures of result r (its design r->design may be NULL: the baseline, nothing linked). */
void el_summary_design_figures(const ElDesignResult *r, ElDesignFigures *out);

/** NDC-accounted emissions that differ from autarky's by more than this (relative to 1 + the
 * total) make the summary say that a design changes what is achieved, not only costs. */
#define EL_EMISSIONS_TOL 1e-6

/** The members' own rules design d changes: its price instruments (floor, ceiling, penalty),
 * its changes of data (<set>), and acceptances of offset credits produced at home (a pool
 * hosted by the accepting jurisdiction). Links, groups, export caps, import limits, foreign
 * offsets and joint projects are linking, not own rules. Writes "KR: floor; CN: own offsets
 * (CCER)" into buf (size bytes; cut at a character boundary; may be NULL) and returns how many
 * changes there are. d may be NULL (0). */
int el_design_own_rules(const ElScenario *s, const ElDesign *d, char *buf, size_t size);
/** True if d changes nothing: no link, group, instrument, acceptance, cap, limit, project or
 * change of data (it is the autarky baseline under another id). */
bool el_design_is_empty(const ElDesign *d);

#endif
