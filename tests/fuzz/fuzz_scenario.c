/* libFuzzer harness: parse + validate + build the problem (and its LP) of every design of a
 * scenario given as bytes. Must never crash, leak or trip a sanitizer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "build.h"
#include "load.h"
#include "qp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ElScenario *s = NULL;
    ElError err;
    int d;
    if (size > 1 << 20)
        return 0;
    if (el_scenario_load_memory(&s, (const char *)data, (long)size, "fuzz/input.xml", NULL, &err) !=
        EL_OK)
        return 0;
    for (d = -1; d < s->ndesigns; d++) {
        ElProblem *p = NULL, *lp = NULL;
        ElModelMap *m = NULL;
        ElModelData md;
        memset(&md, 0, sizeof(md));
        if (el_model_data_init(&md, s, d < 0 ? NULL : s->designs[d], NULL, NULL, &err) == EL_OK &&
            el_model_build(&md, 0, &p, &m, &err) == EL_OK &&
            el_qp_discretize(p, 2, &lp, &err) == EL_OK)
            (void)el_problem_check(lp, &err);
        el_problem_free(lp);
        el_problem_free(p);
        el_model_map_free(m);
        el_model_data_clear(&md);
    }
    el_scenario_free(s);
    return 0;
}
