build-clang/reports/results.o: reports/results.c reports/results.h \
  solver/equilibrium.h solver/qp.h solver/lp.h core/el_settings.h \
  core/el_status.h model/problem.h model/scenario.h model/mac.h \
  core/el_io.h reports/fmt.h

reports/results.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

core/el_settings.h:

core/el_status.h:

model/problem.h:

model/scenario.h:

model/mac.h:

core/el_io.h:

reports/fmt.h:
