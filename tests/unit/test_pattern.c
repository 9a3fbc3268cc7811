/* test_pattern.c - PCRE2 patterns run with match and depth limits: a
 * pattern that would backtrack for ever stops with an NM-104 diagnostic. */
#include "nm_test.h"
#include "pattern.h"

static nm_doc *text_doc(const char *s)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, s, strlen(s));
    doc->stage = "normalize";
    assert_int_equal(nm_stage_normalize(doc, NULL), NM_OK);
    doc->stage = "extract";
    return doc;
}

static void test_match_and_offsets(void **state)
{
    (void)state;
    nm_pattern p;
    char err[200];
    assert_int_equal(nm_pattern_compile(&p, "t.num", "[0-9]+", 0, err, sizeof err), NM_OK);
    nm_doc *doc = text_doc("ab 123 cd 45");
    size_t ov[2];
    assert_int_equal(nm_pattern_find(&p, doc, 0, ov, 1), 1);
    assert_int_equal(ov[0], 3);
    assert_int_equal(ov[1], 6);
    assert_int_equal(nm_pattern_find(&p, doc, 6, ov, 1), 1);
    assert_int_equal(ov[0], 10);
    assert_int_equal(nm_pattern_at(&p, doc, 0, ov, 1), 0); /* anchored: no digit at 0 */
    assert_int_equal(nm_pattern_find(&p, doc, 12, ov, 1), 0);
    nm_doc_free(doc);
    nm_pattern_free(&p);
}

static void test_limit_is_a_diagnostic(void **state)
{
    (void)state;
    nm_pattern p;
    char err[200];
    /* nested quantifiers: exponential backtracking on a near miss */
    assert_int_equal(nm_pattern_compile(&p, "t.evil", "^(a+)+$", 0, err, sizeof err), NM_OK);
    char text[64];
    memset(text, 'a', 40);
    strcpy(text + 40, "b");
    nm_doc *doc = text_doc(text);
    size_t ov[2];
    assert_int_equal(nm_pattern_find(&p, doc, 0, ov, 1), -1);
    assert_int_equal(nm_doc_diag_count(doc), 1);
    const nm_diag *d = nm_doc_diag(doc, 0);
    assert_int_equal(d->code, NM_E_LIMIT);
    assert_string_equal(d->stage, "extract");
    assert_non_null(strstr(d->msg, "t.evil"));
    assert_false(doc->failed); /* a warning: the document still gets its record */
    nm_doc_free(doc);
    nm_pattern_free(&p);
}

static void test_bad_pattern_named(void **state)
{
    (void)state;
    nm_pattern p;
    char err[200];
    assert_int_equal(nm_pattern_compile(&p, "t.broken", "(unclosed", 0, err, sizeof err), NM_E_RULE);
    assert_non_null(strstr(err, "t.broken"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_and_offsets),
        cmocka_unit_test(test_limit_is_a_diagnostic),
        cmocka_unit_test(test_bad_pattern_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
