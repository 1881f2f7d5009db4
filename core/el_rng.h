/* el_rng: counter-based random numbers. Philox4x32-10 (Salmon, Moraes, Dror and Shaw 2011,
 * "Parallel random numbers: as easy as 1, 2, 3") maps a 128-bit counter and a 64-bit key to 128
 * random bits, so that draw d of a run seeded s is a pure function of (s, d): the same whatever
 * the threads or MPI ranks that compute it, and any draw can be recomputed alone. */
#ifndef EL_RNG_H
#define EL_RNG_H

#include <stdint.h>

/** One Philox4x32-10 block: out = Philox(ctr, key). */
void el_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/** Uniform on the open interval (0, 1) from 64 random bits: (top 53 bits + 0.5) / 2^53. */
double el_rng_uniform(uint64_t bits);

/** n independent standard normals for draw `draw` of the run seeded `seed`: block j (j = 0, 1,
 * ...) is Philox with key = seed (low word first) and counter (draw low, draw high, j, 0); its
 * two 64-bit halves (words 0-1 and 2-3, low word first) are two uniforms u1, u2, turned into the
 * normals z[2j] = r cos(2 pi u2) and z[2j + 1] = r sin(2 pi u2), r = sqrt(-2 ln u1) (Box and
 * Muller 1958). */
void el_rng_normals(uint64_t seed, uint64_t draw, int n, double *z);

#endif
