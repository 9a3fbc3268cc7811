/* test_html.c - unit tests for pipeline/html: article text without
 * scripts, styles, navigation, headers, footers and link lists; title;
 * dates from meta tags, JSON-LD and <time>; broken HTML; no entity
 * expansion (billion laughs, XXE); the depth limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static nm_html_text extract(const char *html)
{
    nm_html_text t;
    assert_int_equal(nm_html_extract(html, strlen(html), 0, &t), NM_OK);
    assert_non_null(t.text);
    assert_int_equal(strlen(t.text), t.len);
    return t;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

static const char page[] =
    "<!DOCTYPE html><html><head><title>Acme buys Widget | Site</title>"
    "<meta property=\"og:title\" content=\"Acme buys Widget\">"
    "<meta property=\"article:published_time\" content=\"2024-03-05T10:00:00Z\">"
    "<style>p { color: red }</style><script>var tracker = 'SCRIPT';</script></head>"
    "<body><header><a href=\"/\">HEADER</a></header>"
    "<nav><ul><li><a href=\"/\">NAVLINK</a></li></ul></nav>"
    "<article><h1>Acme buys Widget</h1>"
    "<p>Acme   said on\n Tuesday it would buy <b>Widget</b> for $2 billion.</p>"
    "<ul><li><a href=\"/r1\">RELATED one</a></li><li><a href=\"/r2\">RELATED two</a></li></ul>"
    "<ul><li>Revenue rose 5%.</li><li>Costs fell.</li></ul>"
    "<aside>ASIDE</aside><noscript>NOSCRIPT</noscript>"
    "<p>Shares rose 3.5%.</p></article>"
    "<footer>FOOTER</footer><script>SCRIPT2()</script></body></html>";

static void test_article_text(void **state)
{
    (void)state;
    nm_html_text t = extract(page);
    assert_string_equal(t.text, "Acme buys Widget\n\n"
                                "Acme said on Tuesday it would buy Widget for $2 billion.\n\n"
                                "Revenue rose 5%.\nCosts fell.\n\n"
                                "Shares rose 3.5%.\n");
    const char *gone[] = {"SCRIPT", "color", "HEADER", "NAVLINK", "RELATED", "ASIDE",
                          "NOSCRIPT", "FOOTER"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        assert_lacks(t.text, gone[i]);
    assert_string_equal(t.title, "Acme buys Widget");
    assert_string_equal(t.date, "2024-03-05");
    assert_string_equal(t.date_from, "article:published_time");
    assert_false(t.depth_cut);
    nm_html_text_free(&t);
}

static void test_no_article_uses_body(void **state)
{
    (void)state;
    nm_html_text t = extract("<html><head><title> A  title </title></head><body>"
                             "<div role=\"navigation\">MENU</div><p>First.</p>"
                             "<div>Second<br>line</div><p hidden>HIDDEN</p></body></html>");
    assert_string_equal(t.text, "A title\n\nFirst.\n\nSecond\nline\n");
    assert_string_equal(t.title, "A title");
    assert_string_equal(t.date, "");
    assert_null(t.date_from);
    nm_html_text_free(&t);
}

static void test_largest_article_and_article_body(void **state)
{
    (void)state;
    nm_html_text t = extract("<body><article><p>Teaser.</p></article>"
                             "<article><p>The long story is here, with more words.</p></article>"
                             "</body>");
    assert_string_equal(t.text, "The long story is here, with more words.\n");
    nm_html_text_free(&t);
    t = extract("<body><article><p>Outer teaser text that is long enough to win.</p>"
                "<div itemprop=\"articleBody\"><p>Body only.</p></div></article></body>");
    assert_string_equal(t.text, "Body only.\n");
    nm_html_text_free(&t);
}

static void test_jsonld_date(void **state)
{
    (void)state;
    nm_html_text t = extract(
        "<html><head><script type=\"application/ld+json\">{\"@graph\": [{\"@type\": "
        "\"NewsArticle\", \"datePublished\" :\n \"2023-11-02T08:00:00+01:00\"}]}</script>"
        "<meta name=\"date\" content=\"2001-01-01\"></head>"
        "<body><p>Text <time datetime=\"2020-01-01\">then</time>.</p></body></html>");
    assert_string_equal(t.date, "2023-11-02");
    assert_string_equal(t.date_from, "json-ld datePublished");
    assert_lacks(t.text, "NewsArticle");
    assert_string_equal(t.text, "Text then.\n");
    nm_html_text_free(&t);
}

static void test_time_and_itemprop_dates(void **state)
{
    (void)state;
    nm_html_text t = extract("<body><p>On <time datetime=\"2022-07-14T09:00\">Thursday</time>"
                             " it rained.</p><meta name=\"date\" content=\"2001-01-01\"></body>");
    assert_string_equal(t.date, "2022-07-14");
    assert_string_equal(t.date_from, "time datetime");
    nm_html_text_free(&t);
    t = extract("<body><span itemprop=\"datePublished\" content=\"2021-02\">Feb</span>"
                "<time datetime=\"2020-01-01\">x</time></body>");
    assert_string_equal(t.date, "2021-02");
    assert_string_equal(t.date_from, "itemprop datePublished");
    nm_html_text_free(&t);
    t = extract("<body><time datetime=\"2022-13-45\">bad</time><p>x</p></body>");
    assert_string_equal(t.date, ""); /* malformed dates are not taken */
    nm_html_text_free(&t);
}

static void test_parse_date(void **state)
{
    (void)state;
    char d[11];
    assert_true(nm_html_parse_date("2024-02-29T23:59:59Z", d));
    assert_string_equal(d, "2024-02-29");
    assert_true(nm_html_parse_date(" 2024-02", d));
    assert_string_equal(d, "2024-02");
    assert_false(nm_html_parse_date("2024-02-30", d));
    assert_false(nm_html_parse_date("20240201", d));
    assert_false(nm_html_parse_date("March 5, 2024", d));
    assert_false(nm_html_parse_date("", d));
}

/* Broken HTML is read as browsers do: unclosed tags, stray end tags, a
 * table without rows closed, an unterminated script, bytes that are not
 * UTF-8. */
static void test_broken_html(void **state)
{
    (void)state;
    nm_html_text t = extract("<p>unclosed <b>bold <i>italic<p>next</i></b></div></span>"
                             "<table><tr><td>c1<td>c2</table><p>caf\xe9 &amp; &eacute;t&eacute;"
                             "<script>alert('x')");
    assert_string_equal(t.text, "unclosed bold italic\n\nnext\n\nc1 c2\n\ncaf\xc3\xa9 & \xc3\xa9t\xc3\xa9\n");
    nm_html_text_free(&t);
    /* declared UTF-8 with a bad byte: the rest is still read */
    t = extract("<meta charset=\"utf-8\"><p>caf\xe9 ok</p><p>after</p>");
    assert_has(t.text, " ok\n\nafter\n");
    nm_html_text_free(&t);
    const char *junk[] = {"", "<", "<<<>>>", "</p></p>", "<!--", "<html", "\0\0\0", "<?xml?>"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        nm_html_text_free(&t);
        assert_int_equal(nm_html_extract(junk[i], i == 6 ? 3 : strlen(junk[i]), 0, &t), NM_OK);
        assert_non_null(t.text);
    }
    nm_html_text_free(&t);
}

/* Entities declared in a DTD are never expanded, external ones never
 * fetched: no billion laughs, no XXE. */
static void test_no_entity_expansion(void **state)
{
    (void)state;
    nm_html_text t = extract(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
        " <!ENTITY % remote SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %remote;\n]>\n"
        "<html><body><p>Start &lol3; middle &xxe; end</p></body></html>");
    assert_has(t.text, "Start &lol3; middle &xxe; end");
    assert_lacks(t.text, "lollol");
    assert_lacks(t.text, "root:");
    assert_true(t.len < 1000);
    nm_html_text_free(&t);
}

static char *append(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n + 1);
    return p + n;
}

static char *nested(int depth, const char *inner)
{
    size_t n = (size_t)depth * 11 + strlen(inner) + 64;
    char *s = malloc(n), *p = s;
    p = append(p, "<body><p>before</p>");
    for (int i = 0; i < depth; i++)
        p = append(p, "<div>");
    p = append(p, inner);
    for (int i = 0; i < depth; i++)
        p = append(p, "</div>");
    append(p, "</body>");
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    char *s = nested(50, "shallow");
    nm_html_text t = extract(s);
    assert_has(t.text, "shallow");
    assert_false(t.depth_cut);
    nm_html_text_free(&t);
    free(s);
    s = nested(100000, "DEEP");
    t = extract(s);
    assert_has(t.text, "before");
    assert_lacks(t.text, "DEEP");
    assert_true(t.depth_cut);
    nm_html_text_free(&t);
    free(s);
    /* a smaller limit given by the caller */
    s = nested(30, "mid");
    assert_int_equal(nm_html_extract(s, strlen(s), 10, &t), NM_OK);
    assert_lacks(t.text, "mid");
    assert_true(t.depth_cut);
    nm_html_text_free(&t);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_text),
        cmocka_unit_test(test_no_article_uses_body),
        cmocka_unit_test(test_largest_article_and_article_body),
        cmocka_unit_test(test_jsonld_date),
        cmocka_unit_test(test_time_and_itemprop_dates),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_broken_html),
        cmocka_unit_test(test_no_entity_expansion),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
