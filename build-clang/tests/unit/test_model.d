build-clang/tests/unit/test_model.o: tests/unit/test_model.c \
  model/build.h model/problem.h core/el_status.h model/scenario.h \
  core/el_settings.h model/mac.h tests/unit/suites.h \
  solver/equilibrium.h solver/qp.h solver/lp.h

model/build.h:

model/problem.h:

core/el_status.h:

model/scenario.h:

core/el_settings.h:

model/mac.h:

tests/unit/suites.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:
