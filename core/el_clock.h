/* el_clock: a monotonic clock for deadlines (ElSettings.deadline). */
#ifndef EL_CLOCK_H
#define EL_CLOCK_H

/** Seconds on CLOCK_MONOTONIC: an arbitrary origin, never goes back, unaffected by changes of
 * the wall clock. A deadline is el_clock_now() + a duration. */
double el_clock_now(void);

/** Seconds left until deadline (may be <= 0); +HUGE_VAL when deadline is 0 (none). */
double el_clock_remaining(double deadline);

/** True if deadline is set (> 0) and has passed. */
int el_clock_expired(double deadline);

#endif
