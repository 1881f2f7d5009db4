/* The exact fast path (fast.h; docs/model.md §4.2).
 *
 * Markets. Jurisdictions joined by groups and by links whose flow lies strictly between its
 * bounds ("free" links) form a market in which prices are tied by the links' rates: every
 * member's price is theta_j P for one market price P (theta = 1 at the market's first
 * jurisdiction; a group member's theta is the group's, a free link i -> j has
 * theta_i = rate theta_j). Summing the compliance rows with weights theta_j cancels the market's
 * own trades, so the market clears where its aggregate supply
 *     G(P) = sum_j theta_j s_j(theta_j P),  s_j = abatement + ceiling + penalty + tax - floor,
 * meets T = sum_j theta_j R'_j (R' the requirement net of the fixed links' flows). G is
 * non-decreasing and piecewise linear with jumps (flat steps and instruments); it is searched
 * over its sorted breakpoints, and the price is the least P with G(P+) >= T: where a
 * requirement is met exactly by whole steps, the cost of the last measure used (the left
 * derivative, as the slow path's lowered-requirement LP gives it, docs/model.md §4).
 *
 * Offsets. A pool in use is a node like a jurisdiction: its balance row (supply - credits >= 0,
 * dual the credit price q) is a requirement of 0 met by its supply pieces (columns like MAC
 * pieces, cut per design as the problem holds them). An acceptance of pool k by j is a link from
 * k to j with rate delta (the discount: +delta in j's row, -1 in k's) and quota the limit, so
 * q = delta p_j when it is free, and several buyers of a pool are an indirect link. The host is
 * reporting only: it has no row or column here. A share limit's row is taken as slack (the
 * verification proves it), unless its buyer trades there alone (below). A pool from which nothing
 * is taken is priced as the slow path's lowered requirement prices it: the most a buyer with
 * room would pay, delta p_j, but no more than its first credit's cost (lone_pool_prices).
 *
 * Limits (bound_rows). An export cap or import limit row a'x <= b over one trade column is a
 * bound on it: x <= b / a on a link or acceptance, m >= -X on a group member's position (net
 * exports <= X), which then becomes a link of its own. At such a bound the row, not the column,
 * holds the flow, and its dual is the column's reduced cost over its nodes' rows divided by a
 * (<= 0). A capped member at its cap is a market of its own: its price differs from the group's
 * by the scarcity rent. A row over several routes, or over group purchases, is declined.
 *
 * Shares. A link or acceptance with a share row rate x + sig sum a_j <= sig e_j whose buyer j has
 * no other trade (no instrument in use, not a tax regime) has a fourth state, LS_SHARE: the row
 * and j's compliance fix the flow in advance, rate x = sig (e_j - R_j) / (1 - sig), so j is a
 * market alone (its instruments left out) whose price search gives its MAC; stationarity of
 * its pieces (MAC = p_j - sig mu) and of the flow (mu = p_j - p_from / rate) then gives
 * p_j = (MAC - sig p_from / rate) / (1 - sig) and the share dual -mu (share_prices,
 * docs/model.md §5). The state is entered when the free or quota flow breaks the row, and left
 * when mu < 0 or the fixed flow leaves the link's bounds.
 *
 * Links. Each link is at its lower bound (zero), free, at its upper bound (quota) or, with a
 * share, at the share. Starting from the last solve's states (or
 * all at zero), states that contradict the prices or flows found are switched and the markets
 * solved again, until every link is consistent (at zero: rate p_to <= p_from; at the quota: the
 * reverse; free: its flow within its bounds), or the iteration limit says to leave it to the
 * slow path. Links at a bound whose reduced cost is zero are then made free (free_degenerate),
 * so that the answer does not depend on the starting states.
 *
 * Ties (engine/ties.c, docs/model.md §4.1). Quantities that the prices leave open are set as the
 * slow path's tie stages set them: in a market with a positive price the tied columns (flat
 * steps and instruments whose price equals theirs, to 1e-9) of one theta must together supply
 * D = (T - fixed supply) / theta; instruments supply only what the steps cannot (least volume),
 * shared by minimising sum v^2 / (2 weight) (weights: volume, or BAU for penalties and taxes);
 * own steps share the rest in proportion to their widths up to full (stage 2), and pools' steps
 * supply what is left, pro rata too (stage 3, the least). Trades are then unique where the market's
 * groups and free links form a tree (solved from the leaves), and otherwise (a link parallel to
 * a group, a ring of links) the least-squares flows, min sum x^2 / 2 (least_squares). In a
 * market at price 0 the rows may be slack: tied steps (cost 0) are used in full and trades are
 * the least-squares ones, which in a lone group is a water-filling m_j = max(need_j, lambda),
 * on a lone link the least flow its buyer needs (lone_link_at_zero), and zero where nobody
 * needs anything; pools' steps costing 0 supply nothing; other unpriced
 * trade is left to the slow path.
 *
 * Verification. Whatever the construction, the point is accepted only if it satisfies every
 * optimality condition of the problem p itself, relative 1e-9: bounds and rows, reduced costs
 * c + h x - A'y with the signs of the columns' positions, duals with the signs of their rows
 * and complementary slackness. Anything else returns solved = false, never a guess. */
#include "fast.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"

#define TIE_TOL    1e-9 /* engine/ties.c: reduced costs and duals below this count as zero */
#define AMBIGUOUS  8.0  /* |d| within this factor of the tie threshold: left to the slow path */
#define CHECK_TOL  1e-9 /* verification, relative */
#define MAX_ITER   40   /* link-state iterations, plus 2 per link */
#define FULL_ITERS 8    /* iterations that switch every inconsistent link at once */
#define MAX_DENSE  300  /* nodes of a market with a cycle (least-squares flows, dense) */

enum {
    IT_SLOPED = 0, /* a MAC piece with slope > 0: a quadratic column */
    IT_FLAT,       /* a MAC piece with slope 0: a step */
    IT_INSTR       /* floor, ceiling, penalty or tax */
};

enum {
    LS_ZERO = 0, /* at its lower bound (0 for a link, -X for a member under an export cap) */
    LS_FREE,
    LS_QUOTA, /* at its upper bound */
    LS_SHARE  /* its buyer's share row binds: the flow is fixed by the buyer's cap (setup) */
};

typedef struct {
    int col, jur, kind;
    double a;       /* coefficient in the compliance row: 1, or -1 for a floor */
    double c, h, u; /* cost, curvature, upper bound (HUGE_VAL for penalties and taxes) */
    double weight;  /* weight of the tie stage (engine/ties.c classify) */
    double bs, be;  /* breakpoints in the market price: where it starts and (sloped) ends */
    double x;
    int tied;
    int sup; /* a pool's supply piece (tie stage 3: the least), not a jurisdiction's own */
} Item;

typedef struct {
    double b, jump, dslope;
} Event;

struct ElFastWork {
    const char *reason;
    /* nodes: jurisdictions [0, nj), the pools in use [nj, ns) (a pool is a market participant
     * with a supply curve and no requirement), groups [ns, ns + ngroups); links: the design's
     * [0, nlinks), then the acceptances [nlinks, nla) (from the pool to the jurisdiction, rate
     * the discount, quota the limit), then the group memberships bounded by an export cap or an
     * import limit [nla, nl) */
    int nj, ns, nl, nlinks, nla;
    char *b_nodes, *b_items, *b_edges, *b_links, *b_rows; /* the blocks the arrays live in */
    /* sizes of the buffers */
    int cap_nodes, cap_groups, cap_items, cap_edges, cap_cols, cap_rows, cap_links;
    /* per node (jurisdictions, then groups): theta is the node's dual per unit of market price
     * (a group's is minus its members'), price its dual */
    double *theta, *acc, *req, *supply, *price, *scratch, *pval;
    int *parent, *pedge, *order, *market, *adj_start, *node_row, *pool_node;
    int *deg, *sh; /* per node: trade edges; the link in LS_SHARE into it (or -1) */
    double *mac;   /* per node in a share market: its MAC (the market price), before p_j */
    /* per market, in order of their first jurisdiction: nodes order[mstart[k] .. mstart[k + 1]),
     * price, T, no clearing price (minf), tied items, a cycle, and the one sloped piece that
     * moves on the price's interval (mone, or -1) with its exact abatement */
    int *mstart;
    double *mprice, *mT, *mone_x;
    int *minf, *mtied, *mcyc, *mone;
    /* items: the jurisdictions' own columns, jurisdiction by jurisdiction */
    Item *items;
    int *ifirst;
    Event *ev, *ev_tmp;
    int *gfirst; /* per group: its first edge */
    /* edges: group memberships, then links; coefficients e_cu, e_cv of the edge's column in the
     * rows of its nodes e_u, e_v */
    int *e_col, *e_u, *e_v, *e_link, *adj;
    double *e_cu, *e_cv, *e_x;
    int *e_fix; /* least-squares flows: 0 free, 1 at zero, 2 at the quota */
    /* links: edge, state (LS_*), how far it is from consistent and the state to switch to;
     * bounds (the column's, tightened by an export cap or import limit row l_lorow / l_uprow
     * with coefficient l_loa / l_upa, whose dual then carries the bound's); a share row l_srow
     * with share l_sig that may bind (its buyer trades through this link alone: l_xs is the
     * flow when it binds), else l_srow = -1 */
    int *l_edge, *state, *target, *l_lorow, *l_uprow, *l_srow;
    double *viol, *l_lo, *l_up, *l_loa, *l_upa, *l_sig, *l_xs;
    int bad_link; /* build_markets: the link closing a cycle of contradictory rates */
    bool nomem;   /* an allocation failed inside the iteration */
    /* scratch: parts of a market (post_check), tied items (twice the items), each node's index in
     * its market and the reduced Laplacian of a market with a cycle (least_squares) */
    int *mark, *queue, *sel, *loc;
    double *dense;
    int cap_dense;
    /* the last solve's link states (warm start) */
    int *prev_state, *prev_from, *prev_to;
    int prev_nlinks;
    bool have_prev;
    /* verification; the rows of export caps and import limits (nonzeros, the one column and
     * its coefficient) and each column's edge */
    double *act, *ascale, *dj, *dscale, *r_coef;
    int *r_cnt, *r_col, *col_edge;
};

/* ---- buffers ------------------------------------------------------------------------------ */

/* The arrays of one size class live in one block, carved at 16-byte boundaries: a workspace
 * costs a handful of allocations, not one per array. carve_*() with base NULL only measure. */
#define ALIGN16(x) (((x) + 15) & ~(size_t)15)
#define CARVE(f, cnt)                                  \
    do {                                               \
        if (base)                                      \
            w->f = (void *)(base + off);               \
        off += ALIGN16(sizeof(*w->f) * (size_t)(cnt)); \
    } while (0)

static size_t carve_nodes(ElFastWork *w, char *base, size_t n)
{
    size_t off = 0;
    CARVE(theta, n);
    CARVE(acc, n);
    CARVE(req, n);
    CARVE(supply, n);
    CARVE(price, n);
    CARVE(scratch, n);
    CARVE(pval, n);
    CARVE(node_row, n);
    CARVE(pool_node, n);
    CARVE(deg, n);
    CARVE(sh, n);
    CARVE(mac, n);
    CARVE(mprice, n);
    CARVE(mT, n);
    CARVE(mone_x, n);
    CARVE(parent, n);
    CARVE(pedge, n);
    CARVE(order, n);
    CARVE(market, n);
    CARVE(adj_start, n + 1);
    CARVE(mstart, n + 1);
    CARVE(mone, n);
    CARVE(minf, n);
    CARVE(mtied, n);
    CARVE(mcyc, n);
    CARVE(ifirst, n + 1);
    CARVE(loc, n);
    CARVE(mark, n);
    CARVE(queue, n);
    return off;
}

static size_t carve_items(ElFastWork *w, char *base, size_t n)
{
    size_t off = 0;
    CARVE(items, n);
    CARVE(ev, 2 * n);
    CARVE(ev_tmp, 2 * n);
    CARVE(sel, 2 * n);
    return off;
}

static size_t carve_edges(ElFastWork *w, char *base, size_t n)
{
    size_t off = 0;
    CARVE(e_cu, n);
    CARVE(e_cv, n);
    CARVE(e_x, n);
    CARVE(e_col, n);
    CARVE(e_u, n);
    CARVE(e_v, n);
    CARVE(e_link, n);
    CARVE(e_fix, n);
    CARVE(adj, 2 * n);
    return off;
}

static size_t carve_links(ElFastWork *w, char *base, size_t n)
{
    size_t off = 0;
    CARVE(viol, n);
    CARVE(l_lo, n);
    CARVE(l_up, n);
    CARVE(l_loa, n);
    CARVE(l_upa, n);
    CARVE(l_sig, n);
    CARVE(l_xs, n);
    CARVE(l_edge, n);
    CARVE(state, n);
    CARVE(target, n);
    CARVE(l_lorow, n);
    CARVE(l_uprow, n);
    CARVE(l_srow, n);
    return off;
}

static size_t carve_rows_cols(ElFastWork *w, char *base, size_t nc, size_t nr, size_t ng)
{
    size_t off = 0;
    CARVE(dj, nc);
    CARVE(dscale, nc);
    CARVE(col_edge, nc);
    CARVE(act, nr);
    CARVE(ascale, nr);
    CARVE(r_coef, nr);
    CARVE(r_cnt, nr);
    CARVE(r_col, nr);
    CARVE(gfirst, ng + 1);
    return off;
}

/* Replace *block by a new one of `size` bytes (contents not kept). */
static bool new_block(char **block, size_t size)
{
    char *b = el_malloc(size > 0 ? size : 1);
    if (!b)
        return false;
    el_free(*block);
    *block = b;
    return true;
}

el_status el_fast_work_create(ElFastWork **out, ElError *err)
{
    *out = el_calloc(1, sizeof(**out));
    if (!*out)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (fast path)");
    (*out)->reason = "";
    return EL_OK;
}

void el_fast_work_free(ElFastWork *w)
{
    if (!w)
        return;
    el_free(w->b_nodes);
    el_free(w->b_items);
    el_free(w->b_edges);
    el_free(w->b_links);
    el_free(w->b_rows);
    el_free(w->dense);
    el_free(w->prev_state);
    el_free(w->prev_from);
    el_free(w->prev_to);
    el_free(w);
}

void el_fast_work_forget(ElFastWork *w)
{
    if (w)
        w->have_prev = false;
}

const char *el_fast_last_reason(const ElFastWork *w)
{
    return w && w->reason ? w->reason : "";
}

/* The block *block, carved by carve, with room for need entries if *cap is less. */
static bool grow_block(
    ElFastWork *w, char **block, int *cap, int need, size_t (*carve)(ElFastWork *, char *, size_t))
{
    if (need <= *cap)
        return true;
    if (!new_block(block, carve(w, NULL, (size_t)need)))
        return false;
    carve(w, *block, (size_t)need);
    *cap = need;
    return true;
}

/* Room for nn nodes, ng groups, ni items, ne edges, nl links and p's columns and rows. Buffers
 * only grow, so a warm workspace allocates nothing. The last solve's link states (warm start)
 * are kept in arrays of their own, which keep their contents when they grow. */
static bool reserve(ElFastWork *w, int nn, int ng, int ni, int ne, int nl, const ElProblem *p)
{
    void *tmp;
    if (!grow_block(w, &w->b_nodes, &w->cap_nodes, nn + 1, carve_nodes) ||
        !grow_block(w, &w->b_items, &w->cap_items, ni + 1, carve_items) ||
        !grow_block(w, &w->b_edges, &w->cap_edges, ne + 1, carve_edges))
        return false;
    if (nl + 1 > w->cap_links) {
        size_t n = (size_t)nl + 1;
        if (!new_block(&w->b_links, carve_links(w, NULL, n)))
            return false;
        carve_links(w, w->b_links, n);
        if (!(tmp = el_reallocarray(w->prev_state, n, sizeof(int))))
            return false;
        w->prev_state = tmp;
        if (!(tmp = el_reallocarray(w->prev_from, n, sizeof(int))))
            return false;
        w->prev_from = tmp;
        if (!(tmp = el_reallocarray(w->prev_to, n, sizeof(int))))
            return false;
        w->prev_to = tmp;
        w->cap_links = nl + 1;
    }
    if (p->ncols + 1 > w->cap_cols || p->nrows + 1 > w->cap_rows || ng + 1 > w->cap_groups) {
        int nc = p->ncols + 1 > w->cap_cols ? p->ncols + 1 : w->cap_cols;
        int nr = p->nrows + 1 > w->cap_rows ? p->nrows + 1 : w->cap_rows;
        int ngr = ng + 1 > w->cap_groups ? ng + 1 : w->cap_groups;
        if (!new_block(&w->b_rows, carve_rows_cols(w, NULL, (size_t)nc, (size_t)nr, (size_t)ngr)))
            return false;
        carve_rows_cols(w, w->b_rows, (size_t)nc, (size_t)nr, (size_t)ngr);
        w->cap_cols = nc;
        w->cap_rows = nr;
        w->cap_groups = ngr;
    }
    return true;
}

/* ---- the problem's structure --------------------------------------------------------------- */

/* The weight of a column in its tie stage, as engine/ties.c classify() makes it. */
static double tie_weight(double v)
{
    if (!(v > 1e-12) || !isfinite(v))
        v = v > 0 ? 1e12 : 1e-12;
    return v;
}

static void add_item(
    ElFastWork *w, int *ni, const ElProblem *p, int col, int jur, int kind, double a, double weight)
{
    Item *it = &w->items[(*ni)++];
    it->col = col;
    it->jur = jur;
    it->kind = kind;
    it->a = a;
    it->c = p->c[col];
    it->h = p->h[col];
    it->u = p->up[col];
    it->weight = tie_weight(weight);
    it->x = 0;
    it->tied = 0;
    it->sup = 0;
}

/* Counts of what the fast path models (items, edges, pools in use), or false (with w->reason)
 * if p holds anything else: projects, import limits over group purchases, integer columns,
 * shortfall columns, or rows and columns the map does not account for. Export caps and import
 * limits are rows here; setup turns each into a bound on the one trade column it holds. */
static bool supported(ElFastWork *w,
                      const ElModelData *md,
                      const ElProblem *p,
                      const ElModelMap *m,
                      int *ni,
                      int *ne,
                      int *np)
{
    const ElDesign *des = md->d;
    int j, k, g, a, cols = 0, rows = 0;
    *ni = 0;
    *ne = 0;
    *np = 0;
    if (m->nprojects > 0) {
        w->reason = "projects";
        return false;
    }
    for (g = 0, k = 0; m->nimport_limits > 0 && g < m->ngroups; g++)
        for (j = 0; j < des->groups[g].n; j++, k++)
            if (m->import_group_col[k] >= 0) {
                w->reason = "an import limit over group purchases";
                return false;
            }
    rows += m->nexport_caps + m->nimport_limits;
    if (m->njur != md->njur || (des ? des->nlinks : 0) != m->nlinks ||
        (des ? des->ngroups : 0) != m->ngroups) {
        w->reason = "map and data disagree";
        return false;
    }
    for (j = 0; j < m->njur; j++) {
        if (m->short_col[j] >= 0) {
            w->reason = "elastic problem";
            return false;
        }
        cols += m->abate_count[j] + (m->tax_col[j] >= 0);
        for (k = 0; k < EL_INSTR_KINDS; k++)
            cols += m->instr_col[k][j] >= 0;
        rows += 1 + (m->credit_row[j] >= 0);
    }
    for (k = 0; k < m->npools; k++)
        if (m->pool_row[k] >= 0) {
            cols += m->pool_count[k];
            rows++;
            (*np)++;
        }
    *ni = cols;
    for (a = 0; a < m->naccepts; a++)
        rows += m->accepts[a].share_row >= 0; /* taken as slack: the verification proves it */
    cols += m->nlinks + m->naccepts;
    *ne += m->naccepts;
    for (k = 0; k < m->nlinks; k++)
        rows += m->link_share_row[k] >= 0;
    for (g = 0; g < m->ngroups; g++) {
        cols += des->groups[g].n;
        *ne += des->groups[g].n;
    }
    rows += m->ngroups;
    *ne += m->nlinks;
    if (cols != p->ncols || rows != p->nrows) {
        w->reason = "rows or columns outside the fast path's class";
        return false;
    }
    if (el_problem_has_integers(p)) {
        w->reason = "integer columns";
        return false;
    }
    return true;
}

/* Link l on edge e, with its column's bounds and no limit rows. */
static void link_init(ElFastWork *w, const ElProblem *p, int l, int e)
{
    int c = w->e_col[e];
    w->e_link[e] = l;
    w->l_edge[l] = e;
    w->l_lo[l] = p->lo[c];
    w->l_up[l] = p->up[c];
    w->l_loa[l] = w->l_upa[l] = 0;
    w->l_lorow[l] = w->l_uprow[l] = w->l_srow[l] = -1;
    w->l_sig[l] = w->l_xs[l] = 0;
}

/* Export caps and import limits (docs/model.md §2.1). Each row a'x <= b must hold at most one
 * trade column, the only route its jurisdiction's limit counts, and then is a bound on it:
 * x <= b / a (a > 0: units out of a capped seller, tonnes into a limited buyer) or x >= b / a
 * (a < 0: a group member's net purchases under an export cap). A bound tighter than the
 * column's own is the row's, whose dual is then the bound's reduced cost (fill_solution). A group
 * membership so bounded becomes a link of its own, [nla, nl), with a link's states. */
static bool bound_rows(ElFastWork *w, const ElProblem *p, const ElModelMap *m, int ne)
{
    int nr = m->nexport_caps + m->nimport_limits, k, t, e, l;
    w->nl = w->nla;
    if (nr == 0)
        return true;
    for (t = 0; t < p->ncols; t++)
        w->col_edge[t] = -1;
    for (e = 0; e < ne; e++)
        w->col_edge[w->e_col[e]] = e;
    for (t = 0; t < p->nrows; t++)
        w->r_cnt[t] = -1;
    for (k = 0; k < nr; k++)
        w->r_cnt[k < m->nexport_caps ? m->export_row[k] : m->import_row[k - m->nexport_caps]] = 0;
    for (t = 0; t < p->nnz; t++) {
        int r = p->ai[t];
        if (w->r_cnt[r] >= 0 && p->av[t] != 0) {
            w->r_cnt[r]++;
            w->r_col[r] = p->aj[t];
            w->r_coef[r] = p->av[t];
        }
    }
    for (k = 0; k < nr; k++) {
        int r = k < m->nexport_caps ? m->export_row[k] : m->import_row[k - m->nexport_caps];
        double b = p->rup[r], a, v;
        if (isfinite(p->rlo[r]) || !isfinite(b)) {
            w->reason = "a limit row of an unexpected form";
            return false;
        }
        if (w->r_cnt[r] == 0) { /* no route: 0 <= b */
            if (b < 0) {
                w->reason = "an export cap or import limit that cannot hold";
                return false;
            }
            continue;
        }
        e = w->r_cnt[r] == 1 ? w->col_edge[w->r_col[r]] : -1;
        if (e < 0) {
            w->reason = "an export cap or import limit over several routes";
            return false;
        }
        if (w->e_link[e] < 0)
            link_init(w, p, w->nl++, e);
        l = w->e_link[e];
        a = w->r_coef[r];
        v = b / a;
        if (a > 0 && v < w->l_up[l]) {
            w->l_up[l] = v;
            w->l_uprow[l] = r;
            w->l_upa[l] = a;
        } else if (a < 0 && v > w->l_lo[l]) {
            w->l_lo[l] = v;
            w->l_lorow[l] = r;
            w->l_loa[l] = a;
        }
    }
    for (l = 0; l < w->nl; l++)
        if (!(w->l_lo[l] <= w->l_up[l])) {
            w->reason = "an export cap or import limit that cannot hold";
            return false;
        }
    return true;
}

/* Items (every jurisdiction's own columns, then every pool's supply pieces), edges (group
 * memberships, then links, then acceptances) and each node's row. */
static bool setup(ElFastWork *w, const ElModelData *md, const ElProblem *p, const ElModelMap *m)
{
    static const double sign[EL_INSTR_KINDS] = {-1.0, 1.0, 1.0}; /* a floor withholds */
    const ElDesign *des = md->d;
    int nj = m->njur, ns = w->ns, ni = 0, ne = 0, j, k, g, l, u;
    for (j = 0; j < nj; j++) {
        double bau = fmax(md->jur[j].bau, 1e-9);
        int r = m->comply_row[j];
        w->ifirst[j] = ni;
        w->node_row[j] = r;
        if (p->rkind[r] != EL_ROW_REQUIREMENT || !isfinite(p->rlo[r]) || isfinite(p->rup[r])) {
            w->reason = "compliance row of an unexpected form";
            return false;
        }
        for (k = 0; k < m->abate_count[j]; k++) {
            int c = m->abate_first[j] + k;
            add_item(w, &ni, p, c, j, p->h[c] > 0 ? IT_SLOPED : IT_FLAT, 1.0, p->up[c]);
        }
        for (k = 0; k < EL_INSTR_KINDS; k++) {
            int c = m->instr_col[k][j];
            if (c >= 0)
                add_item(w, &ni, p, c, j, IT_INSTR, sign[k], isfinite(p->up[c]) ? p->up[c] : bau);
        }
        if (m->tax_col[j] >= 0)
            add_item(w, &ni, p, m->tax_col[j], j, IT_INSTR, 1.0, bau);
    }
    for (k = 0, u = nj; k < m->npools; k++) {
        int r = m->pool_row[k];
        w->pool_node[k] = -1;
        if (r < 0)
            continue;
        w->pool_node[k] = u;
        w->ifirst[u] = ni;
        w->node_row[u] = r;
        if (p->rlo[r] != 0 || isfinite(p->rup[r])) {
            w->reason = "pool row of an unexpected form";
            return false;
        }
        for (j = 0; j < m->pool_count[k]; j++) {
            int c = m->pool_first_col[k] + j;
            add_item(w, &ni, p, c, u, p->h[c] > 0 ? IT_SLOPED : IT_FLAT, 1.0, p->up[c]);
            w->items[ni - 1].sup = 1;
        }
        u++;
    }
    w->ifirst[ns] = ni;
    for (k = 0; k < ni; k++) {
        const Item *it = &w->items[k];
        if (p->lo[it->col] != 0 || !(it->c / it->a >= 0) || !(it->u >= 0) ||
            (it->kind != IT_INSTR && !isfinite(it->u))) {
            w->reason = "a column of an unexpected form";
            return false;
        }
    }
    for (g = 0; g < m->ngroups; g++) {
        w->gfirst[g] = ne;
        for (k = 0; k < des->groups[g].n; k++, ne++) {
            w->e_col[ne] = m->group_first_col[g] + k;
            w->e_u[ne] = des->groups[g].members[k];
            w->e_v[ne] = ns + g;
            w->e_cu[ne] = 1.0;
            w->e_cv[ne] = 1.0;
            w->e_link[ne] = -1;
        }
    }
    w->gfirst[m->ngroups] = ne;
    for (l = 0; l < m->nlinks; l++, ne++) {
        const ElLink *lk = &des->links[l];
        w->e_col[ne] = m->link_col[l];
        w->e_u[ne] = lk->from;
        w->e_v[ne] = lk->to;
        w->e_cu[ne] = -1.0;
        w->e_cv[ne] = lk->rate;
        w->e_link[ne] = l;
        w->l_edge[l] = ne;
        if (p->lo[m->link_col[l]] != 0 || !(lk->rate > 0)) {
            w->reason = "a link of an unexpected form";
            return false;
        }
    }
    for (k = 0; k < m->naccepts; k++, ne++, l++) {
        const ElAcceptMap *ac = &m->accepts[k];
        w->e_col[ne] = ac->col;
        w->e_u[ne] = w->pool_node[ac->spec.pool];
        w->e_v[ne] = ac->spec.jur;
        w->e_cu[ne] = -1.0;
        w->e_cv[ne] = ac->spec.discount;
        w->e_link[ne] = l;
        w->l_edge[l] = ne;
        if (w->e_u[ne] < 0 || p->lo[ac->col] != 0 || !(ac->spec.discount > 0)) {
            w->reason = "an acceptance of an unexpected form";
            return false;
        }
    }
    w->nla = l;
    for (l = 0; l < w->nla; l++)
        link_init(w, p, l, w->l_edge[l]);
    if (!bound_rows(w, p, m, ne))
        return false;
    for (u = 0; u < ns + m->ngroups; u++)
        w->deg[u] = 0;
    for (k = 0; k < ne; k++) {
        w->deg[w->e_u[k]]++;
        w->deg[w->e_v[k]]++;
    }
    for (l = 0; l < w->nla; l++) { /* share rows that may bind: the buyer trades here alone */
        int r = l < w->nlinks ? m->link_share_row[l] : m->accepts[l - w->nlinks].share_row;
        int v = w->e_v[w->l_edge[l]];
        double sig =
            l < w->nlinks ? des->links[l].quota_share : m->accepts[l - w->nlinks].spec.limit_share;
        if (r < 0 || v >= nj || w->deg[v] != 1 || m->tax_col[v] >= 0 || m->credit_row[v] >= 0 ||
            !(sig > 0 && sig < 1) || w->l_lo[l] != 0)
            continue;
        /* binding: rate x = sig (e - a) and a + rate x = R, so rate x = sig (e - R) / (1 - sig),
         * sig / (1 - sig) of the buyer's cap, whatever its curve */
        w->l_srow[l] = r;
        w->l_sig[l] = sig;
        w->l_xs[l] =
            sig * (md->jur[v].bau - p->rlo[w->node_row[v]]) / ((1 - sig) * w->e_cv[w->l_edge[l]]);
    }
    return true;
}

/* ---- markets ------------------------------------------------------------------------------ */

/* The flow of link l in a state other than free. */
static double link_fixed(const ElFastWork *w, int l)
{
    switch (w->state[l]) {
    case LS_QUOTA:
        return w->l_up[l];
    case LS_SHARE:
        return w->l_xs[l];
    default:
        return w->l_lo[l];
    }
}

static bool edge_on(const ElFastWork *w, int e)
{
    return w->e_link[e] < 0 || w->state[w->e_link[e]] == LS_FREE;
}

/* Split the nodes into markets (connected by groups and free links), in order of their first
 * jurisdiction, with each node's theta, a spanning tree (parent edges) in breadth-first order,
 * and whether the market has a cycle (a link parallel to a group, a ring of links): its flows
 * are then the least-squares ones (market_flows). Requirements are made net of the fixed links.
 * Returns the number of markets, or -1 (w->reason) where a cycle's rates contradict each other
 * (the free state is then impossible at a positive price); w->bad_link is then the link that
 * closed the cycle, or -1. */
static int build_markets(ElFastWork *w, const ElProblem *p, const ElModelMap *m, int ne)
{
    int nj = w->ns, nn = nj + m->ngroups, e, u, k, nm = 0, pos = 0, l;
    for (u = 0; u <= nn; u++)
        w->adj_start[u] = 0;
    for (u = 0; u < nn; u++)
        w->market[u] = -1;
    for (e = 0; e < ne; e++)
        if (edge_on(w, e)) {
            w->adj_start[w->e_u[e] + 1]++;
            w->adj_start[w->e_v[e] + 1]++;
        }
    for (u = 0; u < nn; u++)
        w->adj_start[u + 1] += w->adj_start[u];
    for (u = 0; u < nn; u++)
        w->parent[u] = w->adj_start[u]; /* fill position, set properly below */
    for (e = 0; e < ne; e++)
        if (edge_on(w, e)) {
            w->adj[w->parent[w->e_u[e]]++] = e;
            w->adj[w->parent[w->e_v[e]]++] = e;
        }
    for (u = 0; u < nj; u++) {
        int q;
        if (w->market[u] >= 0)
            continue;
        w->mstart[nm] = pos;
        w->mcyc[nm] = 0;
        w->theta[u] = 1.0;
        w->parent[u] = -1;
        w->pedge[u] = -1;
        w->market[u] = nm;
        w->order[pos++] = u;
        for (q = w->mstart[nm]; q < pos; q++) {
            int x = w->order[q], t;
            for (t = w->adj_start[x]; t < w->adj_start[x + 1]; t++) {
                int ed = w->adj[t], y = w->e_u[ed] == x ? w->e_v[ed] : w->e_u[ed];
                double cx = w->e_u[ed] == x ? w->e_cu[ed] : w->e_cv[ed];
                double cy = w->e_u[ed] == x ? w->e_cv[ed] : w->e_cu[ed];
                double th = -cx * w->theta[x] / cy; /* the edge's reduced cost is zero */
                if (ed == w->pedge[x])
                    continue;
                if (w->market[y] >= 0) { /* an edge off the tree closes a cycle */
                    w->mcyc[nm] = 1;
                    if (!(fabs(th - w->theta[y]) <= CHECK_TOL * fabs(w->theta[y]))) {
                        w->reason = "a cycle whose rates multiply to less than 1";
                        w->bad_link = w->e_link[ed];
                        return -1;
                    }
                    continue;
                }
                w->theta[y] = th;
                w->parent[y] = x;
                w->pedge[y] = ed;
                w->market[y] = nm;
                w->order[pos++] = y;
            }
        }
        nm++;
    }
    w->mstart[nm] = pos;
    if (pos != nn) {
        w->reason = "a group without members";
        return -1;
    }
    for (u = 0; u < nn; u++) {
        w->req[u] = u < nj ? p->rlo[w->node_row[u]] : 0.0; /* a group's row: sum m = 0 */
        w->sh[u] = -1;
    }
    for (l = 0; l < w->nl; l++) {
        double x;
        e = w->l_edge[l];
        if (w->state[l] == LS_FREE)
            continue;
        x = link_fixed(w, l);
        w->req[w->e_u[e]] -= w->e_cu[e] * x; /* a link's units sent */
        w->req[w->e_v[e]] -= w->e_cv[e] * x;
        if (w->state[l] == LS_SHARE)
            w->sh[w->e_v[e]] = l;
    }
    for (k = 0; k < nm; k++) {
        double t = 0;
        for (u = w->mstart[k]; u < w->mstart[k + 1]; u++)
            t += w->theta[w->order[u]] * w->req[w->order[u]];
        w->mT[k] = t;
    }
    return nm;
}

/* The bits of a breakpoint b >= 0 (+0), which sort as the numbers do. */
static uint64_t key_of(double b)
{
    uint64_t k;
    b = b > 0 ? b : 0.0;
    memcpy(&k, &b, sizeof(k));
    return k;
}

/* Sort ev[0..n) by breakpoint: insertion sort when short, else a least-significant-digit radix
 * sort on the bits (8 passes of a byte at most, those where all keys agree skipped): linear in n,
 * so that a market of 10,000 members costs no more per member than one of 100. Stable. */
static void sort_events(ElFastWork *w, int n)
{
    static const int bits = 8, buckets = 256;
    size_t count[8][256];
    Event *a = w->ev, *b = w->ev_tmp;
    int i, d;
    if (n < 48) {
        for (i = 1; i < n; i++) {
            Event e = a[i];
            int k = i;
            for (; k > 0 && a[k - 1].b > e.b; k--)
                a[k] = a[k - 1];
            a[k] = e;
        }
        return;
    }
    memset(count, 0, sizeof(count));
    for (i = 0; i < n; i++) {
        uint64_t k = key_of(a[i].b);
        for (d = 0; d < 8; d++)
            count[d][(k >> (d * bits)) & (uint64_t)(buckets - 1)]++;
    }
    for (d = 0; d < 8; d++) {
        size_t pos = 0, c;
        int v, skip = 0;
        for (v = 0; v < buckets; v++)
            skip |= count[d][v] == (size_t)n;
        if (skip)
            continue;
        for (v = 0; v < buckets; v++) {
            c = count[d][v];
            count[d][v] = pos;
            pos += c;
        }
        for (i = 0; i < n; i++)
            b[count[d][(key_of(a[i].b) >> (d * bits)) & (uint64_t)(buckets - 1)]++] = a[i];
        {
            Event *t = a;
            a = b;
            b = t;
        }
    }
    if (a != w->ev)
        memcpy(w->ev, a, (size_t)n * sizeof(*a));
}

/* The market price of market k: the least P >= 0 with G(P+) >= T, by a search over the sorted
 * breakpoints of G, then exact on its interval: P = (T - alpha) / beta with alpha and beta summed
 * afresh over the pieces in force there (so that two linear MACs give sum R / sum 1/c to
 * rounding). Sets w->minf[k] when no price clears the market (its supply ends short of T). */
static void market_price(ElFastWork *w, int nj, int k)
{
    double T = w->mT[k], g0 = 0, g, slope = 0, prev = 0, lo = 0, hi = HUGE_VAL, P = 0;
    double scale = 1 + fabs(T), tol;
    int q, i, ne = 0, found = 0, at_jump = 0;
    for (q = w->mstart[k]; q < w->mstart[k + 1]; q++) {
        int j = w->order[q];
        double th;
        if (j >= nj)
            continue;
        th = w->theta[j];
        for (i = w->ifirst[j]; i < w->ifirst[j + 1]; i++) {
            Item *it = &w->items[i];
            if (it->kind == IT_INSTR && w->sh[j] >= 0)
                continue; /* priced at p_j, not at the MAC: unused (post_check) */
            if (it->kind == IT_SLOPED) {
                double s = th * th / it->h;
                it->bs = it->c / th;
                it->be = (it->c + it->h * it->u) / th;
                w->ev[ne++] = (Event){it->bs, 0.0, s};
                scale += th * it->u;
                /* the end puts the piece's whole width in, whatever the rounding of s (be - bs) */
                w->ev[ne++] = (Event){it->be, th * it->u - s * (it->be - it->bs), -s};
            } else {
                it->bs = it->c / it->a / th;
                it->be = it->bs;
                w->ev[ne++] = (Event){it->bs, th * it->u, 0.0};
                scale += isfinite(it->u) ? th * it->u : 0.0;
                if (it->a < 0)
                    g0 -= th * it->u; /* a floor withholds its volume below its price */
            }
        }
    }
    /* G is a running sum: a requirement met exactly by whole pieces (sum of widths = T) must
     * count as met whatever the rounding of the sum. 1e-12 of the scale is far below what the
     * slow path resolves (its LP checks rows to 1e-11) */
    tol = (1e-12 + 8.0 * ne * DBL_EPSILON) * scale;
    T -= tol;
    w->minf[k] = 0;
    w->mone[k] = -1;
    g = g0;
    if (g0 >= T) {
        found = 1; /* surplus at price 0 */
    } else {
        sort_events(w, ne);
        for (i = 0; i < ne && !found;) {
            double b = w->ev[i].b, gb = g + slope * (b - prev), ds = 0;
            if (slope > 0 && gb >= T) { /* T is reached inside (prev, b] */
                lo = prev;
                hi = b;
                found = 1;
                break;
            }
            for (; i < ne && w->ev[i].b == b; i++) {
                gb += w->ev[i].jump;
                ds += w->ev[i].dslope;
            }
            if (gb >= T) { /* inside the jump at b: the least price is b itself */
                P = b;
                found = at_jump = 1;
                break;
            }
            g = gb;
            slope += ds;
            prev = b;
        }
        if (!found && slope > 0) {
            lo = prev;
            found = 1;
        }
        if (!found) {
            w->minf[k] = 1;
            w->mprice[k] = HUGE_VAL;
            return;
        }
        if (!at_jump) {
            double alpha = g0, beta = 0, fixed;
            int nsloped = 0, one = -1;
            for (q = w->mstart[k]; q < w->mstart[k + 1]; q++) {
                int j = w->order[q];
                double th;
                if (j >= nj)
                    continue;
                th = w->theta[j];
                for (i = w->ifirst[j]; i < w->ifirst[j + 1]; i++) {
                    const Item *it = &w->items[i];
                    if (it->kind == IT_INSTR && w->sh[j] >= 0)
                        continue;
                    if (it->kind != IT_SLOPED) {
                        if (it->bs <= lo)
                            alpha += th * it->u;
                    } else if (it->be <= lo) {
                        alpha += th * it->u;
                    } else if (it->bs <= lo) {
                        beta += th * th / it->h;
                        nsloped++;
                        one = i;
                    }
                }
            }
            fixed = alpha;
            for (q = w->mstart[k]; q < w->mstart[k + 1] && nsloped > 1; q++) {
                int j = w->order[q];
                for (i = j < nj ? w->ifirst[j] : 0; j < nj && i < w->ifirst[j + 1]; i++) {
                    const Item *it = &w->items[i];
                    if (it->kind == IT_SLOPED && it->bs <= lo && it->be > lo)
                        alpha -= w->theta[j] * it->c / it->h;
                }
            }
            if (nsloped == 1) {
                /* one piece moves: its abatement is what the row leaves, exactly as the slow
                 * path's row gives it (x = R in autarky), and the price is its MAC there */
                const Item *it = &w->items[one];
                double th = w->theta[it->jur];
                w->mone[k] = one;
                w->mone_x[k] = fmin(fmax((w->mT[k] - fixed) / th, 0.0), it->u);
                P = (it->c + it->h * w->mone_x[k]) / th;
            } else {
                P = beta > 0 ? (w->mT[k] - alpha) / beta : lo;
            }
            P = fmin(fmax(P, lo), hi);
        }
    }
    w->mprice[k] = P;
}

/* Share total t among n tied instruments as the tie stage does: minimise sum v^2 / (2 weight)
 * with sum v = t, 0 <= v <= u, i.e. v = min(lambda weight, u). */
static void water_fill(ElFastWork *w, const int *idx, int n, double t)
{
    double omega = 0;
    int k, any = 1;
    for (k = 0; k < n; k++) {
        w->items[idx[k]].x = -1; /* not yet saturated */
        omega += w->items[idx[k]].weight;
    }
    while (any && t > 0 && omega > 0) {
        double lambda = t / omega;
        any = 0;
        for (k = 0; k < n; k++) {
            Item *it = &w->items[idx[k]];
            if (it->x < 0 && lambda * it->weight >= it->u) {
                it->x = it->u;
                t -= it->u;
                omega -= it->weight;
                any = 1;
            }
        }
    }
    for (k = 0; k < n; k++) {
        Item *it = &w->items[idx[k]];
        if (it->x < 0)
            it->x = omega > 0 && t > 0 ? t * (it->weight / omega) : 0.0;
    }
}

/* Quantities of market k at its price: every item's value, the tied ones by the tie rules, and
 * each jurisdiction's own supply. False (w->reason) where the slow path must decide. */
static bool market_quantities(ElFastWork *w, int nj, int k)
{
    double P = w->mprice[k], T = w->mT[k], th_tied = 0, fixed = 0, fscale = 0;
    double W = 0, Ws = 0, Up = 0, Vn = 0, D, tol, share, share_s, tpos, tneg;
    int q, i, t, ntied = 0, nflat = 0, ninstr = 0;
    bool uneven = false, narrow = false;
    for (q = w->mstart[k]; q < w->mstart[k + 1]; q++) {
        int j = w->order[q];
        double pj, s = 0;
        w->price[j] = w->theta[j] * P;
        if (j >= nj)
            continue;
        pj = w->price[j];
        for (i = w->ifirst[j]; i < w->ifirst[j + 1]; i++) {
            Item *it = &w->items[i];
            double d, sc;
            it->tied = 0;
            if (it->kind == IT_INSTR && w->sh[j] >= 0) {
                it->x = 0;
                continue;
            }
            if (it->kind == IT_SLOPED) {
                it->x =
                    i == w->mone[k] ? w->mone_x[k] : fmin(fmax((pj - it->c) / it->h, 0.0), it->u);
                s += it->x;
                continue;
            }
            /* tied as engine/ties.c find_face decides: |reduced cost| <= 1e-9 of its scale */
            d = it->c - it->a * pj;
            sc = TIE_TOL * (1 + fabs(it->c) + fabs(pj));
            if (fabs(d) <= sc * AMBIGUOUS && fabs(d) > sc / AMBIGUOUS) {
                w->reason = "a price within rounding of the tie threshold";
                return false;
            }
            if (fabs(d) > sc) {
                it->x = d > 0 ? 0.0 : it->u;
                if (!isfinite(it->x)) {
                    w->reason = "an unbounded instrument below the price";
                    return false;
                }
                s += it->a * it->x;
                continue;
            }
            it->tied = 1;
            it->x = 0;
            if (ntied++ == 0)
                th_tied = w->theta[j];
            else if (w->theta[j] != th_tied)
                uneven = true;
            if (it->kind == IT_FLAT) {
                if (it->sup)
                    Ws += it->u;
                else
                    W += it->u;
                nflat++;
                narrow = narrow || it->weight != it->u;
            } else {
                ninstr++;
                if (it->a > 0)
                    Up += it->u;
                else
                    Vn += it->u;
            }
            w->sel[ntied - 1] = i;
        }
        w->supply[j] = s;
        fixed += w->theta[j] * s;
        fscale += w->theta[j] * fabs(s);
    }
    w->mtied[k] = ntied;
    if (ntied == 0)
        return true;
    if (uneven) {
        w->reason = "ties across an exchange rate";
        return false;
    }
    if (P == 0) { /* rows may be slack: own steps at cost 0 are used in full (tie stage 2),
                   * a pool's not at all (stage 3) */
        if (ninstr > 0) {
            w->reason = "an instrument at price 0";
            return false;
        }
        for (t = 0; t < ntied; t++) {
            Item *it = &w->items[w->sel[t]];
            it->x = it->sup ? 0.0 : it->u;
            w->supply[it->jur] += it->x;
        }
        return true;
    }
    if (nflat > 1 && narrow) {
        w->reason = "a tied step narrower than 1e-12";
        return false;
    }
    /* what the tied columns must supply together, in tonnes of their own jurisdictions:
     * instruments only what steps cannot (stage 1, least volume), on one side */
    D = (T - fixed) / th_tied;
    tol = CHECK_TOL * (1 + (fabs(T) + fscale) / th_tied + W + Ws + Vn + (isfinite(Up) ? Up : 0));
    tpos = fmax(D - W - Ws, 0.0);
    tneg = fmax(-D, 0.0);
    if ((tpos > 0 && tpos > Up + tol) || (tneg > 0 && tneg > Vn + tol)) {
        w->reason = "tied columns cannot clear the market";
        return false;
    }
    /* own steps share the rest in proportion to their widths (stage 2: the most, min
     * sum (w - a)^2 / 2w), and a pool's steps supply what they leave, pro rata too (stage 3: the
     * least, min sum s^2 / 2w) */
    share = W > 0 ? fmin(fmax(D, 0.0), W) / W : 0.0;
    share_s = Ws > 0 ? fmin(fmax(D - W, 0.0), Ws) / Ws : 0.0;
    for (t = 0; t < ntied; t++) {
        Item *it = &w->items[w->sel[t]];
        double sh = it->sup ? share_s : share;
        if (it->kind == IT_FLAT)
            it->x = sh >= 1 ? it->u : it->u * sh;
    }
    if (tpos > 0 || tneg > 0) { /* stage 1: min sum v^2 / (2 weight) */
        bool posside = tpos > 0;
        int n = 0;
        for (t = 0; t < ntied; t++) {
            const Item *it = &w->items[w->sel[t]];
            if (it->kind == IT_INSTR && (it->a > 0) == posside)
                w->sel[ntied + n++] = w->sel[t];
        }
        water_fill(w, w->sel + ntied, n, posside ? fmin(tpos, Up) : fmin(tneg, Vn));
    }
    for (t = 0; t < ntied; t++) {
        const Item *it = &w->items[w->sel[t]];
        w->supply[it->jur] += it->a * it->x;
    }
    return true;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The tolerance on link l's flow. */
static double link_tol(const ElFastWork *w, int l)
{
    double lo = w->l_lo[l], up = w->l_up[l];
    return CHECK_TOL * (1 + (isfinite(lo) ? fabs(lo) : 0) + (isfinite(up) ? fabs(up) : 0));
}

/* The least-squares flows of market k (one with a cycle: several routes between two
 * jurisdictions), as tie stage 4 takes them: minimise sum x^2 / 2 subject to every row of the
 * market and 0 <= x <= quota on links. With the links at a bound fixed, x = A'z over the other
 * edges, where (A A') z = b is the market's weighted Laplacian, solved by a dense Cholesky
 * factorisation with the first node's z fixed at 0 (the Laplacian's null vector is theta); a
 * link beyond a bound is fixed there, and a fixed link whose multiplier has the wrong sign
 * (A'z pulling it inside) is released, until both hold. For markets of up to MAX_DENSE nodes: a
 * cycle is a small design's feature. */
static bool least_squares(ElFastWork *w, int k, double scale)
{
    int first = w->mstart[k], n = w->mstart[k + 1] - first - 1, q, t, a, b, c, it;
    double *L, *z = w->scratch;
    void *tmp;
    if (n + 1 > MAX_DENSE) {
        w->reason = "a cycle in a market of more than 300 nodes";
        return false;
    }
    if (n * n > w->cap_dense) {
        if (!(tmp = el_reallocarray(w->dense, (size_t)n * (size_t)n, sizeof(double)))) {
            w->reason = "out of memory";
            w->nomem = true; /* an error, not a decline (el_fast_solve) */
            return false;
        }
        w->dense = tmp;
        w->cap_dense = n * n;
    }
    L = w->dense;
    for (q = first; q < first + n + 1; q++) {
        int u = w->order[q];
        w->loc[u] = q - first - 1; /* the root gets -1: its z is 0 */
        for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++)
            w->e_fix[w->adj[t]] = 0;
    }
    for (it = 0; it < 4 * (n + 2); it++) {
        int changes = 0;
        for (q = 0; q < n * n; q++)
            L[q] = 0;
        for (q = first; q < first + n + 1; q++) { /* Laplacian of the edges not fixed */
            int u = w->order[q];
            a = w->loc[u];
            if (a >= 0)
                z[a] = w->acc[u];
            for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++) {
                int e = w->adj[t], v = w->e_u[e] == u ? w->e_v[e] : w->e_u[e];
                double cu = w->e_u[e] == u ? w->e_cu[e] : w->e_cv[e];
                double cv = w->e_u[e] == u ? w->e_cv[e] : w->e_cu[e];
                if (a < 0)
                    continue;
                if (w->e_fix[e]) { /* a link at a bound: its flow moves to the right-hand side */
                    z[a] -= cu * w->e_x[e];
                    continue;
                }
                b = w->loc[v];
                L[a * n + a] += cu * cu;
                if (b >= 0)
                    L[a * n + b] += cu * cv;
            }
        }
        for (c = 0; c < n; c++) { /* Cholesky, L = R'R in the lower triangle */
            double d = L[c * n + c], d0 = d;
            for (t = 0; t < c; t++)
                d -= L[c * n + t] * L[c * n + t];
            if (!(d > 1e-12 * (1 + d0))) {
                w->reason = "a singular cycle (links at bounds split the market)";
                return false;
            }
            d = sqrt(d);
            L[c * n + c] = d;
            for (a = c + 1; a < n; a++) {
                double v = L[a * n + c];
                for (t = 0; t < c; t++)
                    v -= L[a * n + t] * L[c * n + t];
                L[a * n + c] = v / d;
            }
        }
        for (a = 0; a < n; a++) { /* forward */
            double v = z[a];
            for (t = 0; t < a; t++)
                v -= L[a * n + t] * z[t];
            z[a] = v / L[a * n + a];
        }
        for (a = n - 1; a >= 0; a--) { /* backward */
            double v = z[a];
            for (t = a + 1; t < n; t++)
                v -= L[t * n + a] * z[t];
            z[a] = v / L[a * n + a];
        }
        for (q = first; q < first + n + 1; q++) { /* x_e = c_ue z_u + c_ve z_v, once per edge */
            int u = w->order[q];
            for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++) {
                int e = w->adj[t], l = w->e_link[e];
                double atz, up, lo, ptol;
                if (w->e_u[e] != u)
                    continue;
                a = w->loc[u];
                b = w->loc[w->e_v[e]];
                atz = (a >= 0 ? w->e_cu[e] * z[a] : 0) + (b >= 0 ? w->e_cv[e] * z[b] : 0);
                if (l < 0) {
                    w->e_x[e] = atz;
                    continue;
                }
                up = w->l_up[l];
                lo = w->l_lo[l];
                ptol = link_tol(w, l);
                if (w->e_fix[e] == 1 && atz > lo + ptol) { /* released from the lower bound */
                    w->e_fix[e] = 0;
                    changes++;
                } else if (w->e_fix[e] == 2 && atz < up - ptol) { /* released from the quota */
                    w->e_fix[e] = 0;
                    changes++;
                } else if (!w->e_fix[e] && atz < lo - ptol) {
                    w->e_fix[e] = 1;
                    w->e_x[e] = lo;
                    changes++;
                } else if (!w->e_fix[e] && atz > up + ptol) {
                    w->e_fix[e] = 2;
                    w->e_x[e] = up;
                    changes++;
                } else if (!w->e_fix[e]) {
                    w->e_x[e] = fmin(fmax(atz, lo), up);
                }
            }
        }
        if (changes == 0)
            break;
    }
    if (it == 4 * (n + 2)) {
        w->reason = "least-squares flows did not settle";
        return false;
    }
    for (q = first; q < first + n + 1; q++) { /* every row, the root's included, must hold */
        int u = w->order[q];
        double r = w->acc[u];
        for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++) {
            int e = w->adj[t];
            r -= (w->e_u[e] == u ? w->e_cu[e] : w->e_cv[e]) * w->e_x[e];
        }
        if (!(fabs(r) <= CHECK_TOL * scale)) {
            w->reason = "a market that does not balance";
            return false;
        }
    }
    return true;
}

/* Market k at price 0 is two nodes and the link between them, and one of them needs more than
 * its own supply at 0: each row reads c x >= acc at its node (c the link's coefficient there),
 * and with the link's bounds they leave x an interval [lo, up]; the least-squares flow (tie
 * stage 4) is its point nearest 0: the least the buyer needs, the seller's surplus
 * permitting. */
static bool lone_link_at_zero(ElFastWork *w, int k)
{
    int u = w->order[w->mstart[k] + 1], e = w->pedge[u], l = w->e_link[e], n;
    double lo = w->l_lo[l], up = w->l_up[l], tol = link_tol(w, l);
    for (n = 0; n < 2; n++) {
        int v = n == 0 ? w->e_u[e] : w->e_v[e];
        double c = n == 0 ? w->e_cu[e] : w->e_cv[e], b = w->acc[v] / c;
        if (c > 0)
            lo = fmax(lo, b);
        else
            up = fmin(up, b);
    }
    if (!(lo <= up + tol)) {
        w->reason = "a link at price 0 that cannot meet its buyer's need";
        return false;
    }
    w->e_x[e] = lo > 0 ? lo : up < 0 ? up : 0;
    return true;
}

/* Flows on the trade edges of market k. With a positive price every row holds with equality and
 * the market is a tree, so the flows follow from the leaves inwards. At price 0 rows may be
 * slack and the tie rule takes the least-squares trades: none where nobody needs anything, and
 * in a lone group m_j = max(need_j, lambda) with sum m = 0 (a water-filling). */
static bool market_flows(ElFastWork *w, int nj, int k)
{
    int first = w->mstart[k], last = w->mstart[k + 1], q, t, ngroup = 0, nlink = 0, g = -1;
    double scale = 1;
    for (q = first; q < last; q++) {
        int u = w->order[q];
        w->acc[u] = u < nj ? w->req[u] - w->supply[u] : w->req[u];
        if (u < nj)
            scale += fabs(w->req[u]) + fabs(w->supply[u]);
        else {
            scale += fabs(w->req[u]);
            ngroup++;
            g = u - nj;
        }
        for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++) {
            w->e_x[w->adj[t]] = 0;
            nlink += w->e_link[w->adj[t]] >= 0;
        }
    }
    if (w->mprice[k] == 0) {
        double lambda, suffix = 0;
        int n = 0, i;
        bool needy = false;
        for (q = first; q < last; q++) {
            int u = w->order[q];
            if (u < nj && w->acc[u] > 1e-11 * (1 + fabs(w->req[u]) + fabs(w->supply[u])))
                needy = true;
        }
        if (!needy)
            return true; /* zero flows */
        if (ngroup == 0 && nlink == 2 && last - first == 2 && !w->mcyc[k])
            return lone_link_at_zero(w, k);
        if (ngroup != 1 || nlink > 0 || w->mcyc[k]) {
            w->reason = "trade in a market at price 0 beyond one group";
            return false;
        }
        for (q = first; q < last; q++)
            if (w->order[q] < nj)
                w->scratch[n++] = w->acc[w->order[q]];
        qsort(w->scratch, (size_t)n, sizeof(double), by_value);
        for (i = 0; i < n; i++)
            suffix += w->scratch[i];
        lambda = 0;
        for (i = 0; i < n; i++) { /* the i + 1 lowest at lambda, the others at their needs */
            suffix -= w->scratch[i];
            lambda = -suffix / (i + 1);
            if (lambda >= w->scratch[i] && (i + 1 == n || lambda <= w->scratch[i + 1]))
                break;
        }
        if (i == n) {
            w->reason = "no water level in a group at price 0";
            return false;
        }
        for (i = w->gfirst[g]; i < w->gfirst[g + 1]; i++)
            if (w->market[w->e_u[i]] != k) { /* a member held at its cap outside the market */
                w->reason = "a group at price 0 with a member outside its market";
                return false;
            }
        for (i = w->gfirst[g]; i < w->gfirst[g + 1]; i++)
            w->e_x[i] = fmax(w->acc[w->e_u[i]], lambda);
        return true;
    }
    if (w->mcyc[k])
        return least_squares(w, k, scale);
    for (q = last - 1; q > first; q--) { /* leaves first: the root is order[first] */
        int u = w->order[q], e = w->pedge[u];
        bool at_u = w->e_u[e] == u;
        double cu = at_u ? w->e_cu[e] : w->e_cv[e], co = at_u ? w->e_cv[e] : w->e_cu[e];
        double x = w->acc[u] / cu;
        w->e_x[e] = x;
        w->acc[w->parent[u]] -= co * x;
    }
    if (!(fabs(w->acc[w->order[first]]) <= CHECK_TOL * scale)) {
        w->reason = "a market that does not balance";
        return false;
    }
    return true;
}

/* Own abatement of node v (its MAC pieces, without instruments). */
static double own_abatement(const ElFastWork *w, int v)
{
    double a = 0;
    int i;
    for (i = w->ifirst[v]; i < w->ifirst[v + 1]; i++)
        if (w->items[i].kind != IT_INSTR)
            a += w->items[i].x;
    return a;
}

/* Links whose state contradicts the prices and flows: viol[l] > 0 says how much (relative), and
 * target[l] the state to switch to. A link's flow helps one node (a link's buyer, a group
 * member's own row) and takes from the other (the seller, the group's balance); gap is minus the
 * flow's reduced cost (rate p_to - p_from on a link, p_j - P on a membership). A share that may
 * bind (l_srow) is checked in the free and quota states, and in LS_SHARE its dual
 * (p_to - p_from / rate) must be >= 0 and its flow within the bounds. */
static int link_violations(ElFastWork *w, const ElProblem *p)
{
    int l, n = 0;
    for (l = 0; l < w->nl; l++) {
        int e = w->l_edge[l], u = w->e_u[e], v = w->e_v[e];
        bool member = v >= w->ns;
        int hp = member ? u : v, hr = member ? v : u;
        double cu = w->e_cu[e], cv = w->e_cv[e], up = w->l_up[l], lo = w->l_lo[l];
        double gap = cu * w->price[u] + cv * w->price[v];
        double sc = 1 + fabs(cu * w->price[u]) + fabs(cv * w->price[v]), tol = TIE_TOL * sc;
        double ptol = link_tol(w, l), unit = ptol / CHECK_TOL, x;
        bool inf_p = w->minf[w->market[hp]] != 0, inf_r = w->minf[w->market[hr]] != 0;
        w->viol[l] = 0;
        w->target[l] = LS_FREE;
        switch (w->state[l]) {
        case LS_ZERO:
            if (inf_p && !inf_r)
                w->viol[l] = HUGE_VAL; /* a market short of supply: let it import */
            else if (!inf_p && !inf_r && gap > tol)
                w->viol[l] = gap / sc;
            break;
        case LS_SHARE:
            if (inf_r && !inf_p)
                w->viol[l] = HUGE_VAL;
            else if (inf_r || inf_p)
                break;
            else if (gap < -tol) /* a negative share dual: the share does not bind */
                w->viol[l] = -gap / sc;
            else if (w->l_xs[l] > up + ptol) {
                w->viol[l] = (w->l_xs[l] - up) / unit;
                w->target[l] = LS_QUOTA;
            } else if (w->l_xs[l] < lo - ptol) {
                w->viol[l] = (lo - w->l_xs[l]) / unit;
                w->target[l] = LS_ZERO;
            }
            break;
        case LS_QUOTA:
            if (inf_r && !inf_p)
                w->viol[l] = HUGE_VAL; /* the seller cannot supply the quota */
            else if (!inf_p && !inf_r && gap < -tol)
                w->viol[l] = -gap / sc;
            break;
        default:
            if (inf_r)
                break;
            x = w->e_x[e];
            if (x < lo - ptol) {
                w->viol[l] = (lo - x) / unit;
                w->target[l] = LS_ZERO;
            } else if (x > up + ptol) {
                w->viol[l] = (x - up) / unit;
                w->target[l] = LS_QUOTA;
            }
        }
        if (w->viol[l] == 0 && w->l_srow[l] >= 0 &&
            (w->state[l] == LS_FREE || w->state[l] == LS_QUOTA) && !inf_p && !inf_r) {
            double a = own_abatement(w, v), rhs = p->rup[w->l_srow[l]];
            double lhs = cv * (w->state[l] == LS_QUOTA ? up : w->e_x[e]) + w->l_sig[l] * a;
            double stol = CHECK_TOL * (1 + fabs(lhs) + fabs(rhs));
            if (lhs > rhs + stol) {
                w->viol[l] = (lhs - rhs) / (1 + fabs(rhs));
                w->target[l] = LS_SHARE;
            }
        }
        n += w->viol[l] > 0;
    }
    return n;
}

static void switch_link(ElFastWork *w, int l)
{
    w->state[l] = w->target[l];
}

/* Each link whose share binds: its buyer v's market priced its MAC (instruments aside), and
 * the compliance price follows from the abatement columns' stationarity,
 * MAC = p_v - sig mu with mu = p_v - p_from / rate (the flow's): p_v = (MAC - sig p_from / rate)
 * / (1 - sig) (docs/model.md §5). */
static void share_prices(ElFastWork *w)
{
    int l;
    for (l = 0; l < w->nl; l++) {
        int e = w->l_edge[l], u = w->e_u[e], v = w->e_v[e];
        double sig = w->l_sig[l];
        if (w->state[l] != LS_SHARE || !isfinite(w->price[u]) || !isfinite(w->price[v]))
            continue;
        w->mac[v] = w->price[v];
        w->price[v] = (w->mac[v] - sig * w->price[u] / w->e_cv[e]) / (1 - sig);
    }
}

/* The pool node of market k if the market is that pool alone and nothing is taken from it (all
 * its acceptances at zero), else -1. */
static int lone_pool(const ElFastWork *w, int k)
{
    int u = w->order[w->mstart[k]];
    return w->mstart[k + 1] - w->mstart[k] == 1 && u >= w->nj && u < w->ns && w->mT[k] == 0 ? u
                                                                                            : -1;
}

/* The credit price of the pools that supply nothing, as the slow path's lowered requirement
 * gives it (docs/model.md §4.1): the most a buyer with room would pay, delta p_j over the
 * acceptances, but no more than the cost of the first credit (beyond it the pool would supply
 * and the acceptance goes free). The buyers' markets, of jurisdictions, are solved before. */
static void lone_pool_prices(ElFastWork *w, int nm)
{
    int k, l, i;
    for (l = w->nlinks; l < w->nla; l++) {
        int e = w->l_edge[l], u = w->e_u[e];
        w->pval[u] = 0;
    }
    for (l = w->nlinks; l < w->nla; l++) {
        int e = w->l_edge[l], u = w->e_u[e];
        if (lone_pool(w, w->market[u]) >= 0 && w->l_up[l] > w->l_lo[l])
            w->pval[u] = fmax(w->pval[u], w->e_cv[e] * w->price[w->e_v[e]]);
    }
    for (k = 0; k < nm; k++) {
        int u = lone_pool(w, k);
        double b0 = HUGE_VAL;
        if (u < 0)
            continue;
        for (i = w->ifirst[u]; i < w->ifirst[u + 1]; i++)
            b0 = fmin(b0, w->items[i].bs); /* theta = 1: the pool leads its market */
        w->mprice[k] = fmin(w->pval[u], b0);
    }
}

/* Link states, markets, prices and quantities until every link is consistent. Returns 1 when
 * converged, 0 when left to the slow path (w->reason). */
static int iterate(ElFastWork *w, const ElProblem *p, const ElModelMap *m, int ne, int max_iter)
{
    int nj = w->ns, it;
    for (it = 0; it < max_iter; it++) {
        int nm, k, l, nv, best = -1, lone = 0;
        w->bad_link = -1;
        nm = build_markets(w, p, m, ne);
        if (nm < 0 && w->bad_link >= 0 && it + 1 < max_iter) {
            w->state[w->bad_link] = LS_ZERO; /* the cycle cannot be free: open it there */
            continue;
        }
        if (nm < 0)
            return 0;
        for (k = 0; k < nm; k++) {
            market_price(w, nj, k);
            if (w->minf[k]) {
                int q;
                for (q = w->mstart[k]; q < w->mstart[k + 1]; q++)
                    w->price[w->order[q]] = HUGE_VAL;
                continue;
            }
            if (lone_pool(w, k) >= 0) {
                lone++; /* priced below, once its buyers are */
                continue;
            }
            if (!market_quantities(w, nj, k) || !market_flows(w, nj, k))
                return 0;
        }
        if (lone > 0) {
            lone_pool_prices(w, nm);
            for (k = 0; k < nm; k++)
                if (lone_pool(w, k) >= 0 &&
                    (!market_quantities(w, nj, k) || !market_flows(w, nj, k)))
                    return 0;
        }
        share_prices(w);
        nv = link_violations(w, p);
        if (nv == 0) {
            for (k = 0; k < nm; k++)
                if (w->minf[k]) {
                    w->reason = "no equilibrium (a market short of supply)";
                    return 0;
                }
            return 1;
        }
        for (l = 0; l < w->nl; l++)
            if (w->viol[l] > 0) {
                if (it < FULL_ITERS)
                    switch_link(w, l);
                else if (best < 0 || w->viol[l] > w->viol[best])
                    best = l;
            }
        if (best >= 0)
            switch_link(w, best);
    }
    w->reason = "link states did not settle";
    return 0;
}

/* Links at zero or at their quota whose reduced cost is zero (to 1e-9) are trade columns on the
 * slow path's optimal face: the tie rule (least-squares trades) may move them. They are made
 * free, which merges their markets without changing any price (each market's price was the
 * least that clears it, so the least that clears both is the same), and the markets are solved
 * once more. The states are then canonical: the same answer from any starting guess. Returns the
 * number of links made free, or -1 (w->reason) for a reduced cost within rounding of the
 * threshold. An acceptance of a pool that supplies nothing is left at zero when none of the
 * pool's steps is tied: the pool's price is its best buyer's value by construction
 * (lone_pool_prices), and nothing the tie rules choose can make it supply. A tied step (the
 * buyer's value is the cost of the first credit) could replace the buyer's tied columns (least
 * instrument volume first): the acceptance is made free and the markets solved together. */
static int free_degenerate(ElFastWork *w)
{
    int l, n = 0, t;
    for (l = 0; l < w->nl; l++) {
        int e = w->l_edge[l], i = w->e_u[e], j = w->e_v[e];
        double gap = w->e_cu[e] * w->price[i] + w->e_cv[e] * w->price[j];
        double tol =
            TIE_TOL * (1 + fabs(w->e_cu[e] * w->price[i]) + fabs(w->e_cv[e] * w->price[j]));
        bool untied = true;
        bool accept = l >= w->nlinks && l < w->nla;
        if (w->state[l] == LS_FREE || w->state[l] == LS_SHARE || !(w->l_up[l] > w->l_lo[l]) ||
            fabs(gap) > tol * AMBIGUOUS)
            continue;
        for (t = w->ifirst[i]; accept && t < w->ifirst[i + 1]; t++)
            untied = untied && !w->items[t].tied;
        if (accept && untied && lone_pool(w, w->market[i]) >= 0)
            continue;
        if (fabs(gap) > tol / AMBIGUOUS) {
            w->reason = "a link within rounding of the tie threshold";
            return -1;
        }
        w->state[l] = LS_FREE;
        n++;
    }
    return n;
}

static bool at_bound(const ElFastWork *w, int e)
{
    int l = w->e_link[e];
    double x = w->e_x[e], ptol;
    if (l < 0)
        return false;
    ptol = link_tol(w, l);
    return x <= w->l_lo[l] + ptol || x >= w->l_up[l] - ptol;
}

/* The part of market k reached from node `start` through its edges other than links at a
 * bound (marked with `stamp`). Returns whether that part is cleared only at the market price:
 * below it the part's supply falls short, because a MAC piece slopes up to the price or tied
 * columns supply something beyond their least. */
static bool part_stuck(ElFastWork *w, int nj, int k, int start, int stamp)
{
    double P = w->mprice[k];
    int head = 0, tail = 0, i;
    bool stuck = false, pool_only = true;
    w->mark[start] = stamp;
    w->queue[tail++] = start;
    while (head < tail) {
        int u = w->queue[head++], t;
        for (t = w->adj_start[u]; t < w->adj_start[u + 1]; t++) {
            int e = w->adj[t], v = w->e_u[e] == u ? w->e_v[e] : w->e_u[e];
            if (w->mark[v] != stamp && !at_bound(w, e)) {
                w->mark[v] = stamp;
                w->queue[tail++] = v;
            }
        }
        pool_only = pool_only && u >= w->nj && u < w->ns;
        for (i = u < nj ? w->ifirst[u] : 0; u < nj && i < w->ifirst[u + 1]; i++) {
            const Item *it = &w->items[i];
            double tiny = CHECK_TOL * (1 + (isfinite(it->u) ? it->u : 0));
            pool_only = pool_only && it->x <= tiny;
            if (it->kind == IT_SLOPED)
                stuck = stuck || (it->bs < P && P <= it->be);
            else if (it->tied)
                stuck = stuck || (it->a > 0 ? it->x > tiny : it->x < it->u - tiny);
        }
    }
    /* a pool that would supply nothing on its own: its price is then its best buyer's value
     * (lone_pool_prices), the market's */
    return stuck || pool_only;
}

/* Last checks before the point is written: a positive price within rounding of the slow path's
 * activity threshold (1e-9 of the largest dual), and a free link whose flow sits at a bound in a
 * priced market (it could as well be at that bound, and where some market's price is an
 * interval, whole steps, the two states can give different prices: the slow path's left
 * derivative decides). Returns false (w->reason) to leave the design to the slow path. */
static bool post_check(ElFastWork *w, const ElModelMap *m)
{
    int nj = w->ns, nn = nj + m->ngroups, l, u, stamp = 0;
    double ymax = 0;
    bool stuck;
    for (u = 0; u < nn; u++)
        ymax = fmax(ymax, fabs(w->price[u]));
    for (u = 0; u < nj; u++)
        if (w->price[u] > 0 && w->price[u] <= AMBIGUOUS * TIE_TOL * (1 + ymax)) {
            w->reason = "a price near the activity threshold";
            return false;
        }
    for (l = 0; l < w->nl; l++) { /* binding shares: a clear dual, the buyer's instruments unused */
        int e = w->l_edge[l], i = w->e_u[e], v = w->e_v[e], t;
        double gap = w->e_cu[e] * w->price[i] + w->e_cv[e] * w->price[v];
        double sc = 1 + fabs(w->e_cu[e] * w->price[i]) + fabs(w->e_cv[e] * w->price[v]);
        if (w->state[l] != LS_SHARE)
            continue;
        if (!(w->mac[v] > 0) || gap <= AMBIGUOUS * TIE_TOL * sc) {
            w->reason = "a binding share at price 0 or with a dual near 0";
            return false;
        }
        for (t = w->ifirst[v]; t < w->ifirst[v + 1]; t++) {
            const Item *it = &w->items[t];
            double d = it->c - it->a * w->price[v];
            if (it->kind == IT_INSTR &&
                !(d > AMBIGUOUS * TIE_TOL * (1 + fabs(it->c) + w->price[v]))) {
                w->reason = "a binding share with an instrument in use";
                return false;
            }
        }
    }
    /* an untraded pool's price is an interval (below its first credit's cost); the result
     * reports its lower end whichever the path (engine/equilibrium.c, untraded_price) */
    for (u = 0; u < nn; u++)
        w->mark[u] = 0;
    for (l = 0; l < w->nl; l++) {
        int e = w->l_edge[l];
        int k = w->market[w->e_u[e]];
        if (w->state[l] != LS_FREE || !at_bound(w, e) || !(w->mprice[k] > 0))
            continue;
        /* the link could as well be at that bound. If the other routes keep the market whole,
         * nothing changes; if it splits, each part's price is the least that clears it, which
         * stays the market's only if below it each part falls short */
        stamp += 2;
        stuck = part_stuck(w, nj, k, w->e_u[e], stamp);
        if (w->mark[w->e_v[e]] == stamp)
            continue; /* not a bridge */
        if (!stuck || !part_stuck(w, nj, k, w->e_v[e], stamp + 1)) {
            w->reason = "a free link at a bound where a market's price is an interval";
            return false;
        }
    }
    return true;
}

/* The point: columns, duals (compliance rows: prices; pool rows: credit prices; group rows:
 * minus the group's price; share and credit-limit rows: 0), statuses and objective. */
static void fill_solution(ElFastWork *w, const ElProblem *p, const ElModelMap *m, ElSolution *sol)
{
    int nj = w->ns, i, j, e, g, l;
    for (j = 0; j < p->ncols; j++)
        sol->x[j] = 0;
    for (i = 0; i < p->nrows; i++) {
        sol->y[i] = 0;
        sol->rstat[i] = EL_ST_BASIC;
    }
    for (i = 0; i < w->ifirst[nj]; i++) {
        const Item *it = &w->items[i];
        sol->x[it->col] = fmin(fmax(it->x, 0.0), it->u);
    }
    for (e = 0; e < w->gfirst[m->ngroups]; e++)
        sol->x[w->e_col[e]] = w->e_x[e];
    for (l = 0; l < w->nl; l++) {
        int c = w->e_col[w->l_edge[l]];
        sol->x[c] = w->state[l] == LS_FREE
                        ? fmin(fmax(w->e_x[w->l_edge[l]], w->l_lo[l]), w->l_up[l])
                        : link_fixed(w, l);
    }
    for (j = 0; j < nj; j++) {
        int r = w->node_row[j];
        sol->y[r] = w->price[j] > 0 ? w->price[j] : 0.0;
        sol->rstat[r] = sol->y[r] > 0 ? EL_ST_LOWER : EL_ST_BASIC;
    }
    for (g = 0; g < m->ngroups; g++) {
        sol->y[m->group_row[g]] = w->price[nj + g] < 0 ? w->price[nj + g] : 0.0;
        sol->rstat[m->group_row[g]] = EL_ST_FIXED;
    }
    for (l = 0; l < w->nl; l++) {
        /* the flow's reduced cost over its nodes' rows, d0 = -(c_u y_u + c_v y_v); a limit row
         * (a x <= b) that holds it at a bound takes it: d0 - a y_r = 0, y_r <= 0. A binding share:
         * y_s = -(p_to - p_from / rate), so that the flow's reduced cost is 0 (sup. share_prices)
         */
        int f = w->l_edge[l], u = w->e_u[f], v = w->e_v[f], r = -1;
        int ru = u < nj ? w->node_row[u] : m->group_row[u - nj];
        int rv = v < nj ? w->node_row[v] : m->group_row[v - nj];
        double d0 = -(w->e_cu[f] * sol->y[ru] + w->e_cv[f] * sol->y[rv]), a = 0;
        if (w->state[l] == LS_SHARE) {
            r = w->l_srow[l];
            a = w->e_cv[f];
        } else if (w->state[l] == LS_ZERO && w->l_lorow[l] >= 0) {
            r = w->l_lorow[l];
            a = w->l_loa[l];
        } else if (w->state[l] == LS_QUOTA && w->l_uprow[l] >= 0) {
            r = w->l_uprow[l];
            a = w->l_upa[l];
        }
        if (r < 0)
            continue;
        sol->y[r] = fmin(d0 / a, 0.0);
        sol->rstat[r] = sol->y[r] < 0 ? EL_ST_UPPER : EL_ST_BASIC;
    }
    sol->obj = 0;
    for (j = 0; j < p->ncols; j++) {
        double x = sol->x[j];
        sol->obj += p->c[j] * x + 0.5 * p->h[j] * x * x;
        sol->cstat[j] = !isfinite(p->lo[j]) && !isfinite(p->up[j]) ? EL_ST_BASIC
                        : x <= p->lo[j]                            ? EL_ST_LOWER
                        : x >= p->up[j]                            ? EL_ST_UPPER
                                                                   : EL_ST_BASIC;
    }
    sol->outcome = EL_OPTIMAL;
}

static double finite_abs(double v)
{
    return isfinite(v) ? fabs(v) : 0.0;
}

/* Every optimality condition of p at (x, y), relative CHECK_TOL, whatever produced the point:
 * bounds, rows, reduced costs d = c + h x - A'y with the sign of the column's position, duals
 * with the sign of their row and zero on a row that does not hold with equality. */
static bool verify(ElFastWork *w, const ElProblem *p, const ElSolution *sol)
{
    const double *x = sol->x, *y = sol->y;
    double ymax = 0;
    int i, j, t;
    for (i = 0; i < p->nrows; i++) {
        w->act[i] = 0;
        w->ascale[i] = 0;
        ymax = fmax(ymax, fabs(y[i]));
    }
    for (j = 0; j < p->ncols; j++) {
        double hx = p->h[j] * x[j];
        if (!isfinite(x[j])) {
            w->reason = "the point did not verify: not finite";
            return false;
        }
        w->dj[j] = p->c[j] + hx;
        w->dscale[j] = 1 + fabs(p->c[j]) + fabs(hx);
    }
    for (t = 0; t < p->nnz; t++) {
        double ax = p->av[t] * x[p->aj[t]], ay = p->av[t] * y[p->ai[t]];
        w->act[p->ai[t]] += ax;
        w->ascale[p->ai[t]] += fabs(ax);
        w->dj[p->aj[t]] -= ay;
        w->dscale[p->aj[t]] += fabs(ay);
    }
    for (j = 0; j < p->ncols; j++) {
        double lo = p->lo[j], up = p->up[j], d = w->dj[j], td = CHECK_TOL * w->dscale[j];
        bool at_lo = isfinite(lo) && x[j] <= lo + CHECK_TOL * (1 + fabs(lo));
        bool at_up = isfinite(up) && x[j] >= up - CHECK_TOL * (1 + fabs(up));
        if (x[j] < lo - CHECK_TOL * (1 + finite_abs(lo)) ||
            x[j] > up + CHECK_TOL * (1 + finite_abs(up))) {
            w->reason = "the point did not verify: a column out of its bounds";
            return false;
        }
        if (at_lo && at_up)
            continue;
        if ((at_lo && d < -td) || (at_up && d > td) || (!at_lo && !at_up && fabs(d) > td)) {
            w->reason = "the point did not verify: a reduced cost";
            return false;
        }
    }
    for (i = 0; i < p->nrows; i++) {
        double lo = p->rlo[i], up = p->rup[i], a = w->act[i], ty = CHECK_TOL * (1 + ymax);
        double tr = CHECK_TOL * (1 + w->ascale[i] + finite_abs(lo) + finite_abs(up));
        if (!isfinite(y[i]) || a < lo - tr || a > up + tr) {
            /* typically a credit-limit or quota-share row the fast path takes as slack */
            w->reason = "the point did not verify: a row (a binding credit limit or share)";
            return false;
        }
        if (lo == up)
            continue;
        if ((y[i] > ty && !(isfinite(lo) && a <= lo + tr)) ||
            (y[i] < -ty && !(isfinite(up) && a >= up - tr))) {
            w->reason = "the point did not verify: a dual";
            return false;
        }
    }
    return true;
}

/* What identifies link l across solves: (from, to) of a design's link, (-1 - pool, jurisdiction)
 * of an acceptance, (-2^24 - group, member) of a bounded membership. */
static void link_key(const ElFastWork *w, const ElModelMap *m, const ElDesign *des, int l, int *key)
{
    if (l < w->nlinks) {
        key[0] = des->links[l].from;
        key[1] = des->links[l].to;
    } else if (l < w->nla) {
        key[0] = -1 - m->accepts[l - w->nlinks].spec.pool;
        key[1] = m->accepts[l - w->nlinks].spec.jur;
    } else {
        key[0] = -(1 << 24) - (w->e_v[w->l_edge[l]] - w->ns);
        key[1] = w->e_u[w->l_edge[l]];
    }
}

/* Link states to start from: the last solve's, if it had the same links, else all at zero. */
static bool start_states(ElFastWork *w, const ElModelMap *m, const ElDesign *des, bool allow_warm)
{
    int l, key[2];
    bool warm = allow_warm && w->have_prev && w->prev_nlinks == w->nl;
    for (l = 0; warm && l < w->nl; l++) {
        link_key(w, m, des, l, key);
        warm = w->prev_from[l] == key[0] && w->prev_to[l] == key[1];
    }
    for (l = 0; l < w->nl; l++) {
        w->state[l] = warm ? w->prev_state[l] : LS_ZERO;
        if (w->state[l] == LS_QUOTA && !isfinite(w->l_up[l]))
            w->state[l] = LS_ZERO; /* the same link without a quota now */
        if (w->state[l] == LS_SHARE && w->l_srow[l] < 0)
            w->state[l] = LS_FREE; /* its share cannot bind now */
        if (w->state[l] == LS_ZERO && !isfinite(w->l_lo[l]))
            w->state[l] = LS_FREE;
    }
    return warm && w->nl > 0;
}

static void keep_states(ElFastWork *w, const ElModelMap *m, const ElDesign *des)
{
    int l, key[2];
    for (l = 0; l < w->nl; l++) {
        link_key(w, m, des, l, key);
        w->prev_state[l] = w->state[l];
        w->prev_from[l] = key[0];
        w->prev_to[l] = key[1];
    }
    w->prev_nlinks = w->nl;
    w->have_prev = true;
}

el_status el_fast_solve(ElFastWork *w,
                        const ElModelData *md,
                        const ElProblem *p,
                        const ElModelMap *m,
                        ElSolution *sol,
                        bool *solved,
                        ElError *err)
{
    ElFastWork *own = NULL;
    el_status st = EL_OK;
    int ni, ne, np, r;
    bool warm;
    *solved = false;
    if (!w) {
        st = el_fast_work_create(&own, err);
        if (st != EL_OK)
            return st;
        w = own;
    }
    w->reason = "";
    w->nomem = false;
    if (sol->ncols != p->ncols || sol->nrows != p->nrows) {
        w->reason = "solution of the wrong size";
        goto done;
    }
    if (!supported(w, md, p, m, &ni, &ne, &np))
        goto done;
    w->nj = m->njur;
    w->ns = m->njur + np;
    w->nlinks = m->nlinks;
    w->nla = w->nl = m->nlinks + m->naccepts; /* setup adds the bounded memberships */
    if (!reserve(w, (w->ns + m->ngroups > m->npools ? w->ns + m->ngroups : m->npools), m->ngroups,
                 ni, ne, w->nl + m->nexport_caps + m->nimport_limits, p)) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (fast path)");
        goto done;
    }
    if (!setup(w, md, p, m))
        goto done;
    warm = start_states(w, m, md->d, true);
    r = iterate(w, p, m, ne, MAX_ITER + 2 * w->nl);
    if (warm && r != 1) { /* the last solve's states led nowhere: start again from zero */
        start_states(w, m, md->d, false);
        r = iterate(w, p, m, ne, MAX_ITER + 2 * w->nl);
    }
    if (r == 1) {
        int n = free_degenerate(w);
        r = n < 0 ? 0 : n == 0 ? 1 : iterate(w, p, m, ne, 1);
    }
    if (w->nomem) {
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (fast path)");
        goto done;
    }
    if (r != 1 || !post_check(w, m))
        goto done;
    fill_solution(w, p, m, sol);
    if (!verify(w, p, sol))
        goto done;
    *solved = true;
    keep_states(w, m, md->d);
done:
    el_fast_work_free(own);
    return st;
}
