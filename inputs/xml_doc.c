/* libxml2 adapter. Invariants: no libxml2 type leaves this file; every xmlChar* is copied into
 * el_alloc memory at once; errors are captured through structured handlers, never printed. */
#include "xml_doc.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "el_alloc.h"
#include "el_io.h"

struct ElXmlDoc {
    xmlDocPtr doc;
};

typedef struct {
    const char *path;
    ElError *err;
    el_status code;
    int seen;
} Capture;

static void capture(void *ctx, xmlErrorPtr e)
{
    Capture *c = ctx;
    char msg[300];
    size_t len;
    if (!e || c->seen)
        return;
    c->seen = 1;
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        msg[--len] = '\0';
    el_error_set(c->err, c->code, "%s:%d: %s", c->path, e->line, msg);
}

static el_status validate(xmlDocPtr doc, const char *path, const char *xsd, ElError *err)
{
    xmlSchemaParserCtxtPtr pctx;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vctx = NULL;
    Capture cap = {path, err, EL_ERR_SCHEMA, 0};
    Capture scap = {"(built-in schema)", err, EL_ERR_INTERNAL, 0};
    el_status st = EL_OK;
    int rc;
    pctx = xmlSchemaNewMemParserCtxt(xsd, (int)strlen(xsd));
    if (!pctx)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (schema)");
    xmlSchemaSetParserStructuredErrors(pctx, capture, &scap);
    schema = xmlSchemaParse(pctx);
    xmlSchemaFreeParserCtxt(pctx);
    if (!schema)
        return scap.seen ? EL_ERR_INTERNAL
                         : el_error_set(err, EL_ERR_INTERNAL, "the built-in schema is invalid");
    vctx = xmlSchemaNewValidCtxt(schema);
    if (!vctx) {
        xmlSchemaFree(schema);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (schema validation)");
    }
    xmlSchemaSetValidStructuredErrors(vctx, capture, &cap);
    rc = xmlSchemaValidateDoc(vctx, doc);
    if (rc > 0)
        st = cap.seen ? EL_ERR_SCHEMA
                      : el_error_set(err, EL_ERR_SCHEMA, "%s: does not follow the schema", path);
    else if (rc < 0)
        st = el_error_set(err, EL_ERR_INTERNAL, "%s: schema validation failed internally", path);
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    return st;
}

/* libxml2 reports some errors (encoding conversion, for one) through its generic channel,
 * which would print to stderr; the parse error itself still reaches the caller. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Compressed data is refused by name: libxml2 would inflate it when reading a file, past the
 * size limit; from memory it would only say the document is empty. */
static const char *compression(const char *buf, long len)
{
    const unsigned char *b = (const unsigned char *)buf;
    if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return "gzip";
    if (len >= 6 && memcmp(b,
                           "\xfd"
                           "7zXZ\0",
                           6) == 0)
        return "xz";
    if (len >= 3 && memcmp(b, "BZh", 3) == 0)
        return "bzip2";
    if (len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
        return "zstd";
    return NULL;
}

/* Parse len bytes from memory; name is used in messages. The file was read by el_read_file
 * (regular files only, size-limited), so libxml2 never opens a file and never decompresses. */
static el_status parse(xmlDocPtr *out, const char *name, const char *buf, long len, ElError *err)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    const char *z = compression(buf, len);
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                        XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    *out = NULL;
    if (len > EL_XML_MAX_BYTES)
        return el_error_set(err, EL_ERR_INPUT, "%s: file of %ld bytes exceeds the limit of %ld",
                            name, len, EL_XML_MAX_BYTES);
    if (z)
        return el_error_set(err, EL_ERR_XML,
                            "%s: is %s-compressed, not XML (etslink reads plain XML only: "
                            "decompress it first)",
                            name, z);
    xmlSetGenericErrorFunc(NULL, quiet);
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (XML parser)");
    doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, options);
    if (!doc) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        el_status st;
        if (e && e->message) {
            char msg[300];
            size_t mlen;
            snprintf(msg, sizeof(msg), "%s", e->message);
            mlen = strlen(msg);
            while (mlen > 0 && (msg[mlen - 1] == '\n' || msg[mlen - 1] == ' '))
                msg[--mlen] = '\0';
            st = el_error_set(err, EL_ERR_XML, "%s:%d: %s", name, e->line, msg);
        } else {
            st = el_error_set(err, EL_ERR_XML, "%s: not well-formed XML", name);
        }
        xmlFreeParserCtxt(ctxt);
        return st;
    }
    xmlFreeParserCtxt(ctxt);
    if (doc->intSubset || doc->extSubset) {
        int line = doc->intSubset ? (int)xmlGetLineNo((xmlNodePtr)doc->intSubset) : 1;
        xmlFreeDoc(doc);
        return el_error_set(err, EL_ERR_XML,
                            "%s:%d: a DOCTYPE (DTD) is not allowed in a scenario (entities are "
                            "never expanded)",
                            name, line > 0 ? line : 1);
    }
    *out = doc;
    return EL_OK;
}

/* Parse path (buf == NULL: read it with el_read_file, then release the bytes at once, so that
 * only the tree stays in memory) or len bytes at buf. */
static el_status
parse_any(xmlDocPtr *doc, const char *name, const char *buf, long len, ElError *err)
{
    char *text;
    el_status st;
    if (buf)
        return parse(doc, name, buf, len, err);
    *doc = NULL;
    st = el_read_file(name, EL_XML_MAX_BYTES, "the file", &text, &len, err);
    if (st != EL_OK)
        return st;
    st = parse(doc, name, text, len, err);
    el_free(text);
    return st;
}

static el_status
read_doc(ElXmlDoc **out, const char *name, const char *buf, long len, const char *xsd, ElError *err)
{
    ElXmlDoc *d;
    xmlDocPtr doc;
    el_status st;
    *out = NULL;
    st = parse_any(&doc, name, buf, len, err);
    if (st != EL_OK)
        return st;
    st = validate(doc, name, xsd, err);
    if (st != EL_OK) {
        xmlFreeDoc(doc);
        return st;
    }
    d = el_calloc(1, sizeof(*d));
    if (!d) {
        xmlFreeDoc(doc);
        return el_error_set(err, EL_ERR_NOMEM, "out of memory (XML document)");
    }
    d->doc = doc;
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
    xmlDocPtr doc;
    el_status st = parse_any(&doc, path, NULL, 0, err);
    if (st != EL_OK)
        return st;
    st = validate(doc, path, xsd, err);
    xmlFreeDoc(doc);
    return st;
}

void el_xml_free(ElXmlDoc *doc)
{
    if (!doc)
        return;
    xmlFreeDoc(doc->doc);
    el_free(doc);
}

static const ElXmlNode *element_from(xmlNodePtr n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return (const ElXmlNode *)n;
}

const ElXmlNode *el_xml_root(const ElXmlDoc *doc)
{
    return (const ElXmlNode *)xmlDocGetRootElement(doc->doc);
}

const ElXmlNode *el_xml_child(const ElXmlNode *n)
{
    return element_from(((xmlNodePtr)(void *)(size_t)n)->children);
}

const ElXmlNode *el_xml_next(const ElXmlNode *n)
{
    return element_from(((xmlNodePtr)(void *)(size_t)n)->next);
}

const char *el_xml_name(const ElXmlNode *n)
{
    return (const char *)((xmlNodePtr)(void *)(size_t)n)->name;
}

int el_xml_line(const ElXmlNode *n)
{
    return (int)xmlGetLineNo((xmlNodePtr)(void *)(size_t)n);
}

static char *copy_xml(xmlChar *s)
{
    char *c;
    if (!s)
        return NULL;
    c = el_strdup((const char *)s);
    xmlFree(s);
    return c;
}

char *el_xml_attr(const ElXmlNode *n, const char *name)
{
    return copy_xml(xmlGetProp((xmlNodePtr)(void *)(size_t)n, (const xmlChar *)name));
}

int el_xml_has_attr(const ElXmlNode *n, const char *name)
{
    return xmlHasProp((xmlNodePtr)(void *)(size_t)n, (const xmlChar *)name) != NULL;
}

char *el_xml_text(const ElXmlNode *n)
{
    return copy_xml(xmlNodeGetContent((xmlNodePtr)(void *)(size_t)n));
}

void el_xml_shutdown(void)
{
    xmlCleanupParser();
}
