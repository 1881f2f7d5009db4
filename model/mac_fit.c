/* Least-squares MAC fits. Quadratic and cubic fits are linear in their coefficients; the power
 * form p = a q^b is fitted on logarithms (observations with q > 0 and p > 0). The fit must be
 * a valid MAC on [0, q_max]: >= 0 at 0 and non-decreasing, checked on a fine sample (and, for
 * the power form, by b >= 0). */
#include "mac_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_la.h"

#define CHECK_SAMPLES 4096

const char *el_fit_form_name(ElFitForm form)
{
    return form == EL_FIT_QUADRATIC ? "quadratic" : form == EL_FIT_CUBIC ? "cubic" : "power";
}

double el_mac_fit_value(const ElMacFit *fit, double q)
{
    const double *b = fit->coef;
    if (fit->form == EL_FIT_POWER)
        return q > 0 ? b[0] * pow(q, b[1]) : (b[1] > 0 ? 0 : b[0]);
    return b[0] + q * (b[1] + q * (b[2] + q * (fit->form == EL_FIT_CUBIC ? b[3] : 0)));
}

void el_mac_fit_free(ElMacFit *fit)
{
    if (!fit)
        return;
    el_free(fit->q);
    el_free(fit->p);
    el_free(fit);
}

static el_status solve_fit(ElMacFit *fit, ElError *err)
{
    int n = fit->n, k = fit->form == EL_FIT_CUBIC ? 4 : 2 + (fit->form == EL_FIT_QUADRATIC), i, j,
        m = 0;
    double *A = el_calloc((size_t)n * (size_t)k, sizeof(double));
    double *b = el_calloc((size_t)n, sizeof(double)), rms = 0;
    el_status st;
    if (!A || !b) {
        el_free(A);
        el_free(b);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (fit)");
    }
    if (fit->form == EL_FIT_POWER) {
        for (i = 0; i < n; i++)
            if (fit->q[i] > 0 && fit->p[i] > 0) {
                A[m] = 1;
                b[m++] = log(fit->p[i]);
            }
        for (i = 0, j = 0; i < n; i++)
            if (fit->q[i] > 0 && fit->p[i] > 0)
                A[j++ + (size_t)m] = log(fit->q[i]);
    } else {
        m = n;
        for (i = 0; i < n; i++) {
            double v = 1;
            for (j = 0; j < k; j++) {
                A[i + (size_t)j * n] = v;
                v *= fit->q[i];
            }
            b[i] = fit->p[i];
        }
    }
    st = el_la_least_squares(m, k, A, b, fit->coef, &rms, err);
    if (st == EL_ERR_NUMERIC)
        st = el_error_set(err, EL_ERR_INPUT,
                          "%d usable observations cannot determine a %s fit (need %d distinct "
                          "abatement levels%s)",
                          m, el_fit_form_name(fit->form), k,
                          fit->form == EL_FIT_POWER ? " with q > 0 and p > 0" : "");
    if (st == EL_OK && fit->form == EL_FIT_POWER)
        fit->coef[0] = exp(fit->coef[0]);
    el_free(A);
    el_free(b);
    if (st == EL_OK) { /* residuals of the fitted function itself, in price units */
        double ss = 0;
        for (i = 0; i < n; i++) {
            double r = el_mac_fit_value(fit, fit->q[i]) - fit->p[i];
            ss += r * r;
        }
        fit->rms = sqrt(ss / n);
    }
    return st;
}

el_status el_mac_fit(ElMac **mac,
                     ElMacFit **fit,
                     ElFitForm form,
                     const double *q,
                     const double *p,
                     int n,
                     double q_max,
                     ElError *err)
{
    ElMacFit *f;
    double pq[EL_FIT_POINTS + 1], pp[EL_FIT_POINTS + 1], prev;
    el_status st;
    int i;
    *mac = NULL;
    *fit = NULL;
    if (!isfinite(q_max) || q_max <= 0)
        return el_error_set(err, EL_ERR_INPUT, "a fitted curve needs BAU emissions > 0");
    f = el_calloc(1, sizeof(*f));
    if (!f)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (fit)");
    f->form = form;
    f->n = n;
    f->q = el_calloc((size_t)(n > 0 ? n : 1), sizeof(double));
    f->p = el_calloc((size_t)(n > 0 ? n : 1), sizeof(double));
    if (!f->q || !f->p) {
        el_mac_fit_free(f);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (fit)");
    }
    for (i = 0; i < n; i++) {
        if (!isfinite(q[i]) || !isfinite(p[i]) || q[i] < 0) {
            el_mac_fit_free(f);
            return el_error_set(err, EL_ERR_INPUT,
                                "observation %d: q must be >= 0 and both "
                                "finite",
                                i + 1);
        }
        f->q[i] = q[i];
        f->p[i] = p[i];
    }
    st = solve_fit(f, err);
    if (st == EL_OK && form == EL_FIT_POWER && f->coef[1] < 0)
        st = el_error_set(err, EL_ERR_INPUT,
                          "the power fit p = %.6g q^%.6g falls with abatement (exponent < 0): a "
                          "MAC curve must be non-decreasing",
                          f->coef[0], f->coef[1]);
    prev = st == EL_OK ? el_mac_fit_value(f, 0) : 0;
    if (st == EL_OK && prev < -1e-12 * (1 + fabs(f->coef[0])))
        st = el_error_set(err, EL_ERR_INPUT,
                          "the %s fit gives a negative MAC (%.6g) at zero abatement",
                          el_fit_form_name(form), prev);
    for (i = 1; st == EL_OK && i <= CHECK_SAMPLES; i++) {
        double qq = q_max * i / CHECK_SAMPLES, v = el_mac_fit_value(f, qq);
        if (v < prev - 1e-9 * (1 + fabs(prev)))
            st = el_error_set(err, EL_ERR_INPUT,
                              "the %s fit is not non-decreasing on [0, %g] Mt: it falls from "
                              "%.6g to %.6g near q = %.6g",
                              el_fit_form_name(form), q_max, prev, v, qq);
        prev = v;
    }
    for (i = 0; st == EL_OK && i <= EL_FIT_POINTS; i++) {
        pq[i] = q_max * i / EL_FIT_POINTS;
        pp[i] = fmax(el_mac_fit_value(f, pq[i]), i > 0 ? pp[i - 1] : 0.0);
    }
    if (st == EL_OK) {
        for (i = 0; i < EL_FIT_POINTS; i++) { /* gap between the fit and its chords */
            double mid = 0.5 * (pq[i] + pq[i + 1]);
            f->max_gap =
                fmax(f->max_gap, fabs(el_mac_fit_value(f, mid) - 0.5 * (pp[i] + pp[i + 1])));
        }
        st = el_mac_create_points(mac, pq, pp, EL_FIT_POINTS + 1, err);
    }
    if (st != EL_OK) {
        el_mac_fit_free(f);
        return st;
    }
    *fit = f;
    return EL_OK;
}

static int cmp_q(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define REFINE_LEVELS 40
#define MIN_REFINE    1e-7 /* smallest breakpoint distance, relative to q_max */

el_status
el_mac_fit_curve(const ElMacFit *fit, double q_max, double center, ElMac **out, ElError *err)
{
    enum {
        CAP = EL_FIT_POINTS + 1 + 2 * REFINE_LEVELS + 1
    };
    double q[CAP], p[CAP], h = q_max / EL_FIT_POINTS;
    int n = 0, i, m;
    el_status st;
    *out = NULL;
    for (i = 0; i <= EL_FIT_POINTS; i++)
        q[n++] = q_max * i / EL_FIT_POINTS;
    if (center > 0 && center < q_max) {
        q[n++] = center;
        for (i = 0; i < REFINE_LEVELS; i++) {
            double d = h * ldexp(1.0, -i);
            if (d < MIN_REFINE * q_max) /* finer helps nothing and upsets the LP stage */
                break;
            if (center - d > 0)
                q[n++] = center - d;
            if (center + d < q_max)
                q[n++] = center + d;
        }
    }
    qsort(q, (size_t)n, sizeof(*q), cmp_q);
    for (i = 1, m = 1; i < n; i++) /* strictly increasing abatement */
        if (q[i] > q[m - 1])
            q[m++] = q[i];
    for (i = 0; i < m; i++) /* the fitted values, never falling (the fit was checked) */
        p[i] = fmax(el_mac_fit_value(fit, q[i]), i > 0 ? p[i - 1] : 0.0);
    st = el_mac_create_points(out, q, p, m, err);
    return st;
}
