build-clang/tests/unit/test_mac.o: tests/unit/test_mac.c model/mac.h \
  core/el_status.h tests/unit/suites.h solver/equilibrium.h solver/qp.h \
  solver/lp.h core/el_settings.h model/problem.h model/scenario.h

model/mac.h:

core/el_status.h:

tests/unit/suites.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

core/el_settings.h:

model/problem.h:

model/scenario.h:
