build-clang/tests/unit/test_inputs.o: tests/unit/test_inputs.c \
  inputs/csv.h core/el_status.h core/el_alloc.h inputs/load.h \
  model/scenario.h core/el_settings.h model/mac.h tests/unit/suites.h \
  solver/equilibrium.h solver/qp.h solver/lp.h model/problem.h

inputs/csv.h:

core/el_status.h:

core/el_alloc.h:

inputs/load.h:

model/scenario.h:

core/el_settings.h:

model/mac.h:

tests/unit/suites.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

model/problem.h:
