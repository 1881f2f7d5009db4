build-clang/model/build.o: model/build.c model/build.h model/problem.h \
  core/el_status.h model/scenario.h core/el_settings.h model/mac.h \
  core/el_alloc.h

model/build.h:

model/problem.h:

core/el_status.h:

model/scenario.h:

core/el_settings.h:

model/mac.h:

core/el_alloc.h:
