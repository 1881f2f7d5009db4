/* Output formatting. Deterministic: no locale, fixed precision. */
#include "fmt.h"

#include <math.h>
#include <string.h>

void el_fmt_sig(FILE *f, double v, int digits)
{
    if (isnan(v)) {
        fputs("NaN", f);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "INF" : "-INF", f);
        return;
    }
    if (v == 0)
        v = 0; /* turns -0 into 0; "%g" prints no other value as zero */
    fprintf(f, "%.*g", digits, v);
}

void el_fmt_num(FILE *f, double v)
{
    el_fmt_sig(f, v, 12);
}

void el_fmt_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            fputc(*s, f);
        }
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
        if (code < 0) {
            fputs("?", f);
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
            case '\'':
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
        } else if (code >= 0xC0 && code <= 0xFF && code != 0xD7 && code != 0xF7) {
            fwrite(p, 1, (size_t)n, f); /* accented Latin letters: inputenc + T1 fonts */
        } else {
            fprintf(f, "\\texttt{U+%04lX}", code);
        }
        p += n;
    }
}
