/* xml_doc: the only reader of XML (libxml2). Reads the file itself (regular files only,
 * size-limited, never decompressed), streams it through libxml2's reader with network access,
 * external entities and DTD loading off, refuses documents with a DTD, validates against an XSD
 * given as text as it streams, and exposes a compact read-only element tree with line numbers
 * (libxml2 never holds the whole document). */
#ifndef EL_XML_DOC_H
#define EL_XML_DOC_H

#include "el_status.h"

typedef struct ElXmlDoc ElXmlDoc;
typedef struct ElXmlNode ElXmlNode; /* an element; borrowed from its document */

/** Largest scenario file accepted (bytes); docs/security.md. */
#define EL_XML_MAX_BYTES (64L * 1024 * 1024)

/** Parse path and validate it against xsd (schema text, NUL-terminated). Errors name the file
 * and line: EL_ERR_IO (unreadable, or not a regular file), EL_ERR_INPUT (larger than
 * EL_XML_MAX_BYTES), EL_ERR_XML (not well-formed, compressed, or has a DTD), EL_ERR_SCHEMA
 * (does not follow the schema). *out is freed with el_xml_free. */
el_status el_xml_read(ElXmlDoc **out, const char *path, const char *xsd, ElError *err);
/** The same for len bytes of XML in memory; name stands for the file in messages. */
el_status el_xml_read_memory(
    ElXmlDoc **out, const char *buf, long len, const char *name, const char *xsd, ElError *err);
void el_xml_free(ElXmlDoc *doc);

/** Validate a file against a schema without keeping it (used for our own output in tests). */
el_status el_xml_validate_file(const char *path, const char *xsd, ElError *err);

const ElXmlNode *el_xml_root(const ElXmlDoc *doc);
/** First element child / next element sibling, or NULL. */
const ElXmlNode *el_xml_child(const ElXmlNode *n);
const ElXmlNode *el_xml_next(const ElXmlNode *n);
/** Element name (borrowed) and line in the file. */
const char *el_xml_name(const ElXmlNode *n);
int el_xml_line(const ElXmlNode *n);
/** Copy of attribute `name`, or NULL if absent (or out of memory); freed with el_free. */
char *el_xml_attr(const ElXmlNode *n, const char *name);
/** True if the element has attribute `name` (tells "absent" from "out of memory"). */
int el_xml_has_attr(const ElXmlNode *n, const char *name);
/** The number of attributes of n as written (defaults the schema supplies may be among them),
 * and the name and value of the i-th (0 <= i < count, in document order); borrowed from the
 * document. */
int el_xml_attr_count(const ElXmlNode *n);
const char *el_xml_attr_name(const ElXmlNode *n, int i);
const char *el_xml_attr_value(const ElXmlNode *n, int i);
/** Copy of the text of an element without element children ("" for one with children);
 * freed with el_free. */
char *el_xml_text(const ElXmlNode *n);

/** Release libxml2's global state; the CLI calls it once at exit. Process-wide: only once every
 * other thread is done with XML (libxml2 may not be used afterwards). The readers above may run
 * in several threads at once. */
void el_xml_shutdown(void);

#endif
