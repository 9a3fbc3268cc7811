/* test_segment.c - paragraphs, sentences and tokens. */
#include "nm_test.h"


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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_no_break_before_lowercase_or_number_decimal),
        cmocka_unit_test(test_lines_and_paragraphs),
        cmocka_unit_test(test_hard_wrapped_text),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_non_ascii_tokens),
    };
    return cmocka_run_group_tests(tests, nm_test_setup, nm_test_teardown);
}
