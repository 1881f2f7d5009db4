/* The report's section on a several-period run (report_periods.h; docs/guide.md §8,
 * docs/model.md §10). After the designs' tables, which show the first year, it shows:
 * - a table of present values per design and jurisdiction: national cost, gain against the
 *   baseline, and the years the jurisdiction is in a link or group in force;
 * - price paths: one panel per design (autarky first), a line per jurisdiction over the years,
 *   in each year's money; dashed lines mark the years the links and groups in force change;
 * - bank balances at the end of each year, one panel per design that banks or borrows;
 * - cumulative present values of the gains: one panel per jurisdiction, a line per design,
 *   the baseline's cost so far less the design's (cost_so_far: discounted national costs up to
 *   year t less the bank held at its end, valued at that year's price, or in the last year at
 *   the terminal value), so that each line ends at the jurisdiction's PV gain.
 * What is kept is bounded whatever the number of designs offered: the baseline and up to
 * EL_REPORT_PERIODS_KEEP designs (past that number, those of the highest PV total gain), the
 * first EL_REPORT_PERIODS_JUR jurisdictions and every year. What is drawn is bounded too: at
 * most DRAW_DESIGNS designs (the highest PV total gains) and DRAW_JUR jurisdictions, six panels
 * to a page; the text says what is left out. Designs that change nothing are listed in the
 * table and not drawn (their paths are autarky's). As in report_latex.c every string goes
 * through el_fmt_tex, every number through el_fmt_fixed or el_fmt_num, a few coordinates to a
 * line, and nothing depends on the time or the locale. */
#include "report_periods.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "fmt.h"
#include "report.h"
#include "report_analysis.h"
#include "report_tex.h"
#include "scenario.h"
#include "summary.h"

#define DRAW_DESIGNS 7 /* designs drawn (and autarky in the price and bank panels) */
#define DRAW_JUR     EL_REPORT_TEX_COLORS /* jurisdictions drawn: one colour each */
#define PANELS       6                    /* panels to a page (3 by 2) */
#define MAX_FAILED   8                    /* designs without an equilibrium named */
#define MAX_RANGES   4                    /* runs of link years listed before "and N more" */
#define PER_LINE     6                    /* coordinates per line of report.tex */
#define LEGEND_CHARS 120  /* characters of \small text a legend line holds, marks included */
#define BANK_EPS     1e-6 /* Mt: smaller banks are taken as none */
#define TABLE_JUR    5    /* jurisdictions per block of the table of present values */
#define NUM_COLUMN   ">{\\raggedleft\\arraybackslash}p{1.3cm}" /* a number in the table */
#define PAIR_COLUMN  ">{\\centering\\arraybackslash}p{\\dimexpr 2.6cm+2\\tabcolsep}" /* two */

typedef struct {
    long index; /* the design's number - 1 (delivery order); -1: the baseline */
    char id[EL_RANK_ID_SIZE];
    char title[EL_RANK_TITLE_SIZE];
    bool empty;            /* the design changes nothing: autarky under another id */
    double pv_total_gain;  /* million currency of the first year */
    double pv_cost_all;    /* PV national cost, every jurisdiction */
    double *price;         /* [t nj + j]: each year's price, that year's money */
    double *bank;          /* [t nj + j]: units held at the end of year t (Mt; < 0 borrowed) */
    double *cum;           /* [t nj + j]: PV of the gain over the years up to t */
    double *pv_cost;       /* [j] */
    double *pv_gain;       /* [j] */
    unsigned char *linked; /* [t nj + j]: j is in a link or group in force in year t */
    unsigned char *change; /* [t]: the links and groups in force differ from year t - 1's */
} PDesign;

struct ElReportPeriods {
    const ElScenario *s; /* borrowed */
    int T, first, nj;    /* years first .. first + T - 1; jurisdictions kept */
    bool has_base;
    PDesign base;
    double *base_cost; /* [t nj + j]: the baseline's cost so far (cost_so_far) */
    PDesign d[EL_REPORT_PERIODS_KEEP];
    int nd;
    long offered; /* designs offered (the baseline not counted) */
    long dropped; /* designs with an equilibrium not kept (past EL_REPORT_PERIODS_KEEP) */
    long nfailed; /* designs without an equilibrium over the horizon */
    int nnamed;
    char failed[MAX_FAILED][EL_RANK_ID_SIZE];
    long failed_index[MAX_FAILED];
};

/* ---- Keeping ---- */

static void pdesign_clear(PDesign *p)
{
    el_free(p->price);
    el_free(p->bank);
    el_free(p->cum);
    el_free(p->pv_cost);
    el_free(p->pv_gain);
    el_free(p->linked);
    el_free(p->change);
    memset(p, 0, sizeof(*p));
}

void el_report_periods_free(ElReportPeriods *x)
{
    int k;
    if (!x)
        return;
    pdesign_clear(&x->base);
    for (k = 0; k < x->nd; k++)
        pdesign_clear(&x->d[k]);
    el_free(x->base_cost);
    el_free(x);
}

/* True if the links and groups in force in two years are the same (both are copies of one
 * design filtered by year, el_design_in_year, so they are compared element by element). */
static bool same_links(const ElDesign *a, const ElDesign *b)
{
    int k;
    if (!a || !b)
        return !a && !b;
    if (a->nlinks != b->nlinks || a->ngroups != b->ngroups)
        return false;
    for (k = 0; k < a->nlinks; k++)
        if (a->links[k].from != b->links[k].from || a->links[k].to != b->links[k].to ||
            a->links[k].start != b->links[k].start || a->links[k].until != b->links[k].until)
            return false;
    for (k = 0; k < a->ngroups; k++)
        if (a->groups[k].n != b->groups[k].n || a->groups[k].start != b->groups[k].start ||
            a->groups[k].until != b->groups[k].until ||
            memcmp(a->groups[k].members, b->groups[k].members,
                   (size_t)a->groups[k].n * sizeof(*a->groups[k].members)) != 0)
            return false;
    return true;
}

/* The present value of each kept jurisdiction's national cost over the years up to t, less the
 * value of the bank it holds at the end of year t, into out[t nj + j]: at that year's price
 * (discounted; a borrowed unit is a debt) before the last year, and at the terminal value in
 * the last, as in pv_cost (engine/periods.h). Counting the bank at its price makes the figure
 * independent of how a linked market's bank is split among its members (docs/model.md §10)
 * where the bank earns the discount rate (Hotelling), and makes it end at PV national cost. */
static void cost_so_far(const ElReportPeriods *x, const ElMultiResult *r, double *out)
{
    const ElPeriods *per = &x->s->periods;
    int t, j, nj = x->nj;
    for (j = 0; j < nj; j++) {
        double sum = 0;
        for (t = 0; t < x->T; t++) {
            double n = r->bank[(size_t)t * (size_t)r->njur + (size_t)j];
            double value =
                t < x->T - 1 ? r->year[t].jur[j].price * n : per->terminal_value * fmax(n, 0);
            sum += r->discount[t] * r->year[t].jur[j].national_cost;
            out[(size_t)t * (size_t)nj + (size_t)j] = sum - r->discount[t] * value;
        }
    }
}

/* Fill p from r (solved): the kept jurisdictions' series and present values. */
static el_status pdesign_fill(ElReportPeriods *x,
                              PDesign *p,
                              long index,
                              const ElDesign *d,
                              const ElMultiResult *r,
                              ElError *err)
{
    size_t n = (size_t)x->T * (size_t)x->nj;
    int t, j, k, T = x->T, nj = x->nj;
    memset(p, 0, sizeof(*p));
    p->index = index;
    el_rank_copy_text(p->id, sizeof(p->id), d ? d->id : "autarky");
    el_rank_copy_text(p->title, sizeof(p->title), d ? d->title : NULL);
    p->empty = el_design_is_empty(d);
    p->pv_total_gain = r->pv_total_gain;
    p->price = el_calloc(n, sizeof(*p->price));
    p->bank = el_calloc(n, sizeof(*p->bank));
    p->cum = el_calloc(n, sizeof(*p->cum));
    p->pv_cost = el_calloc((size_t)nj, sizeof(*p->pv_cost));
    p->pv_gain = el_calloc((size_t)nj, sizeof(*p->pv_gain));
    p->linked = el_calloc(n, sizeof(*p->linked));
    p->change = el_calloc((size_t)T, sizeof(*p->change));
    if (!p->price || !p->bank || !p->cum || !p->pv_cost || !p->pv_gain || !p->linked ||
        !p->change) {
        pdesign_clear(p);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report, several periods)");
    }
    for (j = 0; j < r->njur; j++)
        p->pv_cost_all += r->pv_cost[j];
    for (t = 0; t < T; t++) {
        const ElDesign *in = r->designs[t];
        for (j = 0; j < nj; j++) {
            size_t at = (size_t)t * (size_t)nj + (size_t)j;
            p->price[at] = r->year[t].jur[j].price;
            p->bank[at] = r->bank[(size_t)t * (size_t)r->njur + (size_t)j];
        }
        for (k = 0; in && k < in->nlinks; k++) {
            if (in->links[k].from < nj)
                p->linked[(size_t)t * (size_t)nj + (size_t)in->links[k].from] = 1;
            if (in->links[k].to < nj)
                p->linked[(size_t)t * (size_t)nj + (size_t)in->links[k].to] = 1;
        }
        for (k = 0; in && k < in->ngroups; k++) {
            int m;
            for (m = 0; in->groups[k].n > 1 && m < in->groups[k].n; m++)
                if (in->groups[k].members[m] < nj)
                    p->linked[(size_t)t * (size_t)nj + (size_t)in->groups[k].members[m]] = 1;
        }
        p->change[t] = t > 0 && !same_links(r->designs[t - 1], in);
    }
    for (j = 0; j < nj; j++) {
        p->pv_cost[j] = r->pv_cost[j];
        p->pv_gain[j] = r->pv_gain[j];
    }
    cost_so_far(x, r, p->cum);
    for (k = 0; x->base_cost && (size_t)k < n; k++)
        p->cum[k] = x->base_cost[k] - p->cum[k];
    return EL_OK;
}

/* The kept design that goes first when one must go: the lowest PV total gain, then the later. */
static int worst_kept(const ElReportPeriods *x)
{
    int k, w = 0;
    for (k = 1; k < x->nd; k++)
        if (x->d[k].pv_total_gain < x->d[w].pv_total_gain ||
            (x->d[k].pv_total_gain == x->d[w].pv_total_gain && x->d[k].index > x->d[w].index))
            w = k;
    return w;
}

static el_status add_base(ElReportPeriods *x, const ElMultiResult *r, ElError *err)
{
    el_status st;
    x->base_cost = el_calloc((size_t)x->T * (size_t)x->nj, sizeof(*x->base_cost));
    if (!x->base_cost)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report, several periods)");
    cost_so_far(x, r, x->base_cost);
    st = pdesign_fill(x, &x->base, -1, NULL, r, err);
    x->has_base = st == EL_OK;
    return st;
}

static el_status
add_design(ElReportPeriods *x, const ElDesign *d, const ElMultiResult *r, ElError *err)
{
    long index = x->offered++;
    PDesign p;
    el_status st;
    int w;
    if (r->outcome != EL_OPTIMAL) {
        if (x->nnamed < MAX_FAILED) {
            el_rank_copy_text(x->failed[x->nnamed], sizeof(x->failed[0]), d->id);
            x->failed_index[x->nnamed++] = index;
        }
        x->nfailed++;
        return EL_OK;
    }
    if (x->nd == EL_REPORT_PERIODS_KEEP) {
        w = worst_kept(x);
        x->dropped++;
        if (r->pv_total_gain <= x->d[w].pv_total_gain)
            return EL_OK; /* ties: the earlier design stays */
    } else {
        w = x->nd;
    }
    st = pdesign_fill(x, &p, index, d, r, err);
    if (st != EL_OK)
        return st;
    if (w < x->nd)
        pdesign_clear(&x->d[w]);
    else
        x->nd++;
    x->d[w] = p;
    return EL_OK;
}

el_status el_report_writer_periods(
    ElReportWriter *w, const ElScenario *s, const ElDesign *d, const ElMultiResult *r, ElError *err)
{
    ElReportPeriods **slot = el_report_analyses_periods_slot(el_report_writer_analyses(w));
    ElReportPeriods *x = *slot;
    if (!x) {
        if (d || r->outcome != EL_OPTIMAL || r->nperiods < 1 || r->njur != s->njur)
            return el_error_set(err, EL_ERR_INTERNAL,
                                "report: several periods: the baseline must come first, solved");
        x = el_calloc(1, sizeof(*x));
        if (!x)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (report, several periods)");
        x->s = s;
        x->T = r->nperiods;
        x->first = r->first;
        x->nj = s->njur < EL_REPORT_PERIODS_JUR ? s->njur : EL_REPORT_PERIODS_JUR;
        *slot = x;
        return add_base(x, r, err);
    }
    if (!d || !x->has_base || (r->outcome == EL_OPTIMAL && r->nperiods != x->T))
        return el_error_set(err, EL_ERR_INTERNAL,
                            "report: several periods: a design without the baseline's years");
    return add_design(x, d, r, err);
}

/* ---- Writing ---- */

static void tex(FILE *f, const char *s)
{
    el_fmt_tex(f, s);
}

static void cur(FILE *f, const ElReportPeriods *x)
{
    tex(f, x->s->currency);
}

/* The years first .. last as "2026--2035". */
static void years(FILE *f, int first, int last)
{
    if (first == last)
        fprintf(f, "%d", first);
    else
        fprintf(f, "%d--%d", first, last);
}

/* The kept designs in number order, into idx; returns their number. */
static int kept_in_order(const ElReportPeriods *x, int *idx)
{
    int k, i, n = 0;
    for (k = 0; k < x->nd; k++) {
        for (i = n; i > 0 && x->d[idx[i - 1]].index > x->d[k].index; i--)
            idx[i] = idx[i - 1];
        idx[i] = k;
        n++;
    }
    return n;
}

/* The designs drawn: those that change something, the DRAW_DESIGNS of highest PV total gain
 * (ties: the earlier) when there are more, in number order. Returns their number; *nchanging:
 * the kept designs that change something. */
static int drawn(const ElReportPeriods *x, int *idx, int *nchanging)
{
    int order[EL_REPORT_PERIODS_KEEP], k, i, n = 0, m;
    n = kept_in_order(x, order);
    for (k = 0, m = 0; k < n; k++)
        if (!x->d[order[k]].empty)
            order[m++] = order[k];
    *nchanging = m;
    while (m > DRAW_DESIGNS) { /* drop the lowest gain, the later on ties */
        int w = 0;
        for (k = 1; k < m; k++)
            if (x->d[order[k]].pv_total_gain <= x->d[order[w]].pv_total_gain)
                w = k;
        for (k = w; k < m - 1; k++)
            order[k] = order[k + 1];
        m--;
    }
    for (i = 0; i < m; i++)
        idx[i] = order[i];
    return m;
}

/* A series' coordinates (year, v[t nj + j]) for t = 0 .. T - 1. */
static void series(FILE *f, const ElReportPeriods *x, const double *v, int j)
{
    int t;
    fputs(" coordinates {", f);
    for (t = 0; t < x->T; t++) {
        if (t > 0 && t % PER_LINE == 0)
            fputc('\n', f);
        fprintf(f, "(%d,", x->first + t);
        el_fmt_num(f, v[(size_t)t * (size_t)x->nj + (size_t)j]);
        fputc(')', f);
    }
    fputs("};\n", f);
}

/* The style of series k: its colour, its mark, a mark on every few points for long horizons. */
static void series_style(FILE *f, const ElReportPeriods *x, int k)
{
    fputs("thick, color=", f);
    el_report_tex_series_color(f, k);
    fprintf(f,
            ", mark=%s, mark size=1.7pt, mark options={solid, fill=", el_report_tex_series_mark(k));
    el_report_tex_series_color(f, k);
    fputs("}", f);
    if (x->T > 16)
        fprintf(f, ", mark repeat=%d", (x->T + 11) / 12);
}

/* A legend of n series above a figure, names by jurisdiction (designs == NULL) or by design
 * ("N. id"): on one line, or in as many columns as fit the line (ids are cut at 36 characters,
 * about 0.2 cm each in \small, and a line holds some LEGEND_CHARS with the marks). */
static void legend(FILE *f, const ElReportPeriods *x, int n, const int *designs)
{
    size_t longest = 1;
    int k, cols;
    for (k = 0; k < n; k++) {
        size_t len = strlen(designs ? x->d[designs[k]].id : x->s->jur[k].id) + 4;
        longest = len > longest ? len : longest;
    }
    longest = longest < 40 ? longest : 40;
    for (cols = n; cols > 1 && (size_t)cols * (longest + 8) > LEGEND_CHARS; cols--)
        ;
    fputs("\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[hide axis, scale only axis, "
          "width=1mm, height=1mm, xmin=0, xmax=1, ymin=0, ymax=1, legend columns=",
          f);
    fprintf(f, "%d", cols);
    fputs(", legend style={draw=black!30, font=\\small, at={(0.5,0.5)}, anchor=center, "
          "/tikz/every even column/.append style={column sep=1em}}]\n",
          f);
    for (k = 0; k < n; k++) {
        fputs("\\addlegendimage{", f);
        series_style(f, x, k);
        fputs("}\n\\addlegendentry{", f);
        if (designs) {
            fprintf(f, "%ld.~", x->d[designs[k]].index + 1);
            el_report_tex_short_id(f, x->d[designs[k]].id);
        } else {
            el_report_tex_short_id(f, x->s->jur[k].id);
        }
        fputs("}\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n", f);
}

/* The ticks of the year axis: about six, at a round step. */
static void year_ticks(FILE *f, const ElReportPeriods *x)
{
    static const int steps[] = {1, 2, 5, 10, 20, 25, 50, 100};
    int k, step = steps[0], last = x->first + x->T - 1;
    for (k = 0; k < (int)(sizeof(steps) / sizeof(steps[0])); k++) {
        step = steps[k];
        if ((x->T - 1) / step <= 6)
            break;
    }
    fputs("xtick={", f);
    for (k = x->first; k <= last; k += step)
        fprintf(f, "%s%d", k == x->first ? "" : ",", k);
    fprintf(f, "}, xmin=%d, xmax=%d", x->first, last);
}

/* What a figure's y axis shows. */
typedef enum {
    Y_PRICE,
    Y_BANK,
    Y_GAIN
} YLabel;

/* Open a group of up to PANELS panels of a figure. */
static void group_begin(FILE *f, const ElReportPeriods *x, YLabel y)
{
    fputs("\\begin{center}\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group "
          "size=3 by 2, horizontal sep=20mm, vertical sep=19mm}, scale only axis, width=6.4cm, "
          "height=4.2cm, xlabel={year}, ylabel={",
          f);
    if (y == Y_BANK) {
        fputs("bank (Mt)", f);
    } else {
        fputs(y == Y_PRICE ? "price (" : "PV gain so far (M ", f);
        cur(f, x);
        fputs(y == Y_PRICE ? "/t)" : ")", f);
    }
    fputs("}, ", f);
    year_ticks(f, x);
    fputs(", scaled ticks=false, x tick label style={/pgf/number format/1000 sep={}}, y tick "
          "label style={/pgf/number format/fixed, /pgf/number format/1000 sep={\\,}}, tick label "
          "style={font=\\scriptsize}, label "
          "style={font=\\small}, title style={font=\\small\\bfseries}, xmajorgrids, ymajorgrids, "
          "grid style={black!12}]\n",
          f);
}

static void group_end(FILE *f)
{
    fputs("\\end{groupplot}\n\\end{tikzpicture}\n\\end{center}\n", f);
}

/* Before panel k of a figure: a new group (and page) every PANELS panels, under the figure's
 * legend again (nleg series, by design when designs is given). */
static void
panel_break(FILE *f, const ElReportPeriods *x, int k, YLabel y, int nleg, const int *designs)
{
    if (k > 0 && k % PANELS == 0) {
        group_end(f);
        el_report_tex_need_cm(f, 14);
        legend(f, x, nleg, designs);
        group_begin(f, x, y);
    }
}

/* A panel's title: "autarky" or "N. id". */
static void panel_title(FILE *f, const PDesign *p)
{
    fputs("\\nextgroupplot[title={", f);
    if (p->index >= 0)
        fprintf(f, "%ld.~", p->index + 1);
    el_report_tex_short_id(f, p->id);
    fputs("}", f);
}

/* Dashed lines at the years the links and groups in force change (options of a panel). */
static void change_lines(FILE *f, const ElReportPeriods *x, const PDesign *p)
{
    int t, n = 0;
    for (t = 1; t < x->T; t++)
        if (p->change[t])
            fprintf(f, "%s%d", n++ == 0 ? ", extra x ticks={" : ",", x->first + t);
    if (n > 0)
        fputs("}, extra x tick labels={}, extra x tick style={grid=major, major grid "
              "style={black!55, dashed, thick}}",
              f);
}

/* A zero line across a panel (options). */
static void zero_line(FILE *f)
{
    fputs(", extra y ticks={0}, extra y tick labels={}, extra y tick style={grid=major, major "
          "grid style={black!60}}",
          f);
}

static void range(FILE *f, double lo, double hi, const char *which)
{
    double pad;
    if (!(hi > lo)) {
        lo -= 1;
        hi += 1;
    }
    pad = 0.06 * (hi - lo);
    fprintf(f, ", %smin=", which);
    el_fmt_num(f, lo < 0 ? lo - pad : lo);
    fprintf(f, ", %smax=", which);
    el_fmt_num(f, hi + pad);
}

/* The panels of the designs ps (n of them), a line per drawn jurisdiction: prices (each panel on
 * its own scale from zero, so that the paths' shapes show) or banks (one scale for all, with a
 * zero line). */
static void
design_panels(FILE *f, const ElReportPeriods *x, const PDesign *const *ps, int n, bool bank)
{
    int k, j, t, nj = x->nj < DRAW_JUR ? x->nj : DRAW_JUR;
    double lo = 0, hi = 0;
    for (k = 0; k < n; k++)
        for (t = 0; t < x->T; t++)
            for (j = 0; j < nj; j++) {
                double v =
                    (bank ? ps[k]->bank : ps[k]->price)[(size_t)t * (size_t)x->nj + (size_t)j];
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
    group_begin(f, x, bank ? Y_BANK : Y_PRICE);
    for (k = 0; k < n; k++) {
        panel_break(f, x, k, bank ? Y_BANK : Y_PRICE, nj, NULL);
        panel_title(f, ps[k]);
        if (!bank) /* prices: each panel from zero to its own highest */
            for (t = 0, hi = 0; t < x->T; t++)
                for (j = 0; j < nj; j++)
                    hi = fmax(hi, ps[k]->price[(size_t)t * (size_t)x->nj + (size_t)j]);
        range(f, lo, hi, "y");
        change_lines(f, x, ps[k]);
        if (bank)
            zero_line(f);
        fputs("]\n", f);
        for (j = 0; j < nj; j++) {
            fputs("\\addplot[", f);
            series_style(f, x, j);
            fputs("]", f);
            series(f, x, bank ? ps[k]->bank : ps[k]->price, j);
        }
    }
    group_end(f);
}

static bool banks(const ElReportPeriods *x, const PDesign *p)
{
    size_t k, n = (size_t)x->T * (size_t)x->nj;
    for (k = 0; k < n; k++)
        if ((int)(k % (size_t)x->nj) < DRAW_JUR && fabs(p->bank[k]) > BANK_EPS)
            return true;
    return false;
}

/* What the figures leave out: jurisdictions past DRAW_JUR, designs past DRAW_DESIGNS, designs
 * that change nothing. */
static void left_out(FILE *f, const ElReportPeriods *x, int ndrawn, int nchanging, bool designs)
{
    int k, n = 0;
    if (x->s->njur > DRAW_JUR && !designs)
        fprintf(f, " The first %d of %d jurisdictions are drawn.", DRAW_JUR, x->s->njur);
    if (designs && nchanging > ndrawn)
        fprintf(f,
                " The %d designs of highest present value of the total gain are drawn, of the %d "
                "in the table.",
                ndrawn, nchanging);
    for (k = 0; k < x->nd; k++)
        n += x->d[k].empty;
    if (n > 0 && designs)
        fprintf(f, " %s that change%s nothing %s not drawn: %s autarky's.",
                n == 1 ? "A design" : "Designs", n == 1 ? "s" : "", n == 1 ? "is" : "are",
                n == 1 ? "its paths are" : "their paths are");
}

static void fig_prices(FILE *f, const ElReportPeriods *x, const int *idx, int nd, int nchanging)
{
    const PDesign *ps[DRAW_DESIGNS + 1];
    int k, nj = x->nj < DRAW_JUR ? x->nj : DRAW_JUR;
    ps[0] = &x->base;
    for (k = 0; k < nd; k++)
        ps[k + 1] = &x->d[idx[k]];
    el_report_tex_need_cm(f, 15);
    fputs("\\subsection*{Price paths by design}\nEach panel is a design (autarky first), each "
          "line a jurisdiction's price in each year's ",
          f);
    cur(f, x);
    fputs(" per tonne; each panel has its own scale. Linked jurisdictions share a price, so "
          "their lines coincide. Where units "
          "are banked or borrowed freely the price rises at the discount rate (Hotelling: next "
          "year's price is ",
          f);
    el_fmt_num(f, 1 + x->s->periods.rate);
    fputs(" times this year's); a bank at zero or at its limit, or a binding borrowing limit, "
          "breaks the rule. Dashed lines mark the first year of a change in the links and "
          "groups in force.",
          f);
    left_out(f, x, nd, nchanging, true);
    left_out(f, x, nd, nchanging, false);
    fputs("\n", f);
    legend(f, x, nj, NULL);
    design_panels(f, x, ps, nd + 1, false);
}

static void fig_banks(FILE *f, const ElReportPeriods *x, const int *idx, int nd)
{
    const PDesign *ps[DRAW_DESIGNS + 1];
    int k, n = 0, nj = x->nj < DRAW_JUR ? x->nj : DRAW_JUR;
    if (banks(x, &x->base))
        ps[n++] = &x->base;
    for (k = 0; k < nd; k++)
        if (banks(x, &x->d[idx[k]]))
            ps[n++] = &x->d[idx[k]];
    el_report_tex_need_cm(f, n > 0 ? 15 : 3);
    fputs("\\subsection*{Bank balances}\n", f);
    if (n == 0) {
        fputs("No drawn design banks or borrows units in any year.\n", f);
        return;
    }
    fputs("Each panel is a design that banks or borrows, each line a jurisdiction's bank at the "
          "end of the year (Mt): units kept for later years, below zero units borrowed from the "
          "next year's allocation. ",
          f);
    if (x->s->periods.terminal_value > 0) {
        fputs("A unit left at the end of the last year is worth ", f);
        el_fmt_num(f, x->s->periods.terminal_value);
        fputs(" ", f);
        cur(f, x);
        fputs(".", f);
    } else {
        fputs("A unit left at the end of the last year is worth nothing, so the banks end at "
              "zero.",
              f);
    }
    fputs(" Inside a linked market only the market's total bank is determined; its split among "
          "the members is a tie rule (the least sum of squares, docs/model.md §10), so read a "
          "member's line as bookkeeping and the sum of the members' lines as the economics.",
          f);
    if (x->s->njur > DRAW_JUR)
        fprintf(f, " The first %d of %d jurisdictions are drawn.", DRAW_JUR, x->s->njur);
    fputs("\n", f);
    legend(f, x, nj, NULL);
    design_panels(f, x, ps, n, true);
}

static void fig_gains(FILE *f, const ElReportPeriods *x, const int *idx, int nd)
{
    int k, j, t, nj = x->nj < DRAW_JUR ? x->nj : DRAW_JUR;
    if (nd == 0)
        return;
    el_report_tex_need_cm(f, 15);
    fprintf(f, "\\subsection*{Cumulative gains}\nEach panel is a jurisdiction, each line a design: "
               "the present value of its gain against autarky over the years up to each one "
               "(million ");
    cur(f, x);
    fprintf(f, " of %d, discounted at ", x->first);
    el_fmt_num(f, 100 * x->s->periods.rate);
    fputs("\\% a year), the units in the bank at the end of the year counted at that year's "
          "price (a borrowed unit as a debt), in the design and in autarky alike. Each line "
          "ends at the jurisdiction's present value of the gain in the table above. Counted so, "
          "a unit banked for later is worth what it cost to bank, and how a linked market's "
          "bank is split among its members changes no line where the bank earns the discount "
          "rate.",
          f);
    if (x->s->njur > DRAW_JUR)
        fprintf(f, " The first %d of %d jurisdictions are drawn.", DRAW_JUR, x->s->njur);
    fputs("\n", f);
    legend(f, x, nd, idx);
    group_begin(f, x, Y_GAIN);
    for (j = 0; j < nj; j++) {
        double lo = 0, hi = 0;
        panel_break(f, x, j, Y_GAIN, nd, idx);
        for (k = 0; k < nd; k++)
            for (t = 0; t < x->T; t++) {
                double v = x->d[idx[k]].cum[(size_t)t * (size_t)x->nj + (size_t)j];
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        fputs("\\nextgroupplot[title={", f);
        el_report_tex_short_id(f, x->s->jur[j].id);
        fputs("}", f);
        range(f, lo, hi, "y");
        zero_line(f);
        fputs("]\n", f);
        for (k = 0; k < nd; k++) {
            fputs("\\addplot[", f);
            series_style(f, x, k);
            fputs("]", f);
            series(f, x, x->d[idx[k]].cum, j);
        }
    }
    group_end(f);
}

/* The years jurisdiction j is in a link or group in force in p, as runs ("2028--2035"); "--"
 * for none. */
static void link_years(FILE *f, const ElReportPeriods *x, const PDesign *p, int j)
{
    int t = 0, runs = 0, more = 0;
    while (t < x->T) {
        int a;
        if (!p->linked[(size_t)t * (size_t)x->nj + (size_t)j]) {
            t++;
            continue;
        }
        for (a = t; t < x->T && p->linked[(size_t)t * (size_t)x->nj + (size_t)j]; t++)
            ;
        if (runs < MAX_RANGES) {
            fputs(runs > 0 ? ", " : "", f);
            years(f, x->first + a, x->first + t - 1);
        } else {
            more++;
        }
        runs++;
    }
    if (runs == 0)
        fputs("--", f);
    if (more > 0)
        fprintf(f, " and %d more", more);
}

/* True if jurisdiction j is in a link or group in force in some year of p. */
static bool linked_ever(const ElReportPeriods *x, const PDesign *p, int j)
{
    int t;
    for (t = 0; t < x->T; t++)
        if (p->linked[(size_t)t * (size_t)x->nj + (size_t)j])
            return true;
    return false;
}

/* One design's two rows in the block of jurisdictions j0 .. j0 + nb - 1 (and the whole when
 * `all`): present values of national cost and gain, then the years each is linked. */
static void
table_rows(FILE *f, const ElReportPeriods *x, const PDesign *p, int j0, int nb, bool all)
{
    int j;
    if (p->index >= 0)
        fprintf(f, "%ld.", p->index + 1);
    fputs(" & ", f);
    el_report_tex_design_cell(f, p->title, p->id);
    for (j = j0; j < j0 + nb; j++) {
        fputs(" & ", f);
        el_report_tex_num(f, p->pv_cost[j], 2);
        fputs(" & ", f);
        el_report_tex_num(f, p->index >= 0 ? p->pv_gain[j] : nan(""), 2);
    }
    if (all) {
        fputs(" & ", f);
        el_report_tex_num(f, p->pv_cost_all, 2);
        fputs(" & ", f);
        el_report_tex_num(f, p->index >= 0 ? p->pv_total_gain : nan(""), 2);
    }
    for (j = j0; j < j0 + nb && p->index >= 0; j++)
        if (linked_ever(x, p, j))
            break;
    if (p->index < 0 || j == j0 + nb) { /* no link year to show */
        fputs(" \\\\\n", f);
        return;
    }
    fputs(" \\\\*\n & ", f);
    for (j = j0; j < j0 + nb; j++) {
        fputs(" & \\multicolumn{2}{" PAIR_COLUMN "}{\\scriptsize ", f);
        if (linked_ever(x, p, j))
            link_years(f, x, p, j);
        fputs("}", f);
    }
    fputs(all ? " & & \\\\\n" : " \\\\\n", f);
}

/* The header of a block: a pair of columns per jurisdiction (and the whole). */
static void table_header(FILE *f, const ElReportPeriods *x, int j0, int nb, bool all)
{
    int j, n = nb + all;
    fputs("No. & Design", f);
    for (j = j0; j < j0 + nb; j++) {
        fputs(" & \\multicolumn{2}{" PAIR_COLUMN "}{", f);
        el_report_tex_wrap(f, x->s->jur[j].id);
        fputs("}", f);
    }
    if (all)
        fputs(" & \\multicolumn{2}{c}{\\emph{all}}", f);
    fputs(" \\\\\n", f);
    for (j = 0; j < n; j++)
        fprintf(f, "\\cmidrule(lr){%d-%d}", 3 + 2 * j, 4 + 2 * j);
    fputs("\n & ", f);
    for (j = 0; j < n; j++)
        fputs(" & cost & gain", f);
    fputs(" \\\\\n", f);
}

static void pv_table(FILE *f, const ElReportPeriods *x, const int *order, int n)
{
    int k, j0;
    el_report_tex_need_lines(f, 12);
    fprintf(f,
            "\\subsection*{Present values by design and jurisdiction}\nPresent values over "
            "%d--%d in million ",
            x->first, x->first + x->T - 1);
    cur(f, x);
    fprintf(f,
            " of %d: \\emph{cost}, the national cost (abatement, offsets and net payments "
            "abroad",
            x->first);
    if (x->s->periods.terminal_value > 0)
        fputs(", less the value of the final bank", f);
    fputs("), and \\emph{gain}, its fall against autarky; \\emph{all}: every jurisdiction, the "
          "total gain also counting the change in the rest of the world's offset surplus. Below "
          "a design's figures: the years each jurisdiction is in a link or group in force.",
          f);
    if (x->s->njur > x->nj)
        fprintf(f, " The first %d of %d jurisdictions are listed; \\emph{all} counts every one.",
                x->nj, x->s->njur);
    fputs("\n", f);
    for (j0 = 0; j0 < x->nj; j0 += TABLE_JUR) {
        int nb = x->nj - j0 < TABLE_JUR ? x->nj - j0 : TABLE_JUR, c;
        bool all = j0 + nb == x->nj;
        char spec[640], *head = NULL;
        size_t len = 0;
        FILE *h = open_memstream(&head, &len);
        snprintf(spec, sizeof(spec), "r>{\\raggedright\\arraybackslash}p{3.4cm}");
        for (c = 0; c < 2 * (nb + all); c++)
            strncat(spec, NUM_COLUMN, sizeof(spec) - strlen(spec) - 1);
        if (h) {
            table_header(h, x, j0, nb, all);
            fclose(h);
        }
        if (j0 > 0)
            el_report_tex_need_lines(f, 12);
        el_report_tex_table_begin(f, x->s, "\\footnotesize", spec, 2 + 2 * (nb + all),
                                  head ? head : "No. & Design \\\\\n");
        free(head);
        table_rows(f, x, &x->base, j0, nb, all);
        for (k = 0; k < n; k++) {
            fputs("\\addlinespace[3pt]\n", f);
            table_rows(f, x, &x->d[order[k]], j0, nb, all);
        }
        el_report_tex_table_end(f);
    }
}

void el_report_periods_title(const ElReportPeriods *x, FILE *f)
{
    int k, best = -1;
    if (!x || !x->has_base)
        return;
    fputs("\\par\\vspace{0.5cm}Each design is solved over the years ", f);
    years(f, x->first, x->first + x->T - 1);
    fprintf(f,
            " as one problem, with banking, borrowing and links that start or end in a year. The "
            "designs' tables and the figures that follow them show the first year, %d; the "
            "section \\emph{Over the years} shows the price paths, the banks and the present "
            "values of the gains.",
            x->first);
    for (k = 0; k < x->nd; k++)
        if (best < 0 || x->d[k].pv_total_gain > x->d[best].pv_total_gain ||
            (x->d[k].pv_total_gain == x->d[best].pv_total_gain && x->d[k].index < x->d[best].index))
            best = k;
    if (best >= 0) {
        const PDesign *p = &x->d[best];
        fputs(" Over the years the design of highest present value of the total gain is ", f);
        if (p->title[0]) {
            fputs("\\emph{", f);
            tex(f, p->title);
            fputs("} (", f);
            tex(f, p->id);
            fputs(")", f);
        } else {
            fputs("\\emph{", f);
            tex(f, p->id);
            fputs("}", f);
        }
        fputs(": ", f);
        el_report_tex_num(f, p->pv_total_gain, 2);
        fputs(" million ", f);
        cur(f, x);
        fprintf(f, " of %d.", x->first);
    }
    fputs("\n", f);
}

void el_report_periods_write(const ElReportPeriods *x, FILE *f)
{
    int order[EL_REPORT_PERIODS_KEEP], idx[DRAW_DESIGNS], n, nd, nchanging, k;
    if (!x || !x->has_base)
        return;
    n = kept_in_order(x, order);
    nd = drawn(x, idx, &nchanging);
    el_report_tex_need_lines(f, 12);
    fputs("\\section*{Over the years ", f);
    years(f, x->first, x->first + x->T - 1);
    fputs("}\nEach design was solved over the years as one problem: units may be banked for "
          "later years and, where allowed, borrowed from the next one, and links and groups "
          "start or end in the years the design says (docs/model.md §10). Prices are in each "
          "year's money; present values are discounted at ",
          f);
    el_fmt_num(f, 100 * x->s->periods.rate);
    fprintf(f, "\\%% a year to million ");
    cur(f, x);
    fprintf(f, " of %d.", x->first);
    if (x->dropped > 0)
        fprintf(f,
                " Of the %ld designs with an equilibrium the %d of highest present value of the "
                "total gain are shown (results.csv holds every design's paths).",
                x->dropped + x->nd, x->nd);
    if (x->nfailed > 0) {
        fprintf(f,
                " %ld design%s no equilibrium over the years (the caps cannot be met even with "
                "the banking and borrowing allowed) and %s not shown:",
                x->nfailed, x->nfailed == 1 ? " has" : "s have", x->nfailed == 1 ? "is" : "are");
        for (k = 0; k < x->nnamed; k++) {
            fprintf(f, "%s %ld.~", k > 0 ? "," : "", x->failed_index[k] + 1);
            tex(f, x->failed[k]);
        }
        fputs(x->nfailed > x->nnamed ? " and more." : ".", f);
    }
    fputs("\n\n", f);
    pv_table(f, x, order, n);
    fig_prices(f, x, idx, nd, nchanging);
    fig_banks(f, x, idx, nd);
    fig_gains(f, x, idx, nd);
}
