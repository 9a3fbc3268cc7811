/* test_lexicon.c - the lexicon format (every error as file:line: message)
 * and the phrase matcher (longest match, whole words, case). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "matcher.h"

/* Loads one list from memory; returns the number of messages. */
static size_t load(nm_lexset *ls, const char *text)
{
    memset(ls, 0, sizeof *ls);
    nm_lexset_load_mem(ls, "t.lst", text, strlen(text));
    return ls->nmsgs;
}

/* The list has exactly one problem, at that line, saying that. */
static void expect_error(const char *text, unsigned line, const char *what)
{
    nm_lexset ls;
    size_t n = load(&ls, text);
    if (n != 1) {
        for (size_t i = 0; i < n; i++)
            print_message("  got: %s\n", ls.msgs[i]);
        fail_msg("want 1 message for %s, got %zu", what, n);
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t.lst:%u: ", line);
    if (strncmp(ls.msgs[0], prefix, strlen(prefix)) != 0 || !strstr(ls.msgs[0], what))
        fail_msg("want '%s...%s', got '%s'", prefix, what, ls.msgs[0]);
    nm_lexset_free(&ls);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("@kind ENTITY\n@type GPE\n@bogus x\n", 3, "unknown directive");
    expect_error("@kind THINGS\n", 1, "unknown kind");
    expect_error("@kind ENTITY\n@type GPE\nA\n@kind ENTITY\n", 4, "before the first entry");
    expect_error("@type GPE\n@kind ENTITY\n@type GPE\nA\n", 1, "before @kind");
    expect_error("@kind ENTITY\n@type CITY\n@type GPE\nA\n", 2, "unknown type");
    expect_error("@kind ENTITY\n@type GPE\nA\ttype=TOWN\n", 3, "unknown type");
    expect_error("@kind ENTITY\n@case maybe\n@type GPE\nA\n", 2, "@case");
    expect_error("A\n@kind ENTITY\n@type GPE\n", 1, "entry before @kind");
    expect_error("@kind ENTITY\n@type GPE\nA\tcanonical\n", 3, "not key=value");
    expect_error("@kind ENTITY\n@type GPE\nA\tCanon=B\n", 3, "bad attribute name");
    expect_error("@kind ENTITY\n@type GPE\nA\ta=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9\n", 3,
                 "too many attributes");
    expect_error("@kind NAMECUE\nword\n", 2, "needs the attribute 'class'");
    expect_error("@kind ENTITY\n\nA\n", 3, "has no type");
    expect_error("@kind ENTITY\n@type GPE\nA\xff\n", 3, "not valid UTF-8");
    expect_error("@kind ENTITY\n@type GPE\nCafe\xcc\x81\n", 3, "NFC");
    expect_error("@kind ENTITY\n@type GPE\nA\tcanonical=X\n\nA\tcanonical=Y\n", 5, "already at line 3");
    expect_error("# only a comment\n", 1, "no @kind");
    expect_error("@kind ENTITY\n@type GPE\n@attrs bad\nA\n", 3, "not key=value");
    expect_error("@kind ENTITY\n@type GPE\n\t\n  \t  x=1\n", 4, "empty surface");
}

static void test_directives(void **state)
{
    (void)state;
    nm_lexset ls;
    const char *text = "# comment\n@kind ENTITY\n@type ORG\n@case insensitive\n"
                       "@attrs country=Russia;iso=RU\nState Duma\tiso=RU-X\n"
                       "@case sensitive\n@attrs country=Kazakhstan\nMazhilis\ttype=ORG\n"
                       "Duma\tcanonical=State Duma\r\n";
    assert_int_equal(load(&ls, text), 0);
    const nm_lex_list *l = &ls.lists[0];
    assert_int_equal(l->n, 3);
    assert_true(l->entries[0].icase);
    assert_string_equal(nm_lex_attr(&l->entries[0], "country"), "Russia");
    assert_string_equal(nm_lex_attr(&l->entries[0], "iso"), "RU-X"); /* entry wins */
    assert_false(l->entries[1].icase);
    assert_string_equal(nm_lex_attr(&l->entries[1], "country"), "Kazakhstan");
    assert_null(nm_lex_attr(&l->entries[1], "iso"));
    assert_string_equal(l->entries[2].canonical, "State Duma");
    assert_string_equal(l->entries[2].surface, "Duma");
    assert_string_equal(l->entries[0].canonical, "State Duma");
    nm_lexset_free(&ls);
}

/* ---------------------------------------------------------------- matcher */

typedef struct fixture {
    nm_ctx *ctx;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(nm_ctx_new(NULL, &f->ctx), NM_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nm_ctx_free(f->ctx);
    free(f);
    return 0;
}

static nm_doc *doc_of(const fixture *f, const char *text)
{
    nm_doc *d = nm_doc_new("t", "t");
    nm_doc_set_raw(d, text, strlen(text));
    assert_int_equal(nm_run(d, f->ctx), NM_OK);
    return d;
}

/* Scans the whole document; writes "text=value|..." of every match. */
static void scan(const nm_matcher *m, const nm_doc *d, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t s = 0; s < d->nsents; s++) {
        size_t t = d->sents[s].tok, end = t + d->sents[s].ntok;
        while (t < end) {
            nm_match mt;
            size_t n = nm_matcher_longest(m, d, t, end, &mt);
            if (!n) {
                t++;
                continue;
            }
            uint32_t a = d->toks[t].off, b = d->toks[t + n - 1].off + d->toks[t + n - 1].len;
            size_t k = strlen(out);
            snprintf(out + k, cap - k, "%.*s=%s|", (int)(b - a), d->text + a, (const char *)mt.val);
            t += n;
        }
    }
}

static void test_matcher(void **state)
{
    fixture *f = *state;
    nm_matcher *m = nm_matcher_new();
    assert_true(nm_matcher_add(m, "Central Asia", false, "LOC"));
    assert_true(nm_matcher_add(m, "Central Asian", false, "NORP"));
    assert_true(nm_matcher_add(m, "Asia", false, "asia"));
    assert_true(nm_matcher_add(m, "Russian  Ministry of Defense", false, "ORG"));
    assert_true(nm_matcher_add(m, "Russian", false, "NORP"));
    assert_true(nm_matcher_add(m, "World Bank", true, "WB"));
    assert_true(nm_matcher_add(m, "St.Petersburg", false, "SPB1"));
    assert_true(nm_matcher_add(m, "St. Petersburg", false, "SPB2"));
    assert_true(nm_matcher_add(m, "Kassym-Jomart Tokayev", false, "KJT"));
    assert_true(nm_matcher_add(m, "Tajik", false, "old"));
    assert_true(nm_matcher_add(m, "Tajik", false, "TJ")); /* the later value wins */
    assert_true(nm_matcher_add(m, "Øresund", true, "ORE"));
    assert_false(nm_matcher_add(m, "   ", false, "empty"));
    assert_int_equal(nm_matcher_size(m), 11);
    char buf[1024];
    nm_doc *d = doc_of(f, "Central Asian and Central Asia, then the Russian  Ministry of "
                          "Defense and Russians. The world bank and the WORLD BANK. "
                          "St.Petersburg or St. Petersburg; Kassym-Jomart Tokayev met "
                          "Tajik-Russian and Tajikistan. ØRESUND. Asian Asia");
    scan(m, d, buf, sizeof buf);
    assert_string_equal(buf, "Central Asian=NORP|Central Asia=LOC|"
                             "Russian  Ministry of Defense=ORG|world bank=WB|WORLD BANK=WB|"
                             "St.Petersburg=SPB1|St. Petersburg=SPB2|Kassym-Jomart Tokayev=KJT|"
                             "Tajik=TJ|Russian=NORP|ØRESUND=ORE|Asia=asia|");
    nm_doc_free(d);
    nm_matcher_free(m);
}

static void test_matcher_sentence_limit(void **state)
{
    fixture *f = *state;
    nm_matcher *m = nm_matcher_new();
    nm_matcher_add(m, "Orda. Kz", false, "X");
    nm_matcher_add(m, "Orda", false, "O");
    char buf[256];
    nm_doc *d = doc_of(f, "He read Orda. Kz is a town.");
    scan(m, d, buf, sizeof buf);
    assert_string_equal(buf, "Orda=O|"); /* never across a sentence end */
    nm_doc_free(d);
    nm_matcher_free(m);
}

static void add_first(const char *s, size_t n, bool icase, void *arg)
{
    char *out = arg;
    size_t k = strlen(out);
    snprintf(out + k, 512 - k, "%.*s%s|", (int)n, s, icase ? "/i" : "");
}

/* First-token texts: prefixes up to a possible token end, before a space. */
static void test_matcher_first(void **state)
{
    (void)state;
    nm_matcher *m = nm_matcher_new();
    nm_matcher_add(m, "St.Petersburg", false, "SPB");
    nm_matcher_add(m, "World Bank", true, "WB");
    char buf[512] = "|";
    nm_matcher_each_first(m, add_first, buf);
    assert_non_null(strstr(buf, "|St|"));
    assert_non_null(strstr(buf, "|St.|"));
    assert_non_null(strstr(buf, "|St.Petersburg|"));
    assert_non_null(strstr(buf, "|world/i|"));
    assert_null(strstr(buf, "|Petersburg"));
    assert_null(strstr(buf, "world bank"));
    nm_matcher_free(m);
}

static void test_fold(void **state)
{
    (void)state;
    char buf[32];
    size_t n = nm_fold(buf, sizeof buf, "ÄbC Türkiye", strlen("ÄbC Türkiye"));
    assert_int_equal(n, strlen("äbc türkiye"));
    assert_memory_equal(buf, "äbc türkiye", n);
    assert_int_equal(nm_fold(buf, 2, "abc", 3), SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_directives),
        cmocka_unit_test(test_matcher_first),
        cmocka_unit_test(test_fold),
        cmocka_unit_test_setup_teardown(test_matcher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matcher_sentence_limit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
