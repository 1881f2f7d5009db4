build-clang/model/scenario.o: model/scenario.c model/scenario.h \
  core/el_settings.h core/el_status.h model/mac.h core/el_alloc.h

model/scenario.h:

core/el_settings.h:

core/el_status.h:

model/mac.h:

core/el_alloc.h:
