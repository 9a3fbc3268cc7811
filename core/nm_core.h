/* nm_core.h - the document model shared by every stage (internal).
 *
 * An nm_doc owns: the raw bytes (never changed), the normalized text used
 * for matching, a map from normalized offsets back to raw offsets, the
 * layers each stage appends (sentences, tokens, facts) and diagnostics.
 * Doc-lifetime strings come from the document's arena; growable layers are
 * vectors freed by nm_doc_free.
 */
#ifndef NM_CORE_H
#define NM_CORE_H

#include "newsmine.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NM_UNUSED(x) ((void)(x))
#define NM_TRY(x)                                                              \
    do {                                                                       \
        st = (x);                                                              \
        if (st != NM_OK)                                                       \
            goto out;                                                          \
    } while (0)

/* Decimal digits of v into buf (at least 21 bytes); returns the length. */
size_t nm_utoa(uint64_t v, char *buf);

void *nm_xmalloc(size_t n);
void *nm_xcalloc(size_t n, size_t sz);
void *nm_xrealloc(void *p, size_t n);
char *nm_xstrdup(const char *s);

/* Grows *v (of element size sz) so that it holds at least need elements. */
void nm_vec_reserve(void **v, size_t *cap, size_t need, size_t sz);
#define NM_VEC_PUSH(vec, n, cap, item)                                         \
    do {                                                                       \
        if ((n) + 1 > (cap))                                                   \
            nm_vec_reserve((void **)&(vec), &(cap), (n) + 1, sizeof *(vec));   \
        (vec)[(n)++] = (item);                                                 \
    } while (0)

/* ---------------------------------------------------------------- spares */
/* Buffers a thread keeps from one document for the next: a batch of many
 * short articles then grows each layer once per thread instead of once per
 * article.  nm_spare_take hands out the slot's buffer (NULL, *cap 0 when
 * it has none); nm_spare_put keeps a buffer of cap elements of sz bytes
 * for the slot, or frees it when the slot is taken or the buffer is larger
 * than NM_SPARE_MAX bytes (a huge document pins no memory).  A thread's
 * spares are freed when it ends.  With -Darena_debug=true nothing is kept,
 * so AddressSanitizer sees every buffer's own lifetime. */
enum {
    NM_SPARE_SENTS, NM_SPARE_TOKS, NM_SPARE_FACTS, NM_SPARE_FACTS_SORTED, NM_SPARE_MAP,
    NM_SPARE_BY_KIND, /* NM_KIND_COUNT slots */
    NM_SPARE_SORT_KEYS = NM_SPARE_BY_KIND + 4, NM_SPARE_SORT_POS,
    NM_SPARE_XML, /* the XML record of nm_emit_xml (bytes) */
    NM_SPARE_COUNT
};
#define NM_SPARE_MAX ((size_t)4 << 20)
void *nm_spare_take(int slot, size_t *cap);
void nm_spare_put(int slot, void *p, size_t cap, size_t sz);

/* ---------------------------------------------------------------- arena */
typedef struct nm_arena_block nm_arena_block;
typedef struct nm_arena {
    nm_arena_block *head;
} nm_arena;

void *nm_arena_alloc(nm_arena *a, size_t n);
char *nm_arena_strndup(nm_arena *a, const char *s, size_t n);
char *nm_arena_strdup(nm_arena *a, const char *s);
char *nm_arena_printf(nm_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nm_arena_free(nm_arena *a);

/* ---------------------------------------------------------------- map */
/* A segment of normalized text [norm, norm+nlen) made from raw
 * [raw, raw+rlen).  Identity segments (nlen == rlen, same bytes) map each
 * offset linearly; other segments are atomic. */
typedef struct nm_seg {
    uint32_t norm, nlen;
    uint64_t raw;
    uint32_t rlen;
    uint32_t ident;
} nm_seg;

/* ---------------------------------------------------------------- layers */
typedef struct nm_sent {
    uint32_t off, len;   /* normalized text */
    uint32_t para;       /* paragraph number, 1-based */
    uint32_t tok, ntok;  /* tokens of the sentence */
} nm_sent;

enum {
    NM_TOK_WORD = 1,   /* letters (maybe with digits, ' - .) */
    NM_TOK_NUM = 2,    /* starts with a digit */
    NM_TOK_PUNCT = 4,
    NM_TOK_CAP = 8,    /* starts with an upper-case letter */
    NM_TOK_UPPER = 16, /* all letters upper case */
    NM_TOK_SSTART = 32 /* first token of its sentence */
};

typedef struct nm_tok {
    uint32_t off, len;
    uint32_t flags;
    uint32_t sent;
} nm_tok;

typedef enum nm_kind { NM_FIGURE = 0, NM_DATE, NM_ENTITY, NM_EVENT, NM_KIND_COUNT } nm_kind;
typedef enum nm_slot {
    NM_SLOT_ACTOR = 0, NM_SLOT_TARGET, NM_SLOT_FIGURE, NM_SLOT_DATE, NM_SLOT_PLACE,
    NM_SLOT_COUNT
} nm_slot;

#define NM_MAX_ATTRS 12
typedef struct nm_attr {
    const char *key; /* static string */
    const char *val; /* arena string */
} nm_attr;

typedef struct nm_fact {
    nm_kind kind;
    const char *type;   /* static string, e.g. "COUNT" */
    uint32_t start, end; /* normalized offsets */
    uint64_t rstart, rend; /* raw offsets, set by finalize */
    uint32_t sent;      /* 1-based sentence number */
    const char *value;  /* normalized value or "" */
    const char *rule;   /* id of the rule that made it */
    const char *id;     /* F1, T2 ... set by finalize */
    double num;         /* numeric value where it has one */
    int32_t slot[NM_SLOT_COUNT];  /* fact indexes, -1 = empty (events) */
    uint8_t carried;    /* bit per slot: carried over from an earlier sentence */
    uint8_t dead;       /* removed by a later stage */
    uint16_t nattrs;
    nm_attr attrs[NM_MAX_ATTRS];
} nm_fact;

typedef struct nm_diag_rec {
    nm_diag d;
} nm_diag_rec;

/* Per-document scratch for PCRE2, made on first use. */
typedef struct nm_match_scratch nm_match_scratch;

#define NM_MAX_DIAGS 200

struct nm_doc {
    nm_arena arena;
    char *name, *path;
    uint8_t *raw;
    size_t raw_len;
    char hash[65];

    const char *text;  /* normalized, NUL-terminated */
    size_t text_len;
    char *text_owned;  /* NULL when text aliases raw */
    nm_seg *map;
    size_t nmap, cmap;

    const char *origin_format; /* NULL: raw is the input file; else "html"... */
    const char *origin_sha256; /* hex SHA-256 of the input file, with origin_format */
    const char *title;         /* NULL when none */

    char date[11];      /* "" when none */
    const char *date_source; /* "none" when none */

    nm_diag *diags;
    size_t ndiags, cdiags;
    size_t dropped_diags;
    const char *stage;  /* current stage, for diagnostics */
    bool failed;

    nm_sent *sents;
    size_t nsents, csents;
    uint32_t sent_hint;   /* sentence of the last fact added (nm_fact_add) */
    nm_tok *toks;
    size_t ntoks, ctoks;
    nm_fact *facts;
    size_t nfacts, cfacts;
    size_t kind_count[NM_KIND_COUNT];
    /* fact indexes of each kind in the order added; sorted while every
     * extractor adds its facts left to right (then overlap is a search) */
    int32_t *by_kind[NM_KIND_COUNT];
    size_t nby[NM_KIND_COUNT], cby[NM_KIND_COUNT];
    bool unsorted[NM_KIND_COUNT];

    char *xml, *tsv;
    size_t xml_len, tsv_len;
    size_t xml_cap;    /* bytes allocated at xml when it may go back to the
                        * thread's spares (nm_doc_free); 0: only freed */

    nm_match_scratch *scratch;
};

/* Records a diagnostic at a raw byte offset.  Keeps the first NM_MAX_DIAGS
 * and counts the rest.  An error severity marks the document failed. */
void nm_diag_add(nm_doc *doc, nm_status code, nm_severity sev, uint64_t raw_off,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* nm_doc_set_raw without the copy and the hashing: takes bytes (malloc'd,
 * with a NUL at bytes[len]) whose hex SHA-256 the caller already has. */
void nm_doc_take_raw(nm_doc *doc, char *bytes, size_t len, const char hash[65]);

/* Accepts YYYY-MM-DD or YYYY-MM with a real month and day. */
bool nm_date_valid(const char *d);

/* Normalized offset -> raw offset, for a span start and for a span end. */
uint64_t nm_doc_raw_start(const nm_doc *doc, uint32_t off);
uint64_t nm_doc_raw_end(const nm_doc *doc, uint32_t off);

/* Facts.  Returns the index of the new fact. */
int32_t nm_fact_add(nm_doc *doc, nm_kind kind, const char *type, uint32_t start,
                    uint32_t end, const char *rule);
void nm_fact_attr(nm_doc *doc, int32_t i, const char *key, const char *val);
/* nm_fact_attr without the copy: val must live as long as the document (a
 * string literal, or a string already in the document's arena). */
void nm_fact_attr_lit(nm_doc *doc, int32_t i, const char *key, const char *val);
/* Makes room for n more facts at once (an extractor that knows how many). */
void nm_fact_reserve(nm_doc *doc, size_t n);
void nm_fact_attrf(nm_doc *doc, int32_t i, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *nm_fact_get(const nm_fact *f, const char *key);
/* Index of a live fact of that kind overlapping [start,end), or -1. */
int32_t nm_fact_overlap(const nm_doc *doc, nm_kind kind, uint32_t start, uint32_t end);
/* Sentence index (0-based) holding a normalized offset. */
uint32_t nm_doc_sent_at(const nm_doc *doc, uint32_t off);

extern const char *const nm_kind_names[NM_KIND_COUNT];
extern const char *const nm_slot_names[NM_SLOT_COUNT];

#endif
