build-clang/tests/unit/test_reports.o: tests/unit/test_reports.c \
  core/el_alloc.h reports/fmt.h inputs/load.h model/scenario.h \
  core/el_settings.h core/el_status.h model/mac.h reports/results.h \
  solver/equilibrium.h solver/qp.h solver/lp.h model/problem.h \
  tests/unit/suites.h inputs/xml_doc.h

core/el_alloc.h:

reports/fmt.h:

inputs/load.h:

model/scenario.h:

core/el_settings.h:

core/el_status.h:

model/mac.h:

reports/results.h:

solver/equilibrium.h:

solver/qp.h:

solver/lp.h:

model/problem.h:

tests/unit/suites.h:

inputs/xml_doc.h:
