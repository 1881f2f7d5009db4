/* MAC curves as merit-ordered affine pieces. Invariants: pieces are contiguous from q = 0, widths
 * are positive and finite (after truncation), p0 and slope are >= 0 and the MAC never falls from
 * one piece to the next. */
#include "mac.h"

#include <math.h>
#include <string.h>

#include "el_alloc.h"

struct ElMac {
    ElMacForm form;
    int n;
    ElMacPiece *pieces;
};

static el_status make(ElMac **out, ElMacForm form, int n, ElError *err)
{
    ElMac *m;
    *out = NULL;
    m = el_calloc(1, sizeof(*m));
    if (!m)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (MAC curve)");
    m->form = form;
    m->pieces = el_calloc((size_t)(n > 0 ? n : 1), sizeof(*m->pieces));
    if (!m->pieces) {
        el_mac_free(m);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (MAC curve)");
    }
    m->n = 0;
    *out = m;
    return EL_OK;
}

el_status
el_mac_create_linear(ElMac **out, double intercept, double slope, double max_q, ElError *err)
{
    el_status st;
    *out = NULL;
    if (!isfinite(intercept) || intercept < 0)
        return el_error_set(err, EL_ERR_INPUT, "linear MAC: intercept %g must be finite and >= 0",
                            intercept);
    if (!isfinite(slope) || slope < 0)
        return el_error_set(err, EL_ERR_INPUT, "linear MAC: slope %g must be finite and >= 0",
                            slope);
    if (isnan(max_q) || max_q <= 0)
        return el_error_set(err, EL_ERR_INPUT, "linear MAC: max %g must be > 0", max_q);
    st = make(out, EL_MAC_LINEAR, 1, err);
    if (st != EL_OK)
        return st;
    (*out)->pieces[0] = (ElMacPiece){0.0, max_q, intercept, slope};
    (*out)->n = 1;
    return EL_OK;
}

el_status el_mac_create_points(ElMac **out, const double *q, const double *p, int n, ElError *err)
{
    el_status st;
    int i;
    *out = NULL;
    if (n < 2)
        return el_error_set(err, EL_ERR_INPUT, "MAC points: need at least 2 points, got %d", n);
    for (i = 0; i < n; i++) {
        if (!isfinite(q[i]) || !isfinite(p[i]))
            return el_error_set(err, EL_ERR_INPUT, "MAC point %d: q and p must be finite", i + 1);
        if (p[i] < 0)
            return el_error_set(err, EL_ERR_INPUT, "MAC point %d: p = %g is negative", i + 1, p[i]);
    }
    if (q[0] != 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "MAC points: the first point must have q = 0, not %g", q[0]);
    for (i = 1; i < n; i++) {
        if (q[i] <= q[i - 1])
            return el_error_set(err, EL_ERR_INPUT,
                                "MAC point %d: q = %g does not increase (previous q = %g)", i + 1,
                                q[i], q[i - 1]);
        if (p[i] < p[i - 1])
            return el_error_set(err, EL_ERR_INPUT,
                                "MAC point %d: p = %g falls below the previous p = %g (a MAC "
                                "curve must be non-decreasing)",
                                i + 1, p[i], p[i - 1]);
    }
    st = make(out, EL_MAC_POINTS, n - 1, err);
    if (st != EL_OK)
        return st;
    for (i = 0; i + 1 < n; i++) {
        double w = q[i + 1] - q[i];
        (*out)->pieces[i] = (ElMacPiece){q[i], w, p[i], (p[i + 1] - p[i]) / w};
    }
    (*out)->n = n - 1;
    return EL_OK;
}

el_status el_mac_create_steps(ElMac **out, const double *q, const double *p, int n, ElError *err)
{
    el_status st;
    double cum = 0;
    int i;
    *out = NULL;
    if (n < 1)
        return el_error_set(err, EL_ERR_INPUT, "MAC steps: need at least 1 step");
    for (i = 0; i < n; i++) {
        if (!isfinite(q[i]) || !isfinite(p[i]))
            return el_error_set(err, EL_ERR_INPUT, "MAC step %d: q and p must be finite", i + 1);
        if (q[i] <= 0)
            return el_error_set(err, EL_ERR_INPUT, "MAC step %d: q = %g must be > 0", i + 1, q[i]);
        if (p[i] < 0)
            return el_error_set(err, EL_ERR_INPUT, "MAC step %d: p = %g is negative", i + 1, p[i]);
        if (i > 0 && p[i] < p[i - 1])
            return el_error_set(err, EL_ERR_INPUT,
                                "MAC step %d: cost %g is below the previous step's %g (steps "
                                "must be in merit order)",
                                i + 1, p[i], p[i - 1]);
    }
    st = make(out, EL_MAC_STEPS, n, err);
    if (st != EL_OK)
        return st;
    for (i = 0; i < n; i++) {
        (*out)->pieces[i] = (ElMacPiece){cum, q[i], p[i], 0.0};
        cum += q[i];
    }
    (*out)->n = n;
    return EL_OK;
}

el_status el_mac_copy(ElMac **out, const ElMac *m, ElError *err)
{
    el_status st = make(out, m->form, m->n, err);
    if (st != EL_OK)
        return st;
    memcpy((*out)->pieces, m->pieces, (size_t)m->n * sizeof(*m->pieces));
    (*out)->n = m->n;
    return EL_OK;
}

void el_mac_free(ElMac *m)
{
    if (!m)
        return;
    el_free(m->pieces);
    el_free(m);
}

el_status el_mac_truncate(ElMac *m, double max_q, ElError *err)
{
    int i;
    if (isnan(max_q) || max_q < 0)
        return el_error_set(err, EL_ERR_INPUT, "MAC truncation at %g is invalid", max_q);
    for (i = 0; i < m->n; i++) {
        ElMacPiece *pc = &m->pieces[i];
        if (pc->q0 >= max_q) {
            break;
        }
        if (pc->q0 + pc->width > max_q)
            pc->width = max_q - pc->q0;
    }
    m->n = i;
    return EL_OK;
}

ElMacForm el_mac_form(const ElMac *m)
{
    return m->form;
}

int el_mac_piece_count(const ElMac *m)
{
    return m->n;
}

const ElMacPiece *el_mac_piece(const ElMac *m, int i)
{
    return (i >= 0 && i < m->n) ? &m->pieces[i] : NULL;
}

double el_mac_max_abatement(const ElMac *m)
{
    if (m->n == 0)
        return 0.0;
    return m->pieces[m->n - 1].q0 + m->pieces[m->n - 1].width;
}

double el_mac_value(const ElMac *m, double q)
{
    int i;
    if (m->n == 0)
        return HUGE_VAL;
    for (i = 0; i < m->n; i++) {
        const ElMacPiece *pc = &m->pieces[i];
        if (q < pc->q0 + pc->width)
            return pc->p0 + pc->slope * (q > pc->q0 ? q - pc->q0 : 0.0);
    }
    {
        const ElMacPiece *last = &m->pieces[m->n - 1];
        return last->p0 + last->slope * last->width;
    }
}

double el_mac_cost(const ElMac *m, double q)
{
    double total = 0;
    int i;
    for (i = 0; i < m->n && q > m->pieces[i].q0; i++) {
        const ElMacPiece *pc = &m->pieces[i];
        double w = q - pc->q0;
        if (w > pc->width)
            w = pc->width;
        total += pc->p0 * w + 0.5 * pc->slope * w * w;
    }
    return total;
}

double el_mac_abatement_at(const ElMac *m, double p)
{
    double q = 0;
    int i;
    for (i = 0; i < m->n; i++) {
        const ElMacPiece *pc = &m->pieces[i];
        if (p < pc->p0)
            return q;
        if (pc->slope > 0 && p < pc->p0 + pc->slope * pc->width)
            return pc->q0 + (p - pc->p0) / pc->slope;
        q = pc->q0 + pc->width;
    }
    return q;
}
