/* events_modality.c - reported, negated, planned or hypothetical.
 *
 * The closest modality cue before the trigger decides, looking back to the
 * start of its clause (a comma, semicolon, colon, bracket, dash or a
 * clause word such as "but" ends the look-back) and at most WINDOW tokens;
 * a negation counts only within NEG_WINDOW tokens ("lacks a patent
 * system", "has not joined").  A hedge that opens the sentence ("According
 * to X, ...", "Reportedly, ...") reaches across the comma.  A plainly
 * quoted statement stays asserted: "X said" is no cue.
 */
#include "events.h"

#define WINDOW 16
#define NEG_WINDOW 4

static bool clause_end(const nm_doc *doc, size_t t)
{
    const nm_tok *k = &doc->toks[t];
    if (!(k->flags & NM_TOK_PUNCT) || k->len != 1)
        return false;
    char ch = doc->text[k->off];
    if (ch == '-') /* a hyphen inside a word is no dash */
        return !(t > 0 && doc->toks[t - 1].off + doc->toks[t - 1].len == k->off);
    return ch == ',' || ch == ';' || ch == ':' || ch == '(' || ch == ')' || ch == '"';
}

static uint8_t modality_of(uint32_t bits, size_t dist)
{
    if (bits & NM_EVC_HYPOTHETICAL)
        return NM_MOD_HYPOTHETICAL;
    if (bits & NM_EVC_PLANNED)
        return NM_MOD_PLANNED;
    if ((bits & NM_EVC_NEGATED) && dist <= NEG_WINDOW)
        return NM_MOD_NEGATED;
    if (bits & NM_EVC_REPORTED)
        return NM_MOD_REPORTED;
    return NM_MOD_ASSERTED;
}

uint8_t nm_ev_modality(const nm_ev_run *er, uint32_t s, const nm_ev *ev)
{
    NM_UNUSED(s);
    const nm_doc *doc = er->doc;
    const uint32_t cues = NM_EVC_HYPOTHETICAL | NM_EVC_PLANNED | NM_EVC_NEGATED | NM_EVC_REPORTED;
    for (size_t t = ev->t0, dist = 1; t-- > er->s0 && dist <= WINDOW; dist++) {
        uint32_t bits = nm_ev_cuebits(er, t);
        if (bits & cues) {
            uint8_t m = modality_of(bits, dist);
            if (m != NM_MOD_ASSERTED)
                return m;
        }
        if ((bits & NM_EVC_CLAUSE) || clause_end(doc, t))
            break;
    }
    if (er->s0 < ev->t0 && (nm_ev_cuebits(er, er->s0) & NM_EVC_REPORTED))
        return NM_MOD_REPORTED;
    return NM_MOD_ASSERTED;
}
