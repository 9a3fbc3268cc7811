/* test_summary.c - the corpus summary: groups by type, actor and period,
 * sums of figures, escaping, and validity against schema/summary.rng. */
#include "nm_test.h"
#include "summary.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>

static xmlRelaxNGPtr schema;

static int setup(void **state)
{
    NM_UNUSED(state);
    ctx = nm_test_ctx();
    schema = nm_test_schema("schema/summary.rng");
    return schema ? 0 : -1;
}

static int teardown(void **state)
{
    NM_UNUSED(state);
    xmlRelaxNGFree(schema);
    nm_ctx_free(ctx);
    xmlCleanupParser();
    return 0;
}


static void add(nm_summary *s, const char *text)
{
    nm_doc *doc = nm_test_run_migration(ctx, text, "2025-07");
    nm_summary_add(s, doc);
    nm_doc_free(doc);
}

static void test_groups(void **state)
{
    NM_UNUSED(state);
    nm_summary *s = nm_summary_new();
    add(s, "Russia deported 80,000 migrants in 2024.");
    add(s, "Russia deported 20,000 migrants in 2024. Lithuania closed its visa center in "
           "Dushanbe in July 2025.");
    add(s, "Talks were held.");
    size_t n;
    char *xml = nm_summary_xml(s, &n);
    assert_int_equal(nm_test_validate(schema, xml, n), 0);
    assert_non_null(strstr(xml, "documents=\"3\" events=\"4\""));
    assert_non_null(strstr(xml, "<group type=\"DEPORTATION\" actor=\"Russia\" period=\"2024\" "
                                "events=\"2\" documents=\"2\" sum=\"100000\" figures=\"2\"/>"));
    assert_non_null(strstr(xml, "<group type=\"VISA_POLICY\" actor=\"Lithuania\" "
                                "period=\"2025-07\""));
    assert_non_null(strstr(xml, "<group type=\"DIPLOMACY\" events=\"1\" documents=\"1\"/>"));
    free(xml);
    nm_summary_free(s);
}

static void test_empty(void **state)
{
    NM_UNUSED(state);
    nm_summary *s = nm_summary_new();
    size_t n;
    char *xml = nm_summary_xml(s, &n);
    assert_int_equal(nm_test_validate(schema, xml, n), 0);
    assert_non_null(strstr(xml, "documents=\"0\" events=\"0\""));
    free(xml);
    nm_summary_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
