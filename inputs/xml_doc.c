/* libxml2 adapter. Invariants: no libxml2 type leaves this file; libxml2 never opens a file
 * (el_read_file reads it: regular files only, size-limited, no decompression); every string is
 * copied into el_alloc memory at once; errors are captured through structured handlers, never
 * printed.
 * Threads: libxml2 (built with thread support, as Debian's is) keeps its error handlers and last
 * error per thread; they are saved before each read, set for it, and restored after it, so that
 * neither another thread nor the caller's own handlers see a change. xmlInitParser, which is not
 * reentrant, runs once per process (pthread_once) before the first read. */
#include "xml_doc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "el_alloc.h"
#include "el_io.h"

/* The document is kept in a compact tree of our own, built while libxml2's reader streams the
 * file and validates it against the schema: libxml2 holds only the current element, so a
 * 64 MiB scenario needs a few hundred MB, not the 2 GB of a libxml2 DOM (docs/security.md). */
struct ElXmlNode {
    const char *name;  /* interned in the document */
    ElXmlNode *child;  /* first element child */
    ElXmlNode *next;   /* next element sibling */
    const char **attr; /* nattr (name, value) pairs; names interned */
    const char *text;  /* text of an element without element children, or NULL */
    size_t textlen;
    int line, nattr;
};

typedef struct Block {
    struct Block *next;
    size_t used, size;
    double data[]; /* aligned for any pointer */
} Block;

struct ElXmlDoc {
    Block *blocks;
    ElXmlNode *root;
    const char **names; /* open-addressing table of interned names */
    size_t nnames, cap;
};

static void *arena(ElXmlDoc *d, size_t size)
{
    Block *b = d->blocks;
    size = (size + 7) & ~(size_t)7;
    if (!b || b->size - b->used < size) {
        size_t want = b ? b->size * 2 : 16384;
        if (want > (size_t)1 << 22)
            want = (size_t)1 << 22;
        if (want < size)
            want = size;
        b = el_malloc(sizeof(Block) + want);
        if (!b)
            return NULL;
        b->size = want;
        b->used = 0;
        b->next = d->blocks;
        d->blocks = b;
    }
    b->used += size;
    return (char *)b->data + b->used - size;
}

static size_t hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static const char *intern(ElXmlDoc *d, const char *s)
{
    size_t k, len;
    char *copy;
    if (2 * (d->nnames + 1) > d->cap) {
        size_t ncap = d->cap ? 2 * d->cap : 64, j;
        const char **nt = el_calloc(ncap, sizeof(*nt));
        if (!nt)
            return NULL;
        for (j = 0; j < d->cap; j++)
            if (d->names[j]) {
                for (k = hash(d->names[j]) & (ncap - 1); nt[k]; k = (k + 1) & (ncap - 1))
                    ;
                nt[k] = d->names[j];
            }
        el_free(d->names);
        d->names = nt;
        d->cap = ncap;
    }
    for (k = hash(s) & (d->cap - 1); d->names[k]; k = (k + 1) & (d->cap - 1))
        if (strcmp(d->names[k], s) == 0)
            return d->names[k];
    len = strlen(s);
    copy = arena(d, len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len + 1);
    d->names[k] = copy;
    d->nnames++;
    return copy;
}

typedef struct {
    const char *path;
    char parse_msg[300], schema_msg[300];
    int parse_line, schema_line;
    int parse_seen, schema_seen;
} Capture;

static void trim_copy(char *out, size_t size, const char *msg)
{
    size_t len;
    snprintf(out, size, "%s", msg ? msg : "error");
    len = strlen(out);
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
        out[--len] = '\0';
}

/* Schema errors: the first one counts. */
static void capture(void *ctx, xmlErrorPtr e)
{
    Capture *c = ctx;
    if (!e || e->level == XML_ERR_WARNING || e->level == XML_ERR_NONE || c->schema_seen)
        return;
    c->schema_seen = 1;
    c->schema_line = e->line;
    trim_copy(c->schema_msg, sizeof(c->schema_msg), e->message);
}

/* Parse errors: the first one counts (later ones follow from it). */
static void capture_parse(void *ctx, xmlErrorPtr e)
{
    Capture *c = ctx;
    if (!e || e->level < XML_ERR_ERROR || c->parse_seen || e->domain == XML_FROM_SCHEMASV)
        return;
    c->parse_seen = 1;
    c->parse_line = e->line;
    trim_copy(c->parse_msg, sizeof(c->parse_msg), e->message);
}

static void capture_xsd(void *ctx, xmlErrorPtr e)
{
    int *seen = ctx;
    (void)e;
    *seen = 1;
}

/* libxml2 reports some errors (encoding conversion, for one) through its generic channel,
 * which would print to stderr; the parse error itself still reaches the caller. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Compressed data is refused by name: libxml2 would inflate a compressed file, past the size
 * limit (etslink never lets libxml2 open a file, so from memory it would only say the document
 * is empty). */
static const char *compression(const char *buf, long len)
{
    const unsigned char *b = (const unsigned char *)buf;
    if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return "gzip";
    if (len >= 6 && b[0] == 0xfd && memcmp(b + 1, "7zXZ", 4) == 0 && b[5] == 0)
        return "xz";
    if (len >= 3 && memcmp(b, "BZh", 3) == 0)
        return "bzip2";
    if (len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
        return "zstd";
    return NULL;
}

/* An empty file, or one whose first character (after a UTF-8 byte-order mark and blanks) is
 * not '<': said plainly, as the reader's push parser would only report a later symptom
 * ("Extra content", "Document is empty"). Other encodings are left to the parser. */
static el_status not_markup(const char *name, const char *buf, long len, ElError *err)
{
    const unsigned char *b = (const unsigned char *)buf;
    long i = 0;
    int line = 1;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    else if (len >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
        return EL_OK;
    else if (len >= 1 && b[0] == 0)
        return EL_OK;
    for (; i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'); i++)
        line += b[i] == '\n';
    if (i == len)
        return el_error_set(err, EL_ERR_XML, "%s:%d: Document is empty", name, line);
    if (b[i] != '<')
        return el_error_set(err, EL_ERR_XML, "%s:%d: Start tag expected, '<' not found", name,
                            line);
    return EL_OK;
}

/* The element the reader stands on, as a node of d (attributes and line included). */
static ElXmlNode *make_node(ElXmlDoc *d, xmlTextReaderPtr r)
{
    ElXmlNode *n = arena(d, sizeof(*n));
    int na = xmlTextReaderAttributeCount(r), k = 0;
    if (!n)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->name = intern(d, (const char *)xmlTextReaderConstLocalName(r));
    n->line = (int)xmlGetLineNo(xmlTextReaderCurrentNode(r));
    if (!n->name)
        return NULL;
    if (na > 0) {
        n->attr = arena(d, 2 * (size_t)na * sizeof(char *));
        if (!n->attr)
            return NULL;
        while (xmlTextReaderMoveToNextAttribute(r) == 1 && k < na) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            size_t len = v ? strlen(v) : 0;
            char *copy;
            if (xmlTextReaderIsNamespaceDecl(r) == 1)
                continue;
            n->attr[2 * k] = intern(d, (const char *)xmlTextReaderConstLocalName(r));
            copy = arena(d, len + 1);
            if (!n->attr[2 * k] || !copy)
                return NULL;
            memcpy(copy, v ? v : "", len + 1);
            n->attr[2 * k + 1] = copy;
            k++;
        }
        xmlTextReaderMoveToElement(r);
    }
    n->nattr = k;
    return n;
}

static int append_text(ElXmlDoc *d, ElXmlNode *n, const char *t)
{
    size_t len = t ? strlen(t) : 0;
    char *nt;
    if (len == 0)
        return 1;
    nt = arena(d, n->textlen + len + 1);
    if (!nt)
        return 0;
    if (n->textlen)
        memcpy(nt, n->text, n->textlen);
    memcpy(nt + n->textlen, t, len + 1);
    n->text = nt;
    n->textlen += len;
    return 1;
}

/* Body of stream(): runs with the thread's libxml2 handlers saved, and may change them. */
static el_status stream_with_handlers(
    ElXmlDoc *d, const char *name, const char *buf, long len, const char *xsd, ElError *err)
{
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                        XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    const char *z = compression(buf, len);
    xmlSchemaParserCtxtPtr pctx;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctx;
    xmlTextReaderPtr r;
    Capture cap;
    ElXmlNode **stack = NULL, **tail = NULL;
    int depth = 0, cap_stack = 0, rc, xsd_bad = 0, building = d != NULL, doctype_line = 0;
    int nomem = 0, valid;
    el_status st = EL_OK;
    if (len > EL_XML_MAX_BYTES)
        return el_error_set(err, EL_ERR_INPUT, "%s: file of %ld bytes exceeds the limit of %ld",
                            name, len, EL_XML_MAX_BYTES);
    if (z)
        return el_error_set(err, EL_ERR_XML,
                            "%s: is %s-compressed, not XML (etslink reads plain XML only: "
                            "decompress it first)",
                            name, z);
    st = not_markup(name, buf, len, err);
    if (st != EL_OK)
        return st;
    xmlSetGenericErrorFunc(NULL, quiet);
    pctx = xmlSchemaNewMemParserCtxt(xsd, (int)strlen(xsd));
    if (!pctx)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (schema)");
    xmlSchemaSetParserStructuredErrors(pctx, capture_xsd, &xsd_bad);
    schema = xmlSchemaParse(pctx);
    xmlSchemaFreeParserCtxt(pctx);
    if (!schema)
        return el_error_set(err, EL_ERR_INTERNAL, "the built-in schema is invalid");
    vctx = xmlSchemaNewValidCtxt(schema);
    r = vctx ? xmlReaderForMemory(buf, (int)len, name, NULL, options) : NULL;
    if (!r) {
        xmlSchemaFreeValidCtxt(vctx);
        xmlSchemaFree(schema);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (XML reader)");
    }
    memset(&cap, 0, sizeof(cap));
    cap.path = name;
    /* Parse errors reach the thread's structured handler (set for this call only): the
     * reader's own handler is not used, because with a schema plugged in libxml2 2.9 passes it
     * the wrong context. */
    xmlSchemaSetValidStructuredErrors(vctx, capture, &cap);
    xmlSetStructuredErrorFunc(&cap, capture_parse);
    if (xmlTextReaderSchemaValidateCtxt(r, vctx, 0) != 0) {
        xmlFreeTextReader(r);
        xmlSchemaFreeValidCtxt(vctx);
        xmlSchemaFree(schema);
        return el_error_set(err, EL_ERR_INTERNAL, "%s: schema validation failed to start", name);
    }
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE && !doctype_line) {
            long line = xmlGetLineNo(xmlTextReaderCurrentNode(r));
            doctype_line = line > 0 ? (int)line : 1;
            building = 0;
        }
        if (building && cap.schema_seen)
            building = 0; /* invalid: no tree needed, but read on for parse errors */
        if (!building)
            continue;
        if (type == XML_READER_TYPE_ELEMENT) {
            ElXmlNode *n = make_node(d, r);
            if (!n) {
                nomem = 1;
                break;
            }
            if (depth == 0) {
                if (!d->root)
                    d->root = n;
            } else {
                if (tail[depth - 1])
                    tail[depth - 1]->next = n;
                else
                    stack[depth - 1]->child = n;
                tail[depth - 1] = n;
                stack[depth - 1]->text = NULL; /* element content: its text is not kept */
                stack[depth - 1]->textlen = 0;
            }
            if (!xmlTextReaderIsEmptyElement(r)) {
                if (depth == cap_stack) {
                    int nc = cap_stack ? 2 * cap_stack : 64;
                    ElXmlNode **ns = el_reallocarray(stack, (size_t)nc, sizeof(*ns));
                    ElXmlNode **nt2;
                    if (ns)
                        stack = ns;
                    nt2 = ns ? el_reallocarray(tail, (size_t)nc, sizeof(*nt2)) : NULL;
                    if (!nt2) {
                        nomem = 1;
                        break;
                    }
                    tail = nt2;
                    cap_stack = nc;
                }
                stack[depth] = n;
                tail[depth] = NULL;
                depth++;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth > 0)
                depth--;
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_WHITESPACE ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                   depth > 0 && !tail[depth - 1]) {
            if (!append_text(d, stack[depth - 1], (const char *)xmlTextReaderConstValue(r))) {
                nomem = 1;
                break;
            }
        }
    }
    valid = rc == 0 ? xmlTextReaderIsValid(r) : 0;
    if (rc != 0) {
        xmlErrorPtr e = xmlGetLastError();
        if (e && e->domain != XML_FROM_SCHEMASV && e->level >= XML_ERR_ERROR) {
            cap.parse_seen = 1;
            cap.parse_line = e->line;
            trim_copy(cap.parse_msg, sizeof(cap.parse_msg), e->message);
        }
    }
    xmlFreeTextReader(r);
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    el_free(stack);
    el_free(tail);
    if (nomem)
        st = el_error_set(err, EL_ERR_NOMEM, "out of memory (XML document)");
    else if (rc != 0)
        st = cap.parse_seen
                 ? el_error_set(err, EL_ERR_XML, "%s:%d: %s", name, cap.parse_line, cap.parse_msg)
                 : el_error_set(err, EL_ERR_XML, "%s: not well-formed XML", name);
    else if (doctype_line)
        st = el_error_set(err, EL_ERR_XML,
                          "%s:%d: a DOCTYPE (DTD) is not allowed in a scenario (entities are "
                          "never expanded)",
                          name, doctype_line);
    else if (cap.schema_seen)
        st = el_error_set(err, EL_ERR_SCHEMA, "%s:%d: %s", name, cap.schema_line, cap.schema_msg);
    else if (valid != 1)
        st = el_error_set(err, EL_ERR_SCHEMA, "%s: does not follow the schema", name);
    else if (d && !d->root)
        st = el_error_set(err, EL_ERR_XML, "%s: no root element", name);
    return st;
}

static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser();
}

/* Stream len bytes at buf through libxml2's reader, validating against xsd, and (if d) build
 * the tree. Errors, in this order: not well-formed (EL_ERR_XML, the parser's last error), a
 * DOCTYPE (EL_ERR_XML), not valid (EL_ERR_SCHEMA, the first error). The whole input is read
 * even after a schema error, so that a later well-formedness error is reported first. The
 * thread's generic and structured error handlers are as they were when this returns. */
static el_status
stream(ElXmlDoc *d, const char *name, const char *buf, long len, const char *xsd, ElError *err)
{
    xmlGenericErrorFunc generic;
    xmlStructuredErrorFunc structured;
    void *generic_ctx, *structured_ctx;
    el_status st;
    pthread_once(&parser_once, init_parser);
    generic = xmlGenericError; /* this thread's (libxml2's globals are per thread) */
    generic_ctx = xmlGenericErrorContext;
    structured = xmlStructuredError;
    structured_ctx = xmlStructuredErrorContext;
    st = stream_with_handlers(d, name, buf, len, xsd, err);
    xmlSetGenericErrorFunc(generic_ctx, generic);
    xmlSetStructuredErrorFunc(structured_ctx, structured);
    return st;
}

/* Read path (buf == NULL; el_read_file: regular files only, size-limited) or len bytes at buf,
 * validate, and build the tree if out is given. */
static el_status
read_doc(ElXmlDoc **out, const char *name, const char *buf, long len, const char *xsd, ElError *err)
{
    ElXmlDoc *d = NULL;
    char *text = NULL;
    el_status st = EL_OK;
    if (out) {
        *out = NULL;
        d = el_calloc(1, sizeof(*d));
        if (!d)
            return el_error_set(err, EL_ERR_NOMEM, "out of memory (XML document)");
    }
    if (!buf) {
        st = el_read_file(name, EL_XML_MAX_BYTES, "the file", &text, &len, err);
        buf = text;
    }
    if (st == EL_OK)
        st = stream(d, name, buf, len, xsd, err);
    el_free(text);
    if (st != EL_OK) {
        el_xml_free(d);
        return st;
    }
    if (out)
        *out = d;
    return EL_OK;
}

el_status el_xml_read(ElXmlDoc **out, const char *path, const char *xsd, ElError *err)
{
    return read_doc(out, path, NULL, 0, xsd, err);
}

el_status el_xml_read_memory(
    ElXmlDoc **out, const char *buf, long len, const char *name, const char *xsd, ElError *err)
{
    if (len < 0 || len > 0x7fffffffL)
        return el_error_set(err, EL_ERR_INPUT, "%s: invalid length %ld", name, len);
    return read_doc(out, name, buf, len, xsd, err);
}

el_status el_xml_validate_file(const char *path, const char *xsd, ElError *err)
{
    return read_doc(NULL, path, NULL, 0, xsd, err);
}

void el_xml_free(ElXmlDoc *doc)
{
    Block *b, *next;
    if (!doc)
        return;
    for (b = doc->blocks; b; b = next) {
        next = b->next;
        el_free(b);
    }
    el_free(doc->names);
    el_free(doc);
}

const ElXmlNode *el_xml_root(const ElXmlDoc *doc)
{
    return doc->root;
}

const ElXmlNode *el_xml_child(const ElXmlNode *n)
{
    return n->child;
}

const ElXmlNode *el_xml_next(const ElXmlNode *n)
{
    return n->next;
}

const char *el_xml_name(const ElXmlNode *n)
{
    return n->name;
}

int el_xml_line(const ElXmlNode *n)
{
    return n->line;
}

static const char *find_attr(const ElXmlNode *n, const char *name)
{
    int k;
    for (k = 0; k < n->nattr; k++)
        if (strcmp(n->attr[2 * k], name) == 0)
            return n->attr[2 * k + 1];
    return NULL;
}

char *el_xml_attr(const ElXmlNode *n, const char *name)
{
    const char *v = find_attr(n, name);
    return v ? el_strdup(v) : NULL;
}

int el_xml_has_attr(const ElXmlNode *n, const char *name)
{
    return find_attr(n, name) != NULL;
}

int el_xml_attr_count(const ElXmlNode *n)
{
    return n->nattr;
}

const char *el_xml_attr_name(const ElXmlNode *n, int i)
{
    return i >= 0 && i < n->nattr ? n->attr[2 * i] : NULL;
}

const char *el_xml_attr_value(const ElXmlNode *n, int i)
{
    return i >= 0 && i < n->nattr ? n->attr[2 * i + 1] : NULL;
}

char *el_xml_text(const ElXmlNode *n)
{
    return el_strdup(n->text ? n->text : "");
}

void el_xml_shutdown(void)
{
    xmlCleanupParser();
}
