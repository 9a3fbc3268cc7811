/* stages.h - the stage table of the pipeline (internal).
 *
 * Each stage reads the layers of the earlier ones and appends its own:
 * normalize (text + offset map) -> segment (sentences, tokens) -> extract
 * (facts, by the extractor table) -> link (event slots, then ids and raw
 * offsets) -> emit (the XML record and the TSV).  Only normalize writes the
 * text; emit maps offsets back to raw bytes.
 */
#ifndef NM_STAGES_H
#define NM_STAGES_H

#include "extract.h"

typedef nm_status (*nm_stage_fn)(nm_doc *doc, const nm_ctx *ctx);

typedef struct nm_stage {
    const char *name;
    nm_stage_fn fn;
} nm_stage;

nm_status nm_stage_normalize(nm_doc *doc, const nm_ctx *ctx);
nm_status nm_stage_segment(nm_doc *doc, const nm_ctx *ctx);
nm_status nm_stage_extract(nm_doc *doc, const nm_ctx *ctx);
nm_status nm_stage_link(nm_doc *doc, const nm_ctx *ctx);
nm_status nm_stage_emit(nm_doc *doc, const nm_ctx *ctx);

extern const nm_stage nm_stages[];
extern const size_t nm_stage_count;

/* A copy of raw[a,b) fit for XML and TSV: invalid UTF-8 as U+FFFD, control
 * characters as spaces (and TAB, CR, LF as spaces when tsv is true). */
char *nm_clean_text(nm_doc *doc, const char *s, size_t n, bool tsv);

#endif
