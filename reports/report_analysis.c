/* The report's sections on analyses (report_analysis.h; docs/guide.md):
 * - a sweep as line charts of every jurisdiction's price and gain against its first numeric
 *   parameter, one pair per combination of the other parameters (at most SWEEP_LINES), the
 *   binding regime shaded, and a table of the first and last points and every change of regime;
 * - a search as a table of the optimum (or of the point that misses the requirements least),
 *   the ranked discrete combinations, the equilibrium at the optimum and, with two objectives,
 *   a chart of the Pareto front;
 * - a sequence as a table of each step's gains and Pareto verdict and a step chart of the
 *   cumulative gains;
 * - a coalition game as its verdicts (superadditivity, the core, the market allocation), a table
 *   of each member's market gain, Shapley value, transfer and nucleolus, a bar chart of market
 *   gains next to Shapley values, the most valuable coalitions and the stable coalition
 *   structures, from a copy of a bounded size (the top coalitions are picked when it is added);
 * - an uncertainty analysis (report_unc.h) as its draws and shocks, each design's expected total
 *   gain split into effort and risk sharing (stacked bars, positive parts up from zero and
 *   negative ones down, and a table with standard errors), box plots of each jurisdiction's
 *   price by design from the quantiles, and each member's gain, loss probability and price
 *   risk, from a copy of its summaries (a few numbers per design and jurisdiction).
 * A sweep keeps, per line, every point up to SWEEP_STRIDED values along the axis and beyond
 * that an evenly strided subset plus both points around each change of regime, so that its
 * memory does not grow with the number of points. As in report_latex.c every string goes
 * through el_fmt_tex, every number through el_fmt_fixed or el_fmt_num, a few coordinates to a
 * line, and nothing depends on the time or the locale. */
#include "report_analysis.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "el_alloc.h"
#include "fmt.h"
#include "scenario.h"

#define SWEEP_LINES   4    /* combinations of the other parameters drawn */
#define SWEEP_STRIDED 400  /* points along the axis kept per line before striding */
#define SWEEP_CHANGES 400  /* changes of regime whose two sides a line keeps */
#define SWEEP_LISTED  24   /* changes of regime listed per line (a table that fits a page) */
#define MAX_REGIMES   32   /* regimes named and shaded */
#define REGIME_TEXT   1024 /* room for a regime in words */
#define MAX_SERIES    10   /* jurisdictions drawn in a chart */
#define MAX_RANKED    10   /* ranked combinations listed */
#define MAX_FRONT     400  /* points of a Pareto front drawn */
#define MAX_VALUES    12   /* values of a parameter listed */
#define JUR_BLOCK     8    /* jurisdictions per table of a sequence */
#define PER_LINE      6    /* coordinates per line of report.tex */

/* ---- Formatting ---- */

/* \\etslinkneed{dimen}: start a new page unless dimen is left on this one (need_lines). */
static const char need_macro[] =
    "\\providecommand{\\etslinkneed}[1]{\\par\\penalty-100\\begingroup\\dimen0=\\pagegoal\n"
    "\\advance\\dimen0 by -\\pagetotal\\ifdim #1>\\dimen0 \\ifdim\\dimen0>0pt\\vfil\\fi"
    "\\penalty-10000\\fi\\endgroup}\n";

/* Before an analysis' section: a new page unless half of this one is left, so that a section
 * starts on a fresh page, but not after a page that holds only a few lines of the last one. */
static void section_break(FILE *f)
{
    fputs(need_macro, f);
    fputs("\\etslinkneed{0.5\\textheight}\n", f);
}

static void tex(FILE *f, const char *s)
{
    el_fmt_tex(f, s);
}

/* \num{v} with `decimals` digits, or "--" for a missing value. */
static void num(FILE *f, double v, int decimals)
{
    if (!isfinite(v)) {
        fputs("--", f);
        return;
    }
    fputs("\\num{", f);
    el_fmt_fixed(f, v, decimals);
    fputc('}', f);
}

static void cell(FILE *f, double v, int decimals)
{
    fputs(" & ", f);
    num(f, v, decimals);
}

/* A coordinate value: NaN (no equilibrium) is a gap with unbounded coords=jump. */
static void cnum(FILE *f, double v)
{
    if (isnan(v))
        fputs("nan", f);
    else
        el_fmt_num(f, v);
}

static void coord(FILE *f, int k, double x, double y)
{
    if (k > 0 && k % PER_LINE == 0)
        fputc('\n', f);
    fputc('(', f);
    cnum(f, x);
    fputc(',', f);
    cnum(f, y);
    fputc(')', f);
}

/* Text made of parts joined by "; " (a regime, a constraint), one part to a line. */
static void tex_parts(FILE *f, const char *s)
{
    const char *sep;
    while ((sep = strstr(s, "; ")) != NULL) {
        char part[REGIME_TEXT];
        size_t n = (size_t)(sep - s) < sizeof(part) - 1 ? (size_t)(sep - s) : sizeof(part) - 1;
        memcpy(part, s, n);
        part[n] = '\0';
        tex(f, part);
        fputs(";\n", f);
        s = sep + 2;
    }
    tex(f, s);
}

static const char *const fills[] = {"blue!12",   "orange!22",  "green!15", "red!12",
                                    "violet!15", "yellow!30",  "cyan!15",  "brown!20",
                                    "teal!15",   "magenta!12", "lime!25",  "gray!20"};
#define NFILLS ((int)(sizeof(fills) / sizeof(fills[0])))
static const char *const nofill_eq = "black!18"; /* points without an equilibrium */

static const char *const line_colors[MAX_SERIES] = {"blue",   "red",   "green!50!black", "orange",
                                                    "violet", "brown", "cyan!60!black",  "magenta",
                                                    "olive",  "black"};
static const char *const line_marks[MAX_SERIES] = {"*",         "square*", "triangle*", "diamond*",
                                                   "pentagon*", "o",       "square",    "triangle",
                                                   "diamond",   "x"};

/* A small filled box in colour c, for keys. */
static void swatch(FILE *f, const char *c)
{
    fprintf(f, "\\fcolorbox{black!40}{%s}{\\rule{0pt}{1ex}\\hspace{1.2em}}", c);
}

static const char *cur(const ElScenario *s)
{
    return s->currency;
}

/* The attribute a word parameter fills (for el_slot_word_name). */
static const char *word_attr(const ElAnalysis *a, const ElParam *p)
{
    int k;
    for (k = 0; a->tmpl && k < a->tmpl->nslots; k++) {
        const ElSlot *sl = &a->tmpl->slots[k];
        if (sl->param == p->slot && el_slot_attr_kind(sl->kind, sl->attr) == 1)
            return sl->attr;
    }
    return "rent-to";
}

/* A parameter's value: a word, or a number to 8 significant digits. */
static void param_value(FILE *f, const ElAnalysis *a, const ElParam *p, double v)
{
    if (p->words) {
        tex(f, el_slot_word_name(word_attr(a, p), (int)v));
        return;
    }
    fputs("\\num{", f);
    el_fmt_sig(f, v, 8);
    fputc('}', f);
}

/* Value k of discrete parameter p as written. */
static void param_value_k(FILE *f, const ElAnalysis *a, const ElParam *p, long k)
{
    if (p->kind == EL_PARAM_VALUES && p->words && p->text && p->text[k])
        tex(f, p->text[k]);
    else
        param_value(f, a, p, el_param_value(p, k));
}

/* "q from 0 to 30 (31 values)", "who: buyer, seller", "q between 0 and 30". */
static void param_text(FILE *f, const ElAnalysis *a, const ElParam *p)
{
    long k, n = el_param_count(p);
    fputs("\\emph{", f);
    tex(f, p->name);
    fputs("}", f);
    switch (p->kind) {
    case EL_PARAM_RANGE:
        fputs(" from ", f);
        param_value(f, a, p, p->from);
        fputs(" to ", f);
        param_value(f, a, p, p->to);
        fprintf(f, " (%ld value%s)", n, n == 1 ? "" : "s");
        break;
    case EL_PARAM_VALUES:
        fputs(" one of", f);
        for (k = 0; k < n && k < MAX_VALUES; k++) {
            fputs(k ? ",\n" : "\n", f);
            param_value_k(f, a, p, k);
        }
        if (n > MAX_VALUES)
            fprintf(f, "\nand %ld more", n - MAX_VALUES);
        break;
    case EL_PARAM_CONTINUOUS:
        fputs(" between ", f);
        param_value(f, a, p, p->min);
        fputs(" and ", f);
        param_value(f, a, p, p->max);
        break;
    }
}

/* "q = 12.5, who = buyer" for values in template order. */
static void point_text(FILE *f, const ElAnalysis *a, const double *values)
{
    int k;
    for (k = 0; k < a->nparams; k++) {
        const ElParam *p = &a->params[k];
        fputs(k ? ",\n" : "", f);
        tex(f, p->name);
        fputs("~=~", f);
        param_value(f, a, p, values[p->slot]);
    }
}

/* The unit of what a criterion measures, with the currency for "@C". */
static void what_unit(FILE *f, const ElScenario *s, ElWhat w)
{
    switch (w) {
    case EL_WHAT_GAIN:
    case EL_WHAT_MIN_GAIN:
    case EL_WHAT_TOTAL_GAIN:
        fputs("million ", f);
        tex(f, cur(s));
        break;
    case EL_WHAT_PRICE:
        tex(f, cur(s));
        fputs("/t", f);
        break;
    case EL_WHAT_ABATEMENT:
    case EL_WHAT_NET_IMPORTS:
    case EL_WHAT_EMISSIONS:
    case EL_WHAT_NDC_MARGIN:
    case EL_WHAT_COUNT:
        fputs("Mt", f);
        break;
    }
}

static void criterion(FILE *f, const ElScenario *s, const ElCriterion *c)
{
    char buf[300];
    el_criterion_text(s, c, buf, sizeof(buf));
    tex(f, buf);
}

/* "gain of A at least 0" */
static void requirement(FILE *f, const ElScenario *s, const ElCriterion *c)
{
    criterion(f, s, c);
    fputs(c->at_most ? " at most " : " at least ", f);
    fputs("\\num{", f);
    el_fmt_sig(f, c->bound, 10);
    fputs("} (", f);
    what_unit(f, s, c->what);
    fputs(")", f);
}

/* A chart's axis options shared by every analysis. */
static void axis_common(FILE *f)
{
    fputs("scaled ticks=false, tick label style={/pgf/number format/fixed, /pgf/number "
          "format/precision=4}, legend "
          "style={at={(1.01,1)}, anchor=north west, font=\\scriptsize}",
          f);
}

/* ---- Sweeps ---- */

typedef struct {
    double x;
    long k;        /* index along the axis */
    uint64_t hash; /* of the regime in words */
    int regime;    /* index among the sweep's named regimes, or -1 past MAX_REGIMES */
    bool ok;       /* an equilibrium */
} SPoint;

typedef struct {
    double xa, xb; /* the points on either side */
    int from, to;  /* regimes */
    uint64_t hfrom, hto;
} Change;

/* One line of charts: the points of one combination of the other parameters. */
typedef struct {
    SPoint *pts;
    double *val; /* per kept point: nj prices, then nj gains */
    int n, cap;
    SPoint prev; /* the point delivered last, and its values */
    double *prev_val;
    bool have_prev, prev_kept;
    Change chg[SWEEP_LISTED];
    int nchg;
    long changes;      /* every change of regime */
    long kept_changes; /* changes whose two sides are kept */
    long nfailed;      /* points without an equilibrium */
} SLine;

typedef struct {
    const ElAnalysis *a;
    const ElScenario *s;
    int xp;          /* the parameter on the axis (index into a->params) */
    bool xwords;     /* ... a word parameter (no numeric one): x is the value's index */
    long nx, ncombo; /* values along the axis; combinations of the others */
    int nlines, nj;  /* lines drawn; jurisdictions drawn */
    long stride;     /* every stride-th value along the axis is kept */
    SLine line[SWEEP_LINES];
    char *regime[MAX_REGIMES];
    uint64_t regime_hash[MAX_REGIMES];
    bool regime_failed[MAX_REGIMES]; /* the regime of points without an equilibrium */
    int nregimes;
    bool other_regimes; /* some regime past MAX_REGIMES */
    long delivered, nfailed;
    bool begun, done;
    double *cur_val; /* 2 nj */
    char text[REGIME_TEXT];
} Sweep;

static uint64_t text_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static void sweep_free(Sweep *w)
{
    int i;
    if (!w)
        return;
    for (i = 0; i < SWEEP_LINES; i++) {
        el_free(w->line[i].pts);
        el_free(w->line[i].val);
        el_free(w->line[i].prev_val);
    }
    for (i = 0; i < w->nregimes; i++)
        el_free(w->regime[i]);
    el_free(w->cur_val);
    el_free(w);
}

static el_status sweep_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    Sweep *w = ctx;
    const ElAnalysis *a;
    int k;
    (void)count;
    if (!w)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    a = w->a;
    w->s = s;
    w->begun = true;
    w->nj = s->njur < MAX_SERIES ? s->njur : MAX_SERIES;
    w->xp = 0;
    for (k = 0; k < a->nparams; k++)
        if (!a->params[k].words)
            break;
    w->xp = k < a->nparams ? k : 0;
    w->xwords = a->nparams > 0 && a->params[w->xp].words;
    w->nx = a->nparams > 0 ? el_param_count(&a->params[w->xp]) : 1;
    if (w->nx < 1)
        w->nx = 1;
    w->ncombo = a->points / w->nx > 0 ? a->points / w->nx : 1;
    w->nlines = w->ncombo < SWEEP_LINES ? (int)w->ncombo : SWEEP_LINES;
    w->stride = (w->nx + SWEEP_STRIDED - 1) / SWEEP_STRIDED;
    w->cur_val = el_calloc((size_t)(2 * w->nj + 1), sizeof(double));
    if (!w->cur_val)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    for (k = 0; k < w->nlines; k++) {
        w->line[k].prev_val = el_calloc((size_t)(2 * w->nj + 1), sizeof(double));
        if (!w->line[k].prev_val)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    }
    return EL_OK;
}

/* The index of the regime in words w->text (added when new and there is room), or -1. */
static int regime_index(Sweep *w, uint64_t h, bool failed)
{
    int i;
    for (i = 0; i < w->nregimes; i++)
        if (w->regime_hash[i] == h && strcmp(w->regime[i], w->text) == 0)
            return i;
    if (w->nregimes == MAX_REGIMES) {
        w->other_regimes = true;
        return -1;
    }
    w->regime[w->nregimes] = el_strdup(w->text);
    if (!w->regime[w->nregimes])
        return -2;
    w->regime_hash[w->nregimes] = h;
    w->regime_failed[w->nregimes] = failed;
    return w->nregimes++;
}

static el_status keep(SLine *L, int nj, const SPoint *p, const double *val, ElError *err)
{
    if (L->n == L->cap) {
        int nc = L->cap ? 2 * L->cap : 64;
        SPoint *np = el_reallocarray(L->pts, (size_t)nc, sizeof(*np));
        double *nv;
        if (!np)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
        L->pts = np;
        nv = el_reallocarray(L->val, (size_t)nc * (size_t)(2 * nj + 1), sizeof(double));
        if (!nv)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
        L->val = nv;
        L->cap = nc;
    }
    L->pts[L->n] = *p;
    memcpy(L->val + (size_t)L->n * (size_t)(2 * nj), val, (size_t)(2 * nj) * sizeof(double));
    L->n++;
    return EL_OK;
}

static el_status sweep_result(void *ctx,
                              long index,
                              const ElBatchItem *item,
                              const ElDesignResult *r,
                              const ElDesignResult *baseline,
                              ElError *err)
{
    Sweep *w = ctx;
    const ElAnalysis *a = w->a;
    long i = index, combo = 0, mult = 1, kx = 0;
    int k, j;
    SLine *L;
    SPoint p;
    bool ok = r->outcome == EL_OPTIMAL, changed, take;
    el_status st = EL_OK;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    w->delivered++;
    if (!ok)
        w->nfailed++;
    for (k = a->nparams - 1; k >= 0; k--) { /* the last parameter varies fastest */
        long n = el_param_count(&a->params[k]), ik;
        if (n < 1)
            n = 1;
        ik = i % n;
        i /= n;
        if (k == w->xp) {
            kx = ik;
        } else {
            combo += ik * mult;
            mult *= n;
        }
    }
    if (combo >= w->nlines)
        return EL_OK;
    L = &w->line[combo];
    el_result_regime_text(w->s, r, w->text, sizeof(w->text));
    memset(&p, 0, sizeof(p));
    p.k = kx;
    p.ok = ok;
    p.x = a->nparams == 0 ? 0 : w->xwords ? (double)kx : el_param_value(&a->params[w->xp], kx);
    p.hash = text_hash(w->text);
    p.regime = regime_index(w, p.hash, !ok);
    if (p.regime == -2)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    if (!ok)
        L->nfailed++;
    for (j = 0; j < w->nj; j++) {
        w->cur_val[j] = ok ? r->jur[j].price : nan("");
        w->cur_val[w->nj + j] = ok ? r->jur[j].gain : nan("");
    }
    changed = L->have_prev && L->prev.hash != p.hash;
    take = !L->have_prev || kx % w->stride == 0 || kx == w->nx - 1;
    if (changed) {
        if (L->nchg < SWEEP_LISTED)
            L->chg[L->nchg++] =
                (Change){L->prev.x, p.x, L->prev.regime, p.regime, L->prev.hash, p.hash};
        L->changes++;
        if (L->kept_changes < SWEEP_CHANGES) {
            L->kept_changes++;
            if (!L->prev_kept)
                st = keep(L, w->nj, &L->prev, L->prev_val, err);
            take = true;
        }
    }
    if (st == EL_OK && take)
        st = keep(L, w->nj, &p, w->cur_val, err);
    L->prev = p;
    L->prev_kept = take;
    L->have_prev = true;
    memcpy(L->prev_val, w->cur_val, (size_t)(2 * w->nj) * sizeof(double));
    return st;
}

static el_status sweep_end(void *ctx, bool ok, ElError *err)
{
    Sweep *w = ctx;
    (void)err;
    if (w)
        w->done = ok;
    return EL_OK;
}

static const char *regime_fill(const Sweep *w, int regime)
{
    if (regime < 0)
        return NULL;
    return w->regime_failed[regime] ? nofill_eq : fills[regime % NFILLS];
}

/* "who = buyer, n = 3" for combination c of the parameters other than the axis. */
static void combo_text(FILE *f, const Sweep *w, long c)
{
    const ElAnalysis *a = w->a;
    long idx[64];
    int k, first = 1;
    for (k = a->nparams - 1; k >= 0; k--) {
        long n = el_param_count(&a->params[k]);
        if (k == w->xp)
            continue;
        if (n < 1)
            n = 1;
        if (k < 64)
            idx[k] = c % n;
        c /= n;
    }
    for (k = 0; k < a->nparams && k < 64; k++) {
        if (k == w->xp)
            continue;
        fputs(first ? "" : ", ", f);
        tex(f, a->params[k].name);
        fputs(" = ", f);
        param_value_k(f, a, &a->params[k], idx[k]);
        first = 0;
    }
}

static void regime_name(FILE *f, const Sweep *w, int regime)
{
    if (regime < 0)
        fputs("another regime", f);
    else
        tex_parts(f, w->regime[regime]);
}

/* The x value of a point as text: the number, or the word. */
static void x_text(FILE *f, const Sweep *w, double x)
{
    const ElParam *p = &w->a->params[w->xp];
    if (w->xwords)
        param_value_k(f, w->a, p, (long)x);
    else
        param_value(f, w->a, p, x);
}

/* One chart of line L: series 0 prices, 1 gains. */
static void sweep_chart(FILE *f, const Sweep *w, const SLine *L, int series)
{
    const ElScenario *s = w->s;
    const ElParam *xp = &w->a->params[w->xp];
    double ylo = 0, yhi = 0, xlo, xhi, first_edge, last_edge, span;
    int i, j, a, b;
    bool markers = L->n <= 60;
    for (i = 0; i < L->n; i++)
        for (j = 0; j < w->nj; j++) {
            double v = L->val[(size_t)i * (size_t)(2 * w->nj) + (size_t)(series * w->nj + j)];
            if (isfinite(v)) {
                ylo = fmin(ylo, v);
                yhi = fmax(yhi, v);
            }
        }
    span = yhi - ylo;
    if (span <= 1e-12 * (1 + fabs(ylo) + fabs(yhi))) {
        ylo -= 1;
        yhi += 1;
    } else {
        ylo -= 0.05 * span;
        yhi += 0.05 * span;
    }
    first_edge = L->pts[0].x;
    last_edge = L->pts[L->n - 1].x;
    xlo = fmin(first_edge, last_edge);
    xhi = fmax(first_edge, last_edge);
    if (w->xwords || xhi - xlo <= 1e-12 * (1 + fabs(xlo))) {
        xlo -= 0.5;
        xhi += 0.5;
        first_edge = first_edge <= last_edge ? xlo : xhi;
        last_edge = first_edge == xlo ? xhi : xlo;
    }
    /* the gains' axis below the prices', aligned whatever the width of the tick labels */
    fprintf(f, "\\begin{axis}[%sscale only axis, width=19cm, height=4.4cm, xmin=",
            series ? "at={(0,-5.9cm)}, " : "");
    el_fmt_num(f, xlo);
    fputs(", xmax=", f);
    el_fmt_num(f, xhi);
    fputs(", ymin=", f);
    el_fmt_num(f, ylo);
    fputs(", ymax=", f);
    el_fmt_num(f, yhi);
    fputs(", unbounded coords=jump, axis on top,\nxlabel={", f);
    tex(f, xp->name);
    fputs("}, ylabel={", f);
    if (series == 0) {
        fputs("price (", f);
        tex(f, cur(s));
        fputs("/t)}, ", f);
    } else {
        fputs("gain (million ", f);
        tex(f, cur(s));
        fputs(")}, ", f);
    }
    if (w->xwords) {
        long k;
        fputs("xtick={", f);
        for (k = 0; k < w->nx; k++)
            fprintf(f, k ? (k % PER_LINE == 0 ? ",%%\n%ld" : ",%ld") : "%ld", k);
        fputs("}, xticklabels={", f);
        for (k = 0; k < w->nx; k++) {
            fputs(k ? (k % PER_LINE == 0 ? ",%\n{" : ",{") : "{", f);
            param_value_k(f, w->a, xp, k);
            fputs("}", f);
        }
        fputs("},\n", f);
    }
    axis_common(f);
    fputs("]\n", f);
    /* the regimes: runs of kept points in one regime, a change drawn half-way between points */
    for (a = 0; a < L->n; a = b + 1) {
        const char *c;
        double left, right;
        for (b = a; b + 1 < L->n && L->pts[b + 1].hash == L->pts[a].hash; b++)
            ;
        c = regime_fill(w, L->pts[a].regime);
        if (!c)
            continue;
        left = a == 0 ? first_edge : 0.5 * (L->pts[a - 1].x + L->pts[a].x);
        right = b == L->n - 1 ? last_edge : 0.5 * (L->pts[b].x + L->pts[b + 1].x);
        fprintf(f, "\\addplot[fill=%s, draw=none, forget plot] coordinates {", c);
        coord(f, 0, left, ylo);
        fputc(' ', f);
        coord(f, 0, right, ylo);
        fputc(' ', f);
        coord(f, 0, right, yhi);
        fputc(' ', f);
        coord(f, 0, left, yhi);
        fputs("} --cycle;\n", f);
    }
    for (j = 0; j < w->nj; j++) {
        if (markers)
            fprintf(f, "\\addplot[thick, %s, mark=%s, mark size=1.2pt] coordinates {\n",
                    line_colors[j], line_marks[j]);
        else
            fprintf(f, "\\addplot[thick, %s, mark=none] coordinates {\n", line_colors[j]);
        for (i = 0; i < L->n; i++)
            coord(f, i, L->pts[i].x,
                  L->val[(size_t)i * (size_t)(2 * w->nj) + (size_t)(series * w->nj + j)]);
        fputs("};\n\\addlegendentry{", f);
        tex(f, s->jur[j].id);
        fputs("}\n", f);
    }
    fputs("\\end{axis}\n", f);
}

/* The first and last points of line L and every change of regime between them (the first
 * SWEEP_LISTED): a table that does not break, so that no row is left alone on a page. */
static void sweep_changes(FILE *f, const Sweep *w, const SLine *L)
{
    const SPoint *first = &L->pts[0], *last = &L->prev;
    int i;
    fputs("\\par\\medskip\n\\begin{center}\n{\\small\n\\begin{tabular}{llp{0.6\\linewidth}}\n"
          "\\toprule\n",
          f);
    tex(f, w->a->params[w->xp].name);
    fputs(" & Point & Regime (what binds) \\\\\n\\midrule\n", f);
    x_text(f, w, first->x);
    fputs(" & first & ", f);
    regime_name(f, w, first->regime);
    fputs(" \\\\\n", f);
    for (i = 0; i < L->nchg; i++) {
        const Change *c = &L->chg[i];
        x_text(f, w, c->xa);
        fputs(" to ", f);
        x_text(f, w, c->xb);
        fputs(" & change & from ", f);
        regime_name(f, w, c->from);
        fputs("\nto ", f);
        regime_name(f, w, c->to);
        fputs(" \\\\\n", f);
    }
    if (L->changes > L->nchg)
        fprintf(f, "\\multicolumn{3}{l}{\\dots\\ and %ld more changes of regime} \\\\\n",
                L->changes - L->nchg);
    x_text(f, w, last->x);
    fputs(" & last & ", f);
    regime_name(f, w, last->regime);
    fputs(" \\\\\n\\bottomrule\n\\end{tabular}\n}\n\\end{center}\n", f);
}

static void sweep_write(FILE *f, const Sweep *w)
{
    const ElAnalysis *a = w->a;
    const ElScenario *s = w->s;
    int k, l;
    section_break(f);
    fputs("\\section*{Sweep: ", f);
    tex(f, a->id);
    fputs("}\nThe design template \\emph{", f);
    tex(f, a->design_id);
    fprintf(f, "} solved at %ld point%s: ", a->points, a->points == 1 ? "" : "s");
    for (k = 0; k < a->nparams; k++) {
        fputs(k == 0 ? "" : k == a->nparams - 1 ? "\nand " : ";\n", f);
        param_text(f, a, &a->params[k]);
    }
    fputs(". Gains are against autarky.", f);
    if (w->nfailed > 0)
        fprintf(f, " %ld of the points %s no equilibrium; %s gaps in the lines.", w->nfailed,
                w->nfailed == 1 ? "has" : "have", w->nfailed == 1 ? "it is a" : "they are");
    if (w->nlines < 1 || a->nparams == 0) {
        fputs("\n\n", f);
        return;
    }
    fputs("\nThe charts show prices and gains against \\emph{", f);
    tex(f, a->params[w->xp].name);
    fputs("}", f);
    if (w->ncombo > 1) {
        fputs(", one pair for each combination of the other parameters", f);
        if (w->ncombo > w->nlines)
            fprintf(f, " (the first %d of %ld; the other %ld are not drawn)", w->nlines, w->ncombo,
                    w->ncombo - w->nlines);
    }
    fputs(".", f);
    if (w->stride > 1)
        fprintf(f,
                " With %ld values along the axis, the lines pass through every %ld%s value and "
                "through the points on either side of each change of regime.",
                w->nx, w->stride,
                w->stride % 10 == 1 && w->stride % 100 != 11   ? "st"
                : w->stride % 10 == 2 && w->stride % 100 != 12 ? "nd"
                : w->stride % 10 == 3 && w->stride % 100 != 13 ? "rd"
                                                               : "th");
    if (s->njur > w->nj)
        fprintf(f, " The first %d of %d jurisdictions are shown.", w->nj, s->njur);
    fputs("\nShading shows the regime, what binds in the equilibrium (a change between two "
          "points is drawn half-way):\n",
          f);
    for (k = 0; k < w->nregimes; k++) {
        fputs(k ? ";\n" : "", f);
        swatch(f, regime_fill(w, k));
        fputs("~", f);
        tex_parts(f, w->regime[k]);
    }
    if (w->other_regimes)
        fprintf(f, ";\nunshaded: regimes past the first %d", MAX_REGIMES);
    fputs(".\n\n", f);
    for (l = 0; l < w->nlines; l++) {
        const SLine *L = &w->line[l];
        if (L->n == 0)
            continue;
        fputs("\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\n\\subsection*{", f);
        if (w->ncombo > 1)
            combo_text(f, w, l);
        else
            fputs("Prices and gains", f);
        fputs("}\n", f);
        if (L->changes == 0)
            fputs("One regime throughout.", f);
        else
            fprintf(f, "%ld change%s of regime.", L->changes, L->changes == 1 ? "" : "s");
        if (L->changes > L->kept_changes)
            fprintf(f, " The lines pass through both sides of the first %ld.", L->kept_changes);
        fputs("\n\n\\begin{center}\n", f);
        fputs("\\begin{tikzpicture}\n", f);
        sweep_chart(f, w, L, 0);
        sweep_chart(f, w, L, 1);
        fputs("\\end{tikzpicture}\n", f);
        fputs("\\end{center}\n\\end{minipage}\n", f);
        sweep_changes(f, w, L);
    }
}

/* ---- Searches ---- */

typedef struct {
    double *values; /* nvalues, template order */
    bool ok, feasible;
    double obj[EL_SEARCH_MAX_OBJECTIVES];
    double margin;
    int worst;
} SPt;

typedef struct {
    const ElAnalysis *a;
    int nvalues;
    bool found;
    SPt best;
    bool best_ok; /* the equilibrium at the best point */
    int njur;
    double *price, *gain, *ndc; /* per jurisdiction at the best point */
    double total_gain;
    char **active;
    int nactive;
    SPt *ranked; /* the first MAX_RANKED */
    int nranked;
    long ranked_total;
    double *front; /* pairs of objectives */
    long nfront, front_total;
    long evaluations;
    int rounds;
} Search;

static void spt_clear(SPt *p)
{
    el_free(p->values);
}

static void search_free(Search *x)
{
    int k;
    if (!x)
        return;
    spt_clear(&x->best);
    el_free(x->price);
    el_free(x->gain);
    el_free(x->ndc);
    for (k = 0; k < x->nactive; k++)
        el_free(x->active[k]);
    el_free(x->active);
    for (k = 0; k < x->nranked; k++)
        spt_clear(&x->ranked[k]);
    el_free(x->ranked);
    el_free(x->front);
    el_free(x);
}

static bool spt_copy(SPt *to, const ElSearchPoint *from, int nvalues)
{
    to->values = el_calloc((size_t)nvalues + 1, sizeof(double));
    if (!to->values)
        return false;
    if (from->values)
        memcpy(to->values, from->values, (size_t)nvalues * sizeof(double));
    to->ok = from->ok;
    to->feasible = from->feasible;
    memcpy(to->obj, from->obj, sizeof(to->obj));
    to->margin = from->margin;
    to->worst = from->worst;
    return true;
}

static Search *search_copy(const ElSearchResult *r)
{
    Search *x = el_calloc(1, sizeof(*x));
    const ElDesignResult *b = &r->best_result;
    long k;
    int j;
    bool ok;
    if (!x)
        return NULL;
    x->a = r->analysis;
    x->nvalues = r->nvalues;
    x->found = r->found;
    x->evaluations = r->evaluations;
    x->rounds = r->rounds;
    ok = spt_copy(&x->best, &r->best, r->nvalues);
    x->best_ok = b->outcome == EL_OPTIMAL && b->jur != NULL;
    x->njur = b->njur;
    x->total_gain = b->gain;
    if (ok && x->best_ok) {
        x->price = el_calloc((size_t)b->njur + 1, sizeof(double));
        x->gain = el_calloc((size_t)b->njur + 1, sizeof(double));
        x->ndc = el_calloc((size_t)b->njur + 1, sizeof(double));
        ok = x->price && x->gain && x->ndc;
        for (j = 0; ok && j < b->njur; j++) {
            x->price[j] = b->jur[j].price;
            x->gain[j] = b->jur[j].gain;
            x->ndc[j] = b->jur[j].ndc_margin;
        }
    }
    if (ok && r->nactive > 0) {
        x->active = el_calloc((size_t)r->nactive, sizeof(*x->active));
        ok = x->active != NULL;
        for (j = 0; ok && j < r->nactive; j++) {
            x->active[j] = el_strdup(r->active[j]);
            ok = x->active[j] != NULL;
            x->nactive = j + 1;
        }
    }
    x->ranked_total = r->nranked;
    if (ok && r->nranked > 0) {
        int n = r->nranked < MAX_RANKED ? (int)r->nranked : MAX_RANKED;
        x->ranked = el_calloc((size_t)n, sizeof(*x->ranked));
        ok = x->ranked != NULL;
        for (j = 0; ok && j < n; j++) {
            ok = spt_copy(&x->ranked[j], &r->ranked[j], r->nvalues);
            x->nranked = j + 1;
        }
    }
    x->front_total = r->nfront;
    if (ok && r->nfront > 0) { /* every point, or an even subset with both ends */
        long n = r->nfront < MAX_FRONT ? r->nfront : MAX_FRONT;
        x->front = el_calloc((size_t)(2 * n), sizeof(double));
        ok = x->front != NULL;
        for (k = 0; ok && k < n; k++) {
            long i = n == r->nfront ? k : (long)((double)k * (double)(r->nfront - 1) / (n - 1));
            x->front[2 * k] = r->front[i].obj[0];
            x->front[2 * k + 1] = r->front[i].obj[1];
        }
        if (ok)
            x->nfront = n;
    }
    if (!ok) {
        search_free(x);
        return NULL;
    }
    return x;
}

/* "feasible" or "misses gain of A at least 0 by 3.2" */
static void feasibility(FILE *f, const ElScenario *s, const ElAnalysis *a, const SPt *p)
{
    if (!p->ok) {
        fputs("no equilibrium", f);
    } else if (p->feasible) {
        fputs("yes", f);
    } else if (p->worst >= 0 && p->worst < a->nrequire) {
        fputs("no: misses ", f);
        requirement(f, s, &a->require[p->worst]);
        fputs(" by ", f);
        num(f, -p->margin, 4);
    } else {
        fputs("no", f);
    }
}

static void search_write(FILE *f, const Search *x, const ElScenario *s)
{
    const ElAnalysis *a = x->a;
    int k, j;
    bool discrete = false;
    section_break(f);
    fputs("\\section*{Search: ", f);
    tex(f, a->id);
    fputs("}\nThe design template \\emph{", f);
    tex(f, a->design_id);
    fputs("} searched with ", f);
    for (k = 0; k < a->nparams; k++) {
        fputs(k == 0 ? "" : k == a->nparams - 1 ? "\nand " : ";\n", f);
        param_text(f, a, &a->params[k]);
        if (a->params[k].kind != EL_PARAM_CONTINUOUS)
            discrete = true;
    }
    fputs(". It maximises ", f);
    criterion(f, s, &a->objective[0]);
    if (a->nobjectives == 2) {
        fputs(" and traces the Pareto front of it and ", f);
        criterion(f, s, &a->objective[1]);
    }
    if (a->nrequire > 0) {
        fputs(", subject to ", f);
        for (k = 0; k < a->nrequire; k++) {
            fputs(k == 0 ? "" : k == a->nrequire - 1 ? "\nand " : ",\n", f);
            requirement(f, s, &a->require[k]);
        }
    }
    fprintf(f, ". It solved %ld equilibri%s in %d round%s.\n\n", x->evaluations,
            x->evaluations == 1 ? "um" : "a", x->rounds, x->rounds == 1 ? "" : "s");
    if (x->found) {
        fputs("\\textbf{Optimum found.} ", f);
    } else if (!x->best.ok) {
        fputs("\\textbf{No point meets the requirements: no point searched has an "
              "equilibrium.}",
              f);
    } else {
        fputs("\\textbf{No point meets every requirement.} The table shows the point that misses "
              "them least: it misses ",
              f);
        if (x->best.worst >= 0 && x->best.worst < a->nrequire)
            requirement(f, s, &a->require[x->best.worst]);
        fputs(" by ", f);
        num(f, -x->best.margin, 4);
        fputs(".", f);
    }
    fputs("\n\\begin{center}\n\\begin{tabular}{lr}\n\\toprule\n", f);
    fputs(x->found ? "\\multicolumn{2}{l}{\\emph{The optimum}} \\\\\n"
                   : "\\multicolumn{2}{l}{\\emph{The point that misses the requirements least}} "
                     "\\\\\n",
          f);
    fputs("\\midrule\n", f);
    for (k = 0; k < a->nparams; k++) {
        const ElParam *p = &a->params[k];
        tex(f, p->name);
        fputs(" & ", f);
        param_value(f, a, p, x->best.values[p->slot]);
        fputs(" \\\\\n", f);
    }
    for (k = 0; k < a->nobjectives; k++) {
        criterion(f, s, &a->objective[k]);
        fputs(" (", f);
        what_unit(f, s, a->objective[k].what);
        fputs(")", f);
        cell(f, x->best.ok ? x->best.obj[k] : nan(""), 4);
        fputs(" \\\\\n", f);
    }
    fputs("Meets every requirement & ", f);
    fputs(x->found ? "yes" : "no", f);
    fputs(" \\\\\n\\bottomrule\n\\end{tabular}\n\\end{center}\n", f);
    if (x->nactive > 0) {
        fputs("What is active at this point:\n\\begin{itemize}\n", f);
        for (k = 0; k < x->nactive; k++) {
            fputs("\\item ", f);
            tex_parts(f, x->active[k]);
            fputs("\n", f);
        }
        fputs("\\end{itemize}\n", f);
    }
    if (x->best_ok) {
        fputs("\\begin{center}\n{\\small\n\\begin{tabular}{lrrr}\n\\toprule\nJurisdiction & "
              "Price (",
              f);
        tex(f, cur(s));
        fputs("/t) & Gain (million ", f);
        tex(f, cur(s));
        fputs(") & NDC margin (Mt) \\\\\n\\midrule\n", f);
        for (j = 0; j < x->njur && j < s->njur; j++) {
            tex(f, s->jur[j].id);
            cell(f, x->price[j], 2);
            cell(f, x->gain[j], 2);
            cell(f, x->ndc[j], 3);
            fputs(" \\\\\n", f);
        }
        fputs("\\midrule\nTotal & ", f);
        cell(f, x->total_gain, 2);
        fputs(" & \\\\\n\\bottomrule\n\\end{tabular}\n}\n\\end{center}\n", f);
        fputs("NDC margins are -- for jurisdictions without an NDC target.\n\n", f);
    }
    if (discrete && x->ranked_total > 1) {
        fprintf(f,
                "\\subsection*{Ranking of the %ld combinations of discrete values}\nEach "
                "combination at its best continuous values; feasible ones first.",
                x->ranked_total);
        if (x->ranked_total > x->nranked)
            fprintf(f, " The first %d are shown.", x->nranked);
        fputs("\n{\\small\n\\begin{longtable}{rp{0.3\\linewidth}", f);
        for (k = 0; k < a->nobjectives; k++)
            fputs("r", f);
        fputs("p{0.35\\linewidth}}\n\\toprule\nRank & Values", f);
        for (k = 0; k < a->nobjectives; k++) {
            fputs(" & ", f);
            criterion(f, s, &a->objective[k]);
        }
        fputs(" & Meets the requirements \\\\\n\\midrule\n\\endhead\n", f);
        for (j = 0; j < x->nranked; j++) {
            const SPt *p = &x->ranked[j];
            fprintf(f, "%d & ", j + 1);
            point_text(f, a, p->values);
            for (k = 0; k < a->nobjectives; k++)
                cell(f, p->ok ? p->obj[k] : nan(""), 4);
            fputs(" & ", f);
            feasibility(f, s, a, p);
            fputs(" \\\\\n", f);
        }
        fputs("\\bottomrule\n\\end{longtable}\n}\n", f);
    }
    if (a->nobjectives == 2) {
        fputs(
            "\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\n\\subsection*{Pareto front}\n",
            f);
        if (x->nfront == 0) {
            fputs("No feasible point: the front is empty.\n\\end{minipage}\n", f);
            return;
        }
        fprintf(f,
                "The feasible points no other feasible point beats in both objectives (%ld "
                "point%s",
                x->front_total, x->front_total == 1 ? "" : "s");
        if (x->front_total > x->nfront)
            fprintf(f, "; %ld evenly spread of them drawn", x->nfront);
        fputs("). The optimum, best in the first objective, is marked.\n\n\\begin{center}\n"
              "\\begin{tikzpicture}\n\\begin{axis}[width=18cm, height=8cm, xlabel={",
              f);
        criterion(f, s, &a->objective[0]);
        fputs(" (", f);
        what_unit(f, s, a->objective[0].what);
        fputs(")}, ylabel={", f);
        criterion(f, s, &a->objective[1]);
        fputs(" (", f);
        what_unit(f, s, a->objective[1].what);
        fputs(")}, ", f);
        axis_common(f);
        fputs("]\n\\addplot[thick, blue, mark=*, mark size=1.2pt] coordinates {\n", f);
        for (k = 0; k < x->nfront; k++)
            coord(f, k, x->front[2 * k], x->front[2 * k + 1]);
        fputs("};\n\\addlegendentry{Pareto front}\n", f);
        if (x->found) {
            fputs("\\addplot[only marks, red, mark=*, mark size=2.5pt] coordinates {", f);
            coord(f, 0, x->best.obj[0], x->best.obj[1]);
            fputs("};\n\\addlegendentry{optimum}\n", f);
        }
        fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n\\end{minipage}\n", f);
    }
}

/* ---- Sequences ---- */

typedef struct {
    const ElAnalysis *a;
    int nsteps, njur;
    double *gain;  /* nsteps x njur, cumulative (against autarky); NaN without an equilibrium */
    double *delta; /* nsteps x njur, against the step before */
    double *total, *delta_total;
    bool *ok, *pareto, *strict;
    bool all_pareto;
} Sequence;

static void sequence_free(Sequence *x)
{
    if (!x)
        return;
    el_free(x->gain);
    el_free(x->delta);
    el_free(x->total);
    el_free(x->delta_total);
    el_free(x->ok);
    el_free(x->pareto);
    el_free(x->strict);
    el_free(x);
}

static Sequence *sequence_copy(const ElSequenceResult *r)
{
    Sequence *x = el_calloc(1, sizeof(*x));
    int k, j, nj = r->baseline.njur;
    size_t n;
    if (!x)
        return NULL;
    for (k = 0; k < r->nsteps; k++)
        if (r->steps[k].result.jur && r->steps[k].result.njur > nj)
            nj = r->steps[k].result.njur;
    x->a = r->analysis;
    x->nsteps = r->nsteps;
    x->njur = nj;
    x->all_pareto = r->all_pareto;
    n = (size_t)r->nsteps * (size_t)nj + 1;
    x->gain = el_calloc(n, sizeof(double));
    x->delta = el_calloc(n, sizeof(double));
    x->total = el_calloc((size_t)r->nsteps + 1, sizeof(double));
    x->delta_total = el_calloc((size_t)r->nsteps + 1, sizeof(double));
    x->ok = el_calloc((size_t)r->nsteps + 1, sizeof(bool));
    x->pareto = el_calloc((size_t)r->nsteps + 1, sizeof(bool));
    x->strict = el_calloc((size_t)r->nsteps + 1, sizeof(bool));
    if (!x->gain || !x->delta || !x->total || !x->delta_total || !x->ok || !x->pareto ||
        !x->strict) {
        sequence_free(x);
        return NULL;
    }
    for (k = 0; k < r->nsteps; k++) {
        const ElSequenceStep *p = &r->steps[k];
        bool ok = p->result.outcome == EL_OPTIMAL && p->result.jur;
        x->ok[k] = ok;
        x->pareto[k] = p->pareto;
        x->strict[k] = p->strict;
        x->total[k] = ok ? p->result.gain : nan("");
        x->delta_total[k] = p->delta_total;
        for (j = 0; j < nj; j++) {
            x->gain[(size_t)k * (size_t)nj + (size_t)j] =
                ok && j < p->result.njur ? p->result.jur[j].gain : nan("");
            x->delta[(size_t)k * (size_t)nj + (size_t)j] = p->delta ? p->delta[j] : nan("");
        }
    }
    return x;
}

/* The names of the jurisdictions that lose at step k (docs/model.md §7: a loss counts when
 * larger than 1e-9 of the largest gain of the two steps). */
static void losers(FILE *f, const Sequence *x, const ElScenario *s, int k)
{
    double scale = 0;
    int j, n = 0;
    for (j = 0; j < x->njur; j++) {
        scale = fmax(scale, fabs(x->gain[(size_t)k * (size_t)x->njur + (size_t)j]));
        if (k > 0)
            scale = fmax(scale, fabs(x->gain[(size_t)(k - 1) * (size_t)x->njur + (size_t)j]));
    }
    for (j = 0; j < x->njur && j < s->njur; j++)
        if (x->delta[(size_t)k * (size_t)x->njur + (size_t)j] < -1e-9 * (1 + scale)) {
            fputs(n ? ",\n" : "", f);
            tex(f, s->jur[j].id);
            n++;
        }
}

static const char *step_id(const ElScenario *s, const ElAnalysis *a, int k)
{
    int d = a->designs[k];
    return d >= 0 && d < s->ndesigns ? s->designs[d]->id : "?";
}

static void sequence_write(FILE *f, const Sequence *x, const ElScenario *s)
{
    const ElAnalysis *a = x->a;
    int k, j, j0, nj = x->njur < s->njur ? x->njur : s->njur;
    int nshow = nj < MAX_SERIES ? nj : MAX_SERIES, nbad = 0;
    section_break(f);
    fputs("\\section*{Sequence: ", f);
    tex(f, a->id);
    fprintf(f, "}\nThe designs of %d step%s, one after another:", x->nsteps,
            x->nsteps == 1 ? "" : "s");
    for (k = 0; k < x->nsteps; k++) {
        fputs(k ? ",\n" : "\n", f);
        tex(f, step_id(s, a, k));
    }
    fputs(". Each step is compared with the step before it (the first with autarky); it is a "
          "Pareto improvement when no jurisdiction loses (a loss counts when larger than "
          "$10^{-9}$ of the largest gain).\n",
          f);
    if (x->all_pareto) {
        fputs("\\textbf{Every step is a Pareto improvement.}\n", f);
    } else {
        fputs("\\textbf{Not every step is a Pareto improvement:} step", f);
        for (k = 0; k < x->nsteps; k++)
            if (!x->pareto[k])
                nbad++;
        fputs(nbad == 1 ? "" : "s", f);
        for (k = 0, j = 0; k < x->nsteps; k++)
            if (!x->pareto[k]) {
                fputs(j == 0 ? " " : j == nbad - 1 ? " and\n" : ",\n", f);
                fprintf(f, "%d (", k + 1);
                tex(f, step_id(s, a, k));
                fputs(")", f);
                j++;
            }
        fputs(nbad == 1 ? " is not.\n" : " are not.\n", f);
    }
    /* change in each gain, JUR_BLOCK jurisdictions to a table */
    for (j0 = 0; j0 < nj || j0 == 0; j0 += JUR_BLOCK) {
        int j1 = j0 + JUR_BLOCK < nj ? j0 + JUR_BLOCK : nj;
        bool first = j0 == 0;
        fputs("{\\small\n\\begin{longtable}{rl", f);
        for (j = j0; j < j1; j++)
            fputs("r", f);
        fputs(first ? "rrp{0.25\\linewidth}}\n\\toprule\n" : "}\n\\toprule\n", f);
        fputs("Step & Design", f);
        for (j = j0; j < j1; j++) {
            fputs(" & $\\Delta$\\,", f);
            tex(f, s->jur[j].id);
        }
        if (first)
            fputs(" & $\\Delta$\\,total & Total gain & Pareto improvement", f);
        fputs(" \\\\\n\\midrule\n\\endhead\n", f);
        for (k = 0; k < x->nsteps; k++) {
            fprintf(f, "%d & ", k + 1);
            tex(f, step_id(s, a, k));
            for (j = j0; j < j1; j++)
                cell(f, x->delta[(size_t)k * (size_t)x->njur + (size_t)j], 2);
            if (first) {
                cell(f, x->delta_total[k], 2);
                cell(f, x->total[k], 2);
                fputs(" & ", f);
                if (!x->ok[k])
                    fputs("no equilibrium", f);
                else if (k > 0 && !x->ok[k - 1])
                    fputs("-- (the step before has no equilibrium)", f);
                else if (x->pareto[k])
                    fputs(x->strict[k] ? "yes" : "yes (no one gains)", f);
                else {
                    fputs("no (losers: ", f);
                    losers(f, x, s, k);
                    fputs(")", f);
                }
            }
            fputs(" \\\\\n", f);
        }
        fputs("\\bottomrule\n\\end{longtable}\n}\n", f);
        if (nj == 0)
            break;
    }
    fputs("Changes ($\\Delta$) are in million ", f);
    tex(f, cur(s));
    fputs(" a year against the step before; the total gain is against autarky.\n\n", f);
    if (nshow == 0)
        return;
    fputs("\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\n\\subsection*{Cumulative "
          "gains}\nEach "
          "jurisdiction's gain against autarky after each step (0 is autarky).",
          f);
    if (nshow < nj)
        fprintf(f, " The first %d of %d jurisdictions are shown.", nshow, nj);
    fputs(" Steps without an equilibrium are gaps.\n\n\\begin{center}\n\\begin{tikzpicture}\n"
          "\\begin{axis}[width=21cm, height=8cm, unbounded coords=jump, xmin=-0.3, xmax=",
          f);
    el_fmt_num(f, x->nsteps + 0.6);
    fputs(", xlabel={step}, ylabel={gain (million ", f);
    tex(f, cur(s));
    fputs(")}, xtick={", f);
    for (k = 0; k <= x->nsteps; k++)
        fprintf(f, k ? (k % PER_LINE == 0 ? ",%%\n%d" : ",%d") : "%d", k);
    fputs("}, xticklabels={{0: autarky}", f);
    for (k = 0; k < x->nsteps; k++) {
        fprintf(f, (k + 1) % PER_LINE == 0 ? ",%%\n{%d: " : ",{%d: ", k + 1);
        tex(f, step_id(s, a, k));
        fputs("}", f);
    }
    fputs("}, x tick label style={rotate=20, anchor=north east, font=\\scriptsize},\n", f);
    axis_common(f);
    fputs("]\n", f);
    for (j = 0; j < nshow; j++) { /* each level runs to the next step, the last one past it */
        double last =
            x->nsteps > 0 ? x->gain[(size_t)(x->nsteps - 1) * (size_t)x->njur + (size_t)j] : 0;
        fprintf(f,
                "\\addplot[only marks, %s, mark=%s, mark size=1.5pt, forget plot] "
                "coordinates {\n",
                line_colors[j], line_marks[j]);
        coord(f, 0, 0, 0);
        for (k = 0; k < x->nsteps; k++)
            coord(f, k + 1, k + 1, x->gain[(size_t)k * (size_t)x->njur + (size_t)j]);
        fprintf(f, "};\n\\addplot[thick, const plot, %s, mark=none] coordinates {\n",
                line_colors[j]);
        coord(f, 0, 0, 0);
        for (k = 0; k < x->nsteps; k++)
            coord(f, k + 1, k + 1, x->gain[(size_t)k * (size_t)x->njur + (size_t)j]);
        coord(f, x->nsteps + 1, x->nsteps + 0.6, last);
        fputs("};\n\\addlegendentry{", f);
        tex(f, s->jur[j].id);
        fputs("}\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n\\end{minipage}\n", f);
}

/* ---- Coalition games ---- */

#define COAL_MAX    EL_COALITION_MAX_MEMBERS
#define COAL_TOP    10 /* coalitions listed by value */
#define COAL_LISTED 15 /* coalition structures listed */
#define COAL_LABELS 12 /* members up to which the chart labels its bars with their values */

typedef struct {
    const ElAnalysis *a;
    int n;
    int members[COAL_MAX]; /* jurisdiction indices */
    double market[COAL_MAX], shapley[COAL_MAX], nucleolus[COAL_MAX];
    bool have_nucleolus;
    double grand; /* v(N) */
    bool superadditive, sa_exhaustive;
    unsigned sa_s, sa_t;
    double sa_gap, sa_vs, sa_vt, sa_vst; /* v(S), v(T), v(S u T) of the violating pair */
    double eps;
    bool empty, market_in_core;
    unsigned market_s;
    double market_gap, market_v; /* v(S) - market(S), v(S) of the most violated coalition */
    unsigned top[COAL_TOP];
    double top_v[COAL_TOP];
    int ntop;
    long ncoalitions; /* of two or more members */
    bool have_structures;
    long partitions, stable_count[EL_PAYOFF_RULES], cs_core_count;
    double best_value;
    int nlisted_all;
    bool truncated;
    ElStructure listed[COAL_LISTED];
    int nlisted;
} Coalitions;

static int bits(unsigned m)
{
    return __builtin_popcount(m);
}

/* The COAL_TOP largest values of coalitions of two or more members (ties: the smaller mask), by
 * one pass over the 2^n values. */
static void coalitions_top(Coalitions *x, const ElGame *g)
{
    unsigned full = g->n > 0 ? (1u << g->n) - 1u : 0, m;
    int k;
    for (m = 1; m <= full && m != 0; m++) {
        if (bits(m) < 2)
            continue;
        x->ncoalitions++;
        if (x->ntop < COAL_TOP)
            k = x->ntop++;
        else if (g->v[m] > x->top_v[COAL_TOP - 1])
            k = COAL_TOP - 1;
        else
            continue;
        for (; k > 0 && g->v[m] > x->top_v[k - 1]; k--) { /* equal values keep the smaller mask */
            x->top[k] = x->top[k - 1];
            x->top_v[k] = x->top_v[k - 1];
        }
        x->top[k] = m;
        x->top_v[k] = g->v[m];
    }
}

static Coalitions *coalitions_copy(const ElAnalysis *a, const ElCoalitionResult *r)
{
    const ElGame *g = &r->game;
    Coalitions *x;
    int k;
    if (g->n < 1 || g->n > COAL_MAX || !g->v)
        return NULL;
    x = el_calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    x->a = a;
    x->n = g->n;
    for (k = 0; k < g->n; k++) {
        x->members[k] = g->members[k];
        x->market[k] = g->market[k];
        x->shapley[k] = g->shapley[k];
        x->nucleolus[k] = r->have_nucleolus ? r->nucleolus[k] : nan("");
    }
    x->have_nucleolus = r->have_nucleolus;
    x->grand = g->v[(1u << g->n) - 1u];
    x->superadditive = g->superadditive;
    x->sa_exhaustive = g->sa_exhaustive;
    if (!g->superadditive) {
        x->sa_s = g->sa_s;
        x->sa_t = g->sa_t;
        x->sa_gap = g->sa_gap;
        x->sa_vs = g->v[g->sa_s];
        x->sa_vt = g->v[g->sa_t];
        x->sa_vst = g->v[g->sa_s | g->sa_t];
    }
    x->eps = r->core.eps;
    x->empty = r->core.empty;
    x->market_in_core = r->core.market_in_core;
    if (!r->core.market_in_core) {
        x->market_s = r->core.market_s;
        x->market_gap = r->core.market_gap;
        x->market_v = g->v[r->core.market_s];
    }
    coalitions_top(x, g);
    x->have_structures = r->have_structures;
    if (r->have_structures) {
        const ElStructures *st = &r->structures;
        x->partitions = st->partitions;
        memcpy(x->stable_count, st->stable_count, sizeof(x->stable_count));
        x->cs_core_count = st->cs_core_count;
        x->best_value = st->best_value;
        x->nlisted_all = st->nlisted;
        x->truncated = st->truncated;
        x->nlisted = st->nlisted < COAL_LISTED ? st->nlisted : COAL_LISTED;
        if (x->nlisted > 0)
            memcpy(x->listed, st->listed, (size_t)x->nlisted * sizeof(ElStructure));
    }
    return x;
}

/* The members of mask, as "A B C" (a line break every PER_LINE names: a space to TeX). */
static void coal_members(FILE *f, const Coalitions *x, const ElScenario *s, unsigned mask)
{
    int k, i = 0;
    for (k = 0; k < x->n; k++)
        if ((mask >> k) & 1u) {
            if (i > 0)
                fputc(i % PER_LINE == 0 ? '\n' : ' ', f);
            tex(f, s->jur[x->members[k]].id);
            i++;
        }
}

/* A coalition as a block: "\{A B\}". */
static void coal_block(FILE *f, const Coalitions *x, const ElScenario *s, unsigned mask)
{
    fputs("\\{", f);
    coal_members(f, x, s, mask);
    fputs("\\}", f);
}

/* Text with every "@C" replaced by the escaped currency. */
static void with_cur(FILE *f, const ElScenario *s, const char *text)
{
    const char *at;
    while ((at = strstr(text, "@C")) != NULL) {
        fwrite(text, 1, (size_t)(at - text), f);
        tex(f, cur(s));
        text = at + 2;
    }
    fputs(text, f);
}

/* " million CUR" */
static void money(FILE *f, const ElScenario *s)
{
    fputs("\\,million ", f);
    tex(f, cur(s));
}

/* Start a new page unless `lines` baselines are left on this one (TeX's \pagegoal and
 * \pagetotal, as the needspace package does): a heading stays with its table, and a table that
 * fits on a page is not split. A table longer than a page (COAL_PAGE_LINES) starts where
 * COAL_MIN_LINES are left, and its header repeats on the next pages. */
#define COAL_PAGE_LINES 38
#define COAL_MIN_LINES  16
static void need_lines(FILE *f, int lines)
{
    if (lines > COAL_PAGE_LINES)
        lines = COAL_MIN_LINES;
    fprintf(f, "\\etslinkneed{%d\\baselineskip}\n", lines);
}

/* Lines of a table cell `chars` characters wide in a column of `per_line` characters (an
 * estimate: a UTF-8 byte counts as a character, so CJK text, 3 bytes a character of double
 * width, is overestimated). */
static int cell_lines(size_t chars, size_t per_line)
{
    return 1 + (int)(chars / per_line);
}

/* The characters of mask's members as written, with the separators. */
static size_t coal_chars(const Coalitions *x, const ElScenario *s, unsigned mask)
{
    size_t n = 2;
    int k;
    for (k = 0; k < x->n; k++)
        if ((mask >> k) & 1u)
            n += strlen(s->jur[x->members[k]].id) + 1;
    return n;
}

/* The head of a longtable of ncols columns: the header rows on the first page, and again with
 * "(continued)" on the next ones, and "continued on the next page" at each break. */
static void longtable_head(FILE *f, const ElScenario *s, int ncols, const char *header)
{
    fputs("\\toprule\n", f);
    with_cur(f, s, header);
    fputs("\\midrule\n\\endfirsthead\n", f);
    fprintf(f, "\\multicolumn{%d}{l}{\\emph{(continued)}} \\\\\n\\toprule\n", ncols);
    with_cur(f, s, header);
    fputs("\\midrule\n\\endhead\n", f);
    fprintf(f,
            "\\midrule\n\\multicolumn{%d}{r}{\\emph{continued on the next page}} \\\\\n"
            "\\endfoot\n\\bottomrule\n\\endlastfoot\n",
            ncols);
}

/* "A, B and C": the members whose transfer has sign `sign` (beyond 0.005), n of them. */
static void transfer_list(FILE *f, const Coalitions *x, const ElScenario *s, int sign, int n)
{
    int k, i = 0;
    for (k = 0; k < x->n; k++) {
        double t = sign * (x->shapley[k] - x->market[k]);
        if (t <= 5e-3)
            continue;
        fputs(i == 0 ? "" : i == n - 1 ? " and\n" : ",\n", f);
        tex(f, s->jur[x->members[k]].id);
        i++;
    }
}

static void coalitions_verdicts(FILE *f, const Coalitions *x, const ElScenario *s)
{
    int k, nrecv = 0, npay = 0;
    double paid = 0, received = 0;
    char eps[64];
    fputs("\\begin{itemize}\n\\item ", f);
    if (x->superadditive) {
        fputs("\\textbf{Superadditive:} no two disjoint coalitions gain more apart than linked "
              "together",
              f);
        fputs(x->sa_exhaustive ? " (every pair checked).\n"
                               : " (each coalition checked against each member outside it; with "
                                 "more than 16 members not every pair is checked).\n",
              f);
    } else {
        fputs("\\textbf{Not superadditive:} ", f);
        coal_block(f, x, s, x->sa_s);
        fputs(" and ", f);
        coal_block(f, x, s, x->sa_t);
        fputs(" gain ", f);
        num(f, x->sa_gap, 2);
        money(f, s);
        fputs(" more apart (", f);
        num(f, x->sa_vs, 2);
        fputs(" and ", f);
        num(f, x->sa_vt, 2);
        fputs(") than linked together (", f);
        num(f, x->sa_vst, 2);
        fputs(").\n", f);
    }
    fputs("\\item ", f);
    el_fmt_fixed_str(eps, sizeof(eps), x->eps, 2);
    if (!x->empty) {
        fputs("\\textbf{The core is not empty} (least-core value ", f);
        num(f, x->eps, 2);
        fputs("):\nthe grand coalition's gain can be shared so that every coalition gets at least "
              "its value",
              f);
        if (strspn(eps, "0.") != strlen(eps)) {
            fputs(" and ", f);
            num(f, x->eps, 2);
            money(f, s);
            fputs(" more", f);
        }
        fputs(", and none would rather link on its own.\n", f);
    } else {
        fputs("\\textbf{The core is empty} (least-core value ", f);
        num(f, x->eps, 2);
        fputs("):\nhowever the grand coalition's gain is shared, some coalition gets at least ", f);
        num(f, -x->eps, 2);
        money(f, s);
        fputs(" less than its value, and would rather link on its own.\n", f);
    }
    fputs("\\item ", f);
    if (x->market_in_core) {
        fputs("\\textbf{The market allocation is in the core:} the members' gains at the grand "
              "coalition's prices give every coalition at least its value.\n",
              f);
    } else {
        fputs("\\textbf{The market allocation is not in the core:} ", f);
        coal_block(f, x, s, x->market_s);
        fputs(" is worth ", f);
        num(f, x->market_v, 2);
        money(f, s);
        fputs(", but at the grand coalition's prices its members gain ", f);
        num(f, x->market_v - x->market_gap, 2);
        fputs(", ", f);
        num(f, x->market_gap, 2);
        fputs(" less: it would do better linking on its own (the coalition that blocks the market "
              "allocation most).\n",
              f);
    }
    for (k = 0; k < x->n; k++) {
        double t = x->shapley[k] - x->market[k];
        if (t > 5e-3) {
            nrecv++;
            received += t;
        } else if (t < -5e-3) {
            npay++;
            paid -= t;
        }
    }
    fputs("\\item \\textbf{Transfers:} ", f);
    if (nrecv == 0 && npay == 0) {
        fputs("the Shapley value gives every member its market gain (to 0.01); no transfers are "
              "needed.\n",
              f);
    } else {
        fputs("to move from the market gains to the Shapley value,\n", f);
        if (npay > 0) {
            transfer_list(f, x, s, -1, npay);
            fputs(npay == 1 ? " pays " : " pay ", f);
            num(f, paid, 2);
            fputs(nrecv > 0 ? " and\n" : "", f);
        }
        if (nrecv > 0) {
            transfer_list(f, x, s, 1, nrecv);
            fputs(nrecv == 1 ? " receives " : " receive ", f);
            num(f, received, 2);
        }
        money(f, s);
        fputs(" a year in all.\n", f);
    }
    fputs("\\end{itemize}\n", f);
}

/* Whether some member has a name other than its id. */
static bool coal_named(const Coalitions *x, const ElScenario *s)
{
    int k;
    for (k = 0; k < x->n; k++) {
        const ElJurisdiction *ju = &s->jur[x->members[k]];
        if (ju->name && ju->name[0] && strcmp(ju->name, ju->id) != 0)
            return true;
    }
    return false;
}

static void coalitions_members_table(FILE *f, const Coalitions *x, const ElScenario *s)
{
    bool named = coal_named(x, s);
    char head[256];
    int k, ncols = 4 + named + x->have_nucleolus;
    double tm = 0, ts = 0, tn = 0;
    int lines = 12; /* heading, text, header, total */
    for (k = 0; k < x->n; k++) {
        const char *name = s->jur[x->members[k]].name;
        lines += named && name ? cell_lines(strlen(name), 42) : 1;
    }
    need_lines(f, lines);
    fputs("\\subsection*{Gains and transfers}\nEach member's \\emph{market gain}: its gain at "
          "the grand coalition's prices;\nits \\emph{Shapley value}: its marginal contribution to "
          "the coalitions it joins, averaged over every order of joining;\nthe \\emph{transfer}: "
          "the Shapley value less the market gain, what it receives ($+$) or pays ($-$) to move "
          "from the one to the other.",
          f);
    if (x->have_nucleolus)
        fputs("\nThe \\emph{nucleolus} shares the grand coalition's gain so that the coalitions "
              "with the least to spare have as much as possible.",
              f);
    fputs("\nTotals are over the members; the Shapley values and the nucleolus share the grand "
          "coalition's value.\n",
          f);
    fprintf(f, "{\\small\n\\begin{longtable}{l%srrr%s}\n", named ? "p{0.3\\linewidth}" : "",
            x->have_nucleolus ? "r" : "");
    snprintf(head, sizeof(head),
             "Member%s & Market gain & Shapley value & Transfer%s \\\\\n%s & (M@C) & (M@C) & "
             "(M@C)%s \\\\\n",
             named ? " & Name" : "", x->have_nucleolus ? " & Nucleolus" : "", named ? " &" : "",
             x->have_nucleolus ? " & (M@C)" : "");
    longtable_head(f, s, ncols, head);
    for (k = 0; k < x->n; k++) {
        const ElJurisdiction *ju = &s->jur[x->members[k]];
        tex(f, ju->id);
        if (named) {
            fputs(" & \\raggedright ", f);
            tex(f, ju->name && strcmp(ju->name, ju->id) != 0 ? ju->name : "");
        }
        cell(f, x->market[k], 2);
        cell(f, x->shapley[k], 2);
        fputs(" & ", f);
        el_fmt_tex_signed(f, x->shapley[k] - x->market[k], 2);
        if (x->have_nucleolus)
            cell(f, x->nucleolus[k], 2);
        fputs(" \\tabularnewline\n", f);
        tm += x->market[k];
        ts += x->shapley[k];
        tn += x->nucleolus[k];
    }
    fputs(named ? "\\midrule\nTotal & " : "\\midrule\nTotal", f);
    cell(f, tm, 2);
    cell(f, ts, 2);
    fputs(" & ", f);
    el_fmt_tex_signed(f, ts - tm, 2);
    if (x->have_nucleolus)
        cell(f, tn, 2);
    fputs(" \\\\\n\\end{longtable}\n}\n\n", f);
}

/* Whether the chart's member labels are set at an angle: when the longest id would not fit
 * under its group of bars (about 5.5 pt a character in \\small, 22 cm for the groups). */
static bool coal_rotate(const Coalitions *x, const ElScenario *s)
{
    size_t longest = 0;
    int k;
    for (k = 0; k < x->n; k++) {
        size_t len = strlen(s->jur[x->members[k]].id);
        longest = len > longest ? len : longest;
    }
    return (double)longest * 5.5 > 0.85 * 620.0 / x->n;
}

/* Market gains next to Shapley values: two bars per member. */
static void coalitions_chart(FILE *f, const Coalitions *x, const ElScenario *s)
{
    int k, series;
    double bw = fmax(2.0, fmin(16.0, 170.0 / x->n));
    fputs("\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\n\\subsection*{Market gains "
          "and Shapley values}\nEach member's gain at the grand coalition's market prices next "
          "to its Shapley value (million ",
          f);
    tex(f, cur(s));
    fputs(" a year); the difference is the transfer in the table below.\n\n"
          "\\definecolor{etslinkmarket}{RGB}{0,114,178}\\definecolor{etslinkshapley}{RGB}{230,"
          "159,0}\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[ybar, width=22cm, "
          "height=7.5cm,\nbar width=",
          f);
    el_fmt_num(f, bw);
    fputs("pt, ylabel={gain (million ", f);
    tex(f, cur(s));
    fputs(")}, xtick=data, xticklabels={", f);
    for (k = 0; k < x->n; k++) {
        if (k > 0)
            fputs(k % PER_LINE == 0 ? ",%\n" : ",", f);
        fputs("{", f);
        tex(f, s->jur[x->members[k]].id);
        fputs("}", f);
    }
    fputs("}, x tick label style={font=\\small", f);
    fputs(coal_rotate(x, s) ? ", rotate=30, anchor=north east}" : "}", f);
    fputs(", enlarge x limits={abs=0.6}, scaled y ticks=false, y tick label style={/pgf/number "
          "format/fixed},\nextra y ticks={0}, extra y tick labels={}, extra y tick "
          "style={grid=major, major grid style={black!50}},\nlegend style={at={(0.5,1.02)}, "
          "anchor=south, legend columns=-1, font=\\small, /tikz/every even column/.append "
          "style={column sep=1em}}\n",
          f);
    if (x->n <= COAL_LABELS)
        fputs(", nodes near coords, every node near coord/.append style={font=\\scriptsize, "
              "/pgf/number format/fixed, /pgf/number format/precision=1, /pgf/number "
              "format/fixed zerofill}",
              f);
    fputs("]\n", f);
    for (series = 0; series < 2; series++) {
        fprintf(f, "\\addplot[fill=%s, draw=black!70] coordinates {\n",
                series ? "etslinkshapley" : "etslinkmarket");
        for (k = 0; k < x->n; k++)
            coord(f, k, k + 1, series ? x->shapley[k] : x->market[k]);
        fputs(series ? "};\n\\addlegendentry{Shapley value}\n"
                     : "};\n\\addlegendentry{market gain}\n",
              f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n\\end{minipage}\n\n", f);
}

static void coalitions_top_table(FILE *f, const Coalitions *x, const ElScenario *s)
{
    int k, lines = 9; /* heading, text, header */
    if (x->ntop == 0)
        return;
    for (k = 0; k < x->ntop; k++)
        lines += cell_lines(coal_chars(x, s, x->top[k]), 80);
    need_lines(f, lines);
    fputs("\\subsection*{The most valuable coalitions}\n", f);
    if (x->ncoalitions > x->ntop)
        fprintf(f, "The %d most valuable of the \\num{%ld} coalitions of two or more members",
                x->ntop, x->ncoalitions);
    else
        fprintf(f, "The %ld coalition%s of two or more members", x->ncoalitions,
                x->ncoalitions == 1 ? "" : "s");
    fputs(", by value:\nthe total gain of linking its members, everyone else in autarky "
          "(ties: in the members' order).\nThe share is of the grand coalition's value.\n",
          f);
    fputs("{\\small\n\\begin{longtable}{rp{0.6\\linewidth}rrr}\n", f);
    longtable_head(f, s, 5, "Rank & Coalition & Size & Value (M@C) & Share (\\%) \\\\\n");
    for (k = 0; k < x->ntop; k++) {
        fprintf(f, k ? "\\addlinespace[2pt]\n%d & \\raggedright " : "%d & \\raggedright ", k + 1);
        coal_members(f, x, s, x->top[k]);
        fprintf(f, " & %d", bits(x->top[k]));
        cell(f, x->top_v[k], 2);
        cell(f, fabs(x->grand) > 1e-12 ? 100 * x->top_v[k] / x->grand : nan(""), 1);
        fputs(" \\tabularnewline\n", f);
    }
    fputs("\\end{longtable}\n}\n", f);
}

/* "stable" or "blocked by {A B}" for structure p under rule r. */
static void
stability(FILE *f, const Coalitions *x, const ElScenario *s, const ElStructure *p, int r)
{
    if (p->stable[r]) {
        fputs("stable", f);
        return;
    }
    fputs("blocked by ", f);
    if (p->blocker[r])
        coal_block(f, x, s, p->blocker[r]);
    else
        fputs("--", f);
}

static void coalitions_structures(FILE *f, const Coalitions *x, const ElScenario *s)
{
    int k, i, lines = 20; /* heading, text, header */
    for (k = 0; k < x->nlisted; k++) {
        const ElStructure *p = &x->listed[k];
        size_t chars = 0;
        int r, l;
        for (i = 0; i < p->nblocks; i++)
            chars += coal_chars(x, s, p->blocks[i]);
        l = cell_lines(chars, 48);
        for (r = 0; r < EL_PAYOFF_RULES; r++)
            if (!p->stable[r] && cell_lines(12 + coal_chars(x, s, p->blocker[r]), 26) > l)
                l = cell_lines(12 + coal_chars(x, s, p->blocker[r]), 26);
        lines += l;
    }
    if (!x->have_structures)
        lines = 4;
    need_lines(f, lines);
    fputs("\\subsection*{Stable coalition structures}\n", f);
    if (!x->have_structures) {
        if (x->n > EL_STRUCTURE_MAX_MEMBERS)
            fprintf(f,
                    "Coalition structures are examined for at most %d members; this game has "
                    "%d.\n\n",
                    EL_STRUCTURE_MAX_MEMBERS, x->n);
        else
            fputs("Coalition structures were not examined.\n\n", f);
        return;
    }
    fprintf(
        f,
        "Every partition of the %d members into linked blocks (a block of one is autarky) was "
        "examined: \\num{%ld} partition%s.\nA partition is \\emph{stable} when no group of members "
        "would each do strictly better in a block of their own,\neach member's payoff being "
        "either its gain at its block's market prices (\\emph{market payoffs}) or its Shapley "
        "value in its block (\\emph{Shapley payoffs}).\n",
        x->n, x->partitions, x->partitions == 1 ? "" : "s");
    fputs("\\begin{itemize}\n", f);
    fprintf(f,
            "\\item Stable under market payoffs: \\textbf{%ld}; under Shapley payoffs: "
            "\\textbf{%ld}.\n",
            x->stable_count[EL_PAYOFF_MARKET], x->stable_count[EL_PAYOFF_SHAPLEY]);
    fputs("\\item The most valuable partition is worth ", f);
    num(f, x->best_value, 2);
    money(f, s);
    if (fabs(x->best_value - x->grand) <= 1e-9 * (1 + fabs(x->grand)))
        fputs(", as much as the grand coalition", f);
    else {
        fputs(" against the grand coalition's ", f);
        num(f, x->grand, 2);
    }
    fprintf(f,
            ".\nWith transfers between members, %ld partition%s %s a non-empty coalition-structure "
            "core (a sharing of each block's value that no coalition blocks).\n",
            x->cs_core_count, x->cs_core_count == 1 ? "" : "s",
            x->cs_core_count == 1 ? "has" : "have");
    fputs("\\end{itemize}\n", f);
    fputs("The table lists the grand coalition, the most valuable partitions and those stable "
          "under either payoff rule,\nby value",
          f);
    if (x->nlisted_all > x->nlisted || x->truncated)
        fprintf(f, " (the first %d of them)", x->nlisted);
    fputs(".\nThe loss is against the grand coalition's value; a blocked partition names the "
          "blocking coalition whose members gain most.\n",
          f);
    fputs("{\\small\n\\begin{longtable}{p{0.36\\linewidth}rrrp{0.2\\linewidth}p{0.2\\linewidth}}\n",
          f);
    longtable_head(f, s, 6,
                   "Structure & Value & Loss & Loss & Market payoffs & Shapley payoffs \\\\\n"
                   " & (M@C) & (M@C) & (\\%) & & \\\\\n");
    for (k = 0; k < x->nlisted; k++) {
        const ElStructure *p = &x->listed[k];
        fputs(k ? "\\addlinespace[2pt]\n\\raggedright " : "\\raggedright ", f);
        for (i = 0; i < p->nblocks; i++) {
            if (i > 0)
                fputs("\\hspace{0.4em}", f);
            coal_block(f, x, s, p->blocks[i]);
        }
        cell(f, p->value, 2);
        cell(f, p->loss, 2);
        cell(f, fabs(x->grand) > 1e-12 ? 100 * p->loss / x->grand : nan(""), 1);
        fputs(" & \\raggedright ", f);
        stability(f, x, s, p, EL_PAYOFF_MARKET);
        fputs(" & \\raggedright ", f);
        stability(f, x, s, p, EL_PAYOFF_SHAPLEY);
        fputs(" \\tabularnewline\n", f);
    }
    fputs("\\end{longtable}\n}\n", f);
}

static void coalitions_write(FILE *f, const Coalitions *x, const ElScenario *s)
{
    const ElAnalysis *a = x->a;
    int k, i;
    section_break(f);
    fputs("\\section*{Coalitions: ", f);
    tex(f, a->id);
    fprintf(f, "}\nLinking as a cooperative game of the %d members ", x->n);
    for (k = 0, i = 0; k < x->n; k++) {
        fputs(i == 0 ? "" : i == x->n - 1 ? " and\n" : ",\n", f);
        tex(f, s->jur[x->members[k]].id);
        i++;
    }
    fprintf(
        f,
        ": each of the \\num{%ld} coalitions of two or more members is solved as one full link of "
        "its members",
        x->ncoalitions);
    if (a->rules >= 0 && a->rules < s->ndesigns) {
        fputs(" under the rules of design \\emph{", f);
        tex(f, s->designs[a->rules]->id);
        fputs("} (those of its elements that concern only the coalition's members)", f);
    }
    fputs(", everyone else in autarky.\nA coalition's \\emph{value} is its members' total gain "
          "against autarky; the grand coalition of all members is worth ",
          f);
    num(f, x->grand, 2);
    money(f, s);
    fputs(" a year. Money is in million ", f);
    tex(f, cur(s));
    fputs(" a year throughout.\n", f);
    coalitions_verdicts(f, x, s);
    coalitions_chart(f, x, s);
    coalitions_members_table(f, x, s);
    coalitions_top_table(f, x, s);
    coalitions_structures(f, x, s);
}

/* ---- Uncertainty ---- */

#define UNC_MAX_BOXES  31 /* boxes in a price chart: autarky and the first 30 designs */
#define UNC_MAX_CHARTS 24 /* jurisdictions with a price chart (the first in file order) */
#define UNC_LABEL_MAX  18 /* design ids up to this long label bars and boxes; else numbers */
#define UNC_MAX_LISTED 60 /* shocks, correlations and designs named in full */
#define UNC_BAR_LABELS 20 /* designs up to which the bars carry their expected gain */
#define UNC_Z95        1.959963984540054 /* the standard normal's 97.5% point: 95% intervals */

/* What the report shows of a summary (engine/uncertainty.h ElUncSummary). */
typedef struct {
    long n;
    double mean, sd, se, min, max;
    double q[EL_UQ]; /* 5, 25, 50, 75, 95% (el_unc_quantiles) */
} UStat;

/* A copy of an uncertainty result: a few numbers per design slot (0 autarky) and jurisdiction. */
typedef struct {
    const ElAnalysis *a;
    int nd, njur;
    long draws, invalid, no_autarky;
    double rank_error;
    long *no_eq, *used;                         /* [nd + 1] */
    UStat *total;                               /* [nd + 1] */
    double *effort_total;                       /* [nd + 1] */
    UStat *price, *gain;                        /* [d njur + j] */
    double *p_loss, *p_loss_se, *dvar, *effort; /* [d njur + j] */
} Unc;

static void unc_free(Unc *x)
{
    if (!x)
        return;
    el_free(x->no_eq);
    el_free(x->used);
    el_free(x->total);
    el_free(x->effort_total);
    el_free(x->price);
    el_free(x->gain);
    el_free(x->p_loss);
    el_free(x->p_loss_se);
    el_free(x->dvar);
    el_free(x->effort);
    el_free(x);
}

static void ustat(UStat *to, const ElUncSummary *from)
{
    to->n = from->n;
    to->mean = from->mean;
    to->sd = from->sd;
    to->se = from->se;
    to->min = from->min;
    to->max = from->max;
    memcpy(to->q, from->q, sizeof(to->q));
}

static Unc *unc_copy(const ElUncertaintyResult *r)
{
    size_t n1 = (size_t)r->nd + 1, ns = n1 * (size_t)r->njur, k;
    Unc *x = el_calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    x->a = r->a;
    x->nd = r->nd;
    x->njur = r->njur;
    x->draws = r->draws;
    x->invalid = r->invalid;
    x->no_autarky = r->no_autarky;
    x->rank_error = r->rank_error;
    x->no_eq = el_calloc(n1, sizeof(long));
    x->used = el_calloc(n1, sizeof(long));
    x->total = el_calloc(n1, sizeof(UStat));
    x->effort_total = el_calloc(n1, sizeof(double));
    x->price = el_calloc(ns, sizeof(UStat));
    x->gain = el_calloc(ns, sizeof(UStat));
    x->p_loss = el_calloc(ns, sizeof(double));
    x->p_loss_se = el_calloc(ns, sizeof(double));
    x->dvar = el_calloc(ns, sizeof(double));
    x->effort = el_calloc(ns, sizeof(double));
    if (!x->no_eq || !x->used || !x->total || !x->effort_total || !x->price || !x->gain ||
        !x->p_loss || !x->p_loss_se || !x->dvar || !x->effort) {
        unc_free(x);
        return NULL;
    }
    for (k = 0; k < n1; k++) {
        x->no_eq[k] = r->no_eq[k];
        x->used[k] = r->used[k];
        ustat(&x->total[k], &r->total[k]);
        x->effort_total[k] = r->effort_total[k];
    }
    for (k = 0; k < ns; k++) {
        ustat(&x->price[k], &r->jur[k * EL_UV_COUNT + EL_UV_PRICE]);
        ustat(&x->gain[k], &r->jur[k * EL_UV_COUNT + EL_UV_GAIN]);
        x->p_loss[k] = r->p_loss[k];
        x->p_loss_se[k] = r->p_loss_se[k];
        x->dvar[k] = r->price_var_change[k];
        x->effort[k] = r->effort[k];
    }
    return x;
}

static size_t unc_at(const Unc *x, int d, int j)
{
    return (size_t)d * (size_t)x->njur + (size_t)j;
}

/* The id of design slot d (0: autarky). */
static const char *unc_design(const Unc *x, const ElScenario *s, int d)
{
    int i = d > 0 ? x->a->designs[d - 1] : -1;
    if (d == 0)
        return "autarky";
    return i >= 0 && i < s->ndesigns ? s->designs[i]->id : "?";
}

/* The title of design slot d (NULL: autarky or none). */
static const char *unc_title(const Unc *x, const ElScenario *s, int d)
{
    int i = d > 0 ? x->a->designs[d - 1] : -1;
    if (i < 0 || i >= s->ndesigns || !s->designs[i]->title || !s->designs[i]->title[0])
        return NULL;
    return s->designs[i]->title;
}

/* Design slot d in prose: "\emph{Title} (id)", or "\emph{id}" without a title. */
static void unc_ref(FILE *f, const Unc *x, const ElScenario *s, int d)
{
    const char *title = unc_title(x, s, d);
    fputs("\\emph{", f);
    tex(f, title ? title : unc_design(x, s, d));
    fputs("}", f);
    if (title) {
        fputs(" (", f);
        tex(f, unc_design(x, s, d));
        fputs(")", f);
    }
}

/* Design slot d in a wrapping table cell: its id and, on a line below, its title. */
static void unc_cell(FILE *f, const Unc *x, const ElScenario *s, int d)
{
    const char *title = unc_title(x, s, d);
    tex(f, unc_design(x, s, d));
    if (title) {
        fputs("\\newline\\emph{", f);
        tex(f, title);
        fputs("}", f);
    }
}

/* Whether the designs are labelled by number in the charts (some id is longer than
 * UNC_LABEL_MAX characters). */
static bool unc_numbered(const Unc *x, const ElScenario *s)
{
    int d;
    for (d = 1; d <= x->nd; d++)
        if (strlen(unc_design(x, s, d)) > UNC_LABEL_MAX)
            return true;
    return false;
}

/* The label of design slot d in a chart. */
static void unc_label(FILE *f, const Unc *x, const ElScenario *s, int d, bool numbered)
{
    fputs("{", f);
    if (numbered && d > 0)
        fprintf(f, "%d", d);
    else
        tex(f, unc_design(x, s, d));
    fputs("}", f);
}

/* "1 = id, 2 = id, ...": the key of numbered labels. */
static void unc_key(FILE *f, const Unc *x, const ElScenario *s, int nd)
{
    int d;
    fputs("Designs by number:", f);
    for (d = 1; d <= nd; d++) {
        fprintf(f, d == 1 ? "\n%d~=~" : ",\n%d~=~", d);
        unc_ref(f, x, s, d);
    }
    fputs(".\n", f);
}

/* A quantity a shock applies to, and its unit. */
static const char *shock_quantity(ElSetField on, const char **unit)
{
    switch (on) {
    case EL_SET_BAU:
        *unit = "Mt";
        return "BAU emissions";
    case EL_SET_OUTPUT:
        *unit = "units of output";
        return "output";
    case EL_SET_CAP:
        *unit = "Mt";
        return "cap";
    case EL_SET_MAC_SCALE:
        *unit = "factor";
        return "MAC scale";
    default:
        *unit = "";
        return el_set_field_name(on);
    }
}

/* The value of a shock's quantity before the shock: its mean (as engine/uncertainty.c). */
static double shock_mean(const ElScenario *s, const ElShock *x)
{
    const ElJurisdiction *ju = &s->jur[x->jur];
    switch (x->on) {
    case EL_SET_BAU:
        return ju->bau;
    case EL_SET_OUTPUT:
        return ju->output;
    case EL_SET_CAP:
        return ju->cap;
    default:
        return 1;
    }
}

/* A shock's name: its id, or "CN BAU emissions". */
static void shock_name(FILE *f, const ElScenario *s, const ElShock *x)
{
    const char *unit;
    if (x->id && x->id[0]) {
        tex(f, x->id);
        return;
    }
    tex(f, s->jur[x->jur].id);
    fputc(' ', f);
    fputs(shock_quantity(x->on, &unit), f);
}

static void unc_intro(FILE *f, const Unc *x, const ElScenario *s)
{
    const ElUncertainty *u = x->a->unc;
    long nbad = 0;
    int d, i;
    bool named = false;
    section_break(f);
    fputs("\\section*{Uncertainty: ", f);
    tex(f, x->a->id);
    fputs("}\nMonte Carlo analysis over \\num{", f);
    fprintf(f,
            "%ld} draws of the shocks below (seed %llu; draw $d$ depends only on the seed and "
            "$d$): in each draw the autarky baseline and ",
            x->draws, (unsigned long long)u->seed);
    if (x->nd == 1)
        fputs("the design", f);
    else
        fprintf(f, "each of the %d designs", x->nd);
    for (d = 1; d <= x->nd && d <= UNC_MAX_LISTED; d++) {
        fputs(d == 1 ? "\n" : d == x->nd ? " and\n" : ",\n", f);
        unc_ref(f, x, s, d);
    }
    if (x->nd > UNC_MAX_LISTED)
        fprintf(f, "\nand %d more", x->nd - UNC_MAX_LISTED);
    fputs("\nare solved again, firms seeing the shock.\nMoney is in million ", f);
    tex(f, cur(s));
    fputs(" a year, prices in ", f);
    tex(f, cur(s));
    fputs("/t, quantities in Mt. A mean comes with its standard error (s.e.): the standard "
          "deviation over the square root of the draws used, the Monte Carlo error of the mean.\n",
          f);
    /* the draws */
    fputs("\\begin{itemize}\n\\item ", f);
    if (x->invalid == 0 && x->no_autarky == 0)
        fputs("Every draw was valid and had an autarky equilibrium.\n", f);
    else {
        if (x->invalid > 0)
            fprintf(f,
                    "\\textbf{\\num{%ld}} draw%s left the model's domain (a shocked quantity below "
                    "zero) and %s not solved.\n",
                    x->invalid, x->invalid == 1 ? "" : "s", x->invalid == 1 ? "was" : "were");
        if (x->invalid > 0 && x->no_autarky > 0)
            fputs("\\item ", f);
        if (x->no_autarky > 0)
            fprintf(f,
                    "\\textbf{\\num{%ld}} draw%s no autarky equilibrium and %s left out of every "
                    "statistic.\n",
                    x->no_autarky, x->no_autarky == 1 ? " had" : "s had",
                    x->no_autarky == 1 ? "is" : "are");
    }
    for (d = 1; d <= x->nd; d++)
        nbad += x->no_eq[d] > 0;
    fputs("\\item ", f);
    if (nbad == 0)
        fputs("Every design had an equilibrium in every draw solved.\n", f);
    else {
        long k = 0;
        fprintf(f, "%ld design%s no equilibrium in some draws, left out of %s statistics:", nbad,
                nbad == 1 ? " has" : "s have", nbad == 1 ? "its" : "their");
        for (d = 1; d <= x->nd; d++) {
            long tried = x->used[d] + x->no_eq[d];
            if (x->no_eq[d] == 0)
                continue;
            fputs(k == 0 ? "\n" : k == nbad - 1 ? " and\n" : ",\n", f);
            unc_ref(f, x, s, d);
            fprintf(f, " (\\num{%ld} of \\num{%ld} draws)", x->no_eq[d], tried);
            k++;
        }
        fputs(".\n", f);
    }
    if (x->rank_error > 0) {
        fputs("\\item Quantiles come from a streaming sketch (the draws are not kept): each is "
              "within ",
              f);
        num(f, 100 * x->rank_error, 2);
        fputs("\\,\\% of the draws of its exact rank.\n", f);
    }
    fputs("\\end{itemize}\n", f);
    /* the shocks */
    need_lines(f, 8 + (u->nshocks < UNC_MAX_LISTED ? u->nshocks : UNC_MAX_LISTED));
    fputs("\\subsection*{Shocks}\n", f);
    fputs("Each shock moves a quantity of a jurisdiction around the value in the scenario, its "
          "mean:\na normal draw is the mean plus the standard deviation (s.d.) times a standard "
          "normal; a lognormal one has the same mean and s.d. and is never negative.",
          f);
    if (u->nshocks > UNC_MAX_LISTED)
        fprintf(f, " The first %d of %d shocks are listed.", UNC_MAX_LISTED, u->nshocks);
    for (i = 0; i < u->nshocks; i++)
        named = named || (u->shocks[i].id && u->shocks[i].id[0]);
    fprintf(f, "\n{\\small\n\\begin{longtable}{%sllrrrl}\n", named ? "l" : "");
    longtable_head(f, s, named ? 7 : 6,
                   named ? "Shock & Jurisdiction & Quantity & Mean & S.d. & S.d./mean (\\%) & "
                           "Distribution \\\\\n"
                         : "Jurisdiction & Quantity & Mean & S.d. & S.d./mean (\\%) & Distribution "
                           "\\\\\n");
    for (i = 0; i < u->nshocks && i < UNC_MAX_LISTED; i++) {
        const ElShock *k = &u->shocks[i];
        const char *unit, *what = shock_quantity(k->on, &unit);
        double mean = shock_mean(s, k);
        if (named) {
            tex(f, k->id ? k->id : "");
            fputs(" & ", f);
        }
        tex(f, s->jur[k->jur].id);
        fprintf(f, " & %s (%s) & \\num{", what, unit);
        el_fmt_sig(f, mean, 6);
        fputs("} & \\num{", f);
        el_fmt_sig(f, k->sd, 6);
        fputs("}", f);
        cell(f, mean > 0 ? 100 * k->sd / mean : nan(""), 1);
        fputs(k->dist == EL_DIST_LOGNORMAL ? " & lognormal" : " & normal", f);
        fputs(" \\\\\n", f);
    }
    fputs("\\end{longtable}\n}\n", f);
    /* their correlations */
    {
        int n = u->nshocks, j, npairs = 0, listed = 0;
        for (i = 0; i < n && u->corr_line && u->corr; i++)
            for (j = i + 1; j < n; j++)
                npairs += u->corr_line[(size_t)i * (size_t)n + (size_t)j] != 0;
        if (npairs == 0) {
            fputs("The shocks are independent (no correlation is given).\n\n", f);
            return;
        }
        need_lines(f, 6 + (npairs < UNC_MAX_LISTED ? npairs : UNC_MAX_LISTED));
        fputs(npairs == n * (n - 1) / 2
                  ? "Correlations between the shocks"
                  : "Correlations between the shocks (the other pairs are independent)",
              f);
        if (npairs > UNC_MAX_LISTED)
            fprintf(f, ", the first %d of %d pairs", UNC_MAX_LISTED, npairs);
        fputs(":\n", f);
        fputs("{\\small\n\\begin{longtable}{llr}\n", f);
        longtable_head(f, s, 3, "Shock & Shock & Correlation \\\\\n");
        for (i = 0; i < n && listed < UNC_MAX_LISTED; i++)
            for (j = i + 1; j < n && listed < UNC_MAX_LISTED; j++) {
                if (u->corr_line[(size_t)i * (size_t)n + (size_t)j] == 0)
                    continue;
                shock_name(f, s, &u->shocks[i]);
                fputs(" & ", f);
                shock_name(f, s, &u->shocks[j]);
                cell(f, u->corr[(size_t)i * (size_t)n + (size_t)j], 2);
                fputs(" \\\\\n", f);
                listed++;
            }
        fputs("\\end{longtable}\n}\n", f);
    }
}

/* Effort and risk sharing of design slot d's total gain: NaN when unknown. */
static double unc_risk(const Unc *x, int d)
{
    return x->total[d].n > 0 ? x->total[d].mean - x->effort_total[d] : nan("");
}

/* A number or 0 when it is not finite (a bar of no height). */
static double or0(double v)
{
    return isfinite(v) ? v : 0;
}

/* The stacked bars: effort sharing and risk sharing of each design's expected total gain, the
 * positive parts stacked up from zero and the negative ones down (stack negative=separate); a
 * diamond at the expected gain with its 95% interval. */
static void unc_chart(FILE *f, const Unc *x, const ElScenario *s, bool numbered)
{
    double lo = 0, hi = 0, span, bw = fmax(4.0, fmin(28.0, 250.0 / x->nd));
    int d, k;
    bool rotate;
    size_t longest = 0;
    for (d = 1; d <= x->nd; d++) {
        double e = or0(x->effort_total[d]), r = or0(unc_risk(x, d)), m = x->total[d].mean;
        double up = fmax(e, 0) + fmax(r, 0), down = fmin(e, 0) + fmin(r, 0);
        if (x->total[d].n > 0 && isfinite(m)) {
            up = fmax(up, m + UNC_Z95 * x->total[d].se);
            down = fmin(down, m - UNC_Z95 * x->total[d].se);
        }
        hi = fmax(hi, up);
        lo = fmin(lo, down);
        longest = strlen(unc_design(x, s, d)) > longest ? strlen(unc_design(x, s, d)) : longest;
    }
    span = hi - lo > 0 ? hi - lo : 1;
    hi += (x->nd <= UNC_BAR_LABELS ? 0.14 : 0.05) * span;
    if (lo < 0)
        lo -= 0.05 * span;
    rotate = !numbered && (double)longest * 5.5 > 0.85 * 620.0 / x->nd;
    fputs("\\par\\bigskip\\noindent\\begin{minipage}{\\linewidth}\n\\subsection*{Effort sharing "
          "and risk sharing}\nEach design's expected total gain against autarky, split into "
          "\\emph{effort sharing}, the gain at the mean draw (every shock at its mean: the "
          "design as solved without uncertainty),\nand \\emph{risk sharing}, the rest: what "
          "pooling the shocks adds to the expected gain, or takes from it when negative.\n"
          "Positive parts are stacked up from zero and negative ones down; the diamond is the "
          "expected total gain, its whiskers a 95\\,\\% interval ($\\pm 1.96$ s.e.)",
          f);
    fputs(x->nd <= UNC_BAR_LABELS ? ", its value above the bar.\n" : ".\n", f);
    if (numbered)
        unc_key(f, x, s, x->nd);
    fputs("\n\\definecolor{etslinkeffort}{RGB}{0,114,178}\\definecolor{etslinkrisk}{RGB}{230,159,"
          "0}\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[ybar stacked, stack "
          "negative=separate, reverse stacked plots=false, width=22cm, height=7.5cm,\nbar width=",
          f);
    el_fmt_num(f, bw);
    fputs("pt, ylabel={gain (million ", f);
    tex(f, cur(s));
    fputs(" a year)}, xmin=0.4, xmax=", f);
    el_fmt_num(f, x->nd + 0.6);
    fputs(", ymin=", f);
    el_fmt_sig(f, lo, 6);
    fputs(", ymax=", f);
    el_fmt_sig(f, hi, 6);
    fputs(",\nxtick={", f);
    for (d = 1; d <= x->nd; d++)
        fprintf(f, d == 1 ? "%d" : d % PER_LINE == 0 ? ",%%\n%d" : ",%d", d);
    fputs("}, xticklabels={", f);
    for (d = 1; d <= x->nd; d++) {
        if (d > 1)
            fputs(d % PER_LINE == 0 ? ",%\n" : ",", f);
        unc_label(f, x, s, d, numbered);
    }
    fputs("}, x tick label style={font=\\small", f);
    fputs(rotate ? ", rotate=30, anchor=north east}" : "}", f);
    fputs(", scaled y ticks=false, y tick label style={/pgf/number format/fixed, /pgf/number "
          "format/1000 sep={\\,}},\nextra y "
          "ticks={0}, extra y tick labels={}, extra y tick style={grid=major, major grid "
          "style={black!50}},\nlegend style={at={(0.5,1.02)}, anchor=south, legend columns=-1, "
          "font=\\small, /tikz/every even column/.append style={column sep=1em}}]\n",
          f);
    for (k = 0; k < 2; k++) {
        fprintf(f, "\\addplot[fill=%s, draw=black!70] coordinates {\n",
                k ? "etslinkrisk" : "etslinkeffort");
        for (d = 1; d <= x->nd; d++)
            coord(f, d - 1, d, or0(k ? unc_risk(x, d) : x->effort_total[d]));
        fputs(k ? "};\n\\addlegendentry{risk sharing}\n" : "};\n\\addlegendentry{effort sharing}\n",
              f);
    }
    fputs("\\addplot[stack plots=false, only marks, mark=diamond*, mark size=3pt, draw=black, "
          "fill=white,\nerror bars/.cd, y dir=both, y explicit, error bar style={thick}, error "
          "mark options={rotate=90, mark size=4pt, thick}, /pgfplots/.cd,\nlegend image "
          "code/.code={\\draw[mark=diamond*, mark size=3pt, draw=black, fill=white] plot "
          "coordinates {(0.25cm,0cm)};}] coordinates {\n",
          f);
    for (d = 1, k = 0; d <= x->nd; d++) {
        if (x->total[d].n == 0 || !isfinite(x->total[d].mean))
            continue;
        if (k > 0 && k % 4 == 0)
            fputc('\n', f);
        fputs(k ? " (" : "(", f);
        fprintf(f, "%d,", d);
        el_fmt_num(f, x->total[d].mean);
        fputs(") +- (0,", f);
        el_fmt_num(f, UNC_Z95 * x->total[d].se);
        fputs(")", f);
        k++;
    }
    fputs("};\n\\addlegendentry{expected total gain}\n", f);
    for (d = 1; d <= x->nd && x->nd <= UNC_BAR_LABELS; d++) {
        double e = or0(x->effort_total[d]), r = or0(unc_risk(x, d)), m = x->total[d].mean;
        double top = fmax(e, 0) + fmax(r, 0);
        if (x->total[d].n == 0 || !isfinite(m))
            continue;
        top = fmax(top, m + UNC_Z95 * x->total[d].se);
        fprintf(f, "\\node[anchor=south, font=\\scriptsize] at (axis cs:%d,", d);
        el_fmt_num(f, top);
        fputs(") {", f);
        num(f, m, 2);
        fputs("};\n", f);
    }
    /* room between the chart's tick labels and the text below it */
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n\\end{minipage}\\par\\medskip\n\n", f);
}

/* The decomposition as a table: one row per design. */
static void unc_totals(FILE *f, const Unc *x, const ElScenario *s)
{
    int d, best = -1;
    need_lines(f, 7 + x->nd);
    fputs("The same numbers, with the draws each design's statistics are over. Effort sharing "
          "is exact (one solve at the mean draw), so risk sharing has the s.e. of the expected "
          "gain; its share is of the expected gain.\n",
          f);
    fputs("{\\small\n\\begin{longtable}{p{0.22\\linewidth}rrrrrrr}\n", f);
    longtable_head(f, s, 8,
                   "Design & Expected gain & S.e. & Effort sharing & Risk sharing & Risk sharing "
                   "& Draws & Draws without \\\\\n & (M@C) & (M@C) & (M@C) & (M@C) & share (\\%) & "
                   "used & equilibrium \\\\\n");
    for (d = 1; d <= x->nd; d++) {
        const UStat *t = &x->total[d];
        double r = unc_risk(x, d);
        fputs("\\raggedright ", f);
        unc_cell(f, x, s, d);
        cell(f, t->n > 0 ? t->mean : nan(""), 2);
        cell(f, t->n > 0 ? t->se : nan(""), 2);
        cell(f, x->effort_total[d], 2);
        cell(f, r, 2);
        cell(f, fabs(t->mean) > 1e-12 && t->n > 0 ? 100 * r / t->mean : nan(""), 1);
        fprintf(f, " & \\num{%ld} & \\num{%ld} \\tabularnewline\n", x->used[d], x->no_eq[d]);
        if (t->n > 0 && isfinite(t->mean) && (best < 0 || t->mean > x->total[best].mean))
            best = d;
    }
    fputs("\\end{longtable}\n}\n", f);
    if (best > 0) {
        double r = unc_risk(x, best);
        fputs("The largest expected gain is that of ", f);
        unc_ref(f, x, s, best);
        fputs(": ", f);
        num(f, x->total[best].mean, 2);
        fputs(" (s.e. ", f);
        num(f, x->total[best].se, 2);
        fputs(")", f);
        money(f, s);
        fputs(" a year", f);
        if (isfinite(r)) {
            fputs(", of which risk sharing is ", f);
            num(f, r, 2);
            if (fabs(x->total[best].mean) > 1e-12) {
                fputs(" (", f);
                num(f, 100 * r / x->total[best].mean, 1);
                fputs("\\,\\%)", f);
            }
        }
        fputs(".\n\n", f);
    }
}

/* A price chart's y range: the whiskers and means of its boxes, padded; a flat price gets a
 * range of its own. */
static void unc_box_range(const Unc *x, int j, int nbox, double *lo, double *hi)
{
    int d;
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (d = 0; d < nbox; d++) {
        const UStat *p = &x->price[unc_at(x, d, j)];
        if (p->n == 0)
            continue;
        *lo = fmin(*lo, fmin(p->q[0], p->mean));
        *hi = fmax(*hi, fmax(p->q[EL_UQ - 1], p->mean));
    }
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    if (*hi - *lo <= 1e-9 * (1 + fabs(*hi))) {
        double pad = fmax(1e-3, 0.05 * fabs(*hi));
        *lo -= pad;
        *hi += pad;
    } else {
        double pad = 0.06 * (*hi - *lo);
        *lo -= pad;
        *hi += pad;
    }
}

static void unc_box_chart(
    FILE *f, const Unc *x, const ElScenario *s, int j, int nbox, double width_cm, bool numbered)
{
    double lo, hi;
    int d;
    unc_box_range(x, j, nbox, &lo, &hi);
    fputs("\\begin{tikzpicture}\n\\begin{axis}[scale only axis, width=", f);
    el_fmt_num(f, width_cm);
    fputs("cm, height=4.2cm, title={", f);
    tex(f, s->jur[j].id);
    fputs("}, title style={font=\\small\\bfseries}, ylabel={", f);
    tex(f, cur(s));
    fputs("/t}, boxplot/draw direction=y,\nxmin=0.4, xmax=", f);
    el_fmt_num(f, nbox + 0.6);
    fputs(", ymin=", f);
    el_fmt_sig(f, lo, 6);
    fputs(", ymax=", f);
    el_fmt_sig(f, hi, 6);
    fputs(", xtick={", f);
    for (d = 0; d < nbox; d++)
        fprintf(f, d == 0 ? "%d" : (d + 1) % PER_LINE == 0 ? ",%%\n%d" : ",%d", d + 1);
    fputs("}, xticklabels={", f);
    for (d = 0; d < nbox; d++) {
        if (d > 0)
            fputs((d + 1) % PER_LINE == 0 ? ",%\n" : ",", f);
        unc_label(f, x, s, d, numbered);
    }
    fputs(numbered ? "},\nx tick label style={font=\\scriptsize}"
                   : "},\nx tick label style={rotate=45, anchor=north east, font=\\scriptsize}",
          f);
    fputs(", y tick label style={font=\\scriptsize, /pgf/number format/fixed, /pgf/number "
          "format/1000 sep={\\,}}, scaled y "
          "ticks=false,\nboxplot/every median/.style={very thick}, boxplot/every "
          "average/.style={/tikz/mark=diamond*, /tikz/mark size=1.8pt, /tikz/fill=black}]\n",
          f);
    for (d = 0; d < nbox; d++) {
        const UStat *p = &x->price[unc_at(x, d, j)];
        if (p->n == 0)
            continue;
        fprintf(f,
                "\\addplot[draw=black, fill=%s, boxplot prepared={draw position=%d, lower "
                "whisker=",
                d == 0 ? "etslinkautarky" : "etslinkdesign", d + 1);
        el_fmt_num(f, p->q[0]);
        fputs(", lower quartile=", f);
        el_fmt_num(f, p->q[1]);
        fputs(",\nmedian=", f);
        el_fmt_num(f, p->q[2]);
        fputs(", upper quartile=", f);
        el_fmt_num(f, p->q[3]);
        fputs(", upper whisker=", f);
        el_fmt_num(f, p->q[4]);
        fputs(", average=", f);
        el_fmt_num(f, p->mean);
        fputs("}] coordinates {};\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}", f);
}

/* Price distributions: a box plot per jurisdiction, rows of charts that each stay on a page. */
static void unc_boxes(FILE *f, const Unc *x, const ElScenario *s, bool numbered)
{
    int nj = x->njur < s->njur ? x->njur : s->njur;
    int nbox = x->nd + 1 < UNC_MAX_BOXES ? x->nd + 1 : UNC_MAX_BOXES;
    int ncharts = nj < UNC_MAX_CHARTS ? nj : UNC_MAX_CHARTS;
    int cols = nbox <= 8 ? 3 : nbox <= 16 ? 2 : 1, j;
    double width = cols == 3 ? 6.3 : cols == 2 ? 10.2 : 22.0, row, head;
    size_t longest = 7; /* "autarky" */
    int d;
    char buf[32];
    if (ncharts == 0)
        return;
    for (d = 1; d < nbox; d++)
        longest = strlen(unc_design(x, s, d)) > longest ? strlen(unc_design(x, s, d)) : longest;
    /* a row: 4.2 cm of axis, its title, and the tick labels (\\scriptsize, about 0.11 cm a
     * character, at 45 degrees); the heading and text, and the key of numbered designs */
    row = 5.4 + (numbered ? 0.3 : 0.08 * (double)longest);
    head = 2.2 + (numbered ? 0.45 * (1 + nbox / 4) : 0);
    fputs("\\etslinkneed{", f);
    fputs(el_fmt_fixed_str(buf, sizeof(buf), row + head, 1), f);
    fputs("cm}\n", f);
    fputs("\\subsection*{Price distributions}\nEach jurisdiction's allowance price across the "
          "draws under each design, autarky first (grey):\nthe box spans the 25th to the 75th "
          "percentile, the thick line is the median, the whiskers reach the 5th and the 95th "
          "percentiles, and the diamond is the mean. Each chart has its own scale.",
          f);
    if (nbox < x->nd + 1)
        fprintf(f, " The first %d of %d designs are shown.", nbox - 1, x->nd);
    if (ncharts < nj)
        fprintf(f, " The first %d of %d jurisdictions are shown.", ncharts, nj);
    fputs("\n", f);
    if (numbered)
        unc_key(f, x, s, nbox - 1);
    fputs("\\definecolor{etslinkautarky}{RGB}{200,200,200}\\definecolor{etslinkdesign}{RGB}{86,"
          "180,233}\n",
          f);
    for (j = 0; j < ncharts; j++) {
        if (j % cols == 0)
            fprintf(f, "%s\\etslinkneed{%scm}\n\\begin{center}\n", j ? "\\end{center}\n" : "",
                    el_fmt_fixed_str(buf, sizeof(buf), row, 1));
        else
            fputs("\\hspace{0.4cm}%\n", f);
        unc_box_chart(f, x, s, j, nbox, width, numbered);
        fputs("%\n", f);
    }
    fputs("\\end{center}\n", f);
}

/* Whether design slot d affects jurisdiction j in some draw: a gain, a loss or a change in its
 * price's variance beyond rounding (tol: of gains, million currency). */
static bool unc_affects(const Unc *x, int d, int j, double tol)
{
    size_t at = unc_at(x, d, j);
    const UStat *g = &x->gain[at];
    double var0 = x->price[unc_at(x, 0, j)].sd;
    if (g->n == 0)
        return true;
    if (fabs(g->min) > tol || fabs(g->max) > tol || x->p_loss[at] > 0 ||
        (isfinite(x->effort[at]) && fabs(x->effort[at]) > tol))
        return true;
    return isfinite(x->dvar[at]) && fabs(x->dvar[at]) > 1e-6 * (1 + var0 * var0);
}

/* Each design's members: expected gain and its parts, the probability of a loss, price risk. */
static void unc_members(FILE *f, const Unc *x, const ElScenario *s)
{
    int nj = x->njur < s->njur ? x->njur : s->njur, d, j, rows = 0, skipped = 0;
    int down = 0, up = 0, worst_d = -1, worst_j = -1;
    double scale = 0, tol;
    for (d = 1; d <= x->nd; d++)
        if (x->total[d].n > 0 && isfinite(x->total[d].mean))
            scale = fmax(scale, fabs(x->total[d].mean));
    tol = 1e-6 * (1 + scale);
    for (d = 1; d <= x->nd; d++)
        for (j = 0; j < nj; j++)
            rows += unc_affects(x, d, j, tol);
    need_lines(f, 14 + rows + x->nd);
    fputs("\\subsection*{Members: gains, losses and price risk}\nFor each design, each "
          "jurisdiction it affects: its expected gain against autarky with the s.e. in "
          "parentheses, split into effort and risk sharing as above;\nthe probability that it "
          "loses (its gain is below zero) with the s.e. of that share; the mean of its price;\n"
          "and the price's standard deviation in autarky and under the design, with the change "
          "in its variance ",
          f);
    fputs("(negative: the design steadies the price).\n", f);
    fputs("{\\small\n\\begin{longtable}{p{0.2\\linewidth}lrrrrrrrr}\n", f);
    longtable_head(f, s, 10,
                   "Design & Jurisdiction & Expected gain & Effort & Risk & P(loss) & Mean "
                   "price & Price s.d. & Price s.d. & $\\Delta$ price \\\\\n & & (M@C) & sharing "
                   "& sharing & (\\%) & (@C/t) & autarky & design & variance \\\\\n & & & (M@C) & "
                   "(M@C) & & & (@C/t) & (@C/t) & ((@C/t)\\textsuperscript{2}) \\\\\n");
    for (d = 1; d <= x->nd; d++) {
        int k = 0, n = 0;
        for (j = 0; j < nj; j++)
            n += unc_affects(x, d, j, tol);
        for (j = 0; j < nj; j++) {
            size_t at = unc_at(x, d, j);
            const UStat *g = &x->gain[at], *p = &x->price[at];
            const UStat *p0 = &x->price[unc_at(x, 0, j)];
            if (!unc_affects(x, d, j, tol)) {
                skipped++;
                continue;
            }
            /* the design's id on its first row and its title on the second, so that a title
             * wrapping in the cell does not push the next jurisdiction's row down */
            if (k == 0) {
                fputs(d > 1 ? "\\addlinespace[3pt]\n\\raggedright " : "\\raggedright ", f);
                if (n == 1)
                    unc_cell(f, x, s, d);
                else
                    tex(f, unc_design(x, s, d));
            } else if (k == 1 && unc_title(x, s, d)) {
                fputs("\\raggedright\\emph{", f);
                tex(f, unc_title(x, s, d));
                fputs("}", f);
            }
            k++;
            fputs(" & ", f);
            tex(f, s->jur[j].id);
            fputs(" & ", f);
            if (g->n > 0) {
                num(f, g->mean, 2);
                fputs("\\,(", f);
                num(f, g->se, 2);
                fputs(")", f);
            } else
                fputs("--", f);
            cell(f, x->effort[at], 2);
            cell(f, g->n > 0 ? g->mean - x->effort[at] : nan(""), 2);
            fputs(" & ", f);
            if (g->n > 0) {
                num(f, 100 * x->p_loss[at], 2);
                fputs("\\,(", f);
                num(f, 100 * x->p_loss_se[at], 2);
                fputs(")", f);
            } else
                fputs("--", f);
            cell(f, p->n > 0 ? p->mean : nan(""), 2);
            cell(f, p0->n > 0 ? p0->sd : nan(""), 2);
            cell(f, p->n > 0 ? p->sd : nan(""), 2);
            cell(f, x->dvar[at], 2);
            fputs(" \\tabularnewline\n", f);
            if (isfinite(x->dvar[at]) && x->dvar[at] < 0)
                down++;
            else if (isfinite(x->dvar[at]) && x->dvar[at] > 0)
                up++;
            if (g->n > 0 && x->p_loss[at] > 0 &&
                (worst_d < 0 || x->p_loss[at] > x->p_loss[unc_at(x, worst_d, worst_j)])) {
                worst_d = d;
                worst_j = j;
            }
        }
    }
    if (rows == 0)
        fprintf(f, "\\multicolumn{10}{l}{No design affects any jurisdiction.} \\\\\n");
    fputs("\\end{longtable}\n}\n", f);
    if (skipped > 0)
        fprintf(f,
                "%d pair%s of a design and a jurisdiction it leaves unaffected in every draw "
                "(no gain, no loss, the same price variance) %s left out.\n",
                skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are");
    if (worst_d > 0) {
        size_t at = unc_at(x, worst_d, worst_j);
        fputs("The highest probability of a loss is ", f);
        tex(f, s->jur[worst_j].id);
        fputs("'s under ", f);
        unc_ref(f, x, s, worst_d);
        fputs(": ", f);
        num(f, 100 * x->p_loss[at], 2);
        fputs("\\,\\% (s.e. ", f);
        num(f, 100 * x->p_loss_se[at], 2);
        fputs(").\n", f);
    } else if (rows > 0)
        fputs("No member loses in any draw of any design.\n", f);
    if (down + up > 0)
        fprintf(f,
                "The price variance is lower than in autarky in %d of the rows and higher in "
                "%d.\n",
                down, up);
    fputs("\n", f);
}

static void unc_write(FILE *f, const Unc *x, const ElScenario *s)
{
    bool numbered = unc_numbered(x, s);
    unc_intro(f, x, s);
    unc_chart(f, x, s, numbered);
    unc_totals(f, x, s);
    unc_boxes(f, x, s, numbered);
    unc_members(f, x, s);
}

/* ---- The list ---- */

typedef struct {
    ElAnalysisKind kind;
    Sweep *sweep;
    Search *search;
    Sequence *sequence;
    Coalitions *coalitions;
    Unc *unc;
} Entry;

struct ElReportAnalyses {
    Entry *e;
    int n, cap;
    ElReportPeriods *periods; /* a several-period run's section (report_periods.h), or NULL */
};

el_status el_report_analyses_create(ElReportAnalyses **out, ElError *err)
{
    *out = el_calloc(1, sizeof(**out));
    if (!*out)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    return EL_OK;
}

void el_report_analyses_free(ElReportAnalyses *x)
{
    int k;
    if (!x)
        return;
    for (k = 0; k < x->n; k++) {
        sweep_free(x->e[k].sweep);
        search_free(x->e[k].search);
        sequence_free(x->e[k].sequence);
        el_free(x->e[k].coalitions);
        unc_free(x->e[k].unc);
    }
    el_free(x->e);
    el_report_periods_free(x->periods);
    el_free(x);
}

ElReportPeriods **el_report_analyses_periods_slot(ElReportAnalyses *x)
{
    return &x->periods;
}

const ElReportPeriods *el_report_analyses_periods(const ElReportAnalyses *x)
{
    return x ? x->periods : NULL;
}

static Entry *add_entry(ElReportAnalyses *x, ElAnalysisKind kind)
{
    Entry *e;
    if (x->n == x->cap) {
        int nc = x->cap ? 2 * x->cap : 8;
        Entry *ne = el_reallocarray(x->e, (size_t)nc, sizeof(*ne));
        if (!ne)
            return NULL;
        x->e = ne;
        x->cap = nc;
    }
    e = &x->e[x->n++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    return e;
}

ElSink el_report_analyses_sweep_sink(ElReportAnalyses *x, const ElAnalysis *a)
{
    ElSink sink = {NULL, sweep_begin, sweep_result, sweep_end, NULL};
    Sweep *w = el_calloc(1, sizeof(*w));
    Entry *e = w ? add_entry(x, EL_ANALYSIS_SWEEP) : NULL;
    if (!e) { /* begin reports it */
        el_free(w);
        return sink;
    }
    w->a = a;
    e->sweep = w;
    sink.ctx = w;
    return sink;
}

el_status el_report_analyses_add_search(ElReportAnalyses *x, const ElSearchResult *r, ElError *err)
{
    Search *c = search_copy(r);
    Entry *e = c ? add_entry(x, EL_ANALYSIS_SEARCH) : NULL;
    if (!e) {
        search_free(c);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    }
    e->search = c;
    return EL_OK;
}

el_status
el_report_analyses_add_sequence(ElReportAnalyses *x, const ElSequenceResult *r, ElError *err)
{
    Sequence *c = sequence_copy(r);
    Entry *e = c ? add_entry(x, EL_ANALYSIS_SEQUENCE) : NULL;
    if (!e) {
        sequence_free(c);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    }
    e->sequence = c;
    return EL_OK;
}

el_status el_report_analyses_add_coalitions(ElReportAnalyses *x,
                                            const ElAnalysis *a,
                                            const ElCoalitionResult *r,
                                            ElError *err)
{
    Coalitions *c;
    Entry *e;
    if (r->game.n < 1 || r->game.n > COAL_MAX || !r->game.v)
        return el_error_set(err, EL_ERR_INTERNAL, "report: coalition game '%s' without values",
                            a->id);
    c = coalitions_copy(a, r);
    e = c ? add_entry(x, EL_ANALYSIS_COALITIONS) : NULL;
    if (!e) {
        el_free(c);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    }
    e->coalitions = c;
    return EL_OK;
}

el_status
el_report_writer_uncertainty(ElReportWriter *w, const ElUncertaintyResult *r, ElError *err)
{
    ElReportAnalyses *x = el_report_writer_analyses(w);
    Unc *c;
    Entry *e;
    if (!r->a || !r->a->unc || r->nd < 1 || r->njur < 1 || !r->no_eq || !r->used || !r->jur ||
        !r->total || !r->p_loss || !r->p_loss_se || !r->price_var_change || !r->effort ||
        !r->effort_total)
        return el_error_set(err, EL_ERR_INTERNAL,
                            "report: uncertainty analysis '%s' without "
                            "results",
                            r->a ? r->a->id : "?");
    c = unc_copy(r);
    e = c ? add_entry(x, EL_ANALYSIS_UNCERTAINTY) : NULL;
    if (!e) {
        unc_free(c);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    }
    e->unc = c;
    return EL_OK;
}

bool el_report_analyses_need_statistics(const ElReportAnalyses *x)
{
    int k;
    for (k = 0; x && k < x->n; k++)
        if (x->e[k].unc)
            return true;
    return false;
}

static bool shown(const Entry *e)
{
    return e->kind != EL_ANALYSIS_SWEEP || (e->sweep->begun && e->sweep->done);
}

static const char *entry_id(const Entry *e)
{
    return e->sweep        ? e->sweep->a->id
           : e->search     ? e->search->a->id
           : e->sequence   ? e->sequence->a->id
           : e->coalitions ? e->coalitions->a->id
                           : e->unc->a->id;
}

int el_report_analyses_count(const ElReportAnalyses *x)
{
    int k, n = 0;
    for (k = 0; x && k < x->n; k++)
        n += shown(&x->e[k]);
    return n;
}

void el_report_analyses_title(const ElReportAnalyses *x, FILE *f)
{
    static const char *const kinds[] = {"sweep", "search", "sequence", "coalition game",
                                        "uncertainty analysis"};
    int k, i = 0, n = el_report_analyses_count(x);
    el_report_periods_title(el_report_analyses_periods(x), f);
    if (n == 0)
        return;
    fprintf(f, "\\par\\vspace{0.5cm}After the designs, the report shows %d analys%s:", n,
            n == 1 ? "is" : "es");
    for (k = 0; k < x->n; k++) {
        if (!shown(&x->e[k]))
            continue;
        fputs(i == 0 ? "\n" : i == n - 1 ? " and\n" : ",\n", f);
        fprintf(f, "%s \\emph{", kinds[x->e[k].kind]);
        tex(f, entry_id(&x->e[k]));
        fputs("}", f);
        i++;
    }
    fputs(".\n", f);
}

void el_report_analyses_write(const ElReportAnalyses *x, const ElScenario *s, FILE *f)
{
    int k;
    for (k = 0; x && k < x->n; k++) {
        const Entry *e = &x->e[k];
        if (!shown(e))
            continue;
        if (e->sweep)
            sweep_write(f, e->sweep);
        else if (e->search)
            search_write(f, e->search, s);
        else if (e->sequence)
            sequence_write(f, e->sequence, s);
        else if (e->coalitions)
            coalitions_write(f, e->coalitions, s);
        else if (e->unc)
            unc_write(f, e->unc, s);
    }
}
