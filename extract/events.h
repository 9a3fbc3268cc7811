/* events.h - migration-policy EVENT facts (internal to extract/events*.c).
 *
 * The event extractor runs last, when the FIGURE, DATE and ENTITY facts of
 * the document are known.  It works in four steps:
 *   1. events.c: one pass over the tokens of the document finds the
 *      candidates: tokens where a trigger may start (their first-word
 *      entry) and words of the migration domain.  For a token of ASCII
 *      bytes a bit screen (first two bytes, last byte and length) rejects
 *      nearly every token, bloom bits most of the rest, and one look-up in
 *      wtab (lower-cased ASCII words) decides; the few tokens with other
 *      bytes (found by a scan of the text) test the prefilter bits and
 *      look the word up folded.  Sentences without a candidate cost
 *      nothing more; the domain gate (a word of the domain in the sentence
 *      or two in the document) runs on the candidates before any phrase
 *      matching, and only then are phrases looked up: in copies of the
 *      matchers' keys (nm_ev_phrases, events_lex.c) where the tokens are
 *      ASCII, in the matchers (extract/matcher.h) themselves elsewhere.
 *   2. events.c: per sentence with a trigger, the phrases are composed:
 *      an event word stands alone ("deportations"); an object needs a
 *      governing verb before it ("closed its visa center"), a modifier
 *      ("stricter migration laws") or a verb after it ("quota was
 *      reduced"); PCRE2 patterns (extract/pattern.h) check phrases with
 *      gaps; bare anaphora ("these measures") is dropped.
 *   3. events_slots.c: actor, target, figure, date and place from the
 *      facts of the sentence (and the actor of the sentence before),
 *      gathered once per sentence with their tokens and types
 *      (nm_ev_sfact); cue bits are looked up once per token and sentence.
 *   4. events_modality.c: the closest modality cue before the trigger.
 * Trigger and cue lists: lexicons/events/ (see lexicons/README.md).
 */
#ifndef NM_EVENTS_H
#define NM_EVENTS_H

#include "extract.h"
#include "matcher.h"
#include "pattern.h"

/* What a TRIGGER entry does (attribute class=). */
typedef enum nm_ev_class {
    NM_EV_EVENT = 0, /* names an event on its own */
    NM_EV_OBJECT,    /* an event only with a governor or a modifier */
    NM_EV_GOVERNOR,  /* a verb or noun that makes an object an event */
    NM_EV_MODIFIER,  /* an adjective that makes an object an event */
    NM_EV_NONE       /* no event: a longer phrase that hides one ("detention center") */
} nm_ev_class;

/* Where a governor stands (attribute at=). */
enum { NM_EV_BEFORE = 1, NM_EV_AFTER = 2 };

typedef enum nm_modality {
    NM_MOD_ASSERTED = 0, NM_MOD_REPORTED, NM_MOD_NEGATED, NM_MOD_PLANNED,
    NM_MOD_HYPOTHETICAL, NM_MOD_COUNT
} nm_modality;

/* Classes of the EVENTCUE lists (a bit each). */
enum {
    NM_EVC_REPORTED = 1 << 0,
    NM_EVC_NEGATED = 1 << 1,
    NM_EVC_PLANNED = 1 << 2,
    NM_EVC_HYPOTHETICAL = 1 << 3,
    NM_EVC_ANAPHOR = 1 << 4,   /* these, this, those: "these measures" is no event */
    NM_EVC_AUTHORITY = 1 << 5, /* authorities, police: "Russian authorities" acts */
    NM_EVC_PREP = 1 << 6,      /* a preposition: the entity after it is no subject */
    NM_EVC_AGENT = 1 << 7,     /* by: the entity after it acts */
    NM_EVC_PLACE = 1 << 8,     /* in, at: the entity after it is a place */
    NM_EVC_PARTNER = 1 << 9,   /* with, against: the entity after it is a target */
    NM_EVC_PEOPLE = 1 << 10,   /* citizens, migrants: "citizens of X" is a target */
    NM_EVC_CAUSE = 1 << 11,    /* after, following: a date after it is a cause's */
    NM_EVC_CLAUSE = 1 << 12,   /* but, while: ends the modality scope */
    NM_EVC_ORIGIN = 1 << 13,   /* from: "deported from Russia" -> actor */
    NM_EVC_SAY = 1 << 14,      /* said: a date before it dates the saying */
    NM_EVC_DOMAIN = 1 << 15    /* migrant, visa, deportation: the text is about migration */
};

/* The event types (attribute @type of the TRIGGER lists), in the order of
 * ev_types in events_lex.c. */
enum {
    NM_EVT_NONE = 0, NM_EVT_DEPORTATION, NM_EVT_ENTRY_BAN, NM_EVT_WORK_AUTHORIZATION,
    NM_EVT_QUOTA, NM_EVT_VISA_POLICY, NM_EVT_LEGISLATION, NM_EVT_ENFORCEMENT,
    NM_EVT_CITIZENSHIP, NM_EVT_REGISTRATION, NM_EVT_RESTRICTION, NM_EVT_PROGRAM,
    NM_EVT_DIPLOMACY, NM_EVT_RECRUITMENT
};

/* One TRIGGER entry, compiled.  Entries sharing a surface are chained. */
typedef struct nm_ev_entry {
    const char *type;    /* static event type; NULL: a governor or modifier without one */
    uint8_t tid;         /* NM_EVT_* of type */
    const char *cameo, *plover, *mode; /* lexicon strings or NULL */
    uint8_t cls;         /* nm_ev_class */
    uint8_t at;          /* governors: NM_EV_BEFORE / NM_EV_AFTER */
    uint8_t modality;    /* the entry's own modality (planning, proposed) */
    uint8_t join;        /* governors: their words join the trigger span (join=no: not) */
    int32_t pat;         /* index into rules->pats or -1 */
    const char *file;    /* list path and line, for messages */
    uint32_t line;
    struct nm_ev_entry *next;
} nm_ev_entry;

/* What can start at a word: the chain of its one-word surface (matched
 * case-folded) and whether longer or case-sensitive surfaces start there
 * too (then the phrase matcher is asked). */
typedef struct nm_ev_first {
    const nm_ev_entry *single;
    bool multi;
} nm_ev_first;

typedef struct nm_ev_fslot {
    uint64_t h;          /* 0: empty */
    const char *key;
    size_t len;
    const nm_ev_first *v;
} nm_ev_fslot;

typedef struct nm_ev_cue {
    uint32_t bits;       /* NM_EVC_* */
} nm_ev_cue;

#define NM_EV_PREFILTER_BITS 16

/* What a word is to the first pass over a document (nm_ev_cand flags). */
enum {
    NM_EVW_PRE0 = 1, /* passes prefilter[0] and starts a surface: a trigger may start here */
    NM_EVW_DOM1 = 2, /* a whole domain cue */
    NM_EVW_DOM2 = 4, /* the first word of a longer domain cue */
    NM_EVW_DOMAIN_KNOWN = 8, /* run: domain_word() is decided ... */
    NM_EVW_DOMAIN = 16       /* ... and true */
};

/* One word of a word table (ASCII, lower case). */
typedef struct nm_ev_wslot {
    uint64_t head;       /* its first eight bytes, zero-padded, as a word loads them */
    const char *key;
    size_t len;          /* 0: an empty slot */
    const nm_ev_first *fw; /* wtab: with NM_EVW_PRE0; ftab1: always */
    uint8_t flags;       /* NM_EVW_PRE0, NM_EVW_DOM1, NM_EVW_DOM2 */
} nm_ev_wslot;

/* A table of lower-case ASCII words, found by their first eight bytes and
 * length (see nm_ev_windex). */
typedef struct nm_ev_words {
    nm_ev_wslot *tab;
    size_t cap;          /* a power of two */
    unsigned shift;      /* 64 - log2(cap) */
    size_t max;          /* the longest word */
} nm_ev_words;

/* The phrases of a matcher again, for the run over ASCII text (see
 * nm_ev_longest): every key (collapsed and folded as nm_matcher_add does)
 * and each prefix of it where a token may end, in one open-addressing
 * table by the FNV-1a hash of the key bytes (seeded by the table: 0
 * case-sensitive, 1 folded). */
enum { NM_EVP_PREFIX = 1, NM_EVP_FULL = 2, NM_EVP_CS = 4 };

typedef struct nm_ev_pslot {
    uint64_t h;          /* 0: empty */
    const void *val;     /* with NM_EVP_FULL: the matcher's value */
    uint32_t key;        /* the key bytes: offset in the pool */
    uint16_t len;
    uint8_t flags;       /* NM_EVP_* */
    uint8_t table;       /* 0 case-sensitive, 1 folded */
} nm_ev_pslot;

/* What an ASCII word (lower case) can be as the first token of a match:
 * the text of a key without a space, or of a prefix of one that ends
 * where a token may end. */
typedef struct nm_ev_w1 {
    uint64_t head;       /* its first eight bytes, zero-padded */
    const char *key;     /* the word (lower case, in the pool) */
    const void *val;     /* a folded key of this one word: its value (else NULL) */
    uint16_t len;        /* 0: an empty slot */
    uint8_t flags;       /* NM_EVP_PREFIX: a folded key goes on after it;
                          * NM_EVP_CS: a case-sensitive key or prefix folds to it */
    /* the bytes a folded key can go on with after the word (bit: byte %
     * 64): [1] after a space (the first byte of the next token), [0]
     * touching (the next token's first byte) */
    uint64_t next[2];
} nm_ev_w1;

typedef struct nm_ev_phrases {
    nm_ev_pslot *slots;
    size_t cap, n;       /* cap: a power of two, at most half full */
    unsigned shift;      /* 64 - log2(cap) */
    char *pool;
    size_t npool, cpool;
    nm_ev_w1 *w1;        /* the first words (nm_ev_phrases_done) */
    size_t w1cap;        /* a power of two */
    unsigned w1shift;    /* 64 - log2(w1cap) */
    size_t w1max;        /* the longest first word */
    /* bit (hash >> 48) of every first word (the hash of nm_ev_whash) */
    uint64_t w1bloom[(1u << 16) / 64];
} nm_ev_phrases;

struct nm_event_rules {
    nm_matcher *triggers;  /* surface -> nm_ev_entry chain */
    nm_matcher *cues;      /* surface -> nm_ev_cue */
    nm_ev_phrases ptrig, pcue; /* the same phrases, for ASCII text */
    nm_hash heads;         /* folded surface -> nm_ev_entry chain head (loading) */
    nm_hash first;         /* folded first word -> nm_ev_first (loading) */
    struct nm_ev_fslot *ftab; /* the same, as a flat table for the run */
    size_t fcap;
    nm_hash cuekeys;       /* folded surface -> nm_ev_cue (loading) */
    nm_pattern *pats;
    size_t npats, cpats;
    /* [0]: first words of event and object phrases; [1]: of every phrase */
    uint64_t prefilter[2][(1u << NM_EV_PREFILTER_BITS) / 64];
    /* words of the migration domain (cue class 'domain'), for the cheap
     * per-document test: the prefilter bit of their first word, and that
     * word folded -> 1: a whole cue, 2: the start of a longer one */
    uint64_t domain_pre[(1u << NM_EV_PREFILTER_BITS) / 64];
    nm_hash domain_first;
    /* the prefilter bit of every ASCII text the first token of a cue can
     * have (nm_matcher_each_first): an ASCII token without it starts no
     * cue, and nm_ev_cuebits asks the cue matcher nothing there */
    uint64_t cue_pre[(1u << NM_EV_PREFILTER_BITS) / 64];
    /* The token screen of a run over ASCII text (see nm_ev_screen): bit
     * (length % 16) of a mask by the first two bytes, then of a mask by the
     * first and the last byte, is set where a word of wtab may have them;
     * wtab then tells exactly.  Each is 2 KB (1024 masks of 16 bits): it
     * is read for every token of every document, mostly after the other
     * extractors have pushed it out of the caches, so the fewer lines the
     * better (the length is tested against wtab.max on the way). */
    uint16_t screen_head[0x400];
    uint16_t screen_tail[0x400];
    nm_ev_words wtab;      /* lower-cased ASCII word -> what it is */
    /* bit (hash >> 48) of every word of wtab, by the hash of nm_ev_windex:
     * most tokens past the screen that are no word of wtab stop here */
    uint64_t wbloom[(1u << 16) / 64];
    /* every first word of ftab that is ASCII and passes prefilter[1]: what
     * nm_ev_prefilter(r, 1, ...) and nm_ev_first_of tell of an ASCII token */
    nm_ev_words ftab1;
    nm_arena arena;
};

/* A phrase found at a token: tokens [tok, tok + ntok). */
typedef struct nm_ev_hit {
    uint32_t tok, ntok;
    const nm_ev_entry *e; /* triggers */
    uint32_t bits;        /* cues */
} nm_ev_hit;

/* Fact types the slot rules tell apart (nm_ev_sfact.type). */
enum {
    NM_EVF_OTHER = 0, NM_EVF_GPE, NM_EVF_ORG, NM_EVF_PERSON, NM_EVF_NORP, NM_EVF_LOC,
    NM_EVF_FACILITY, NM_EVF_COUNT, NM_EVF_FRACTION, NM_EVF_DATE
};

/* A fact of the sentence being composed, with what the slot rules read of
 * it worked out once per sentence rather than once per question. */
typedef struct nm_ev_sfact {
    int32_t f;            /* index into doc->facts */
    uint32_t start, end;  /* normalized offsets */
    uint32_t ft, et;      /* nm_tok_at(start), nm_tok_at(end) */
    uint8_t type;         /* NM_EVF_* */
    bool present;         /* a DATE with the value PRESENT_REF */
} nm_ev_sfact;

/* The facts of one sentence, by kind, in text order. */
typedef struct nm_ev_facts {
    nm_ev_sfact *x[3];
    size_t n[3], cap[3];
} nm_ev_facts;

/* A fact of a list by start: its start (read without the fact) and index. */
typedef struct nm_ev_sref {
    uint32_t start;
    int32_t f;
} nm_ev_sref;

/* A composed event before it becomes a fact. */
typedef struct nm_ev {
    uint32_t t0, t1;       /* tokens of the trigger span */
    uint32_t head;         /* token where the event word starts */
    const nm_ev_entry *e;  /* the entry that gives type and codes */
    const char *rule;      /* static */
    uint8_t modality;
    int32_t fact;
} nm_ev;

/* A token that may start a trigger or is a word of the domain. */
typedef struct nm_ev_cand {
    const nm_ev_first *fw; /* with NM_EVW_PRE0 */
    uint32_t tok, sent;
    uint8_t flags;         /* NM_EVW_* */
} nm_ev_cand;

/* State of one run over a document. */
typedef struct nm_ev_run {
    nm_doc *doc;
    const nm_event_rules *r;
    nm_ev_cand *cand;      /* the candidates of the document, in token order */
    size_t ncand, ccand;
    bool cand_heap;        /* cand was malloc'd (else it is the caller's buffer) */
    nm_ev_hit *trig;
    size_t ntrig, ctrig;
    nm_ev_hit *memo;       /* the first scan's phrase look-ups (e NULL: none), by token */
    size_t nmemo, cmemo;
    uint8_t *used;         /* per hit of the sentence being composed */
    size_t cused;
    size_t s0, s1;         /* tokens of the current sentence */
    uint32_t *cuebits;     /* per token of the current sentence */
    size_t ccuebits;
    nm_ev_facts sf;        /* facts of the current sentence ... */
    uint32_t sf_sent;      /* ... its index + 1 (0: none yet) */
    size_t cursor[3];      /* per kind: next fact of the sorted lists */
    nm_ev_sref *sorted[3]; /* figures, dates, entities by start */
    size_t nsorted[3];
    int32_t prev_actor;    /* the actor of the sentence before, -1 */
    uint32_t prev_sent;    /* its sentence index + 1, 0: none */
    size_t prev_end;       /* its event's end token */
    uint8_t *claimed;      /* per fact: a figure already counts an event */
    int32_t cur;           /* the event fact whose slots are being filled */
    const nm_matcher *names; /* the ENTITY lists (country or city), or NULL */
    int8_t domain_doc;     /* -1 not known yet, 0/1: the document is about migration */
    uint32_t ev_end;       /* the end of the events of the document: none ends later */
#define NM_EV_TYPE_CACHE 8
    const char *tptr[NM_EV_TYPE_CACHE]; /* fact types seen (by address) ... */
    uint8_t tcode[NM_EV_TYPE_CACHE];    /* ... and their NM_EVF_* */
} nm_ev_run;

/* events_lex.c */
nm_status nm_events_init(nm_ctx *ctx);
void nm_events_free(nm_ctx *ctx);
/* The prefilter key of a word (first two bytes lower-cased and length). */
static inline uint32_t nm_ev_key(const char *s, size_t n)
{
    uint32_t b0 = (unsigned char)s[0] | 0x20u, b1 = n > 1 ? (unsigned char)s[1] | 0x20u : 0;
    uint32_t len = n > 31 ? 31 : (uint32_t)n;
    return ((b0 | b1 << 8 | len << 16) * 0x9E3779B1u) >> (32 - NM_EV_PREFILTER_BITS);
}
static inline bool nm_ev_prefilter(const nm_event_rules *r, int all, const char *s, size_t n)
{
    uint32_t k = nm_ev_key(s, n);
    return r->prefilter[all][k / 64] >> (k % 64) & 1;
}
/* nm_matcher_longest(m, ...) for the matcher p copies: the same answer,
 * found without the matcher where the tokens it reads are ASCII. */
size_t nm_ev_longest(const nm_ev_phrases *p, const nm_matcher *m, const nm_doc *doc, size_t t,
                     size_t limit, nm_match *out);
/* The entry of w1 for an ASCII token s of len bytes whose first eight
 * bytes, zero-padded and lower-cased, are head; NULL: no key starts with
 * the token. */
const nm_ev_w1 *nm_ev_w1_find(const nm_ev_phrases *p, const char *s, size_t len, uint64_t head);
/* The first-word entry of a token, or NULL. */
const nm_ev_first *nm_ev_first_of(const nm_event_rules *r, const char *s, size_t n);
/* Can the token at s (n bytes of NUL-terminated ASCII text; tokens are
 * never empty) be a word of wtab?  The screen answers in two steps: its
 * first two bytes and its length modulo 16 (nm_ev_screen_head, for every
 * token),
 * then its first and last byte and its length (nm_ev_screen_tail, for the
 * few that pass).  Only the low five bits of a byte count, so that the
 * case of a letter does not.  s[1] is read even when n == 1 (the NUL at
 * the end of the text is there to be read); the screen accepts any value
 * there. */
/* The index in screen_head of the two 5-bit codes held at bits 0 and 8
 * of x: the top ten bits of a product, one to one onto 0..1023 for those
 * 1024 values of x (the factor was found by a search; a test checks it),
 * in two operations. */
#define NM_EV_HEAD_MUL 0x1F080029u
static inline uint32_t nm_ev_head_index(uint32_t x) { return (x * NM_EV_HEAD_MUL) >> 22; }
static inline bool nm_ev_screen_head(const nm_event_rules *r, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t x = ((uint32_t)p[0] | (uint32_t)p[1] << 8) & 0x1F1Fu;
    return r->screen_head[nm_ev_head_index(x)] >> (n & 15) & 1;
}
static inline bool nm_ev_screen_tail(const nm_event_rules *r, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t tail = (p[0] & 0x1Fu) | (p[n - 1] & 0x1Fu) << 5;
    return r->screen_tail[tail] >> (n & 15) & 1;
}

/* The hash of a word with that head and length, and its home slot in a
 * word table. */
static inline uint64_t nm_ev_whash(uint64_t head, size_t n)
{
    return (head + n) * 0x9E3779B97F4A7C15ULL;
}
static inline size_t nm_ev_windex(const nm_ev_words *w, uint64_t head, size_t n)
{
    return (size_t)(nm_ev_whash(head, n) >> w->shift);
}

/* events.c */
nm_status nm_events_run(nm_doc *doc, const nm_ctx *ctx);
extern const char nm_events_rules_text[];
/* Cue bits of token t of the current sentence (0 outside it): looked up
 * when a rule first asks (nm_ev_cuebits_find), then read from the cache
 * of the sentence. */
#define NM_EV_CUE_KNOWN 0x80000000u
uint32_t nm_ev_cuebits_find(const nm_ev_run *er, size_t t);
static inline uint32_t nm_ev_cuebits(const nm_ev_run *er, size_t t)
{
    if (t < er->s0 || t >= er->s1)
        return 0;
    uint32_t c = er->cuebits[t - er->s0];
    return c & NM_EV_CUE_KNOWN ? c & ~NM_EV_CUE_KNOWN : nm_ev_cuebits_find(er, t);
}

/* events_slots.c: fills the slots of event fact ev->fact in sentence s. */
void nm_ev_slots(nm_ev_run *er, uint32_t s, const nm_ev *ev);
/* Loads the facts of sentence s into er->sf. */
void nm_ev_sentence_facts(nm_ev_run *er, uint32_t s);

/* events_modality.c: the modality of an event from the cues before it. */
uint8_t nm_ev_modality(const nm_ev_run *er, uint32_t s, const nm_ev *ev);
extern const char *const nm_modality_names[NM_MOD_COUNT];

#endif
