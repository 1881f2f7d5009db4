build-clang/solver/qp.o: solver/qp.c solver/qp.h solver/lp.h \
  core/el_settings.h core/el_status.h model/problem.h core/el_alloc.h \
  solver/la.h

solver/qp.h:

solver/lp.h:

core/el_settings.h:

core/el_status.h:

model/problem.h:

core/el_alloc.h:

solver/la.h:
