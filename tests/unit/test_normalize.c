/* test_normalize.c - normalized text and the map back to raw offsets. */
#include "nm_test.h"

static nm_doc *norm(const char *raw, size_t n)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, raw, n);
    doc->stage = "normalize";
    nm_stage_normalize(doc, NULL);
    return doc;
}

static nm_doc *norm_s(const char *raw) { return norm(raw, strlen(raw)); }

static const char *find(const nm_doc *doc, const char *s)
{
    const char *p = strstr(doc->text, s);
    assert_non_null(p);
    return p;
}

/* Offsets of substring s of the normalized text, mapped to raw. */
static void raw_span(const nm_doc *doc, const char *s, uint64_t *a, uint64_t *b)
{
    uint32_t off = (uint32_t)(find(doc, s) - doc->text);
    *a = nm_doc_raw_start(doc, off);
    *b = nm_doc_raw_end(doc, off + (uint32_t)strlen(s));
}

static void test_ascii_fast_path(void **state)
{
    (void)state;
    nm_doc *doc = norm_s("Over 80,000 deportations.\n");
    assert_ptr_equal(doc->text, (const char *)doc->raw); /* aliased, not copied */
    assert_int_equal(doc->nmap, 1);
    uint64_t a, b;
    raw_span(doc, "80,000", &a, &b);
    assert_int_equal(a, 5);
    assert_int_equal(b, 11);
    assert_int_equal(nm_doc_diag_count(doc), 0);
    nm_doc_free(doc);
}

static void test_folded_characters(void **state)
{
    (void)state;
    /* ’ (3 bytes) “ ” — (3) NBSP (2) ZWSP (3) … (3) */
    const char *raw = "Kazakhstan\xE2\x80\x99s \xE2\x80\x9Cpatent\xE2\x80\x9D \xE2\x80\x94 "
                      "50\xC2\xA0" "000 zero\xE2\x80\x8Bwidth end\xE2\x80\xA6";
    nm_doc *doc = norm_s(raw);
    assert_string_equal(doc->text, "Kazakhstan's \"patent\" - 50 000 zerowidth end...");
    uint64_t a, b;
    raw_span(doc, "'s", &a, &b); /* the folded quote maps to its 3 raw bytes */
    assert_int_equal(a, 10);
    assert_int_equal(b, 14);
    raw_span(doc, "patent", &a, &b);
    assert_memory_equal(raw + a, "patent", 6);
    assert_int_equal(b - a, 6);
    raw_span(doc, "zerowidth", &a, &b); /* the dropped ZWSP stays inside the raw span */
    assert_memory_equal(raw + a, "zero\xE2\x80\x8Bwidth", b - a);
    raw_span(doc, "end...", &a, &b);
    assert_int_equal(b, strlen(raw));
    nm_doc_free(doc);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char raw[] = "ab\xFF" "cd\xC3" "ef";
    nm_doc *doc = norm(raw, sizeof raw - 1);
    assert_string_equal(doc->text, "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD" "ef");
    assert_int_equal(nm_doc_diag_count(doc), 2);
    assert_int_equal(nm_doc_diag(doc, 0)->code, NM_E_UTF8);
    assert_int_equal(nm_doc_diag(doc, 0)->severity, NM_SEV_WARNING);
    assert_int_equal(nm_doc_diag(doc, 0)->offset, 2);
    assert_int_equal(nm_doc_diag(doc, 1)->offset, 5);
    uint64_t a, b;
    raw_span(doc, "ef", &a, &b);
    assert_int_equal(a, 6);
    assert_int_equal(b, 8);
    raw_span(doc, "\xEF\xBF\xBD" "cd", &a, &b); /* U+FFFD maps to the one bad byte */
    assert_int_equal(a, 2);
    assert_int_equal(b, 5);
    assert_false(doc->failed);
    nm_doc_free(doc);
}

static void test_many_invalid_bytes_bounded_diags(void **state)
{
    (void)state;
    char raw[3000];
    memset(raw, 0xFF, sizeof raw);
    nm_doc *doc = norm(raw, sizeof raw);
    assert_true(nm_doc_diag_count(doc) <= 25);
    assert_int_equal(doc->text_len, 3 * sizeof raw);
    nm_doc_free(doc);
}

static void test_nfc(void **state)
{
    (void)state;
    const char *raw = "Cafe\xCC\x81 and Ko\xCC\x88ln.";  /* e + combining acute; o + diaeresis */
    nm_doc *doc = norm_s(raw);
    assert_string_equal(doc->text, "Caf\xC3\xA9 and K\xC3\xB6ln.");
    uint64_t a, b;
    raw_span(doc, "Caf\xC3\xA9", &a, &b);
    assert_int_equal(a, 0);
    assert_int_equal(b, 6); /* the whole decomposed é */
    raw_span(doc, "and", &a, &b);
    assert_int_equal(a, 7);
    raw_span(doc, "ln.", &a, &b);
    assert_int_equal(b, strlen(raw));
    nm_doc_free(doc);
}

static void test_already_nfc_not_changed(void **state)
{
    (void)state;
    const char *raw = "T\xC3\xBCrkiye and Almaty";
    nm_doc *doc = norm_s(raw);
    assert_string_equal(doc->text, raw);
    uint64_t a, b;
    raw_span(doc, "rkiye", &a, &b);
    assert_int_equal(a, 3);
    nm_doc_free(doc);
}

static void test_binary_and_empty(void **state)
{
    (void)state;
    nm_doc *doc = norm("PK\x03\x04\0\0bin", 9);
    assert_true(doc->failed);
    assert_int_equal(nm_doc_diag(doc, 0)->code, NM_E_BINARY);
    assert_int_equal(nm_doc_diag(doc, 0)->offset, 4);
    nm_doc_free(doc);
    doc = norm("", 0);
    assert_false(doc->failed);
    assert_int_equal(nm_doc_diag(doc, 0)->code, NM_E_EMPTY);
    assert_int_equal(doc->text_len, 0);
    nm_doc_free(doc);
}

static void test_control_characters(void **state)
{
    (void)state;
    nm_doc *doc = norm_s("a\x01" "b\tc\r\nd\x7F");
    assert_string_equal(doc->text, "a b\tc\r\nd ");
    assert_int_equal(nm_doc_diag(doc, 0)->code, NM_E_CONTROL);
    assert_int_equal(nm_doc_diag(doc, 0)->offset, 1);
    nm_doc_free(doc);
}

/* The eight-bytes-at-a-time ASCII check must see one odd byte anywhere. */
static void test_fast_path_misses_nothing(void **state)
{
    (void)state;
    static const char odd[] = {0x01, 0x7F, (char)0xC3, 0x1F, (char)0x80, 0x00};
    for (size_t k = 0; k < sizeof odd; k++) {
        for (size_t pos = 0; pos < 40; pos++) {
            char buf[41];
            memset(buf, 'a', 40);
            buf[40] = '\0';
            buf[pos] = odd[k];
            nm_doc *doc = norm(buf, 40);
            assert_ptr_not_equal(doc->text, (const char *)doc->raw); /* took the slow path */
            nm_doc_free(doc);
        }
    }
    char plain[64];
    memset(plain, 'b', sizeof plain);
    plain[10] = '\n';
    plain[20] = '\t';
    plain[30] = '\r';
    plain[40] = '~';
    plain[41] = ' ';
    nm_doc *doc = norm(plain, sizeof plain);
    assert_ptr_equal(doc->text, (const char *)doc->raw);
    nm_doc_free(doc);
}

/* Runs of NFC-stable characters (Cyrillic, Latin-1 letters) are copied as
 * they are; a character that NFC changes anywhere in a run still puts the
 * whole run through NFC: a combining mark, a second element that is a
 * starter (Oriya vowel signs), Hangul jamo. */
static void test_stable_runs_and_nfc(void **state)
{
    (void)state;
    const char *raw = "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xC3\xA9t\xC3\xA9";
    nm_doc *doc = norm_s(raw); /* Москва été */
    assert_string_equal(doc->text, raw);
    assert_int_equal(doc->nmap, 1);
    nm_doc_free(doc);
    doc = norm_s("\xD0\xB5\xCC\x88\xD0\xB6 x"); /* е + U+0308, ж: ёж */
    assert_string_equal(doc->text, "\xD1\x91\xD0\xB6 x");
    nm_doc_free(doc);
    doc = norm_s("a\xE0\xAD\x87\xE0\xAC\xBE b"); /* U+0B47 U+0B3E -> U+0B4B */
    assert_string_equal(doc->text, "a\xE0\xAD\x8B b");
    nm_doc_free(doc);
    doc = norm_s("\xE1\x84\x80\xE1\x85\xA1 \xEA\xB0\x80\xE1\x86\xA8."); /* jamo; LV + T */
    assert_string_equal(doc->text, "\xEA\xB0\x80 \xEA\xB0\x81.");
    nm_doc_free(doc);
    doc = norm_s("\xE2\x80\x9C\xD0\x94\xD0\xB0\xE2\x80\x9D \xE2\x80\x94 \xD0\xBD\xD0\xB5\xD1\x82");
    assert_string_equal(doc->text, "\"\xD0\x94\xD0\xB0\" - \xD0\xBD\xD0\xB5\xD1\x82");
    uint64_t a, b;
    raw_span(doc, "\xD0\x94\xD0\xB0", &a, &b); /* Да between folded quotes */
    assert_int_equal(a, 3);
    assert_int_equal(b, 7);
    nm_doc_free(doc);
}

/* The 64-byte block scan at every length and position: one odd byte (or a
 * TAB or CR, which are plain) anywhere, up to the end of the text. */
static void test_block_scan_every_position(void **state)
{
    (void)state;
    static const char odd[] = {0x01, (char)0xC3, '\t', '\r'};
    char buf[200];
    for (size_t n = 1; n <= sizeof buf; n += 7)
        for (size_t k = 0; k < sizeof odd; k++)
            for (size_t pos = 0; pos < n; pos++) {
                memset(buf, 'a', n);
                buf[pos] = odd[k];
                nm_doc *doc = norm(buf, n);
                bool plain = odd[k] == '\t' || odd[k] == '\r';
                assert_int_equal(doc->text == (const char *)doc->raw, plain);
                if (!plain) {
                    assert_int_equal(doc->text_len, odd[k] == 0x01 ? n : n + 2);
                    assert_int_equal(doc->text[pos], odd[k] == 0x01 ? ' ' : '\xEF');
                }
                nm_doc_free(doc);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_fast_path),
        cmocka_unit_test(test_folded_characters),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_many_invalid_bytes_bounded_diags),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_already_nfc_not_changed),
        cmocka_unit_test(test_binary_and_empty),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_fast_path_misses_nothing),
        cmocka_unit_test(test_stable_runs_and_nfc),
        cmocka_unit_test(test_block_scan_every_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
