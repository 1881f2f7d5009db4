/* Registers every suite; exits non-zero when any assertion fails. Arguments, if any, name the
 * suites to run (`etslink-tests threads inputs`); none runs them all. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "suites.h"

int main(int argc, char **argv)
{
    CU_SuiteInfo suites[] = {
        {.pName = "core", .pTests = core_tests},
        {.pName = "mac", .pTests = mac_tests},
        {.pName = "model", .pTests = model_tests},
        {.pName = "solver", .pTests = solver_tests},
        {.pName = "kkt", .pTests = kkt_tests},
        {.pName = "mechanisms",
         .pInitFunc = mechanisms_init,
         .pCleanupFunc = mechanisms_clean,
         .pTests = mechanisms_tests},
        {.pName = "equilibrium", .pTests = equilibrium_tests},
        {.pName = "inputs", .pTests = inputs_tests},
        {.pName = "reports", .pTests = reports_tests},
        {.pName = "permute", .pTests = permute_tests},
        {.pName = "settings", .pTests = settings_tests},
        {.pName = "batch", .pTests = batch_tests},
        {.pName = "threads", .pTests = threads_tests},
        {.pName = "fast", .pTests = fast_tests},
        {.pName = "warm", .pTests = warm_tests},
        {.pName = "analysis", .pTests = analysis_tests},
        {.pName = "coalition", .pTests = coalition_tests},
        {.pName = "uncertainty", .pTests = uncertainty_tests},
        {.pName = "periods", .pTests = periods_tests},
        {.pName = "api", .pTests = api_tests},
        {.pName = "export", .pTests = export_tests},
        CU_SUITE_INFO_NULL,
    };
    unsigned fails;
    int i, k, kept = 0;
    for (k = 0; argc > 1 && suites[k].pName; k++) /* keep the suites named on the command line */
        for (i = 1; i < argc; i++)
            if (strcmp(suites[k].pName, argv[i]) == 0) {
                suites[kept++] = suites[k];
                break;
            }
    if (argc > 1 && kept == 0) {
        fprintf(stderr, "no suite named %s\n", argv[1]);
        return 2;
    }
    if (argc > 1)
        suites[kept] = (CU_SuiteInfo)CU_SUITE_INFO_NULL;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return fails != 0;
}
