build-clang/core/el_io.o: core/el_io.c core/el_io.h core/el_status.h \
  core/el_alloc.h

core/el_io.h:

core/el_status.h:

core/el_alloc.h:
