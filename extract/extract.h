/* extract.h - the compiled, read-only context and the extractor table.
 *
 * nm_ctx holds everything loaded once at start-up: options, lexicons and
 * the compiled rules of each extractor.  After nm_ctx_new it is never
 * written, so worker threads share one.
 *
 * Each kind of fact has an extractor: init compiles its rules from the
 * lexicon set (reporting problems as "file:line: message"), run appends
 * facts to a document, free releases what init made.  They run in table
 * order, so a later extractor can see (and avoid) the facts of an earlier
 * one: dates run before figures, so that years and durations are never
 * claimed as figures.
 */
#ifndef NM_EXTRACT_H
#define NM_EXTRACT_H

#include "lexicon.h"
#include "nm_core.h"
#include "nm_hash.h"
#include <string.h>

typedef struct nm_figure_rules nm_figure_rules;
typedef struct nm_date_rules nm_date_rules;
typedef struct nm_entity_rules nm_entity_rules;
typedef struct nm_event_rules nm_event_rules;

struct nm_ctx {
    nm_options opt;
    nm_lexset lex;
    char digest[65];
    char **msgs;        /* problems found while loading, "file:line: message" */
    size_t nmsgs, cmsgs;
    nm_hash abbrev;     /* ABBREVIATION surfaces: a period after them ends no sentence */
    nm_figure_rules *figures;
    nm_date_rules *dates;
    nm_entity_rules *entities;
    nm_event_rules *events;
};

typedef struct nm_extractor {
    const char *name;
    nm_status (*init)(nm_ctx *ctx);
    nm_status (*run)(nm_doc *doc, const nm_ctx *ctx);
    void (*free)(nm_ctx *ctx);
    const char *rules;  /* the rule text hashed into the digest */
} nm_extractor;

extern const nm_extractor nm_extractors[];
extern const size_t nm_extractor_count;

/* Records a load problem on the context. */
void nm_ctx_msg(nm_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Lists of one @kind, in load order. */
typedef void (*nm_lex_visit)(const nm_lex_list *l, const nm_lex_entry *e, void *arg);
void nm_lex_each(const nm_lexset *ls, const char *kind, nm_lex_visit fn, void *arg);

nm_status nm_figures_init(nm_ctx *ctx);
nm_status nm_figures_run(nm_doc *doc, const nm_ctx *ctx);
void nm_figures_free(nm_ctx *ctx);
extern const char nm_figures_rules_text[];

nm_status nm_entities_init(nm_ctx *ctx);
nm_status nm_entities_run(nm_doc *doc, const nm_ctx *ctx);
void nm_entities_free(nm_ctx *ctx);
extern const char nm_entities_rules_text[];
nm_status nm_dates_init(nm_ctx *ctx);
nm_status nm_dates_run(nm_doc *doc, const nm_ctx *ctx);
void nm_dates_release(nm_ctx *ctx);
extern const char nm_dates_rules_text[];

nm_status nm_events_init(nm_ctx *ctx);
nm_status nm_events_run(nm_doc *doc, const nm_ctx *ctx);
void nm_events_free(nm_ctx *ctx);
extern const char nm_events_rules_text[];

/* Helpers over the token layer. */
/* Index of the first token starting at or after off, or doc->ntoks. */
size_t nm_tok_at(const nm_doc *doc, uint32_t off);
/* The same, searched from token lo on (every token before lo starts before
 * off): cheap when off lies a few tokens past lo. */
size_t nm_tok_at_from(const nm_doc *doc, size_t lo, uint32_t off);
/* Index of the last token ending at or before off, or SIZE_MAX. */
size_t nm_tok_before(const nm_doc *doc, uint32_t off);
/* Whether token t is word, ASCII letters in any case.  Inline, so the
 * length of a literal word is a constant. */
static inline bool nm_tok_is(const nm_doc *doc, size_t t, const char *word)
{
    if (t >= doc->ntoks)
        return false;
    const nm_tok *k = &doc->toks[t];
    size_t n = strlen(word);
    if (n != k->len)
        return false;
    const char *s = doc->text + k->off;
    for (size_t i = 0; i < n; i++) {
        unsigned a = (unsigned char)s[i], b = (unsigned char)word[i];
        a += a - 'A' < 26u ? 32u : 0u;
        b += b - 'A' < 26u ? 32u : 0u;
        if (a != b)
            return false;
    }
    return true;
}
size_t nm_tok_lower(const nm_doc *doc, size_t t, char *buf, size_t cap);

#endif
