/* load: a scenario file -> ElScenario. The file is validated against inputs/scenario.xsd (built
 * into the program) before anything reads it; then every value is range-checked with messages
 * naming the file, the line and the element. */
#ifndef EL_LOAD_H
#define EL_LOAD_H

#include <stdbool.h>

#include "scenario.h"

typedef struct {
    bool allow_any_path; /* let <csv href> leave the scenario's folder (absolute or ..) */
} ElLoadOptions;

/** Read, validate and finish a scenario. opt may be NULL (defaults). *out is owned by the caller
 * (el_scenario_free) and is NULL on failure. */
el_status
el_scenario_load(ElScenario **out, const char *path, const ElLoadOptions *opt, ElError *err);

/** The same for len bytes of XML in memory. name stands for the file in messages, and CSV
 * paths are resolved against its folder. */
el_status el_scenario_load_memory(ElScenario **out,
                                  const char *buf,
                                  long len,
                                  const char *name,
                                  const ElLoadOptions *opt,
                                  ElError *err);

/** The scenario schema (XSD text) built into the program. */
const char *el_scenario_schema(void);
/** The results schema (XSD text) built into the program. */
const char *el_results_schema(void);

#endif
