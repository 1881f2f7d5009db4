build-clang/tests/unit/test_core.o: tests/unit/test_core.c \
  core/el_alloc.h core/el_io.h core/el_status.h core/el_settings.h \
  tests/unit/suites.h solver/equilibrium.h solver/qp.h solver/lp.h \
  model/problem.h model/scenario.h model/mac.h

core/el_alloc.h:

core/el_io.h:

core/el_status.h:

core/el_settings.h:

tests/unit/suites.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

model/problem.h:

model/scenario.h:

model/mac.h:
