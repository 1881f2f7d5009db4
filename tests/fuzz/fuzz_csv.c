/* libFuzzer harness: the CSV reader, then both curve constructors on what it returns. */
#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "el_alloc.h"
#include "mac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double *q = NULL, *p = NULL;
    int n = 0;
    ElError err;
    ElMac *m = NULL;
    if (size > 1 << 20)
        return 0;
    if (el_csv_parse_qp("fuzz.csv", (const char *)data, (long)size, &q, &p, &n, &err) != EL_OK)
        return 0;
    if (el_mac_create_points(&m, q, p, n, &err) == EL_OK) {
        (void)el_mac_cost(m, el_mac_max_abatement(m) / 2);
        (void)el_mac_abatement_at(m, p[n - 1] / 2);
        el_mac_free(m);
    }
    if (el_mac_create_steps(&m, q, p, n, &err) == EL_OK) {
        (void)el_mac_value(m, q[0]);
        el_mac_free(m);
    }
    el_free(q);
    el_free(p);
    return 0;
}
