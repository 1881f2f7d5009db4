build-clang/core/el_alloc.o: core/el_alloc.c core/el_alloc.h

core/el_alloc.h:
