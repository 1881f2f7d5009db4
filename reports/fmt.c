/* Output formatting. Deterministic: no locale, fixed precision.
 *
 * Numbers: "%.*g" is what the results promise (docs/results-format.md), and the C library's
 * conversion (a multi-precision expansion of the binary value) was two thirds of the
 * instructions of writing results. fast_sig computes the same decimal digits with 64- and
 * 128-bit integers: v = m 2^e exactly, so round(|v| 10^k) is an integer division of m 5^k 2^(e+k)
 * (k >= 0) or of m 2^e by 10^-k (k < 0) with an exact remainder, rounded half to even as glibc
 * does in the default rounding mode; whenever an operand would not fit it gives up and snprintf
 * does the conversion. The layout then follows C11 7.21.6.1: with X the decimal exponent after
 * rounding to P digits, fixed notation if -4 <= X < P, else d.ddde+XX, trailing zeros and a
 * bare point removed. tests/unit/test_reports.c compares both on millions of values. */
#include "fmt.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128; /* gcc and clang */

static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

/* 10^(k - 32) as doubles for k = 1 .. 71, for the exponent estimate only (exact up to 1e22). */
static const double pow10_dbl[72] = {
    1e-32, 1e-31, 1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25, 1e-24, 1e-23, 1e-22, 1e-21,
    1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9,
    1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,   1e2,   1e3,
    1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,  1e13,  1e14,  1e15,
    1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22,  1e23,  1e24,  1e25,  1e26,  1e27,
    1e28,  1e29,  1e30,  1e31,  1e32,  1e33,  1e34,  1e35,  1e36,  1e37,  1e38,  1e39};

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 5^k for k <= 27 (5^27 < 2^63). */
static uint64_t pow5_64(int k)
{
    static const uint64_t p5[28] = {1ULL,
                                    5ULL,
                                    25ULL,
                                    125ULL,
                                    625ULL,
                                    3125ULL,
                                    15625ULL,
                                    78125ULL,
                                    390625ULL,
                                    1953125ULL,
                                    9765625ULL,
                                    48828125ULL,
                                    244140625ULL,
                                    1220703125ULL,
                                    6103515625ULL,
                                    30517578125ULL,
                                    152587890625ULL,
                                    762939453125ULL,
                                    3814697265625ULL,
                                    19073486328125ULL,
                                    95367431640625ULL,
                                    476837158203125ULL,
                                    2384185791015625ULL,
                                    11920928955078125ULL,
                                    59604644775390625ULL,
                                    298023223876953125ULL,
                                    1490116119384765625ULL,
                                    7450580596923828125ULL};
    return p5[k];
}

/* The P decimal digits of n < 10^P, leading zeros included, two at a time in 32-bit
 * arithmetic. */
static void put_digits(char *d, uint64_t n, int P)
{
    uint32_t x;
    int i = P, k;
    if (P > 8) {
        x = (uint32_t)(n % 100000000U);
        for (k = 0; k < 4; k++) {
            uint32_t q = x / 100;
            memcpy(d + i - 2, digit_pairs + 2 * (x - 100 * q), 2);
            x = q;
            i -= 2;
        }
        n /= 100000000U;
    }
    x = (uint32_t)n; /* < 10^9 */
    for (; i >= 2; i -= 2) {
        uint32_t q = x / 100;
        memcpy(d + i - 2, digit_pairs + 2 * (x - 100 * q), 2);
        x = q;
    }
    if (i == 1)
        d[0] = (char)('0' + x);
}

/* Round q + rem/den half to even: up when rem > den/2, or rem == den/2 and q is odd. */
static u128 round_even(u128 q, u128 rem, u128 den)
{
    u128 rest = den - rem; /* rem < den */
    if (rem > rest || (rem == rest && (q & 1)))
        q++;
    return q;
}

/* *out = round(m 2^e2 10^k), half to even, computed exactly; false if an operand would not fit
 * in 128 bits or the result in 64. */
static bool scaled_round(uint64_t m, int e2, int k, uint64_t *out)
{
    u128 num, den, q;
    if (k >= 0) {
        int s = e2 + k;
        if (k > 32) /* m 5^k < 2^53 2^75 */
            return false;
        num = (u128)m * pow5_64(k > 27 ? 27 : k);
        if (k > 27)
            num *= pow5_64(k - 27);
        if (s >= 0) { /* an integer already */
            if (s >= 64 || (num >> (64 - s)) != 0)
                return false;
            *out = (uint64_t)(num << s);
            return true;
        }
        if (-s >= 127)
            return false;
        den = (u128)1 << -s;
        q = round_even(num >> -s, num & (den - 1), den);
    } else {
        int j = -k;
        if (j > 38)
            return false;
        den = j > 19 ? (u128)pow10_64[19] * pow10_64[j - 19] : (u128)pow10_64[j];
        if (e2 >= 0) {
            if (e2 > 74)
                return false;
            num = (u128)m << e2;
        } else {
            if (-e2 >= 127 || (den >> (127 + e2)) != 0)
                return false;
            num = m;
            den <<= -e2;
        }
        q = round_even(num / den, num % den, den);
    }
    if ((q >> 64) != 0)
        return false;
    *out = (uint64_t)q;
    return true;
}

/* "%.*g" of a finite nonzero normal v with P (1..17) digits into buf (room for 32); returns the
 * length, or 0 when the integer path cannot decide (then snprintf does). */
static size_t fast_sig(char *buf, double v, int P)
{
    uint64_t bits, m, n;
    int ex, x, tries, nd, i;
    char d[20], *p = buf;
    memcpy(&bits, &v, sizeof(bits));
    ex = (int)((bits >> 52) & 0x7FF);
    if (ex == 0 || ex == 0x7FF) /* subnormal, or not finite */
        return 0;
    m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
    /* floor(log10 |v|) is this estimate or one more; the table of powers of ten (not exact
     * below 1) may put it one too high for a value within an ulp of a power of ten; rounding to
     * P digits may add one */
    x = (ex - 1023) * 78913; /* floor(b log10 2) = floor(78913 b / 2^18) for |b| <= 1650 */
    x = x >= 0 ? x >> 18 : -((-x + (1 << 18) - 1) >> 18);
    if (x >= -33 && x < 39 && fabs(v) >= pow10_dbl[x + 33])
        x++;
    for (tries = 0;; tries++) {
        if (tries == 4 || !scaled_round(m, ex - 1075, P - 1 - x, &n))
            return 0;
        if (n >= pow10_64[P]) {
            x++;
        } else if (n < pow10_64[P - 1]) {
            x--;
        } else if (n == pow10_64[P - 1]) {
            /* 10^(P-1) at x: either |v| rounds up to 10^x, or x is one too high and the digits
             * at x - 1 do not carry */
            uint64_t n2;
            if (!scaled_round(m, ex - 1075, P - x, &n2))
                return 0;
            if (n2 < pow10_64[P]) {
                x--;
                n = n2;
            }
            break;
        } else {
            break;
        }
    }
    put_digits(d, n, P);
    for (nd = P; nd > 1 && d[nd - 1] == '0'; nd--)
        ;
    if (bits >> 63)
        *p++ = '-';
    if (x < -4 || x >= P) {
        int ax = x < 0 ? -x : x;
        *p++ = d[0];
        if (nd > 1) {
            *p++ = '.';
            for (i = 1; i < nd; i++)
                *p++ = d[i];
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        if (ax >= 100)
            *p++ = (char)('0' + ax / 100);
        *p++ = (char)('0' + ax / 10 % 10);
        *p++ = (char)('0' + ax % 10);
    } else if (x >= 0) {
        for (i = 0; i <= x; i++)
            *p++ = d[i];
        if (nd > x + 1) {
            *p++ = '.';
            for (i = x + 1; i < nd; i++)
                *p++ = d[i];
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (i = 0; i < -x - 1; i++)
            *p++ = '0';
        for (i = 0; i < nd; i++)
            *p++ = d[i];
    }
    *p = '\0';
    return (size_t)(p - buf);
}

size_t el_fmt_sig_str(char *buf, size_t size, double v, int digits)
{
    char tmp[EL_FMT_SIG_SIZE];
    size_t n;
    int k;
    if (size == 0)
        return 0;
    if (v == 0) { /* -0 too: "%g" prints no other value as zero */
        if (size < 2) {
            buf[0] = '\0';
            return 0;
        }
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (digits >= 1 && digits <= 17) {
        if (size >= EL_FMT_SIG_SIZE && (n = fast_sig(buf, v, digits)) > 0)
            return n;
        if (size < EL_FMT_SIG_SIZE && (n = fast_sig(tmp, v, digits)) > 0) {
            if (n >= size)
                n = size - 1;
            memcpy(buf, tmp, n);
            buf[n] = '\0';
            return n;
        }
    }
    if (isnan(v))
        k = snprintf(buf, size, "NaN");
    else if (isinf(v))
        k = snprintf(buf, size, "%s", v > 0 ? "INF" : "-INF");
    else
        k = snprintf(buf, size, "%.*g", digits, v);
    if (k < 0)
        k = 0;
    return (size_t)k < size ? (size_t)k : size - 1;
}

void el_fmt_sig(FILE *f, double v, int digits)
{
    char buf[EL_FMT_SIG_SIZE];
    if (digits >= 1 && digits <= 17) {
        fwrite(buf, 1, el_fmt_sig_str(buf, sizeof(buf), v, digits), f);
        return;
    }
    if (isnan(v) || isinf(v) || v == 0) { /* NaN, INF, -INF, 0: as el_fmt_sig_str */
        el_fmt_sig_str(buf, sizeof(buf), v, digits);
        fputs(buf, f);
        return;
    }
    fprintf(f, "%.*g", digits, v);
}

void el_fmt_num(FILE *f, double v)
{
    el_fmt_sig(f, v, 12);
}

void el_out_init(ElOut *o, FILE *f)
{
    o->f = f;
    o->n = 0;
    o->error = 0;
}

int el_out_flush(ElOut *o)
{
    if (o->n > 0 && !o->error && fwrite(o->buf, 1, o->n, o->f) != o->n)
        o->error = errno ? errno : EIO;
    o->n = 0;
    return o->error;
}

void el_out_mem_slow(ElOut *o, const char *s, size_t n)
{
    while (n > 0) {
        size_t k = sizeof(o->buf) - o->n;
        if (k == 0) {
            el_out_flush(o);
            continue;
        }
        if (k > n)
            k = n;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        n -= k;
    }
}

void el_out_sig(ElOut *o, double v, int digits)
{
    if (sizeof(o->buf) - o->n < EL_FMT_SIG_SIZE)
        el_out_flush(o);
    o->n += el_fmt_sig_str(o->buf + o->n, EL_FMT_SIG_SIZE, v, digits);
}

/* The XML escape of c, or NULL if c stands for itself. */
static const char *xml_escape(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&apos;";
    default:
        return NULL;
    }
}

void el_out_xml(ElOut *o, const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "&<>\"'");
        el_out_mem(o, s, n);
        s += n;
        if (!*s)
            return;
        el_out_str(o, xml_escape(*s));
        s++;
    }
}

void el_out_csv(ElOut *o, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        el_out_str(o, s);
        return;
    }
    el_out_char(o, '"');
    for (; *s; s++) {
        if (*s == '"')
            el_out_char(o, '"');
        el_out_char(o, *s);
    }
    el_out_char(o, '"');
}

void el_fmt_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        const char *e = xml_escape(*s);
        if (e)
            fputs(e, f);
        else
            fputc(*s, f);
    }
}

void el_fmt_csv(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

char *el_fmt_fixed_str(char *buf, size_t size, double v, int decimals)
{
    const char *p;
    if (size == 0)
        return buf;
    if (isnan(v)) {
        snprintf(buf, size, "NaN");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%s", v > 0 ? "INF" : "-INF");
        return buf;
    }
    snprintf(buf, size, "%.*f", decimals, v);
    /* "-0.00" (negative zero, or a negative value rounding to zero) prints as "0.00" */
    for (p = buf + (buf[0] == '-'); *p == '0' || *p == '.'; p++)
        ;
    if (buf[0] == '-' && *p == '\0')
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

void el_fmt_tex_signed(FILE *f, double v, int decimals)
{
    char buf[64];
    el_fmt_fixed_str(buf, sizeof(buf), v, decimals);
    if (buf[0] != '-' && strspn(buf, "0.") != strlen(buf))
        fputs("$+$", f);
    fputs("\\num{", f);
    fputs(buf, f);
    fputc('}', f);
}

void el_fmt_fixed(FILE *f, double v, int decimals)
{
    char buf[400]; /* DBL_MAX has 309 digits before the point */
    fputs(el_fmt_fixed_str(buf, sizeof(buf), v, decimals), f);
}

/* Decode one UTF-8 sequence at s; returns its length (1 for an invalid byte, code -1). */
static int utf8(const unsigned char *s, long *code)
{
    int n, k;
    long c;
    if (s[0] < 0x80) {
        *code = s[0];
        return 1;
    }
    n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n) {
        *code = -1;
        return 1;
    }
    c = s[0] & (0x7F >> n);
    for (k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *code = -1;
            return 1;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    *code = c;
    return n;
}

void el_fmt_tex(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        long code;
        int n = utf8(p, &code);
        if (code < 0 || (n == 2 && code < 0x80) || (n == 3 && code < 0x800) ||
            (n == 4 && code < 0x10000) || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
            fputs("?", f); /* not valid UTF-8: a stray byte, an overlong form, a surrogate */
        } else if (code < 0x20 || code == 0x7F) {
            fputc(' ', f);
        } else if (code < 0x80) {
            switch (code) {
            case '&':
            case '%':
            case '$':
            case '#':
            case '_':
            case '{':
            case '}':
                fputc('\\', f);
                fputc((int)code, f);
                break;
            case '~':
                fputs("\\textasciitilde{}", f);
                break;
            case '^':
                fputs("\\textasciicircum{}", f);
                break;
            case '\\':
                fputs("\\textbackslash{}", f);
                break;
            case '<':
                fputs("\\textless{}", f);
                break;
            case '>':
                fputs("\\textgreater{}", f);
                break;
            case '|':
                fputs("\\textbar{}", f);
                break;
            case '"':
                fputs("\\textquotedbl{}", f);
                break;
            case '\'': /* an apostrophe after a letter or digit ("Korea's") as the
                            typographic one, U+2019; elsewhere the straight quote */
                if (p > (const unsigned char *)s &&
                    (p[-1] >= 0x80 || (p[-1] >= '0' && p[-1] <= '9') ||
                     ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z')))
                    fputs("\xe2\x80\x99", f);
                else
                    fputs("\\textquotesingle{}", f);
                break;
            case '`':
                fputs("\\textasciigrave{}", f);
                break;
            case '-': /* -{} and ,{} stop the ligatures -- --- ,, from forming */
            case ',':
                fputc((int)code, f);
                fputs("{}", f);
                break;
            default:
                fputc((int)code, f);
            }
        } else if (code < 0xA0) {
            fputc(' ', f); /* C1 control characters */
        } else {
            fwrite(p, 1, (size_t)n, f); /* LuaLaTeX sets UTF-8; Hangul and Han from the CJK
                                           fallback fonts */
        }
        p += n;
    }
}
