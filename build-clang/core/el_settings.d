build-clang/core/el_settings.o: core/el_settings.c core/el_settings.h \
  core/el_status.h

core/el_settings.h:

core/el_status.h:
