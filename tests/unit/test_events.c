/* test_events.c - EVENT extraction: triggers of every type, composition,
 * slots, carry-over, modality, negatives and the seed-000 expectations. */
#include "nm_test.h"
#include "events.h"



/* The event whose raw text is surface, checked for type. */
static const nm_fact *event(const nm_doc *doc, const char *surface, const char *type)
{
    const nm_fact *f = nm_test_find(doc, NM_EVENT, surface);
    if (!f)
        print_error("no event '%s'\n", surface);
    assert_non_null(f);
    assert_string_equal(f->type, type);
    return f;
}

/* The raw text of the fact in slot s of event f, or "" when empty. */
static const char *slot(const nm_doc *doc, const nm_fact *f, int s)
{
    static char buf[256];
    if (f->slot[s] < 0)
        return "";
    const nm_fact *x = &doc->facts[f->slot[s]];
    size_t n = (size_t)(x->rend - x->rstart);
    memcpy(buf, doc->raw + x->rstart, n);
    buf[n] = '\0';
    return buf;
}

static const char *modality(const nm_fact *f)
{
    const char *m = nm_fact_get(f, "modality");
    return m ? m : "asserted";
}

static void test_types(void **state)
{
    NM_UNUSED(state);
    static const struct { const char *text, *trigger, *type; } cases[] = {
        {"Russia expelled 300 migrants last week.", "expelled", "DEPORTATION"},
        {"He was barred from entering the country.", "barred from entering", "ENTRY_BAN"},
        {"Officials issued 5,000 work permits.", "work permits", "WORK_AUTHORIZATION"},
        {"The government cut the quota for foreign workers.", "cut the quota", "QUOTA"},
        {"Lithuania closed its visa centre in Dushanbe.", "closed its visa centre", "VISA_POLICY"},
        {"The parliament passed a bill on migrants.", "passed a bill", "LEGISLATION"},
        {"Police carried out raids on markets.", "raids", "ENFORCEMENT"},
        {"Thousands lost their citizenship.", "lost their citizenship", "CITIZENSHIP"},
        {"The registration period was extended.", "registration period was extended", "REGISTRATION"},
        {"The region introduced hiring bans for foreigners.", "introduced hiring bans", "RESTRICTION"},
        {"Kyrgyzstan launched adaptation programs for migrants.", "launched adaptation programs", "PROGRAM"},
        {"Tajik diplomats sent a note to the ambassador.", "sent a note", "DIPLOMACY"},
        {"Migrants are offered military contracts.", "military contracts", "RECRUITMENT"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nm_doc *doc = nm_test_run_migration(ctx, cases[i].text, "2025-01-01");
        const nm_fact *f = event(doc, cases[i].trigger, cases[i].type);
        assert_non_null(nm_fact_get(f, "plover"));
        nm_doc_free(doc);
    }
}

static void test_composition(void **state)
{
    NM_UNUSED(state);
    nm_doc *doc = nm_test_run_migration(ctx, "Moscow enacted stricter migration laws. The quota was slightly "
                                   "reduced for 2025. Kazakhstan revoked its visa-free agreement "
                                   "with Tajikistan.",
                              "2025-01-01");
    event(doc, "enacted stricter migration laws", "LEGISLATION");
    event(doc, "quota was slightly reduced", "QUOTA");
    const nm_fact *v = event(doc, "revoked its visa-free agreement", "VISA_POLICY");
    assert_string_equal(slot(doc, v, NM_SLOT_ACTOR), "Kazakhstan");
    assert_string_equal(slot(doc, v, NM_SLOT_TARGET), "Tajikistan");
    assert_string_equal(nm_fact_get(v, "cameo"), "16");
    nm_doc_free(doc);
}

static void test_slots(void **state)
{
    NM_UNUSED(state);
    nm_doc *doc = nm_test_run_migration(ctx, "Rustam Atoyev, a labor migrant, was deported from Russia in "
                                   "2024. South Korea, for instance, officially employed 6,339 "
                                   "Tajik workers in 2024.",
                              "2025-01-01");
    const nm_fact *d = event(doc, "deported", "DEPORTATION");
    assert_string_equal(slot(doc, d, NM_SLOT_ACTOR), "Russia");
    assert_string_equal(slot(doc, d, NM_SLOT_TARGET), "Rustam Atoyev");
    assert_string_equal(slot(doc, d, NM_SLOT_DATE), "2024");
    const nm_fact *w = event(doc, "officially employed", "WORK_AUTHORIZATION");
    assert_string_equal(slot(doc, w, NM_SLOT_ACTOR), "South Korea");
    assert_string_equal(slot(doc, w, NM_SLOT_FIGURE), "6,339");
    assert_string_equal(slot(doc, w, NM_SLOT_TARGET), "Tajik");
    nm_doc_free(doc);
    /* the date of a cause is not the event's */
    doc = nm_test_run_migration(ctx, "After a terrorist attack in March 2024, Russia enacted more rigorous "
                           "measures.",
                      "2025-01-01");
    d = event(doc, "enacted more rigorous measures", "RESTRICTION");
    assert_string_equal(slot(doc, d, NM_SLOT_ACTOR), "Russia");
    assert_string_equal(slot(doc, d, NM_SLOT_DATE), "");
    nm_doc_free(doc);
}

/* Slot s of the event at trigger in text is want ("" for empty). */
typedef struct slot_case {
    const char *text, *trigger;
    int slot;
    const char *want;
} slot_case;

static void check_slots(const slot_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        nm_doc *doc = nm_test_run_migration(ctx, cases[i].text, "2025-01-01");
        const nm_fact *f = nm_test_find(doc, NM_EVENT, cases[i].trigger);
        if (!f)
            print_error("no event '%s' in '%s'\n", cases[i].trigger, cases[i].text);
        assert_non_null(f);
        const char *got = slot(doc, f, cases[i].slot);
        if (strcmp(got, cases[i].want) != 0)
            print_error("'%s': slot %d is '%s', want '%s'\n", cases[i].text, cases[i].slot, got,
                        cases[i].want);
        assert_string_equal(got, cases[i].want);
        nm_doc_free(doc);
    }
}

#define CHECK_SLOTS(c) check_slots(c, sizeof c / sizeof c[0])

/* place: a city, region, facility or area after "in"/"at" in the
 * trigger's clause, or in an adverbial that opens the sentence; a state
 * there is the actor when there is no other. */
static void test_place(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Police carried out raids in Tashkent last week.", "raids", NM_SLOT_PLACE, "Tashkent"},
        {"Raids in Kazakhstan targeted undocumented workers.", "Raids", NM_SLOT_ACTOR, "Kazakhstan"},
        {"Raids in Kazakhstan targeted undocumented workers.", "Raids", NM_SLOT_PLACE, ""},
        {"Officials introduced an electronic migrant ID in Samarkand.",
         "introduced an electronic migrant ID", NM_SLOT_PLACE, "Samarkand"},
        {"Officials introduced an electronic migrant ID in Samarkand.",
         "introduced an electronic migrant ID", NM_SLOT_ACTOR, ""},
        {"At Domodedovo Airport, 12 migrants were detained.", "detained", NM_SLOT_PLACE,
         "Domodedovo Airport"},
        {"In Kazakhstan, 12 migrants were detained.", "detained", NM_SLOT_ACTOR, "Kazakhstan"},
        {"In Kazakhstan, 12 migrants were detained.", "detained", NM_SLOT_PLACE, ""},
        /* too far from the trigger, or in another clause */
        {"Police carried out raids, and the mayor of Tashkent objected.", "raids", NM_SLOT_PLACE,
         ""},
    };
    CHECK_SLOTS(cases);
}

/* actor and target: an entity after a preposition is no subject, even
 * inside an apposition ("X, a builder from Y, was deported"). */
static void test_subject(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Farrukh Saidov, a welder from Khujand, was deported from Turkey.", "deported",
         NM_SLOT_TARGET, "Farrukh Saidov"},
        {"Farrukh Saidov, a welder from Khujand, was deported from Turkey.", "deported",
         NM_SLOT_ACTOR, "Turkey"},
        {"Farrukh Saidov, a welder from Khujand, was deported.", "deported", NM_SLOT_ACTOR, ""},
    };
    CHECK_SLOTS(cases);
}

/* actor: the antecedent of "who" for a relative-clause verb; a pronoun
 * subject stands for the subject before; "the visit of X"; the recruiter
 * of "contracts with X"; a past participle clause shares the subject;
 * "from X" is an actor only right after the trigger; "with X" is the
 * counterpart only before the next trigger. */
static void test_actor(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Uzbekistan's Labour Minister Bekhzod Musaev — who, alongside President Mirziyoyev, met "
         "with Olga Golodets — praised the plan.",
         "met", NM_SLOT_ACTOR, "Bekhzod Musaev"},
        {"Foreign Minister Aziz Karimov spoke on Monday. He called for fair treatment of workers.",
         "called for", NM_SLOT_ACTOR, "Aziz Karimov"},
        {"He called for fair treatment of workers.", "called for", NM_SLOT_ACTOR, ""},
        {"Kyrgyz diplomats acted quickly; they sent a note to the ambassador.", "sent a note",
         NM_SLOT_ACTOR, "Kyrgyz"},
        {"The visit of Kazakhstan's Deputy Prime Minister Serik Zhumangarin to Bishkek lasted two "
         "days.",
         "visit", NM_SLOT_ACTOR, "Serik Zhumangarin"},
        {"Prisoners were offered military contracts with the Belarusian Ministry of Defense.",
         "military contracts", NM_SLOT_ACTOR, "Belarusian Ministry of Defense"},
        {"Kazakhstan is expanding its labour market, supported by active diplomacy in the Gulf.",
         "diplomacy", NM_SLOT_ACTOR, "Kazakhstan"},
        {"Officials met on Monday as the number of workers arriving from Tajikistan rose.", "met",
         NM_SLOT_ACTOR, ""},
        {"After Ali Karimov's visit, the president met with Olga Petrova.", "visit",
         NM_SLOT_TARGET, ""},
        {"After Ali Karimov's visit, the president met with Olga Petrova.", "met", NM_SLOT_TARGET,
         "Olga Petrova"},
    };
    CHECK_SLOTS(cases);
}

/* figure: the count before "who"/"that" when the trigger is the verb of a
 * relative clause on the counted noun; the count that is the predicate of
 * a trigger subject. */
static void test_figure(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Nearly 300 builders arrived; half of them are those who were deported.", "deported",
         NM_SLOT_FIGURE, "half"},
        {"There were 1,200 cases in 2023 of residents who lost their citizenship.",
         "lost their citizenship", NM_SLOT_FIGURE, "1,200"},
        {"There were 40 hearings, and officials who deported migrants were criticized.",
         "deported", NM_SLOT_FIGURE, ""},
        {"Deportations from Germany reached 20,000 last year.", "Deportations", NM_SLOT_FIGURE,
         "20,000"},
        {"The annual quota for builders in 2023 was nearly 5,000.", "quota", NM_SLOT_FIGURE,
         "5,000"},
        {"The quota for builders, set in May, was 5,000.", "quota", NM_SLOT_FIGURE, ""},
        {"Deportations fell while arrivals reached 20,000.", "Deportations", NM_SLOT_FIGURE, ""},
    };
    CHECK_SLOTS(cases);
}

/* target: a nationality before the trigger that belongs to another event
 * word between is not the target; date: an end of a period of validity
 * ("the 2021–2025 strategy") is not the date of the event. */
static void test_target_date(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Citizens of Moldova are applying for Romanian citizenship under a resettlement program.",
         "resettlement program", NM_SLOT_TARGET, "Moldova"},
        {"Armenian families joined a resettlement program last year.", "resettlement program",
         NM_SLOT_TARGET, "Armenian"},
        {"The cabinet approved the 2021\u20132025 policy concept.", "policy concept", NM_SLOT_DATE,
         ""},
        {"The cabinet approved the 2021-2025 policy concept.", "policy concept", NM_SLOT_DATE, ""},
        {"The cabinet approved the policy concept in 2021.", "approved the policy concept",
         NM_SLOT_DATE, "2021"},
    };
    CHECK_SLOTS(cases);
}

/* target: a person pronoun before an event done to people ("he was
 * detained", "his registration had expired") stands for the person
 * before it. */
static void test_pronoun_target(void **state)
{
    NM_UNUSED(state);
    static const slot_case cases[] = {
        {"Farid Aliyev found work at a bakery in Kazan. Despite this, he was detained during a "
         "document check.",
         "detained", NM_SLOT_TARGET, "Farid Aliyev"},
        {"Farid Aliyev was fined after a check; his registration had expired.",
         "registration had expired", NM_SLOT_TARGET, "Farid Aliyev"},
        {"He was detained during a document check.", "detained", NM_SLOT_TARGET, ""},
        {"Farid Aliyev found work in Kazan. Officials said he was detained.", "detained",
         NM_SLOT_TARGET, ""},
    };
    CHECK_SLOTS(cases);
}

static void test_carry_over(void **state)
{
    NM_UNUSED(state);
    nm_doc *doc = nm_test_run_migration(ctx, "Kazakhstan's labor system differs from Russia's. The country "
                                   "lacks a patent system.",
                              "2025-01-01");
    const nm_fact *f = event(doc, "patent system", "WORK_AUTHORIZATION");
    assert_string_equal(slot(doc, f, NM_SLOT_ACTOR), "Kazakhstan");
    assert_true(f->carried & (1u << NM_SLOT_ACTOR));
    assert_string_equal(modality(f), "negated");
    size_t n;
    const char *xml = nm_doc_xml(doc, &n);
    assert_non_null(strstr(xml, "carried=\"true\""));
    nm_doc_free(doc);
}

static void test_modality(void **state)
{
    NM_UNUSED(state);
    static const struct { const char *text, *trigger, *mod; } cases[] = {
        {"Russia reportedly deported 500 migrants.", "deported", "reported"},
        {"According to the ministry, Russia deported 500 migrants.", "deported", "reported"},
        {"Tajikistan has not introduced a visa regime.", "introduced a visa regime", "negated"},
        {"Russia will extend the registration period.", "extend the registration period", "planned"},
        {"Uzbekistan is planning a migration strategy.", "migration strategy", "planned"},
        {"If Russia tightens its migration laws, migrants will leave.", "tightens its migration laws", "hypothetical"},
        {"Signing a contract could lead to citizenship.", "citizenship", "hypothetical"},
        {"\"We deported them,\" the minister said.", "deported", "asserted"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nm_doc *doc = nm_test_run_migration(ctx, cases[i].text, "2025-01-01");
        const nm_fact *f = nm_test_find(doc, NM_EVENT, cases[i].trigger);
        if (!f)
            print_error("no event '%s' in '%s'\n", cases[i].trigger, cases[i].text);
        assert_non_null(f);
        assert_string_equal(modality(f), cases[i].mod);
        nm_doc_free(doc);
    }
}

static void test_negative(void **state)
{
    NM_UNUSED(state);
    static const char *const texts[] = {
        "These measures affect migrants.",      /* bare anaphora */
        "Those discussions went on for hours.", /* bare anaphora */
        "The policy is sound and the rules are clear.", /* object without a verb */
        "He works at the detention center.",    /* a place, not an event */
        "The new hope is real.",                /* a modifier alone */
        "- Russia Lifts Ban on Imports",        /* a list of headline links */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        nm_doc *doc = nm_test_run_migration(ctx, texts[i], "2025-01-01");
        if (nm_doc_fact_count(doc, NM_EVENT))
            print_error("unexpected event in '%s'\n", texts[i]);
        assert_int_equal(nm_doc_fact_count(doc, NM_EVENT), 0);
        nm_doc_free(doc);
    }
}

static void test_seed_000(void **state)
{
    NM_UNUSED(state);
    size_t n;
    char *text = nm_test_slurp("corpus/000_d0a88fdc8f9ada0b.txt", &n);
    nm_doc *doc = nm_doc_new("000", "000.txt");
    nm_doc_set_raw(doc, text, n);
    assert_int_equal(nm_doc_set_date(doc, "2025-07", "option"), NM_OK);
    assert_int_equal(nm_run(doc, ctx), NM_OK);
    const nm_fact *d = event(doc, "deportations", "DEPORTATION");
    const nm_fact *fig = &doc->facts[d->slot[NM_SLOT_FIGURE]];
    assert_string_equal(fig->value, "80000");
    assert_string_equal(nm_fact_get(fig, "qualifier"), "over");
    assert_string_equal(doc->facts[d->slot[NM_SLOT_DATE]].value, "2024");
    assert_string_equal(slot(doc, d, NM_SLOT_ACTOR), "Russia");
    const nm_fact *b = event(doc, "entry bans", "ENTRY_BAN");
    assert_string_equal(doc->facts[b->slot[NM_SLOT_FIGURE]].value, "260000");
    const nm_fact *v = event(doc, "closed its visa center", "VISA_POLICY");
    assert_string_equal(slot(doc, v, NM_SLOT_ACTOR), "Lithuania");
    assert_string_equal(slot(doc, v, NM_SLOT_PLACE), "Dushanbe");
    assert_string_equal(doc->facts[v->slot[NM_SLOT_DATE]].value, "2025-07");
    nm_doc_free(doc);
    free(text);
}

/* Business news has talks, bills and quotas too: without a word of the
 * migration domain in the sentence or the document they are no events. */
static void test_domain_gate(void **state)
{
    NM_UNUSED(state);
    nm_doc *doc = nm_test_run(ctx, "The two banks held talks on a merger. OPEC cut its oil quotas. "
                                   "The senate passed a bill on taxes.", "2025-07");
    assert_int_equal(doc->kind_count[NM_EVENT], 0);
    nm_doc_free(doc);
    doc = nm_test_run(ctx, "The ministers held talks on labour migrants from Tajikistan.", "2025-07");
    event(doc, "talks", "DIPLOMACY");
    nm_doc_free(doc);
    doc = nm_test_run(ctx, "Russia issued 260,000 entry bans in 2024.", "2025-07");
    event(doc, "entry bans", "ENTRY_BAN"); /* the trigger is a word of the domain itself */
    nm_doc_free(doc);
}

/* Plain ASCII text goes through the screen and the table of lower-cased
 * words, other text through the prefilter and the folded look-up: the same
 * events either way, whatever the case of the letters. */
static void test_ascii_or_not(void **state)
{
    NM_UNUSED(state);
    static const char *const tails[] = {"", " Caf\xc3\xa9 in Z\xc3\xbcrich."};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "Russia EXPELLED 300 migrants last week. The parliament Passed a bill on "
                 "migrants. A.%s", tails[i]);
        nm_doc *doc = nm_test_run(ctx, text, "2025-07");
        event(doc, "EXPELLED", "DEPORTATION");
        event(doc, "Passed a bill", "LEGISLATION");
        assert_int_equal(doc->kind_count[NM_EVENT], 2);
        nm_doc_free(doc);
    }
}

/* The copies of the trigger and cue phrases (nm_ev_longest) answer as the
 * matchers themselves at every token: case, multi-word phrases, a
 * case-sensitive cue ("may", not "May"), hyphens, possessives, tokens that
 * are not ASCII, and the end of a sentence. */
static void test_phrase_tables(void **state)
{
    NM_UNUSED(state);
    static const char *const texts[] = {
        "According to reports, Russia may expel labor migrants; in May it planned "
        "ENTRY BANS and a re-entry ban for foreign nationals. Operation Migrant began.",
        "The Government's labour-migration policy was NOT changed, reportedly: visa-free "
        "travel for guest workers ended \xe2\x80\x94 \xe2\x80\x9c" "deportations\xe2\x80\x9d "
        "rose in Z\xc3\xbc" "rich, according",
        "work permits. Work Permit! residence permits, border guards and Labor patents "
        "according to officials who were deported from Tajikistan.",
    };
    const nm_event_rules *r = ctx->events;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        nm_doc *doc = nm_test_run(ctx, texts[i], "2025-07");
        for (size_t s = 0; s < doc->nsents; s++) {
            size_t s0 = doc->sents[s].tok, s1 = s0 + doc->sents[s].ntok;
            for (size_t t = s0; t <= s1; t++) {
                nm_match a = {0, 0, NULL, false}, b = {0, 0, NULL, false};
                size_t na = nm_ev_longest(&r->pcue, r->cues, doc, t, s1, &a);
                size_t nb = nm_matcher_longest(r->cues, doc, t, s1, &b);
                assert_int_equal(na, nb);
                assert_ptr_equal(a.val, b.val);
                na = nm_ev_longest(&r->ptrig, r->triggers, doc, t, s1, &a);
                nb = nm_matcher_longest(r->triggers, doc, t, s1, &b);
                assert_int_equal(na, nb);
                assert_ptr_equal(a.val, b.val);
                assert_int_equal(a.ntok, b.ntok);
            }
        }
        nm_doc_free(doc);
    }
}

/* The index of the token screen (nm_ev_head_index) is one to one on the
 * 1024 pairs of 5-bit codes, so that the screen loses nothing to it. */
static void test_head_index(void **state)
{
    NM_UNUSED(state);
    static bool seen[1024];
    for (uint32_t p0 = 0; p0 < 32; p0++)
        for (uint32_t p1 = 0; p1 < 32; p1++) {
            uint32_t i = nm_ev_head_index(p0 | p1 << 8);
            assert_true(i < 1024);
            assert_false(seen[i]);
            seen[i] = true;
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_gate),  cmocka_unit_test(test_ascii_or_not),
        cmocka_unit_test(test_head_index),
        cmocka_unit_test(test_types),       cmocka_unit_test(test_composition),
        cmocka_unit_test(test_slots),       cmocka_unit_test(test_carry_over),
        cmocka_unit_test(test_modality),    cmocka_unit_test(test_negative),
        cmocka_unit_test(test_seed_000),    cmocka_unit_test(test_place),
        cmocka_unit_test(test_subject),     cmocka_unit_test(test_actor),
        cmocka_unit_test(test_figure),      cmocka_unit_test(test_target_date),
        cmocka_unit_test(test_pronoun_target), cmocka_unit_test(test_phrase_tables),
    };
    return cmocka_run_group_tests(tests, nm_test_setup, nm_test_teardown);
}
