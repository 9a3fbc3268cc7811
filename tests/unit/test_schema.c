/* test_schema.c - records validate against schema/newsmine.rng, for the
 * seed articles and for hostile text (markup characters, bad bytes,
 * control characters, quotes in names). */
#include "nm_test.h"
#include "emit.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* Emits doc again and returns attribute name of its first fact element
 * (xmlFree it; NULL when the fact has none). */
static xmlChar *first_fact_attr(nm_doc *doc, const char *name)
{
    free(doc->xml);
    doc->xml = NULL;
    assert_int_equal(nm_emit_xml(doc, ctx), NM_OK);
    xmlDocPtr x = xmlReadMemory(doc->xml, (int)doc->xml_len, "doc.xml", NULL, XML_PARSE_NONET);
    assert_non_null(x);
    xmlNodePtr e = xmlDocGetRootElement(x)->children;
    while (e && e->type != XML_ELEMENT_NODE)
        e = e->next;
    assert_non_null(e);
    xmlChar *v = xmlGetProp(e, BAD_CAST name);
    xmlFreeDoc(x);
    return v;
}

/* Attribute values are escaped (and names copied) 16 bytes at a time where
 * the bytes lie in one page: values of every length that end at the last
 * byte of a page before an unmapped one (read past, they would fault),
 * with characters to escape at every place, must come back whole from an
 * XML parser; names likewise. */
static void test_attr_values_at_page_end(void **state)
{
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
    static const char *const pieces[] = {"a", "&", "<", ">", "\"", "\t", "\n", "\r", "\xC3\xA9", "'"};
    nm_doc *doc = nm_doc_new("page", "page");
    nm_doc_set_raw(doc, "Remittances rose 5% in 2024.", 28);
    assert_int_equal(nm_run(doc, ctx), NM_OK);
    assert_true(doc->nfacts > 0);
    nm_fact *f = &doc->facts[0];
    for (size_t len = 0; len < 48; len++) {
        for (size_t shift = 0; shift < 10; shift++) {
            /* the value: len bytes of pieces (a piece may make it one byte
             * longer), its NUL the last byte of the page */
            char want[64] = "";
            size_t n = 0;
            for (size_t k = 0; n < len; k++) {
                const char *pc = pieces[(k + shift) % 10];
                memcpy(want + n, pc, strlen(pc));
                n += strlen(pc);
            }
            want[n] = '\0';
            char *val = map + page - (long)n - 1;
            memcpy(val, want, n + 1);
            f->nattrs = 1;
            f->attrs[0].key = "note";
            f->attrs[0].val = val;
            f->value = val;
            xmlChar *note = first_fact_attr(doc, "note");
            assert_non_null(note);
            assert_string_equal((const char *)note, want);
            xmlFree(note);
            if (f->kind == NM_FIGURE || f->kind == NM_DATE) {
                xmlChar *value = first_fact_attr(doc, "value");
                assert_non_null(value);
                assert_string_equal((const char *)value, want);
                xmlFree(value);
            }
        }
    }
    /* attribute names, copied as they are, likewise */
    for (size_t len = 1; len < 40; len++) {
        char *key = map + page - (long)len - 1;
        for (size_t k = 0; k < len; k++)
            key[k] = (char)('a' + k % 26);
        key[len] = '\0';
        f->nattrs = 1;
        f->attrs[0].key = key;
        f->attrs[0].val = "v";
        f->value = "1";
        xmlChar *v = first_fact_attr(doc, key);
        assert_non_null(v);
        assert_string_equal((const char *)v, "v");
        xmlFree(v);
    }
    f->nattrs = 0;
    f->value = "";
    nm_doc_free(doc);
    munmap(map, (size_t)page * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_document_attrs_both_ways),
        cmocka_unit_test(test_attr_values_at_page_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
