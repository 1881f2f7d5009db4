/* Model -> problem. See build.h for the rows and columns; docs/model.md §2 for the economics.
 * Signs: compliance rows are ">= requirement" rows, so their duals are >= 0 and equal the price
 * of one tonne of compliance in that jurisdiction. */
#include "build.h"

#include <math.h>
#include <stdio.h>

#include "el_alloc.h"

void el_model_map_free(ElModelMap *m)
{
    if (!m)
        return;
    el_free(m->abate_first);
    el_free(m->abate_count);
    el_free(m->comply_row);
    el_free(m->short_col);
    el_free(m->link_col);
    el_free(m->link_share_row);
    el_free(m->group_row);
    el_free(m->group_first_col);
    el_free(m);
}

static el_status alloc_map(ElModelMap **out, int nj, int nl, int ng, ElError *err)
{
    ElModelMap *m = el_calloc(1, sizeof(*m));
    size_t sj = (size_t)(nj > 0 ? nj : 1), sl = (size_t)(nl > 0 ? nl : 1),
           sg = (size_t)(ng > 0 ? ng : 1);
    *out = NULL;
    if (!m)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (model map)");
    m->njur = nj;
    m->nlinks = nl;
    m->ngroups = ng;
    m->abate_first = el_calloc(sj, sizeof(int));
    m->abate_count = el_calloc(sj, sizeof(int));
    m->comply_row = el_calloc(sj, sizeof(int));
    m->short_col = el_calloc(sj, sizeof(int));
    m->link_col = el_calloc(sl, sizeof(int));
    m->link_share_row = el_calloc(sl, sizeof(int));
    m->group_row = el_calloc(sg, sizeof(int));
    m->group_first_col = el_calloc(sg, sizeof(int));
    if (!m->abate_first || !m->abate_count || !m->comply_row || !m->short_col || !m->link_col ||
        !m->link_share_row || !m->group_row || !m->group_first_col) {
        el_model_map_free(m);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (model map)");
    }
    *out = m;
    return EL_OK;
}

static el_status build(const ElScenario *s,
                       const ElDesign *des,
                       bool elastic,
                       ElProblem *p,
                       ElModelMap *m,
                       ElError *err)
{
    char name[96];
    el_status st = EL_OK;
    int j, k, l, g;

    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        snprintf(name, sizeof(name), "comply_%d", j);
        st = el_problem_add_row(p, name, ju->bau - ju->cap, HUGE_VAL, EL_ROW_REQUIREMENT,
                                &m->comply_row[j], err);
        if (st != EL_OK)
            return st;
        m->abate_first[j] = p->ncols;
        m->abate_count[j] = el_mac_piece_count(ju->mac);
        for (k = 0; k < m->abate_count[j]; k++) {
            const ElMacPiece *pc = el_mac_piece(ju->mac, k);
            int col;
            snprintf(name, sizeof(name), "abate_%d_%d", j, k);
            st = el_problem_add_col(p, name, elastic ? 0 : pc->p0, elastic ? 0 : pc->slope, 0,
                                    pc->width, &col, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, m->comply_row[j], col, 1.0, err);
            if (st != EL_OK)
                return st;
        }
        m->short_col[j] = -1;
        if (elastic) {
            snprintf(name, sizeof(name), "short_%d", j);
            st = el_problem_add_col(p, name, 1.0, 0, 0, HUGE_VAL, &m->short_col[j], err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, m->comply_row[j], m->short_col[j], 1.0, err);
            if (st != EL_OK)
                return st;
        }
    }
    for (l = 0; des && l < des->nlinks; l++) {
        const ElLink *lk = &des->links[l];
        snprintf(name, sizeof(name), "link_%d", l);
        st = el_problem_add_col(p, name, 0, 0, 0, lk->quota / lk->rate, &m->link_col[l], err);
        if (st == EL_OK)
            st = el_problem_add_coef(p, m->comply_row[lk->to], m->link_col[l], lk->rate, err);
        if (st == EL_OK)
            st = el_problem_add_coef(p, m->comply_row[lk->from], m->link_col[l], -1.0, err);
        if (st != EL_OK)
            return st;
        m->link_share_row[l] = -1;
        if (!isnan(lk->quota_share)) {
            /* rate x + s * abatement_to <= s * bau_to, i.e. credited units <= s * emissions */
            int r, to = lk->to;
            snprintf(name, sizeof(name), "share_%d", l);
            st = el_problem_add_row(p, name, -HUGE_VAL, lk->quota_share * s->jur[to].bau,
                                    EL_ROW_PLAIN, &r, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, r, m->link_col[l], lk->rate, err);
            for (k = 0; st == EL_OK && k < m->abate_count[to]; k++)
                if (lk->quota_share > 0)
                    st = el_problem_add_coef(p, r, m->abate_first[to] + k, lk->quota_share, err);
            if (st != EL_OK)
                return st;
            m->link_share_row[l] = r;
        }
    }
    for (g = 0; des && g < des->ngroups; g++) {
        const ElGroup *gr = &des->groups[g];
        snprintf(name, sizeof(name), "group_%d", g);
        st = el_problem_add_row(p, name, 0, 0, EL_ROW_PLAIN, &m->group_row[g], err);
        if (st != EL_OK)
            return st;
        m->group_first_col[g] = p->ncols;
        for (k = 0; k < gr->n; k++) {
            int col, j2 = gr->members[k];
            snprintf(name, sizeof(name), "trade_%d_%d", g, j2);
            st = el_problem_add_col(p, name, 0, 0, -HUGE_VAL, HUGE_VAL, &col, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, m->comply_row[j2], col, 1.0, err);
            if (st == EL_OK)
                st = el_problem_add_coef(p, m->group_row[g], col, 1.0, err);
            if (st != EL_OK)
                return st;
        }
    }
    return EL_OK;
}

el_status el_model_build(
    const ElScenario *s, int d, bool elastic, ElProblem **prob, ElModelMap **map, ElError *err)
{
    const ElDesign *des = (d == EL_AUTARKY) ? NULL : &s->designs[d];
    ElProblem *p = NULL;
    ElModelMap *m = NULL;
    el_status st;
    *prob = NULL;
    *map = NULL;
    if (d != EL_AUTARKY && (d < 0 || d >= s->ndesigns))
        return el_error_set(err, EL_ERR_INTERNAL, "design index %d out of range", d);
    st = alloc_map(&m, s->njur, des ? des->nlinks : 0, des ? des->ngroups : 0, err);
    if (st == EL_OK)
        st = el_problem_create(&p, err);
    if (st == EL_OK)
        st = build(s, des, elastic, p, m, err);
    if (st == EL_OK)
        st = el_problem_check(p, err);
    if (st != EL_OK) {
        el_problem_free(p);
        el_model_map_free(m);
        return st;
    }
    *prob = p;
    *map = m;
    return EL_OK;
}
