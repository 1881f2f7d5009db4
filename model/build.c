/* Model -> problem. See build.h for the rows and columns; docs/model.md §2 for the economics.
 * Signs: compliance rows are ">= requirement" rows, so their duals are >= 0 and equal the price
 * of one tonne of compliance in that jurisdiction; pool rows are "supply - use >= 0" rows, so
 * their duals are the credit prices. */
#include "build.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "el_alloc.h"
#include "el_uf.h"

void el_model_map_free(ElModelMap *m)
{
    if (!m)
        return;
    el_free(m->block); /* every index array lives in it */
    el_free(m->accepts);
    el_free(m);
}

/* Names for rows and columns are made only when asked for (EL_BUILD_NAMES: LP export), since
 * formatting them costs more than solving a small design. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
label(const ElModelMap *m, char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    buf[0] = '\0';
    if (!m->named)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static const char *nm(const char *buf)
{
    return buf[0] ? buf : NULL;
}

/* The map's index arrays share one allocation (a small design's build is dominated by
 * allocations otherwise). */
static el_status alloc_map(ElModelMap **out, const ElModelData *md, ElError *err)
{
    const ElScenario *s = md->s;
    const ElDesign *des = md->d;
    ElModelMap *m = el_calloc(1, sizeof(*m));
    int nj = s->njur, k, *at;
    size_t total, members = 0;
    *out = NULL;
    if (!m)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (model map)");
    m->njur = nj;
    m->nlinks = des ? des->nlinks : 0;
    m->ngroups = des ? des->ngroups : 0;
    m->npools = s->npools;
    m->naccepts = md->naccepts;
    m->nexport_caps = des ? des->nexport_caps : 0;
    m->nprojects = des ? des->nprojects : 0;
    m->nimport_limits = des ? des->nimport_limits : 0;
    for (k = 0; m->nimport_limits > 0 && k < m->ngroups; k++)
        members += (size_t)des->groups[k].n; /* import parts are needed only with limits */
    total = (size_t)nj * (6 + EL_INSTR_KINDS) + 2 * (size_t)m->nlinks + 2 * (size_t)m->ngroups +
            3 * (size_t)m->npools + (size_t)m->nexport_caps + 2 * (size_t)m->nprojects +
            (size_t)m->nimport_limits + members;
    m->block = el_calloc(total > 0 ? total : 1, sizeof(int));
    m->accepts = el_calloc((size_t)(m->naccepts > 0 ? m->naccepts : 1), sizeof(*m->accepts));
    if (!m->block || !m->accepts) {
        el_model_map_free(m);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (model map)");
    }
    at = m->block;
#define TAKE(field, n) (m->field = at, at += (n))
    TAKE(abate_first, nj);
    TAKE(abate_count, nj);
    TAKE(comply_row, nj);
    TAKE(short_col, nj);
    TAKE(tax_col, nj);
    TAKE(credit_row, nj);
    for (k = 0; k < EL_INSTR_KINDS; k++)
        TAKE(instr_col[k], nj);
    TAKE(link_col, m->nlinks);
    TAKE(link_share_row, m->nlinks);
    TAKE(group_row, m->ngroups);
    TAKE(group_first_col, m->ngroups);
    TAKE(pool_row, m->npools);
    TAKE(pool_first_col, m->npools);
    TAKE(pool_count, m->npools);
    TAKE(export_row, m->nexport_caps);
    TAKE(project_col, m->nprojects);
    TAKE(project_first_col, m->nprojects);
    TAKE(import_row, m->nimport_limits);
    TAKE(import_group_col, (int)members);
#undef TAKE
    for (k = 0; k < md->naccepts; k++)
        m->accepts[k].spec = md->accepts[k];
    *out = m;
    return EL_OK;
}

/* A column with one coefficient in row r. */
static el_status col1(ElProblem *p,
                      const char *name,
                      double c,
                      double h,
                      double lo,
                      double up,
                      int r,
                      double v,
                      int *idx,
                      ElError *err)
{
    int col;
    el_status st = el_problem_add_col(p, name, c, h, lo, up, &col, err);
    if (st == EL_OK && r >= 0)
        st = el_problem_add_coef(p, r, col, v, err);
    if (idx)
        *idx = col;
    return st;
}

static el_status
build_jurisdictions(const ElModelData *md, bool elastic, ElProblem *p, ElModelMap *m, ElError *err)
{
    static const double sign[EL_INSTR_KINDS] = {-1.0, 1.0, 1.0}; /* floor withholds supply */
    static const char *const tag[EL_INSTR_KINDS] = {"floor", "ceiling", "penalty"};
    char name[96];
    el_status st = EL_OK;
    int j, k;
    for (j = 0; j < md->njur && st == EL_OK; j++) {
        const ElJurData *ju = &md->jur[j];
        int r;
        label(m, name, sizeof(name), "comply_%d", j);
        st =
            el_problem_add_row(p, nm(name), ju->requirement, HUGE_VAL, EL_ROW_REQUIREMENT, &r, err);
        m->comply_row[j] = r;
        m->abate_first[j] = p->ncols;
        m->abate_count[j] = ju->npieces;
        for (k = 0; st == EL_OK && k < m->abate_count[j]; k++) {
            const ElMacPiece *pc = el_model_data_piece(md, j, k);
            label(m, name, sizeof(name), "abate_%d_%d", j, k);
            st = col1(p, nm(name), elastic ? 0 : pc->p0, elastic ? 0 : pc->slope, 0, pc->width, r,
                      1.0, NULL, err);
        }
        for (k = 0; k < EL_INSTR_KINDS; k++) {
            const ElInstrument *in = &ju->instr[k];
            m->instr_col[k][j] = -1;
            if (!ju->has_instr[k] || st != EL_OK)
                continue;
            label(m, name, sizeof(name), "%s_%d", tag[k], j);
            st = col1(p, nm(name), elastic ? 0 : sign[k] * in->price, 0, 0,
                      k == EL_INSTR_PENALTY ? HUGE_VAL : in->volume, r, sign[k],
                      &m->instr_col[k][j], err);
        }
        m->tax_col[j] = -1;
        if (st == EL_OK && ju->kind == EL_CAP_TAX) {
            label(m, name, sizeof(name), "tax_%d", j);
            st = col1(p, nm(name), elastic ? 0 : ju->tax_rate, 0, 0, HUGE_VAL, r, 1.0,
                      &m->tax_col[j], err);
        }
        m->short_col[j] = -1;
        if (st == EL_OK && elastic) {
            label(m, name, sizeof(name), "short_%d", j);
            st = col1(p, nm(name), 1.0, 0, 0, HUGE_VAL, r, 1.0, &m->short_col[j], err);
        }
    }
    return st;
}

static el_status build_links(const ElModelData *md, ElProblem *p, ElModelMap *m, ElError *err)
{
    const ElDesign *des = md->d;
    char name[96];
    el_status st = EL_OK;
    int l, k, g;
    for (l = 0; des && l < des->nlinks && st == EL_OK; l++) {
        const ElLink *lk = &des->links[l];
        label(m, name, sizeof(name), "link_%d", l);
        st = col1(p, nm(name), 0, 0, 0, lk->quota / lk->rate, m->comply_row[lk->to], lk->rate,
                  &m->link_col[l], err);
        if (st == EL_OK)
            st = el_problem_add_coef(p, m->comply_row[lk->from], m->link_col[l], -1.0, err);
        m->link_share_row[l] = -1;
        if (st == EL_OK && !isnan(lk->quota_share)) {
            /* rate x + s * abatement_to <= s * bau_to, i.e. credited units <= s * emissions */
            int r, to = lk->to;
            label(m, name, sizeof(name), "share_%d", l);
            st = el_problem_add_row(p, nm(name), -HUGE_VAL, lk->quota_share * md->jur[to].bau,
                                    EL_ROW_PLAIN, &r, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->link_col[l], lk->rate, err);
            for (k = 0; st == EL_OK && k < m->abate_count[to]; k++)
                if (lk->quota_share > 0)
                    st = el_problem_add_coef(p, r, m->abate_first[to] + k, lk->quota_share, err);
            m->link_share_row[l] = r;
        }
    }
    for (g = 0; des && g < des->ngroups && st == EL_OK; g++) {
        const ElGroup *gr = &des->groups[g];
        label(m, name, sizeof(name), "group_%d", g);
        st = el_problem_add_row(p, nm(name), 0, 0, EL_ROW_PLAIN, &m->group_row[g], err);
        m->group_first_col[g] = p->ncols;
        for (k = 0; k < gr->n && st == EL_OK; k++) {
            int col, j2 = gr->members[k];
            label(m, name, sizeof(name), "trade_%d_%d", g, j2);
            st = col1(p, nm(name), 0, 0, -HUGE_VAL, HUGE_VAL, m->comply_row[j2], 1.0, &col, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, m->group_row[g], col, 1.0, err);
        }
    }
    return st;
}

/* Credits pool k can usefully supply in this design: each acceptance credits at most its limit
 * and never more than the emissions (BAU) of the jurisdictions its user trades with through the
 * design's links, groups, projects and shared pools. The supply curve is cut beyond that, so
 * that a
 * curve without an end gets a width that depends only on what the design uses (never on other
 * jurisdictions or designs of the file). cut[k] receives the bound in credits. */
static el_status pool_bounds(const ElModelData *md, const ElModelMap *m, double *cut, ElError *err)
{
    const ElScenario *s = md->s;
    const ElDesign *des = md->d;
    int *parent = el_calloc((size_t)s->njur + 1, sizeof(int));
    double *bau = el_calloc((size_t)s->njur + 1, sizeof(double));
    int *first = el_calloc((size_t)s->npools + 1, sizeof(int));
    int j, k, a;
    if (!parent || !bau || !first) {
        el_free(parent);
        el_free(bau);
        el_free(first);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (pool bounds)");
    }
    for (j = 0; j < s->njur; j++)
        parent[j] = j;
    for (k = 0; k < s->npools; k++)
        first[k] = -1;
    for (k = 0; des && k < des->nlinks; k++)
        el_uf_union(parent, des->links[k].from, des->links[k].to);
    for (k = 0; des && k < des->ngroups; k++)
        for (j = 1; j < des->groups[k].n; j++)
            el_uf_union(parent, des->groups[k].members[0], des->groups[k].members[j]);
    for (k = 0; des && k < des->nprojects; k++)
        for (j = 1; j < des->projects[k].n; j++)
            el_uf_union(parent, des->projects[k].members[0], des->projects[k].members[j]);
    for (a = 0; a < m->naccepts; a++) {
        const ElAccept *ac = &m->accepts[a].spec;
        if (first[ac->pool] < 0)
            first[ac->pool] = ac->jur;
        else
            el_uf_union(parent, first[ac->pool], ac->jur);
    }
    for (j = 0; j < s->njur; j++)
        bau[el_uf_find(parent, j)] += md->jur[j].bau;
    for (k = 0; k < s->npools; k++)
        cut[k] = 0;
    for (a = 0; a < m->naccepts; a++) {
        const ElAccept *ac = &m->accepts[a].spec;
        cut[ac->pool] += fmin(ac->limit, bau[el_uf_find(parent, ac->jur)]) / ac->discount;
    }
    /* the curve goes on past what can be used (twice that, plus 1 Mt), so that a supply curve
     * that continues is never cut exactly at the demand: its price there stays its own */
    for (k = 0; k < s->npools; k++)
        cut[k] = 2 * cut[k] + 1;
    el_free(parent);
    el_free(bau);
    el_free(first);
    return EL_OK;
}

static el_status
build_offsets(const ElModelData *md, bool elastic, ElProblem *p, ElModelMap *m, ElError *err)
{
    const ElScenario *s = md->s;
    char name[96];
    double *cut = el_calloc((size_t)s->npools + 1, sizeof(double));
    el_status st = cut ? pool_bounds(md, m, cut, err)
                       : el_error_set(err, EL_ERR_NOMEM, "out of memory (pool bounds)");
    int k, a, i;
    for (k = 0; k < s->npools; k++)
        m->pool_row[k] = -1;
    for (a = 0; a < m->naccepts && st == EL_OK; a++) {
        const ElAccept *ac = &m->accepts[a].spec;
        int pk = ac->pool, j = ac->jur;
        if (m->pool_row[pk] < 0) { /* first use of the pool: its supply curve and balance */
            const ElMac *sup = s->pools[pk].supply;
            label(m, name, sizeof(name), "pool_%d", pk);
            /* a requirement row: where its dual is an interval (a binding limit equal to a
             * step's width) the price is the left derivative, the cost of the last credit
             * supplied, as for compliance rows (docs/model.md §4) */
            st = el_problem_add_row(p, nm(name), 0, HUGE_VAL, EL_ROW_REQUIREMENT, &m->pool_row[pk],
                                    err);
            m->pool_first_col[pk] = p->ncols;
            m->pool_count[pk] = 0;
            for (i = 0; i < el_mac_piece_count(sup) && st == EL_OK; i++) {
                const ElMacPiece *pc = el_mac_piece(sup, i);
                double width = fmin(pc->width, cut[pk] - pc->q0);
                if (!(width > 0))
                    break; /* beyond what the design can use */
                label(m, name, sizeof(name), "supply_%d_%d", pk, i);
                st = col1(p, nm(name), elastic ? 0 : pc->p0, elastic ? 0 : pc->slope, 0, width,
                          m->pool_row[pk], 1.0, NULL, err);
                m->pool_count[pk]++;
            }
        }
        label(m, name, sizeof(name), "offset_%d_%d", pk, j);
        if (st == EL_OK)
            st = col1(p, nm(name), 0, 0, 0, ac->limit / ac->discount, m->comply_row[j],
                      ac->discount, &m->accepts[a].col, err);
        if (st == EL_OK)
            st = el_problem_add_coef(p, m->pool_row[pk], m->accepts[a].col, -1.0, err);
        m->accepts[a].share_row = -1;
        if (st == EL_OK && !isnan(ac->limit_share)) {
            /* discount o + s * abatement_j <= s * bau_j: credited tonnes <= s * emissions */
            int r;
            label(m, name, sizeof(name), "offset_share_%d", a);
            st = el_problem_add_row(p, nm(name), -HUGE_VAL, ac->limit_share * md->jur[j].bau,
                                    EL_ROW_PLAIN, &r, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->accepts[a].col, ac->discount, err);
            for (i = 0; st == EL_OK && i < m->abate_count[j]; i++)
                if (ac->limit_share > 0)
                    st = el_problem_add_coef(p, r, m->abate_first[j] + i, ac->limit_share, err);
            m->accepts[a].share_row = r;
        }
    }
    el_free(cut);
    return st;
}

/* Rows over each jurisdiction's trade: the credit limit of a tax regime (tonnes credited from
 * links, groups, pools and joint projects <= limit) and export caps (units out - tonnes in <= max).
 */
static el_status build_trade_rows(const ElModelData *md, ElProblem *p, ElModelMap *m, ElError *err)
{
    const ElScenario *s = md->s;
    const ElDesign *des = md->d;
    char name[96];
    el_status st = EL_OK;
    int j, l, g, k, a, e;
    for (j = 0; j < s->njur && st == EL_OK; j++) {
        m->credit_row[j] = -1;
        if (md->jur[j].kind != EL_CAP_TAX)
            continue;
        label(m, name, sizeof(name), "credit_limit_%d", j);
        st = el_problem_add_row(p, nm(name), -HUGE_VAL, md->jur[j].credit_limit, EL_ROW_PLAIN,
                                &m->credit_row[j], err);
        for (l = 0; des && l < des->nlinks && st == EL_OK; l++)
            if (des->links[l].to == j)
                st = el_problem_add_coef(p, m->credit_row[j], m->link_col[l], des->links[l].rate,
                                         err);
        for (g = 0; des && g < des->ngroups && st == EL_OK; g++)
            for (k = 0; k < des->groups[g].n && st == EL_OK; k++)
                if (des->groups[g].members[k] == j)
                    st = el_problem_add_coef(p, m->credit_row[j], m->group_first_col[g] + k, 1.0,
                                             err);
        for (a = 0; a < m->naccepts && st == EL_OK; a++)
            if (m->accepts[a].spec.jur == j)
                st = el_problem_add_coef(p, m->credit_row[j], m->accepts[a].col,
                                         m->accepts[a].spec.discount, err);
        for (g = 0; des && g < des->nprojects && st == EL_OK; g++)
            for (k = 0; k < des->projects[g].n && st == EL_OK; k++)
                if (des->projects[g].members[k] == j)
                    st = el_problem_add_coef(p, m->credit_row[j], m->project_first_col[g] + k, 1.0,
                                             err);
    }
    for (e = 0; des && e < des->nexport_caps && st == EL_OK; e++) {
        const ElExportCap *x = &des->export_caps[e];
        double mx = !isnan(x->share_of_cap) ? x->share_of_cap * md->jur[x->jur].cap : x->max;
        label(m, name, sizeof(name), "export_cap_%d", e);
        st = el_problem_add_row(p, nm(name), -HUGE_VAL, mx, EL_ROW_PLAIN, &m->export_row[e], err);
        for (l = 0; l < des->nlinks && st == EL_OK; l++) {
            if (des->links[l].from == x->jur)
                st = el_problem_add_coef(p, m->export_row[e], m->link_col[l], 1.0, err);
            else if (des->links[l].to == x->jur)
                st = el_problem_add_coef(p, m->export_row[e], m->link_col[l], -des->links[l].rate,
                                         err);
        }
        for (g = 0; g < des->ngroups && st == EL_OK; g++)
            for (k = 0; k < des->groups[g].n && st == EL_OK; k++)
                if (des->groups[g].members[k] == x->jur)
                    st = el_problem_add_coef(p, m->export_row[e], m->group_first_col[g] + k, -1.0,
                                             err);
    }
    return st;
}

/* Does import limit x count credits of pool (all the jurisdiction's pools, or those listed)? */
static bool counts_pool(const ElImportLimit *x, int pool)
{
    int k;
    if (x->sources & EL_IMPORT_OFFSETS)
        return true;
    for (k = 0; k < x->npools; k++)
        if (x->pools[k] == pool)
            return true;
    return false;
}

/* Import limits (docs/model.md §2.1): for limit x on jurisdiction j, one row
 *     sum_{links l into j} rate_l x_l + sum_g u_jg + sum_{pools counted} discount o_pj
 *       + sum_{projects} g_pj [+ share sum_k a_jk]  <=  max  [or share e_j]
 * over the sources x counts. A group member's net purchases m_jg are free in sign; only
 * purchases count, through u_jg >= 0 with m_jg - u_jg <= 0 (one per member of a group whose
 * jurisdiction has a limit counting groups, shared by its limits): the rows allow exactly the
 * allocations whose positive parts max(m_jg, 0) fit, so the limit stays linear and exact. */
static el_status
build_import_limits(const ElModelData *md, ElProblem *p, ElModelMap *m, ElError *err)
{
    const ElDesign *des = md->d;
    char name[96];
    el_status st = EL_OK;
    int i, l, g, k, a, at;
    for (g = 0, at = 0; des && m->nimport_limits > 0 && g < des->ngroups && st == EL_OK; g++)
        for (k = 0; k < des->groups[g].n && st == EL_OK; k++, at++) {
            int j = des->groups[g].members[k], r;
            bool wanted = false;
            m->import_group_col[at] = -1;
            for (i = 0; i < des->nimport_limits; i++)
                wanted = wanted || (des->import_limits[i].jur == j &&
                                    (des->import_limits[i].sources & EL_IMPORT_GROUPS));
            if (!wanted)
                continue;
            label(m, name, sizeof(name), "import_part_%d_%d", g, j);
            st = col1(p, nm(name), 0, 0, 0, HUGE_VAL, -1, 0, &m->import_group_col[at], err);
            label(m, name, sizeof(name), "import_part_row_%d_%d", g, j);
            if (st == EL_OK)
                st = el_problem_add_row(p, nm(name), -HUGE_VAL, 0, EL_ROW_PLAIN, &r, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->group_first_col[g] + k, 1.0, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->import_group_col[at], -1.0, err);
        }
    for (i = 0; des && i < des->nimport_limits && st == EL_OK; i++) {
        const ElImportLimit *x = &des->import_limits[i];
        int j = x->jur, r;
        bool share = !isnan(x->share);
        label(m, name, sizeof(name), "import_limit_%d", i);
        st = el_problem_add_row(p, nm(name), -HUGE_VAL, share ? x->share * md->jur[j].bau : x->max,
                                EL_ROW_PLAIN, &r, err);
        m->import_row[i] = r;
        for (l = 0; (x->sources & EL_IMPORT_LINKS) && l < des->nlinks && st == EL_OK; l++)
            if (des->links[l].to == j)
                st = el_problem_add_coef(p, r, m->link_col[l], des->links[l].rate, err);
        for (g = 0, at = 0; (x->sources & EL_IMPORT_GROUPS) && g < des->ngroups && st == EL_OK; g++)
            for (k = 0; k < des->groups[g].n && st == EL_OK; k++, at++)
                if (des->groups[g].members[k] == j)
                    st = el_problem_add_coef(p, r, m->import_group_col[at], 1.0, err);
        for (a = 0; a < m->naccepts && st == EL_OK; a++)
            if (m->accepts[a].spec.jur == j && counts_pool(x, m->accepts[a].spec.pool))
                st = el_problem_add_coef(p, r, m->accepts[a].col, m->accepts[a].spec.discount, err);
        for (g = 0; (x->sources & EL_IMPORT_PROJECTS) && g < des->nprojects && st == EL_OK; g++)
            for (k = 0; k < des->projects[g].n && st == EL_OK; k++)
                if (des->projects[g].members[k] == j)
                    st = el_problem_add_coef(p, r, m->project_first_col[g] + k, 1.0, err);
        for (k = 0; share && x->share > 0 && k < m->abate_count[j] && st == EL_OK; k++)
            st = el_problem_add_coef(p, r, m->abate_first[j] + k, x->share, err);
    }
    return st;
}

/* A project: decision b in {0, 1} at the fixed cost; member k receives up to share_k capacity
 * credits at the variable cost: credit_k - share_k capacity b <= 0. */
static el_status
build_projects(const ElDesign *des, bool elastic, ElProblem *p, ElModelMap *m, ElError *err)
{
    char name[96];
    el_status st = EL_OK;
    int q, k;
    for (q = 0; des && q < des->nprojects && st == EL_OK; q++) {
        const ElProject *pr = &des->projects[q];
        label(m, name, sizeof(name), "build_%d", q);
        st = col1(p, nm(name), elastic ? 0 : pr->fixed_cost, 0, 0, 1, -1, 0, &m->project_col[q],
                  err);
        if (st == EL_OK && !elastic)
            el_problem_set_integer(p, m->project_col[q]);
        m->project_first_col[q] = p->ncols;
        for (k = 0; k < pr->n && st == EL_OK; k++) {
            int col, r;
            label(m, name, sizeof(name), "project_%d_%d", q, k);
            st = col1(p, nm(name), elastic ? 0 : pr->variable_cost, 0, 0, HUGE_VAL,
                      m->comply_row[pr->members[k]], 1.0, &col, err);
            label(m, name, sizeof(name), "project_cap_%d_%d", q, k);
            if (st == EL_OK)
                st = el_problem_add_row(p, nm(name), -HUGE_VAL, 0, EL_ROW_PLAIN, &r, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, col, 1.0, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->project_col[q], -pr->shares[k] * pr->capacity,
                                         err);
        }
    }
    return st;
}

el_status el_model_build(
    const ElModelData *md, unsigned flags, ElProblem **prob, ElModelMap **map, ElError *err)
{
    ElProblem *p = NULL;
    el_status st = el_problem_create(&p, err);
    *prob = NULL;
    if (st == EL_OK)
        st = el_model_build_into(md, flags, p, map, err);
    if (st != EL_OK) {
        el_problem_free(p);
        return st;
    }
    *prob = p;
    return EL_OK;
}

el_status el_model_build_into(
    const ElModelData *md, unsigned flags, ElProblem *p, ElModelMap **map, ElError *err)
{
    const ElDesign *des = md->d;
    bool elastic = (flags & EL_BUILD_ELASTIC) != 0;
    ElModelMap *m = NULL;
    el_status st;
    *map = NULL;
    el_problem_reset(p);
    st = alloc_map(&m, md, err);
    if (st == EL_OK)
        m->named = (flags & EL_BUILD_NAMES) != 0;
    if (st == EL_OK)
        st = build_jurisdictions(md, elastic, p, m, err);
    if (st == EL_OK)
        st = build_links(md, p, m, err);
    if (st == EL_OK)
        st = build_offsets(md, elastic, p, m, err);
    if (st == EL_OK)
        st = build_projects(des, elastic, p, m, err);
    if (st == EL_OK)
        st = build_trade_rows(md, p, m, err);
    if (st == EL_OK)
        st = build_import_limits(md, p, m, err);
    if (st == EL_OK)
        st = el_problem_check(p, err);
    if (st != EL_OK) {
        el_problem_reset(p);
        el_model_map_free(m);
        return st;
    }
    *map = m;
    return EL_OK;
}
