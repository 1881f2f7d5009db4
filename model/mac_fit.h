/* mac_fit: MAC curves fitted to observed (abatement, cost) pairs by least squares (LAPACK
 * through core/el_la), then used as piecewise-linear curves like any other. */
#ifndef EL_MAC_FIT_H
#define EL_MAC_FIT_H

#include "mac.h"

typedef enum {
    EL_FIT_QUADRATIC,
    EL_FIT_CUBIC,
    EL_FIT_POWER
} ElFitForm;

#define EL_FIT_POINTS 256 /* points of the piecewise-linear curve made from a fit */

/** A fitted curve: the function, the data it came from and how well it fits. */
typedef struct {
    ElFitForm form;
    double coef[4]; /* quadratic/cubic: b0 + b1 q + b2 q^2 (+ b3 q^3); power: coef[0] q^coef[1] */
    double rms;     /* root mean square residual of the fit, currency per tonne */
    double max_gap; /* largest gap between the fit and its piecewise-linear curve */
    double *q, *p;  /* the observations (owned) */
    int n;
} ElMacFit;

/** Fit form to the n observations (q_i, p_i) and make the curve used by the model: the fit
 * sampled at EL_FIT_POINTS points on [0, q_max]. Fails (EL_ERR_INPUT) if the fit is negative at
 * 0 or falls anywhere on [0, q_max], or if the observations cannot determine it. *mac and *fit
 * are owned by the caller (el_mac_free, el_mac_fit_free). */
el_status el_mac_fit(ElMac **mac,
                     ElMacFit **fit,
                     ElFitForm form,
                     const double *q,
                     const double *p,
                     int n,
                     double q_max,
                     ElError *err);
void el_mac_fit_free(ElMacFit *fit);
/** The fitted function as a piecewise-linear curve on [0, q_max] with EL_FIT_POINTS equal
 * steps plus breakpoints closing in geometrically on `center` (distances halving down to
 * 1e-7 q_max): an equilibrium near center then sees the fitted function itself. *out is owned by
 * the caller. */
el_status
el_mac_fit_curve(const ElMacFit *fit, double q_max, double center, ElMac **out, ElError *err);
/** The fitted function at q. */
double el_mac_fit_value(const ElMacFit *fit, double q);
/** "quadratic", "cubic" or "power". */
const char *el_fit_form_name(ElFitForm form);

#endif
