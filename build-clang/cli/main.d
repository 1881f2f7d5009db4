build-clang/cli/main.o: cli/main.c core/el_settings.h core/el_status.h \
  solver/equilibrium.h solver/qp.h solver/lp.h model/problem.h \
  model/scenario.h model/mac.h inputs/load.h reports/results.h \
  model/build.h inputs/xml_doc.h

core/el_settings.h:

core/el_status.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

model/problem.h:

model/scenario.h:

model/mac.h:

inputs/load.h:

reports/results.h:

model/build.h:

inputs/xml_doc.h:
