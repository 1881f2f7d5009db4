#include "suites.h"
CU_TestInfo mac_tests[] = {CU_TEST_INFO_NULL};
