build-clang/model/problem.o: model/problem.c model/problem.h \
  core/el_status.h core/el_alloc.h

model/problem.h:

core/el_status.h:

core/el_alloc.h:
