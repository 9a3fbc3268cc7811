/* entities.h - named entities (internal to extract/entities*.c).
 *
 * The entity extractor works in three steps over the token layer:
 *   1. per sentence, the lexicon matcher (longest match of the ENTITY lists)
 *      and the name rules (entities_rules.c: capitalized chunks typed by a
 *      head word, a title, a role, a reporting verb, a given name or a
 *      surname ending) propose candidates, left to right, never overlapping;
 *   2. entities_coref.c collects the document's aliases (the first and last
 *      word of a person's full name, acronym definitions, a quoted name after
 *      an organization) and resolves short forms to the full name seen in
 *      the document;
 *   3. the candidates become ENTITY facts with a canonical attribute.
 * Before step 1, entities_words.c finds what the rules ask of every token
 * once per document (cue classes, rule words, whether a name may start
 * there), so the rules compare small integers, not strings, and the
 * matcher runs only at tokens that can start a name.
 */
#ifndef NM_ENTITIES_H
#define NM_ENTITIES_H

#include "extract.h"
#include "matcher.h"

/* Classes of the NAMECUE lexicon (lexicons/entities/cues.lst). */
enum {
    NM_CUE_TITLE = 1 << 0,
    NM_CUE_ROLE = 1 << 1,
    NM_CUE_SAY = 1 << 2,
    NM_CUE_ORG = 1 << 3,
    NM_CUE_FAC = 1 << 4,
    NM_CUE_GPE = 1 << 5,
    NM_CUE_LOC = 1 << 6,
    NM_CUE_FUNC = 1 << 7,
    NM_CUE_GIVEN = 1 << 8
};

/* For small hot functions of the rules that the compiler would call. */
#if defined(__GNUC__)
#define NM_ENT_INLINE inline __attribute__((always_inline))
#else
#define NM_ENT_INLINE inline
#endif

/* Words the rules look for (nm_tok_is: ASCII, any case).  The connectors
 * come first, in the order the chunk rule tries them. */
enum {
    NM_W_NONE = 0,
    NM_W_OF, NM_W_FOR, NM_W_AND, NM_W_ON, NM_W_DE, NM_W_VAN, NM_W_VON, NM_W_AL,
    NM_W_BIN, NM_W_IBN, NM_W_AMP, NM_W_DER, NM_W_DU, NM_W_DA, /* connectors */
    NM_W_THE, NM_W_A, NM_W_AN, NM_W_TO, NM_W_ACCORDING, NM_W_DASH, NM_W_POSS,
    NM_W_COMMA, NM_W_APOS, NM_W_QUOTE, NM_W_LPAREN, NM_W_RPAREN,
    NM_W_COUNT
};

/* What the rules know of a folded word (the value in nm_entity_rules.words):
 * the cue classes, the rule word, and whether a name surface starts with a
 * token of this folded text: a case-folded surface (any such token does),
 * or case-sensitive ones (tokens written as one of form[] do; with more
 * forms than fit, any token does). */
#define NM_ENT_FORMS 2
enum { NM_WS_FOLDED = 1, NM_WS_CASED = 2, NM_WS_ANY = 4 };
typedef struct nm_ent_word {
    const char *form[NM_ENT_FORMS];
    uint16_t flen[NM_ENT_FORMS];
    uint16_t cue;   /* NM_CUE_* */
    uint8_t word;   /* NM_W_* */
    uint8_t start;  /* NM_WS_* */
    uint8_t nform;
} nm_ent_word;

/* Facts of one token, found once per document (nm_ent_run.tok). */
enum {
    NM_ET_CASED = 1,   /* may start a case-sensitive name surface */
    NM_ET_FOLDED = 2,  /* may start a case-folded one (nm_matcher_longest_in) */
    NM_ET_CAP = 4,     /* a capitalized word (nm_ent_capword) */
    NM_ET_FIGURE = 8   /* inside a FIGURE ("US$ 5 billion") */
};
#define NM_ET_START (NM_ET_CASED | NM_ET_FOLDED)
_Static_assert(NM_ET_CASED == 1 && NM_ET_FOLDED == 2, "the table bits of nm_matcher_longest_in");
typedef struct nm_ent_tok {
    uint16_t cue;   /* NM_CUE_* */
    uint8_t word;   /* NM_W_* (ASCII tokens only) */
    uint8_t flags;  /* NM_ET_* */
} nm_ent_tok;

/* Short ASCII words (nearly all tokens) are also kept in a table keyed by
 * their bytes, read as two 64-bit words, with what a token of that text
 * gets in nm_ent_run.tok: a token's look-up needs no byte loop, no memcmp
 * and no pointer chase. */
#define NM_ENT_SHORT 16
typedef struct nm_ent_wslot {
    uint64_t k[2];     /* folded word, zero padded */
    nm_ent_tok tok;    /* cue, word, NM_ET_FOLDED; NM_ET_CASED for any case */
    uint8_t len;       /* 0: empty */
    uint8_t nform;     /* case-sensitive forms at short_forms[form] */
    uint16_t form;
} nm_ent_wslot;

/* The front table of the token loop, for words of 2-8 ASCII bytes: keyed
 * by the word with bit 0x20 set in each of its bytes (its "loose" key, one
 * OR: upper and lower case letters meet, and the length is in the key, as
 * the bytes past it are 0).  A token's folded text can be a word only if
 * their loose keys are equal, so a miss here is a miss.  A slot of a word
 * of letters a-z only, without case-sensitive forms, holds the facts of
 * every token with its loose key (LOOSE_DONE); the others say where the
 * word's exact text and forms are (LOOSE_CHECK), or that two words share
 * the loose key (LOOSE_EXACT: the short table decides). */
enum { NM_LOOSE_DONE = 0, NM_LOOSE_CHECK = 1, NM_LOOSE_EXACT = 2 };
typedef struct nm_ent_lslot {
    uint64_t k;        /* loose key; 0: empty */
    nm_ent_tok tok;    /* the facts (without the forms) */
    uint8_t mode;      /* NM_LOOSE_* */
    uint8_t pad;
    uint16_t check;    /* LOOSE_CHECK: index in loose_check */
} nm_ent_lslot;
/* The same for words of 9-16 ASCII bytes (two words of key), with the
 * facts of the words of letters a-z without forms, alone with their loose
 * key (done); for the others the short table decides. */
typedef struct nm_ent_lslot2 {
    uint64_t k[2];     /* loose key; k[0] = 0: empty */
    nm_ent_tok tok;
    uint8_t done;
    uint8_t pad[3];
} nm_ent_lslot2;
/* Each loose table has a bit filter in front of it (2 KB, in cache when
 * the table is not): a word sets one bit, picked by bits of its hash that
 * its slot index does not use, so that most tokens that are no word of
 * the table are turned away without reading it (see nm_ent_tokens). */
#define NM_ENT_FILTER 256 /* filter words (64 bits each) */
typedef struct nm_ent_lcheck {
    uint64_t fold;     /* the word (folded) */
    uint64_t form[2];  /* its case-sensitive forms of its length, as
                        * written (~0: none) */
} nm_ent_lcheck;

#define NM_ENT_MAX_SUFFIX 64

struct nm_entity_rules {
    nm_matcher *names;   /* ENTITY surfaces -> const nm_lex_entry * */
    nm_hash words;       /* folded word -> nm_ent_word * (cues, rule words,
                          * first tokens of names) */
    const char *suffix[NM_ENT_MAX_SUFFIX]; /* folded surname endings */
    size_t suffix_len[NM_ENT_MAX_SUFFIX];
    uint64_t suffix_last[256]; /* bit i: suffix i ends in this byte (or is empty) */
    size_t nsuffix;
    nm_ent_tok byte_tok[128];  /* what a one-byte ASCII token gets */
    nm_ent_wslot *short_words; /* the short ASCII words of words */
    unsigned short_shift;      /* 64 - log2(slots) */
    size_t short_mask;         /* slots - 1 */
    uint64_t short_keep[NM_ENT_SHORT + 1][2]; /* masks keeping n bytes of 16 */
    uint64_t (*short_forms)[2]; /* case-sensitive forms of short words, packed */
    nm_ent_lslot *loose;       /* the front table of 2-8 byte words */
    nm_ent_lcheck *loose_check; /* the words of its LOOSE_CHECK slots */
    unsigned loose_shift;      /* 64 - log2(slots) */
    size_t loose_mask;         /* slots - 1 */
    uint64_t loose_bits[9];    /* 0x20 in each of n bytes */
    uint64_t keep8[9];         /* short_keep[n][0] for n <= 8 */
    nm_ent_lslot2 *loose2;     /* the front table of 9-16 byte words */
    uint64_t loose_filter[NM_ENT_FILTER];  /* the filter of loose */
    uint64_t loose2_filter[NM_ENT_FILTER]; /* the filter of loose2 */
    unsigned loose2_shift;
    size_t loose2_mask;
    size_t nshort_forms, cshort_forms;
    nm_arena arena;      /* word keys and entries */
};

/* A proposed entity: tokens [t0, t1). */
typedef struct nm_ent {
    uint32_t t0, t1;
    const char *type;   /* static */
    const char *canon;  /* lexicon or doc arena string; NULL: the span text */
    const char *rule;   /* static */
    bool lex;           /* from a list (its canonical is authoritative) */
    bool canon_doc;     /* canon is in the document's arena (nm_ent_text):
                         * emitted as it is, not copied */
} nm_ent;

#define NM_ENT_TYPE_CACHE 8
typedef struct nm_ent_run {
    nm_doc *doc;
    const nm_entity_rules *r;
    nm_ent *e;
    size_t n, cap;
    nm_ent *e_stack;    /* the first buffer of e (not to be freed) */
    nm_ent_tok *tok;    /* per token, and a zero entry at doc->ntoks */
    uint32_t *cand;     /* the tokens that may start a name or a list
                         * match (NM_ET_START or NM_ET_CAP), in order */
    size_t ncand;
    size_t next;        /* nm_ent_sentence: the first cand not yet passed */
    /* nm_ent_lex_type: lexicon type strings seen and their canonical
     * types (the entries of a list share their type string), by address. */
    const char *type_in[NM_ENT_TYPE_CACHE], *type_out[NM_ENT_TYPE_CACHE];
} nm_ent_run;

/* entities_words.c: the word table and the per-token facts. */
/* The entry of a folded word, added when missing. */
nm_ent_word *nm_ent_word_of(nm_entity_rules *r, const char *key, size_t n);
/* After the cues: the rule words, the first tokens of names, the short table. */
void nm_ent_words_build(nm_entity_rules *r);
void nm_ent_words_free(nm_entity_rules *r);
/* Sets er->tok (the facts of every token of er->doc, and a zero entry at
 * doc->ntoks) and er->cand, in one buffer of the document arena. */
void nm_ent_tokens(nm_ent_run *er);

/* Token t ends in a surname ending. */
bool nm_ent_surname(const nm_entity_rules *r, const nm_doc *doc, size_t t);
/* A capitalized word token (not a lone initial or number). */
bool nm_ent_capword(const nm_doc *doc, size_t t);
/* Canonical type string for a lexicon type, or NULL. */
const char *nm_ent_type(const char *t);
/* A candidate's type is one of the canonical types of nm_ent_type, whose
 * first letters differ: the first letter tells which. */
static inline bool nm_ent_is_person(const char *type) { return type[0] == 'P'; }
/* The span text of tokens [t0, t1) with white space collapsed, in the doc arena. */
const char *nm_ent_text(nm_doc *doc, uint32_t t0, uint32_t t1);
/* Adds a candidate (er->e may start in the caller's buffer: see
 * nm_entities_run). */
void nm_ent_grow(nm_ent_run *er);
static inline void nm_ent_push(nm_ent_run *er, nm_ent e)
{
    if (er->n == er->cap)
        nm_ent_grow(er);
    er->e[er->n++] = e;
}
/* nm_ent_type of a lexicon entry's type, by way of er's small cache. */
static inline const char *nm_ent_lex_type(nm_ent_run *er, const char *t)
{
    uintptr_t a = (uintptr_t)t;
    size_t i = (a ^ (a >> 4) ^ (a >> 8)) & (NM_ENT_TYPE_CACHE - 1);
    if (t != er->type_in[i]) {
        er->type_in[i] = t;
        er->type_out[i] = nm_ent_type(t);
    }
    return er->type_out[i];
}

/* entities_rules.c: candidates of one sentence, tokens [s0, s1). */
void nm_ent_sentence(nm_ent_run *er, size_t s0, size_t s1);
/* entities_coref.c: aliases and short forms over the whole document. */
void nm_ent_coref(nm_ent_run *er);

#endif
