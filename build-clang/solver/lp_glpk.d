build-clang/solver/lp_glpk.o: solver/lp_glpk.c core/el_alloc.h \
  solver/lp.h core/el_settings.h core/el_status.h model/problem.h

core/el_alloc.h:

solver/lp.h:

core/el_settings.h:

core/el_status.h:

model/problem.h:
