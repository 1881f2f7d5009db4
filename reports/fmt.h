/* fmt: the one place numbers and strings are formatted for output. Numbers use "%.12g" in the C
 * locale (never the user's), with -0 printed as 0; strings are escaped for XML or quoted for
 * CSV (RFC 4180). The "%.*g" conversion is done by an exact integer formatter that gives the same
 * bytes as the C library's (docs/results-format.md), about 15 times faster; ElOut buffers a
 * writer's output so that a million designs cost few stdio calls. */
#ifndef EL_FMT_H
#define EL_FMT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/** Room for any number el_fmt_sig_str writes with at most 17 digits, with its terminator. */
#define EL_FMT_SIG_SIZE 32

/** Write v to f ("%.12g", -0 as 0, non-finite as NaN/INF, which the results never contain).
 * With 12 significant digits no value other than zero prints as zero, so no output says "-0". */
void el_fmt_num(FILE *f, double v);
/** Write s with & < > " ' escaped for XML attribute or text content. */
void el_fmt_xml(FILE *f, const char *s);
/** Write s as one CSV field, quoted when it holds a comma, quote, CR or LF. */
void el_fmt_csv(FILE *f, const char *s);
/** Write s as literal LaTeX text: & % $ # _ { } ~ ^ \ < > | " ' ` escaped, - and , kept from
 * forming ligatures, control characters (C0 and C1) as spaces, any other character as it is
 * (UTF-8, for LuaLaTeX), and bytes that are not valid UTF-8 (overlong forms and surrogates
 * included) as "?". */
void el_fmt_tex(FILE *f, const char *s);
/** Write v with `decimals` digits after the point, in the C locale. Negative zero and any
 * value that rounds to zero at that precision (-1e-12 with 4 decimals) print without a minus
 * sign: "0.0000", never "-0.0000". */
void el_fmt_fixed(FILE *f, double v, int decimals);
/** The same into buf (size bytes; truncated to fit, always terminated); returns buf. For
 * printf-style callers such as the CLI's summary table. */
char *el_fmt_fixed_str(char *buf, size_t size, double v, int decimals);
/** v as a siunitx number with its sign, for TeX: "$+$\num{1.50}", "\num{-1.50}", and
 * "\num{0.00}" for anything that rounds to zero (no sign). */
void el_fmt_tex_signed(FILE *f, double v, int decimals);
/** Write v with `digits` significant digits ("%.*g", -0 as 0, non-finite as NaN/INF). */
void el_fmt_sig(FILE *f, double v, int digits);
/** The same into buf (size bytes, EL_FMT_SIG_SIZE is enough for digits <= 17; truncated to fit,
 * always terminated). Returns the length written. Byte for byte what snprintf("%.*g") prints in
 * the C locale (with -0 as 0): digits 1 to 17 and magnitudes 1e-21 to 1e38 are converted exactly
 * with integer arithmetic (round half to even on the exact binary value, as glibc does), anything
 * else by snprintf. */
size_t el_fmt_sig_str(char *buf, size_t size, double v, int digits);

/** A write buffer in front of a stream: writers append to it and it goes to the stream in
 * blocks. Plain value; nothing to free. */
#define EL_OUT_SIZE 16384
typedef struct {
    FILE *f;   /* borrowed */
    size_t n;  /* bytes buffered */
    int error; /* errno of the first failed write to f, or 0 */
    char buf[EL_OUT_SIZE];
} ElOut;

/** Start buffering for f (borrowed; must outlive o's use). */
void el_out_init(ElOut *o, FILE *f);
/** Write the buffered bytes to f. Returns 0, or the errno of a failed write (also kept in
 * o->error; later writes are dropped). */
int el_out_flush(ElOut *o);
/** Append n bytes (el_out_mem; the slow path when they do not fit the buffer). */
void el_out_mem_slow(ElOut *o, const char *s, size_t n);
static inline void el_out_mem(ElOut *o, const char *s, size_t n)
{
    if (n <= sizeof(o->buf) - o->n) {
        memcpy(o->buf + o->n, s, n);
        o->n += n;
    } else {
        el_out_mem_slow(o, s, n);
    }
}
/** Append v as "%.*g" (el_fmt_sig_str; digits 1 to 17). */
void el_out_sig(ElOut *o, double v, int digits);
/** Append s escaped for XML (as el_fmt_xml) / as one CSV field (as el_fmt_csv). */
void el_out_xml(ElOut *o, const char *s);
void el_out_csv(ElOut *o, const char *s);

/** Append a string / one character. */
static inline void el_out_str(ElOut *o, const char *s)
{
    el_out_mem(o, s, strlen(s));
}

static inline void el_out_char(ElOut *o, char c)
{
    if (o->n == sizeof(o->buf))
        el_out_flush(o);
    o->buf[o->n++] = c;
}

/** Append v as "%.12g" (el_fmt_num). */
static inline void el_out_num(ElOut *o, double v)
{
    el_out_sig(o, v, 12);
}

#endif
