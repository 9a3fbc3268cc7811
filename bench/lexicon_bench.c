/* lexicon_bench.c - start-up time and throughput of the lexicon matcher.
 *
 *   build/bench/lexicon_bench [N...]     (default: 1000 200000)
 *
 * For each N it writes a synthetic ENTITY list of N entries (1-4 made-up
 * words each, a tenth case-insensitive) to a temporary directory, then
 * measures start-up (parse the list with the lexicon loader and compile it
 * into the matcher) and throughput (longest match at every token of a
 * 4 MB text of made-up words in which 1 % of the phrases are entries).
 * The point: throughput must not depend on N.  Prints "bench:" lines.
 */
#include "extract.h"
#include "matcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A made-up capitalized word from a number (3-5 syllables); filler words
 * come from other syllables, so they never match an entry. */
static void word_from(uint64_t x, char *out, const char *const *syl)
{
    int n = 3 + (int)(x % 3);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *s = syl[(x >> (4 + 4 * i)) & 15];
        memcpy(out + k, s, strlen(s));
        k += strlen(s);
    }
    out[0] = (char)(out[0] - 32);
    out[k] = '\0';
}

static void word(uint64_t x, char *out)
{
    static const char *const syl[] = {"ka", "zan", "tor", "mi", "lo", "bek", "sha", "rus",
                                      "dar", "vo", "nel", "tis", "gul", "pa", "ye", "ov"};
    word_from(x, out, syl);
}

static void filler(uint64_t x, char *out)
{
    static const char *const syl[] = {"qu", "xe", "wi", "fy", "jo", "hu", "cre", "bli",
                                      "sno", "gra", "plu", "twe", "fro", "dwi", "sku", "vle"};
    word_from(x, out, syl);
}

static void phrase(size_t i, char *out)
{
    uint64_t s = 0x9E3779B97F4A7C15ULL ^ (i * 0x100000001B3ULL);
    int n = 1 + (int)(rng_next(&s) % 4);
    out[0] = '\0';
    for (int w = 0; w < n; w++) {
        char buf[32];
        word(rng_next(&s), buf);
        if (w)
            strcat(out, " ");
        strcat(out, buf);
    }
}

static char *make_text(size_t n, size_t bytes)
{
    char *t = nm_xmalloc(bytes + 256);
    size_t k = 0;
    uint64_t s = 12345;
    while (k < bytes) {
        char buf[160];
        if (rng_next(&s) % 100 == 0)
            phrase(rng_next(&s) % n, buf);
        else
            filler(rng_next(&s), buf);
        size_t L = strlen(buf);
        memcpy(t + k, buf, L);
        k += L;
        t[k++] = rng_next(&s) % 12 == 0 ? '.' : ' ';
        if (t[k - 1] == '.')
            t[k++] = ' ';
    }
    t[k] = '\0';
    return t;
}

static void add(const nm_lex_list *l, const nm_lex_entry *e, void *arg)
{
    NM_UNUSED(l);
    nm_matcher_add(arg, e->surface, e->icase, e);
}

static int run(size_t n)
{
    char dir[] = "/tmp/nm-lexbench-XXXXXX", path[256];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/synthetic.lst", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    fprintf(f, "@kind ENTITY\n@type ORG\n@source synthetic (lexicon_bench)\n");
    for (size_t i = 0; i < n; i++) {
        char buf[160];
        phrase(i, buf);
        if (i % 10 == 0)
            fprintf(f, "@case insensitive\n%s\tcanonical=E%zu\n@case sensitive\n", buf, i);
        else
            fprintf(f, "%s\tcanonical=E%zu\n", buf, i);
    }
    fclose(f);

    nm_options opt;
    memset(&opt, 0, sizeof opt);
    double t0 = now();
    nm_lexset ls;
    memset(&ls, 0, sizeof ls);
    nm_lexset_load_dir(&ls, dir); /* duplicates with other canonicals are reported, fine */
    nm_matcher *m = nm_matcher_new();
    nm_lex_each(&ls, "ENTITY", add, m);
    double t1 = now();

    const char *dirs[] = {dir, NULL};
    opt.lexicon_dirs = dirs;
    nm_ctx *ctx = NULL;
    nm_ctx_new(&opt, &ctx); /* segmentation needs a context */
    size_t bytes = 4u << 20;
    char *text = make_text(n, bytes);
    nm_doc *doc = nm_doc_new("bench", "bench");
    nm_doc_set_raw(doc, text, strlen(text));
    nm_run(doc, ctx);
    double best = 1e9;
    size_t hits = 0;
    for (int rep = 0; rep < 3; rep++) {
        double a = now();
        hits = 0;
        for (size_t s = 0; s < doc->nsents; s++) {
            size_t t = doc->sents[s].tok, end = t + doc->sents[s].ntok;
            while (t < end) {
                nm_match mt;
                size_t k = nm_matcher_longest(m, doc, t, end, &mt);
                hits += k > 0;
                t += k ? k : 1;
            }
        }
        double d = now() - a;
        if (d < best)
            best = d;
    }
    printf("bench: %zu entries (%zu keys): start-up %.3f s (parse + compile); "
           "match %.1f MB/s, %.1f M tokens/s over %zu tokens, %zu matches\n",
           n, nm_matcher_size(m), t1 - t0, (double)doc->text_len / best / 1e6,
           (double)doc->ntoks / best / 1e6, doc->ntoks, hits);
    nm_doc_free(doc);
    free(text);
    nm_ctx_free(ctx);
    nm_matcher_free(m);
    nm_lexset_free(&ls);
    unlink(path);
    rmdir(dir);
    return 0;
}

int main(int argc, char **argv)
{
    size_t def[] = {1000, 200000};
    if (argc < 2) {
        for (size_t i = 0; i < 2; i++)
            if (run(def[i]))
                return 1;
        return 0;
    }
    for (int i = 1; i < argc; i++)
        if (run((size_t)strtoull(argv[i], NULL, 10)))
            return 1;
    return 0;
}
