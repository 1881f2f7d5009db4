/* Output formatting. Deterministic: no locale, fixed precision. */
#include "fmt.h"

#include <math.h>
#include <string.h>

void el_fmt_num(FILE *f, double v)
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
        v = 0; /* turns -0 into 0 */
    fprintf(f, "%.12g", v);
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

void el_fmt_fixed(FILE *f, double v, int decimals)
{
    char buf[64];
    if (!isfinite(v)) {
        el_fmt_num(f, v);
        return;
    }
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    if (buf[0] == '-') { /* -0.00 prints as 0.00 */
        const char *p = buf + 1;
        while (*p == '0' || *p == '.')
            p++;
        if (*p == '\0') {
            fputs(buf + 1, f);
            return;
        }
    }
    fputs(buf, f);
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
