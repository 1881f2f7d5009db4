/* results.xml and results.csv. The field table below says, for every field of the result
 * structs, in which record it is written, under which XML attribute and CSV variable, at which
 * position, with which unit; the two writers walk it (through a layout sorted once per writer)
 * and add only the keys that name a record (ids, link ends, pool host). Element, attribute and
 * row order is fixed; every number goes through el_fmt_sig_str ("%.12g", exact and fast), every
 * string through an escaper, so the same input gives the same bytes. Text is assembled in an
 * ElOut buffer and reaches the stream in blocks. */
#include "results.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "el_alloc.h"
#include "el_io.h"
#include "fmt.h"

/* One table line per field. JUR(member, kind, unit, xml, xml_pos, csv, csv_pos) and the like;
 * NONE_*(member, note) for a field written nowhere. */
#define FIELD(T, in, m, rec, kind, unit, xml, xpos, csv, cpos, note)                             \
    {                                                                                            \
        in, #m, offsetof(T, m), sizeof(((T *)0)->m), rec, kind, unit, xml, xpos, csv, cpos, note \
    }
#define JUR(m, kind, unit, xml, xpos, csv, cpos) \
    FIELD(ElJurResult, EL_IN_JUR, m, EL_REC_JUR, kind, unit, xml, xpos, csv, cpos, NULL)
#define NONE(T, in, m, note) \
    FIELD(T, in, m, EL_REC_NONE, EL_VAL_OTHER, EL_UNIT_NONE, NULL, -1, NULL, -1, note)
#define NUM EL_VAL_NUM
#define MT  EL_UNIT_MT
#define PRC EL_UNIT_PRICE
#define MON EL_UNIT_MONEY

static const ElResultField fields[] = {
    /* ElJurResult: one <jurisdiction> / one group of rows per jurisdiction */
    JUR(price, NUM, PRC, "price", 0, "price", 0),
    JUR(abatement, NUM, MT, "abatement", 1, "abatement", 1),
    JUR(emissions, NUM, MT, "emissions", 2, "emissions", 2),
    JUR(net_imports, NUM, MT, "net-imports", 3, "net_imports", 3),
    JUR(offsets, NUM, MT, "offsets", 9, "offsets", 9),
    JUR(project_credits, NUM, MT, "project-credits", 10, "project_credits", 10),
    JUR(withheld, NUM, MT, "withheld", 11, "withheld", 11),
    JUR(released, NUM, MT, "released", 12, "released", 12),
    JUR(penalised, NUM, MT, "penalised", 13, "penalised", 13),
    JUR(taxed, NUM, MT, "taxed", 14, "taxed", 14),
    JUR(binding, EL_VAL_BINDING, EL_UNIT_NAME, "binding", 8, "binding", 8),
    JUR(abatement_cost, NUM, MON, "abatement-cost", 4, "abatement_cost", 4),
    JUR(payments_abroad, NUM, MON, "payments-abroad", 15, "payments_abroad", 15),
    JUR(receipts_abroad, NUM, MON, "receipts-abroad", 16, "receipts_abroad", 16),
    JUR(payments, NUM, MON, "payments", 5, "payments", 5),
    NONE(ElJurResult, EL_IN_JUR, unit_payments, "a part of payments (model.md)"),
    NONE(ElJurResult, EL_IN_JUR, credit_payments, "a part of payments (model.md)"),
    NONE(ElJurResult, EL_IN_JUR, project_cost, "a part of national-cost (model.md)"),
    JUR(national_cost, NUM, MON, "national-cost", 6, "national_cost", 6),
    JUR(gain, NUM, MON, "gain", 7, "gain", 7),
    JUR(firms_cost, NUM, MON, "firms-cost", 17, "firms_cost", 17),
    JUR(gov_revenue, NUM, MON, "gov-revenue", 18, "gov_revenue", 18),
    JUR(offset_surplus, NUM, MON, "offset-surplus", 19, "offset_surplus", 19),
    JUR(ndc_emissions, NUM, MT, "ndc-emissions", 20, "ndc_emissions", 20),
    /* absent (NaN) for a jurisdiction without an NDC target / without an import limit */
    JUR(ndc_margin, EL_VAL_NUM_OPT, MT, "ndc-margin", 21, "ndc_margin", 21),
    JUR(import_rent, EL_VAL_NUM_OPT, MON, "import-rent", 22, "import_rent", 22),
    FIELD(ElJurResult,
          EL_IN_JUR,
          shortfall,
          EL_REC_SHORTFALL,
          NUM,
          MT,
          "quantity",
          0,
          "shortfall",
          0,
          NULL),
    NONE(ElJurResult, EL_IN_JUR, requirement, "explains a shortfall in the report"),
    NONE(ElJurResult, EL_IN_JUR, max_abatement, "explains a shortfall in the report"),

/* ElLinkResult: <link from to ... rent-to>, FROM->TO rows */
#define LINK(m, unit, xml, xpos, csv, cpos) \
    FIELD(ElLinkResult, EL_IN_LINK, m, EL_REC_LINK, NUM, unit, xml, xpos, csv, cpos, NULL)
    LINK(units, MT, "units", 0, "link_units", 0),
    LINK(credited, MT, "credited", 1, "link_credited", 1),
    LINK(unit_price, PRC, "unit-price", 2, "link_unit_price", 2),
    LINK(rent, MON, "rent", 3, "link_rent", 3),

/* ElPoolResult: <pool id host ...>, pool:ID rows, for pools used in the design */
#define POOL(m, unit, xml, xpos, csv, cpos) \
    FIELD(ElPoolResult, EL_IN_POOL, m, EL_REC_POOL, NUM, unit, xml, xpos, csv, cpos, NULL)
    NONE(ElPoolResult, EL_IN_POOL, used, "a pool's record is written only when it is used"),
    POOL(price, PRC, "price", 0, "credit_price", 0),
    POOL(supplied, MT, "supplied", 1, "supplied", 1),
    POOL(supply_cost, MON, "supply-cost", 2, "supply_cost", 2),
    POOL(receipts, MON, "receipts", 3, NULL, -1),

/* ElAcceptResult: <offset pool jurisdiction ...>, J<-POOL rows */
#define OFFSET(m, unit, xml, xpos, csv, cpos) \
    FIELD(ElAcceptResult, EL_IN_ACCEPT, m, EL_REC_OFFSET, NUM, unit, xml, xpos, csv, cpos, NULL)
    NONE(ElAcceptResult, EL_IN_ACCEPT, pool, "key: the pool attribute, POOL in J<-POOL"),
    NONE(ElAcceptResult, EL_IN_ACCEPT, jur, "key: the jurisdiction attribute, J in J<-POOL"),
    OFFSET(credits, MT, "credits", 0, "offset_credits", 0),
    OFFSET(credited, MT, "credited", 1, "offset_credited", 1),
    OFFSET(payment, MON, "payment", 2, NULL, -1),

/* ElProjectResult: <project id ...>, project:ID rows */
#define PROJECT(m, kind, unit, xml, xpos, csv, cpos) \
    FIELD(ElProjectResult, EL_IN_PROJECT, m, EL_REC_PROJECT, kind, unit, xml, xpos, csv, cpos, NULL)
    PROJECT(built, EL_VAL_FLAG, EL_UNIT_BUILT, "built", 0, "built", 0),
    PROJECT(credits, NUM, MT, "credits", 1, "project_credits", 1),
    PROJECT(cost, NUM, MON, "cost", 2, NULL, -1),

/* ElDesignResult: <design id outcome>, the outcome row, the records, <total>, total rows */
#define DES_NONE(m, note) NONE(ElDesignResult, EL_IN_DESIGN, m, note)
#define TOTAL(m, xml, xpos, csv, cpos) \
    FIELD(ElDesignResult, EL_IN_DESIGN, m, EL_REC_TOTAL, NUM, MON, xml, xpos, csv, cpos, NULL)
    DES_NONE(id, "key: the design attribute and column"),
    DES_NONE(design, "key: names links and projects"),
    FIELD(ElDesignResult,
          EL_IN_DESIGN,
          outcome,
          EL_REC_OUTCOME,
          EL_VAL_OUTCOME,
          EL_UNIT_NAME,
          "outcome",
          0,
          "outcome",
          0,
          NULL),
    DES_NONE(njur, "count of a record"),
    DES_NONE(nlinks, "count of a record"),
    DES_NONE(npools, "count of a record"),
    DES_NONE(naccepts, "count of a record"),
    DES_NONE(nprojects, "count of a record"),
    DES_NONE(jur, "the jurisdiction records"),
    DES_NONE(link, "the link records"),
    DES_NONE(pool, "the pool records"),
    DES_NONE(accept, "the offset records"),
    DES_NONE(project, "the project records"),
    TOTAL(abatement_cost, "abatement-cost", 0, "abatement_cost", 0),
    TOTAL(total_cost, "total-cost", 1, "total_cost", 1),
    TOTAL(national_cost, "national-cost", 2, "national_cost", 3),
    TOTAL(row_surplus, "row-surplus", 3, "row_surplus", 2),
    TOTAL(gain, "gain", 4, "gain", 4),
    DES_NONE(mip_checked, "solver diagnostic"),
    DES_NONE(mip_corrected, "solver diagnostic"),
    DES_NONE(fit_rounds, "solver diagnostic"),
    DES_NONE(cap_jur, "allocation size"),
    DES_NONE(cap_links, "allocation size"),
    DES_NONE(cap_pools, "allocation size"),
    DES_NONE(cap_accepts, "allocation size"),
    DES_NONE(cap_projects, "allocation size"),
    DES_NONE(fast_path, "solver diagnostic"),
    DES_NONE(info, "solver diagnostic"),
};

#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

const ElResultField *el_result_fields(int *n)
{
    *n = NFIELDS;
    return fields;
}

const char *el_results_outcome_name(ElOutcome o)
{
    return o == EL_INFEASIBLE ? "no-equilibrium" : el_outcome_name(o);
}

static const char *const rent_names[] = {"buyer", "buyer-government", "seller"};

/* ---- Layout: the table sorted into output order, once per writer ---- */

#define MAX_PER_RECORD 32
#define NAME_SIZE      40

typedef struct {
    const ElResultField *f; /* the field */
    char text[NAME_SIZE];   /* XML: ` name="`; CSV: `name,` */
    size_t len;
} Slot;

typedef struct {
    Slot xml[EL_REC_COUNT][MAX_PER_RECORD];
    Slot csv[EL_REC_COUNT][MAX_PER_RECORD];
    int nxml[EL_REC_COUNT], ncsv[EL_REC_COUNT];
} Layout;

static void layout_init(Layout *L)
{
    int i, r;
    memset(L, 0, sizeof(*L));
    for (r = 0; r < EL_REC_COUNT; r++)
        for (i = 0; i < NFIELDS; i++) {
            const ElResultField *fd = &fields[i];
            if ((int)fd->record != r)
                continue;
            /* positions are 0..n-1 per record (tests/unit/test_reports.c checks) */
            if (fd->xml && fd->xml_pos >= 0 && fd->xml_pos < MAX_PER_RECORD) {
                Slot *sl = &L->xml[r][fd->xml_pos];
                sl->f = fd;
                snprintf(sl->text, sizeof(sl->text), " %s=\"", fd->xml);
                sl->len = strlen(sl->text);
                L->nxml[r]++;
            }
            if (fd->csv && fd->csv_pos >= 0 && fd->csv_pos < MAX_PER_RECORD) {
                Slot *sl = &L->csv[r][fd->csv_pos];
                sl->f = fd;
                snprintf(sl->text, sizeof(sl->text), "%s,", fd->csv);
                sl->len = strlen(sl->text);
                L->ncsv[r]++;
            }
        }
}

/* ---- The writer ---- */

struct ElResultsWriter {
    ElResultsFormat fmt;
    const char *name; /* for messages */
    const ElScenario *s;
    ElOut out;
    Layout L;
    char *row; /* CSV: the escaped "design,who," that starts each row of a record */
    size_t row_cap, row_design, row_len;
    char *unit[EL_UNIT_BUILT + 1]; /* CSV: the escaped unit column of each fixed unit kind */
    bool hold;                     /* analyses follow the designs: no footer at the batch's end */
    const ElAnalysis *sweep;       /* the sweep whose points the sweep sink writes */
    const ElAnalysis *draws;       /* draws.csv: the analysis whose draws arrive */
    bool draw_autarky;             /* draws.csv: the current draw's autarky has an equilibrium */
    bool periods;                  /* several periods: a period column, a <periods> element */
};

static bool row_reserve(ElResultsWriter *w, size_t extra)
{
    size_t need = w->row_len + extra + 1;
    char *p;
    if (need <= w->row_cap)
        return true;
    need = need < 256 ? 256 : 2 * need;
    p = el_realloc(w->row, need);
    if (!p)
        return false;
    w->row = p;
    w->row_cap = need;
    return true;
}

/* Append s, escaped as a CSV field, and a comma to the row prefix. */
static bool row_append(ElResultsWriter *w, const char *s)
{
    size_t n = strlen(s);
    if (!row_reserve(w, 2 * n + 3))
        return false;
    if (!strpbrk(s, ",\"\r\n")) {
        memcpy(w->row + w->row_len, s, n);
        w->row_len += n;
    } else {
        w->row[w->row_len++] = '"';
        for (; *s; s++) {
            if (*s == '"')
                w->row[w->row_len++] = '"';
            w->row[w->row_len++] = *s;
        }
        w->row[w->row_len++] = '"';
    }
    w->row[w->row_len++] = ',';
    return true;
}

/* The row prefix for record `who` of the current design ("a->b" from two parts: sep non-NULL). */
static bool row_who(ElResultsWriter *w, const char *a, const char *sep, const char *b)
{
    w->row_len = w->row_design;
    if (!sep)
        return row_append(w, a);
    {
        size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
        char stack[256], *who = la + ls + lb < sizeof(stack) ? stack : el_malloc(la + ls + lb + 1);
        bool ok;
        if (!who)
            return false;
        memcpy(who, a, la);
        memcpy(who + la, sep, ls);
        memcpy(who + la + ls, b, lb + 1);
        ok = row_append(w, who);
        if (who != stack)
            el_free(who);
        return ok;
    }
}

static char *csv_field_dup(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), k = 0;
    char *plain = el_malloc(la + lb + 1), *out;
    const char *s;
    if (!plain)
        return NULL;
    memcpy(plain, a, la);
    memcpy(plain + la, b, lb + 1);
    out = el_malloc(2 * (la + lb) + 3);
    if (out) {
        bool quote = strpbrk(plain, ",\"\r\n") != NULL;
        if (quote)
            out[k++] = '"';
        for (s = plain; *s; s++) {
            if (quote && *s == '"')
                out[k++] = '"';
            out[k++] = *s;
        }
        if (quote)
            out[k++] = '"';
        out[k] = '\0';
    }
    el_free(plain);
    return out;
}

/* Read field fd of the struct at base. */
static double num_at(const void *base, const ElResultField *fd)
{
    double v;
    memcpy(&v, (const char *)base + fd->offset, sizeof(v));
    return v;
}

static int int_at(const void *base, const ElResultField *fd)
{
    if (fd->kind == EL_VAL_FLAG) {
        bool b;
        memcpy(&b, (const char *)base + fd->offset, sizeof(b));
        return b;
    }
    if (fd->kind == EL_VAL_BINDING) {
        ElBinding b;
        memcpy(&b, (const char *)base + fd->offset, sizeof(b));
        return (int)b;
    }
    {
        ElOutcome o;
        memcpy(&o, (const char *)base + fd->offset, sizeof(o));
        return (int)o;
    }
}

/* ---- XML ---- */

static void xml_key(ElOut *o, const char *name, const char *v)
{
    el_out_char(o, ' ');
    el_out_str(o, name);
    el_out_mem(o, "=\"", 2);
    el_out_xml(o, v);
    el_out_char(o, '"');
}

/* The table's attributes of record rec for the struct at base. */
static void xml_fields(ElResultsWriter *w, ElRecord rec, const void *base)
{
    ElOut *o = &w->out;
    int i;
    for (i = 0; i < w->L.nxml[rec]; i++) {
        const Slot *sl = &w->L.xml[rec][i];
        const ElResultField *fd = sl->f;
        if (fd->kind == EL_VAL_NUM_OPT && isnan(num_at(base, fd)))
            continue; /* absent */
        el_out_mem(o, sl->text, sl->len);
        switch (fd->kind) {
        case EL_VAL_NUM:
        case EL_VAL_NUM_OPT:
            el_out_num(o, num_at(base, fd));
            break;
        case EL_VAL_BINDING:
            el_out_xml(o, el_binding_name((ElBinding)int_at(base, fd)));
            break;
        case EL_VAL_FLAG:
            el_out_str(o, int_at(base, fd) ? "true" : "false");
            break;
        case EL_VAL_OUTCOME:
            el_out_xml(o, el_results_outcome_name((ElOutcome)int_at(base, fd)));
            break;
        case EL_VAL_OTHER:
            break;
        }
        el_out_char(o, '"');
    }
}

static void xml_num_key(ElOut *o, const char *name, double v)
{
    el_out_char(o, ' ');
    el_out_str(o, name);
    el_out_mem(o, "=\"", 2);
    el_out_num(o, v);
    el_out_char(o, '"');
}

static void xml_begin(ElResultsWriter *w)
{
    ElOut *o = &w->out;
    el_out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results");
    xml_key(o, "scenario", w->s->name);
    xml_key(o, "currency", w->s->currency);
    xml_key(o, "unit", w->s->unit);
    el_out_str(o, ">\n");
    if (w->periods) {
        const ElPeriods *p = &w->s->periods;
        el_out_str(o, "  <periods");
        xml_num_key(o, "first", p->first);
        xml_num_key(o, "last", p->last);
        xml_num_key(o, "discount-rate", p->rate);
        xml_num_key(o, "terminal-bank-value", p->terminal_value);
        el_out_str(o, "/>\n");
    }
}

/* Year t's bank of jurisdiction j in m (several periods): the end-of-year balance, what the
 * year added to it (banked) or took from it (drawn), and the next year's units used (borrowed:
 * the part of a negative balance). */
typedef struct {
    double bank, banked, drawn, borrowed;
} BankFlows;

static BankFlows bank_flows(const ElScenario *s, const ElMultiResult *m, int t, int j)
{
    BankFlows b;
    double before = t > 0 ? m->bank[(t - 1) * m->njur + j] : s->jur[j].initial_bank;
    b.bank = m->bank[t * m->njur + j];
    b.banked = b.bank > before ? b.bank - before : 0;
    b.drawn = before > b.bank ? before - b.bank : 0;
    b.borrowed = b.bank < 0 ? -b.bank : 0;
    return b;
}

/* The elements of a design's result r, each line starting with ind; m non-NULL: year t of a
 * several-period result, whose jurisdictions also carry their bank. */
static void xml_design_body(
    ElResultsWriter *w, const ElDesignResult *r, const char *ind, const ElMultiResult *m, int t)
{
    const ElScenario *s = w->s;
    const ElDesign *des = r->design;
    ElOut *o = &w->out;
    int j, l;
    if (r->outcome != EL_OPTIMAL) {
        /* no prices, quantities or gains: each jurisdiction's shortfall */
        for (j = 0; j < r->njur; j++) {
            el_out_str(o, ind);
            el_out_str(o, "<shortfall");
            xml_key(o, "jurisdiction", s->jur[j].id);
            xml_fields(w, EL_REC_SHORTFALL, &r->jur[j]);
            el_out_str(o, "/>\n");
        }
        return;
    }
    for (j = 0; j < r->njur; j++) {
        el_out_str(o, ind);
        el_out_str(o, "<jurisdiction");
        xml_key(o, "id", s->jur[j].id);
        xml_fields(w, EL_REC_JUR, &r->jur[j]);
        if (m) {
            BankFlows b = bank_flows(s, m, t, j);
            xml_num_key(o, "bank", b.bank);
            xml_num_key(o, "banked", b.banked);
            xml_num_key(o, "drawn", b.drawn);
            xml_num_key(o, "borrowed", b.borrowed);
        }
        el_out_str(o, "/>\n");
    }
    for (l = 0; l < r->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        el_out_str(o, ind);
        el_out_str(o, "<link");
        xml_key(o, "from", s->jur[lk->from].id);
        xml_key(o, "to", s->jur[lk->to].id);
        xml_fields(w, EL_REC_LINK, &r->link[l]);
        xml_key(o, "rent-to", rent_names[lk->rent_to]);
        el_out_str(o, "/>\n");
    }
    for (l = 0; l < r->npools; l++) {
        if (!r->pool[l].used)
            continue;
        el_out_str(o, ind);
        el_out_str(o, "<pool");
        xml_key(o, "id", s->pools[l].id);
        xml_key(o, "host", s->pools[l].host >= 0 ? s->jur[s->pools[l].host].id : "ROW");
        xml_fields(w, EL_REC_POOL, &r->pool[l]);
        el_out_str(o, "/>\n");
    }
    for (l = 0; l < r->naccepts; l++) {
        el_out_str(o, ind);
        el_out_str(o, "<offset");
        xml_key(o, "pool", s->pools[r->accept[l].pool].id);
        xml_key(o, "jurisdiction", s->jur[r->accept[l].jur].id);
        xml_fields(w, EL_REC_OFFSET, &r->accept[l]);
        el_out_str(o, "/>\n");
    }
    for (l = 0; l < r->nprojects; l++) {
        el_out_str(o, ind);
        el_out_str(o, "<project");
        xml_key(o, "id", des->projects[l].id);
        xml_fields(w, EL_REC_PROJECT, &r->project[l]);
        el_out_str(o, "/>\n");
    }
    el_out_str(o, ind);
    el_out_str(o, "<total");
    xml_fields(w, EL_REC_TOTAL, r);
    el_out_str(o, "/>\n");
}

static void xml_design(ElResultsWriter *w, const ElDesignResult *r)
{
    ElOut *o = &w->out;
    el_out_str(o, "  <design");
    xml_key(o, "id", r->id);
    xml_fields(w, EL_REC_OUTCOME, r);
    el_out_str(o, ">\n");
    xml_design_body(w, r, "    ", NULL, 0);
    el_out_str(o, "  </design>\n");
}

/* ---- CSV ---- */

/* The rows of record rec (the prefix set by row_who) for the struct at base. */
static void csv_fields(ElResultsWriter *w, ElRecord rec, const void *base)
{
    ElOut *o = &w->out;
    int i;
    for (i = 0; i < w->L.ncsv[rec]; i++) {
        const Slot *sl = &w->L.csv[rec][i];
        const ElResultField *fd = sl->f;
        const char *name = NULL;
        if (fd->kind == EL_VAL_NUM_OPT && isnan(num_at(base, fd)))
            continue; /* absent */
        el_out_mem(o, w->row, w->row_len);
        el_out_mem(o, sl->text, sl->len);
        switch (fd->kind) {
        case EL_VAL_NUM:
        case EL_VAL_NUM_OPT:
            el_out_num(o, num_at(base, fd));
            break;
        case EL_VAL_BINDING: /* the code; its name in the unit column */
            el_out_num(o, (double)int_at(base, fd));
            name = el_binding_name((ElBinding)int_at(base, fd));
            break;
        case EL_VAL_FLAG:
            el_out_char(o, int_at(base, fd) ? '1' : '0');
            break;
        case EL_VAL_OUTCOME: /* 1 with an equilibrium, 0 without; the unit names the outcome */
            el_out_char(o, (ElOutcome)int_at(base, fd) == EL_OPTIMAL ? '1' : '0');
            name = el_results_outcome_name((ElOutcome)int_at(base, fd));
            break;
        case EL_VAL_OTHER:
            break;
        }
        el_out_char(o, ',');
        if (fd->unit == EL_UNIT_NAME)
            el_out_csv(o, name ? name : "");
        else
            el_out_str(o, w->unit[fd->unit]);
        el_out_mem(o, "\r\n", 2);
    }
}

static el_status csv_begin(ElResultsWriter *w, ElError *err)
{
    const char *cur = w->s->currency;
    int k;
    w->unit[EL_UNIT_NONE] = el_strdup("");
    w->unit[EL_UNIT_MT] = el_strdup("Mt");
    w->unit[EL_UNIT_PRICE] = csv_field_dup(cur, "/t");
    w->unit[EL_UNIT_MONEY] = csv_field_dup("million ", cur);
    w->unit[EL_UNIT_NAME] = el_strdup("");
    w->unit[EL_UNIT_BUILT] = el_strdup("1 = built");
    for (k = 0; k <= EL_UNIT_BUILT; k++)
        if (!w->unit[k])
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    el_out_str(&w->out, w->periods ? "design,period,jurisdiction,variable,value,unit\r\n"
                                   : "design,jurisdiction,variable,value,unit\r\n");
    return EL_OK;
}

static bool
csv_row(ElResultsWriter *w, const char *who, const char *variable, double value, const char *unit);

/* The rows of a design's result r under the row prefix already set (w->row_design); m
 * non-NULL: year t of a several-period result, whose jurisdictions also have bank rows. */
static bool
csv_design_rows(ElResultsWriter *w, const ElDesignResult *r, const ElMultiResult *m, int t)
{
    const ElScenario *s = w->s;
    const ElDesign *des = r->design;
    bool ok;
    int j, l;
    ok = row_who(w, "total", NULL, NULL);
    if (ok)
        csv_fields(w, EL_REC_OUTCOME, r);
    if (r->outcome != EL_OPTIMAL) {
        for (j = 0; ok && j < r->njur; j++) {
            ok = row_who(w, s->jur[j].id, NULL, NULL);
            if (ok)
                csv_fields(w, EL_REC_SHORTFALL, &r->jur[j]);
        }
    } else {
        for (j = 0; ok && j < r->njur; j++) {
            ok = row_who(w, s->jur[j].id, NULL, NULL);
            if (ok)
                csv_fields(w, EL_REC_JUR, &r->jur[j]);
            if (ok && m) {
                BankFlows b = bank_flows(s, m, t, j);
                const char *id = s->jur[j].id, *mt = w->unit[EL_UNIT_MT];
                ok = csv_row(w, id, "bank", b.bank, mt) && csv_row(w, id, "banked", b.banked, mt) &&
                     csv_row(w, id, "drawn", b.drawn, mt) &&
                     csv_row(w, id, "borrowed", b.borrowed, mt);
            }
        }
        for (l = 0; ok && l < r->nlinks; l++) {
            ok = row_who(w, s->jur[des->links[l].from].id, "->", s->jur[des->links[l].to].id);
            if (ok)
                csv_fields(w, EL_REC_LINK, &r->link[l]);
        }
        for (l = 0; ok && l < r->npools; l++) {
            if (!r->pool[l].used)
                continue;
            ok = row_who(w, "pool:", "", s->pools[l].id);
            if (ok)
                csv_fields(w, EL_REC_POOL, &r->pool[l]);
        }
        for (l = 0; ok && l < r->naccepts; l++) {
            ok = row_who(w, s->jur[r->accept[l].jur].id, "<-", s->pools[r->accept[l].pool].id);
            if (ok)
                csv_fields(w, EL_REC_OFFSET, &r->accept[l]);
        }
        for (l = 0; ok && l < r->nprojects; l++) {
            ok = row_who(w, "project:", "", des->projects[l].id);
            if (ok)
                csv_fields(w, EL_REC_PROJECT, &r->project[l]);
        }
        ok = ok && row_who(w, "total", NULL, NULL);
        if (ok)
            csv_fields(w, EL_REC_TOTAL, r);
    }
    return ok;
}

static el_status csv_design(ElResultsWriter *w, const ElDesignResult *r, ElError *err)
{
    bool ok;
    w->row_len = 0;
    ok = row_append(w, r->id);
    w->row_design = w->row_len;
    ok = ok && csv_design_rows(w, r, NULL, 0);
    return ok ? EL_OK : el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
}

/* ---- The sink ---- */

static el_status write_failed(ElResultsWriter *w, ElError *err)
{
    char msg[EL_ERRNO_TEXT_SIZE];
    return el_error_set(err, EL_ERR_IO, "%s: cannot write: %s", w->name ? w->name : "results",
                        el_errno_text(w->out.error, msg, sizeof(msg)));
}

static el_status sink_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    ElResultsWriter *w = ctx;
    el_status st = EL_OK;
    (void)count;
    w->s = s;
    if (w->fmt == EL_RESULTS_XML)
        xml_begin(w);
    else
        st = csv_begin(w, err);
    return st;
}

static el_status sink_result(void *ctx,
                             long index,
                             const ElBatchItem *item,
                             const ElDesignResult *r,
                             const ElDesignResult *baseline,
                             ElError *err)
{
    ElResultsWriter *w = ctx;
    el_status st = EL_OK;
    (void)item;
    (void)baseline;
    if (index < 0) /* the baseline is not a design of the results */
        return EL_OK;
    if (w->fmt == EL_RESULTS_XML)
        xml_design(w, r);
    else
        st = csv_design(w, r, err);
    if (st == EL_OK && w->out.n > EL_OUT_SIZE / 2 && el_out_flush(&w->out) != 0)
        st = write_failed(w, err);
    return st;
}

static el_status sink_end(void *ctx, bool ok, ElError *err)
{
    ElResultsWriter *w = ctx;
    if (!ok) {
        w->out.n = 0; /* the caller discards the file */
        return EL_OK;
    }
    if (w->hold)
        return el_out_flush(&w->out) != 0 ? write_failed(w, err) : EL_OK;
    if (w->fmt == EL_RESULTS_XML)
        el_out_str(&w->out, "</results>\n");
    return el_out_flush(&w->out) != 0 ? write_failed(w, err) : EL_OK;
}

/* ---- Analyses ---- */

void el_results_writer_hold(ElResultsWriter *w)
{
    w->hold = true;
}

el_status el_results_writer_close(ElResultsWriter *w, ElError *err)
{
    if (w->fmt == EL_RESULTS_XML)
        el_out_str(&w->out, "</results>\n");
    return el_out_flush(&w->out) != 0 ? write_failed(w, err) : EL_OK;
}

static el_status flush_some(ElResultsWriter *w, ElError *err)
{
    if (w->out.n > EL_OUT_SIZE / 2 && el_out_flush(&w->out) != 0)
        return write_failed(w, err);
    return EL_OK;
}

/* The parameters of an analysis' point (values in template order): <param name value/> or
 * rows LABEL,param:NAME,value,V,WORD. */
static bool
write_params(ElResultsWriter *w, const ElAnalysis *a, const double *values, const char *indent)
{
    ElOut *o = &w->out;
    int k;
    bool ok = true;
    for (k = 0; k < a->nparams && ok; k++) {
        const ElParam *p = &a->params[k];
        double v = values[p->slot];
        const char *word = p->words ? el_slot_word_name("rent-to", (int)v) : NULL;
        if (w->fmt == EL_RESULTS_XML) {
            el_out_str(o, indent);
            el_out_str(o, "<param");
            xml_key(o, "name", p->name);
            if (word) {
                xml_key(o, "value", word);
            } else {
                el_out_str(o, " value=\"");
                el_out_num(o, v);
                el_out_char(o, '"');
            }
            el_out_str(o, "/>\n");
        } else {
            ok = row_who(w, "param:", "", p->name);
            if (ok) {
                el_out_mem(o, w->row, w->row_len);
                el_out_str(o, "value,");
                el_out_num(o, v);
                el_out_char(o, ',');
                el_out_csv(o, word ? word : "");
                el_out_mem(o, "\r\n", 2);
            }
        }
    }
    return ok;
}

/* One CSV row LABEL,who,variable,value,unit (value NaN: empty). */
static bool
csv_row(ElResultsWriter *w, const char *who, const char *variable, double value, const char *unit)
{
    ElOut *o = &w->out;
    if (!row_who(w, who, NULL, NULL))
        return false;
    el_out_mem(o, w->row, w->row_len);
    el_out_csv(o, variable);
    el_out_char(o, ',');
    if (!isnan(value))
        el_out_num(o, value);
    el_out_char(o, ',');
    if (unit == w->unit[EL_UNIT_MONEY] || unit == w->unit[EL_UNIT_MT] ||
        unit == w->unit[EL_UNIT_PRICE])
        el_out_str(o, unit); /* already escaped */
    else
        el_out_csv(o, unit ? unit : "");
    el_out_mem(o, "\r\n", 2);
    return true;
}

/* Start the CSV rows of a labelled record (a point, a candidate, a step). */
static bool csv_label(ElResultsWriter *w, const char *label)
{
    w->row_len = 0;
    if (!row_append(w, label))
        return false;
    w->row_design = w->row_len;
    return true;
}

static el_status sweep_begin(void *ctx, const ElScenario *s, long count, ElError *err)
{
    ElResultsWriter *w = ctx;
    ElOut *o = &w->out;
    (void)err;
    w->s = s;
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "  <sweep");
        xml_key(o, "id", w->sweep->id);
        xml_key(o, "design", w->sweep->design_id);
        el_out_str(o, " points=\"");
        el_out_num(o, (double)count);
        el_out_str(o, "\">\n");
    }
    return EL_OK;
}

static el_status sweep_result(void *ctx,
                              long index,
                              const ElBatchItem *item,
                              const ElDesignResult *r,
                              const ElDesignResult *baseline,
                              ElError *err)
{
    ElResultsWriter *w = ctx;
    const ElAnalysis *a = w->sweep;
    ElOut *o = &w->out;
    double values[64];
    char regime[400], num[32];
    el_status st = EL_OK;
    (void)item;
    (void)baseline;
    if (index < 0)
        return EL_OK;
    el_sweep_point(a, index, values);
    el_result_regime_text(w->s, r, regime, sizeof(regime));
    snprintf(num, sizeof(num), "%ld", index);
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "  <point");
        xml_key(o, "sweep", a->id);
        xml_key(o, "index", num);
        xml_key(o, "regime", regime);
        el_out_str(o, ">\n");
        write_params(w, a, values, "    ");
        xml_design(w, r);
        el_out_str(o, "  </point>\n");
    } else {
        bool ok = csv_label(w, r->id) && write_params(w, a, values, NULL) &&
                  csv_row(w, "total", "regime", nan(""), regime);
        st = ok ? csv_design(w, r, err) : el_error_set(err, EL_ERR_NOMEM, "out of memory");
    }
    return st == EL_OK ? flush_some(w, err) : st;
}

static el_status sweep_end(void *ctx, bool ok, ElError *err)
{
    ElResultsWriter *w = ctx;
    (void)err;
    if (ok && w->fmt == EL_RESULTS_XML)
        el_out_str(&w->out, "  </sweep>\n");
    return EL_OK;
}

ElSink el_results_writer_sweep_sink(ElResultsWriter *w, const ElAnalysis *a)
{
    ElSink sink = {w, sweep_begin, sweep_result, sweep_end, NULL};
    w->sweep = a;
    return sink;
}

/* One search point: XML <TAG rank feasible objective... margin><param/>...</TAG>, or CSV rows
 * under label. */
static bool search_point(ElResultsWriter *w,
                         const ElSearchResult *r,
                         const ElSearchPoint *p,
                         const char *tag,
                         const char *label,
                         long rank)
{
    const ElAnalysis *a = r->analysis;
    ElOut *o = &w->out;
    char what[200];
    int k;
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "    <");
        el_out_str(o, tag);
        if (rank > 0) {
            el_out_str(o, " rank=\"");
            el_out_num(o, (double)rank);
            el_out_char(o, '"');
        }
        el_out_str(o, p->feasible ? " feasible=\"true\"" : " feasible=\"false\"");
        for (k = 0; k < a->nobjectives && p->ok; k++) {
            if (!isfinite(p->obj[k]))
                continue;
            el_out_str(o, k ? " objective2=\"" : " objective=\"");
            el_out_num(o, p->obj[k]);
            el_out_char(o, '"');
        }
        if (a->nrequire > 0 && p->ok && isfinite(p->margin)) {
            el_out_str(o, " margin=\"");
            el_out_num(o, p->margin);
            el_out_char(o, '"');
        }
        el_out_str(o, ">\n");
        write_params(w, a, p->values, "      ");
        el_out_str(o, "    </");
        el_out_str(o, tag);
        el_out_str(o, ">\n");
        return true;
    }
    if (!csv_label(w, label) || !write_params(w, a, p->values, NULL) ||
        !csv_row(w, "total", "feasible", p->feasible ? 1 : 0, NULL))
        return false;
    for (k = 0; k < a->nobjectives && p->ok && isfinite(p->obj[k]); k++) {
        el_criterion_text(w->s, &a->objective[k], what, sizeof(what));
        if (!csv_row(w, "total", k ? "objective2" : "objective", p->obj[k], what))
            return false;
    }
    if (a->nrequire > 0 && p->ok && isfinite(p->margin) &&
        !csv_row(w, "total", "margin", p->margin, NULL))
        return false;
    return true;
}

el_status el_results_writer_search(ElResultsWriter *w, const ElSearchResult *r, ElError *err)
{
    const ElAnalysis *a = r->analysis;
    ElOut *o = &w->out;
    char label[200], what[200];
    long k;
    bool ok = true;
    el_status st = EL_OK;
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "  <search");
        xml_key(o, "id", a->id);
        xml_key(o, "design", a->design_id);
        el_out_str(o, r->found ? " found=\"true\"" : " found=\"false\"");
        el_out_str(o, " evaluations=\"");
        el_out_num(o, (double)r->evaluations);
        el_out_str(o, "\">\n");
        for (k = 0; k < a->nobjectives; k++) {
            el_criterion_text(w->s, &a->objective[k], what, sizeof(what));
            el_out_str(o, "    <maximize");
            xml_key(o, "measure", what);
            el_out_str(o, "/>\n");
        }
        search_point(w, r, &r->best, "optimum", NULL, 0);
        for (k = 0; k < r->nactive; k++) {
            el_out_str(o, "    <active");
            xml_key(o, "what", r->active[k]);
            el_out_str(o, "/>\n");
        }
        if (r->best_result.njur > 0) {
            el_out_str(o, "  ");
            xml_design(w, &r->best_result);
        }
        for (k = 0; k < r->nranked; k++)
            search_point(w, r, &r->ranked[k], "candidate", NULL, k + 1);
        for (k = 0; k < r->nfront; k++)
            search_point(w, r, &r->front[k], "pareto", NULL, k + 1);
        el_out_str(o, "  </search>\n");
        return flush_some(w, err);
    }
    ok = search_point(w, r, &r->best, NULL, a->id, 0) &&
         csv_row(w, "total", "found", r->found ? 1 : 0, NULL) &&
         csv_row(w, "total", "evaluations", (double)r->evaluations, NULL);
    for (k = 0; ok && k < r->nactive; k++)
        ok = csv_row(w, "total", "active", (double)(k + 1), r->active[k]);
    if (ok && r->best_result.njur > 0)
        st = csv_design(w, &r->best_result, err);
    for (k = 0; ok && st == EL_OK && k < r->nranked; k++) {
        snprintf(label, sizeof(label), "%s/rank/%ld", a->id, k + 1);
        ok = search_point(w, r, &r->ranked[k], NULL, label, k + 1);
        if (ok && k % 64 == 63)
            st = flush_some(w, err);
    }
    for (k = 0; ok && st == EL_OK && k < r->nfront; k++) {
        snprintf(label, sizeof(label), "%s/pareto/%ld", a->id, k + 1);
        ok = search_point(w, r, &r->front[k], NULL, label, k + 1);
        if (ok && k % 64 == 63)
            st = flush_some(w, err);
    }
    if (!ok)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    return st == EL_OK ? flush_some(w, err) : st;
}

el_status el_results_writer_sequence(ElResultsWriter *w, const ElSequenceResult *r, ElError *err)
{
    const ElAnalysis *a = r->analysis;
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    char label[200], num[32];
    int k, j;
    bool ok = true;
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "  <sequence");
        xml_key(o, "id", a->id);
        el_out_str(o, r->all_pareto ? " all-pareto=\"true\">\n" : " all-pareto=\"false\">\n");
    }
    for (k = 0; k < r->nsteps && ok; k++) {
        const ElSequenceStep *p = &r->steps[k];
        const ElDesignResult *d = &p->result;
        bool solved = d->outcome == EL_OPTIMAL;
        snprintf(num, sizeof(num), "%d", k + 1);
        if (w->fmt == EL_RESULTS_XML) {
            el_out_str(o, "    <step");
            xml_key(o, "index", num);
            xml_key(o, "design", d->id);
            xml_key(o, "outcome", el_results_outcome_name(d->outcome));
            el_out_str(o, p->pareto ? " pareto=\"true\"" : " pareto=\"false\"");
            el_out_str(o, p->strict ? " strict=\"true\">\n" : " strict=\"false\">\n");
            for (j = 0; solved && j < s->njur; j++) {
                el_out_str(o, "      <jurisdiction");
                xml_key(o, "id", s->jur[j].id);
                el_out_str(o, " gain=\"");
                el_out_num(o, d->jur[j].gain);
                el_out_str(o, "\" change=\"");
                el_out_num(o, p->delta[j]);
                el_out_str(o, "\"/>\n");
            }
            if (solved) {
                el_out_str(o, "      <total gain=\"");
                el_out_num(o, d->gain);
                el_out_str(o, "\" change=\"");
                el_out_num(o, p->delta_total);
                el_out_str(o, "\"/>\n");
            }
            el_out_str(o, "    </step>\n");
            continue;
        }
        snprintf(label, sizeof(label), "%s/%d", a->id, k + 1);
        ok = csv_label(w, label) && csv_row(w, "total", "step", k + 1, d->id) &&
             csv_row(w, "total", "outcome", solved ? 1 : 0, el_results_outcome_name(d->outcome)) &&
             csv_row(w, "total", "pareto", p->pareto ? 1 : 0, NULL) &&
             csv_row(w, "total", "strict", p->strict ? 1 : 0, NULL);
        for (j = 0; ok && solved && j < s->njur; j++)
            ok = csv_row(w, s->jur[j].id, "gain", d->jur[j].gain, w->unit[EL_UNIT_MONEY]) &&
                 csv_row(w, s->jur[j].id, "gain_change", p->delta[j], w->unit[EL_UNIT_MONEY]);
        if (ok && solved)
            ok = csv_row(w, "total", "gain", d->gain, w->unit[EL_UNIT_MONEY]) &&
                 csv_row(w, "total", "gain_change", p->delta_total, w->unit[EL_UNIT_MONEY]);
    }
    if (!ok)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    if (w->fmt == EL_RESULTS_XML)
        el_out_str(o, "  </sequence>\n");
    else if (!csv_label(w, a->id) || !csv_row(w, "total", "all_pareto", r->all_pareto, NULL))
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    return flush_some(w, err);
}

el_status el_results_writer_create(
    ElResultsWriter **out, ElResultsFormat fmt, FILE *f, const char *name, ElError *err)
{
    ElResultsWriter *w;
    *out = NULL;
    w = el_calloc(1, sizeof(*w));
    if (!w)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results writer)");
    w->fmt = fmt;
    w->name = name;
    el_out_init(&w->out, f);
    layout_init(&w->L);
    *out = w;
    return EL_OK;
}

ElSink el_results_writer_sink(ElResultsWriter *w)
{
    ElSink sink = {w, sink_begin, sink_result, sink_end, NULL};
    return sink;
}

void el_results_writer_free(ElResultsWriter *w)
{
    int k;
    if (!w)
        return;
    for (k = 0; k <= EL_UNIT_BUILT; k++)
        el_free(w->unit[k]);
    el_free(w->row);
    el_free(w);
}

/* ---- Several periods ---- */

void el_results_writer_set_periods(ElResultsWriter *w)
{
    w->periods = true;
}

/* The rows of a several-period design r under the prefix "id,period,". */
static bool csv_multi(ElResultsWriter *w, const char *id, const ElMultiResult *r)
{
    const ElScenario *s = w->s;
    const char *money = w->unit[EL_UNIT_MONEY];
    char year[16];
    double pv_cost = 0;
    bool ok;
    int t, j;
    w->row_len = 0;
    ok = row_append(w, id) && row_append(w, "");
    w->row_design = w->row_len;
    ok = ok && csv_row(w, "total", "outcome", r->outcome == EL_OPTIMAL ? 1 : 0,
                       el_results_outcome_name(r->outcome));
    for (t = 0; ok && r->outcome == EL_OPTIMAL && t < r->nperiods; t++) {
        snprintf(year, sizeof(year), "%d", r->first + t);
        w->row_len = 0;
        ok = row_append(w, id) && row_append(w, year);
        w->row_design = w->row_len;
        ok = ok && csv_row(w, "total", "discount", r->discount[t], NULL) &&
             csv_design_rows(w, &r->year[t], r, t);
    }
    if (!ok || r->outcome != EL_OPTIMAL)
        return ok;
    w->row_len = 0;
    ok = row_append(w, id) && row_append(w, "");
    w->row_design = w->row_len;
    for (j = 0; ok && j < r->njur; j++) {
        pv_cost += r->pv_cost[j];
        ok = csv_row(w, s->jur[j].id, "pv_national_cost", r->pv_cost[j], money) &&
             csv_row(w, s->jur[j].id, "pv_gain", r->pv_gain[j], money);
    }
    return ok && csv_row(w, "total", "pv_national_cost", pv_cost, money) &&
           csv_row(w, "total", "pv_gain", r->pv_total_gain, money);
}

static void xml_multi(ElResultsWriter *w, const char *id, const ElMultiResult *r)
{
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    double pv_cost = 0;
    int t, j;
    el_out_str(o, "  <design");
    xml_key(o, "id", id);
    el_out_str(o, " outcome=\"");
    el_out_xml(o, el_results_outcome_name(r->outcome));
    el_out_str(o, r->outcome == EL_OPTIMAL ? "\">\n" : "\"/>\n");
    if (r->outcome != EL_OPTIMAL)
        return;
    for (t = 0; t < r->nperiods; t++) {
        el_out_str(o, "    <period");
        xml_num_key(o, "year", r->first + t);
        xml_num_key(o, "discount", r->discount[t]);
        xml_fields(w, EL_REC_OUTCOME, &r->year[t]);
        el_out_str(o, ">\n");
        xml_design_body(w, &r->year[t], "      ", r, t);
        el_out_str(o, "    </period>\n");
    }
    el_out_str(o, "    <present-value>\n");
    for (j = 0; j < r->njur; j++) {
        pv_cost += r->pv_cost[j];
        el_out_str(o, "      <jurisdiction");
        xml_key(o, "id", s->jur[j].id);
        xml_num_key(o, "national-cost", r->pv_cost[j]);
        xml_num_key(o, "gain", r->pv_gain[j]);
        el_out_str(o, "/>\n");
    }
    el_out_str(o, "      <total");
    xml_num_key(o, "national-cost", pv_cost);
    xml_num_key(o, "gain", r->pv_total_gain);
    el_out_str(o, "/>\n    </present-value>\n  </design>\n");
}

el_status
el_results_writer_multi(ElResultsWriter *w, const char *id, const ElMultiResult *r, ElError *err)
{
    if (w->fmt == EL_RESULTS_XML)
        xml_multi(w, id, r);
    else if (!csv_multi(w, id, r))
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    return flush_some(w, err);
}

/* ---- Coalitions ---- */

#define TOP_COALITIONS EL_TOP_COALITIONS

/* "A B C" of the members in mask. */
static void
members_text(const ElScenario *s, const ElGame *g, unsigned mask, char *buf, size_t size)
{
    size_t len = 0;
    int k;
    buf[0] = '\0';
    for (k = 0; k < g->n && len < size; k++)
        if ((mask >> k) & 1u) {
            int m =
                snprintf(buf + len, size - len, "%s%s", len ? " " : "", s->jur[g->members[k]].id);
            if (m > 0)
                len += (size_t)m;
        }
}

/* "{A B}{C}" of a coalition structure: its blocks in their listed order. */
static void
structure_text(const ElScenario *s, const ElGame *g, const ElStructure *x, char *buf, size_t size)
{
    size_t len = 0;
    int b;
    buf[0] = '\0';
    for (b = 0; b < x->nblocks && len + 3 < size; b++) {
        buf[len++] = '{';
        members_text(s, g, x->blocks[b], buf + len, size - len - 2);
        len += strlen(buf + len);
        buf[len++] = '}';
        buf[len] = '\0';
    }
}

/* A structure's loss as a share of the grand coalition's value (NaN when that is not positive). */
static double loss_share(const ElGame *g, const ElStructure *x)
{
    double vn = g->v[(1u << g->n) - 1u];
    return vn > 0 ? x->loss / vn : nan("");
}

/* <structures> of results.xml: the counts, then each listed structure. */
static void xml_structures(ElResultsWriter *w, const ElGame *g, const ElStructures *x)
{
    static const char *const by[EL_PAYOFF_RULES] = {"\" blocked-market-by=\"",
                                                    "\" blocked-shapley-by=\""};
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    char text[4096];
    int k, r;
    el_out_str(o, "    <structures partitions=\"");
    el_out_num(o, (double)x->partitions);
    el_out_str(o, "\" stable-market=\"");
    el_out_num(o, (double)x->stable_count[EL_PAYOFF_MARKET]);
    el_out_str(o, "\" stable-shapley=\"");
    el_out_num(o, (double)x->stable_count[EL_PAYOFF_SHAPLEY]);
    el_out_str(o, "\" cs-core=\"");
    el_out_num(o, (double)x->cs_core_count);
    el_out_str(o, "\" best-value=\"");
    el_out_num(o, x->best_value);
    el_out_str(o, x->truncated ? "\" truncated=\"true\">\n" : "\" truncated=\"false\">\n");
    for (k = 0; k < x->nlisted; k++) {
        const ElStructure *p = &x->listed[k];
        double share = loss_share(g, p);
        structure_text(s, g, p, text, sizeof(text));
        el_out_str(o, "      <structure");
        xml_key(o, "blocks", text);
        el_out_str(o, " value=\"");
        el_out_num(o, p->value);
        el_out_str(o, "\" loss=\"");
        el_out_num(o, p->loss);
        if (!isnan(share)) {
            el_out_str(o, "\" loss-share=\"");
            el_out_num(o, share);
        }
        el_out_str(o, p->stable[EL_PAYOFF_MARKET] ? "\" stable-market=\"true"
                                                  : "\" stable-market=\"false");
        el_out_str(o, p->stable[EL_PAYOFF_SHAPLEY] ? "\" stable-shapley=\"true"
                                                   : "\" stable-shapley=\"false");
        el_out_str(o, p->cs_core ? "\" cs-core=\"true" : "\" cs-core=\"false");
        for (r = 0; r < EL_PAYOFF_RULES; r++) {
            if (p->stable[r])
                continue;
            members_text(s, g, p->blocker[r], text, sizeof(text));
            el_out_str(o, by[r]);
            el_out_xml(o, text);
        }
        el_out_str(o, "\"/>\n");
    }
    el_out_str(o, "    </structures>\n");
}

/* results.csv: the structure counts, then each listed structure stable under some rule. */
static bool csv_structures(ElResultsWriter *w, const ElGame *g, const ElStructures *x)
{
    char text[4096];
    int k;
    bool ok = csv_row(w, "total", "partitions", (double)x->partitions, NULL) &&
              csv_row(w, "total", "stable_market_structures",
                      (double)x->stable_count[EL_PAYOFF_MARKET], NULL) &&
              csv_row(w, "total", "stable_shapley_structures",
                      (double)x->stable_count[EL_PAYOFF_SHAPLEY], NULL) &&
              csv_row(w, "total", "cs_core_structures", (double)x->cs_core_count, NULL) &&
              csv_row(w, "total", "best_structure_value", x->best_value, w->unit[EL_UNIT_MONEY]);
    for (k = 0; ok && k < x->nlisted; k++) {
        const ElStructure *p = &x->listed[k];
        if (!p->stable[EL_PAYOFF_MARKET] && !p->stable[EL_PAYOFF_SHAPLEY] && !p->cs_core)
            continue;
        structure_text(w->s, g, p, text, sizeof(text));
        ok = csv_row(w, "total", "structure_value", p->value, text) &&
             csv_row(w, "total", "structure_loss", p->loss, text) &&
             csv_row(w, "total", "structure_stable_market", p->stable[EL_PAYOFF_MARKET], text) &&
             csv_row(w, "total", "structure_stable_shapley", p->stable[EL_PAYOFF_SHAPLEY], text) &&
             csv_row(w, "total", "structure_cs_core", p->cs_core, text);
    }
    return ok;
}

static el_status
coalitions_csv(ElResultsWriter *w, const ElAnalysis *a, const ElCoalitionResult *res, ElError *err);

el_status el_results_writer_coalitions(ElResultsWriter *w,
                                       const ElAnalysis *a,
                                       const ElCoalitionResult *res,
                                       ElError *err)
{
    const ElGame *g = &res->game;
    const ElCore *core = &res->core;
    const double *nucleolus = res->have_nucleolus ? res->nucleolus : NULL;
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    unsigned top[TOP_COALITIONS];
    char text[2048];
    int k, nt;
    bool ok = true;
    if (w->fmt == EL_RESULTS_COALITIONS_CSV)
        return coalitions_csv(w, a, res, err);
    nt = el_game_top_coalitions(g, top);
    if (w->fmt == EL_RESULTS_XML) {
        el_out_str(o, "  <coalitions");
        xml_key(o, "id", a->id);
        el_out_str(o, " members=\"");
        el_out_num(o, g->n);
        el_out_str(o,
                   g->superadditive ? "\" superadditive=\"true\"" : "\" superadditive=\"false\"");
        el_out_str(o, core->empty ? " core-empty=\"true\"" : " core-empty=\"false\"");
        el_out_str(o, " least-core=\"");
        el_out_num(o, core->eps);
        el_out_str(o, core->market_in_core ? "\" market-in-core=\"true\">\n"
                                           : "\" market-in-core=\"false\">\n");
        for (k = 0; k < g->n; k++) {
            el_out_str(o, "    <member");
            xml_key(o, "id", s->jur[g->members[k]].id);
            el_out_str(o, " market=\"");
            el_out_num(o, g->market[k]);
            el_out_str(o, "\" shapley=\"");
            el_out_num(o, g->shapley[k]);
            el_out_str(o, "\" transfer=\"");
            el_out_num(o, g->shapley[k] - g->market[k]);
            el_out_str(o, "\" least-core=\"");
            el_out_num(o, core->x[k]);
            if (nucleolus) {
                el_out_str(o, "\" nucleolus=\"");
                el_out_num(o, nucleolus[k]);
            }
            el_out_str(o, "\"/>\n");
        }
        if (!g->superadditive) {
            members_text(s, g, g->sa_s, text, sizeof(text));
            el_out_str(o, "    <superadditivity-violation");
            xml_key(o, "first", text);
            members_text(s, g, g->sa_t, text, sizeof(text));
            xml_key(o, "second", text);
            el_out_str(o, " gap=\"");
            el_out_num(o, g->sa_gap);
            el_out_str(o, "\"/>\n");
        }
        if (!core->market_in_core) {
            members_text(s, g, core->market_s, text, sizeof(text));
            el_out_str(o, "    <market-blocked-by");
            xml_key(o, "members", text);
            el_out_str(o, " gap=\"");
            el_out_num(o, core->market_gap);
            el_out_str(o, "\"/>\n");
        }
        for (k = 0; k < nt; k++) {
            members_text(s, g, top[k], text, sizeof(text));
            el_out_str(o, "    <coalition");
            xml_key(o, "members", text);
            el_out_str(o, " value=\"");
            el_out_num(o, g->v[top[k]]);
            el_out_str(o, "\"/>\n");
        }
        if (res->have_structures)
            xml_structures(w, g, &res->structures);
        el_out_str(o, "  </coalitions>\n");
        return flush_some(w, err);
    }
    ok = csv_label(w, a->id) && csv_row(w, "total", "members", g->n, NULL) &&
         csv_row(w, "total", "grand_coalition", g->v[(1u << g->n) - 1u], w->unit[EL_UNIT_MONEY]) &&
         csv_row(w, "total", "superadditive", g->superadditive, NULL) &&
         csv_row(w, "total", "core_empty", core->empty, NULL) &&
         csv_row(w, "total", "least_core", core->eps, w->unit[EL_UNIT_MONEY]) &&
         csv_row(w, "total", "market_in_core", core->market_in_core, NULL);
    for (k = 0; ok && k < g->n; k++) {
        const char *id = s->jur[g->members[k]].id;
        ok = csv_row(w, id, "market_gain", g->market[k], w->unit[EL_UNIT_MONEY]) &&
             csv_row(w, id, "shapley", g->shapley[k], w->unit[EL_UNIT_MONEY]) &&
             csv_row(w, id, "transfer", g->shapley[k] - g->market[k], w->unit[EL_UNIT_MONEY]) &&
             csv_row(w, id, "least_core", core->x[k], w->unit[EL_UNIT_MONEY]) &&
             (!nucleolus || csv_row(w, id, "nucleolus", nucleolus[k], w->unit[EL_UNIT_MONEY]));
    }
    for (k = 0; ok && k < nt; k++) {
        members_text(s, g, top[k], text, sizeof(text));
        ok = csv_row(w, "total", "coalition_value", g->v[top[k]], text);
    }
    if (ok && res->have_structures)
        ok = csv_structures(w, g, &res->structures);
    if (!ok)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    return flush_some(w, err);
}

/* ---- coalitions.csv ---- */

/* Up to this many members coalitions.csv has every coalition; beyond, the top TOP_COALITIONS. */
#define COALITIONS_ALL_MAX 16

el_status el_results_writer_create_coalitions(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err)
{
    el_status st = el_results_writer_create(out, EL_RESULTS_CSV, f, name, err);
    if (st != EL_OK)
        return st;
    (*out)->fmt = EL_RESULTS_COALITIONS_CSV;
    (*out)->s = s;
    el_out_str(&(*out)->out, "analysis,coalition,member,variable,value\r\n");
    return EL_OK;
}

/* One row ANALYSIS,coalition,member,variable,value (the analysis set by csv_label). */
static bool coal_row(ElResultsWriter *w,
                     const char *coalition,
                     const char *member,
                     const char *variable,
                     double value)
{
    ElOut *o = &w->out;
    w->row_len = w->row_design;
    if (!row_append(w, coalition) || !row_append(w, member))
        return false;
    el_out_mem(o, w->row, w->row_len);
    el_out_csv(o, variable);
    el_out_char(o, ',');
    el_out_num(o, value);
    el_out_mem(o, "\r\n", 2);
    return true;
}

/* The rows of coalition mask m: its value, then each member's gain in it (when kept). */
static bool coal_coalition(ElResultsWriter *w, const ElGame *g, unsigned m, char *text, size_t size)
{
    int k;
    bool ok;
    members_text(w->s, g, m, text, size);
    ok = coal_row(w, text, "", "value", g->v[m]);
    for (k = 0; ok && g->gains && k < g->n; k++)
        if ((m >> k) & 1u)
            ok = coal_row(w, text, w->s->jur[g->members[k]].id, "gain",
                          g->gains[(size_t)m * (size_t)g->n + (size_t)k]);
    return ok;
}

static el_status
coalitions_csv(ElResultsWriter *w, const ElAnalysis *a, const ElCoalitionResult *res, ElError *err)
{
    const ElGame *g = &res->game;
    const ElCore *core = &res->core;
    const ElStructures *x = &res->structures;
    const ElScenario *s = w->s;
    unsigned full = (1u << g->n) - 1u, m, top[TOP_COALITIONS];
    char text[4096], second[2048];
    int k, r, nt;
    bool ok = csv_label(w, a->id);
    /* the game */
    ok = ok && coal_row(w, "", "", "members", g->n) &&
         coal_row(w, "", "", "coalitions", (double)g->evaluations) &&
         coal_row(w, "", "", "superadditive", g->superadditive) &&
         coal_row(w, "", "", "core_empty", core->empty) &&
         coal_row(w, "", "", "least_core", core->eps) &&
         coal_row(w, "", "", "market_in_core", core->market_in_core);
    if (ok && !g->superadditive) {
        members_text(s, g, g->sa_s, second, sizeof(second));
        snprintf(text, sizeof(text), "{%s}", second);
        members_text(s, g, g->sa_t, second, sizeof(second));
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "{%s}", second);
        ok = coal_row(w, text, "", "superadditivity_gap", g->sa_gap);
    }
    if (ok && !core->market_in_core) {
        members_text(s, g, core->market_s, text, sizeof(text));
        ok = coal_row(w, text, "", "market_gap", core->market_gap);
    }
    /* each member's allocations */
    for (k = 0; ok && k < g->n; k++) {
        const char *id = s->jur[g->members[k]].id;
        ok = coal_row(w, "", id, "market_gain", g->market[k]) &&
             coal_row(w, "", id, "shapley", g->shapley[k]) &&
             coal_row(w, "", id, "transfer", g->shapley[k] - g->market[k]) &&
             coal_row(w, "", id, "least_core", core->x[k]) &&
             (!res->have_nucleolus || coal_row(w, "", id, "nucleolus", res->nucleolus[k]));
    }
    /* the coalition structures */
    if (ok && res->have_structures)
        ok = coal_row(w, "", "", "partitions", (double)x->partitions) &&
             coal_row(w, "", "", "stable_market_structures",
                      (double)x->stable_count[EL_PAYOFF_MARKET]) &&
             coal_row(w, "", "", "stable_shapley_structures",
                      (double)x->stable_count[EL_PAYOFF_SHAPLEY]) &&
             coal_row(w, "", "", "cs_core_structures", (double)x->cs_core_count) &&
             coal_row(w, "", "", "best_structure_value", x->best_value) &&
             coal_row(w, "", "", "structures_listed", x->nlisted) &&
             coal_row(w, "", "", "structures_truncated", x->truncated);
    for (k = 0; ok && res->have_structures && k < x->nlisted; k++) {
        const ElStructure *p = &x->listed[k];
        double share = loss_share(g, p);
        structure_text(s, g, p, text, sizeof(text));
        ok = coal_row(w, text, "", "value", p->value) && coal_row(w, text, "", "loss", p->loss) &&
             (isnan(share) || coal_row(w, text, "", "loss_share", share)) &&
             coal_row(w, text, "", "stable_market", p->stable[EL_PAYOFF_MARKET]) &&
             coal_row(w, text, "", "stable_shapley", p->stable[EL_PAYOFF_SHAPLEY]) &&
             coal_row(w, text, "", "cs_core", p->cs_core) &&
             coal_row(w, text, "", "blocks", p->nblocks);
        for (r = 0; ok && r < EL_PAYOFF_RULES; r++)
            if (!p->stable[r]) { /* the blocking coalition: a row per member */
                unsigned b = p->blocker[r];
                int i;
                for (i = 0; ok && i < g->n; i++)
                    if ((b >> i) & 1u)
                        ok = coal_row(
                            w, text, s->jur[g->members[i]].id,
                            r == EL_PAYOFF_MARKET ? "blocked_market_by" : "blocked_shapley_by", 1);
            }
    }
    /* the coalitions: every one up to COALITIONS_ALL_MAX members, else the top ones */
    if (g->n <= COALITIONS_ALL_MAX) {
        for (m = 1; ok && m <= full; m++) {
            ok = coal_coalition(w, g, m, text, sizeof(text));
            if (ok && (m & 1023u) == 0 && w->out.error)
                break;
        }
    } else {
        nt = el_game_top_coalitions(g, top);
        for (k = 0; ok && k < nt; k++)
            ok = coal_coalition(w, g, top[k], text, sizeof(text));
    }
    if (!ok)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (coalitions.csv)");
    return w->out.error ? write_failed(w, err) : flush_some(w, err);
}

/* ---- Uncertainty (engine/uncertainty.h) ---- */

/* The statistics of a summary, in output order: their names and values. */
#define UNC_STATS (5 + EL_UQ)

static void unc_stats(const ElUncSummary *x, const char **name, double *v)
{
    static const char *const q[EL_UQ] = {"q05", "q25", "q50", "q75", "q95"};
    int k;
    name[0] = "mean";
    v[0] = x->mean;
    name[1] = "sd";
    v[1] = x->sd;
    name[2] = "se";
    v[2] = x->se;
    for (k = 0; k < EL_UQ; k++) {
        name[3 + k] = q[k];
        v[3 + k] = x->q[k];
    }
    name[3 + EL_UQ] = "min";
    v[3 + EL_UQ] = x->min;
    name[4 + EL_UQ] = "max";
    v[4 + EL_UQ] = x->max;
}

/* The id of design slot d of r: "autarky" or the scenario's design. */
static const char *unc_design_id(const ElScenario *s, const ElUncertaintyResult *r, int d)
{
    return d == 0 ? "autarky" : s->designs[r->a->designs[d - 1]]->id;
}

static const ElUncSummary *unc_summary(const ElUncertaintyResult *r, int d, int j, ElUncVar v)
{
    return &r->jur[((size_t)d * (size_t)r->njur + (size_t)j) * EL_UV_COUNT + (size_t)v];
}

/* risk sharing: mean gain less effort sharing (NaN when either is) */
static double unc_risk(double mean, double effort)
{
    return isnan(mean) || isnan(effort) ? nan("") : mean - effort;
}

/* ` name="v"` for a finite v (nothing for NaN: the attribute is absent). */
static void xml_num_attr(ElOut *o, const char *name, double v)
{
    if (isnan(v))
        return;
    el_out_char(o, ' ');
    el_out_str(o, name);
    el_out_mem(o, "=\"", 2);
    el_out_num(o, v);
    el_out_char(o, '"');
}

/* <TAG mean sd se q05 ... max (extra attributes follow; the caller closes the element). */
static void xml_summary(ElOut *o, const char *indent, const char *tag, const ElUncSummary *x)
{
    const char *name[UNC_STATS];
    double v[UNC_STATS];
    int k;
    unc_stats(x, name, v);
    el_out_str(o, indent);
    el_out_char(o, '<');
    el_out_str(o, tag);
    for (k = 0; k < UNC_STATS; k++)
        xml_num_attr(o, name[k], v[k]);
}

static void xml_uncertainty(ElResultsWriter *w, const ElUncertaintyResult *r)
{
    static const char *const tags[EL_UV_COUNT] = {"price", "abatement", "net-imports", "emissions",
                                                  "gain"};
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    char num[32];
    int d, j, v;
    el_out_str(o, "  <uncertainty");
    xml_key(o, "id", r->a->id);
    xml_num_attr(o, "draws", (double)r->draws);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)r->a->unc->seed);
    xml_key(o, "seed", num);
    xml_num_attr(o, "invalid", (double)r->invalid);
    xml_num_attr(o, "no-autarky", (double)r->no_autarky);
    xml_num_attr(o, "rank-error", r->rank_error);
    el_out_str(o, ">\n");
    for (d = 0; d <= r->nd; d++) {
        el_out_str(o, "    <design");
        xml_key(o, "id", unc_design_id(s, r, d));
        xml_num_attr(o, "used", (double)r->used[d]);
        xml_num_attr(o, "no-equilibrium", (double)r->no_eq[d]);
        el_out_str(o, ">\n");
        if (d > 0) {
            xml_summary(o, "      ", "total-gain", &r->total[d]);
            xml_num_attr(o, "effort", r->effort_total[d]);
            xml_num_attr(o, "risk", unc_risk(r->total[d].mean, r->effort_total[d]));
            el_out_str(o, "/>\n");
        }
        for (j = 0; j < r->njur; j++) {
            size_t sj = (size_t)d * (size_t)r->njur + (size_t)j;
            el_out_str(o, "      <jurisdiction");
            xml_key(o, "id", s->jur[j].id);
            el_out_str(o, ">\n");
            for (v = 0; v < EL_UV_COUNT; v++) {
                const ElUncSummary *x = unc_summary(r, d, j, (ElUncVar)v);
                if (d == 0 && v == EL_UV_GAIN) /* no gain in autarky */
                    continue;
                xml_summary(o, "        ", tags[v], x);
                if (d > 0 && v == EL_UV_PRICE)
                    xml_num_attr(o, "variance-change", r->price_var_change[sj]);
                if (d > 0 && v == EL_UV_GAIN) {
                    xml_num_attr(o, "effort", r->effort[sj]);
                    xml_num_attr(o, "risk", unc_risk(x->mean, r->effort[sj]));
                    if (r->used[d] > 0) {
                        xml_num_attr(o, "p-loss", r->p_loss[sj]);
                        xml_num_attr(o, "p-loss-se", r->p_loss_se[sj]);
                    }
                }
                el_out_str(o, "/>\n");
            }
            el_out_str(o, "      </jurisdiction>\n");
        }
        el_out_str(o, "    </design>\n");
    }
    el_out_str(o, "  </uncertainty>\n");
}

/* results.csv: ID (the counts), then ID/DESIGN per design: price mean and sd, mean gain,
 * effort and risk sharing, the probability of a loss. A NaN writes no row. */
static bool csv_uncertainty(ElResultsWriter *w, const ElUncertaintyResult *r)
{
    const ElScenario *s = w->s;
    const char *money = w->unit[EL_UNIT_MONEY], *price = w->unit[EL_UNIT_PRICE];
    char label[600];
    int d, j;
    bool ok = csv_label(w, r->a->id) && csv_row(w, "total", "draws", (double)r->draws, NULL) &&
              csv_row(w, "total", "invalid", (double)r->invalid, NULL) &&
              csv_row(w, "total", "no_autarky", (double)r->no_autarky, NULL);
#define ROW(who, var, v, unit) (isnan(v) || csv_row(w, who, var, v, unit))
    for (d = 0; ok && d <= r->nd; d++) {
        snprintf(label, sizeof(label), "%s/%s", r->a->id, unc_design_id(s, r, d));
        ok = csv_label(w, label) && csv_row(w, "total", "used", (double)r->used[d], NULL) &&
             csv_row(w, "total", "no_equilibrium", (double)r->no_eq[d], NULL);
        if (ok && d > 0)
            ok = ROW("total", "gain_mean", r->total[d].mean, money) &&
                 ROW("total", "gain_se", r->total[d].se, money) &&
                 ROW("total", "effort", r->effort_total[d], money) &&
                 ROW("total", "risk", unc_risk(r->total[d].mean, r->effort_total[d]), money);
        for (j = 0; ok && j < r->njur; j++) {
            size_t sj = (size_t)d * (size_t)r->njur + (size_t)j;
            const char *id = s->jur[j].id;
            const ElUncSummary *p = unc_summary(r, d, j, EL_UV_PRICE);
            const ElUncSummary *g = unc_summary(r, d, j, EL_UV_GAIN);
            ok = ROW(id, "price_mean", p->mean, price) && ROW(id, "price_sd", p->sd, price);
            if (ok && d > 0)
                ok = ROW(id, "gain_mean", g->mean, money) &&
                     ROW(id, "effort", r->effort[sj], money) &&
                     ROW(id, "risk", unc_risk(g->mean, r->effort[sj]), money) &&
                     (r->used[d] == 0 || csv_row(w, id, "p_loss", r->p_loss[sj], NULL));
        }
    }
#undef ROW
    return ok;
}

/* uncertainty.csv: one row ANALYSIS,design,jurisdiction,variable,statistic,value (the analysis
 * set by csv_label); a NaN writes no row. */
static bool unc_row(ElResultsWriter *w,
                    const char *design,
                    const char *jur,
                    const char *variable,
                    const char *statistic,
                    double value)
{
    ElOut *o = &w->out;
    if (isnan(value))
        return true;
    w->row_len = w->row_design;
    if (!row_append(w, design) || !row_append(w, jur))
        return false;
    el_out_mem(o, w->row, w->row_len);
    el_out_str(o, variable);
    el_out_char(o, ',');
    el_out_str(o, statistic);
    el_out_char(o, ',');
    el_out_num(o, value);
    el_out_mem(o, "\r\n", 2);
    return true;
}

static bool unc_summary_rows(ElResultsWriter *w,
                             const char *design,
                             const char *jur,
                             const char *variable,
                             const ElUncSummary *x)
{
    const char *name[UNC_STATS];
    double v[UNC_STATS];
    int k;
    bool ok = true;
    unc_stats(x, name, v);
    for (k = 0; ok && k < UNC_STATS; k++)
        ok = unc_row(w, design, jur, variable, name[k], v[k]);
    return ok;
}

static el_status uncertainty_csv(ElResultsWriter *w, const ElUncertaintyResult *r, ElError *err)
{
    const ElScenario *s = w->s;
    el_status st;
    int d, j, v;
    bool ok = csv_label(w, r->a->id) && unc_row(w, "", "", "draws", "count", (double)r->draws) &&
              unc_row(w, "", "", "draws", "invalid", (double)r->invalid) &&
              unc_row(w, "", "", "draws", "no_autarky", (double)r->no_autarky) &&
              unc_row(w, "", "", "quantiles", "rank_error", r->rank_error);
    for (d = 0; ok && d <= r->nd; d++) {
        const char *des = unc_design_id(s, r, d);
        ok = unc_row(w, des, "total", "draws", "used", (double)r->used[d]) &&
             unc_row(w, des, "total", "draws", "no_equilibrium", (double)r->no_eq[d]);
        if (ok && d > 0)
            ok = unc_summary_rows(w, des, "total", "gain", &r->total[d]) &&
                 unc_row(w, des, "total", "gain", "effort", r->effort_total[d]) &&
                 unc_row(w, des, "total", "gain", "risk",
                         unc_risk(r->total[d].mean, r->effort_total[d]));
        for (j = 0; ok && j < r->njur; j++) {
            size_t sj = (size_t)d * (size_t)r->njur + (size_t)j;
            const char *id = s->jur[j].id;
            for (v = 0; ok && v < EL_UV_COUNT; v++)
                if (d > 0 || v != EL_UV_GAIN)
                    ok = unc_summary_rows(w, des, id, el_unc_var_name((ElUncVar)v),
                                          unc_summary(r, d, j, (ElUncVar)v));
            if (ok && d > 0)
                ok = unc_row(w, des, id, "gain", "effort", r->effort[sj]) &&
                     unc_row(w, des, id, "gain", "risk",
                             unc_risk(unc_summary(r, d, j, EL_UV_GAIN)->mean, r->effort[sj])) &&
                     (r->used[d] == 0 ||
                      (unc_row(w, des, id, "gain", "p_loss", r->p_loss[sj]) &&
                       unc_row(w, des, id, "gain", "p_loss_se", r->p_loss_se[sj]))) &&
                     unc_row(w, des, id, "price", "price_var_change", r->price_var_change[sj]);
        }
        st = ok ? flush_some(w, err) : EL_OK;
        if (st != EL_OK)
            return st;
    }
    if (!ok)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (uncertainty.csv)");
    return w->out.error ? write_failed(w, err) : flush_some(w, err);
}

el_status
el_results_writer_uncertainty(ElResultsWriter *w, const ElUncertaintyResult *r, ElError *err)
{
    if (w->fmt == EL_RESULTS_UNCERTAINTY_CSV)
        return uncertainty_csv(w, r, err);
    if (w->fmt == EL_RESULTS_XML) {
        xml_uncertainty(w, r);
        return flush_some(w, err);
    }
    if (w->fmt != EL_RESULTS_CSV)
        return EL_OK; /* coalitions.csv, draws.csv: not theirs */
    if (!csv_uncertainty(w, r))
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (results.csv)");
    return flush_some(w, err);
}

el_status el_results_writer_create_uncertainty(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err)
{
    el_status st = el_results_writer_create(out, EL_RESULTS_CSV, f, name, err);
    if (st != EL_OK)
        return st;
    (*out)->fmt = EL_RESULTS_UNCERTAINTY_CSV;
    (*out)->s = s;
    el_out_str(&(*out)->out, "analysis,design,jurisdiction,variable,statistic,value\r\n");
    return EL_OK;
}

/* ---- draws.csv ---- */

el_status el_results_writer_create_draws(
    ElResultsWriter **out, FILE *f, const char *name, const ElScenario *s, ElError *err)
{
    el_status st = el_results_writer_create(out, EL_RESULTS_CSV, f, name, err);
    if (st != EL_OK)
        return st;
    (*out)->fmt = EL_RESULTS_DRAWS_CSV;
    (*out)->s = s;
    el_out_str(&(*out)->out, "analysis,draw,design,jurisdiction,price,abatement,net_imports,"
                             "emissions,gain,status\r\n");
    return EL_OK;
}

el_status el_results_writer_draws_begin(ElResultsWriter *w, const ElAnalysis *a, ElError *err)
{
    w->draws = a;
    w->draw_autarky = false;
    if (!csv_label(w, a->id))
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (draws.csv)");
    return EL_OK;
}

el_status el_results_draw_sink(void *ctx, long draw, int d, const ElDesignResult *r, ElError *err)
{
    ElResultsWriter *w = ctx;
    const ElScenario *s = w->s;
    ElOut *o = &w->out;
    const char *status, *des = d == 0 ? "autarky" : s->designs[w->draws->designs[d - 1]]->id;
    bool values;
    int j;
    if (d == 0)
        w->draw_autarky = r && r->outcome == EL_OPTIMAL;
    if (!r)
        status = "invalid";
    else if (d > 0 && !w->draw_autarky)
        status = "no-autarky"; /* not solved: no gain can be measured */
    else if (r->outcome != EL_OPTIMAL)
        status = "no-equilibrium";
    else
        status = "ok";
    values = r && r->outcome == EL_OPTIMAL && (d == 0 || w->draw_autarky);
    for (j = 0; j < s->njur; j++) {
        el_out_mem(o, w->row, w->row_design);
        el_out_num(o, (double)draw);
        el_out_char(o, ',');
        el_out_csv(o, des);
        el_out_char(o, ',');
        el_out_csv(o, s->jur[j].id);
        if (values) {
            const ElJurResult *q = &r->jur[j];
            el_out_char(o, ',');
            el_out_num(o, q->price);
            el_out_char(o, ',');
            el_out_num(o, q->abatement);
            el_out_char(o, ',');
            el_out_num(o, q->net_imports);
            el_out_char(o, ',');
            el_out_num(o, q->emissions);
            el_out_char(o, ',');
            el_out_num(o, d == 0 ? 0 : q->gain);
            el_out_char(o, ',');
        } else {
            el_out_mem(o, ",,,,,,", 6);
        }
        el_out_str(o, status);
        el_out_mem(o, "\r\n", 2);
    }
    return flush_some(w, err);
}

/* ---- A run in memory: the sink driven in a loop ---- */

static el_status write_run(const ElRun *run, ElResultsFormat fmt, FILE *f, ElError *err)
{
    ElResultsWriter *w;
    ElSink sink;
    el_status st = el_results_writer_create(&w, fmt, f, NULL, err);
    int d;
    if (st != EL_OK)
        return st;
    sink = el_results_writer_sink(w);
    st = sink.begin(sink.ctx, run->scenario, run->ndesigns, err);
    if (st == EL_OK)
        st = sink.result(sink.ctx, -1, NULL, &run->autarky, NULL, err);
    for (d = 0; st == EL_OK && d < run->ndesigns; d++)
        st = sink.result(sink.ctx, d, NULL, &run->designs[d], &run->autarky, err);
    if (st == EL_OK)
        st = sink.end(sink.ctx, true, err);
    else
        sink.end(sink.ctx, false, NULL);
    el_results_writer_free(w);
    return st;
}

void el_results_write_xml_stream(const ElRun *run, FILE *f)
{
    write_run(run, EL_RESULTS_XML, f, NULL);
}

void el_results_write_csv_stream(const ElRun *run, FILE *f)
{
    write_run(run, EL_RESULTS_CSV, f, NULL);
}

static el_status write_atomic(const ElRun *run, const char *path, ElResultsFormat fmt, ElError *err)
{
    ElOutFile *of;
    el_status st = el_outfile_open(&of, path, err);
    if (st != EL_OK)
        return st;
    st = write_run(run, fmt, el_outfile_stream(of), err);
    if (st != EL_OK) {
        el_outfile_abort(of);
        return st;
    }
    return el_outfile_commit(of, err);
}

el_status el_results_write_xml(const ElRun *run, const char *path, ElError *err)
{
    return write_atomic(run, path, EL_RESULTS_XML, err);
}

el_status el_results_write_csv(const ElRun *run, const char *path, ElError *err)
{
    return write_atomic(run, path, EL_RESULTS_CSV, err);
}
