build-clang/tests/unit/helpers.o: tests/unit/helpers.c \
  tests/unit/suites.h solver/equilibrium.h solver/qp.h solver/lp.h \
  core/el_settings.h core/el_status.h model/problem.h model/scenario.h \
  model/mac.h

tests/unit/suites.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

core/el_settings.h:

core/el_status.h:

model/problem.h:

model/scenario.h:

model/mac.h:
