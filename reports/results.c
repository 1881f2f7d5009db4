/* results.xml and results.csv. Element and column order is fixed; every number goes through
 * el_fmt_num, every string through an escaper, so the same input gives the same bytes. */
#include "results.h"

#include "el_io.h"
#include "fmt.h"

static void attr(FILE *f, const char *name, double v)
{
    fprintf(f, " %s=\"", name);
    el_fmt_num(f, v);
    fputc('"', f);
}

static void sattr(FILE *f, const char *name, const char *v)
{
    fprintf(f, " %s=\"", name);
    el_fmt_xml(f, v);
    fputc('"', f);
}

static const char *const rent_names[] = {"buyer", "buyer-government", "seller"};

const char *el_results_outcome_name(ElOutcome o)
{
    return o == EL_INFEASIBLE ? "no-equilibrium" : el_outcome_name(o);
}

/* A design without an equilibrium: its outcome and each jurisdiction's shortfall, nothing
 * else (it has no prices, quantities or gains). */
static void xml_failed(const ElScenario *s, const ElDesignResult *r, FILE *f)
{
    int j;
    for (j = 0; j < r->njur; j++) {
        fputs("    <shortfall", f);
        sattr(f, "jurisdiction", s->jur[j].id);
        attr(f, "quantity", r->jur[j].shortfall);
        fputs("/>\n", f);
    }
    fputs("  </design>\n", f);
}

static void xml_design(const ElScenario *s, const ElDesignResult *r, FILE *f)
{
    const ElDesign *des = r->design;
    int j, l;
    fputs("  <design", f);
    sattr(f, "id", r->id);
    sattr(f, "outcome", el_results_outcome_name(r->outcome));
    fputs(">\n", f);
    if (r->outcome != EL_OPTIMAL) {
        xml_failed(s, r, f);
        return;
    }
    for (j = 0; j < r->njur; j++) {
        const ElJurResult *q = &r->jur[j];
        fputs("    <jurisdiction", f);
        sattr(f, "id", s->jur[j].id);
        attr(f, "price", q->price);
        attr(f, "abatement", q->abatement);
        attr(f, "emissions", q->emissions);
        attr(f, "net-imports", q->net_imports);
        attr(f, "abatement-cost", q->abatement_cost);
        attr(f, "payments", q->payments);
        attr(f, "national-cost", q->national_cost);
        attr(f, "gain", q->gain);
        sattr(f, "binding", el_binding_name(q->binding));
        attr(f, "offsets", q->offsets);
        attr(f, "project-credits", q->project_credits);
        attr(f, "withheld", q->withheld);
        attr(f, "released", q->released);
        attr(f, "penalised", q->penalised);
        attr(f, "taxed", q->taxed);
        attr(f, "payments-abroad", q->payments_abroad);
        attr(f, "receipts-abroad", q->receipts_abroad);
        attr(f, "firms-cost", q->firms_cost);
        attr(f, "gov-revenue", q->gov_revenue);
        attr(f, "offset-surplus", q->offset_surplus);
        attr(f, "ndc-emissions", q->ndc_emissions);
        fputs("/>\n", f);
    }
    for (l = 0; l < r->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        fputs("    <link", f);
        sattr(f, "from", s->jur[lk->from].id);
        sattr(f, "to", s->jur[lk->to].id);
        attr(f, "units", r->link[l].units);
        attr(f, "credited", r->link[l].credited);
        attr(f, "unit-price", r->link[l].unit_price);
        attr(f, "rent", r->link[l].rent);
        sattr(f, "rent-to", rent_names[lk->rent_to]);
        fputs("/>\n", f);
    }
    for (l = 0; l < r->npools; l++) {
        const ElPoolResult *q = &r->pool[l];
        if (!q->used)
            continue;
        fputs("    <pool", f);
        sattr(f, "id", s->pools[l].id);
        sattr(f, "host", s->pools[l].host >= 0 ? s->jur[s->pools[l].host].id : "ROW");
        attr(f, "price", q->price);
        attr(f, "supplied", q->supplied);
        attr(f, "supply-cost", q->supply_cost);
        attr(f, "receipts", q->receipts);
        fputs("/>\n", f);
    }
    for (l = 0; l < r->naccepts; l++) {
        const ElAcceptResult *q = &r->accept[l];
        fputs("    <offset", f);
        sattr(f, "pool", s->pools[q->pool].id);
        sattr(f, "jurisdiction", s->jur[q->jur].id);
        attr(f, "credits", q->credits);
        attr(f, "credited", q->credited);
        attr(f, "payment", q->payment);
        fputs("/>\n", f);
    }
    for (l = 0; l < r->nprojects; l++) {
        const ElProjectResult *q = &r->project[l];
        fputs("    <project", f);
        sattr(f, "id", des->projects[l].id);
        sattr(f, "built", q->built ? "true" : "false");
        attr(f, "credits", q->credits);
        attr(f, "cost", q->cost);
        fputs("/>\n", f);
    }
    fputs("    <total", f);
    attr(f, "abatement-cost", r->abatement_cost);
    attr(f, "total-cost", r->total_cost);
    attr(f, "national-cost", r->national_cost);
    attr(f, "row-surplus", r->row_surplus);
    attr(f, "gain", r->gain);
    fputs("/>\n  </design>\n", f);
}

void el_results_write_xml_stream(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    int d;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results", f);
    sattr(f, "scenario", s->name);
    sattr(f, "currency", s->currency);
    sattr(f, "unit", s->unit);
    fputs(">\n", f);
    for (d = 0; d < run->ndesigns; d++)
        xml_design(s, &run->designs[d], f);
    fputs("</results>\n", f);
}

static void
row(FILE *f, const char *design, const char *who, const char *var, double v, const char *unit)
{
    el_fmt_csv(f, design);
    fputc(',', f);
    el_fmt_csv(f, who);
    fputc(',', f);
    el_fmt_csv(f, var);
    fputc(',', f);
    el_fmt_num(f, v);
    fputc(',', f);
    el_fmt_csv(f, unit);
    fputs("\r\n", f);
}

void el_results_write_csv_stream(const ElRun *run, FILE *f)
{
    const ElScenario *s = run->scenario;
    char money[96], price[96], who[200];
    int d, j, l;
    snprintf(price, sizeof(price), "%s/t", s->currency);
    snprintf(money, sizeof(money), "million %s", s->currency);
    fputs("design,jurisdiction,variable,value,unit\r\n", f);
    for (d = 0; d < run->ndesigns; d++) {
        const ElDesignResult *r = &run->designs[d];
        const ElDesign *des = r->design;
        /* 1 with an equilibrium, 0 without; the unit column names the outcome */
        row(f, r->id, "total", "outcome", r->outcome == EL_OPTIMAL ? 1.0 : 0.0,
            el_results_outcome_name(r->outcome));
        if (r->outcome != EL_OPTIMAL) {
            for (j = 0; j < r->njur; j++)
                row(f, r->id, s->jur[j].id, "shortfall", r->jur[j].shortfall, "Mt");
            continue;
        }
        for (j = 0; j < r->njur; j++) {
            const ElJurResult *q = &r->jur[j];
            const char *id = s->jur[j].id;
            row(f, r->id, id, "price", q->price, price);
            row(f, r->id, id, "abatement", q->abatement, "Mt");
            row(f, r->id, id, "emissions", q->emissions, "Mt");
            row(f, r->id, id, "net_imports", q->net_imports, "Mt");
            row(f, r->id, id, "abatement_cost", q->abatement_cost, money);
            row(f, r->id, id, "payments", q->payments, money);
            row(f, r->id, id, "national_cost", q->national_cost, money);
            row(f, r->id, id, "gain", q->gain, money);
            /* the instrument setting the price: its code, named in the unit column */
            row(f, r->id, id, "binding", (double)q->binding, el_binding_name(q->binding));
            row(f, r->id, id, "offsets", q->offsets, "Mt");
            row(f, r->id, id, "project_credits", q->project_credits, "Mt");
            row(f, r->id, id, "withheld", q->withheld, "Mt");
            row(f, r->id, id, "released", q->released, "Mt");
            row(f, r->id, id, "penalised", q->penalised, "Mt");
            row(f, r->id, id, "taxed", q->taxed, "Mt");
            row(f, r->id, id, "payments_abroad", q->payments_abroad, money);
            row(f, r->id, id, "receipts_abroad", q->receipts_abroad, money);
            row(f, r->id, id, "firms_cost", q->firms_cost, money);
            row(f, r->id, id, "gov_revenue", q->gov_revenue, money);
            row(f, r->id, id, "offset_surplus", q->offset_surplus, money);
            row(f, r->id, id, "ndc_emissions", q->ndc_emissions, "Mt");
        }
        for (l = 0; l < r->nlinks; l++) {
            snprintf(who, sizeof(who), "%s->%s", s->jur[des->links[l].from].id,
                     s->jur[des->links[l].to].id);
            row(f, r->id, who, "link_units", r->link[l].units, "Mt");
            row(f, r->id, who, "link_credited", r->link[l].credited, "Mt");
            row(f, r->id, who, "link_unit_price", r->link[l].unit_price, price);
            row(f, r->id, who, "link_rent", r->link[l].rent, money);
        }
        for (l = 0; l < r->npools; l++) {
            if (!r->pool[l].used)
                continue;
            snprintf(who, sizeof(who), "pool:%s", s->pools[l].id);
            row(f, r->id, who, "credit_price", r->pool[l].price, price);
            row(f, r->id, who, "supplied", r->pool[l].supplied, "Mt");
            row(f, r->id, who, "supply_cost", r->pool[l].supply_cost, money);
        }
        for (l = 0; l < r->naccepts; l++) {
            snprintf(who, sizeof(who), "%s<-%s", s->jur[r->accept[l].jur].id,
                     s->pools[r->accept[l].pool].id);
            row(f, r->id, who, "offset_credits", r->accept[l].credits, "Mt");
            row(f, r->id, who, "offset_credited", r->accept[l].credited, "Mt");
        }
        for (l = 0; l < r->nprojects; l++) {
            snprintf(who, sizeof(who), "project:%s", des->projects[l].id);
            row(f, r->id, who, "built", r->project[l].built ? 1.0 : 0.0, "1 = built");
            row(f, r->id, who, "project_credits", r->project[l].credits, "Mt");
        }
        row(f, r->id, "total", "abatement_cost", r->abatement_cost, money);
        row(f, r->id, "total", "total_cost", r->total_cost, money);
        row(f, r->id, "total", "row_surplus", r->row_surplus, money);
        row(f, r->id, "total", "national_cost", r->national_cost, money);
        row(f, r->id, "total", "gain", r->gain, money);
    }
}

typedef void (*writer)(const ElRun *, FILE *);

static el_status write_atomic(const ElRun *run, const char *path, writer w, ElError *err)
{
    ElOutFile *of;
    el_status st = el_outfile_open(&of, path, err);
    if (st != EL_OK)
        return st;
    w(run, el_outfile_stream(of));
    return el_outfile_commit(of, err);
}

el_status el_results_write_xml(const ElRun *run, const char *path, ElError *err)
{
    return write_atomic(run, path, el_results_write_xml_stream, err);
}

el_status el_results_write_csv(const ElRun *run, const char *path, ElError *err)
{
    return write_atomic(run, path, el_results_write_csv_stream, err);
}
