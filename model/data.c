/* The data in force for one solve (data.h). */
#include "data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "el_alloc.h"

static el_status nomem(ElError *err)
{
    return el_error_set(err, EL_ERR_NOMEM, "out of memory (model data)");
}

/* Make room for need elements of size sz in *arr (capacity *cap). */
static bool reserve(void **arr, int *cap, int need, size_t sz)
{
    void *a;
    if (need <= *cap && *arr)
        return true;
    a = el_reallocarray(*arr, (size_t)(need > 0 ? need : 1), sz);
    if (!a)
        return false;
    *arr = a;
    *cap = need > 0 ? need : 1;
    return true;
}

void el_model_data_clear(ElModelData *md)
{
    if (!md)
        return;
    el_free(md->jur);
    el_free(md->pieces);
    el_free(md->accepts);
    memset(md, 0, sizeof(*md));
}

/* The acceptances in force: the scenario's unless the design has its own for the same pool and
 * jurisdiction, then the design's. Returns how many (out may be NULL to count). */
static int effective_accepts(const ElScenario *s, const ElDesign *des, ElAccept *out)
{
    int n = 0, i, k;
    for (i = 0; i < s->naccepts; i++) {
        int overridden = 0;
        for (k = 0; des && k < des->naccepts && !overridden; k++)
            overridden = des->accepts[k].pool == s->accepts[i].pool &&
                         des->accepts[k].jur == s->accepts[i].jur;
        if (!overridden && out)
            out[n] = s->accepts[i];
        n += !overridden;
    }
    for (k = 0; des && k < des->naccepts; k++) {
        if (out)
            out[n] = des->accepts[k];
        n++;
    }
    return n;
}

static const char *instr_tag(ElInstrKind k)
{
    return k == EL_INSTR_FLOOR ? "floor" : k == EL_INSTR_CEILING ? "ceiling" : "penalty";
}

/* A change that cannot be applied: message names the file, line, where and the change. */
static el_status
bad_set(const ElModelData *md, const ElSet *x, const char *where, const char *what, ElError *err)
{
    const ElScenario *s = md->s;
    const char *jid = x->jur >= 0 && x->jur < s->njur ? s->jur[x->jur].id : "?";
    return el_error_set(err, EL_ERR_INPUT, "%s:%d: %s: <set jurisdiction=\"%s\" %s=\"%.15g\">: %s",
                        s->path, x->line, where, jid, el_set_field_name(x->field), x->value, what);
}

static bool in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static el_status apply_set(ElModelData *md, const ElSet *x, const char *where, ElError *err)
{
    const ElScenario *s = md->s;
    ElJurData *q;
    const ElJurisdiction *ju;
    ElInstrKind kind = EL_INSTR_FLOOR;
    bool price = false;
    int a;
    if (x->jur < 0 || x->jur >= s->njur || (int)x->field < 0 || x->field >= EL_SET_FIELDS)
        return bad_set(md, x, where, "no such jurisdiction or field", err);
    q = &md->jur[x->jur];
    ju = &s->jur[x->jur];
    md->varied = true;
    switch (x->field) {
    case EL_SET_BAU:
        if (!in_range(x->value, 0, EL_MAX_QUANTITY))
            return bad_set(md, x, where, "BAU must be in [0, 1e9] Mt", err);
        q->bau = x->value;
        return EL_OK;
    case EL_SET_OUTPUT:
        if (q->kind != EL_CAP_INTENSITY)
            return bad_set(md, x, where, "output applies only to an intensity cap", err);
        if (!in_range(x->value, 0, EL_MAX_QUANTITY))
            return bad_set(md, x, where, "output must be in [0, 1e9]", err);
        q->output = x->value;
        q->cap = ju->benchmark * x->value;
        if (!isnan(ju->bau_intensity))
            q->bau = ju->bau_intensity * x->value;
        return EL_OK;
    case EL_SET_CAP:
        if (q->kind != EL_CAP_ABSOLUTE)
            return bad_set(md, x, where,
                           q->kind == EL_CAP_TAX ? "a tax regime has no cap"
                                                 : "an intensity cap is set through output",
                           err);
        if (!in_range(x->value, 0, EL_MAX_QUANTITY))
            return bad_set(md, x, where, "the cap must be in [0, 1e9] Mt", err);
        q->cap = x->value;
        return EL_OK;
    case EL_SET_MAC_SHIFT:
        if (!in_range(x->value, -EL_MAX_PRICE, EL_MAX_PRICE))
            return bad_set(md, x, where, "mac-shift must be in [-1e12, 1e12]", err);
        q->mac_shift = x->value;
        return EL_OK;
    case EL_SET_MAC_SCALE:
        if (!in_range(x->value, EL_MIN_RATE, EL_MAX_RATE))
            return bad_set(md, x, where, "mac-scale must be in [1e-6, 1e6]", err);
        q->mac_scale = x->value;
        return EL_OK;
    case EL_SET_FLOOR_PRICE:
    case EL_SET_CEILING_PRICE:
    case EL_SET_PENALTY_PRICE:
        price = true;
        /* fall through */
    case EL_SET_FLOOR_VOLUME:
    case EL_SET_CEILING_VOLUME:
        kind = (x->field == EL_SET_FLOOR_PRICE || x->field == EL_SET_FLOOR_VOLUME) ? EL_INSTR_FLOOR
               : x->field == EL_SET_PENALTY_PRICE ? EL_INSTR_PENALTY
                                                  : EL_INSTR_CEILING;
        if (!q->has_instr[kind]) {
            char what[96];
            snprintf(what, sizeof(what), "no <%s> is in force for this jurisdiction",
                     instr_tag(kind));
            return bad_set(md, x, where, what, err);
        }
        if (!in_range(x->value, 0, price ? EL_MAX_PRICE : EL_MAX_QUANTITY))
            return bad_set(md, x, where, "the value is out of range", err);
        if (price)
            q->instr[kind].price = x->value;
        else
            q->instr[kind].volume = x->value;
        return EL_OK;
    case EL_SET_TAX_RATE:
    case EL_SET_CREDIT_LIMIT:
        if (q->kind != EL_CAP_TAX)
            return bad_set(md, x, where, "applies only to a tax regime", err);
        if (!in_range(x->value, 0, x->field == EL_SET_TAX_RATE ? EL_MAX_PRICE : EL_MAX_QUANTITY))
            return bad_set(md, x, where, "the value is out of range", err);
        if (x->field == EL_SET_TAX_RATE)
            q->tax_rate = x->value;
        else
            q->credit_limit = x->value;
        return EL_OK;
    case EL_SET_OFFSET_LIMIT:
        if (!in_range(x->value, 0, EL_MAX_QUANTITY))
            return bad_set(md, x, where, "offset-limit must be in [0, 1e9] Mt", err);
        for (a = 0; a < md->naccepts; a++)
            if (md->accepts[a].pool == x->pool && md->accepts[a].jur == x->jur) {
                md->accepts[a].limit = x->value;
                return EL_OK;
            }
        return bad_set(md, x, where, "no <accept> of that pool is in force for this jurisdiction",
                       err);
    case EL_SET_BANK_DRAW:
        if (q->kind == EL_CAP_TAX)
            return bad_set(md, x, where, "a tax regime has no bank", err);
        if (!in_range(x->value, -EL_MAX_QUANTITY, EL_MAX_QUANTITY))
            return bad_set(md, x, where, "the bank draw is out of range", err);
        q->bank_draw = x->value;
        return EL_OK;
    case EL_SET_FIELDS:
        break;
    }
    return bad_set(md, x, where, "unknown field", err);
}

/* Data out of range after every change: a negative marginal cost, instruments out of order. */
static el_status
check_result(const ElModelData *md, int j, int line, const char *where, ElError *err)
{
    const ElScenario *s = md->s;
    const ElJurData *q = &md->jur[j];
    const ElMac *mac = s->jur[j].mac;
    const ElMacPiece *first = el_mac_piece_count(mac) > 0 ? el_mac_piece(mac, 0) : NULL;
    int k;
    if (first && q->mac_scale * first->p0 + q->mac_shift < 0)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s:%d: %s: jurisdiction '%s': mac-scale %.15g and mac-shift %.15g "
                            "give a negative marginal cost (%.15g) at zero abatement",
                            s->path, line, where, s->jur[j].id, q->mac_scale, q->mac_shift,
                            q->mac_scale * first->p0 + q->mac_shift);
    if (q->cap > EL_MAX_QUANTITY || q->bau > EL_MAX_QUANTITY)
        return el_error_set(err, EL_ERR_INPUT,
                            "%s: %s: jurisdiction '%s': a quantity exceeds %g Mt", s->path, where,
                            s->jur[j].id, EL_MAX_QUANTITY);
    for (k = EL_INSTR_CEILING; k <= EL_INSTR_PENALTY && q->has_instr[EL_INSTR_FLOOR]; k++)
        if (q->has_instr[k] && q->instr[EL_INSTR_FLOOR].price > q->instr[k].price)
            return el_error_set(err, EL_ERR_INPUT,
                                "%s:%d: %s: jurisdiction '%s': the floor at %.15g is above the %s "
                                "at %.15g after the changes",
                                s->path, line, where, s->jur[j].id, q->instr[EL_INSTR_FLOOR].price,
                                instr_tag((ElInstrKind)k), q->instr[k].price);
    return EL_OK;
}

static el_status
apply_all(ElModelData *md, const ElVariation *v, const char *where, int *touched, ElError *err)
{
    el_status st = EL_OK;
    int i;
    for (i = 0; v && i < v->n && st == EL_OK; i++) {
        st = apply_set(md, &v->sets[i], where, err);
        if (st == EL_OK)
            touched[v->sets[i].jur] = v->sets[i].line > 0 ? v->sets[i].line : -1;
    }
    return st;
}

el_status el_model_data_init(ElModelData *md,
                             const ElScenario *s,
                             const ElDesign *d,
                             const ElVariation *extra,
                             const ElMac *const *macs,
                             ElError *err)
{
    char where[160];
    int *touched = NULL;
    el_status st = EL_OK;
    int j, k, i, np = 0;
    md->s = s;
    md->d = d;
    md->njur = s->njur;
    md->varied = false;
    md->naccepts = effective_accepts(s, d, NULL);
    if (!reserve((void **)&md->jur, &md->cap_jur, s->njur, sizeof(*md->jur)) ||
        !reserve((void **)&md->accepts, &md->cap_accepts, md->naccepts, sizeof(*md->accepts)))
        return nomem(err);
    effective_accepts(s, d, md->accepts);
    for (j = 0; j < s->njur; j++) {
        const ElJurisdiction *ju = &s->jur[j];
        ElJurData *q = &md->jur[j];
        memset(q, 0, sizeof(*q));
        q->bau = ju->bau;
        q->cap = ju->cap;
        q->output = ju->output;
        q->kind = ju->cap_kind;
        q->auction_share = ju->auction_share;
        q->tax_rate = ju->tax_rate;
        q->credit_limit = ju->credit_limit;
        q->mac_scale = 1;
        q->mac_shift = 0;
    }
    for (i = 0; i < s->ninstruments; i++) {
        const ElInstrument *in = &s->instruments[i];
        md->jur[in->jur].has_instr[in->kind] = true;
        md->jur[in->jur].instr[in->kind] = *in;
    }
    for (i = 0; d && i < d->ninstruments; i++) {
        const ElInstrument *in = &d->instruments[i];
        md->jur[in->jur].has_instr[in->kind] = true;
        md->jur[in->jur].instr[in->kind] = *in;
    }
    if ((d && d->sets.n > 0) || (extra && extra->n > 0)) {
        touched = el_calloc((size_t)s->njur + 1, sizeof(int));
        if (!touched)
            return nomem(err);
        if (d && d->sets.n > 0) {
            snprintf(where, sizeof(where), "design '%s'", d->id);
            st = apply_all(md, &d->sets, where, touched, err);
        }
        if (st == EL_OK && extra && extra->n > 0)
            st = apply_all(md, extra, d ? where : "variation", touched, err);
        for (j = 0; st == EL_OK && j < s->njur; j++)
            if (touched[j])
                st = check_result(md, j, touched[j] > 0 ? touched[j] : 0, d ? where : "variation",
                                  err);
        el_free(touched);
        if (st != EL_OK)
            return st;
    }
    for (j = 0; j < s->njur; j++) {
        const ElMac *mac = (macs && macs[j]) ? macs[j] : s->jur[j].mac;
        np += el_mac_piece_count(mac);
    }
    if (!reserve((void **)&md->pieces, &md->cap_pieces, np, sizeof(*md->pieces)))
        return nomem(err);
    np = 0;
    for (j = 0; j < s->njur; j++) {
        const ElMac *mac = (macs && macs[j]) ? macs[j] : s->jur[j].mac;
        ElJurData *q = &md->jur[j];
        int n = el_mac_piece_count(mac);
        q->first_piece = np;
        for (k = 0; k < n; k++) { /* cut at the BAU in force, as el_mac_truncate does */
            ElMacPiece pc = *el_mac_piece(mac, k);
            if (pc.q0 >= q->bau)
                break;
            if (pc.q0 + pc.width > q->bau)
                pc.width = q->bau - pc.q0;
            if (q->mac_scale != 1 || q->mac_shift != 0) {
                pc.p0 = q->mac_scale * pc.p0 + q->mac_shift;
                pc.slope = q->mac_scale * pc.slope;
            }
            md->pieces[np++] = pc;
        }
        q->npieces = np - q->first_piece;
        q->requirement = q->bau - q->cap - q->bank_draw;
    }
    return EL_OK;
}

el_status
el_variation_check(const ElScenario *s, const ElDesign *d, const ElVariation *v, ElError *err)
{
    ElModelData md;
    el_status st;
    memset(&md, 0, sizeof(md));
    if (!v || v->n == 0)
        return EL_OK;
    st = el_model_data_init(&md, s, d, d && v == &d->sets ? NULL : v, NULL, err);
    el_model_data_clear(&md);
    return st;
}
