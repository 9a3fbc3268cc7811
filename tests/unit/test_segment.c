/* test_segment.c - paragraphs, sentences and tokens. */
#include "nm_test.h"

/* White box: the pass itself, under another name, so that the tests can
 * choose its byte classifier (seg_simd) and call the classifiers. */
#define nm_stage_segment segment_white_box
#include "../../pipeline/segment.c"
#undef nm_stage_segment


static nm_doc *seg(const char *text)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, text, strlen(text));
    assert_int_equal(nm_stage_normalize(doc, ctx), NM_OK);
    assert_int_equal(nm_stage_segment(doc, ctx), NM_OK);
    return doc;
}

static void assert_sent(const nm_doc *doc, size_t i, const char *want)
{
    assert_true(i < doc->nsents);
    const nm_sent *s = &doc->sents[i];
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s", (int)s->len, doc->text + s->off);
    assert_string_equal(buf, want);
}

static void test_abbreviations(void **state)
{
    (void)state;
    nm_doc *doc = seg("Dr. Smith met U.S. officials on Jan. 5 in room No. 4. Then he left! "
                      "Did he? \"Yes.\" J. R. Doe agreed.");
    assert_int_equal(doc->nsents, 5);
    assert_sent(doc, 0, "Dr. Smith met U.S. officials on Jan. 5 in room No. 4.");
    assert_sent(doc, 1, "Then he left!");
    assert_sent(doc, 2, "Did he?");
    assert_sent(doc, 3, "\"Yes.\"");
    assert_sent(doc, 4, "J. R. Doe agreed.");
    nm_doc_free(doc);
}

static void test_no_break_before_lowercase_or_number_decimal(void **state)
{
    (void)state;
    nm_doc *doc = seg("It rose 5.8 percent. and then e.g. more.");
    assert_int_equal(doc->nsents, 1);
    nm_doc_free(doc);
}

static void test_lines_and_paragraphs(void **state)
{
    (void)state;
    nm_doc *doc = seg("Headline Without Stop\n- byline\n\nFirst paragraph. Second sentence.\n"
                      "Same paragraph line.\n\n\nNew paragraph");
    assert_int_equal(doc->nsents, 6);
    assert_sent(doc, 0, "Headline Without Stop");
    assert_sent(doc, 1, "- byline");
    assert_sent(doc, 3, "Second sentence.");
    assert_int_equal(doc->sents[0].para, 1);
    assert_int_equal(doc->sents[2].para, 2);
    assert_int_equal(doc->sents[4].para, 2);
    assert_int_equal(doc->sents[5].para, 3);
    nm_doc_free(doc);
}

static void test_hard_wrapped_text(void **state)
{
    (void)state;
    const char *text =
        "The company said on Tuesday that its quarterly profits were higher\n"
        "than a year earlier, helped by strong demand in export markets and\n"
        "lower costs. Analysts had expected a smaller rise in the profits of\n"
        "the group, which employs about five thousand people in four plants\n"
        "across the country and abroad, the statement from the firm said.\n"
        "Short last line.\n";
    nm_doc *doc = seg(text);
    assert_int_equal(doc->nsents, 3);
    assert_int_equal(doc->sents[0].len, strlen("The company said on Tuesday that its quarterly profits were higher\n"
                                               "than a year earlier, helped by strong demand in export markets and\n"
                                               "lower costs."));
    nm_doc_free(doc);
}

static void tok_is(const nm_doc *doc, size_t i, const char *want, uint32_t flags)
{
    assert_true(i < doc->ntoks);
    char buf[128];
    snprintf(buf, sizeof buf, "%.*s", (int)doc->toks[i].len, doc->text + doc->toks[i].off);
    assert_string_equal(buf, want);
    assert_int_equal(doc->toks[i].flags & flags, flags);
}

static void test_tokens(void **state)
{
    (void)state;
    nm_doc *doc = seg("Russia's U.S. visa-free O'Brien paid US$5.8 billion, 80,000 (18%).");
    tok_is(doc, 0, "Russia", NM_TOK_WORD | NM_TOK_CAP | NM_TOK_SSTART);
    tok_is(doc, 1, "'s", 0);
    tok_is(doc, 2, "U.S.", NM_TOK_WORD | NM_TOK_UPPER);
    tok_is(doc, 3, "visa", NM_TOK_WORD);
    tok_is(doc, 4, "-", NM_TOK_PUNCT);
    tok_is(doc, 5, "free", NM_TOK_WORD);
    tok_is(doc, 6, "O'Brien", NM_TOK_WORD | NM_TOK_CAP);
    tok_is(doc, 8, "US", NM_TOK_UPPER);
    tok_is(doc, 9, "$", NM_TOK_PUNCT);
    tok_is(doc, 10, "5.8", NM_TOK_NUM);
    tok_is(doc, 11, "billion", NM_TOK_WORD);
    tok_is(doc, 13, "80,000", NM_TOK_NUM);
    tok_is(doc, 15, "18", NM_TOK_NUM);
    tok_is(doc, 16, "%", NM_TOK_PUNCT);
    assert_false(doc->toks[6].flags & NM_TOK_SSTART);
    nm_doc_free(doc);
}

static void test_non_ascii_tokens(void **state)
{
    (void)state;
    nm_doc *doc = seg("\xC3\x9C" "berall in T\xC3\xBCrkiye \xE2\x82\xBD" "5");
    tok_is(doc, 0, "\xC3\x9C" "berall", NM_TOK_WORD | NM_TOK_CAP);
    tok_is(doc, 2, "T\xC3\xBCrkiye", NM_TOK_WORD | NM_TOK_CAP);
    tok_is(doc, 3, "\xE2\x82\xBD", NM_TOK_PUNCT);
    tok_is(doc, 4, "5", NM_TOK_NUM);
    nm_doc_free(doc);
}

/* A word of letters without case, or with a lower-case non-ASCII letter, is
 * not all capitals; one of upper-case letters only is, in any script. */
/* Token i is want, with exactly the case flags of flags (WORD, CAP, UPPER). */
static void case_is(const nm_doc *doc, size_t i, const char *want, uint32_t flags)
{
    tok_is(doc, i, want, flags);
    uint32_t cf = NM_TOK_WORD | NM_TOK_CAP | NM_TOK_UPPER;
    assert_int_equal(doc->toks[i].flags & cf, flags & cf);
}

static void test_non_ascii_case(void **state)
{
    (void)state;
    nm_doc *doc = seg("\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 " /* москва */
                      "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 " /* Москва */
                      "\xD0\x9C\xD0\x92\xD0\x94 "                               /* МВД */
                      "\xE4\xB8\xAD\xE5\x9B\xBD "                               /* 中国 */
                      "\xC3\x89" "COLE \xC3\x89" "cole");
    case_is(doc, 0, "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", NM_TOK_WORD);
    case_is(doc, 1, "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
           NM_TOK_WORD | NM_TOK_CAP);
    case_is(doc, 2, "\xD0\x9C\xD0\x92\xD0\x94", NM_TOK_WORD | NM_TOK_CAP | NM_TOK_UPPER);
    case_is(doc, 3, "\xE4\xB8\xAD\xE5\x9B\xBD", NM_TOK_WORD);
    case_is(doc, 4, "\xC3\x89" "COLE", NM_TOK_WORD | NM_TOK_CAP | NM_TOK_UPPER);
    case_is(doc, 5, "\xC3\x89" "cole", NM_TOK_WORD | NM_TOK_CAP);
    nm_doc_free(doc);
}

/* A non-ASCII initial does not end a sentence, and an abbreviation is the
 * whole word before the period, not its ASCII tail. */
static void test_non_ascii_initials_and_abbreviations(void **state)
{
    (void)state;
    nm_doc *doc = seg("\xD0\x92. \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD met \xC3\x96. "
                      "Y\xC4\xB1lmaz today. Then they left.");
    assert_int_equal(doc->nsents, 2);
    assert_sent(doc, 1, "Then they left.");
    nm_doc_free(doc);
    /* "No" is an abbreviation; "\xC3\xA1No" is not: the sentence ends there */
    doc = seg("He said \xC3\xA1No. Then he left.");
    assert_int_equal(doc->nsents, 2);
    assert_sent(doc, 1, "Then he left.");
    nm_doc_free(doc);
    doc = seg("He said No. 5 won.");
    assert_int_equal(doc->nsents, 1);
    nm_doc_free(doc);
}

/* ------------------------------------------------ the fast path's masks */

static uint64_t rnd_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void) /* xorshift64 */
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* The classifiers there are, by seg_simd level (0 portable, 1 SSE2, 2 AVX2). */
static seg_classify_fn classifier(int level)
{
#if defined(HAVE_CLASSIFY_AVX2)
    if (level == 2)
        return __builtin_cpu_supports("avx2") ? classify64_avx2 : NULL;
#endif
#if defined(HAVE_CLASSIFY_SSE2)
    if (level == 1)
        return classify64_sse2;
#endif
    return level == 0 ? classify64_bytes : NULL;
}

static void test_classifiers_agree(void **state)
{
    (void)state;
    static const char some[] = "aZ09 \t\n\r\v\f.,!?'\"-$%()\x7F\x01\xC3\xA9\xE2\x82\xAC\x80\xBF\xFF";
    for (int round = 0; round < 20000; round++) {
        char buf[64];
        for (size_t b = 0; b < sizeof buf; b++) /* all bytes, and the interesting ones often */
            buf[b] = (char)(rnd() % 3 ? some[rnd() % (sizeof some - 1)] : (char)rnd());
        seg_masks want;
        classify64_bytes(buf, &want);
        for (int level = 1; level <= 2; level++) {
            seg_classify_fn f = classifier(level);
            if (!f)
                continue;
            seg_masks got;
            f(buf, &got);
            assert_memory_equal(&got, &want, sizeof want);
        }
    }
}

/* Random text made of the things the rules are about, for the passes of
 * each level to agree on. */
static size_t random_text(char *out, size_t cap)
{
    static const char *const parts[] = {
        "word", "Word", "IBM", "U.S.", "e.g.", "J.", "Dr.", "O'Brien", "Russia's", "don't", "5.8",
        "80,000", "1987", "5bn", "5bn5", "3G", "G7", "a5b", "\xC3\x9C" "berall", "T\xC3\xBCrkiye",
        "\xE2\x82\xBD", "5", ".", "!", "?", ",", "'", "\"", "(", ")", "-", "$", "%", "...",
        "x", "I", " ", " ", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\n  ", " \n",
        "averyveryveryveryveryveryveryveryveryveryveryveryveryverylongwordindeed", "\x80", "\x7F",
    };
    size_t n = 0;
    while (n + 80 < cap) {
        const char *p = parts[rnd() % (sizeof parts / sizeof *parts)];
        size_t l = strlen(p);
        memcpy(out + n, p, l);
        n += l;
        if (rnd() % 3)
            out[n++] = rnd() % 9 ? ' ' : '\n';
    }
    out[n] = '\0';
    return n;
}

static nm_doc *seg_level(const char *text, size_t len, int level)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, text, len);
    assert_int_equal(nm_stage_normalize(doc, ctx), NM_OK);
    seg_simd = level;
    assert_int_equal(segment_white_box(doc, ctx), NM_OK);
    seg_simd = -1;
    return doc;
}

static void test_levels_agree(void **state)
{
    (void)state;
    static char text[4096];
    for (int round = 0; round < 300; round++) {
        size_t len = random_text(text, 200 + rnd() % (sizeof text - 200));
        nm_doc *want = seg_level(text, len, 0);
        /* the pass of the library (the best level) */
        nm_doc *lib = nm_doc_new("t", "t.txt");
        nm_doc_set_raw(lib, text, len);
        assert_int_equal(nm_stage_normalize(lib, ctx), NM_OK);
        assert_int_equal(nm_stage_segment(lib, ctx), NM_OK);
        for (int level = 1; level <= 3; level++) {
            nm_doc *got = level == 3 ? lib : classifier(level) ? seg_level(text, len, level) : NULL;
            if (!got)
                continue;
            assert_int_equal(got->ntoks, want->ntoks);
            assert_int_equal(got->nsents, want->nsents);
            assert_memory_equal(got->toks, want->toks, want->ntoks * sizeof *want->toks);
            assert_memory_equal(got->sents, want->sents, want->nsents * sizeof *want->sents);
            if (got != lib)
                nm_doc_free(got);
        }
        nm_doc_free(lib);
        nm_doc_free(want);
    }
}

static void test_fast_path_rules(void **state)
{
    (void)state;
    /* The same text through each level: numbers, acronyms, possessives,
     * capitals, and a long word across windows. */
    const char *text = "IBM and G7 paid 5bn5 or 1987 (5.8%), Russia's U.S. unit; "
                       "averyveryveryveryveryveryveryveryveryveryveryveryveryverylongword X.\n"
                       "Next line 80,000 \xC3\x9C" "ber.";
    for (int level = 0; level <= 2; level++) {
        if (!classifier(level))
            continue;
        nm_doc *doc = seg_level(text, strlen(text), level);
        tok_is(doc, 0, "IBM", NM_TOK_WORD | NM_TOK_CAP | NM_TOK_UPPER);
        tok_is(doc, 2, "G7", NM_TOK_WORD | NM_TOK_CAP | NM_TOK_UPPER);
        tok_is(doc, 4, "5bn", NM_TOK_NUM);
        tok_is(doc, 5, "5", NM_TOK_NUM);
        tok_is(doc, 7, "1987", NM_TOK_NUM);
        tok_is(doc, 9, "5.8", NM_TOK_NUM);
        tok_is(doc, 13, "Russia", NM_TOK_WORD | NM_TOK_CAP);
        tok_is(doc, 14, "'s", NM_TOK_PUNCT);
        tok_is(doc, 15, "U.S.", NM_TOK_WORD | NM_TOK_UPPER);
        assert_false(doc->toks[13].flags & NM_TOK_UPPER);
        assert_int_equal(doc->toks[18].len, 65);
        tok_is(doc, 19, "X", NM_TOK_WORD | NM_TOK_CAP);
        tok_is(doc, 21, "Next", NM_TOK_WORD | NM_TOK_SSTART);
        tok_is(doc, 23, "80,000", NM_TOK_NUM);
        tok_is(doc, 24, "\xC3\x9C" "ber", NM_TOK_WORD | NM_TOK_CAP);
        assert_int_equal(doc->nsents, 2);
        nm_doc_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_no_break_before_lowercase_or_number_decimal),
        cmocka_unit_test(test_lines_and_paragraphs),
        cmocka_unit_test(test_hard_wrapped_text),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_non_ascii_tokens),
        cmocka_unit_test(test_non_ascii_case),
        cmocka_unit_test(test_non_ascii_initials_and_abbreviations),
        cmocka_unit_test(test_classifiers_agree),
        cmocka_unit_test(test_levels_agree),
        cmocka_unit_test(test_fast_path_rules),
    };
    return cmocka_run_group_tests(tests, nm_test_setup, nm_test_teardown);
}
