/* results: writes a solved run as results.xml (schema reports/results.xsd) and results.csv
 * (tidy long form: design,jurisdiction,variable,value,unit). Both files are written atomically:
 * a final name never holds a partial file. */
#ifndef EL_RESULTS_H
#define EL_RESULTS_H

#include <stdio.h>

#include "equilibrium.h"

/** The outcome of a design as results.xml, results.csv and the report name it: "optimal",
 * "no-equilibrium" (EL_INFEASIBLE), or the solver's name for any other outcome. */
const char *el_results_outcome_name(ElOutcome o);

/** Write the XML results to a stream / atomically to path. A design without an equilibrium is
 * written as its outcome and one <shortfall> per jurisdiction (reports/results.xsd). */
void el_results_write_xml_stream(const ElRun *run, FILE *f);
el_status el_results_write_xml(const ElRun *run, const char *path, ElError *err);
/** Write the CSV results to a stream / atomically to path. Each design starts with an
 * `outcome` row; a design without an equilibrium has `shortfall` rows and nothing else. */
void el_results_write_csv_stream(const ElRun *run, FILE *f);
el_status el_results_write_csv(const ElRun *run, const char *path, ElError *err);

#endif
