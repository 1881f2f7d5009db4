build-clang/tests/unit/test_solver.o: tests/unit/test_solver.c \
  model/build.h model/problem.h core/el_status.h model/scenario.h \
  core/el_settings.h model/mac.h solver/la.h solver/qp.h solver/lp.h \
  tests/unit/suites.h solver/equilibrium.h

model/build.h:

model/problem.h:

core/el_status.h:

model/scenario.h:

core/el_settings.h:

model/mac.h:

solver/la.h:

solver/qp.h:

solver/lp.h:

tests/unit/suites.h:

solver/equilibrium.h:
