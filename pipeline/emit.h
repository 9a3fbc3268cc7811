/* emit.h - rendering records (internal). */
#ifndef NM_EMIT_H
#define NM_EMIT_H

#include "extract.h"

#define NM_XML_NS "urn:newsmine:record:1"

/* The XML declaration and opening <newsmine> root, and its closing tag:
 * a record file is head + one or more <document> elements + tail. */
const char *nm_xml_head(void);
const char *nm_xml_tail(void);
nm_status nm_emit_xml(nm_doc *doc, const nm_ctx *ctx);

#endif
