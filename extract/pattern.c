/* pattern.c - PCRE2 wrapper with limits. */
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nm_match_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
};

nm_status nm_pattern_compile(nm_pattern *p, const char *id, const char *src, uint32_t opts,
                             char *err, size_t errlen)
{
    int ec;
    PCRE2_SIZE eo;
    p->id = id;
    p->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_NO_UTF_CHECK | opts,
                            &ec, &eo, NULL);
    if (!p->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(err, errlen, "rule %s: offset %zu: %s", id, (size_t)eo, (const char *)msg);
        return NM_E_RULE;
    }
    /* falls back to the interpreter where JIT is not available */
    p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
    p->anchored = (opts & PCRE2_ANCHORED) != 0;
    pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &p->ncap);
    return NM_OK;
}

void nm_pattern_free(nm_pattern *p)
{
    pcre2_code_free(p->code);
    p->code = NULL;
}

static nm_match_scratch *scratch(nm_doc *doc)
{
    if (!doc->scratch) {
        nm_match_scratch *s = nm_xcalloc(1, sizeof *s);
        s->md = pcre2_match_data_create(32, NULL);
        s->mctx = pcre2_match_context_create(NULL);
        if (!s->md || !s->mctx) {
            fputs("newsmine: out of memory\n", stderr);
            abort();
        }
        pcre2_set_match_limit(s->mctx, NM_MATCH_LIMIT);
        pcre2_set_depth_limit(s->mctx, NM_DEPTH_LIMIT);
        doc->scratch = s;
    }
    return doc->scratch;
}

void nm_match_scratch_free(nm_match_scratch *s)
{
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    free(s);
}

static int run(const nm_pattern *p, nm_doc *doc, size_t start, uint32_t flags, size_t *ov,
               size_t nov)
{
    nm_match_scratch *s = scratch(doc);
    /* The text is valid UTF-8 (normalize made it so), and JIT matching
     * honours the match limit of the context. */
    int rc = p->jit && !(flags & PCRE2_ANCHORED)
                 ? pcre2_jit_match(p->code, (PCRE2_SPTR)doc->text, doc->text_len, start,
                                   flags | PCRE2_NO_UTF_CHECK, s->md, s->mctx)
                 : pcre2_match(p->code, (PCRE2_SPTR)doc->text, doc->text_len, start,
                               flags | PCRE2_NO_UTF_CHECK, s->md, s->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(rc, msg, sizeof msg);
        nm_diag_add(doc, NM_E_LIMIT, NM_SEV_WARNING, nm_doc_raw_start(doc, (uint32_t)start),
                    "rule %s stopped: %s", p->id, (const char *)msg);
        return -1;
    }
    PCRE2_SIZE *v = pcre2_get_ovector_pointer(s->md);
    uint32_t n = pcre2_get_ovector_count(s->md);
    for (size_t i = 0; i < nov; i++) {
        bool set = i < n && i < (size_t)rc && v[2 * i] != PCRE2_UNSET;
        ov[2 * i] = set ? v[2 * i] : SIZE_MAX;
        ov[2 * i + 1] = set ? v[2 * i + 1] : SIZE_MAX;
    }
    return 1;
}

int nm_pattern_find(const nm_pattern *p, nm_doc *doc, size_t start, size_t *ov, size_t nov)
{
    if (start > doc->text_len)
        return 0;
    return run(p, doc, start, 0, ov, nov);
}

int nm_pattern_at(const nm_pattern *p, nm_doc *doc, size_t pos, size_t *ov, size_t nov)
{
    if (pos > doc->text_len)
        return 0;
    return run(p, doc, pos, p->anchored ? 0 : PCRE2_ANCHORED, ov, nov);
}
