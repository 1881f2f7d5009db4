build-clang/solver/equilibrium.o: solver/equilibrium.c \
  solver/equilibrium.h solver/qp.h solver/lp.h core/el_settings.h \
  core/el_status.h model/problem.h model/scenario.h model/mac.h \
  model/build.h core/el_alloc.h

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

core/el_settings.h:

core/el_status.h:

model/problem.h:

model/scenario.h:

model/mac.h:

model/build.h:

core/el_alloc.h:
