/* events_slots.c - actor, target, figure, date and place of an event.
 *
 * Fillers are the FIGURE, DATE and ENTITY facts of the event's sentence,
 * read through the cue classes of the EVENTCUE lists:
 *   actor   the entity after "by" (passive); for diplomacy the person of
 *           "the visit of X"; what a pronoun subject ("He called for",
 *           "they sent") stands for; else the antecedent of "who" when the
 *           trigger is a relative-clause verb; else the nearest entity
 *           before the trigger that no preposition governs (the subject,
 *           or the possessor in "Russia's stricter policies"), the first of
 *           a coordination; else, for a deportation, "from X"; for a
 *           recruitment, "contracts with X"; else the actor of the sentence
 *           before in the same paragraph (carried over).  A nationality
 *           acts when an authority noun follows it ("Russian authorities");
 *           otherwise it is a target.
 *   target  the entity after "with"/"against" before the next trigger; else
 *           a person the event is done to (the subject, or what "he was
 *           detained", "his registration" stands for); else a nationality
 *           after, then before the trigger (not one that belongs to another
 *           event word between); else "citizens of X".
 *   figure  a count right before the trigger (a few words between), else
 *           right after it; else the count before "who" when the trigger
 *           is a relative-clause verb ("half of them ... who were
 *           deported"); else a count in the predicate ("deportations
 *           reached N"); each count counts one event.
 *   date    a DATE (not a duration, not an end of a period "2023-2027")
 *           after the trigger, else before it; never one after
 *           "after"/"following" (the date of a cause).
 *   place   a city, region, facility or area after "in"/"at" in the
 *           trigger's clause, or in a fronted "At X," adverbial; a state
 *           there (a country of the ENTITY lists) is the actor when there
 *           is no other.
 */
#include "events.h"
#include "lexicon.h"

#include <string.h>

enum { K_FIG = 0, K_DATE = 1, K_ENT = 2 };

/* The NM_EVF_* of a fact type. */
static uint8_t type_code(const char *t)
{
    switch (t[0]) {
    case 'G':
        return strcmp(t, "GPE") == 0 ? NM_EVF_GPE : NM_EVF_OTHER;
    case 'O':
        return strcmp(t, "ORG") == 0 ? NM_EVF_ORG : NM_EVF_OTHER;
    case 'P':
        return strcmp(t, "PERSON") == 0 ? NM_EVF_PERSON : NM_EVF_OTHER;
    case 'N':
        return strcmp(t, "NORP") == 0 ? NM_EVF_NORP : NM_EVF_OTHER;
    case 'L':
        return strcmp(t, "LOC") == 0 ? NM_EVF_LOC : NM_EVF_OTHER;
    case 'F':
        return strcmp(t, "FACILITY") == 0   ? NM_EVF_FACILITY
               : strcmp(t, "FRACTION") == 0 ? NM_EVF_FRACTION
                                            : NM_EVF_OTHER;
    case 'C':
        return strcmp(t, "COUNT") == 0 ? NM_EVF_COUNT : NM_EVF_OTHER;
    case 'D':
        return strcmp(t, "DATE") == 0 ? NM_EVF_DATE : NM_EVF_OTHER;
    default:
        return NM_EVF_OTHER;
    }
}

/* nm_tok_at(doc, off) for an offset past the start of token lo - 1: the
 * first token at or after off, found by walking from lo (facts are a few
 * tokens long, and the facts of a sentence come in text order). */
static size_t tok_at_from(const nm_doc *doc, size_t lo, uint32_t off)
{
    if (lo > 0 && (lo > doc->ntoks || doc->toks[lo - 1].off >= off))
        return nm_tok_at(doc, off); /* (not past it: search the document) */
    while (lo < doc->ntoks && doc->toks[lo].off < off)
        lo++;
    return lo;
}

/* type_code through a small cache by the address of the type: the types
 * of a document are a few static strings. */
static uint8_t type_of(nm_ev_run *er, const char *t)
{
    size_t i = ((uintptr_t)t >> 3) % NM_EV_TYPE_CACHE;
    if (er->tptr[i] != t) {
        er->tptr[i] = t;
        er->tcode[i] = type_code(t);
    }
    return er->tcode[i];
}

void nm_ev_sentence_facts(nm_ev_run *er, uint32_t s)
{
    const nm_doc *doc = er->doc;
    const nm_sent *se = &doc->sents[s];
    uint32_t end = se->off + se->len;
    for (int k = 0; k < 3; k++) {
        nm_ev_facts *sf = &er->sf;
        sf->n[k] = 0;
        size_t *c = &er->cursor[k];
        while (*c < er->nsorted[k] && er->sorted[k][*c].start < se->off)
            (*c)++;
        size_t i1 = *c;
        while (i1 < er->nsorted[k] && er->sorted[k][i1].start < end)
            i1++;
        if (i1 - *c > sf->cap[k])
            nm_vec_reserve((void **)&sf->x[k], &sf->cap[k], i1 - *c, sizeof *sf->x[k]);
        size_t t = se->tok; /* the walk over the tokens: the starts are in order */
        for (size_t i = *c; i < i1; i++) {
            int32_t f = er->sorted[k][i].f;
            const nm_fact *x = &doc->facts[f];
            t = tok_at_from(doc, t, x->start);
            uint8_t type = type_of(er, x->type);
            sf->x[k][sf->n[k]++] =
                (nm_ev_sfact){f, x->start, x->end, (uint32_t)t,
                              (uint32_t)tok_at_from(doc, t, x->end), type,
                              type == NM_EVF_DATE && strcmp(x->value, "PRESENT_REF") == 0};
        }
    }
}

/* ------------------------------------------------------------ helpers */

typedef struct ctx {
    nm_ev_run *er;
    const nm_doc *doc;
    uint32_t s;
    uint32_t a, b;  /* trigger span, offsets */
    size_t ta, tb;  /* trigger span, tokens [ta, tb) */
    int32_t actor, target;
    int32_t person;   /* a person subject of an event done to people */
    bool person_acts; /* diplomacy: people (officials) act */
    bool partner;     /* diplomacy, visas: "with X" is the counterpart */
    bool to_people;   /* deportation, enforcement, citizenship: a person subject undergoes it */
    bool next_known;  /* next_trigger() is worked out: next */
    uint32_t next;
} ctx;

/* The facts of the sentence of kind k, and how many. */
static const nm_ev_sfact *facts(const ctx *c, int k) { return c->er->sf.x[k]; }
static size_t nfacts(const ctx *c, int k) { return c->er->sf.n[k]; }

/* nm_tok_is for a literal word w in lower case, inlined: the length and
 * the bytes of w are constants, so the test unrolls to a compare a byte
 * (a letter of the token with bit 0x20 set: its lower case). */
static inline bool tok_is(const ctx *c, size_t t, const char *w)
{
    if (t >= c->doc->ntoks)
        return false;
    const nm_tok *k = &c->doc->toks[t];
    size_t n = strlen(w);
    if (k->len != n)
        return false;
    const char *s = c->doc->text + k->off;
    for (size_t i = 0; i < n; i++) {
        char b = w[i], a = b >= 'a' && b <= 'z' ? (char)(s[i] | 0x20) : s[i];
        if (a != b)
            return false;
    }
    return true;
}

/* Is token t (of the document) the one-byte token ch? */
static inline bool tok_ch(const ctx *c, size_t t, char ch)
{
    return t < c->doc->ntoks && c->doc->toks[t].len == 1 && c->doc->text[c->doc->toks[t].off] == ch;
}

/* Cue bits of the word before fact x, over one determiner ("with the
 * EU"); 0 at the sentence start. */
static uint32_t before(const ctx *c, const nm_ev_sfact *x)
{
    size_t t = x->ft;
    if (t > c->er->s0 + 1 && (tok_is(c, t - 1, "the") || tok_is(c, t - 1, "a")))
        t--;
    return t ? nm_ev_cuebits(c->er, t - 1) : 0;
}

static bool is_type(const nm_fact *f, const char *t) { return strcmp(f->type, t) == 0; }

/* An entity that can act: a state, body or person, or a nationality with
 * an authority noun after it. */
static bool can_act(const ctx *c, const nm_ev_sfact *x)
{
    if (x->type == NM_EVF_GPE || x->type == NM_EVF_ORG ||
        (x->type == NM_EVF_PERSON && c->person_acts))
        return true;
    return x->type == NM_EVF_NORP && (nm_ev_cuebits(c->er, x->et) & NM_EVC_AUTHORITY);
}

/* can_act for any fact of the document (of this sentence or another). */
static bool can_act_fact(const ctx *c, int32_t f)
{
    const nm_fact *x = &c->doc->facts[f];
    if (is_type(x, "GPE") || is_type(x, "ORG") || (is_type(x, "PERSON") && c->person_acts))
        return true;
    return is_type(x, "NORP") &&
           (nm_ev_cuebits(c->er, nm_tok_at(c->doc, x->end)) & NM_EVC_AUTHORITY);
}

static uint32_t next_trigger(ctx *c);

/* ------------------------------------------------------------ actor */

/* The first entity of a coordination ending in entity index i. */
static size_t coordination_head(const ctx *c, size_t i)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    while (i > 0) {
        size_t t = x[i].ft;
        size_t prev_end = x[i - 1].et;
        if (t == 0 || prev_end + 1 != t || !(tok_is(c, t - 1, "and") || tok_ch(c, t - 1, ',')) ||
            !can_act(c, &x[i - 1]))
            break;
        i--;
    }
    return i;
}

/* "Russia's migration policies": a possessor close before the trigger. */
static bool possessor(const ctx *c, const nm_ev_sfact *x)
{
    size_t t = x->et;
    return tok_is(c, t, "'s") && t + 4 >= c->ta;
}

/* Between the entity ending at token t and the trigger, every comma opens
 * a participle clause ("X is taking an approach, partnering with Y"),
 * or a past participle clause ("X is making progress, supported by ..."),
 * which shares the subject; other clauses have their own. */
static bool same_clause(const ctx *c, size_t t)
{
    size_t commas = 0, last = 0;
    for (size_t k = t; k < c->ta && k < c->doc->ntoks; k++) {
        const nm_tok *tk = &c->doc->toks[k];
        if (tk->len != 1)
            continue;
        char ch = c->doc->text[tk->off];
        if (ch == ';')
            return false;
        if (ch == ',')
            commas++, last = k;
    }
    if (commas % 2 == 0) /* none, or a parenthetical: "X, for instance, employed" */
        return true;
    const nm_tok *k = &c->doc->toks[last + 1];
    const char *w = c->doc->text + k->off;
    return k->len >= 5 && (memcmp(w + k->len - 3, "ing", 3) == 0 ||
                           (memcmp(w + k->len - 2, "ed", 2) == 0 && !(k->flags & NM_TOK_CAP)));
}

/* A nationality right before a law or a restriction issues it ("a Russian
 * presidential decree"). */
static int32_t issuer(const ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    for (size_t i = nfacts(c, K_ENT); i-- > 0;) {
        if (x[i].end > c->a)
            continue;
        if (x[i].type == NM_EVF_NORP && x[i].et + 2 >= c->ta)
            return x[i].f;
        return -1;
    }
    return -1;
}

/* "X — who, alongside Y, met ...": the trigger is the verb of a relative
 * clause; its subject is the antecedent of "who" right before it. */
static int32_t relative_antecedent(const ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    size_t k = c->ta;
    while (k > c->er->s0 && c->ta - k < 12 && !tok_is(c, k - 1, "who") && !tok_ch(c, k - 1, ';'))
        k--;
    if (k <= c->er->s0 + 1 || !tok_is(c, k - 1, "who"))
        return -1;
    size_t w = k - 1; /* "who" */
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        size_t e = x[i].et;
        if (e == w || (e + 1 == w && (c->doc->toks[e].flags & NM_TOK_PUNCT)))
            return can_act(c, &x[i]) ? x[i].f : -1;
    }
    return -1;
}

static int32_t subject_before(ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    int32_t rel = relative_antecedent(c);
    if (rel >= 0)
        return rel;
    for (size_t i = nfacts(c, K_ENT); i-- > 0;) {
        if (x[i].end > c->a)
            continue;
        if ((before(c, &x[i]) & NM_EVC_PREP) && !possessor(c, &x[i]))
            continue;
        if (!same_clause(c, x[i].et))
            return -1;
        if (!c->person_acts && x[i].type == NM_EVF_PERSON && c->person < 0)
            c->person = x[i].f;
        if (!can_act(c, &x[i]))
            continue;
        return x[coordination_head(c, i)].f;
    }
    return -1;
}

/* The first entity after the trigger whose preceding token has a cue bit,
 * starting at most reach tokens after the trigger and before offset limit. */
static int32_t after_cue_in(const ctx *c, uint32_t bit, bool act, size_t reach, uint32_t limit)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        if (x[i].start < c->b || x[i].f == c->actor)
            continue;
        size_t t = x[i].ft;
        if (t - c->tb > reach || x[i].start >= limit)
            break;
        uint32_t cb = before(c, &x[i]);
        if (!(cb & bit) && t >= 2 && tok_is(c, t - 1, "the"))
            cb = nm_ev_cuebits(c->er, t - 2);
        if ((cb & bit) && (!act || can_act(c, &x[i])))
            return x[i].f;
    }
    return -1;
}

static int32_t after_cue(const ctx *c, uint32_t bit, bool act)
{
    return after_cue_in(c, bit, act, SIZE_MAX, UINT32_MAX);
}

/* The entity that opens sentence s (after "The"), a state or body. */
static int32_t first_subject(nm_ev_run *er, uint32_t s)
{
    const nm_doc *doc = er->doc;
    const nm_sent *se = &doc->sents[s];
    size_t lo = 0, hi = er->nsorted[K_ENT];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (er->sorted[K_ENT][mid].start < se->off)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < er->nsorted[K_ENT]; i++) {
        const nm_fact *f = &doc->facts[er->sorted[K_ENT][i].f];
        if (f->start >= se->off + se->len)
            break;
        size_t t = nm_tok_at(doc, f->start);
        bool first = t == se->tok || (t == (size_t)se->tok + 1 && nm_tok_is(doc, se->tok, "the"));
        return first && (is_type(f, "GPE") || is_type(f, "ORG")) ? er->sorted[K_ENT][i].f : -1;
    }
    return -1;
}

static int32_t carried_actor(ctx *c)
{
    nm_ev_run *er = c->er;
    const nm_doc *doc = c->doc;
    if (c->s == 0 || doc->sents[c->s].ntok <= 3 || c->person_acts)
        return -1;
    int32_t f = er->prev_sent == c->s && er->prev_actor >= 0 ? er->prev_actor
                                                              : first_subject(er, c->s - 1);
    if (f >= 0 && !is_type(&doc->facts[f], "GPE") && !is_type(&doc->facts[f], "ORG"))
        return -1;
    return f;
}

static void set_slot(ctx *c, int slot, int32_t f, bool carried)
{
    if (f < 0)
        return;
    nm_fact *ev = &c->er->doc->facts[c->er->cur];
    ev->slot[slot] = f;
    if (carried)
        ev->carried |= (uint8_t)(1u << slot);
}

/* The first entity that can act (person: the first person) in tokens
 * [t0, t1) of the document, not after "of" (the subject of that clause or
 * sentence). */
static int32_t first_in(const ctx *c, size_t t0, size_t t1, bool person)
{
    const nm_ev_run *er = c->er;
    const nm_doc *doc = c->doc;
    uint32_t a = doc->toks[t0].off, b = t1 < doc->ntoks ? doc->toks[t1].off : UINT32_MAX;
    size_t lo = 0, hi = er->nsorted[K_ENT];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (er->sorted[K_ENT][mid].start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < er->nsorted[K_ENT]; i++) {
        int32_t f = er->sorted[K_ENT][i].f;
        if (doc->facts[f].start >= b)
            break;
        size_t t = nm_tok_at(doc, doc->facts[f].start);
        if (t > t0 && tok_is(c, t - 1, "of"))
            continue;
        if (person ? is_type(&doc->facts[f], "PERSON") : can_act_fact(c, f))
            return f;
    }
    return -1;
}

/* What a pronoun at token p refers to: the first actor (person: person)
 * of the clause before it, where a semicolon ends one; a person pronoun
 * also takes the first person of its sentence before it.  Else, for a
 * pronoun that opens its sentence (or, for a person, follows a fronted
 * "Despite this,"), the first of the sentence before. */
static int32_t antecedent(const ctx *c, size_t p, bool person)
{
    for (size_t k = p; k-- > c->er->s0;)
        if (tok_ch(c, k, ';'))
            return first_in(c, c->er->s0, k, person);
    if (person && p > c->er->s0) {
        int32_t f = first_in(c, c->er->s0, p, true);
        if (f >= 0)
            return f;
    }
    size_t t = c->er->s0;
    while (t < p && !(c->doc->toks[t].flags & NM_TOK_WORD))
        t++;
    if (c->s == 0 || (t != p && !(person && tok_ch(c, p - 1, ','))))
        return -1;
    const nm_sent *prev = &c->doc->sents[c->s - 1];
    return first_in(c, prev->tok, (size_t)prev->tok + prev->ntok, person);
}

/* "He called for ...", "they sent a note": a personal pronoun right
 * before a verb trigger stands for the subject of the clause before (in
 * the sentence, before a semicolon) or of the sentence before. */
static int32_t pronoun_subject(const ctx *c)
{
    size_t p = c->ta;
    if (p <= c->er->s0)
        return -1;
    p--;
    if (!(tok_is(c, p, "he") || tok_is(c, p, "she") || tok_is(c, p, "they")))
        return -1;
    return antecedent(c, p, false);
}

/* "he was detained", "his registration had expired": a person pronoun
 * before the trigger of an event done to people stands for the first
 * person of the clause or sentence before. */
static int32_t pronoun_person(const ctx *c)
{
    size_t p = c->ta;
    if (p <= c->er->s0)
        return -1;
    p--;
    if ((tok_is(c, p, "was") || tok_is(c, p, "is")) && p > c->er->s0)
        p--;
    else if (!(tok_is(c, p, "his") || tok_is(c, p, "her")))
        return -1;
    if (!(tok_is(c, p, "he") || tok_is(c, p, "she") || tok_is(c, p, "his") || tok_is(c, p, "her")))
        return -1;
    return antecedent(c, p, true);
}

/* "the visit of Russia's Deputy Prime Minister X": the person after "of"
 * right after the trigger acts (diplomacy). */
static int32_t person_of(const ctx *c)
{
    if (!c->person_acts || !tok_is(c, c->tb, "of"))
        return -1;
    const nm_ev_sfact *x = facts(c, K_ENT);
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        size_t t = x[i].ft;
        if (x[i].start < c->b)
            continue;
        if (t > c->tb + 8)
            break;
        for (size_t k = c->tb; k < t; k++)
            if (tok_ch(c, k, ','))
                return -1;
        if (x[i].type == NM_EVF_PERSON)
            return x[i].f;
    }
    return -1;
}

/* The actor found in the sentence (no carry-over), or -1. */
static int32_t find_actor(ctx *c, const nm_ev *ev)
{
    uint8_t type = ev->e->tid;
    int32_t f = after_cue(c, NM_EVC_AGENT, true);
    if (f < 0)
        f = person_of(c);
    if (f < 0)
        f = pronoun_subject(c);
    if (f < 0)
        f = subject_before(c);
    if (f < 0 && type == NM_EVT_RECRUITMENT)
        f = after_cue_in(c, NM_EVC_PARTNER, true, 2, UINT32_MAX); /* contracts with X */
    if (f < 0 && type == NM_EVT_DEPORTATION)
        f = after_cue(c, NM_EVC_ORIGIN, true);
    if (f < 0 && (type == NM_EVT_LEGISLATION || type == NM_EVT_RESTRICTION))
        f = issuer(c);
    if (f < 0 && c->person_acts)
        f = after_cue_in(c, NM_EVC_ORIGIN, true, 3, UINT32_MAX); /* "statements from X officials" */
    if (f < 0 && c->er->prev_sent == c->s + 1 && same_clause(c, c->er->prev_end))
        f = c->er->prev_actor; /* an earlier event of the clause */
    c->actor = f;
    set_slot(c, NM_SLOT_ACTOR, f, false);
    return f;
}

static void carry_actor(ctx *c)
{
    if (c->actor >= 0)
        return;
    c->actor = carried_actor(c);
    set_slot(c, NM_SLOT_ACTOR, c->actor, true);
}

/* ------------------------------------------------------------ target */

static bool is_target(const ctx *c, const nm_ev_sfact *x)
{
    return x->f != c->actor && x->type == NM_EVF_NORP && !can_act(c, x);
}

static int32_t norp_near(const ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    for (size_t i = 0; i < nfacts(c, K_ENT); i++)
        if (x[i].start >= c->b && is_target(c, &x[i]))
            return x[i].f;
    for (size_t i = nfacts(c, K_ENT); i-- > 0;) {
        if (x[i].end > c->a || !is_target(c, &x[i]))
            continue;
        for (size_t t = x[i].et; t < c->ta; t++)
            if (tok_ch(c, t, ',') || tok_ch(c, t, ';'))
                return -1;
        /* "applying for Russian citizenship through the program": the
         * nationality belongs to the event word between */
        for (size_t j = 0; j < c->er->ntrig; j++) {
            const nm_ev_hit *h = &c->er->trig[j];
            if (h->tok >= x[i].et && h->tok < c->ta && h->e->cls <= NM_EV_OBJECT)
                return -1;
        }
        return x[i].f;
    }
    return -1;
}

/* "citizens of X", "migrants from X" anywhere in the sentence. */
static int32_t people_of(const ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        size_t t = x[i].ft;
        if (x[i].f == c->actor || t < c->er->s0 + 2 || x[i].type != NM_EVF_GPE)
            continue;
        if ((tok_is(c, t - 1, "of") || tok_is(c, t - 1, "from")) &&
            (nm_ev_cuebits(c->er, t - 2) & NM_EVC_PEOPLE))
            return x[i].f;
    }
    return -1;
}

static void find_target(ctx *c)
{
    int32_t f = c->partner ? after_cue_in(c, NM_EVC_PARTNER, false, SIZE_MAX, next_trigger(c)) : -1;
    if (f < 0 && c->to_people)
        f = c->person;
    if (f < 0 && !c->person_acts)
        f = pronoun_person(c);
    if (f < 0)
        f = norp_near(c);
    if (f < 0)
        f = people_of(c);
    c->target = f;
    set_slot(c, NM_SLOT_TARGET, f, false);
}

/* ------------------------------------------------------------ figure, date, place */

static bool counts(const nm_ev_sfact *x)
{
    return x->type == NM_EVF_COUNT || x->type == NM_EVF_FRACTION;
}

static bool words_only(const ctx *c, size_t a, size_t b, size_t max)
{
    if (b < a || b - a > max)
        return false;
    for (size_t t = a; t < b; t++)
        if (!(c->doc->toks[t].flags & NM_TOK_WORD))
            return false;
    return true;
}

static bool trigger_near(const ctx *c, size_t t)
{
    for (size_t i = 0; i < c->er->ntrig; i++) {
        const nm_ev_hit *h = &c->er->trig[i];
        if (h->tok >= t && h->tok <= t + 2 && h->e->cls != NM_EV_GOVERNOR)
            return true;
    }
    return false;
}

/* Token t lies inside a DATE of the sentence ("2,400 cases in 2024 of"). */
static bool in_date(const ctx *c, size_t t)
{
    const nm_ev_sfact *x = facts(c, K_DATE);
    uint32_t off = c->doc->toks[t].off;
    for (size_t i = 0; i < nfacts(c, K_DATE); i++)
        if (x[i].start <= off && off < x[i].end)
            return true;
    return false;
}

/* Tokens [a, b) are words or dates, at most max of them. */
static bool words_dates(const ctx *c, size_t a, size_t b, size_t max)
{
    if (b < a || b - a > max)
        return false;
    for (size_t t = a; t < b; t++)
        if (!(c->doc->toks[t].flags & NM_TOK_WORD) && !in_date(c, t))
            return false;
    return true;
}

static bool usable_count(const ctx *c, const nm_ev_sfact *x)
{
    return !c->er->claimed[x->f] && counts(x);
}

/* "half of them were those who were deported", "2,400 cases in 2024 of
 * people who lost their citizenship": the trigger is the verb of a
 * relative clause on the counted noun; the count before "who"/"that" in
 * the same clause counts the event. */
static int32_t relative_figure(const ctx *c)
{
    size_t w = c->ta;
    while (w > c->er->s0 && c->ta - w < 3 && !tok_is(c, w - 1, "who") && !tok_is(c, w - 1, "that"))
        w--;
    if (w <= c->er->s0 || !(tok_is(c, w - 1, "who") || tok_is(c, w - 1, "that")) ||
        !words_only(c, w, c->ta, 2))
        return -1;
    w--;
    const nm_ev_sfact *x = facts(c, K_FIG);
    for (size_t i = nfacts(c, K_FIG); i-- > 0;) {
        if (x[i].end > c->doc->toks[w].off)
            continue;
        return usable_count(c, &x[i]) && words_dates(c, x[i].et, w, 6) ? x[i].f : -1;
    }
    return -1;
}

/* A copula or a verb of amount ("reached", "totaled") at token t: by its
 * length, then its words of that length. */
static bool predicate_verb(const ctx *c, size_t t)
{
    switch (c->doc->toks[t].len) {
    case 2:
        return tok_is(c, t, "is");
    case 3:
        return tok_is(c, t, "are") || tok_is(c, t, "was");
    case 4:
        return tok_is(c, t, "were");
    case 5:
        return tok_is(c, t, "stood");
    case 6:
        return tok_is(c, t, "topped");
    case 7:
        return tok_is(c, t, "reached") || tok_is(c, t, "totaled");
    case 8:
        return tok_is(c, t, "totalled") || tok_is(c, t, "amounted") ||
               tok_is(c, t, "exceeded") || tok_is(c, t, "numbered");
    case 9:
        return tok_is(c, t, "surpassed");
    default:
        return false;
    }
}

/* "deportations reached 80,000", "the quota for 2024 was nearly 300,000":
 * the trigger is the subject and a count the predicate, in its clause
 * (no punctuation, "and" or clause word between) and before the next
 * trigger. */
static int32_t predicate_figure(ctx *c)
{
    uint32_t limit = next_trigger(c);
    for (size_t k = c->tb; k < c->er->s1 && k < c->tb + 10; k++) {
        const nm_tok *tk = &c->doc->toks[k];
        if (tk->off >= limit || ((tk->flags & NM_TOK_PUNCT) && !in_date(c, k)) ||
            tok_is(c, k, "and"))
            return -1;
        if (!(tk->flags & NM_TOK_WORD) || !predicate_verb(c, k))
            continue;
        const nm_ev_sfact *x = facts(c, K_FIG);
        for (size_t i = 0; i < nfacts(c, K_FIG); i++) {
            size_t t = x[i].ft;
            if (t <= k)
                continue;
            if (!usable_count(c, &x[i]) || !words_only(c, k + 1, t, 2))
                return -1;
            for (size_t j = c->tb; j < k; j++) /* a clause word between */
                if (nm_ev_cuebits(c->er, j) & NM_EVC_CLAUSE)
                    return -1;
            return x[i].f;
        }
        return -1;
    }
    return -1;
}

static void find_figure(ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_FIG);
    size_t n = nfacts(c, K_FIG);
    int32_t best = -1;
    for (size_t i = n; i-- > 0;) {
        if (c->er->claimed[x[i].f] || !counts(&x[i]) || x[i].end > c->a)
            continue;
        if (words_only(c, x[i].et, c->ta, 5))
            best = x[i].f;
        break;
    }
    for (size_t i = 0; best < 0 && i < n; i++) {
        if (x[i].start < c->b || c->er->claimed[x[i].f] || !counts(&x[i]))
            continue;
        if (words_only(c, c->tb, x[i].ft, 3) && !trigger_near(c, x[i].et))
            best = x[i].f;
        break;
    }
    if (best < 0)
        best = relative_figure(c);
    if (best < 0)
        best = predicate_figure(c);
    if (best >= 0) {
        c->er->claimed[best] = 1;
        set_slot(c, NM_SLOT_FIGURE, best, false);
    }
}

static bool is_dash(const ctx *c, size_t t)
{
    const nm_tok *k = &c->doc->toks[t];
    const char *w = c->doc->text + k->off;
    return (k->len == 1 && w[0] == '-') || (k->len == 3 && memcmp(w, "\xe2\x80\x93", 3) == 0);
}

/* "the 2023–2027 concept": one end of a period of validity, not the
 * date of the event. */
static bool range_end(const ctx *c, const nm_ev_sfact *x)
{
    size_t a = x->ft, e = x->et;
    if (a >= c->er->s0 + 2 && is_dash(c, a - 1) &&
        (in_date(c, a - 2) || (c->doc->toks[a - 2].flags & NM_TOK_NUM)))
        return true;
    return e + 1 < c->er->s1 && is_dash(c, e) &&
           (in_date(c, e + 1) || (c->doc->toks[e + 1].flags & NM_TOK_NUM));
}

static bool event_date(const ctx *c, const nm_ev_sfact *x)
{
    if (x->type != NM_EVF_DATE || x->present || range_end(c, x))
        return false;
    /* "After an attack in March 2024, Russia enacted ...": a cause's date,
     * when the trigger is outside the clause of "after" */
    size_t t = x->ft;
    for (size_t k = t; k-- > c->er->s0;) {
        if (tok_ch(c, k, ',') || tok_ch(c, k, ';'))
            return true;
        if (nm_ev_cuebits(c->er, k) & NM_EVC_CAUSE) {
            for (size_t j = x->et; j < c->ta; j++)
                if (tok_ch(c, j, ','))
                    return false;
            return c->ta > k;
        }
    }
    return true;
}

/* "deported in 2024 after police caught him during a street check": the
 * trigger is in a clause of its own. */
static bool cause_between(const ctx *c, size_t t)
{
    for (; t < c->ta; t++)
        if (nm_ev_cuebits(c->er, t) & (NM_EVC_CAUSE | NM_EVC_SAY))
            return true;
    return false;
}

static void find_date(ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_DATE);
    size_t n = nfacts(c, K_DATE);
    int32_t best = -1;
    for (size_t i = 0; best < 0 && i < n; i++)
        if (x[i].start >= c->b && event_date(c, &x[i]))
            best = x[i].f;
    for (size_t i = n; best < 0 && i-- > 0;)
        if (x[i].end <= c->a && event_date(c, &x[i]) && !cause_between(c, x[i].et))
            best = x[i].f;
    set_slot(c, NM_SLOT_DATE, best, false);
}

/* The start of the next event word after the trigger, or the sentence
 * end (UINT32_MAX); worked out at the first question. */
static uint32_t next_trigger(ctx *c)
{
    if (c->next_known)
        return c->next;
    c->next_known = true;
    c->next = UINT32_MAX;
    for (size_t i = 0; i < c->er->ntrig; i++) {
        const nm_ev_hit *h = &c->er->trig[i];
        if (h->tok >= c->tb && h->e->cls <= NM_EV_OBJECT) {
            c->next = c->doc->toks[h->tok].off;
            break;
        }
    }
    return c->next;
}

/* A state (a country of the ENTITY lists) rather than a city, region,
 * facility or area: a GPE whose whole span is a list entry with an ISO
 * country code and no country= of its own ("Moscow" has country=Russia,
 * "Moscow region" is longer than any entry). */
static bool is_country(const ctx *c, const nm_ev_sfact *x)
{
    if (x->type != NM_EVF_GPE || !c->er->names)
        return false;
    size_t t = x->ft, e = x->et;
    nm_match m;
    if (nm_matcher_longest(c->er->names, c->doc, t, e, &m) != e - t)
        return false;
    const nm_lex_entry *le = m.val;
    const char *iso = nm_lex_attr(le, "iso");
    return iso && strlen(iso) == 2 && !nm_lex_attr(le, "country");
}

static bool placeable(const nm_ev_sfact *x)
{
    return x->type == NM_EVF_GPE || x->type == NM_EVF_LOC || x->type == NM_EVF_FACILITY;
}

/* Sets the place, or the actor for a state with no other actor
 * ("stricter policies in Russia"): a state is the place only where an
 * actor acts there ("X opened a centre in Russia"). */
static void place_or_actor(ctx *c, const nm_ev_sfact *x, bool no_actor)
{
    bool act = no_actor && is_country(c, x);
    set_slot(c, act ? NM_SLOT_ACTOR : NM_SLOT_PLACE, x->f, false);
    if (act)
        c->actor = x->f;
}

/* "At X airport, ...", "In the Moscow region, ...": a place adverbial
 * that opens the sentence (after an opening quote) and ends at a comma. */
static const nm_ev_sfact *fronted_place(const ctx *c)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    size_t t = c->er->s0;
    while (t < c->ta && (c->doc->toks[t].flags & NM_TOK_PUNCT))
        t++;
    if (t >= c->ta || !(nm_ev_cuebits(c->er, t) & NM_EVC_PLACE))
        return NULL;
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        size_t a = x[i].ft, e = x[i].et;
        if (a <= t)
            continue;
        if (e >= c->ta || !placeable(&x[i]) || !words_only(c, t + 1, a, 1) || !tok_ch(c, e, ','))
            return NULL;
        return &x[i];
    }
    return NULL;
}

/* A place after "in"/"at" in the trigger's clause, before the next
 * trigger; else a place adverbial that opens the sentence.  A city,
 * region, facility or area is always the place; a state is the actor
 * when there is no other. */
static void find_place(ctx *c, bool no_actor)
{
    const nm_ev_sfact *x = facts(c, K_ENT);
    uint32_t limit = next_trigger(c);
    size_t k = c->tb; /* tokens [tb, k) hold no clause break */
    for (size_t i = 0; i < nfacts(c, K_ENT); i++) {
        if (x[i].start < c->b || x[i].f == c->actor || x[i].f == c->target)
            continue;
        size_t t = x[i].ft;
        if (x[i].start >= limit || t > c->tb + 6)
            break;
        bool clause_break = false; /* the entities come in order: t only grows */
        for (; k < t && !clause_break; k++)
            clause_break = tok_ch(c, k, ',') || tok_ch(c, k, ';') || tok_ch(c, k, ':');
        if (clause_break)
            break;
        if (placeable(&x[i]) && (before(c, &x[i]) & NM_EVC_PLACE)) {
            place_or_actor(c, &x[i], no_actor);
            return;
        }
    }
    const nm_ev_sfact *f = fronted_place(c);
    if (f && f->f != c->actor && f->f != c->target)
        place_or_actor(c, f, no_actor);
}

void nm_ev_slots(nm_ev_run *er, uint32_t s, const nm_ev *ev)
{
    const nm_doc *doc = er->doc;
    uint8_t type = ev->e->tid;
    bool dipl = type == NM_EVT_DIPLOMACY;
    ctx c = {er, doc, s, doc->toks[ev->t0].off,
             doc->toks[ev->t1 - 1].off + doc->toks[ev->t1 - 1].len, ev->t0, ev->t1, -1, -1, -1,
             dipl, dipl || type == NM_EVT_VISA_POLICY,
             type == NM_EVT_DEPORTATION || type == NM_EVT_ENFORCEMENT ||
                 type == NM_EVT_CITIZENSHIP,
             false, 0};
    int32_t actor = find_actor(&c, ev);
    find_target(&c);
    find_figure(&c);
    find_date(&c);
    find_place(&c, actor < 0);
    carry_actor(&c);
    if (c.actor >= 0) {
        er->prev_actor = c.actor;
        er->prev_sent = s + 1;
        er->prev_end = ev->t1;
    }
}
