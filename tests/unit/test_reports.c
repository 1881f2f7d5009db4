#include "suites.h"
CU_TestInfo reports_tests[] = {CU_TEST_INFO_NULL};
