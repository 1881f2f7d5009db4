/* mac: marginal abatement cost curves. Every form (linear, points, steps) becomes a list of pieces
 * on which the MAC is affine: MAC(q) = p0 + slope (q - q0) for q in [q0, q0 + width]. The list is
 * merit-ordered and non-decreasing, so the curve's total cost is convex (docs/model.md §2). */
#ifndef EL_MAC_H
#define EL_MAC_H

#include <stdbool.h>

#include "el_status.h"

typedef enum {
    EL_MAC_LINEAR,
    EL_MAC_POINTS,
    EL_MAC_STEPS
} ElMacForm;

/** One affine piece of a curve. Units: q in Mt, p in currency per tonne. */
typedef struct {
    double q0;    /* cumulative abatement where the piece starts */
    double width; /* Mt of abatement in the piece (> 0) */
    double p0;    /* MAC at q0 */
    double slope; /* d MAC / d q on the piece (>= 0); 0 for a step */
} ElMacPiece;

typedef struct ElMac ElMac;

/** Linear MAC = intercept + slope q for 0 <= q <= max_q (max_q may be HUGE_VAL: the caller then
 * bounds it with el_mac_truncate). Fails on negative or non-finite numbers. */
el_status
el_mac_create_linear(ElMac **out, double intercept, double slope, double max_q, ElError *err);
/** Points (q_i, p_i), i = 0..n-1, joined linearly: q_0 = 0, q strictly increasing, p
 * non-decreasing and >= 0. The arrays are copied. */
el_status el_mac_create_points(ElMac **out, const double *q, const double *p, int n, ElError *err);
/** Steps: measure i abates q_i > 0 Mt at cost p_i, p non-decreasing and >= 0. Copied. */
el_status el_mac_create_steps(ElMac **out, const double *q, const double *p, int n, ElError *err);
/** Deep copy. */
el_status el_mac_copy(ElMac **out, const ElMac *m, ElError *err);
void el_mac_free(ElMac *m);

/** Cut the curve at max_q (>= 0): pieces beyond it are dropped, the last one shortened. */
el_status el_mac_truncate(ElMac *m, double max_q, ElError *err);

ElMacForm el_mac_form(const ElMac *m);
int el_mac_piece_count(const ElMac *m);
/** Borrowed pointer to piece i, valid while m lives. */
const ElMacPiece *el_mac_piece(const ElMac *m, int i);
/** Largest abatement the curve allows (Mt); HUGE_VAL for an untruncated linear curve. */
double el_mac_max_abatement(const ElMac *m);
/** MAC at cumulative abatement q (right-continuous at step boundaries). */
double el_mac_value(const ElMac *m, double q);
/** Total abatement cost of the first q Mt: the integral of the MAC from 0 to q. */
double el_mac_cost(const ElMac *m, double q);
/** Abatement chosen at price p: the largest q whose MAC does not exceed p. */
double el_mac_abatement_at(const ElMac *m, double p);

#endif
