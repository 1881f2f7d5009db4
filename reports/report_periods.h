/* report_periods: the report's section on a several-period run (engine/periods.h, docs/model.md
 * §10), private to reports/: price paths by design, bank balances, cumulative present values
 * of the gains per jurisdiction, and a table of present values and link years. It keeps a copy
 * of a bounded size: the baseline and up to EL_REPORT_PERIODS_KEEP designs (the highest present
 * value of the total gain first, past that number), EL_REPORT_PERIODS_JUR jurisdictions and the
 * years, whatever the number of designs offered. The held report writer owns it through its
 * analyses (report_analysis.h); el_report_writer_periods (report.h) fills it. */
#ifndef EL_REPORT_PERIODS_H
#define EL_REPORT_PERIODS_H

#include <stdio.h>

#include "periods.h"

/** Designs whose time series are kept (the baseline besides). */
#define EL_REPORT_PERIODS_KEEP 20
/** Jurisdictions kept per design (the first in file order). */
#define EL_REPORT_PERIODS_JUR 24

typedef struct ElReportPeriods ElReportPeriods;

/** Free x (NULL: nothing). */
void el_report_periods_free(ElReportPeriods *x);
/** For the title page: a paragraph saying that the designs' tables show the first year and the
 * section the years (nothing for NULL). */
void el_report_periods_title(const ElReportPeriods *x, FILE *f);
/** The section (nothing for NULL or before the baseline was added). */
void el_report_periods_write(const ElReportPeriods *x, FILE *f);

#endif
