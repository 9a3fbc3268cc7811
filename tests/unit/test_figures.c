/* test_figures.c - every FIGURE form of ANNOTATION.md, positive and
 * negative.  Each case lists every figure the text must yield, so a
 * spurious figure fails the case too. */
#include "nm_test.h"

typedef struct want {
    const char *text, *type, *value, *unit, *qualifier, *counted, *change;
} want;

typedef struct fcase {
    const char *input;
    want w[4];
} fcase;


static void run_case(const fcase *c)
{
    nm_doc *doc = nm_test_run(ctx, c->input, NULL);
    size_t nw = 0;
    while (nw < 4 && c->w[nw].text)
        nw++;
    if (doc->kind_count[NM_FIGURE] != nw) {
        for (size_t i = 0; i < doc->nfacts; i++)
            print_error("  found %s '%.*s'\n", doc->facts[i].type,
                        (int)(doc->facts[i].rend - doc->facts[i].rstart),
                        (const char *)doc->raw + doc->facts[i].rstart);
        fail_msg("%s: %zu figures, want %zu", c->input, doc->kind_count[NM_FIGURE], nw);
    }
    for (size_t i = 0; i < nw; i++) {
        const want *w = &c->w[i];
        const nm_fact *f = nm_test_find(doc, NM_FIGURE, w->text);
        if (!f)
            fail_msg("%s: no figure '%s'", c->input, w->text);
        assert_string_equal(f->type, w->type);
        assert_string_equal(f->value, w->value);
        nm_test_check_attr(f, "unit", w->unit, c->input);
        nm_test_check_attr(f, "qualifier", w->qualifier, c->input);
        if (w->counted)
            nm_test_check_attr(f, "counted", w->counted, c->input);
        nm_test_check_attr(f, "change", w->change, c->input);
    }
    nm_doc_free(doc);
}

static void run_all(const fcase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_case(&cases[i]);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_digits(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"Over 80,000 deportations were recorded.",
         {{"80,000", "COUNT", "80000", NULL, "over", "deportation", NULL}}},
        {"It had 260,000 entry bans.", {{"260,000", "COUNT", "260000", NULL, NULL, "entry ban", NULL}}},
        {"A ratio of 2.75 was noted.", {{"2.75", "COUNT", "2.75", NULL, NULL, NULL, NULL}}},
        {"Only 13,584 foreigners had such permits.",
         {{"13,584", "COUNT", "13584", NULL, NULL, "foreigner", NULL}}},
        {"About 1.2 million citizens and 5bn more.",
         {{"1.2 million", "COUNT", "1200000", NULL, "about", "citizen", NULL},
          {"5bn", "COUNT", "5000000000", NULL, NULL, NULL, NULL}}},
        {"They counted 3 thousand, then 2 trillion.",
         {{"3 thousand", "COUNT", "3000", NULL, NULL, NULL, NULL},
          {"2 trillion", "COUNT", "2000000000000", NULL, NULL, NULL, NULL}}},
        {"The disk holds 30GB of music.", {{"30GB", "COUNT", "30", NULL, NULL, NULL, NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_words(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"Police detained four Tajik nationals.",
         {{"four", "COUNT", "4", NULL, NULL, "national", NULL}}},
        {"Some twenty-five workers left.", {{"twenty-five", "COUNT", "25", NULL, "about", "worker", NULL}}},
        {"It affects one in three labor migrants.",
         {{"one in three", "FRACTION", "0.333333", NULL, NULL, "labor migrant", NULL}}},
        {"The region hosts about a third of the global total.",
         {{"a third", "FRACTION", "0.333333", NULL, "about", NULL, NULL}}},
        {"Remittances made up nearly half of GDP.",
         {{"half", "FRACTION", "0.5", NULL, "under", "gdp", NULL}}},
        {"They cited a fivefold increase in migration.",
         {{"fivefold", "MULTIPLIER", "5", NULL, NULL, NULL, "increase"}}},
        {"Exports were twice as high as imports.", {{"twice", "MULTIPLIER", "2", NULL, NULL, NULL, NULL}}},
        {"Two-thirds of them stayed, and half a million left.",
         {{"Two-thirds", "FRACTION", "0.666667", NULL, NULL, NULL, NULL},
          {"half a million", "COUNT", "500000", NULL, NULL, NULL, NULL}}},
        {"A million people and three hundred thousand more.",
         {{"A million", "COUNT", "1000000", NULL, NULL, "person", NULL},
          {"three hundred thousand", "COUNT", "300000", NULL, NULL, NULL, NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_money(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"Remittances reached US$5.8 billion in 2024.",
         {{"US$5.8 billion", "MONEY", "5800000000", "USD", NULL, NULL, NULL}}},
        {"The fine ($5,120) was paid.", {{"$5,120", "MONEY", "5120", "USD", NULL, NULL, NULL}}},
        {"Fines of 500,000 rubles and 1.2 million rubles.",
         {{"500,000 rubles", "MONEY", "500000", "RUB", NULL, NULL, NULL},
          {"1.2 million rubles", "MONEY", "1200000", "RUB", NULL, NULL, NULL}}},
        {"It cost \xE2\x82\xAC" "10 million and \xC2\xA3" "3.",
         {{"\xE2\x82\xAC" "10 million", "MONEY", "10000000", "EUR", NULL, NULL, NULL},
          {"\xC2\xA3" "3", "MONEY", "3", "GBP", NULL, NULL, NULL}}},
        {"Wages of 5000 \xE2\x82\xBD and USD 200 and 90 euros.",
         {{"5000 \xE2\x82\xBD", "MONEY", "5000", "RUB", NULL, NULL, NULL},
          {"USD 200", "MONEY", "200", "USD", NULL, NULL, NULL},
          {"90 euros", "MONEY", "90", "EUR", NULL, NULL, NULL}}},
        {"Pay is 150,000 tenge, 3,000 somoni or 20,000 soms.",
         {{"150,000 tenge", "MONEY", "150000", "KZT", NULL, NULL, NULL},
          {"3,000 somoni", "MONEY", "3000", "TJS", NULL, NULL, NULL},
          {"20,000 soms", "MONEY", "20000", "KGS", NULL, NULL, NULL}}},
        {"A $140 Million contract and 5 billion dollars.",
         {{"$140 Million", "MONEY", "140000000", "USD", NULL, "contract", NULL},
          {"5 billion dollars", "MONEY", "5000000000", "USD", NULL, NULL, NULL}}},
        {"Profits equal 26 cents a share.", {{"26 cents", "MONEY", "0.26", "USD", NULL, NULL, NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_percent(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"Arrivals rose 18% in spring.", {{"18%", "PERCENT", "18", "percent", NULL, NULL, "increase"}}},
        {"A 27-percent increase in remittances.",
         {{"27-percent", "PERCENT", "27", "percent", NULL, NULL, "increase"}}},
        {"Some 40 per cent of workers, up from 35 percent.",
         {{"40 per cent", "PERCENT", "40", "percent", "about", "worker", NULL},
          {"35 percent", "PERCENT", "35", "percent", NULL, NULL, NULL}}},
        {"Tajik migration increasing by 7% and falling by six percent.",
         {{"7%", "PERCENT", "7", "percent", NULL, NULL, "increase"},
          {"six percent", "PERCENT", "6", "percent", NULL, NULL, "decrease"}}},
        {"Jobs that make up 20 to 25 percent of the total.",
         {{"20", "PERCENT", "20", "percent", NULL, NULL, NULL},
          {"25 percent", "PERCENT", "25", "percent", NULL, NULL, NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_qualifiers(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"just over 500 people", {{"500", "COUNT", "500", NULL, "over", "person", NULL}}},
        {"more than 100,000 individuals", {{"100,000", "COUNT", "100000", NULL, "over", "individual", NULL}}},
        {"almost 300,000 workers", {{"300,000", "COUNT", "300000", NULL, "under", "worker", NULL}}},
        {"approximately 70,000 migrants", {{"70,000", "COUNT", "70000", NULL, "about", "migrant", NULL}}},
        {"at least 30 citizens", {{"30", "COUNT", "30", NULL, "at_least", "citizen", NULL}}},
        {"up to 14,000 professionals", {{"14,000", "COUNT", "14000", NULL, "at_most", "professional", NULL}}},
        {"only 22,000 slots", {{"22,000", "COUNT", "22000", NULL, NULL, "slot", NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_not_figures(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"In 2024 the law changed, since 1991 and by 2030.", {{NULL}}},
        {"The 2024 elections and the 1990s.", {{NULL}}},
        {"He was born on October 5, 1952 and left on 5 October.", {{NULL}}},
        {"It happened on Oct. 8 and Oct 9.", {{NULL}}},
        {"They waited three days and 15 days, a two-year term.", {{NULL}}},
        {"The meeting is at 14:30 or 3 p.m. today.", {{NULL}}},
        {"The 201st military base marked his 60th birthday.", {{NULL}}},
        {"Section 2024 of the code; COVID-19 and iPhone 4 and No. 5.", {{NULL}}},
        {"Dated 22/03/2024 and 2024-03-22.", {{NULL}}},
        {"One of them left one by one; the one-time fee.", {{NULL}}},
        {"1. First item\n2. Second item", {{NULL}}},
        {"In the first half of 2024 nothing happened.", {{NULL}}},
        {"Mac OS X version 10.4 shipped.", {{NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_year_like_counts(void **state)
{
    (void)state;
    static const fcase cases[] = {
        {"Officials counted 1952 people there.", {{"1952", "COUNT", "1952", NULL, NULL, "person", NULL}}},
        {"It cost $2024 to fix.", {{"$2024", "MONEY", "2024", "USD", NULL, NULL, NULL}}},
    };
    run_all(cases, N(cases));
}

static void test_pathological_number(void **state)
{
    (void)state;
    /* a million digits in comma groups: no figure, no hang */
    size_t n = 1000000;
    char *s = malloc(n + 2);
    for (size_t i = 0; i < n; i++)
        s[i] = (i % 4 == 1) ? ',' : '7';
    s[n] = '\0';
    nm_doc *doc = nm_test_run(ctx, s, NULL);
    assert_int_equal(doc->kind_count[NM_FIGURE], 0);
    nm_doc_free(doc);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_qualifiers),
        cmocka_unit_test(test_not_figures),
        cmocka_unit_test(test_year_like_counts),
        cmocka_unit_test(test_pathological_number),
    };
    return cmocka_run_group_tests(tests, nm_test_setup, nm_test_teardown);
}
