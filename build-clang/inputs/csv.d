build-clang/inputs/csv.o: inputs/csv.c inputs/csv.h core/el_status.h \
  core/el_alloc.h

inputs/csv.h:

core/el_status.h:

core/el_alloc.h:
