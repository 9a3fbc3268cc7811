/* ctx.c - building the read-only context: lexicons, rules, digest. */
#include "stages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NM_LEXDIR
#define NM_LEXDIR "lexicons"
#endif

const char *nm_default_lexdir(void)
{
    const char *env = getenv("NEWSMINE_LEXICONS");
    return env && *env ? env : NM_LEXDIR;
}

static void add_abbrev(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    NM_UNUSED(l);
    nm_ctx *ctx = arg;
    const char *s = e->surface;
    size_t n = strlen(s);
    if (n && s[n - 1] == '.') /* "Dr." and "Dr" mean the same */
        n--;
    nm_hash_put(&ctx->abbrev, s, n, (void *)e);
}

static nm_status load_lexicons(nm_ctx *ctx)
{
    nm_status res = NM_OK;
    const char *def[] = {nm_default_lexdir(), NULL};
    const char *const *dirs = ctx->opt.lexicon_dirs ? ctx->opt.lexicon_dirs : def;
    for (size_t i = 0; dirs[i]; i++) {
        nm_status st = nm_lexset_load_dir(&ctx->lex, dirs[i]);
        if (st != NM_OK && res == NM_OK)
            res = st;
    }
    for (size_t i = 0; i < ctx->lex.nmsgs; i++)
        nm_ctx_msg(ctx, "%s", ctx->lex.msgs[i]);
    return res;
}

nm_status nm_ctx_new(const nm_options *opt, nm_ctx **out)
{
    nm_ctx *ctx = nm_xcalloc(1, sizeof *ctx);
    if (opt)
        ctx->opt = *opt;
    *out = ctx;
    nm_status res = load_lexicons(ctx);
    nm_lex_each(&ctx->lex, "ABBREVIATION", add_abbrev, ctx);
    char *rules = nm_xstrdup("newsmine-rules " NM_VERSION "\n");
    for (size_t i = 0; i < nm_extractor_count; i++) {
        const nm_extractor *x = &nm_extractors[i];
        size_t a = strlen(rules), b = strlen(x->rules);
        rules = nm_xrealloc(rules, a + b + 1);
        memcpy(rules + a, x->rules, b + 1);
        if (res != NM_OK && res != NM_E_LEXICON)
            continue;
        nm_status st = x->init(ctx);
        if (st != NM_OK && res == NM_OK)
            res = st;
    }
    nm_lexset_finish_digest(&ctx->lex, rules);
    free(rules);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        ctx->digest[2 * i] = hex[ctx->lex.digest[i] >> 4];
        ctx->digest[2 * i + 1] = hex[ctx->lex.digest[i] & 15];
    }
    ctx->digest[64] = '\0';
    return res;
}

void nm_ctx_free(nm_ctx *ctx)
{
    if (!ctx)
        return;
    for (size_t i = nm_extractor_count; i-- > 0;)
        nm_extractors[i].free(ctx);
    nm_hash_free(&ctx->abbrev);
    nm_lexset_free(&ctx->lex);
    for (size_t i = 0; i < ctx->nmsgs; i++)
        free(ctx->msgs[i]);
    free(ctx->msgs);
    free(ctx);
}

size_t nm_ctx_message_count(const nm_ctx *ctx) { return ctx->nmsgs; }
const char *nm_ctx_message(const nm_ctx *ctx, size_t i) { return ctx->msgs[i]; }
const char *nm_ctx_digest(const nm_ctx *ctx) { return ctx->digest; }
