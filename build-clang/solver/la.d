build-clang/solver/la.o: solver/la.c solver/la.h core/el_status.h \
  core/el_alloc.h

solver/la.h:

core/el_status.h:

core/el_alloc.h:
