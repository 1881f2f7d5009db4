#include "suites.h"
CU_TestInfo core_tests[] = {CU_TEST_INFO_NULL};
