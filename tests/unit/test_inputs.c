#include "suites.h"
CU_TestInfo inputs_tests[] = {CU_TEST_INFO_NULL};
