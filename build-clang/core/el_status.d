build-clang/core/el_status.o: core/el_status.c core/el_status.h

core/el_status.h:
