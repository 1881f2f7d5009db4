build-clang/inputs/load.o: inputs/load.c inputs/load.h model/scenario.h \
  core/el_settings.h core/el_status.h model/mac.h inputs/csv.h \
  core/el_alloc.h inputs/xml_doc.h

inputs/load.h:

model/scenario.h:

core/el_settings.h:

core/el_status.h:

model/mac.h:

inputs/csv.h:

core/el_alloc.h:

inputs/xml_doc.h:
