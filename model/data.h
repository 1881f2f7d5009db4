/* data: the data in force for one solve — the scenario's, with a design's instruments and
 * acceptances on top, then the design's own sets, then an extra variation (a sweep point, a
 * random draw) — and each MAC scaled, shifted and cut at the BAU in force. The build
 * (model/build.h), the fast path and the results all read this, never the raw scenario, so that
 * every variation is applied in one place. A value: zero-initialise it, fill it with
 * el_model_data_init as often as needed (buffers are reused), release with
 * el_model_data_clear. */
#ifndef EL_DATA_H
#define EL_DATA_H

#include <stdbool.h>

#include "scenario.h"

typedef struct {
    double bau;         /* e_j in force */
    double cap;         /* A_j in force (0 for a tax regime) */
    double requirement; /* e_j - A_j - bank_draw */
    double bank_draw;   /* several periods: Mt drawn from the bank this year */
    double output;      /* intensity caps */
    ElCapKind kind;
    double auction_share;
    double tax_rate, credit_limit; /* tax regimes */
    double mac_scale, mac_shift;   /* MAC in force = scale x MAC + shift (1 and 0 unless set) */
    bool has_instr[EL_INSTR_KINDS];
    ElInstrument instr[EL_INSTR_KINDS]; /* in force (design's, else scenario's), varied */
    int first_piece;                    /* the MAC in force: pieces[first_piece ...] */
    int npieces;
} ElJurData;

typedef struct {
    const ElScenario *s;
    const ElDesign *d; /* NULL: the baseline */
    int njur;
    ElJurData *jur;
    ElMacPiece *pieces; /* every jurisdiction's pieces, cut at its BAU */
    ElAccept *accepts;  /* acceptances in force: the scenario's not overridden, then the
                           design's; limits varied */
    int naccepts;
    bool varied; /* some set or variation applied */
    int cap_jur, cap_pieces, cap_accepts;
} ElModelData;

/** Fill md for design d (NULL: the baseline) of a finished scenario, with d's own sets (if d)
 * and then the changes of extra (may be NULL) applied. macs (may be NULL) replaces the curve of
 * jurisdiction j by macs[j] where not NULL (refitted curves, borrowed). A change that does not
 * apply (a cap set on a tax regime, a floor price where no floor is in force) or that leaves
 * data out of range (a negative marginal cost, a floor above the ceiling) is EL_ERR_INPUT naming
 * the change, its line and `where`. */
el_status el_model_data_init(ElModelData *md,
                             const ElScenario *s,
                             const ElDesign *d,
                             const ElVariation *extra,
                             const ElMac *const *macs,
                             ElError *err);
void el_model_data_clear(ElModelData *md);

/** The MAC piece k of jurisdiction j in force. */
static inline const ElMacPiece *el_model_data_piece(const ElModelData *md, int j, int k)
{
    return &md->pieces[md->jur[j].first_piece + k];
}

/** Check that the changes v (d's own sets, or an extra variation) apply to design d (NULL: the
 * baseline) of s and leave the data in range. */
el_status
el_variation_check(const ElScenario *s, const ElDesign *d, const ElVariation *v, ElError *err);

#endif
