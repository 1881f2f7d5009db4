/* Monotonic clock for deadlines. */
#include "el_clock.h"

#include <math.h>
#include <time.h>

double el_clock_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0; /* cannot happen for CLOCK_MONOTONIC on Linux */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double el_clock_remaining(double deadline)
{
    return deadline > 0 ? deadline - el_clock_now() : HUGE_VAL;
}

int el_clock_expired(double deadline)
{
    return deadline > 0 && el_clock_now() >= deadline;
}
