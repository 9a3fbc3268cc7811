/* newsmine.h - public interface of the newsmine library.
 *
 * newsmine turns news articles into structured facts (FIGURE, DATE, ENTITY,
 * EVENT) with byte offsets into the untouched input.  Typical use:
 *
 *     nm_ctx *ctx;  nm_ctx_new(&opts, &ctx);         // load lexicons once
 *     nm_doc *doc = nm_doc_new(name, path);          // one per article
 *     nm_doc_set_raw(doc, bytes, len);               // copied
 *     nm_run(doc, ctx);                              // all stages
 *     ... nm_doc_xml(doc, &len) / nm_doc_tsv(doc, &len) ...
 *     nm_doc_free(doc);  nm_ctx_free(ctx);
 *
 * Ownership: every *_new has a *_free; strings returned by accessors belong
 * to the object they come from and live as long as it.  A context is
 * read-only after nm_ctx_new and may be shared by threads; a document is
 * used by one thread at a time.
 */
#ifndef NEWSMINE_H
#define NEWSMINE_H

#include <stddef.h>
#include <stdint.h>

#define NM_VERSION "0.1.0"

/* Status codes: stable numbers, printed as NM-<n>. */
typedef enum nm_status {
    NM_OK = 0,
    NM_E_USAGE = 2,       /* bad arguments */
    NM_E_IO = 10,         /* file cannot be read or written */
    NM_E_TOO_BIG = 11,    /* input over the size limit */
    NM_E_UTF8 = 101,      /* invalid UTF-8 replaced by U+FFFD (warning) */
    NM_E_BINARY = 102,    /* input is not text */
    NM_E_EMPTY = 103,     /* empty document (warning) */
    NM_E_LIMIT = 104,     /* a pattern hit its match or depth limit */
    NM_E_CONTROL = 105,   /* control characters replaced (warning) */
    NM_E_DATE = 106,      /* document date missing or malformed */
    NM_E_LEXICON = 201,   /* a lexicon list is broken */
    NM_E_RULE = 202,      /* a rule (pattern) does not compile */
    NM_E_XML = 301,       /* XML writer failure */
    NM_E_INTERNAL = 900
} nm_status;

typedef enum nm_severity { NM_SEV_WARNING = 1, NM_SEV_ERROR = 2 } nm_severity;

/* A diagnostic: code, stage name, byte offset into the raw input, message. */
typedef struct nm_diag {
    nm_status code;
    nm_severity severity;
    const char *stage;
    uint64_t offset;
    const char *msg;
} nm_diag;

/* Output formats, a bit set. */
enum { NM_FMT_XML = 1, NM_FMT_TSV = 2 };

typedef struct nm_options {
    const char *const *lexicon_dirs; /* NULL-terminated; NULL = built-in default */
    unsigned formats;                /* NM_FMT_* */
    int day_first;                   /* 1: 03/04/2024 is 3 April */
    size_t max_bytes;                /* per-document limit; 0 = default (256 MiB) */
} nm_options;

typedef struct nm_ctx nm_ctx;
typedef struct nm_doc nm_doc;

/* Loads lexicons and compiles rules.  On failure returns an error status and,
 * when *out is non-NULL, a context whose nm_ctx_messages() say what is wrong
 * (file:line: message); free it with nm_ctx_free either way. */
nm_status nm_ctx_new(const nm_options *opt, nm_ctx **out);
void nm_ctx_free(nm_ctx *ctx);
size_t nm_ctx_message_count(const nm_ctx *ctx);
const char *nm_ctx_message(const nm_ctx *ctx, size_t i);
/* Hex SHA-256 over every lexicon file and the rule set version. */
const char *nm_ctx_digest(const nm_ctx *ctx);

/* A document.  name: the record id; path: where it came from (messages). */
nm_doc *nm_doc_new(const char *name, const char *path);
void nm_doc_free(nm_doc *doc);
/* Copies the bytes. */
void nm_doc_set_raw(nm_doc *doc, const void *bytes, size_t len);
/* Document date: "YYYY-MM-DD" or "YYYY-MM"; source: "option", "dates-file",
 * "dateline", "html-meta".  Returns NM_E_DATE when malformed. */
nm_status nm_doc_set_date(nm_doc *doc, const char *date, const char *source);

/* Where the raw bytes came from when they are not the input file itself
 * (e.g. the text extracted from an HTML page): format ("html"), the hex
 * SHA-256 of the original file, and its title (NULL: none).  Copied; the
 * XML record shows them as format, source-sha256 and title. */
void nm_doc_set_origin(nm_doc *doc, const char *format, const char *sha256, const char *title);

/* Runs every stage; returns the first error (the diagnostics say more). */
nm_status nm_run(nm_doc *doc, const nm_ctx *ctx);

size_t nm_doc_diag_count(const nm_doc *doc);
const nm_diag *nm_doc_diag(const nm_doc *doc, size_t i);
/* 1-based line and column (in bytes) of a raw offset. */
void nm_doc_line_col(const nm_doc *doc, uint64_t off, unsigned long *line, unsigned long *col);

/* The rendered record after nm_run: a <document> element (UTF-8), and the
 * TSV in the gold format.  NULL when that format was not asked for. */
const char *nm_doc_xml(const nm_doc *doc, size_t *len);
const char *nm_doc_tsv(const nm_doc *doc, size_t *len);
/* Count of facts of each kind (0 FIGURE, 1 DATE, 2 ENTITY, 3 EVENT). */
size_t nm_doc_fact_count(const nm_doc *doc, int kind);
/* Hex SHA-256 of the raw bytes. */
const char *nm_doc_hash(const nm_doc *doc);

const char *nm_status_name(nm_status st);

#endif
