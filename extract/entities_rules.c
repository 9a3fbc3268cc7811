/* entities_rules.c - lexicon matches and name rules inside one sentence.
 *
 * Left to right, at each token the longest lexicon match competes with a
 * capitalized chunk: words that start with a capital, joined by "of", "for",
 * "and", "on", "the" (after those), "'s", "&" and hyphens.  A chunk with an
 * organization, facility or geographic head word (cues.lst) longer than the
 * lexicon match is one entity of that type ("Russian Ministry of Defense":
 * the country word is inside it and not tagged).  Otherwise the lexicon
 * match wins; failing both, a chunk is a person when a cue says so: a title
 * or role before it, a reporting verb next to it, an apposition with a role
 * after it (", a labor migrant"), a given name, a surname ending, or a
 * person just before it in a list.  Titles are never inside a span.  In
 * headlines written in Title Case only lists and aliases are trusted.
 */
#include "entities.h"

#include <string.h>

typedef struct sstate {
    nm_ent_run *er;
    nm_doc *doc;
    const nm_entity_rules *r;
    size_t s0, s1;
    int headline;      /* Title Case or ALL CAPS: rules are off (-1: not
                        * known yet, see headline()) */
    size_t last;       /* index + 1 of the sentence's last entity, 0: none */
    /* The last chunk of name_rules: chunk_ends from cstart gave cfull and
     * cplain (cfull = 0: none yet). */
    size_t cstart, cfull, cplain;
} sstate;

/* The rules most candidates never reach, kept out of the hot code of
 * nm_ent_sentence: the function is reloaded into the instruction cache
 * for every document (the other stages run in between), so its size
 * counts. */
#if defined(__GNUC__)
#define RARE __attribute__((noinline, cold))
#else
#define RARE
#endif

/* Token t (before the sentence end) is the rule word w (NM_W_*). */
static bool word_is(const sstate *s, size_t t, unsigned w)
{
    return t < s->s1 && s->er->tok[t].word == w;
}

static bool adjacent(const nm_doc *doc, size_t a)
{
    return doc->toks[a].off + doc->toks[a].len == doc->toks[a + 1].off;
}

static uint32_t cue(const sstate *s, size_t t)
{
    return t - s->s0 < s->s1 - s->s0 ? s->er->tok[t].cue : 0; /* s0 <= t < s1 */
}

/* cue() of a token known to be inside the sentence (a name candidate). */
static NM_ENT_INLINE uint32_t cue_in(const sstate *s, size_t t)
{
    return s->er->tok[t].cue;
}

static bool capword(const sstate *s, size_t t)
{
    return t < s->s1 && (s->er->tok[t].flags & NM_ET_CAP);
}

static bool is_headline(const sstate *s)
{
    /* Counted without a branch per token (whether a word is long,
     * capitalized or a function word is data, not a pattern the branch
     * predictor learns); the second lower-case word ends the count, looked
     * at once per 8 tokens. */
    size_t caps = 0, lower = 0;
    const nm_tok *toks = s->doc->toks;
    const nm_ent_tok *tk = s->er->tok;
    for (size_t t = s->s0; t < s->s1;) { /* inside the sentence: cue(s, t) is tk[t].cue */
        size_t end = s->s1 - t > 8 ? t + 8 : s->s1;
        for (; t < end; t++) {
            const nm_tok *k = &toks[t];
            size_t counted = (size_t)(k->flags & NM_TOK_WORD) & (size_t)(k->len >= 4) &
                             (size_t)!(tk[t].cue & NM_CUE_FUNC);
            size_t cap = (k->flags / NM_TOK_CAP) & 1;
            caps += counted & cap;
            lower += counted & (cap ^ 1);
        }
        if (lower >= 2)
            return false;
    }
    return caps >= 3 && (lower == 0 || (lower == 1 && caps >= 5));
}

/* is_headline, found the first time a rule asks. */
static bool headline(sstate *s)
{
    if (s->headline < 0)
        s->headline = is_headline(s);
    return s->headline;
}

/* A title that is not part of a name: "Chair" in "Duma Chair Vyacheslav
 * Volodin"; but "Prosecutor's Office" and "General Motors" are names. */
static bool title_break(const sstate *s, size_t t)
{
    uint32_t c = cue_in(s, t); /* t < s1: a capitalized word or a candidate */
    if (!(c & NM_CUE_TITLE) || (c & NM_CUE_ORG))
        return false;
    if (word_is(s, t + 1, NM_W_POSS))
        return false;
    return !(capword(s, t + 1) && (cue_in(s, t + 1) & (NM_CUE_ORG | NM_CUE_FAC)));
}

/* Tokens a connector spans before the next capitalized word, or 0.  The
 * connectors: "of", "for", "and", "on", "de", "van", "von", "al", "bin",
 * "ibn", "&", "der", "du", "da" in lower case, and "-", "'s" touching. */
static size_t connector(const sstate *s, size_t t)
{
    if (t + 1 >= s->s1)
        return 0;
    unsigned w = s->er->tok[t].word;
    if ((w == NM_W_DASH || w == NM_W_POSS) && adjacent(s->doc, t - 1) &&
        (w == NM_W_POSS || adjacent(s->doc, t)))
        return capword(s, t + 1) ? 1 : 0;
    if (w < NM_W_OF || w > NM_W_DA || (s->doc->toks[t].flags & NM_TOK_CAP))
        return 0;
    if (w == NM_W_ON && !(cue(s, t - 1) & NM_CUE_ORG))
        return 0; /* "Committee on Ethics", not "Airport on Monday" */
    if (capword(s, t + 1))
        return 1;
    if (w <= NM_W_ON && word_is(s, t + 1, NM_W_THE) && capword(s, t + 2))
        return 2;
    return 0;
}

/* End of the chunk from i with connectors; *plain: its end without them
 * (only "-" joins), the first place a connector other than "-" or none
 * would stop it. */
static inline size_t chunk_ends(const sstate *s, size_t i, size_t *plain)
{
    size_t j = i + 1;
    *plain = SIZE_MAX;
    for (;;) {
        if (capword(s, j) && !title_break(s, j)) {
            j++;
            continue;
        }
        /* no rule word (most tokens): no connector (j <= s1 <= ntoks) */
        size_t c = s->er->tok[j].word != NM_W_NONE ? connector(s, j) : 0;
        if (*plain == SIZE_MAX && (!c || !word_is(s, j, NM_W_DASH)))
            *plain = j;
        if (!c)
            return j;
        j += c;
    }
}

static size_t chunk_end(const sstate *s, size_t i)
{
    size_t plain;
    return chunk_ends(s, i, &plain);
}

/* The type a head word gives the chunk [i, j), or NULL: the last head
 * before the first "of"/"for"/"on", else the first head after it. */
static const char *head_type(const sstate *s, size_t i, size_t j)
{
    if (j - i < 2)
        return NULL;
    size_t head = SIZE_MAX;
    bool after = false;
    const nm_ent_tok *tk = s->er->tok; /* [i, j) is inside the sentence */
    for (size_t t = i; t < j; t++) {
        if ((1u << tk[t].word) & ((1u << NM_W_OF) | (1u << NM_W_FOR) | (1u << NM_W_ON))) {
            if (head != SIZE_MAX)
                break;
            after = true;
        }
        if ((tk[t].flags & NM_ET_CAP) && (tk[t].cue & (NM_CUE_ORG | NM_CUE_FAC | NM_CUE_LOC))) {
            head = t;
            if (after)
                break;
        }
    }
    if (head == SIZE_MAX)
        return NULL;
    uint32_t c = tk[head].cue;
    return (c & NM_CUE_ORG) ? "ORG" : (c & NM_CUE_FAC) ? "FACILITY" : "LOC";
}

static size_t push_text(sstate *s, size_t t0, size_t t1, const char *type,
                        const char *canon, bool canon_doc, const char *rule, bool lex)
{
    for (size_t t = t0; t < t1; t++)
        if (s->er->tok[t].flags & NM_ET_FIGURE)
            return t1; /* "US$ 700 billion": a currency, not a country */
    nm_ent_push(s->er, (nm_ent){(uint32_t)t0, (uint32_t)t1, type, canon, rule, lex, canon_doc});
    s->last = s->er->n;
    return t1;
}

/* push_text of a lexicon canonical or none. */
static size_t push(sstate *s, size_t t0, size_t t1, const char *type, const char *canon,
                   const char *rule, bool lex)
{
    return push_text(s, t0, t1, type, canon, false, rule, lex);
}

/* ", a labor migrant", ", director of", ", the cemetery director". */
RARE static bool role_after(const sstate *s, size_t j)
{
    if (!word_is(s, j, NM_W_COMMA))
        return false;
    size_t t = j + 1;
    if (word_is(s, t, NM_W_A) || word_is(s, t, NM_W_AN) || word_is(s, t, NM_W_THE))
        t++;
    for (size_t k = 0; k < 3 && t + k < s->s1; k++) {
        uint32_t c = cue(s, t + k);
        if (c & (NM_CUE_ROLE | NM_CUE_TITLE))
            return true;
        if (!(s->doc->toks[t + k].flags & NM_TOK_WORD))
            return false;
    }
    return false;
}

/* Only "," and "and" between the last entity (a person) and token i. */
RARE static bool listed_after_person(const sstate *s, size_t i)
{
    if (!s->last)
        return false;
    const nm_ent *e = &s->er->e[s->last - 1];
    if (e->type != NULL && !nm_ent_is_person(e->type))
        return false;
    if (e->t1 >= i || i - e->t1 > 2)
        return false;
    for (size_t t = e->t1; t < i; t++)
        if (!word_is(s, t, NM_W_COMMA) && !word_is(s, t, NM_W_AND))
            return false;
    return true;
}

/* The person cues outside headlines. */
static NM_ENT_INLINE bool text_person_cue(const sstate *s, size_t i, size_t j)
{
    size_t n = j - i;
    uint32_t before = i > s->s0 ? cue(s, i - 1) : 0, after = cue(s, j);
    bool given = (cue_in(s, i) & NM_CUE_GIVEN) != 0;
    bool sstart = i == s->s0;
    if (before & NM_CUE_TITLE)
        return true;
    if ((before & NM_CUE_ROLE) && !(s->doc->toks[i - 1].flags & NM_TOK_CAP))
        return true;
    /* The surname ending is looked at last, where it decides. */
    if (n == 1)
        return (given && !sstart) ||
               ((after & NM_CUE_SAY) && (given || nm_ent_surname(s->r, s->doc, j - 1)));
    if ((before & NM_CUE_SAY) || (after & NM_CUE_SAY) || role_after(s, j))
        return true;
    if (i >= s->s0 + 2 && word_is(s, i - 1, NM_W_TO) && word_is(s, i - 2, NM_W_ACCORDING))
        return true;
    return given || nm_ent_surname(s->r, s->doc, j - 1) || listed_after_person(s, i);
}

/* In a headline only a given name and a surname ending count ("Official
 * Ulan Madiyev"); whether the sentence is one is found only when the
 * answers differ. */
static bool person_cue(sstate *s, size_t i, size_t j)
{
    bool given2 = j - i >= 2 && (cue_in(s, i) & NM_CUE_GIVEN);
    if (s->headline < 0) {
        bool text = text_person_cue(s, i, j);
        if (!text && !given2)
            return false; /* no cue either way */
        if (!headline(s))
            return text;
    } else if (!s->headline) {
        return text_person_cue(s, i, j);
    }
    return given2 && nm_ent_surname(s->r, s->doc, j - 1);
}

static bool plain_name(const sstate *s, size_t i, size_t j)
{
    if (j - i > 5)
        return false;
    const nm_ent_tok *tk = s->er->tok; /* [i, j) is inside the sentence */
    uint32_t heads = (tk[i].cue & NM_CUE_GIVEN) ? 0 : NM_CUE_ORG | NM_CUE_FAC | NM_CUE_LOC;
    for (size_t t = i; t < j; t++) {
        if (tk[t].word == NM_W_DASH)
            continue;
        const nm_tok *k = &s->doc->toks[t];
        if ((k->flags & NM_TOK_UPPER) || (tk[t].cue & (heads | NM_CUE_TITLE | NM_CUE_FUNC)))
            return false;
    }
    return true;
}

/* 'Sana Sezim' right after an organization or an organization word:
 * returns the end of the closing quote, or 0. */
RARE static size_t quoted_name(const sstate *s, size_t q, size_t *n0, size_t *n1)
{
    if (!(word_is(s, q, NM_W_APOS) || word_is(s, q, NM_W_QUOTE)) || !capword(s, q + 1))
        return 0;
    size_t j = chunk_end(s, q + 1);
    if (j - q > 7 || !word_is(s, j, s->doc->text[s->doc->toks[q].off] == '"' ? NM_W_QUOTE : NM_W_APOS))
        return 0;
    *n0 = q + 1;
    *n1 = j;
    return j + 1;
}

/* acronym_def past its first test (a parenthesis after an entity). */
RARE static size_t acronym_paren(sstate *s, size_t j)
{
    const nm_tok *k = &s->doc->toks[j + 1];
    if (!(k->flags & NM_TOK_UPPER) || !(k->flags & NM_TOK_WORD) || k->len < 2 || k->len > 10)
        return j;
    nm_ent e = s->er->e[s->last - 1];
    const char *canon = e.canon ? e.canon : nm_ent_text(s->doc, e.t0, e.t1);
    push_text(s, j + 1, j + 2, e.type, canon, e.canon ? e.canon_doc : true, "entity.acronym",
              e.lex);
    return j + 3;
}

/* "International Organization for Migration (IOM)": IOM is the same body. */
static inline size_t acronym_def(sstate *s, size_t j)
{
    if (!s->last || !word_is(s, j, NM_W_LPAREN) || !word_is(s, j + 2, NM_W_RPAREN))
        return j;
    return acronym_paren(s, j);
}

RARE static size_t org_chunk(sstate *s, size_t i, size_t j, const char *type)
{
    size_t n0, n1, q = quoted_name(s, j, &n0, &n1);
    const char *canon = q && strcmp(type, "ORG") == 0 ? nm_ent_text(s->doc, (uint32_t)n0,
                                                                    (uint32_t)n1) : NULL;
    push_text(s, i, j, type, canon, true, "entity.head", false);
    if (canon)
        return push_text(s, n0, n1, "ORG", canon, true, "entity.quoted", false) + 1;
    return acronym_def(s, j);
}

/* "a" or "an" just before token i (asked only where it decides). */
_Static_assert(NM_W_AN == NM_W_A + 1, "a and an are consecutive rule words");
static NM_ENT_INLINE bool indefinite(const sstate *s, size_t i)
{
    return i > s->s0 && (unsigned)(s->er->tok[i - 1].word - NM_W_A) <= 1;
}

/* A lone capitalized word or chunk; returns the next token to look at. */
/* chunk_ends for name_rules.  A name candidate i inside the last chunk
 * (a word of "Xu Li Ping" after "Xu" made nothing) is a capitalized word
 * that is no title break, so the walk from cstart passed it as from i:
 * the chunk ends where it ended, and so does its plain part when that
 * ended past i. */
static NM_ENT_INLINE size_t name_chunk(sstate *s, size_t i, size_t *plain)
{
    if (i > s->cstart && i < s->cfull && s->cplain > i) {
        *plain = s->cplain;
        return s->cfull;
    }
    s->cstart = i;
    s->cfull = chunk_ends(s, i, &s->cplain);
    *plain = s->cplain;
    return s->cfull;
}

static size_t name_rules(sstate *s, size_t i, size_t lexn, const nm_match *m)
{
    size_t plain, full = name_chunk(s, i, &plain);
    const char *ht = head_type(s, i, full);
    if (ht && headline(s))
        ht = NULL;
    if (ht && (cue_in(s, i) & NM_CUE_GIVEN) && full - i <= 3 && plain == full)
        ht = NULL; /* "Jim Press" */
    if (ht) {
        if (indefinite(s, i))
            return full; /* "a Migrant Resource Center": generic */
        if (full - i > lexn)
            return org_chunk(s, i, full, ht);
    }
    if (lexn) {
        const nm_lex_entry *e = m->val;
        push(s, i, i + lexn, nm_ent_lex_type(s->er, e->type), e->canonical, "entity.lexicon", true);
        return acronym_def(s, i + lexn);
    }
    if (plain_name(s, i, plain) && person_cue(s, i, plain))
        return acronym_def(s, push(s, i, plain, "PERSON", NULL, "entity.person", false));
    if (i >= s->s0 + 2 && (cue(s, i - 2) & NM_CUE_ORG) && !indefinite(s, i) && !headline(s)) {
        size_t n0, n1, q = quoted_name(s, i - 1, &n0, &n1);
        if (q)
            return push(s, n0, n1, "ORG", NULL, "entity.quoted", false) + 1;
    }
    return i + 1;
}

/* Skips titles and sentence-initial function words before a name (token
 * i of the sentence). */
static bool skip_word(const sstate *s, size_t i)
{
    uint32_t c = cue_in(s, i);
    if (c & NM_CUE_FUNC)
        return true;
    return (c & NM_CUE_TITLE) && title_break(s, i);
}

void nm_ent_sentence(nm_ent_run *er, size_t s0, size_t s1)
{
    sstate s = {er, er->doc, er->r, s0, s1, -1, 0, 0, 0, 0};
    const uint32_t *cand = er->cand;
    size_t nc = er->ncand, c = er->next;
    while (c > 0 && cand[c - 1] >= s0)
        c--; /* sentences in any order */
    /* Only candidates (tokens that may start a list match or are
     * capitalized words) can start anything: the others are passed. */
    while (c < nc && cand[c] < s0)
        c++;
    while (c < nc && cand[c] < s1) {
        size_t i = cand[c];
        nm_match m;
        unsigned flags = er->tok[i].flags; /* i < s1: capword(&s, i) is flags & NM_ET_CAP */
        unsigned tables = flags & NM_ET_START; /* bit 0: cased, 1: folded */
        size_t lexn = tables ? nm_matcher_longest_in(er->r->names, er->doc, i, s1, tables, &m) : 0;
        if ((flags & NM_ET_CAP) && !skip_word(&s, i)) {
            i = name_rules(&s, i, lexn, &m);
        } else if (lexn) {
            const nm_lex_entry *e = m.val;
            i = push(&s, i, i + lexn, nm_ent_lex_type(er, e->type), e->canonical, "entity.lexicon",
                     true);
            i = acronym_def(&s, i);
        } else {
            i++;
        }
        /* i has passed cand[c] (every rule returns a later token) */
        for (c++; c < nc && cand[c] < i; c++)
            ;
    }
    er->next = c;
}
