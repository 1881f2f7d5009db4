/* fmt: the one place numbers and strings are formatted for output. Numbers use "%.12g" in the C
 * locale (never the user's), with -0 printed as 0; strings are escaped for XML or quoted for
 * CSV (RFC 4180). */
#ifndef EL_FMT_H
#define EL_FMT_H

#include <stdio.h>

/** Write v to f ("%.12g", -0 as 0, non-finite as NaN/INF, which the results never contain).
 * With 12 significant digits no value other than zero prints as zero, so no output says "-0". */
void el_fmt_num(FILE *f, double v);
/** Write s with & < > " ' escaped for XML attribute or text content. */
void el_fmt_xml(FILE *f, const char *s);
/** Write s as one CSV field, quoted when it holds a comma, quote, CR or LF. */
void el_fmt_csv(FILE *f, const char *s);
/** Write s as literal LaTeX text: & % $ # _ { } ~ ^ \ < > | " ' ` escaped, - and , kept from
 * forming ligatures, control characters as spaces, Latin-1 letters as they are (UTF-8 input),
 * any other character as a visible U+XXXX. */
void el_fmt_tex(FILE *f, const char *s);
/** Write v with `decimals` digits after the point, in the C locale. Negative zero and any
 * value that rounds to zero at that precision (-1e-12 with 4 decimals) print without a minus
 * sign: "0.0000", never "-0.0000". */
void el_fmt_fixed(FILE *f, double v, int decimals);
/** The same into buf (size bytes; truncated to fit, always terminated); returns buf. For
 * printf-style callers such as the CLI's summary table. */
char *el_fmt_fixed_str(char *buf, size_t size, double v, int decimals);
/** Write v with `digits` significant digits ("%.*g", -0 as 0, non-finite as NaN/INF). */
void el_fmt_sig(FILE *f, double v, int digits);

#endif
