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

static void xml_design(const ElScenario *s, const ElDesignResult *r, FILE *f)
{
    const ElDesign *des = r->design >= 0 ? &s->designs[r->design] : NULL;
    int j, l;
    fputs("  <design", f);
    sattr(f, "id", r->id);
    sattr(f, "outcome", el_outcome_name(r->outcome));
    fputs(">\n", f);
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
        fputs("/>\n", f);
    }
    for (l = 0; l < r->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        fputs("    <link", f);
        sattr(f, "from", s->jur[lk->from].id);
        sattr(f, "to", s->jur[lk->to].id);
        attr(f, "units", r->link[l].units);
        attr(f, "credited", r->link[l].credited);
        attr(f, "rent", r->link[l].rent);
        fputs("/>\n", f);
    }
    fputs("    <total", f);
    attr(f, "abatement-cost", r->abatement_cost);
    attr(f, "national-cost", r->national_cost);
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
        const ElDesign *des = &s->designs[r->design];
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
        }
        for (l = 0; l < r->nlinks; l++) {
            snprintf(who, sizeof(who), "%s->%s", s->jur[des->links[l].from].id,
                     s->jur[des->links[l].to].id);
            row(f, r->id, who, "link_units", r->link[l].units, "Mt");
            row(f, r->id, who, "link_credited", r->link[l].credited, "Mt");
            row(f, r->id, who, "link_rent", r->link[l].rent, money);
        }
        row(f, r->id, "total", "abatement_cost", r->abatement_cost, money);
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
