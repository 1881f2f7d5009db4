build-clang/model/mac.o: model/mac.c model/mac.h core/el_status.h \
  core/el_alloc.h

model/mac.h:

core/el_status.h:

core/el_alloc.h:
