/* test_schema.c - records validate against schema/newsmine.rng, for the
 * seed articles and for hostile text (markup characters, bad bytes,
 * control characters, quotes in names). */
#include "nm_test.h"
#include "emit.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>

static xmlRelaxNGPtr schema;

static int setup(void **state)
{
    (void)state;
    ctx = nm_test_ctx();
    schema = nm_test_schema("schema/newsmine.rng");
    return schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    xmlRelaxNGFree(schema);
    nm_ctx_free(ctx);
    xmlCleanupParser();
    return 0;
}

/* Wraps the document element in the record root and validates it. */
static int validate(const nm_doc *doc)
{
    size_t n;
    const char *body = nm_doc_xml(doc, &n);
    const char *head = nm_xml_head(), *tail = nm_xml_tail();
    size_t hl = strlen(head), tl = strlen(tail);
    char *all = malloc(hl + n + tl + 1);
    memcpy(all, head, hl);
    memcpy(all + hl, body, n);
    memcpy(all + hl + n, tail, tl + 1);
    int rc = nm_test_validate(schema, all, hl + n + tl);
    free(all);
    return rc;
}

static void run_and_validate(const char *name, const char *text, size_t len)
{
    nm_doc *doc = nm_doc_new(name, name);
    nm_doc_set_raw(doc, text, len);
    nm_doc_set_date(doc, "2025-07", "option");
    assert_int_equal(nm_run(doc, ctx), NM_OK);
    if (validate(doc) != 0)
        fail_msg("%s: record does not validate", name);
    nm_doc_free(doc);
}

static void test_seeds(void **state)
{
    (void)state;
    static const char *seeds[] = {"000_d0a88fdc8f9ada0b", "001_1107b6235ca98029",
                                  "002_7602a6ed32f23f9f", "003_8f74002f36241294",
                                  "004_44d84a45fba0f314"};
    for (size_t i = 0; i < 5; i++) {
        char path[256];
        snprintf(path, sizeof path, "corpus/%s.txt", seeds[i]);
        size_t n;
        char *t = nm_test_slurp(path, &n);
        run_and_validate(seeds[i], t, n);
        free(t);
    }
}

static void test_hostile_text(void **state)
{
    (void)state;
    static const char t1[] = "<b>Fees</b> & \"charges\" of $5 & <5% > 3 'quotes' \xE2\x80\x9C" "12\xE2\x80\x9D";
    run_and_validate("a&b<c>\"d\"", t1, sizeof t1 - 1);
    static const char t2[] = "bad \xFF\xFE bytes \x01\x02 then 80,000 \xC3 x \xED\xA0\x80 5%\r\n\t$7";
    run_and_validate("bad\x01name\xFF", t2, sizeof t2 - 1);
    run_and_validate("empty", "", 0);
}

/* The <document> start tag is made two ways (all-ASCII values: by the
 * record's own buffer writer; others: by the xmlTextWriter's attribute
 * calls): both must give the same values back to an XML parser. */
static void test_document_attrs_both_ways(void **state)
{
    (void)state;
    static const char *names[] = {"plain & <simple> \"name\"", "caf\xC3\xA9 & <\xE2\x80\x9Cname\xE2\x80\x9D>"};
    for (size_t i = 0; i < 2; i++) {
        nm_doc *doc = nm_doc_new(names[i], names[i]);
        nm_doc_set_raw(doc, "Remittances rose 5% in 2024.", 28);
        assert_int_equal(nm_run(doc, ctx), NM_OK);
        assert_int_equal(validate(doc), 0);
        size_t n;
        const char *body = nm_doc_xml(doc, &n);
        xmlDocPtr x = xmlReadMemory(body, (int)n, "doc.xml", NULL, XML_PARSE_NONET);
        assert_non_null(x);
        xmlNodePtr root = xmlDocGetRootElement(x);
        assert_string_equal((const char *)root->name, "document");
        xmlChar *id = xmlGetProp(root, BAD_CAST "id");
        xmlChar *src = xmlGetProp(root, BAD_CAST "source");
        xmlChar *sha = xmlGetProp(root, BAD_CAST "sha256");
        assert_string_equal((const char *)id, names[i]);
        assert_string_equal((const char *)src, names[i]);
        assert_string_equal((const char *)sha, doc->hash);
        xmlFree(id);
        xmlFree(src);
        xmlFree(sha);
        xmlFreeDoc(x);
        nm_doc_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_document_attrs_both_ways),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
