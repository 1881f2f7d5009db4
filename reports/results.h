/* results: writes a solved run as results.xml (schema reports/results.xsd) and results.csv
 * (tidy long form: design,jurisdiction,variable,value,unit). Both files are written atomically:
 * a final name never holds a partial file. */
#ifndef EL_RESULTS_H
#define EL_RESULTS_H

#include <stdio.h>

#include "equilibrium.h"

/** Write the XML results to a stream / atomically to path. */
void el_results_write_xml_stream(const ElRun *run, FILE *f);
el_status el_results_write_xml(const ElRun *run, const char *path, ElError *err);
/** Write the CSV results to a stream / atomically to path. */
void el_results_write_csv_stream(const ElRun *run, FILE *f);
el_status el_results_write_csv(const ElRun *run, const char *path, ElError *err);

#endif
