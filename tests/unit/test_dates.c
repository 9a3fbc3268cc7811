/* test_dates.c - every DATE form of ANNOTATION.md and gold/DECISIONS.md,
 * positive and negative.  Each case lists every DATE the text must yield
 * (text, type, value, mod, anchor), so a spurious or missing date fails
 * the case too. */
#include "dates_helpers.h"
#include "nm_test.h"
#include "dates.h"

typedef struct want {
    const char *text, *type, *value, *mod, *anchor;
} want;

typedef struct dcase {
    const char *input, *date;
    want w[4];
} dcase;

static nm_ctx *ctx, *ctx_dmy;

static int setup(void **state)
{
    (void)state;
    ctx = dt_ctx(0);
    ctx_dmy = dt_ctx(1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nm_ctx_free(ctx);
    nm_ctx_free(ctx_dmy);
    return 0;
}

static void run_case_with(const nm_ctx *cx, const dcase *c)
{
    nm_doc *doc = dt_run(cx, c->input, strlen(c->input), c->date);
    size_t nw = 0;
    while (nw < 4 && c->w[nw].text)
        nw++;
    if (doc->kind_count[NM_DATE] != nw) {
        for (size_t i = 0; i < doc->nfacts; i++)
            print_error("  found %s %s '%.*s' %s\n", nm_kind_names[doc->facts[i].kind],
                        doc->facts[i].type, (int)(doc->facts[i].rend - doc->facts[i].rstart),
                        (const char *)doc->raw + doc->facts[i].rstart, doc->facts[i].value);
        fail_msg("%s: %zu dates, want %zu", c->input, doc->kind_count[NM_DATE], nw);
    }
    for (size_t i = 0; i < nw; i++) {
        const want *w = &c->w[i];
        const nm_fact *f = nm_test_find(doc, NM_DATE, w->text);
        if (!f)
            fail_msg("%s: no date '%s'", c->input, w->text);
        if (strcmp(f->type, w->type) != 0 || strcmp(f->value, w->value) != 0)
            fail_msg("%s: '%s' is %s %s, want %s %s", c->input, w->text, f->type, f->value,
                     w->type, w->value);
        nm_test_check_attr(f, "mod", w->mod, c->input);
        nm_test_check_attr(f, "anchor", w->anchor ? w->anchor : "absolute", c->input);
    }
    nm_doc_free(doc);
}

static void run_cases(const dcase *cs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_case_with(ctx, &cs[i]);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])
#define A(t, ty, v) {t, ty, v, NULL, NULL}
#define M(t, ty, v, m) {t, ty, v, m, NULL}
#define R(t, ty, v) {t, ty, v, NULL, "relative"}
#define MR(t, ty, v, m) {t, ty, v, m, "relative"}

static void test_absolute(void **state)
{
    (void)state;
    static const dcase cs[] = {
        {"Putin was born on October 5, 1952.", NULL, {A("October 5, 1952", "DATE", "1952-10-05")}},
        {"It opened on 5 October 2024 in Almaty.", NULL, {A("5 October 2024", "DATE", "2024-10-05")}},
        {"Talks resumed on Oct. 8, officials said.", "2025-10-20",
         {R("Oct. 8", "DATE", "2025-10-08")}},
        {"Talks resumed on Oct 8 in Dushanbe.", "2025-10-20",
         {R("Oct 8", "DATE", "2025-10-08")}},
        {"The decree of 2024-03-22 applies.", NULL, {A("2024-03-22", "DATE", "2024-03-22")}},
        {"The decree of 03/22/2024 applies.", NULL, {A("03/22/2024", "DATE", "2024-03-22")}},
        {"The decree of 22/03/2024 applies.", NULL, {A("22/03/2024", "DATE", "2024-03-22")}},
        {"Since March 2024, rules are strict.", NULL,
         {M("March 2024", "DATE", "2024-03", "ON_OR_AFTER")}},
        {"Remittances fell in 2024.", NULL, {A("2024", "DATE", "2024")}},
        {"Cars of the 1990s were boxy.", NULL, {A("the 1990s", "DATE", "199")}},
        {"The trend began in the early 2020s.", NULL, {M("the early 2020s", "DATE", "202", "START")}},
        {"Since the early 2020s, more came.", NULL, {M("the early 2020s", "DATE", "202", "START")}},
        {"Profit rose in Q1 2025.", NULL, {A("Q1 2025", "DATE", "2025-Q1")}},
        {"GM lost $6 billion in the first quarter of 2009.", NULL,
         {A("the first quarter of 2009", "DATE", "2009-Q1")}},
        {"Work resumes in spring 2024.", NULL, {A("spring 2024", "DATE", "2024-SP")}},
        {"Arrivals rose 18% in early 2025.", NULL, {M("early 2025", "DATE", "2025", "START")}},
        {"The plan runs 2023-2027 now.", NULL,
         {A("2023", "DATE", "2023"), A("2027", "DATE", "2027"), R("now", "DATE", "PRESENT_REF")}},
        {"It will be released in mid-2011.", NULL, {M("mid-2011", "DATE", "2011", "MID")}},
    };
    RUN(cs);
}

static void test_day_first_option(void **state)
{
    (void)state;
    static const dcase dmy = {"The decree of 03/04/2024 applies.", NULL,
                              {A("03/04/2024", "DATE", "2024-04-03")}};
    static const dcase mdy = {"The decree of 03/04/2024 applies.", NULL,
                              {A("03/04/2024", "DATE", "2024-03-04")}};
    run_case_with(ctx_dmy, &dmy);
    run_case_with(ctx, &mdy);
}

static void test_yearless(void **state)
{
    (void)state;
    static const dcase cs[] = {
        /* the year of a coordinated date in the sentence: absolute */
        {"Rahmon was born on October 5, and Putin on October 7, 1952.", "2024-11",
         {A("October 5", "DATE", "1952-10-05"), A("October 7, 1952", "DATE", "1952-10-07")}},
        /* past tense: the latest October 5 before the document date */
        {"He was born on October 5.", "2024-03-01", {R("October 5", "DATE", "2023-10-05")}},
        /* future tense: the next one */
        {"The vote will be held on March 3.", "2024-11-01",
         {R("March 3", "DATE", "2025-03-03")}},
        {"Police raided markets in March.", "2025-04-23", {R("March", "DATE", "2025-03")}},
        {"After the March terrorist attack, checks grew.", "2024-11",
         {R("March", "DATE", "2024-03")}},
        {"The parade on Victory Day drew crowds.", "2024-11",
         {R("Victory Day", "DATE", "2024-05-09")}},
        {"Lavrov spoke in June last year.", "2024-11",
         {R("June last year", "DATE", "2023-06")}},
        {"Flights resume on New Year 2025.", NULL, {A("New Year 2025", "DATE", "2025-01-01")}},
    };
    RUN(cs);
}

static void test_relative(void **state)
{
    (void)state;
    static const dcase cs[] = {
        {"Migration rose last year.", "2025-04-23", {R("last year", "DATE", "2024")}},
        {"Since last year, checks are common.", "2024-11",
         {MR("last year", "DATE", "2023", "ON_OR_AFTER")}},
        {"Last November, Volodin spoke.", "2025-04-23",
         {R("Last November", "DATE", "2024-11")}},
        {"Profits will grow this year.", "2010-01-28", {R("this year", "DATE", "2010")}},
        {"Sales begin next month.", "2024-12-05", {R("next month", "DATE", "2025-01")}},
        {"He left two days ago.", "2016-11-07", {R("two days ago", "DATE", "2016-11-05")}},
        {"It began just over a year ago.", "2024-11",
         {MR("a year ago", "DATE", "2023", "BEFORE")}},
        {"Beslan was exactly 20 years ago.", "2024-11", {R("20 years ago", "DATE", "2004")}},
        {"- 1 month ago", "2024-11", {R("1 month ago", "DATE", "2024-10")}},
        {"- 1 week ago", "2024-11", {R("1 week ago", "DATE", "2024-WXX")}},
        {"They hired 6,339 workers in 2024, 40% more than the previous year.", "2025-05-16",
         {A("2024", "DATE", "2024"), R("the previous year", "DATE", "2023")}},
        {"Women have arrived in recent years.", "2025-04-23",
         {R("recent years", "DATE", "PAST_REF")}},
        {"He now works in Almaty.", "2025-04-23", {R("now", "DATE", "PRESENT_REF")}},
        {"Currently, 14,000 work here.", "2025-04-23",
         {R("Currently", "DATE", "PRESENT_REF")}},
        {"Checks continue to this day.", "2024-11", {R("this day", "DATE", "PRESENT_REF")}},
        {"Apple today launched a phone.", "2008-06-09", {R("today", "DATE", "2008-06-09")}},
        {"Jobs died yesterday.", "2011-10-06", {R("yesterday", "DATE", "2011-10-05")}},
        {"Checks began in the spring after the attack.", "2024-11",
         {R("the spring", "DATE", "2024-SP")}},
        {"Throughout the year, Rahmon raised it.", "2024-11", {R("the year", "DATE", "2024")}},
        {"GM said on Tuesday it would cut jobs.", "2010-03-03",
         {R("Tuesday", "DATE", "2010-03-02")}},
        {"The trial will begin on Wednesday.", "2006-03-28",
         {R("Wednesday", "DATE", "2006-03-29")}},
        {"The Senate voted this week.", "2008-12-13", {R("this week", "DATE", "2008-W50")}},
    };
    RUN(cs);
}

static void test_durations_sets(void **state)
{
    (void)state;
    static const dcase cs[] = {
        {"Over three days in March, police checked.", "2025-04-23",
         {A("three days", "DURATION", "P3D"), R("March", "DATE", "2025-03")}},
        {"13 laws were passed in 12 months.", NULL, {A("12 months", "DURATION", "P12M")}},
        {"Permits for up to three years.", NULL, {A("three years", "DURATION", "P3Y")}},
        {"Terms range from six months to two years.", NULL,
         {A("six months", "DURATION", "P6M"), A("two years", "DURATION", "P2Y")}},
        {"They have been partners for many years.", NULL, {A("many years", "DURATION", "PXY")}},
        {"He spent a few months jobless.", NULL, {A("a few months", "DURATION", "PXM")}},
        {"It lasted more than three days.", NULL, {M("three days", "DURATION", "P3D", "MORE_THAN")}},
        {"It lasted nearly two hours.", NULL, {M("two hours", "DURATION", "PT2H", "LESS_THAN")}},
        {"The process takes between 60 and 90 days.", NULL,
         {A("60", "DURATION", "P60D"), A("90 days", "DURATION", "P90D")}},
        {"Just a day later, he flew.", NULL, {A("a day", "DURATION", "P1D")}},
        {"- 2 min read", NULL, {A("2 min", "DURATION", "PT2M")}},
        {"Over 100,000 people apply each year.", NULL, {A("each year", "SET", "P1Y")}},
        {"The IOM publishes quarterly reports.", NULL, {A("quarterly", "SET", "P3M")}},
        {"The report is published annually.", NULL, {A("annually", "SET", "P1Y")}},
    };
    RUN(cs);
}

static void test_times(void **state)
{
    (void)state;
    static const dcase cs[] = {
        {"The meeting starts at 14:30.", "2024-05-02",
         {R("14:30", "TIME", "2024-05-02T14:30")}},
        {"The meeting starts at 3 p.m. sharp.", "2024-05-02",
         {R("3 p.m.", "TIME", "2024-05-02T15:00")}},
        {"The curfew starts at midnight.", "2024-05-02",
         {R("midnight", "TIME", "2024-05-02T24:00")}},
        {"GM filed at 12:00 UTC Monday.", "2009-06-01",
         {R("12:00 UTC Monday", "TIME", "2009-06-01T12:00Z")}},
        {"Apple announced this morning a change.", "2008-01-09",
         {R("this morning", "TIME", "2008-01-09TMO")}},
    };
    RUN(cs);
}

static void test_negative(void **state)
{
    (void)state;
    static const dcase cs[] = {
        {"In total 1952 people signed the letter.", NULL, {A(NULL, NULL, NULL)}},
        {"You may leave early.", NULL, {A(NULL, NULL, NULL)}},
        {"May I ask a question?", NULL, {A(NULL, NULL, NULL)}},
        {"Section 2024 of the code applies.", NULL, {A(NULL, NULL, NULL)}},
        {"Flight 1549 landed safely.", NULL, {A(NULL, NULL, NULL)}},
        {"April Smith and June Carter sang.", NULL, {A(NULL, NULL, NULL)}},
        {"It is the current policy, at the time.", NULL, {A(NULL, NULL, NULL)}},
        {"Troops of the 201st base marked his 60th birthday.", NULL, {A(NULL, NULL, NULL)}},
        {"About a quarter of its 3,200 dealers closed.", NULL, {A(NULL, NULL, NULL)}},
        {"He paid $2000 for it.", NULL, {A(NULL, NULL, NULL)}},
        {"The score was 3.5 and the ratio 4/22.", NULL, {A(NULL, NULL, NULL)}},
        {"A second time, he asked.", NULL, {A(NULL, NULL, NULL)}},
        {"The fall of the regime was swift.", NULL, {A(NULL, NULL, NULL)}},
    };
    RUN(cs);
}

/* Years, days and durations are DATE, never FIGURE; 1952 people is a
 * FIGURE, never a DATE. */
static void test_no_double_claim(void **state)
{
    (void)state;
    const char *in = "On October 5, 1952 people marched for 15 days in 2024.";
    nm_doc *doc = dt_run(ctx, in, strlen(in), NULL);
    for (size_t i = 0; i < doc->nfacts; i++)
        for (size_t j = 0; j < doc->nfacts; j++) {
            const nm_fact *a = &doc->facts[i], *b = &doc->facts[j];
            if (a->kind == NM_FIGURE && b->kind == NM_DATE)
                assert_false(a->start < b->end && b->start < a->end);
        }
    assert_non_null(nm_test_find(doc, NM_DATE, "15 days"));
    assert_non_null(nm_test_find(doc, NM_DATE, "2024"));
    nm_doc_free(doc);
    in = "In total 1952 people signed.";
    doc = dt_run(ctx, in, strlen(in), NULL);
    assert_non_null(nm_test_find(doc, NM_FIGURE, "1952"));
    assert_int_equal(doc->kind_count[NM_DATE], 0);
    nm_doc_free(doc);
}

static void test_dateline(void **state)
{
    (void)state;
    const char *a = "Migrants Face New Challenges\n- anzhelika17\n- Oct 8\n- 2 min read\n\n"
                    "In 2024, remittances fell. Plans for 2025 were made last year.\n";
    nm_doc *doc = dt_run(ctx, a, strlen(a), NULL);
    assert_string_equal(doc->date, "2025-10-08");
    assert_string_equal(doc->date_source, "dateline");
    const nm_fact *f = nm_test_find(doc, NM_DATE, "last year");
    assert_non_null(f);
    assert_string_equal(f->value, "2024");
    nm_doc_free(doc);

    const char *b = "Published: 2025-04-23\n\nThe law passed last month.\n";
    doc = dt_run(ctx, b, strlen(b), NULL);
    assert_string_equal(doc->date, "2025-04-23");
    assert_string_equal(doc->date_source, "dateline");
    f = nm_test_find(doc, NM_DATE, "last month");
    assert_non_null(f);
    assert_string_equal(f->value, "2025-03");
    nm_doc_free(doc);

    const char *d = "Kazakhstan Moves On\nApril 23, 2025\n\nIt rained.\n";
    doc = dt_run(ctx, d, strlen(d), NULL);
    assert_string_equal(doc->date, "2025-04-23");
    nm_doc_free(doc);

    /* an explicit date wins over the dateline */
    doc = dt_run(ctx, b, strlen(b), "2020-01-02");
    assert_string_equal(doc->date, "2020-01-02");
    assert_string_equal(doc->date_source, "option");
    nm_doc_free(doc);
}

static void test_no_document_date(void **state)
{
    (void)state;
    const char *in = "Volodin spoke last November. Sales fell in 2024 and last year.";
    nm_doc *doc = dt_run(ctx, in, strlen(in), NULL);
    assert_string_equal(doc->date_source, "none");
    const nm_fact *f = nm_test_find(doc, NM_DATE, "last November");
    assert_non_null(f);
    assert_string_equal(f->value, "XXXX-11");
    nm_test_check_attr(f, "anchor", "relative", in);
    f = nm_test_find(doc, NM_DATE, "2024");
    assert_non_null(f);
    assert_string_equal(f->value, "2024");
    size_t warn = 0;
    for (size_t i = 0; i < nm_doc_diag_count(doc); i++)
        warn += nm_doc_diag(doc, i)->code == NM_E_DATE;
    assert_int_equal(warn, 1);
    nm_doc_free(doc);
}

/* A season's year never comes from the sentence before: the years of the
 * sentence it is in are the only ones it may take. */
static void test_season_own_sentence(void **state)
{
    (void)state;
    static const char *first[] = {
        "Most of the 325 employers questioned expected hiring to be higher\n"
        "in March than it was in March 1986, with only six pct\nexpecting less.\n",
        "Most of the 325 employers questioned expected hiring to be higher\n"
        "in March than it was a year ago, with only six pct\nexpecting less.\n",
    };
    const char *last = "    The head of the panel said a budget next week would further\n"
                       "help hiring during the summer.\n";
    char want[16] = "";
    for (int i = 0; i < 2; i++) {
        char in[512];
        snprintf(in, sizeof in, "%s%s", first[i], last);
        nm_doc *doc = dt_run(ctx, in, strlen(in), "1987-03-25");
        const nm_fact *f = nm_test_find(doc, NM_DATE, "the summer");
        assert_non_null(f);
        assert_string_not_equal(f->value, "1986-SU");
        if (i == 0)
            snprintf(want, sizeof want, "%s", f->value);
        else
            assert_string_equal(f->value, want);
        nm_doc_free(doc);
    }
}

static void test_calendar(void **state)
{
    (void)state;
    int y = 2024, m = 2, d = 28;
    nm_cal_add_days(&y, &m, &d, 2);
    assert_int_equal(m * 100 + d, 301);
    assert_int_equal(nm_cal_weekday(2016, 11, 7), 1);
    assert_int_equal(nm_cal_weekday(2024, 12, 31), 2);
    int wy, w;
    nm_cal_isoweek(2008, 12, 13, &wy, &w);
    assert_int_equal(wy * 100 + w, 200850);
    nm_cal_isoweek(2021, 1, 1, &wy, &w);
    assert_int_equal(wy * 100 + w, 202053);
    y = 2024;
    m = 1;
    nm_cal_add_months(&y, &m, -2);
    assert_int_equal(y * 100 + m, 202311);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute),      cmocka_unit_test(test_day_first_option),
        cmocka_unit_test(test_yearless),      cmocka_unit_test(test_relative),
        cmocka_unit_test(test_durations_sets), cmocka_unit_test(test_times),
        cmocka_unit_test(test_negative),      cmocka_unit_test(test_no_double_claim),
        cmocka_unit_test(test_dateline),      cmocka_unit_test(test_no_document_date),
        cmocka_unit_test(test_calendar),      cmocka_unit_test(test_season_own_sentence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
