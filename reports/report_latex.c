/* The LaTeX report. Two modes (docs/guide.md, docs/cli.md):
 * - Detail, up to EL_REPORT_DETAIL_MAX designs: a title page with a generated summary (the
 *   headline, what drives it: linking or the members' own rules, designs that change
 *   emissions), the scenario, the designs (what each does, by title), one table per design with
 *   its flows of units and credits as a seller-by-buyer matrix, a comparison of designs (gains,
 *   emissions, rents, revenue, firms' cost), figures (MAC curves with numbered equilibrium
 *   points, prices as dots, total gains as labelled bars, gains and net trade as shaded
 *   matrices, offset credits apart from allowance trade) and an appendix of every input figure
 *   with its source.
 * - Summary, past EL_REPORT_DETAIL_MAX designs: the title page and the scenario, then a ranking
 *   (the first EL_SUMMARY_TOP and last EL_SUMMARY_BOTTOM designs by total gain), tables of
 *   quantiles, a histogram of total gains, box plots of prices and gains per jurisdiction, and
 *   the MAC curves with autarky and the best design, all from a streaming collector
 *   (summary.h) whose memory does not grow with the number of designs; the appendix lists the
 *   scenario's own figures.
 * Layout: tables are longtables that repeat their header with "(continued)" and wrap text in
 * p-columns so that they fit the page; a heading asks for the room of what follows it
 * (\etslinkneed, as the needspace package does) instead of starting a new page, so no heading
 * is stranded at a page's foot and no page is left mostly blank. Colours are the Okabe-Ito
 * palette (safe for colour-blind readers, as the coalitions section's blue and orange), and
 * every series also differs in its mark.
 * Every input string goes through el_fmt_tex; every number through el_fmt_fixed or el_fmt_num;
 * nothing depends on the time or the locale. A design without an equilibrium appears in the
 * tables as "no equilibrium" with its shortfall and is left out of the summary's ranking and of
 * the figures.
 * TeX has fixed limits: it reads a line into a 200,000-character buffer and keeps a page's
 * material in 5,000,000 words of memory. Lists (coordinates, labels, names) are therefore
 * written a few items to a line, one name per line where names may be many, and what a page
 * holds is bounded by the mode, not by the number of designs: results.xml and results.csv
 * always hold every design. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_io.h"
#include "fmt.h"
#include "report.h"
#include "report_analysis.h"
#include "report_periods.h"
#include "report_tex.h"
#include "results.h"
#include "summary.h"

#define MAX_SERIES  10               /* jurisdictions in a chart */
#define MAX_CURVES  24               /* MAC curve panels */
#define CURVE_STEPS 1                /* segments per affine piece drawn (a piece is straight) */
#define MAX_NAMED   EL_SUMMARY_NAMED /* designs without an equilibrium named in the summary */
#define MAX_LISTED  8                /* designs named in one sentence of the summary */
#define PER_LINE    8                /* coordinates or labels per line of report.tex */
#define HIST_BARS   64               /* at most this many bars in the histogram of total gains */
#define JUR_BLOCK   10               /* jurisdictions per block of a matrix table */
#define DESC_ITEMS  12               /* elements of a design described before "and N more" */
#define WHOLE_LINES 18 /* a block up to this many lines is kept whole (\etslinkneed) */
#define MIN_LINES   12 /* ... a longer one starts where this many are left, and breaks */
#define NPALETTE    8

/* The Okabe-Ito palette (Wong, Nature Methods 8, 2011), defined in the preamble as etslinkc0
 * .. etslinkc7: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow,
 * black; and a mark per series, so that series differ without colour too. */
static const char *const series_marks[MAX_SERIES] = {
    "*", "square*", "triangle*", "diamond*", "pentagon*",
    "o", "square",  "triangle",  "diamond",  "x"};

static void tex(FILE *f, const char *s)
{
    el_fmt_tex(f, s);
}

/* \num{v} with `decimals` digits, or "--" for a value that does not exist (NaN). */
static void num(FILE *f, double v, int decimals)
{
    if (isnan(v)) {
        fputs("--", f);
        return;
    }
    fputs("\\num{", f);
    el_fmt_fixed(f, v, decimals);
    fputc('}', f);
}

/* Write text with every "@C" replaced by the escaped currency. */
static void with_currency(FILE *f, const ElRun *run, const char *text)
{
    const char *at;
    while ((at = strstr(text, "@C")) != NULL) {
        fwrite(text, 1, (size_t)(at - text), f);
        tex(f, run->scenario->currency);
        text = at + 2;
    }
    fputs(text, f);
}

/* " & " and a number: one table cell. */
static void cell(FILE *f, double v, int decimals)
{
    fputs(" & ", f);
    num(f, v, decimals);
}

static const char *cur(const ElRun *run)
{
    return run->scenario->currency;
}

static bool solved(const ElDesignResult *r)
{
    return r->outcome == EL_OPTIMAL;
}

/* Before the k-th item of a list: a line break every PER_LINE items (a space to TeX). */
static void item_break(FILE *f, int k)
{
    if (k > 0 && k % PER_LINE == 0)
        fputc('\n', f);
}

/* Before the k-th item of a comma-separated key list: "," and, every PER_LINE items, a
 * commented-out line break (no space enters the list). */
static void list_sep(FILE *f, int k)
{
    if (k > 0)
        fputs(k % PER_LINE == 0 ? ",%\n" : ",", f);
}

/* The length of the UTF-8 character starting at s (1 for a byte that starts none). */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] >= 0xF0 && s[1] && s[2] && s[3])
        return 4;
    if (s[0] >= 0xE0 && s[1] && s[2])
        return 3;
    if (s[0] >= 0xC0 && s[1])
        return 2;
    return 1;
}

/* Whether the UTF-8 character at s (n bytes) is one after which CJK text may break: Han, kana,
 * Hangul syllables and CJK punctuation, which are written without spaces between words. */
static bool cjk_break(const unsigned char *s, size_t n)
{
    unsigned long c;
    if (n == 3)
        c = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) |
            (s[2] & 0x3F);
    else if (n == 4)
        c = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12) |
            ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    else
        return false;
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x2FFFF);
}

/* Text for a narrow table column: as tex(), with a break allowed after "-", "_", "/", a "." not
 * followed by a digit, and after every CJK character, so that long ids and names wrap instead of
 * running out of their column. */
static void tex_wrap(FILE *f, const char *s)
{
    char part[256];
    size_t n = 0;
    while (*s) {
        size_t len = utf8_len((const unsigned char *)s);
        bool brk = (len == 1 && (*s == '-' || *s == '_' || *s == '/' ||
                                 (*s == '.' && !(s[1] >= '0' && s[1] <= '9')))) ||
                   cjk_break((const unsigned char *)s, len);
        if (n + len >= sizeof(part)) {
            part[n] = '\0';
            tex(f, part);
            n = 0;
        }
        memcpy(part + n, s, len);
        n += len;
        s += len;
        if (brk && *s) {
            part[n] = '\0';
            tex(f, part);
            fputs("\\allowbreak{}", f);
            n = 0;
        }
    }
    part[n] = '\0';
    tex(f, part);
}

/* Start a new page unless `lines` \small baselines are left on this one, for a block up to
 * WHOLE_LINES; a longer block starts where MIN_LINES are left (a table then breaks, repeating
 * its header), so that no page is left mostly blank before it. */
static void need_lines(FILE *f, int lines)
{
    if (lines > WHOLE_LINES)
        lines = MIN_LINES;
    fprintf(f, "\\etslinkneed{%d\\baselineskip}\n", lines);
}

/* Lines of \\footnotesize (a table's rows) in \\normalsize baselines, for need_lines. */
static int small_lines(int lines)
{
    return (lines * 4 + 4) / 5;
}

/* A block kept on one page, a heading with its figure: TeX moves it whole to the next page
 * when it does not fit, so the heading is never left behind. */
static void block_begin(FILE *f)
{
    fputs("\\par\\noindent\\begin{minipage}{\\linewidth}\n", f);
}

static void block_end(FILE *f)
{
    fputs("\\end{minipage}\\par\n", f);
}

/* The same for a figure `cm` centimetres high (with its heading and text). */
static void need_cm(FILE *f, double cm)
{
    fputs("\\etslinkneed{", f);
    el_fmt_fixed(f, cm, 1);
    fputs("cm}\n", f);
}

/* Open a longtable of ncols columns (spec) in font `size`: the header rows on the first page,
 * and again under "(continued)" on the next ones, "continued on the next page" at each break.
 * "@C" in header is the currency. Close with table_end. */
static void table_begin(
    FILE *f, const ElRun *run, const char *size, const char *spec, int ncols, const char *header)
{
    fprintf(f, "{%s\n\\begin{longtable}{%s}\n\\toprule\n", size, spec);
    with_currency(f, run, header);
    fputs("\\midrule\n\\endfirsthead\n", f);
    fprintf(f, "\\multicolumn{%d}{l}{\\emph{(continued)}} \\\\\n\\toprule\n", ncols);
    with_currency(f, run, header);
    fputs("\\midrule\n\\endhead\n", f);
    fprintf(f,
            "\\midrule\n\\multicolumn{%d}{r}{\\emph{continued on the next page}} \\\\\n"
            "\\endfoot\n\\bottomrule\n\\endlastfoot\n",
            ncols);
}

/* End row i of n: "\\*" (no page break after it) after the first row and the one before the
 * last, so that a table never breaks after its first row or before its last one. */
static void row_end(FILE *f, int i, int n)
{
    fputs(i == 0 || i == n - 2 ? " \\\\*\n" : " \\\\\n", f);
}

static void table_end(FILE *f)
{
    fputs("\\end{longtable}\n}\n", f);
}

/* The column of jurisdiction ids: "l" while the longest fits about 14 characters, else a
 * wrapping column of 11% of the line. */
static const char *id_column(const ElScenario *s)
{
    size_t longest = 0;
    int j;
    for (j = 0; j < s->njur; j++)
        if (strlen(s->jur[j].id) > longest)
            longest = strlen(s->jur[j].id);
    return longest <= 14 ? "l" : ">{\\raggedright\\arraybackslash}p{0.11\\linewidth}";
}

static double total_shortfall(const ElDesignResult *r)
{
    double t = 0;
    int j;
    for (j = 0; j < r->njur; j++)
        t += r->jur[j].shortfall;
    return t;
}

/* Whether emissions e differ from autarky's, base (EL_EMISSIONS_TOL). */
static bool changes_emissions(double e, double base)
{
    return fabs(e - base) > EL_EMISSIONS_TOL * (1 + fabs(base));
}

/* Whether design r changes NDC-accounted emissions against autarky a: what is achieved, offsets
 * counted where they are credited. (Covered emissions also move when offsets or an exchange
 * rate replace abatement at home, with nothing more or less achieved.) */
static bool design_changes_emissions(const ElDesignResult *r, const ElDesignResult *a)
{
    ElDesignFigures x, base;
    el_summary_design_figures(r, &x);
    el_summary_design_figures(a, &base);
    return changes_emissions(x.ndc_emissions, base.ndc_emissions);
}

/* The designs the figures draw: those with an equilibrium, in file order (detail mode: at most
 * EL_REPORT_DETAIL_MAX). Fills idx (room for EL_REPORT_DETAIL_MAX) and returns their number. */
static int chart_designs(const ElRun *run, int *idx)
{
    int d, n = 0;
    for (d = 0; d < run->ndesigns && d < EL_REPORT_DETAIL_MAX; d++)
        if (solved(&run->designs[d]))
            idx[n++] = d;
    return n;
}

static const char *design_title(const ElDesignResult *r)
{
    return r->design && r->design->title ? r->design->title : NULL;
}

/* A design named in prose: "\emph{Title} (id)", or "\emph{id}" without a title. */
static void design_ref(FILE *f, const char *title, const char *id)
{
    if (title && title[0]) {
        fputs("\\emph{", f);
        tex(f, title);
        fputs("} (", f);
        tex(f, id);
        fputs(")", f);
    } else {
        fputs("\\emph{", f);
        tex(f, id);
        fputs("}", f);
    }
}

/* A design named in a heading or caption: "Title (id)", or "id". */
static void design_caption(FILE *f, const char *title, const char *id)
{
    if (title && title[0]) {
        tex(f, title);
        fputs(" (", f);
        tex(f, id);
        fputs(")", f);
    } else {
        tex(f, id);
    }
}

/* A design in a table cell: its id and, on a line below, its title (both wrapping). */
static void design_cell(FILE *f, const char *title, const char *id)
{
    tex_wrap(f, id);
    if (title && title[0]) {
        fputs("\\newline\\emph{", f);
        tex_wrap(f, title);
        fputs("}", f);
    }
}

/* The preamble; box plots (the summary's, an uncertainty analysis') need pgfplots' statistics
 * library. */
static void preamble(bool statistics, FILE *f)
{
    fputs("% Generated by etslink. Every string from the scenario is escaped; compile with\n"
          "% lualatex -no-shell-escape (Debian: texlive-luatex, fonts-noto-cjk).\n"
          "\\documentclass[10pt]{article}\n"
          "\\usepackage[a4paper,landscape,margin=18mm]{geometry}\n"
          "\\usepackage{fontspec}\n"
          /* Latin Modern by file name (no system font lookup); Hangul, Han and kana that Latin
           * Modern lacks come from Noto Serif CJK (fonts-noto-cjk), simplified Chinese forms,
           * and the rest of Cyrillic (Kazakh's Қ, Ң, Ө, Ү, Ұ, Һ, Ә, Ғ) from DejaVu Serif
           * (fonts-dejavu-core) */
          "\\directlua{luaotfload.add_fallback(\"etslinkcjk\", "
          "{\"NotoSerifCJK-Regular.ttc(2):mode=node;\", \"DejaVuSerif.ttf:mode=node;\"})\n"
          "  luaotfload.add_fallback(\"etslinkcjkbold\", "
          "{\"NotoSerifCJK-Bold.ttc(2):mode=node;\", \"DejaVuSerif-Bold.ttf:mode=node;\"})}\n"
          "\\defaultfontfeatures{RawFeature={fallback=etslinkcjk}}\n"
          "\\setmainfont{lmroman10}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,\n"
          "  ItalicFont=*-italic, BoldItalicFont=*-bolditalic,\n"
          "  BoldFeatures={RawFeature={fallback=etslinkcjkbold}},\n"
          "  BoldItalicFeatures={RawFeature={fallback=etslinkcjkbold}}]\n"
          "\\setsansfont{lmsans10}[Extension=.otf, UprightFont=*-regular, BoldFont=*-bold,\n"
          "  ItalicFont=*-oblique, BoldItalicFont=*-boldoblique,\n"
          "  BoldFeatures={RawFeature={fallback=etslinkcjkbold}},\n"
          "  BoldItalicFeatures={RawFeature={fallback=etslinkcjkbold}}]\n"
          "\\setmonofont{lmmono10}[Extension=.otf, UprightFont=*-regular,\n"
          "  ItalicFont=*-italic]\n"
          "\\usepackage{array}\n"
          "\\usepackage{booktabs}\n"
          "\\usepackage{longtable}\n"
          "\\usepackage[table]{xcolor}\n"
          "\\usepackage{siunitx}\n"
          "\\sisetup{group-separator={\\,}, group-minimum-digits=4, group-digits=integer}\n"
          "\\usepackage{pgfplots}\n"
          "\\usepgfplotslibrary{groupplots}\n",
          f);
    if (statistics)
        fputs("\\usepgfplotslibrary{statistics}\n", f);
    fputs("\\pgfplotsset{compat=1.18}\n"
          "\\definecolor{etslinkc0}{RGB}{0,114,178}\\definecolor{etslinkc1}{RGB}{230,159,0}\n"
          "\\definecolor{etslinkc2}{RGB}{0,158,115}\\definecolor{etslinkc3}{RGB}{213,94,0}\n"
          "\\definecolor{etslinkc4}{RGB}{86,180,233}\\definecolor{etslinkc5}{RGB}{204,121,167}\n"
          "\\definecolor{etslinkc6}{RGB}{240,228,66}\\definecolor{etslinkc7}{RGB}{0,0,0}\n"
          /* \etslinkneed{dimen}: a new page unless dimen is left on this one (needspace) */
          "\\providecommand{\\etslinkneed}[1]{\\par\\penalty-100\\begingroup\\dimen0=\\pagegoal\n"
          "\\advance\\dimen0 by -\\pagetotal\\ifdim #1>\\dimen0 \\ifdim\\dimen0>0pt\\vfil\\fi"
          "\\penalty-10000\\fi\\endgroup}\n"
          "\\setlength{\\LTpre}{0.5ex}\\setlength{\\LTpost}{0.5ex}\n"
          "\\setlength{\\parindent}{0pt}\n"
          "\\setlength{\\parskip}{0.6ex}\n"
          "\\begin{document}\n",
          f);
}

/* The colour of series k: an Okabe-Ito colour (black before yellow, the faintest on white),
 * grey past them. */
static void series_color(FILE *f, int k)
{
    static const int order[NPALETTE] = {0, 1, 2, 3, 4, 5, 7, 6};
    if (k < NPALETTE)
        fprintf(f, "etslinkc%d", order[k]);
    else
        fputs("black!45", f);
}

/* ---- The title page ---- */

static double max_gain(const ElRun *run, int *best)
{
    double g = -HUGE_VAL;
    int d;
    *best = -1;
    for (d = 0; d < run->ndesigns; d++)
        if (solved(&run->designs[d]) && run->designs[d].gain > g) {
            g = run->designs[d].gain;
            *best = d;
        }
    return g;
}

/* Whether jurisdiction j buys (sign > 0) or sells (sign < 0) allowances (links and groups). */
static bool trades(const ElDesignResult *r, int j, int sign)
{
    double t = r->jur[j].net_imports;
    return (sign > 0 && t > 1e-9) || (sign < 0 && t < -1e-9);
}

/* "A, B and C" for the jurisdictions that buy (sign > 0) or sell (sign < 0) allowances; returns
 * how many (nothing written when f is NULL). */
static int list_traders(const ElRun *run, const ElDesignResult *r, int sign, FILE *f)
{
    const ElScenario *s = run->scenario;
    int j, total = 0, k = 0;
    for (j = 0; j < s->njur; j++)
        total += trades(r, j, sign);
    for (j = 0; f && j < s->njur; j++) {
        if (!trades(r, j, sign))
            continue;
        if (k > 0) /* one name to a line: the list may be long */
            fputs(k == total - 1 ? " and\n" : ",\n", f);
        tex(f, s->jur[j].id);
        k++;
    }
    return total;
}

/* "N designs have no equilibrium: x (short of 5.000 Mt), ..." naming the nnamed first (at most
 * MAX_NAMED; titles[k] may be NULL) with their total shortfall; "Every design has an
 * equilibrium." when none fails. `tables`: the report has a table per design. */
static void failed_text(FILE *f,
                        long nfailed,
                        const char *const *ids,
                        const char *const *titles,
                        const double *shortfall,
                        int nnamed,
                        bool tables)
{
    int k;
    if (nfailed == 0) {
        fputs("Every design has an equilibrium.\n", f);
        return;
    }
    fprintf(f, "%ld design%s no equilibrium:", nfailed, nfailed == 1 ? " has" : "s have");
    for (k = 0; k < nnamed; k++) {
        fputs(k ? ",\n" : "\n", f);
        design_ref(f, titles[k], ids[k]);
        fputs(" (short of ", f);
        num(f, shortfall[k], 3);
        fputs("\\,Mt)", f);
    }
    if (nnamed < nfailed)
        fprintf(f, "\nand %ld more", nfailed - nnamed);
    if (tables)
        fputs(nfailed == 1 ? ". Its caps cannot be met with the abatement and units available; it "
                             "is left out of the ranking and the figures, and its table gives "
                             "each jurisdiction's shortfall.\n"
                           : ". Their caps cannot be met with the abatement and units available; "
                             "they are left out of the ranking and the figures, and their tables "
                             "give each jurisdiction's shortfall.\n",
              f);
    else
        fputs(nfailed == 1 ? ". Its caps cannot be met with the abatement and units available; it "
                             "is left out of the ranking and the figures (results.csv gives each "
                             "jurisdiction's shortfall).\n"
                           : ". Their caps cannot be met with the abatement and units available; "
                             "they are left out of the ranking and the figures (results.csv "
                             "gives each jurisdiction's shortfall).\n",
              f);
}

static void summary_failed(const ElRun *run, FILE *f)
{
    const char *ids[MAX_NAMED], *titles[MAX_NAMED];
    double shortfall[MAX_NAMED];
    int d, nfailed = 0, k = 0;
    for (d = 0; d < run->ndesigns; d++) {
        if (solved(&run->designs[d]))
            continue;
        if (k < MAX_NAMED) {
            ids[k] = run->designs[d].id;
            titles[k] = design_title(&run->designs[d]);
            shortfall[k++] = total_shortfall(&run->designs[d]);
        }
        nfailed++;
    }
    failed_text(f, nfailed, ids, titles, shortfall, k, true);
}

/* "The design that gains most is x: it saves ... In it, A buys and B sells allowances. Offset
 * credits come from ..." for the best design b, called title (may be NULL) / id, gain g. */
static void best_text(
    const ElRun *run, const ElDesignResult *b, const char *title, const char *id, double g, FILE *f)
{
    const ElScenario *s = run->scenario;
    int nbuy, nsell, k, first = 1;
    fputs("The design that gains most is ", f);
    design_ref(f, title, id);
    fputs(": it saves ", f);
    num(f, g, 2);
    fputs(" million ", f);
    tex(f, cur(run));
    fputs(" a year against autarky.", f);
    nbuy = list_traders(run, b, 1, NULL);
    nsell = list_traders(run, b, -1, NULL);
    if (nbuy > 0 || nsell > 0) {
        fputs(" In it, ", f);
        if (nbuy > 0) {
            list_traders(run, b, 1, f);
            fputs(nbuy == 1 ? " buys" : " buy", f);
        }
        if (nsell > 0) {
            fputs(nbuy > 0 ? " and " : "", f);
            list_traders(run, b, -1, f);
            fputs(nsell == 1 ? " sells" : " sell", f);
        }
        fputs(" allowances.", f);
    }
    for (k = 0; k < b->npools; k++) {
        if (!b->pool[k].used || b->pool[k].supplied <= 1e-9)
            continue;
        fputs(first ? " Offset credits come from " : ";\n", f);
        tex(f, s->pools[k].id);
        fputs(s->pools[k].host >= 0 ? ", produced in " : ", produced in the rest of the world", f);
        if (s->pools[k].host >= 0)
            tex(f, s->jur[s->pools[k].host].id);
        fputs(" (", f);
        num(f, b->pool[k].supplied, 1);
        fputs("\\,Mt at ", f);
        num(f, b->pool[k].price, 2);
        fputs(" ", f);
        tex(f, cur(run));
        fputs("/t)", f);
        first = 0;
    }
    if (!first)
        fputs(".", f);
}

/* " The design that gains least is x (g million CUR)." */
static void worst_text(const ElRun *run, const char *title, const char *id, double g, FILE *f)
{
    fputs(" The design that gains least is ", f);
    design_ref(f, title, id);
    fputs(" (", f);
    num(f, g, 2);
    fputs(" million ", f);
    tex(f, cur(run));
    fputs(").", f);
}

/* What drives the headline: the best design (own: the own rules it changes, el_design_own_rules)
 * mixes domestic policy with linking; `pure` is the best design that changes none. */
static void headline_caveat(const ElRun *run,
                            const char *own,
                            const ElDesignResult *b,
                            const ElDesign *bdes,
                            const char *pure_title,
                            const char *pure_id,
                            double pure_gain,
                            FILE *f)
{
    const ElScenario *s = run->scenario;
    int j, k = 0;
    fputs("\n\n\\textbf{What drives the headline.} This gain is not a linking gain alone: the "
          "design also changes members' own rules (",
          f);
    tex(f, own);
    fputs("), which they could adopt without any link, so part of its gain is domestic "
          "policy.",
          f);
    if (bdes) { /* the members whose own rules change, and their gains */
        for (j = 0; j < s->njur; j++) {
            bool changed = false;
            int i;
            for (i = 0; !changed && i < bdes->ninstruments; i++)
                changed = bdes->instruments[i].jur == j;
            for (i = 0; !changed && i < bdes->sets.n; i++)
                changed = bdes->sets.sets[i].jur == j;
            for (i = 0; !changed && i < bdes->naccepts; i++)
                changed = bdes->accepts[i].jur == j && s->pools[bdes->accepts[i].pool].host == j;
            if (!changed)
                continue;
            fputs(k == 0 ? " Of the total, the members whose own rules change gain: " : ", ", f);
            tex(f, s->jur[j].id);
            fputs(" ", f);
            num(f, b->jur[j].gain, 2);
            k++;
        }
        if (k > 0) {
            fputs(" million ", f);
            tex(f, cur(run));
            fputs(".", f);
        }
    }
    if (pure_id) {
        fputs(" Among the designs that change no member's own rules, the one that gains most is ",
              f);
        design_ref(f, pure_title, pure_id);
        fputs(" (", f);
        num(f, pure_gain, 2);
        fputs(" million ", f);
        tex(f, cur(run));
        fputs(").", f);
    } else {
        fputs(" Every design with an equilibrium changes some member's own rules.", f);
    }
}

/* The designs (detail mode) that change members' own rules, other than `skip`, and those that
 * change emissions against autarky (covered or NDC-accounted). */
static void caveats(const ElRun *run, int skip, FILE *f)
{
    const ElScenario *s = run->scenario;
    ElDesignFigures x, b;
    int d, n = 0, k = 0;
    for (d = 0; d < run->ndesigns; d++)
        if (d != skip && solved(&run->designs[d]) &&
            el_design_own_rules(s, run->designs[d].design, NULL, 0) > 0)
            n++;
    if (n > 0) {
        fprintf(f,
                "\n\n%s also change%s members' own rules, so %s gain%s mix domestic policy "
                "with linking:",
                n == 1 ? (skip >= 0 ? "One other design" : "One design")
                       : (skip >= 0 ? "Other designs" : "Some designs"),
                n == 1 ? "s" : "", n == 1 ? "its" : "their", n == 1 ? "s" : "");
        for (d = 0; d < run->ndesigns && k < MAX_LISTED; d++) {
            char own[EL_RANK_TITLE_SIZE];
            if (d == skip || !solved(&run->designs[d]) ||
                el_design_own_rules(s, run->designs[d].design, own, sizeof(own)) == 0)
                continue;
            fputs(k ? ";\n" : "\n", f);
            design_ref(f, design_title(&run->designs[d]), run->designs[d].id);
            fputs(" (", f);
            tex(f, own);
            fputs(")", f);
            k++;
        }
        if (n > k)
            fprintf(f, "; and %d more", n - k);
        fputs(".", f);
    }
    n = k = 0;
    for (d = 0; d < run->ndesigns; d++)
        if (solved(&run->designs[d]) && design_changes_emissions(&run->designs[d], &run->autarky))
            n++;
    if (n == 0)
        return;
    fprintf(f,
            "\n\n%s NDC-accounted emissions against autarky (what is achieved, offsets counted "
            "where they are credited), so %s not to be ranked on cost alone:",
            n == 1 ? "One design changes" : "Some designs change", n == 1 ? "it is" : "they are");
    el_summary_design_figures(&run->autarky, &b);
    for (d = 0; d < run->ndesigns && k < MAX_LISTED; d++) {
        const ElDesignResult *r = &run->designs[d];
        if (!solved(r) || !design_changes_emissions(r, &run->autarky))
            continue;
        el_summary_design_figures(r, &x);
        fputs(k ? ",\n" : "\n", f);
        design_ref(f, design_title(r), r->id);
        fputs(" (", f);
        el_fmt_tex_signed(f, x.ndc_emissions - b.ndc_emissions, 2);
        fputs("\\,Mt NDC-accounted, ", f);
        el_fmt_tex_signed(f, x.emissions - b.emissions, 2);
        fputs("\\,Mt covered)", f);
        k++;
    }
    if (n > k)
        fprintf(f, " and %d more", n - k);
    fputs(".", f);
}

/* "This report compares N designs ...; K of them change nothing (the baseline itself)". */
static void count_text(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int d, nempty = 0, k = 0;
    for (d = 0; d < run->ndesigns; d++)
        nempty += el_design_is_empty(run->designs[d].design);
    fprintf(f,
            "This report compares %d design%s of %d jurisdiction%s with the autarky "
            "baseline, in which each system meets its own cap.",
            run->ndesigns, run->ndesigns == 1 ? "" : "s", s->njur, s->njur == 1 ? "" : "s");
    if (nempty == 0) {
        fputs("\n", f);
        return;
    }
    fputs(nempty == 1 ? " One of them," : " Of them,", f);
    for (d = 0; d < run->ndesigns && k < MAX_LISTED; d++) {
        if (!el_design_is_empty(run->designs[d].design))
            continue;
        fputs(k ? ",\n" : "\n", f);
        design_ref(f, design_title(&run->designs[d]), run->designs[d].id);
        k++;
    }
    if (nempty > k)
        fprintf(f, " and %d more", nempty - k);
    fprintf(f,
            ", change%s nothing: %s the baseline itself, so %d of the designs %s linkage "
            "designs.\n",
            nempty == 1 ? "s" : "", nempty == 1 ? "it is" : "they are", run->ndesigns - nempty,
            run->ndesigns - nempty == 1 ? "is a" : "are");
}

static void summary(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int best, d, worst = -1, pure = -1;
    double g = max_gain(run, &best);
    char own[EL_RANK_TITLE_SIZE];
    if (run->ndesigns == 0) { /* a scenario of analyses only */
        fprintf(f,
                "The scenario declares no linkage design of its own: the report shows the "
                "autarky baseline of its %d jurisdiction%s, in which each system meets its own "
                "cap.\n",
                s->njur, s->njur == 1 ? "" : "s");
        return;
    }
    count_text(run, f);
    summary_failed(run, f);
    if (best < 0 || g <= 1e-9) {
        fputs(best < 0 && run->ndesigns > 0 ? "No design has an equilibrium.\n"
                                            : "No design lowers the total cost of compliance "
                                              "below autarky.\n",
              f);
        caveats(run, -1, f);
        fputs("\n", f);
        return;
    }
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        if (!solved(r))
            continue;
        if (!el_design_is_empty(r->design) && (worst < 0 || r->gain < run->designs[worst].gain))
            worst = d; /* among linkage designs: an empty one is the baseline itself */
        if (el_design_own_rules(s, r->design, NULL, 0) == 0 &&
            (pure < 0 || r->gain > run->designs[pure].gain))
            pure = d;
    }
    best_text(run, &run->designs[best], design_title(&run->designs[best]), run->designs[best].id, g,
              f);
    if (el_design_own_rules(s, run->designs[best].design, NULL, 0) == 0)
        fputs(" It changes no member's own rules: its gain is a gain from linking alone.", f);
    if (worst >= 0 && worst != best)
        worst_text(run, design_title(&run->designs[worst]), run->designs[worst].id,
                   run->designs[worst].gain, f);
    if (el_design_own_rules(s, run->designs[best].design, own, sizeof(own)) > 0) {
        headline_caveat(run, own, &run->designs[best], run->designs[best].design,
                        pure >= 0 ? design_title(&run->designs[pure]) : NULL,
                        pure >= 0 ? run->designs[pure].id : NULL,
                        pure >= 0 ? run->designs[pure].gain : 0, f);
        caveats(run, best, f);
    } else {
        caveats(run, -1, f);
    }
    fputs("\n", f);
}

/* The title page up to the summary: the scenario's name and what the report is. */
static void title_open(const ElRun *run, const char *what, FILE *f)
{
    fputs("\\begin{titlepage}\n\\vspace*{1cm}\n{\\LARGE\\bfseries ", f);
    tex(f, run->scenario->name);
    fprintf(f,
            "}\\par\\vspace{0.4cm}\n{\\large Carbon market linkage: %s "
            "(etslink)}\\par\\vspace{1cm}\n",
            what);
}

/* The units, what a gain is, and how many input figures name their source. */
static void units_text(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int k, nsourced = 0;
    fputs("\\par\\vspace{0.4cm}Prices are in ", f);
    tex(f, cur(run));
    fputs(" per tonne of CO\\textsubscript{2}e, quantities in Mt, costs and gains in million ", f);
    tex(f, cur(run));
    fputs(" a year. A gain is the fall in a jurisdiction's national cost (abatement, offsets and "
          "projects at home, net payments abroad) against autarky.",
          f);
    for (k = 0; k < s->nfigures; k++)
        nsourced += s->figures[k].source != NULL;
    if (s->nfigures > 0)
        fprintf(f,
                "\n\\par\\vspace{0.4cm}Sources: %d of the scenario's %d input figures name their "
                "source; the appendix lists every figure with its source%s.",
                nsourced, s->nfigures, nsourced < s->nfigures ? " or ``not stated''" : "");
}

static void title(const ElRun *run, const ElReportAnalyses *an, FILE *f)
{
    title_open(run, "equilibrium of each design", f);
    summary(run, f);
    units_text(run, f);
    fputs("\n", f);
    el_report_analyses_title(an, f);
    fputs("\\end{titlepage}\n", f);
}

/* ---- The scenario and its designs ---- */

static void fit_text(const ElMacFit *fit, FILE *f)
{
    fprintf(f, "fitted %s: ", el_fit_form_name(fit->form));
    if (fit->form == EL_FIT_POWER) {
        num(f, fit->coef[0], 4);
        fputs("\\,$a^{", f);
        el_fmt_fixed(f, fit->coef[1], 3);
        fputs("}$", f);
    } else {
        int k, nk = fit->form == EL_FIT_CUBIC ? 4 : 3;
        for (k = 0; k < nk; k++) {
            fputs(k ? " + " : "", f);
            fputs("\\num{", f);
            el_fmt_sig(f, fit->coef[k], 4);
            fputs("}", f);
            if (k == 1)
                fputs("\\,$a$", f);
            else if (k > 1)
                fprintf(f, "\\,$a^%d$", k);
        }
    }
    fprintf(f, " (%d obs., RMS residual ", fit->n);
    num(f, fit->rms, 3);
    fputs("; prices use the fitted function)", f);
}

/* A curve in words; `var` is the quantity's symbol (a: abatement, o: credits). */
static void curve_text(const ElMacFit *fit, const ElMac *m, const char *var, FILE *f)
{
    int n = el_mac_piece_count(m);
    if (fit) {
        fit_text(fit, f);
        return;
    }
    switch (el_mac_form(m)) {
    case EL_MAC_LINEAR:
        if (n > 0) {
            const ElMacPiece *pc = el_mac_piece(m, 0);
            fputs("linear: ", f);
            num(f, pc->p0, 2);
            fputs(" + ", f);
            num(f, pc->slope, 4);
            fprintf(f, "\\,$%s$", var);
        } else {
            fputs("linear (no abatement possible)", f);
        }
        break;
    case EL_MAC_POINTS:
        fprintf(f, "%d linear pieces", n);
        break;
    case EL_MAC_STEPS:
        fprintf(f, "%d measures (steps)", n);
        break;
    }
}

static void instruments_text(const ElScenario *s, int j, FILE *f)
{
    static const char *const names[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};
    int k, any = 0;
    if (s->jur[j].cap_kind == EL_CAP_TAX) {
        fputs("tax ", f);
        num(f, s->jur[j].tax_rate, 2);
        fputs(", credits $\\le$ ", f);
        num(f, s->jur[j].credit_limit, 1);
        fputs("\\,Mt", f);
        any = 1;
    }
    for (k = 0; k < EL_INSTR_KINDS; k++) {
        const ElInstrument *in = el_scenario_instrument(s, NULL, j, (ElInstrKind)k);
        if (!in)
            continue;
        fputs(any ? "; " : "", f);
        fputs(names[k], f);
        fputs(" ", f);
        num(f, in->price, 2);
        if (k != EL_INSTR_PENALTY) {
            fputs(" for ", f);
            num(f, in->volume, 1);
            fputs("\\,Mt", f);
        }
        any = 1;
    }
    if (!any)
        fputs("--", f);
}

/* "CCER, at most 5% of its emissions, discount 0.5" */
static void accept_text(const ElScenario *s, const ElAccept *a, FILE *f)
{
    tex(f, s->pools[a->pool].id);
    if (!isnan(a->limit_share)) {
        fputs(", at most ", f);
        num(f, 100 * a->limit_share, 1);
        fputs("\\,\\% of its emissions", f);
    }
    if (isfinite(a->limit)) {
        fputs(", at most ", f);
        num(f, a->limit, 3);
        fputs("\\,Mt", f);
    }
    if (a->discount != 1) {
        fputs(", ", f);
        el_fmt_num(f, a->discount);
        fputs("\\,t credited per credit", f);
    }
}

static void scenario_section(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    char spec[200];
    int j, k;
    need_lines(f, 8 + s->njur);
    fputs("\\section*{The scenario}\n", f);
    snprintf(spec, sizeof(spec),
             "%s>{\\raggedright\\arraybackslash}p{0.15\\linewidth}rrr"
             ">{\\raggedright\\arraybackslash}p{0.2\\linewidth}r"
             ">{\\raggedright\\arraybackslash}p{0.15\\linewidth}",
             id_column(s));
    table_begin(f, run, "\\small", spec, 8,
                "Id & Name & BAU & Cap & Required & MAC curve & Autarky price & Instruments \\\\\n"
                " & & (Mt) & (Mt) & (Mt) & (@C/t) & (@C/t) & \\\\\n");
    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        tex_wrap(f, ju->id);
        fputs(" & ", f);
        tex_wrap(f, ju->name);
        cell(f, ju->bau, 3);
        fputs(" & ", f);
        if (ju->cap_kind == EL_CAP_TAX)
            fputs("(tax)", f);
        else
            num(f, ju->cap, 3);
        if (ju->cap_kind == EL_CAP_INTENSITY)
            fputs("\\textsuperscript{i}", f);
        fputs(" & ", f);
        if (ju->cap_kind == EL_CAP_TAX)
            fputs("--", f);
        else
            num(f, ju->bau - ju->cap, 3);
        fputs(" & ", f);
        curve_text(ju->fit, ju->mac, "a", f);
        cell(f, run->autarky.jur[j].price, 2);
        fputs(" & ", f);
        instruments_text(s, j, f);
        row_end(f, j, s->njur);
    }
    table_end(f);
    for (j = 0, k = 0; j < s->njur; j++)
        k |= s->jur[j].cap_kind == EL_CAP_INTENSITY ? 1 : s->jur[j].cap_kind == EL_CAP_TAX ? 2 : 0;
    if (k & 1)
        fputs("\\textsuperscript{i}\\,Intensity-based: cap = benchmark $\\times$ output. ", f);
    if (k & 2)
        fputs("A tax regime has no cap: its emissions pay the tax. ", f);
    fputs("$a$: abatement (Mt).\n\n", f);
    if (s->npools > 0) {
        need_lines(f, 7 + s->npools);
        fputs("\\subsection*{Offset pools}\n", f);
        table_begin(f, run, "\\small",
                    "l>{\\raggedright\\arraybackslash}p{0.12\\linewidth}"
                    ">{\\raggedright\\arraybackslash}p{0.3\\linewidth}"
                    ">{\\raggedright\\arraybackslash}p{0.35\\linewidth}",
                    4,
                    "Pool & Produced in & Supply curve (@C/t) & Accepted in every design "
                    "\\\\\n");
        for (k = 0; k < s->npools; k++) {
            int a, n = 0;
            tex_wrap(f, s->pools[k].id);
            fputs(" & ", f);
            if (s->pools[k].host >= 0)
                tex_wrap(f, s->jur[s->pools[k].host].id);
            else
                fputs("rest of the world", f);
            fputs(" & ", f);
            curve_text(NULL, s->pools[k].supply, "o", f);
            fputs(" & ", f);
            for (a = 0; a < s->naccepts; a++) {
                if (s->accepts[a].pool != k)
                    continue;
                fputs(n++ ? "; " : "", f);
                tex_wrap(f, s->jur[s->accepts[a].jur].id);
                fputs(": ", f);
                accept_text(s, &s->accepts[a], f);
            }
            fputs(n ? " \\\\\n" : "-- \\\\\n", f);
        }
        table_end(f);
        fputs("$o$: credits (Mt).\n\n", f);
    }
}

/* " (years 2026 to 2030)" for an element of a several-period design. */
static void years_text(int start, int until, FILE *f)
{
    if (start > 0 && until > 0)
        fprintf(f, " (%d to %d)", start, until);
    else if (start > 0)
        fprintf(f, " (from %d)", start);
    else if (until > 0)
        fprintf(f, " (until %d)", until);
}

/* The k-th item of a design's description: "; " between items, and false once DESC_ITEMS are
 * written (the caller then counts the rest). */
static bool desc_item(FILE *f, int *k)
{
    if (*k >= DESC_ITEMS) {
        (*k)++;
        return false;
    }
    fputs(*k ? ";\n" : "", f);
    (*k)++;
    return true;
}

/* "ID WHAT max Mt", or "ID WHAT share % OF" when the limit is a share (max is then unused): an
 * export cap's or an import limit's words in a design's description. */
static void
limit_text(FILE *f, const char *id, const char *what, double max, double share, const char *of)
{
    tex_wrap(f, id);
    fputs(what, f);
    if (isnan(share)) {
        num(f, max, 3);
        fputs("\\,Mt", f);
    } else {
        num(f, 100 * share, 1);
        fputs("\\,\\% ", f);
        fputs(of, f);
    }
}

/* What design d does, in words: its groups, links, instruments, acceptances, caps, limits,
 * projects and changes of data (the first DESC_ITEMS, then how many more). */
static void describe_design(const ElRun *run, const ElDesign *d, FILE *f)
{
    static const char *const instr[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};
    const ElScenario *s = run->scenario;
    int i, m, k = 0;
    if (!d || el_design_is_empty(d)) {
        fputs("nothing: the autarky baseline", f);
        return;
    }
    for (i = 0; i < d->ngroups; i++) {
        if (!desc_item(f, &k))
            continue;
        fputs("full link of ", f);
        for (m = 0; m < d->groups[i].n; m++) {
            fputs(m ? ", " : "", f);
            tex_wrap(f, s->jur[d->groups[i].members[m]].id);
        }
        years_text(d->groups[i].start, d->groups[i].until, f);
    }
    for (i = 0; i < d->nlinks; i++) {
        const ElLink *l = &d->links[i];
        if (!desc_item(f, &k))
            continue;
        fputs("link ", f);
        tex_wrap(f, s->jur[l->from].id);
        fputs("\\,$\\to$\\,", f);
        tex_wrap(f, s->jur[l->to].id);
        if (l->rate != 1) {
            fputs(", rate ", f);
            el_fmt_num(f, l->rate);
        }
        if (isfinite(l->quota)) {
            fputs(", quota ", f);
            num(f, l->quota, 3);
            fputs("\\,Mt", f);
        }
        if (!isnan(l->quota_share)) {
            fputs(", quota ", f);
            num(f, 100 * l->quota_share, 1);
            fputs("\\,\\% of the buyer's emissions", f);
        }
        if (l->rent_to == EL_RENT_BUYER_GOV)
            fputs(", import rights auctioned", f);
        else if (l->rent_to == EL_RENT_SELLER)
            fputs(", units sold at the buyer's price", f);
        years_text(l->start, l->until, f);
    }
    for (i = 0; i < d->ninstruments; i++) {
        const ElInstrument *in = &d->instruments[i];
        if (!desc_item(f, &k))
            continue;
        tex_wrap(f, s->jur[in->jur].id);
        fprintf(f, " %s ", instr[in->kind]);
        num(f, in->price, 2);
        with_currency(f, run, "\\,@C/t");
        if (in->kind != EL_INSTR_PENALTY) {
            fputs(" for ", f);
            num(f, in->volume, 3);
            fputs("\\,Mt", f);
        }
    }
    for (i = 0; i < d->naccepts; i++) {
        if (!desc_item(f, &k))
            continue;
        tex_wrap(f, s->jur[d->accepts[i].jur].id);
        fputs(" accepts ", f);
        accept_text(s, &d->accepts[i], f);
        if (s->pools[d->accepts[i].pool].host == d->accepts[i].jur)
            fputs(" (its own offsets)", f);
    }
    for (i = 0; i < d->nexport_caps; i++) {
        const ElExportCap *x = &d->export_caps[i];
        if (desc_item(f, &k))
            limit_text(f, s->jur[x->jur].id, "'s net exports at most ", x->max, x->share_of_cap,
                       "of its cap");
    }
    for (i = 0; i < d->nimport_limits; i++) {
        const ElImportLimit *x = &d->import_limits[i];
        if (!desc_item(f, &k))
            continue;
        limit_text(f, s->jur[x->jur].id, " credits at most ", x->max, x->share, "of its emissions");
        fputs(" from outside its cap", f);
    }
    for (i = 0; i < d->nprojects; i++) {
        const ElProject *p = &d->projects[i];
        if (!desc_item(f, &k))
            continue;
        fputs("joint project ", f);
        tex_wrap(f, p->id);
        fputs(": ", f);
        num(f, p->capacity, 1);
        fputs("\\,Mt of credits a year, fixed cost ", f);
        num(f, p->fixed_cost, 1);
        with_currency(f, run, "\\,M@C, variable cost ");
        num(f, p->variable_cost, 2);
        with_currency(f, run, "\\,@C/t (");
        for (m = 0; m < p->n; m++) {
            fputs(m ? ", " : "", f);
            tex_wrap(f, s->jur[p->members[m]].id);
            fputs(" ", f);
            num(f, 100 * p->shares[m], 0);
            fputs("\\,\\%", f);
        }
        fputs(")", f);
    }
    for (i = 0; i < d->sets.n; i++) {
        const ElSet *x = &d->sets.sets[i];
        if (!desc_item(f, &k))
            continue;
        tex_wrap(f, s->jur[x->jur].id);
        fputs(" ", f);
        tex(f, el_set_field_name(x->field));
        fputs(" set to ", f);
        el_fmt_num(f, x->value);
    }
    if (k > DESC_ITEMS)
        fprintf(f, "; and %d more", k - DESC_ITEMS);
}

/* The designs: what each does and which of the members' own rules it changes. */
static void designs_section(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int d;
    need_lines(f, 10 + 2 * run->ndesigns);
    fputs("\\section*{The designs}\nEach design is solved and compared with autarky. A design "
          "that changes a member's own rules (a price instrument, its data, the use of offsets "
          "produced at home) mixes that domestic policy with linking: the last column names "
          "such changes.\n",
          f);
    table_begin(f, run, "\\small",
                "r>{\\raggedright\\arraybackslash}p{0.2\\linewidth}"
                ">{\\raggedright\\arraybackslash}p{0.48\\linewidth}"
                ">{\\raggedright\\arraybackslash}p{0.2\\linewidth}",
                4, "No. & Design & What it does & Members' own rules changed \\\\\n");
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        char own[EL_RANK_TITLE_SIZE];
        fprintf(f, "%d. & ", d + 1);
        design_cell(f, design_title(r), r->id);
        if (!solved(r))
            fputs(" (no equilibrium)", f);
        fputs(" & ", f);
        describe_design(run, r->design, f);
        fputs(" & ", f);
        if (el_design_own_rules(s, r->design, own, sizeof(own)) > 0)
            tex_wrap(f, own);
        else
            fputs("--", f);
        row_end(f, d, run->ndesigns);
    }
    table_end(f);
    fputs("\n", f);
}

/* ---- One table per design, and its flows ---- */

/* A design without an equilibrium: who is short, and by how much. */
static void failed_table(const ElRun *run, int d, FILE *f)
{
    const ElScenario *s = run->scenario;
    const ElDesignResult *r = &run->designs[d];
    int j, n = 0;
    char spec[120];
    for (j = 0; j < r->njur; j++)
        n += r->jur[j].shortfall > 0;
    need_lines(f, small_lines(9 + n));
    fprintf(f, "\\subsection*{Design %d: ", d + 1);
    design_caption(f, design_title(r), r->id);
    fputs(" (no equilibrium)}\nThis design has no equilibrium", f);
    if (r->outcome != EL_INFEASIBLE) {
        fputs(" (solver outcome: ", f);
        tex(f, el_results_outcome_name(r->outcome));
        fputs(")", f);
    }
    fputs(": its caps cannot be met with the abatement and units available to it, so it has no "
          "prices, trade or gains. The least total shortfall is ",
          f);
    num(f, total_shortfall(r), 3);
    fputs("\\,Mt.\n", f);
    snprintf(spec, sizeof(spec), "%srrr", id_column(s));
    table_begin(f, run, "\\footnotesize", spec, 4,
                "Jurisdiction & Required (Mt) & MAC curve ends at (Mt) & Shortfall (Mt) \\\\\n");
    for (j = 0; j < r->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        if (r->jur[j].shortfall <= 0)
            continue;
        tex_wrap(f, ju->id);
        cell(f, r->jur[j].requirement, 3);
        cell(f, r->jur[j].max_abatement, 3);
        cell(f, r->jur[j].shortfall, 3);
        fputs(" \\\\\n", f);
    }
    table_end(f);
    fputs("\n", f);
}

#define FLOW_EPS     5e-7 /* Mt: smaller flows are not shown */
#define FLOW_MAX_DIM 24   /* sellers or buyers beyond which the matrix is not printed */

/* The flows of one design: rows are sellers (jurisdictions selling allowances, then offset
 * pools and joint projects), columns buyers, cells tonnes credited to the buyer. */
typedef struct {
    int nsell, nbuy, nrows;
    int *sell, *buy;  /* jurisdiction of each seller row (< nsell) and buyer column */
    int *row_of;      /* njur: seller row of a jurisdiction, or -1 */
    int *col_of;      /* njur: buyer column of a jurisdiction, or -1 */
    double *m;        /* nrows x nbuy */
    double *residual; /* njur: net purchases in groups (net imports less links) */
    int *comp;        /* njur: the group component a jurisdiction trades in, or -1 */
    bool split;       /* a component with several sellers and several buyers */
    bool rated;       /* a link with an exchange rate */
} Flows;

static void flows_free(Flows *fl)
{
    el_free(fl->sell);
    el_free(fl->m);
    el_free(fl->residual);
    memset(fl, 0, sizeof(*fl));
}

static int comp_root(int *parent, int j)
{
    while (parent[j] != j) {
        parent[j] = parent[parent[j]];
        j = parent[j];
    }
    return j;
}

/* Fill fl for solved design r. Returns false when out of memory or when the matrix would have
 * more than FLOW_MAX_DIM sellers or buyers (fl->nsell, fl->nbuy then tell how many). */
static bool flows_make(const ElRun *run, const ElDesignResult *r, Flows *fl)
{
    const ElScenario *s = run->scenario;
    const ElDesign *des = r->design;
    int n = s->njur, j, l, k, g, npool = s->npools, nproj = r->nprojects > 0 ? 1 : 0;
    int *parent;
    memset(fl, 0, sizeof(*fl));
    fl->sell = el_malloc((size_t)(6 * (n > 0 ? n : 1)) * sizeof(int));
    fl->residual = el_malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!fl->sell || !fl->residual)
        return false;
    fl->buy = fl->sell + n;
    fl->row_of = fl->buy + n;
    fl->col_of = fl->row_of + n;
    fl->comp = fl->col_of + n;
    parent = fl->comp + n;
    for (j = 0; j < n; j++) {
        fl->row_of[j] = fl->col_of[j] = fl->comp[j] = -1;
        fl->residual[j] = r->jur[j].net_imports;
        parent[j] = j;
    }
    for (l = 0; des && l < r->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        fl->residual[lk->to] -= r->link[l].credited;
        fl->residual[lk->from] += r->link[l].units;
        if (r->link[l].credited > FLOW_EPS) {
            fl->row_of[lk->from] = fl->col_of[lk->to] = 0; /* marked; numbered below */
            fl->rated |= lk->rate != 1;
        }
    }
    for (g = 0; des && g < des->ngroups; g++)
        for (k = 0; k < des->groups[g].n; k++) {
            int a = comp_root(parent, des->groups[g].members[0]);
            int b = comp_root(parent, des->groups[g].members[k]);
            parent[b] = a;
            fl->comp[des->groups[g].members[k]] = 0;
        }
    for (j = 0; j < n; j++) {
        if (fl->comp[j] < 0)
            continue;
        fl->comp[j] = comp_root(parent, j);
        if (fl->residual[j] < -FLOW_EPS)
            fl->row_of[j] = 0;
        else if (fl->residual[j] > FLOW_EPS)
            fl->col_of[j] = 0;
    }
    for (k = 0; k < r->naccepts; k++)
        if (r->accept[k].credited > FLOW_EPS)
            fl->col_of[r->accept[k].jur] = 0;
    for (j = 0; j < n; j++)
        if (r->jur[j].project_credits > FLOW_EPS)
            fl->col_of[j] = 0;
    for (j = 0; j < n; j++) {
        if (fl->row_of[j] == 0)
            fl->sell[fl->row_of[j] = fl->nsell++] = j;
        if (fl->col_of[j] == 0)
            fl->buy[fl->col_of[j] = fl->nbuy++] = j;
    }
    if (fl->nsell > FLOW_MAX_DIM || fl->nbuy > FLOW_MAX_DIM)
        return false;
    fl->nrows = fl->nsell + npool + nproj;
    fl->m =
        el_calloc((size_t)(fl->nrows > 0 ? fl->nrows : 1) * (size_t)(fl->nbuy > 0 ? fl->nbuy : 1),
                  sizeof(double));
    if (!fl->m)
        return false;
    for (l = 0; des && l < r->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        if (r->link[l].credited > FLOW_EPS)
            fl->m[fl->row_of[lk->from] * fl->nbuy + fl->col_of[lk->to]] += r->link[l].credited;
    }
    /* within a group component: each seller's sales split across its buyers in proportion to
     * their purchases (exact with one seller or one buyer) */
    for (j = 0; j < n; j++) {
        double bought = 0;
        int nb = 0, ns = 0, b;
        if (fl->comp[j] != j)
            continue;
        for (b = 0; b < n; b++)
            if (fl->comp[b] == j && fl->residual[b] > FLOW_EPS) {
                bought += fl->residual[b];
                nb++;
            } else if (fl->comp[b] == j && fl->residual[b] < -FLOW_EPS) {
                ns++;
            }
        fl->split |= nb > 1 && ns > 1;
        for (k = 0; bought > 0 && k < n; k++) {
            if (fl->comp[k] != j || fl->residual[k] >= -FLOW_EPS)
                continue;
            for (b = 0; b < n; b++)
                if (fl->comp[b] == j && fl->residual[b] > FLOW_EPS)
                    fl->m[fl->row_of[k] * fl->nbuy + fl->col_of[b]] +=
                        -fl->residual[k] * fl->residual[b] / bought;
        }
    }
    for (k = 0; k < r->naccepts; k++)
        if (r->accept[k].credited > FLOW_EPS)
            fl->m[(fl->nsell + r->accept[k].pool) * fl->nbuy + fl->col_of[r->accept[k].jur]] +=
                r->accept[k].credited;
    for (j = 0; nproj && j < n; j++)
        if (r->jur[j].project_credits > FLOW_EPS)
            fl->m[(fl->nsell + npool) * fl->nbuy + fl->col_of[j]] += r->jur[j].project_credits;
    return true;
}

/* Whether row i of the flows has anything to show. */
static bool flows_row_used(const Flows *fl, int i)
{
    int b;
    for (b = 0; b < fl->nbuy; b++)
        if (fl->m[i * fl->nbuy + b] > FLOW_EPS)
            return true;
    return false;
}

/* The flows matrix of design r (number no, named in the lead-in so that a matrix moved to the
 * next page still says whose it is), in blocks of JUR_BLOCK buyers. */
static void flows_table(const ElRun *run, const ElDesignResult *r, int no, FILE *f)
{
    const ElScenario *s = run->scenario;
    Flows fl;
    int b0, i, b, nrows = 0;
    if (!flows_make(run, r, &fl)) {
        if (fl.nsell > FLOW_MAX_DIM || fl.nbuy > FLOW_MAX_DIM)
            fprintf(f,
                    "%d jurisdictions sell and %d buy allowances or credits: too many for a "
                    "matrix (results.csv gives each one's net imports and offsets).\n\n",
                    fl.nsell, fl.nbuy);
        flows_free(&fl);
        return;
    }
    for (i = 0; i < fl.nrows; i++)
        nrows += flows_row_used(&fl, i);
    if (nrows == 0 || fl.nbuy == 0) {
        fputs("No allowances or credits change hands.\n\n", f);
        flows_free(&fl);
        return;
    }
    for (b0 = 0; b0 < fl.nbuy; b0 += JUR_BLOCK) {
        int nb = fl.nbuy - b0 < JUR_BLOCK ? fl.nbuy - b0 : JUR_BLOCK;
        bool last = b0 + nb == fl.nbuy;
        char spec[80], head[64];
        size_t len;
        need_lines(f, small_lines(6 + nrows));
        fprintf(f,
                "\\emph{Who sells to whom} in design %d (Mt credited to the buyer; rows sell, "
                "columns buy",
                no);
        if (fl.nbuy > JUR_BLOCK)
            fprintf(f, "; buyers %d to %d of %d", b0 + 1, b0 + nb, fl.nbuy);
        fputs("):\n", f);
        len = (size_t)snprintf(spec, sizeof(spec),
                               ">{\\raggedright\\arraybackslash}p{0.2\\linewidth}");
        for (b = 0; b < nb + (last ? 1 : 0) && len + 2 < sizeof(spec); b++)
            spec[len++] = 'r';
        spec[len] = '\0';
        snprintf(head, sizeof(head), "%s", "Seller");
        fprintf(f, "{\\footnotesize\n\\begin{longtable}{%s}\n\\toprule\n%s", spec, head);
        for (b = 0; b < nb; b++) {
            fputs(" & ", f);
            tex_wrap(f, s->jur[fl.buy[b0 + b]].id);
        }
        fputs(last ? " & Sold \\\\\n\\midrule\n\\endhead\n" : " \\\\\n\\midrule\n\\endhead\n", f);
        for (i = 0; i < fl.nrows; i++) {
            double sold = 0;
            if (!flows_row_used(&fl, i))
                continue;
            if (i == fl.nsell && i > 0)
                fputs("\\midrule\n", f);
            if (i < fl.nsell) {
                tex_wrap(f, s->jur[fl.sell[i]].id);
            } else if (i < fl.nsell + s->npools) {
                int k = i - fl.nsell;
                tex_wrap(f, s->pools[k].id);
                fputs(" credits (", f);
                if (s->pools[k].host >= 0)
                    tex_wrap(f, s->jur[s->pools[k].host].id);
                else
                    fputs("rest of the world", f);
                fputs(")", f);
            } else {
                fputs("joint-project credits", f);
            }
            for (b = 0; b < fl.nbuy; b++)
                sold += fl.m[i * fl.nbuy + b];
            for (b = 0; b < nb; b++) {
                double v = fl.m[i * fl.nbuy + b0 + b];
                fputs(" & ", f);
                if (v > FLOW_EPS)
                    num(f, v, 3);
            }
            if (last)
                cell(f, sold, 3);
            fputs(" \\\\\n", f);
        }
        fputs("\\midrule\nBought", f);
        for (b = 0; b < nb; b++) {
            double t = 0;
            for (i = 0; i < fl.nrows; i++)
                t += fl.m[i * fl.nbuy + b0 + b];
            cell(f, t, 3);
        }
        fputs(last ? " & \\\\\n\\bottomrule\n\\end{longtable}\n}\n"
                   : " \\\\\n\\bottomrule\n"
                     "\\end{longtable}\n}\n",
              f);
    }
    for (i = fl.nsell; i < fl.nrows && !flows_row_used(&fl, i); i++)
        ;
    if (i < fl.nrows) /* offset or project credits */
        fputs("Credits are shown apart from allowances, with the jurisdiction where they are "
              "produced; credits used where they are produced are domestic, not imports.",
              f);
    if (fl.split)
        fputs(" Within a full link units trade through one market; each seller's sales are split "
              "across the buyers in proportion to their purchases.",
              f);
    if (fl.rated)
        fputs(" On a link with an exchange rate the seller gives up the tonnes credited divided "
              "by the rate.",
              f);
    fputs("\n\n", f);
    flows_free(&fl);
}

static void design_table(const ElRun *run, int d, FILE *f)
{
    const ElScenario *s = run->scenario;
    const ElDesignResult *r = &run->designs[d];
    const ElDesign *des = r->design;
    double abated = 0, emitted = 0, offsets = 0, payments = 0;
    char spec[160];
    int j, l;
    if (!solved(r)) {
        failed_table(run, d, f);
        return;
    }
    need_lines(f, small_lines(9 + r->njur));
    fprintf(f, "\\subsection*{Design %d: ", d + 1);
    design_caption(f, design_title(r), r->id);
    fputs("}\n", f);
    snprintf(spec, sizeof(spec), "%srrrrrrrrrl", id_column(s));
    table_begin(f, run, "\\footnotesize", spec, 11,
                "Jurisdiction & Price & Abatement & Emissions & Net imports & Offsets & "
                "Abatement cost & Payments & National cost & Gain & Binding \\\\\n & (@C/t) & "
                "(Mt) & (Mt) & (Mt) & (Mt) & (M@C) & (M@C) & (M@C) & (M@C) & \\\\\n");
    for (j = 0; j < r->njur; j++) {
        const ElJurResult *q = &r->jur[j];
        tex_wrap(f, s->jur[j].id);
        cell(f, q->price, 2);
        cell(f, q->abatement, 3);
        cell(f, q->emissions, 3);
        cell(f, q->net_imports, 3);
        cell(f, q->offsets + q->project_credits, 3);
        cell(f, q->abatement_cost, 2);
        cell(f, q->payments, 2);
        cell(f, q->national_cost, 2);
        cell(f, q->gain, 2);
        fprintf(f, " & %s", el_binding_name(q->binding));
        row_end(f, j == r->njur - 1 ? 0 : j, r->njur); /* the last row stays with the total */
        abated += q->abatement;
        emitted += q->emissions;
        offsets += q->offsets + q->project_credits;
        payments += q->payments;
    }
    fputs("\\midrule\nTotal & & ", f);
    num(f, abated, 3);
    fputs(" & ", f);
    num(f, emitted, 3);
    fputs(" & ", f);
    cell(f, offsets, 3);
    cell(f, r->abatement_cost, 2);
    cell(f, payments, 2);
    cell(f, r->national_cost, 2);
    cell(f, r->gain, 2);
    fputs(" & \\\\\n", f);
    table_end(f);
    if (r->row_surplus != 0) {
        fputs("The total gain includes the change in the rest of the world's surplus (", f);
        num(f, r->row_surplus, 2);
        fputs(" in this design).\n", f);
    }
    fputs("\n", f);
    flows_table(run, r, d + 1, f);
    if (r->nlinks > 0) {
        need_lines(f, small_lines(7 + r->nlinks));
        fprintf(f,
                "\\emph{Links} of design %d (one way: units sent, tonnes credited to the buyer, "
                "the unit price and a binding quota's rent):\n",
                d + 1);
        snprintf(spec, sizeof(spec), "%s%srrrrl", id_column(s), id_column(s));
        table_begin(f, run, "\\footnotesize", spec, 7,
                    "From & To & Units (Mt) & Credited (Mt) & Unit price (@C/t) & Rent (M@C) & "
                    "Rent to \\\\\n");
        for (l = 0; l < r->nlinks; l++) {
            static const char *const rent[] = {"buyer", "buyer's government", "seller"};
            tex_wrap(f, s->jur[des->links[l].from].id);
            fputs(" & ", f);
            tex_wrap(f, s->jur[des->links[l].to].id);
            cell(f, r->link[l].units, 3);
            cell(f, r->link[l].credited, 3);
            cell(f, r->link[l].unit_price, 2);
            cell(f, r->link[l].rent, 2);
            fprintf(f, " & %s \\\\\n", rent[des->links[l].rent_to]);
        }
        table_end(f);
        fputs("\n", f);
    }
    for (l = 0; l < r->npools; l++) {
        if (!r->pool[l].used)
            continue;
        fputs("Offset pool ", f);
        tex(f, s->pools[l].id);
        fputs(": price ", f);
        num(f, r->pool[l].price, 2);
        with_currency(f, run, "\\,@C/t, ");
        num(f, r->pool[l].supplied, 3);
        fputs("\\,Mt supplied.\\\\\n", f);
    }
    for (l = 0; l < r->nprojects; l++) {
        fputs("Project ", f);
        tex(f, des->projects[l].id);
        fputs(r->project[l].built ? ": built, " : ": not built, ", f);
        num(f, r->project[l].credits, 3);
        fputs("\\,Mt of credits used.\\\\\n", f);
    }
    fputs("\n", f);
}

/* ---- The comparison of designs (and the summary's ranking) ---- */

/* The columns after the design: total gain and the design's figures (summary.h). */
#define FIGURE_COLUMNS                                                             \
    ">{\\raggedleft\\arraybackslash}p{42pt}>{\\raggedleft\\arraybackslash}p{48pt}" \
    ">{\\raggedleft\\arraybackslash}p{48pt}>{\\raggedleft\\arraybackslash}p{40pt}" \
    ">{\\raggedleft\\arraybackslash}p{36pt}>{\\raggedleft\\arraybackslash}p{40pt}" \
    ">{\\raggedleft\\arraybackslash}p{44pt}>{\\raggedleft\\arraybackslash}p{44pt}" \
    ">{\\raggedleft\\arraybackslash}p{44pt}"
#define FIGURE_HEADER                                                                          \
    "Total gain (M@C) & Covered emissions (Mt) & NDC-accounted emissions (Mt) & Price spread " \
    "of linked (@C/t) & Traded (Mt) & Scarcity rents (M@C) & Government revenue (M@C) & "      \
    "Firms' cost (M@C) & Total cost (M@C) \\\\\n"

static void figure_cells(FILE *f, double gain, const ElDesignFigures *x, double cost, int i, int n)
{
    cell(f, gain, 2);
    cell(f, x->emissions, 3);
    cell(f, x->ndc_emissions, 3);
    cell(f, x->spread, 2);
    cell(f, x->traded, 3);
    cell(f, x->rents, 2);
    cell(f, x->gov_revenue, 2);
    cell(f, x->firms_cost, 2);
    cell(f, cost, 2);
    row_end(f, i, n);
}

static const char comparison_note[] =
    "Total gain: the fall in total cost against autarky. Covered emissions: emissions of the "
    "covered sectors; NDC-accounted emissions apply corresponding adjustments (units and credits "
    "sold abroad added, those bought subtracted), so a design that changes either changes what "
    "is achieved, not only what it costs. Price spread: the highest minus the lowest price among "
    "the members of the design's links and groups (``--'': fewer than two are linked); a spread "
    "shows a binding quota, export cap, import limit or exchange rate. Traded: tonnes credited "
    "to buyers from links, groups and offset pools. Scarcity rents: the tonnes credited from "
    "links, groups and offset pools valued at the buyer's price, minus what was paid for them "
    "(the rents of binding quotas, export caps, import limits and offset limits, kept by firms "
    "or governments as each rule says). Government revenue: auctions, ceiling sales, penalties, "
    "taxes and auctioned import rights. Firms' cost: the covered firms' abatement and payments "
    "for allowances, units and credits. Total cost: abatement, offset supply and projects.";

/* Designs whose NDC-accounted emissions differ from autarky's, with the changes; and how many
 * move only covered emissions. */
static void emissions_note(const ElRun *run, FILE *f)
{
    ElDesignFigures base, x;
    int d, k = 0, ncovered = 0;
    el_summary_design_figures(&run->autarky, &base);
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        if (!solved(r))
            continue;
        el_summary_design_figures(r, &x);
        if (!changes_emissions(x.ndc_emissions, base.ndc_emissions)) {
            ncovered += changes_emissions(x.emissions, base.emissions);
            continue;
        }
        fputs(k ? ";\n" : "\n\nDesigns that change NDC-accounted emissions against autarky: ", f);
        design_ref(f, design_title(r), r->id);
        fputs(" (NDC-accounted ", f);
        el_fmt_tex_signed(f, x.ndc_emissions - base.ndc_emissions, 3);
        fputs("\\,Mt, covered ", f);
        el_fmt_tex_signed(f, x.emissions - base.emissions, 3);
        fputs("\\,Mt)", f);
        k++;
    }
    if (k > 0)
        fputs(". Such a design buys a different outcome: compare it on emissions as well as on "
              "cost.",
              f);
    if (ncovered > 0)
        fprintf(f,
                " %s%d design%s change%s covered emissions only: offsets or an exchange rate "
                "replace abatement in the covered sectors, and as much is achieved.",
                k > 0 ? "" : "\n\n", ncovered, ncovered == 1 ? "" : "s", ncovered == 1 ? "s" : "");
}

static void comparison(const ElRun *run, FILE *f)
{
    ElDesignFigures x;
    int d;
    need_lines(f, small_lines(10 + run->ndesigns));
    fputs("\\section*{Comparison of designs}\n", f);
    table_begin(f, run, "\\footnotesize",
                "r>{\\raggedright\\arraybackslash}p{0.24\\linewidth}" FIGURE_COLUMNS, 11,
                "No. & Design & " FIGURE_HEADER);
    el_summary_design_figures(&run->autarky, &x);
    fputs("0. & autarky (baseline)", f);
    figure_cells(f, 0, &x, run->autarky.total_cost, 0, 2);
    fputs("\\midrule\n", f);
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        fprintf(f, "%d. & ", d + 1);
        design_cell(f, design_title(r), r->id);
        if (!solved(r)) {
            fputs(" & \\multicolumn{9}{l}{no equilibrium: short of ", f);
            num(f, total_shortfall(r), 3);
            fputs("\\,Mt}", f);
            row_end(f, d, run->ndesigns);
            continue;
        }
        el_summary_design_figures(r, &x);
        figure_cells(f, r->gain, &x, r->total_cost, d, run->ndesigns);
    }
    table_end(f);
    fputs("{\\small ", f);
    fputs(comparison_note, f);
    emissions_note(run, f);
    fputs("}\n\n", f);
}

/* ---- Figures ---- */

/* The MAC curve m drawn up to xmax, as (q, MAC) coordinates. */
static void curve_coords(const ElMac *m, double xmax, FILE *f)
{
    int k, t, n = 0;
    fputs("coordinates {", f);
    for (k = 0; k < el_mac_piece_count(m); k++) {
        const ElMacPiece *pc = el_mac_piece(m, k);
        double end = fmin(pc->q0 + pc->width, xmax);
        if (pc->q0 > xmax)
            break;
        for (t = 0; t <= CURVE_STEPS; t++) {
            double q = pc->q0 + (end - pc->q0) * t / CURVE_STEPS;
            item_break(f, n++);
            fputs("(", f);
            el_fmt_num(f, q);
            fputs(",", f);
            el_fmt_num(f, pc->p0 + pc->slope * (q - pc->q0));
            fputs(")", f);
        }
    }
    fputs("};\n", f);
}

/* The figures' note on what they leave out: designs without an equilibrium. */
static void chart_note(const ElRun *run, int nsolved, FILE *f)
{
    if (nsolved == run->ndesigns - 1)
        fputs(" The design without an equilibrium is not drawn.", f);
    else if (nsolved < run->ndesigns)
        fprintf(f, " The %d designs without an equilibrium are not drawn.",
                run->ndesigns - nsolved);
}

/* A MAC panel's axis: 6.4 x 4.2 cm of plot area (scale only axis), so that label boxes can be
 * placed in points. */
#define PANEL_W_PT 182.1 /* 6.4 cm */
#define PANEL_H_PT 119.5 /* 4.2 cm */
#define LABEL_CH   3.6   /* width of a \scriptsize digit or comma, pt (with a margin) */
#define LABEL_H    7.5   /* height of a \scriptsize label, pt */
#define SAME_PT    3.0   /* marks closer than this (pt, both ways) share a label */
#define MAX_MARKS  (EL_REPORT_DETAIL_MAX + 1)

static void groupplot_begin(const ElRun *run, FILE *f)
{
    fputs("\\begin{center}\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group "
          "size=3 by 2, horizontal sep=20mm, vertical sep=19mm}, scale only axis, width=6.4cm, "
          "height=4.2cm, xlabel={abatement (Mt)}, ylabel={",
          f);
    tex(f, cur(run));
    fputs("/t}, xmin=0, ymin=0, scaled ticks=false, tick label style={/pgf/number "
          "format/fixed, font=\\scriptsize}, label style={font=\\small}, title style={font="
          "\\small\\bfseries}]\n",
          f);
}

/* The heading of the MAC curve figures, what the marks are (`marks`), and what is left out. */
static void curves_intro(const ElRun *run, const char *marks_text, FILE *f)
{
    const ElScenario *s = run->scenario;
    int n = s->njur < MAX_CURVES ? s->njur : MAX_CURVES;
    need_cm(f, 14.5);
    fputs("\\section*{Figures}\n\\subsection*{Marginal abatement cost curves}\nEach panel shows "
          "a jurisdiction's MAC curve (line) and its abatement and price (dots) in ",
          f);
    fputs(marks_text, f);
    fputs(" Marks that coincide share one label.", f);
    if (n < s->njur)
        fprintf(f, " The first %d of %d jurisdictions are shown.", n, s->njur);
}

typedef struct {
    double x, y;           /* the first mark's position, pt from the plot's lower left corner */
    double ax, ay;         /* ... in axis units */
    double x0, x1, y0, y1; /* the box of the marks it labels, pt */
    long num[MAX_MARKS];   /* the numbers of the marks it labels, increasing */
    int nnum;
    char text[6 * MAX_MARKS + 8]; /* "0--3,5,7": runs of three or more as a range */
    double cx, cy, w; /* the label box's centre (pt, relative to the first mark) and width */
} Label;

/* L->text from L->num: "0,2,3" but "0--11" for a run of three or more consecutive numbers, so
 * that the label of marks that many designs share stays short. Returns the label's width in
 * characters ("--" prints as one dash). */
static int label_text(Label *L)
{
    size_t len = 0;
    int i = 0, chars = 0;
    L->text[0] = '\0';
    while (i < L->nnum) {
        int e = i;
        while (e + 1 < L->nnum && L->num[e + 1] == L->num[e] + 1)
            e++;
        if (e - i >= 2) {
            len += (size_t)snprintf(L->text + len, sizeof(L->text) - len, "%s%ld--%ld",
                                    len ? "," : "", L->num[i], L->num[e]);
            i = e + 1;
        } else {
            len += (size_t)snprintf(L->text + len, sizeof(L->text) - len, "%s%ld", len ? "," : "",
                                    L->num[i]);
            i++;
        }
        if (len >= sizeof(L->text))
            len = sizeof(L->text) - 1;
    }
    for (i = 0; L->text[i]; i++)
        chars += !(L->text[i] == '-' && L->text[i + 1] == '-');
    return chars;
}

/* The MAC curve of a panel in points: y (pt) at x (pt), for a curve drawn up to xmax, ymax. */
typedef struct {
    const ElMac *mac;
    double xmax, ymax;
} PanelCurve;

static double curve_pt(const PanelCurve *c, double x_pt)
{
    double x = fmin(fmax(x_pt, 0), PANEL_W_PT) / PANEL_W_PT * c->xmax;
    return el_mac_value(c->mac, x) / c->ymax * PANEL_H_PT;
}

/* Whether the curve (non-decreasing) passes through a box centred at cx, cy, w x h pt. */
static bool curve_hits(const PanelCurve *c, double cx, double cy, double w, double h)
{
    return curve_pt(c, cx + w / 2) >= cy - h / 2 - 0.5 &&
           curve_pt(c, cx - w / 2) <= cy + h / 2 + 0.5;
}

static bool boxes_overlap(
    double x1, double y1, double w1, double h1, double x2, double y2, double w2, double h2)
{
    return fabs(x1 - x2) < (w1 + w2) / 2 && fabs(y1 - y2) < (h1 + h2) / 2;
}

/* Place each label beside the marks it labels, where it overlaps no other label, no mark and
 * not the curve, and stays inside the plot: the first free of a list of positions, nearest
 * first (the last ones, pushed clear of the curve, are for labels too wide to sit beside their
 * marks); when none is free, the one with the fewest overlaps. */
static void
place_labels(Label *lb, int n, const double *mx, const double *my, int nm, const PanelCurve *curve)
{
    int i, k, t;
    for (i = 0; i < n; i++) {
        Label *L = &lb[i];
        double w = LABEL_CH * (double)label_text(L) + 1.5, h = LABEL_H;
        double xm = 0.5 * (L->x0 + L->x1), ym = 0.5 * (L->y0 + L->y1);
        double xc = fmin(fmax(xm, w / 2 + 1), PANEL_W_PT - w / 2 - 1); /* centred, in the plot */
        double cx[16], cy[16];
        int nc = 0, best = 0, best_score = 1 << 30;
        cx[nc] = L->x0 - w / 2 - 1, cy[nc++] = L->y1 + h / 2 + 1;  /* above left */
        cx[nc] = L->x1 + w / 2 + 1, cy[nc++] = L->y0 - h / 2 - 1;  /* below right */
        cx[nc] = L->x0 - w / 2 - 2.5, cy[nc++] = ym;               /* left */
        cx[nc] = L->x1 + w / 2 + 2.5, cy[nc++] = ym;               /* right */
        cx[nc] = xm, cy[nc++] = L->y1 + h / 2 + 2.5;               /* above */
        cx[nc] = xm, cy[nc++] = L->y0 - h / 2 - 2.5;               /* below */
        cx[nc] = L->x0 - w / 2 - 1, cy[nc++] = L->y1 + h / 2 + 8;  /* further above left */
        cx[nc] = L->x1 + w / 2 + 1, cy[nc++] = L->y0 - h / 2 - 8;  /* further below right */
        cx[nc] = L->x1 + w / 2 + 1, cy[nc++] = L->y1 + h / 2 + 1;  /* above right */
        cx[nc] = L->x0 - w / 2 - 1, cy[nc++] = L->y0 - h / 2 - 1;  /* below left */
        cx[nc] = L->x0 - w / 2 - 1, cy[nc++] = L->y1 + h / 2 + 15; /* ... */
        cx[nc] = L->x1 + w / 2 + 1, cy[nc++] = L->y0 - h / 2 - 15;
        cx[nc] = xc, cy[nc++] = curve_pt(curve, xc + w / 2) + h / 2 + 1.5; /* above the curve */
        cx[nc] = xc, cy[nc++] = curve_pt(curve, xc - w / 2) - h / 2 - 1.5; /* below the curve */
        for (k = 0; k < nc; k++) {
            int score = 0;
            if (cx[k] - w / 2 < 0.5 || cx[k] + w / 2 > PANEL_W_PT - 0.5 || cy[k] - h / 2 < 0.5 ||
                cy[k] + h / 2 > PANEL_H_PT - 0.5)
                score += 1000; /* outside the plot: clipped */
            score += 4 * curve_hits(curve, cx[k], cy[k], w, h);
            for (t = 0; t < i; t++)
                score += 10 * boxes_overlap(cx[k], cy[k], w, h, lb[t].x + lb[t].cx,
                                            lb[t].y + lb[t].cy, lb[t].w, h);
            for (t = 0; t < nm; t++)
                score += boxes_overlap(cx[k], cy[k], w, h, mx[t], my[t], 3, 3);
            if (score < best_score) {
                best_score = score;
                best = k;
            }
            if (score == 0)
                break;
        }
        lb[i].cx = cx[best] - L->x;
        lb[i].cy = cy[best] - L->y;
        lb[i].w = w;
    }
}

/* One panel per jurisdiction (the first MAX_CURVES): the MAC curve, the observations a fitted
 * curve came from, a hollow mark for autarky (marks[0] when label[0] is 0) and filled marks for
 * the others, labelled label[i]; coinciding marks share a label, and labels are placed clear
 * of each other and of the marks. */
static void curve_panels(
    const ElRun *run, const ElDesignResult *const *marks, const long *label, int nmarks, FILE *f)
{
    const ElScenario *s = run->scenario;
    int j, i, k, n = s->njur < MAX_CURVES ? s->njur : MAX_CURVES;
    if (nmarks > MAX_MARKS)
        nmarks = MAX_MARKS;
    groupplot_begin(run, f);
    for (j = 0; j < n; j++) {
        double xmax = 0, ymax = 0, mx[MAX_MARKS], my[MAX_MARKS];
        Label lb[MAX_MARKS];
        PanelCurve curve;
        int nl = 0;
        for (i = 0; i < nmarks; i++) {
            xmax = fmax(xmax, marks[i]->jur[j].abatement);
            ymax = fmax(ymax, marks[i]->jur[j].price);
        }
        xmax = fmin(fmax(2 * xmax, 1e-6),
                    fmax(fmin(el_mac_max_abatement(s->jur[j].mac), s->jur[j].bau), 1e-6));
        ymax = fmax(ymax, el_mac_value(s->jur[j].mac, xmax));
        if (s->jur[j].fit)
            for (k = 0; k < s->jur[j].fit->n; k++)
                if (s->jur[j].fit->q[k] <= xmax)
                    ymax = fmax(ymax, s->jur[j].fit->p[k]);
        ymax = ymax > 0 ? 1.08 * ymax : 1;
        if (j > 0 && j % 6 == 0) {
            fputs("\\end{groupplot}\n\\end{tikzpicture}\n\\end{center}\n", f);
            need_cm(f, 13);
            groupplot_begin(run, f);
        }
        fputs("\\nextgroupplot[title={", f);
        tex(f, s->jur[j].id);
        fputs("}, xmax=", f);
        el_fmt_num(f, xmax);
        fputs(", ymax=", f);
        el_fmt_num(f, ymax);
        fputs("]\n\\addplot[thick, black!75] ", f);
        curve_coords(s->jur[j].mac, xmax, f);
        if (s->jur[j].fit) { /* the observations the curve was fitted to */
            const ElMacFit *fit = s->jur[j].fit;
            int m = 0;
            fputs("\\addplot[only marks, mark=x, mark size=2.6pt, thick, black!70] coordinates {",
                  f);
            for (k = 0; k < fit->n; k++)
                if (fit->q[k] <= xmax) {
                    item_break(f, m++);
                    fputs("(", f);
                    el_fmt_num(f, fit->q[k]);
                    fputs(",", f);
                    el_fmt_num(f, fit->p[k]);
                    fputs(")", f);
                }
            fputs("};\n", f);
        }
        /* marks, and labels shared by marks that coincide on the page */
        for (i = 0; i < nmarks; i++) {
            double ax = fmin(marks[i]->jur[j].abatement, xmax), ay = marks[i]->jur[j].price;
            mx[i] = ax / xmax * PANEL_W_PT;
            my[i] = ay / ymax * PANEL_H_PT;
            for (k = 0; k < nl; k++)
                if (fabs(lb[k].x - mx[i]) <= SAME_PT && fabs(lb[k].y - my[i]) <= SAME_PT)
                    break;
            if (k == nl) {
                memset(&lb[nl], 0, sizeof(lb[nl]));
                lb[nl].x = lb[nl].x0 = lb[nl].x1 = mx[i];
                lb[nl].y = lb[nl].y0 = lb[nl].y1 = my[i];
                lb[nl].ax = ax;
                lb[nl].ay = ay;
                nl++;
            }
            lb[k].x0 = fmin(lb[k].x0, mx[i]);
            lb[k].x1 = fmax(lb[k].x1, mx[i]);
            lb[k].y0 = fmin(lb[k].y0, my[i]);
            lb[k].y1 = fmax(lb[k].y1, my[i]);
            lb[k].num[lb[k].nnum++] = label[i];
        }
        curve.mac = s->jur[j].mac;
        curve.xmax = xmax;
        curve.ymax = ymax;
        place_labels(lb, nl, mx, my, nmarks, &curve);
        for (k = 1; k <= nmarks; k++) { /* marks[1..], then marks[0]: autarky's ring on top */
            i = k % nmarks;
            fputs(i == 0 && label[0] == 0
                      ? "\\addplot[only marks, mark=o, mark size=2.2pt, black, thick] "
                        "coordinates {("
                      : "\\addplot[only marks, mark=*, mark size=1.6pt, etslinkc0] "
                        "coordinates {(",
                  f);
            el_fmt_num(f, fmin(marks[i]->jur[j].abatement, xmax));
            fputs(",", f);
            el_fmt_num(f, marks[i]->jur[j].price);
            fputs(")};\n", f);
        }
        for (k = 0; k < nl; k++) {
            fputs("\\node[font=\\scriptsize, inner sep=0.4pt, fill=white, fill opacity=0.85, text "
                  "opacity=1, xshift=",
                  f);
            el_fmt_fixed(f, lb[k].cx, 1);
            fputs("pt, yshift=", f);
            el_fmt_fixed(f, lb[k].cy, 1);
            fputs("pt] at (axis cs:", f);
            el_fmt_num(f, lb[k].ax);
            fputs(",", f);
            el_fmt_num(f, lb[k].ay);
            fprintf(f, ") {%s};\n", lb[k].text);
        }
    }
    fputs("\\end{groupplot}\n\\end{tikzpicture}\n\\end{center}\n", f);
}

/* " Crosses are ...", where a panel shows a fitted curve's observations; ends the paragraph. */
static void fits_note(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int j, n = s->njur < MAX_CURVES ? s->njur : MAX_CURVES;
    for (j = 0; j < n && !s->jur[j].fit; j++)
        ;
    if (j < n)
        fputs(" Crosses are the observations a fitted curve was estimated from.", f);
    fputs("\n\n", f);
}

static void fig_curves(const ElRun *run, FILE *f)
{
    const ElDesignResult *mk[MAX_MARKS];
    int idx[EL_REPORT_DETAIL_MAX];
    long label[MAX_MARKS];
    int i, nd = chart_designs(run, idx);
    curves_intro(run,
                 run->ndesigns == 0 ? "autarky (hollow circle, 0)."
                                    : "autarky (hollow circle, 0) and each design (filled, "
                                      "numbered as in the list of designs).",
                 f);
    chart_note(run, nd, f);
    fits_note(run, f);
    mk[0] = &run->autarky;
    label[0] = 0;
    for (i = 0; i < nd; i++) {
        mk[i + 1] = &run->designs[idx[i]];
        label[i + 1] = idx[i] + 1;
    }
    curve_panels(run, mk, label, nd + 1, f);
}

/* The y axis of the design charts: one row per design (autarky first if `autarky`), labelled
 * "N. id". */
#define TICK_CHARS 36 /* characters of an id in a tick label before it is cut */

/* An id for a tick label: cut to TICK_CHARS characters (at a character boundary) with "...". */
static void tick_id(FILE *f, const char *id)
{
    char buf[4 * TICK_CHARS + 1];
    size_t n = 0, chars = 0;
    while (id[n] && chars < TICK_CHARS && n + 4 < sizeof(buf)) {
        n += utf8_len((const unsigned char *)id + n);
        chars++;
    }
    memcpy(buf, id, n);
    buf[n] = '\0';
    tex(f, buf);
    if (id[n])
        fputs("\\ldots{}", f);
}

/* The plot width of the design charts: the text width less the longest tick label. */
static double rows_width_cm(const ElRun *run, const int *idx, int nd)
{
    size_t longest = 7; /* "autarky" */
    int i;
    for (i = 0; i < nd; i++) {
        size_t n = strlen(run->designs[idx[i]].id) + 4;
        longest = n > longest ? n : longest;
    }
    if (longest > TICK_CHARS + 7)
        longest = TICK_CHARS + 7;
    return 25.0 - 0.17 * (double)longest;
}

static void design_rows(const ElRun *run, const int *idx, int nd, bool autarky, FILE *f)
{
    int i, k = 0;
    fputs("scale only axis, width=", f);
    el_fmt_fixed(f, rows_width_cm(run, idx, nd), 1);
    fputs("cm, y dir=reverse, ytick={", f);
    for (i = autarky ? 0 : 1; i <= nd; i++) {
        list_sep(f, k++);
        fprintf(f, "%d", i);
    }
    fputs("}, yticklabels={", f);
    for (i = autarky ? 0 : 1, k = 0; i <= nd; i++) {
        list_sep(f, k++);
        if (i == 0) {
            fputs("{autarky}", f);
            continue;
        }
        fprintf(f, "{%d.~", idx[i - 1] + 1);
        tick_id(f, run->designs[idx[i - 1]].id);
        fputs("}", f);
    }
    fprintf(f, "}, ymin=%g, ymax=%g, y tick label style={font=\\scriptsize}", autarky ? -0.6 : 0.4,
            nd + 0.6);
}

/* Prices by design: one row per design (autarky first), a dot per jurisdiction; members of a
 * link or group share a price, so their dots are stacked, a mark's height apart. */
#define PRICE_STACK_CM 0.14 /* between stacked marks (1.9 pt marks: 3.8 pt across) */
#define PRICE_CHART_CM 11.0 /* the rows' height at most */
static void fig_prices(const ElRun *run, const int *idx, int nd, FILE *f)
{
    const ElScenario *s = run->scenario;
    int j, i, k, nser = s->njur < MAX_SERIES ? s->njur : MAX_SERIES, smax = 1;
    double h, row, pmax = 0;
    for (i = 0; i <= nd; i++)
        for (j = 0; j < nser; j++)
            pmax = fmax(pmax, (i == 0 ? &run->autarky : &run->designs[idx[i - 1]])->jur[j].price);
    for (i = 0; i <= nd; i++) /* the most marks at one price in a row */
        for (j = 0; j < nser; j++) {
            const ElDesignResult *r = i == 0 ? &run->autarky : &run->designs[idx[i - 1]];
            int size = 0;
            for (k = 0; k < nser; k++)
                size += fabs(r->jur[k].price - r->jur[j].price) <= 0.006 * pmax;
            smax = size > smax ? size : smax;
        }
    /* a row high enough for its stack, PRICE_STACK_CM a mark, within PRICE_CHART_CM in all */
    row = fmin(fmax(0.48, PRICE_STACK_CM * (smax - 1) / 0.9), PRICE_CHART_CM / (nd + 1));
    h = fmax(row * (nd + 1), 2.4) + 1.4; /* cm, with the axis labels */
    block_begin(f);
    fputs("\\subsection*{Prices by design}\nEach row is a design (autarky first), each mark a "
          "jurisdiction's price; marks at the same price (linked jurisdictions sharing a price) "
          "are set one above another.",
          f);
    if (nser < s->njur)
        fprintf(f, " The first %d of %d jurisdictions are shown.", nser, s->njur);
    chart_note(run, nd, f);
    fputs("\n\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[height=", f);
    el_fmt_fixed(f, h - 1.4, 1);
    fputs("cm, xmin=0, xlabel={price (", f);
    tex(f, cur(run));
    fputs("/t)}, xmajorgrids, ymajorgrids, grid style={black!12}, scaled x ticks=false, x tick "
          "label style={/pgf/number format/fixed}, legend style={at={(0.5,1.02)}, anchor=south, "
          "legend columns=-1, font=\\scriptsize, /tikz/every even column/.append "
          "style={column sep=0.8em}},\n",
          f);
    design_rows(run, idx, nd, true, f);
    fputs("]\n", f);
    for (j = 0; j < nser; j++) {
        fprintf(f, "\\addplot[only marks, mark=%s, mark size=1.9pt, draw=", series_marks[j]);
        series_color(f, j);
        fputs(", fill=", f);
        series_color(f, j);
        fputs(", mark options={fill opacity=0.85}] coordinates {", f);
        for (i = 0; i <= nd; i++) {
            const ElDesignResult *r = i == 0 ? &run->autarky : &run->designs[idx[i - 1]];
            double p = r->jur[j].price, tol = 0.006 * pmax, dy;
            int rank = 0, size = 0;
            for (k = 0; k < nser; k++) /* the marks this one would hide or be hidden by */
                if (fabs(r->jur[k].price - p) <= tol) {
                    rank += k < j;
                    size++;
                }
            dy = size > 1 ? fmin(PRICE_STACK_CM / row, 0.9 / (size - 1)) * (rank - 0.5 * (size - 1))
                          : 0;
            item_break(f, i);
            fputs("(", f);
            el_fmt_num(f, p);
            fputs(",", f);
            el_fmt_num(f, i + dy);
            fputs(")", f);
        }
        fputs("};\n\\addlegendentry{", f);
        tex(f, s->jur[j].id);
        fputs("}\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n", f);
    block_end(f);
}

/* Total gain by design: a labelled bar per design, gains in blue, losses in vermillion. */
static void fig_total_gains(const ElRun *run, const int *idx, int nd, FILE *f)
{
    double h = fmax(0.48 * nd, 2.2) + 1.2, gmin = 0, gmax = 0, span;
    int i, sign;
    for (i = 0; i < nd; i++) {
        gmin = fmin(gmin, run->designs[idx[i]].gain);
        gmax = fmax(gmax, run->designs[idx[i]].gain);
    }
    block_begin(f);
    fputs("\\subsection*{Gains by jurisdiction and design}\nThe total gain of each design against "
          "autarky (blue: a gain, vermillion: a loss); the table below splits it by "
          "jurisdiction.",
          f);
    chart_note(run, nd, f);
    fputs("\n\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[xbar, bar width=7pt, bar "
          "shift=0pt, height=",
          f);
    el_fmt_fixed(f, h - 1.2, 1);
    fputs("cm, xlabel={total gain (million ", f);
    tex(f, cur(run));
    /* the axis starts at zero on a side without bars, with room for the labels on the other */
    fputs(")}, xmajorgrids, grid style={black!12}, scaled x ticks=false, x tick label "
          "style={/pgf/number format/fixed}, max space between ticks=50, ",
          f);
    span = gmax - gmin > 0 ? gmax - gmin : 1;
    fputs("enlarge x limits=false, xmin=", f);
    el_fmt_num(f, gmin < 0 ? gmin - 0.12 * span : 0);
    fputs(", xmax=", f);
    el_fmt_num(f, gmax > 0 || gmin >= 0 ? gmax + 0.12 * span : 0);
    fputs(", extra x ticks={0}, extra x tick labels={}, extra x tick style={grid=major, major grid "
          "style={black!70}}, nodes near coords, nodes near coords align={horizontal}, every "
          "node near coord/.append style={font=\\scriptsize, /pgf/number format/fixed, "
          "/pgf/number format/precision=2, /pgf/number format/fixed zerofill},\n",
          f);
    design_rows(run, idx, nd, false, f);
    fputs("]\n", f);
    for (sign = 1; sign >= -1; sign -= 2) {
        int n = 0;
        for (i = 0; i < nd; i++)
            n += (sign > 0) == (run->designs[idx[i]].gain >= 0);
        if (n == 0)
            continue;
        fprintf(f, "\\addplot[fill=%s, draw=black!60] coordinates {",
                sign > 0 ? "etslinkc0" : "etslinkc3");
        for (i = 0, n = 0; i < nd; i++) {
            const ElDesignResult *r = &run->designs[idx[i]];
            if ((sign > 0) != (r->gain >= 0))
                continue;
            item_break(f, n++);
            fputs("(", f);
            el_fmt_num(f, r->gain);
            fprintf(f, ",%d)", i + 1);
        }
        fputs("};\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n", f);
    block_end(f);
}

typedef double (*value_fn)(const ElDesignResult *r, int j);

static double v_gain(const ElDesignResult *r, int j)
{
    return r->jur[j].gain;
}

static double v_allowances(const ElDesignResult *r, int j)
{
    return r->jur[j].net_imports;
}

/* A shaded cell: blue for v > 0, vermillion for v < 0, deeper with |v| / vmax. */
static void heat_cell(FILE *f, double v, double vmax, int decimals)
{
    char buf[64];
    el_fmt_fixed_str(buf, sizeof(buf), v, decimals);
    fputs(" & ", f);
    if (vmax > 0 && strspn(buf, "-0.") != strlen(buf)) /* not zero at this precision */
        fprintf(f, "\\cellcolor{%s!%d}", v > 0 ? "etslinkc0" : "etslinkc3",
                8 + (int)lround(40 * fmin(fabs(v) / vmax, 1)));
    num(f, v, decimals);
}

/* A matrix of designs (rows) by jurisdictions (columns) of v, shaded by sign and size, with a
 * last column of `total_name` (total(r), shaded too when shade_total: a traded volume is not a
 * purchase), in blocks of JUR_BLOCK jurisdictions, after the text `intro` ("@C": the
 * currency), which stays on the table's page. */
static void heat_table(const ElRun *run,
                       const int *idx,
                       int nd,
                       value_fn v,
                       const char *intro,
                       const char *total_name,
                       double (*total)(const ElDesignResult *r),
                       bool shade_total,
                       FILE *f)
{
    const ElScenario *s = run->scenario;
    double vmax = 0, tmax = 0;
    int j0, j, i;
    for (i = 0; i < nd; i++) {
        for (j = 0; j < s->njur; j++)
            vmax = fmax(vmax, fabs(v(&run->designs[idx[i]], j)));
        tmax = fmax(tmax, fabs(total(&run->designs[idx[i]])));
    }
    for (j0 = 0; j0 < s->njur; j0 += JUR_BLOCK) {
        int nj = s->njur - j0 < JUR_BLOCK ? s->njur - j0 : JUR_BLOCK;
        bool last = j0 + nj == s->njur;
        char spec[80];
        size_t len;
        need_lines(f, small_lines(7 + nd) + (j0 == 0 ? 3 : 0));
        if (j0 == 0)
            with_currency(f, run, intro);
        len = (size_t)snprintf(spec, sizeof(spec),
                               "r>{\\raggedright\\arraybackslash}p{0.16\\linewidth}");
        for (j = 0; j < nj + (last ? 1 : 0) && len + 2 < sizeof(spec); j++)
            spec[len++] = 'r';
        spec[len] = '\0';
        fprintf(f, "{\\footnotesize\n\\begin{longtable}{%s}\n\\toprule\nNo. & Design", spec);
        for (j = 0; j < nj; j++) {
            fputs(" & ", f);
            tex_wrap(f, s->jur[j0 + j].id);
        }
        if (last)
            fprintf(f, " & %s", total_name);
        fputs(" \\\\\n\\midrule\n\\endhead\n", f);
        for (i = 0; i < nd; i++) {
            const ElDesignResult *r = &run->designs[idx[i]];
            fprintf(f, "%d. & ", idx[i] + 1);
            tex_wrap(f, r->id);
            for (j = 0; j < nj; j++)
                heat_cell(f, v(r, j0 + j), vmax, 2);
            if (last)
                heat_cell(f, total(r), shade_total ? tmax : 0, 2);
            fputs(" \\\\\n", f);
        }
        fputs("\\bottomrule\n\\end{longtable}\n}\n", f);
    }
}

static double t_gain(const ElDesignResult *r)
{
    return r->gain;
}

static double t_traded(const ElDesignResult *r)
{
    double t = 0;
    int j;
    for (j = 0; j < r->njur; j++)
        t += fmax(r->jur[j].net_imports, 0);
    return t;
}

/* Offset credits by design: each pool used, where its credits are produced, their price and
 * who uses them. */
static void offsets_table(const ElRun *run, const int *idx, int nd, FILE *f)
{
    const ElScenario *s = run->scenario;
    int i, k, a, nrows = 0;
    for (i = 0; i < nd; i++)
        for (k = 0; k < run->designs[idx[i]].npools; k++)
            nrows += run->designs[idx[i]].pool[k].used &&
                     run->designs[idx[i]].pool[k].supplied > FLOW_EPS;
    if (nrows == 0) {
        fputs("No design uses offset credits.\n\n", f);
        return;
    }
    need_lines(f, small_lines(7 + nrows));
    fputs("Offset credits, apart from allowance trade: the jurisdiction that produces them "
          "(the seller) and those that use them. Credits used where they are produced are "
          "domestic.\n",
          f);
    table_begin(f, run, "\\footnotesize",
                "r>{\\raggedright\\arraybackslash}p{0.16\\linewidth}l"
                ">{\\raggedright\\arraybackslash}p{0.12\\linewidth}rr"
                ">{\\raggedright\\arraybackslash}p{0.3\\linewidth}",
                7,
                "No. & Design & Pool & Produced in & Price (@C/t) & Supplied (Mt) & Used by "
                "(Mt credited) \\\\\n");
    for (i = 0; i < nd; i++) {
        const ElDesignResult *r = &run->designs[idx[i]];
        for (k = 0; k < r->npools; k++) {
            int n = 0;
            if (!r->pool[k].used || r->pool[k].supplied <= FLOW_EPS)
                continue;
            fprintf(f, "%d. & ", idx[i] + 1);
            tex_wrap(f, r->id);
            fputs(" & ", f);
            tex_wrap(f, s->pools[k].id);
            fputs(" & ", f);
            if (s->pools[k].host >= 0)
                tex_wrap(f, s->jur[s->pools[k].host].id);
            else
                fputs("rest of the world", f);
            cell(f, r->pool[k].price, 2);
            cell(f, r->pool[k].supplied, 3);
            fputs(" & ", f);
            for (a = 0; a < r->naccepts; a++) {
                if (r->accept[a].pool != k || r->accept[a].credited <= FLOW_EPS)
                    continue;
                fputs(n++ ? ", " : "", f);
                tex_wrap(f, s->jur[r->accept[a].jur].id);
                fputs(r->accept[a].jur == s->pools[k].host ? " (domestic) " : " ", f);
                num(f, r->accept[a].credited, 3);
            }
            fputs(" \\\\\n", f);
        }
    }
    table_end(f);
    fputs("\n", f);
}

static void fig_gains_and_flows(const ElRun *run, const int *idx, int nd, FILE *f)
{
    fig_total_gains(run, idx, nd, f);
    heat_table(run, idx, nd, v_gain,
               "Gains against autarky by jurisdiction, million @C (the fall in each one's "
               "national cost; blue a gain, vermillion a loss, deeper for larger amounts); the "
               "total includes any change in the rest of the world's surplus.\n",
               "Total", t_gain, true, f);
    heat_table(run, idx, nd, v_allowances,
               "\\subsection*{Flows between jurisdictions}\nNet purchases of allowances through "
               "links and groups, Mt (blue: buys, vermillion: sells); offset credits are not "
               "allowances and are shown in the next table. Each design's section has its "
               "seller-by-buyer matrix.\n",
               "Traded", t_traded, false, f);
    offsets_table(run, idx, nd, f);
}

/* ---- The sources appendix ---- */

/* Every input figure with its source (docs/scenario-format.md, "Sources"): the scenario's own
 * (jurisdictions, pools, acceptances) and, with `designs`, the designs'. */
static void sources_appendix(const ElRun *run, bool designs, FILE *f)
{
    const ElScenario *s = run->scenario;
    int k, nshown = 0, nsourced = 0, nleft = 0;
    if (s->nfigures == 0)
        return;
    for (k = 0; k < s->nfigures; k++) {
        bool in_design = s->figures[k].design != EL_FIGURE_SCENARIO;
        nsourced += s->figures[k].source != NULL;
        if (in_design && !designs)
            nleft++;
        else
            nshown++;
    }
    need_lines(f, 12 + (nshown < 10 ? nshown : 10));
    fputs("\\section*{Appendix: sources of the input figures}\nEvery figure of the scenario "
          "file as it is written there, with the source its element names (a \\texttt{source} "
          "attribute, docs/scenario-format.md); ``not stated'' where it names none.",
          f);
    fprintf(f, " %d of the %d figures name a source.", nsourced, s->nfigures);
    if (nleft > 0)
        fprintf(f,
                " The %d figures inside the designs are not listed here (the scenario file has "
                "them).",
                nleft);
    fputs("\n", f);
    table_begin(f, run, "\\footnotesize",
                ">{\\raggedright\\arraybackslash}p{0.12\\linewidth}l"
                ">{\\raggedright\\arraybackslash}p{0.3\\linewidth}"
                ">{\\raggedright\\arraybackslash}p{0.36\\linewidth}r",
                5, "Where & Element & Figures as written & Source & Line \\\\\n");
    for (k = 0; k < s->nfigures; k++) {
        const ElFigure *x = &s->figures[k];
        if (x->design != EL_FIGURE_SCENARIO && !designs)
            continue;
        if (x->design >= 0 || x->design == EL_FIGURE_TEMPLATE)
            fputs(x->design >= 0 ? "design " : "template ", f);
        tex_wrap(f, x->owner);
        fputs(" & ", f);
        tex(f, x->element);
        fputs(" & ", f);
        tex_wrap(f, x->value);
        fputs(" & ", f);
        if (x->source)
            tex_wrap(f, x->source);
        else
            fputs("\\emph{not stated}", f);
        fprintf(f, " & %d", x->line);
        row_end(f, k, s->nfigures);
    }
    table_end(f);
    fputs("\n", f);
}

/* Detail mode: the run has at most EL_REPORT_DETAIL_MAX designs; then the analyses (an may be
 * NULL). */
static void write_detail(const ElRun *run, const ElReportAnalyses *an, FILE *f)
{
    int d, nd, idx[EL_REPORT_DETAIL_MAX];
    preamble(el_report_analyses_need_statistics(an), f);
    title(run, an, f);
    scenario_section(run, f);
    if (run->ndesigns > 0) {
        designs_section(run, f);
        need_lines(f, 12);
        fputs("\\section*{Equilibrium of each design}\n", f);
        for (d = 0; d < run->ndesigns; d++)
            design_table(run, d, f);
        comparison(run, f);
    }
    el_report_periods_write(el_report_analyses_periods(an), f); /* several periods */
    fig_curves(run, f);
    nd = chart_designs(run, idx);
    if (nd > 0) {
        fig_prices(run, idx, nd, f);
        fig_gains_and_flows(run, idx, nd, f);
    }
    el_report_analyses_write(an, run->scenario, f);
    sources_appendix(run, true, f);
    fputs("\\end{document}\n", f);
}
/* ---- Summary mode ---- */

/* The run view of a summary: the scenario and the autarky baseline, no designs. */
static ElRun summary_view(const ElSummary *sm)
{
    ElRun view;
    memset(&view, 0, sizeof(view));
    view.scenario = sm->s;
    view.autarky = sm->autarky;
    return view;
}

static void summary_title(const ElRun *view, ElSummary *sm, const ElReportAnalyses *an, FILE *f)
{
    const ElScenario *s = sm->s;
    char what[64];
    snprintf(what, sizeof(what), "a summary of %ld designs", sm->count);
    title_open(view, what, f);
    fprintf(f,
            "This report summarises %ld designs of %d jurisdiction%s against the autarky "
            "baseline, in which each system meets its own cap. With more than %d designs it has "
            "no table per design: it ranks the designs by total gain and shows how gains and "
            "prices are distributed across them. Designs are numbered in file order; "
            "results.csv and results.xml hold every design.",
            sm->count, s->njur, s->njur == 1 ? "" : "s", EL_REPORT_DETAIL_MAX);
    if (sm->nempty > 0)
        fprintf(f,
                " %ld of them change%s nothing (the baseline itself), so %ld are linkage "
                "designs.",
                sm->nempty, sm->nempty == 1 ? "s" : "", sm->count - sm->nempty);
    fputs("\n", f);
    {
        const char *ids[EL_SUMMARY_NAMED], *titles[EL_SUMMARY_NAMED];
        int k;
        for (k = 0; k < sm->nnamed; k++) {
            ids[k] = sm->named[k];
            titles[k] = sm->named_title[k];
        }
        failed_text(f, sm->nfailed, ids, titles, sm->named_short, sm->nnamed, false);
    }
    if (sm->nsolved == 0) {
        fputs("No design has an equilibrium.\n", f);
    } else if (sm->top.e[0].gain <= 1e-9) {
        fputs("No design lowers the total cost of compliance below autarky.\n", f);
    } else {
        const ElRanked *best = &sm->best_best;
        const ElRanked *worst = sm->worst_link.index >= 0 ? &sm->worst_link : best;
        best_text(view, &sm->best, best->title, best->id, best->gain, f);
        if (!best->own[0])
            fputs(" It changes no member's own rules: its gain is a gain from linking alone.", f);
        if (worst->index != best->index)
            worst_text(view, worst->title, worst->id, worst->gain, f);
        fprintf(f, " Across the %ld designs with an equilibrium the total gain has a mean of ",
                sm->nsolved);
        num(f, sm->gain_sum / (double)sm->nsolved, 2);
        fputs(sm->nsolved > sm->sample.cap ? " and an estimated median of " : " and a median of ",
              f);
        num(f, el_sample_quantile(&sm->sample, 0, 0.5), 2);
        fputs(" million ", f);
        tex(f, cur(view));
        fputs(".", f);
        if (best->own[0])
            headline_caveat(view, best->own, &sm->best, NULL,
                            sm->best_pure.index >= 0 ? sm->best_pure.title : NULL,
                            sm->best_pure.index >= 0 ? sm->best_pure.id : NULL, sm->best_pure.gain,
                            f);
        fputs("\n", f);
    }
    if (sm->nown > 0)
        fprintf(f,
                "\n%ld design%s with an equilibrium change%s members' own rules (a price "
                "instrument, their data, the use of offsets produced at home), so %s gain%s mix "
                "domestic policy with linking.\n",
                sm->nown, sm->nown == 1 ? "" : "s", sm->nown == 1 ? "s" : "",
                sm->nown == 1 ? "its" : "their", sm->nown == 1 ? "s" : "");
    if (sm->nemissions > 0)
        fprintf(f,
                "\n%ld design%s with an equilibrium change%s NDC-accounted emissions against "
                "autarky (what is achieved), so the ranking by gain alone does not compare like "
                "with like: "
                "the ranking "
                "shows each design's emissions.\n",
                sm->nemissions, sm->nemissions == 1 ? "" : "s", sm->nemissions == 1 ? "s" : "");
    units_text(view, f);
    fputs("\n", f);
    el_report_analyses_title(an, f);
    fputs("\\end{titlepage}\n", f);
}

/* One ranking row: rank, number in file order, id, figures. */
static void ranking_row(FILE *f, long rank, const ElRanked *e)
{
    fprintf(f, "%ld & %ld & ", rank, e->index + 1);
    design_cell(f, e->title, e->id);
    figure_cells(f, e->gain, &e->fig, e->total_cost, 1, 0);
}

static void summary_ranking(const ElRun *view, const ElSummary *sm, FILE *f)
{
    long last;
    int i;
    need_lines(f, 12);
    fputs("\\section*{Ranking of designs}\n", f);
    if (sm->nsolved == 0) {
        fputs("No design has an equilibrium.\n\n", f);
        return;
    }
    if (sm->nsolved == 1)
        fputs("The one design with an equilibrium", f);
    else if (sm->nsolved <= sm->top.n)
        fprintf(f, "The %ld designs with an equilibrium, ranked by total gain (ties in file order)",
                sm->nsolved);
    else
        fprintf(f,
                "The designs with an equilibrium ranked by total gain (ties in file order): the "
                "first %d and the last %ld of %ld",
                sm->top.n,
                sm->nsolved - sm->top.n < sm->bottom.n ? sm->nsolved - sm->top.n
                                                       : (long)sm->bottom.n,
                sm->nsolved);
    fputs(". No.\\ is the design's number in file order.\n", f);
    table_begin(f, view, "\\footnotesize",
                "rr>{\\raggedright\\arraybackslash}p{0.17\\linewidth}" FIGURE_COLUMNS, 12,
                "Rank & No. & Design & " FIGURE_HEADER);
    for (i = 0; i < sm->top.n; i++)
        ranking_row(f, i + 1, &sm->top.e[i]);
    last = sm->top.n;
    for (i = 0; i < sm->bottom.n; i++) {
        long rank = sm->nsolved - sm->bottom.n + i + 1;
        if (rank <= last)
            continue;
        if (rank == last + 2) /* one design between the first and the last */
            fprintf(f,
                    "\\midrule\n\\multicolumn{12}{c}{\\dots\\ 1 design, ranked %ld, \\dots} "
                    "\\\\\n\\midrule\n",
                    last + 1);
        else if (rank > last + 2) /* the designs between the first and the last */
            fprintf(f,
                    "\\midrule\n\\multicolumn{12}{c}{\\dots\\ %ld designs, ranked %ld to %ld, "
                    "\\dots} \\\\\n\\midrule\n",
                    rank - last - 1, last + 1, rank - 1);
        ranking_row(f, rank, &sm->bottom.e[i]);
        last = rank;
    }
    table_end(f);
    fputs("{\\small ", f);
    fputs(comparison_note, f);
    fputs("}\n\n", f);
}

/* Quantiles of a sample column shown in the tables and the box plots. */
#define NQ 5
static const double quantile_p[NQ] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* The note on how exact the quantiles are. */
static void quantile_note(const ElSummary *sm, FILE *f)
{
    if (sm->nsolved <= sm->sample.cap)
        fputs("Quantiles interpolate linearly between the ordered values of all designs with an "
              "equilibrium; minimum, maximum and mean are exact.",
              f);
    else
        fprintf(f,
                "Minimum, maximum and mean are exact; quantiles are estimated from a uniform "
                "sample of %d of the %ld designs with an equilibrium (drawn with a fixed seed, "
                "so the report is reproducible; a quantile's rank is within about 1\\%% of the "
                "true one).",
                sm->sample.cap, sm->nsolved);
}

/* A table row: label, then min, quantiles, max, mean of sample column col (min/max/mean exact). */
static void dist_row(FILE *f, ElSummary *sm, int col, double lo, double hi, double mean, int dec)
{
    int q;
    cell(f, lo, dec);
    for (q = 0; q < NQ; q++)
        cell(f, el_sample_quantile(&sm->sample, col, quantile_p[q]), dec);
    cell(f, hi, dec);
    cell(f, mean, dec);
    fputs(" \\\\\n", f);
}

static void summary_tables(const ElRun *view, ElSummary *sm, FILE *f)
{
    const ElScenario *s = sm->s;
    int j, m = sm->njur;
    double n = (double)sm->nsolved;
    need_lines(f, 12 + 2 * m);
    fputs("\\section*{Distributions across designs}\n", f);
    quantile_note(sm, f);
    if (m < s->njur)
        fprintf(f, " The first %d of %d jurisdictions are shown.", m, s->njur);
    fputs("\n", f);
    table_begin(f, view, "\\small",
                strcmp(id_column(s), "l") == 0
                    ? "lrrrrrrrrr"
                    : ">{\\raggedright\\arraybackslash}p{0.11\\linewidth}rrrrrrrrr",
                10, " & Autarky & Min & 5\\% & 25\\% & Median & 75\\% & 95\\% & Max & Mean \\\\\n");
    with_currency(f, view,
                  "\\multicolumn{10}{l}{\\emph{Total gain (M@C)}} \\\\\nAll jurisdictions & ");
    dist_row(f, sm, 0, sm->gains.lo, sm->gains.hi, sm->gain_sum / n, 2);
    with_currency(f, view, "\\midrule\n\\multicolumn{10}{l}{\\emph{Price (@C/t)}} \\\\\n");
    for (j = 0; j < m; j++) {
        tex_wrap(f, s->jur[j].id);
        cell(f, sm->autarky.jur[j].price, 2);
        dist_row(f, sm, 1 + j, sm->price_min[j], sm->price_max[j], sm->price_sum[j] / n, 2);
    }
    with_currency(f, view, "\\midrule\n\\multicolumn{10}{l}{\\emph{Gain (M@C)}} \\\\\n");
    for (j = 0; j < m; j++) {
        tex_wrap(f, s->jur[j].id);
        fputs(" & ", f);
        dist_row(f, sm, 1 + m + j, sm->gain_min[j], sm->gain_max[j], sm->gain_sum_j[j] / n, 2);
    }
    table_end(f);
    fputs("\n", f);
}

/* The histogram of total gains: exact counts in at most HIST_BARS bins of equal width. */
static void fig_histogram(const ElRun *view, ElSummary *sm, FILE *f)
{
    int64_t first;
    int nbins, i;
    double w;
    if (sm->gains.hi - sm->gains.lo <= 1e-9 * (1 + fabs(sm->gains.hi))) { /* nothing to draw */
        fprintf(f,
                "\\subsection*{Total gains}\nThe %ld designs with an equilibrium gain the same, ",
                sm->nsolved);
        num(f, sm->gains.hi, 2);
        fputs(" million ", f);
        tex(f, cur(view));
        fputs(" (to nine significant digits).\n\n", f);
        return;
    }
    el_hist_shrink(&sm->gains, HIST_BARS, &first, &nbins);
    w = ldexp(1.0, sm->gains.e);
    block_begin(f);
    fputs("\\subsection*{Total gains}\nHow many "
          "designs gain how much against autarky: exact counts in bins of width ",
          f);
    el_fmt_num(f, w);
    fputs(" million ", f);
    tex(f, cur(view));
    fputs(".\n\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[width=24cm, height=6cm, "
          "ymin=0, xlabel={total gain (million ",
          f);
    tex(f, cur(view));
    fputs(
        ")}, ylabel={designs}, scaled ticks=false, tick label style={/pgf/number "
        "format/fixed}]\n\\addplot[ybar interval, fill=etslinkc0!45, draw=etslinkc0] coordinates {",
        f);
    for (i = 0; i <= nbins; i++) { /* the last point closes the last bin */
        item_break(f, i);
        fputs("(", f);
        el_fmt_num(f, (double)(first + i) * w);
        fprintf(f, ",%ld)", i < nbins ? el_hist_count(&sm->gains, first + i) : 0L);
    }
    fputs("};\n\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n", f);
    block_end(f);
}

/* Box plots, one per jurisdiction: whiskers at the exact minimum and maximum, the box from the
 * lower to the upper quartile, the median. Columns col0 .. col0 + m - 1 of the sample. */
static void fig_boxes(const ElRun *view,
                      ElSummary *sm,
                      const char *heading,
                      const char *text,
                      const char *ylabel,
                      int col0,
                      const double *lo,
                      const double *hi,
                      FILE *f)
{
    const ElScenario *s = sm->s;
    int j, m = sm->njur;
    block_begin(f);
    fprintf(f, "\\subsection*{%s}\n%s", heading, text);
    if (m < s->njur)
        fprintf(f, " The first %d of %d jurisdictions are shown.", m, s->njur);
    fputs("\n\n\\begin{center}\n\\begin{tikzpicture}\n\\begin{axis}[width=24cm, height=6cm, "
          "boxplot/draw direction=y, ylabel={",
          f);
    with_currency(f, view, ylabel);
    fputs("}, xtick={", f);
    for (j = 0; j < m; j++) {
        list_sep(f, j);
        fprintf(f, "%d", j + 1);
    }
    fputs("}, xticklabels={", f);
    for (j = 0; j < m; j++) {
        list_sep(f, j);
        fputs("{", f);
        tex(f, s->jur[j].id);
        fputs("}", f);
    }
    fputs("}, x tick label style={rotate=30, anchor=east, font=\\scriptsize}, scaled y "
          "ticks=false, y tick label style={/pgf/number format/fixed}, enlarge x "
          "limits={abs=0.7}]\n",
          f);
    for (j = 0; j < m; j++) {
        fputs("\\addplot[draw=etslinkc0, fill=etslinkc0!20, boxplot prepared={draw position=", f);
        fprintf(f, "%d, lower whisker=", j + 1);
        el_fmt_num(f, lo[j]);
        fputs(", lower quartile=", f);
        el_fmt_num(f, el_sample_quantile(&sm->sample, col0 + j, 0.25));
        fputs(",\nmedian=", f);
        el_fmt_num(f, el_sample_quantile(&sm->sample, col0 + j, 0.5));
        fputs(", upper quartile=", f);
        el_fmt_num(f, el_sample_quantile(&sm->sample, col0 + j, 0.75));
        fputs(", upper whisker=", f);
        el_fmt_num(f, hi[j]);
        fputs("}] coordinates {};\n", f);
    }
    fputs("\\end{axis}\n\\end{tikzpicture}\n\\end{center}\n", f);
    block_end(f);
}

static void summary_figures(const ElRun *view, ElSummary *sm, FILE *f)
{
    const ElDesignResult *mk[2];
    long label[2] = {0, 0};
    int nmarks = 1;
    mk[0] = &sm->autarky;
    if (sm->best_index >= 0) {
        mk[1] = &sm->best;
        label[1] = sm->best_index + 1;
        nmarks = 2;
    }
    curves_intro(view,
                 nmarks > 1 ? "autarky (hollow circle, 0) and in the design that gains most "
                              "(filled, its number in file order)."
                            : "autarky (hollow circle, 0).",
                 f);
    fits_note(view, f);
    curve_panels(view, mk, label, nmarks, f);
    if (sm->nsolved == 0)
        return;
    fig_histogram(view, sm, f);
    fig_boxes(view, sm, "Prices across designs",
              "Each box spans the middle half of the designs, the line in it is the median and "
              "the whiskers reach the lowest and the highest price.",
              "price (@C/t)", 1, sm->price_min, sm->price_max, f);
    fig_boxes(view, sm, "Gains across designs",
              "Gains against autarky: the fall in each jurisdiction's national cost. Boxes, "
              "lines and whiskers as for prices.",
              "gain (million @C)", 1 + sm->njur, sm->gain_min, sm->gain_max, f);
}

/* Summary mode: any number of designs, from the collector (finished); then the analyses (an may
 * be NULL). */
static void write_summary(ElSummary *sm, const ElReportAnalyses *an, FILE *f)
{
    ElRun view = summary_view(sm);
    preamble(true, f);
    summary_title(&view, sm, an, f);
    scenario_section(&view, f);
    summary_ranking(&view, sm, f);
    if (sm->nsolved > 0)
        summary_tables(&view, sm, f);
    el_report_periods_write(el_report_analyses_periods(an), f); /* several periods */
    summary_figures(&view, sm, f);
    el_report_analyses_write(an, sm->s, f);
    sources_appendix(&view, false, f);
    fputs("\\end{document}\n", f);
}

/* ---- Entry points ---- */

void el_report_write_tex_stream(const ElRun *run, FILE *f)
{
    ElSummary *sm = NULL;
    int d;
    if (run->ndesigns <= EL_REPORT_DETAIL_MAX) {
        write_detail(run, NULL, f);
        return;
    }
    if (el_summary_create(&sm, run->scenario, NULL) != EL_OK)
        return;
    if (el_summary_add(sm, -1, &run->autarky, NULL) == EL_OK) {
        for (d = 0; d < run->ndesigns; d++)
            if (el_summary_add(sm, d, &run->designs[d], NULL) != EL_OK)
                break;
        if (d == run->ndesigns) {
            el_summary_finish(sm);
            write_summary(sm, NULL, f);
        }
    }
    el_summary_free(sm);
}

el_status el_report_write_tex(const ElRun *run, const char *path, ElError *err)
{
    ElOutFile *of;
    el_status st = el_outfile_open(&of, path, err);
    if (st != EL_OK)
        return st;
    el_report_write_tex_stream(run, el_outfile_stream(of));
    return el_outfile_commit(of, err);
}

/* ---- The sink ---- */

struct ElReportWriter {
    FILE *f;
    bool summary_mode;
    /* detail mode: copies of the baseline and of every design, each with its own design */
    ElRun run;
    ElDesign **designs; /* run.ndesigns copies */
    long count;
    /* summary mode */
    ElSummary *sm;
    /* analyses (el_report_writer_hold): the report is written by el_report_writer_close */
    bool held;
    bool designs_done; /* the designs' batch ended successfully */
    ElReportAnalyses *an;
};

static void detail_clear(ElReportWriter *w)
{
    int d;
    for (d = 0; d < w->run.ndesigns; d++) {
        el_design_result_clear(&w->run.designs[d]);
        el_design_free(w->designs[d]);
    }
    el_design_result_clear(&w->run.autarky);
    el_free(w->run.designs);
    el_free(w->designs);
    memset(&w->run, 0, sizeof(w->run));
    w->designs = NULL;
}

static el_status report_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    ElReportWriter *w = ctx;
    w->count = count;
    w->summary_mode = count > EL_REPORT_DETAIL_MAX;
    if (w->summary_mode)
        return el_summary_create(&w->sm, s, err);
    w->run.scenario = s;
    w->run.designs = el_calloc((size_t)(count > 0 ? count : 1), sizeof(*w->run.designs));
    w->designs = el_calloc((size_t)(count > 0 ? count : 1), sizeof(*w->designs));
    if (!w->run.designs || !w->designs)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report)");
    return EL_OK;
}

/* Keep a copy of r, and of its design (a producer may free the original after the call). */
static el_status detail_keep(ElReportWriter *w, long index, const ElDesignResult *r, ElError *err)
{
    ElDesignResult *to;
    el_status st;
    if (index < 0) {
        el_design_result_clear(&w->run.autarky);
        return el_design_result_copy(&w->run.autarky, r, err);
    }
    if (index != w->run.ndesigns || index >= w->count)
        return el_error_set(err, EL_ERR_INTERNAL, "report: design %ld delivered out of order",
                            index);
    to = &w->run.designs[index];
    st = el_design_result_copy(to, r, err);
    if (st == EL_OK && r->design) {
        st = el_design_copy(&w->designs[index], r->design, r->id, err);
        if (st == EL_OK) {
            to->design = w->designs[index];
            to->id = w->designs[index]->id;
        } else {
            el_design_result_clear(to);
        }
    }
    if (st == EL_OK)
        w->run.ndesigns++;
    return st;
}

static el_status report_result(void *ctx,
                               long index,
                               const ElBatchItem *item,
                               const ElDesignResult *r,
                               const ElDesignResult *baseline,
                               ElError *err)
{
    ElReportWriter *w = ctx;
    (void)item;
    (void)baseline;
    if (w->summary_mode)
        return el_summary_add(w->sm, index, r, err);
    return detail_keep(w, index, r, err);
}

static el_status report_end(void *ctx, bool ok, ElError *err)
{
    ElReportWriter *w = ctx;
    (void)err;
    if (!ok)
        return EL_OK;
    if (w->summary_mode)
        el_summary_finish(w->sm);
    if (w->held) { /* el_report_writer_close writes it, with the analyses */
        w->designs_done = true;
        return EL_OK;
    }
    if (w->summary_mode)
        write_summary(w->sm, NULL, w->f);
    else
        write_detail(&w->run, NULL, w->f);
    return EL_OK;
}

el_status el_report_writer_create(ElReportWriter **out, FILE *f, ElError *err)
{
    ElReportWriter *w;
    *out = NULL;
    w = el_calloc(1, sizeof(*w));
    if (!w)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (report writer)");
    w->f = f;
    if (el_report_analyses_create(&w->an, err) != EL_OK) {
        el_free(w);
        return EL_ERR_NOMEM;
    }
    *out = w;
    return EL_OK;
}

ElSink el_report_writer_sink(ElReportWriter *w)
{
    ElSink sink = {w, report_begin, report_result, report_end, NULL};
    return sink;
}

void el_report_writer_free(ElReportWriter *w)
{
    if (!w)
        return;
    detail_clear(w);
    el_summary_free(w->sm);
    el_report_analyses_free(w->an);
    el_free(w);
}

/* ---- Analyses ---- */

void el_report_writer_hold(ElReportWriter *w)
{
    w->held = true;
}

ElSink el_report_writer_sweep_sink(ElReportWriter *w, const ElAnalysis *a)
{
    return el_report_analyses_sweep_sink(w->an, a);
}

el_status el_report_writer_search(ElReportWriter *w, const ElSearchResult *r, ElError *err)
{
    return el_report_analyses_add_search(w->an, r, err);
}

el_status el_report_writer_sequence(ElReportWriter *w, const ElSequenceResult *r, ElError *err)
{
    return el_report_analyses_add_sequence(w->an, r, err);
}

el_status el_report_writer_coalitions(ElReportWriter *w,
                                      const ElAnalysis *a,
                                      const ElCoalitionResult *r,
                                      ElError *err)
{
    return el_report_analyses_add_coalitions(w->an, a, r, err);
}

ElReportAnalyses *el_report_writer_analyses(ElReportWriter *w)
{
    return w->an;
}

el_status el_report_writer_close(ElReportWriter *w, ElError *err)
{
    if (!w->held || !w->designs_done)
        return el_error_set(err, EL_ERR_INTERNAL,
                            "report: closed before the designs' batch finished (or not held)");
    if (w->summary_mode)
        write_summary(w->sm, w->an, w->f);
    else
        write_detail(&w->run, w->an, w->f);
    w->held = false; /* written once */
    w->designs_done = false;
    return EL_OK;
}

/* ---- Building blocks for the other sections (report_tex.h) ---- */

void el_report_tex_num(FILE *f, double v, int decimals)
{
    num(f, v, decimals);
}

void el_report_tex_need_lines(FILE *f, int lines)
{
    need_lines(f, lines);
}

void el_report_tex_need_cm(FILE *f, double cm)
{
    need_cm(f, cm);
}

void el_report_tex_table_begin(
    FILE *f, const ElScenario *s, const char *size, const char *spec, int ncols, const char *header)
{
    ElRun view;
    memset(&view, 0, sizeof(view));
    view.scenario = s;
    table_begin(f, &view, size, spec, ncols, header);
}

void el_report_tex_table_end(FILE *f)
{
    table_end(f);
}

void el_report_tex_series_color(FILE *f, int k)
{
    series_color(f, k);
}

const char *el_report_tex_series_mark(int k)
{
    return series_marks[k % MAX_SERIES];
}

void el_report_tex_short_id(FILE *f, const char *id)
{
    tick_id(f, id);
}

void el_report_tex_design_cell(FILE *f, const char *title, const char *id)
{
    design_cell(f, title, id);
}

void el_report_tex_wrap(FILE *f, const char *s)
{
    tex_wrap(f, s);
}
