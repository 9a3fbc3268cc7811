/* test_entities.c - the ENTITY extractor with the shipped lexicons:
 * lexicon matches, name rules (positive and negative), aliases within a
 * document, and a user's lexicon directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"

static nm_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    return nm_ctx_new(NULL, &ctx) == NM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    nm_ctx_free(ctx);
    return 0;
}

/* "text/TYPE/canonical|..." of every entity of the text. */
static char *entities(const nm_ctx *c, const char *text)
{
    static char out[4096];
    nm_doc *d = nm_doc_new("t", "t");
    nm_doc_set_raw(d, text, strlen(text));
    assert_int_equal(nm_run(d, c), NM_OK);
    out[0] = '\0';
    for (size_t i = 0; i < d->nfacts; i++) {
        const nm_fact *f = &d->facts[i];
        if (f->kind != NM_ENTITY || f->dead)
            continue;
        size_t k = strlen(out);
        snprintf(out + k, sizeof out - k, "%.*s/%s/%s|", (int)(f->end - f->start),
                 d->text + f->start, f->type, nm_fact_get(f, "canonical"));
    }
    nm_doc_free(d);
    return out;
}

#define EXPECT(text, want) assert_string_equal(entities(ctx, text), want)

static void test_lexicon_names(void **state)
{
    (void)state;
    EXPECT("Migrants from Tajikistan went to Russia's capital.",
           "Tajikistan/GPE/Tajikistan|Russia/GPE/Russia|");
    EXPECT("Tajik-Russian talks on Central Asian labor.",
           "Tajik/NORP/Tajikistan|Russian/NORP/Russia|Central Asian/NORP/Central Asia|");
    EXPECT("The IOM and the International Organization for Migration met in Dushanbe.",
           "IOM/ORG/International Organization for Migration|"
           "International Organization for Migration/ORG/International Organization for Migration|"
           "Dushanbe/GPE/Dushanbe|");
    EXPECT("Foreign Minister Sergei Lavrov spoke.", "Sergei Lavrov/PERSON/Sergei Lavrov|");
}

static void test_org_rules(void **state)
{
    (void)state;
    EXPECT("He joined the Russian Ministry of Defense last year.",
           "Russian Ministry of Defense/ORG/Russian Ministry of Defense|");
    EXPECT("Officials of the Agency for Employment Abroad in Bishkek met.",
           "Agency for Employment Abroad/ORG/Agency for Employment Abroad|Bishkek/GPE/Bishkek|");
    EXPECT("He studied at the Carnegie Center for Russian and Eurasian Studies.",
           "Carnegie Center for Russian and Eurasian Studies/ORG/"
           "Carnegie Center for Russian and Eurasian Studies|");
    EXPECT("She works for the Zarafshon Refugee Bureau (ZRB) now. The ZRB said so.",
           "Zarafshon Refugee Bureau/ORG/Zarafshon Refugee Bureau|ZRB/ORG/Zarafshon Refugee Bureau|"
           "ZRB/ORG/Zarafshon Refugee Bureau|");
    EXPECT("Tursunova, director of the Legal Center for Women's Initiatives 'Sana Sezim' in "
           "Shymkent, agreed.",
           "Legal Center for Women's Initiatives/ORG/Sana Sezim|Sana Sezim/ORG/Sana Sezim|"
           "Shymkent/GPE/Shymkent|");
    EXPECT("They landed at Kulob International Airport on Monday.",
           "Kulob International Airport/FACILITY/Kulob International Airport|");
}

static void test_person_rules(void **state)
{
    (void)state;
    EXPECT("Rustam Atoyev, a labor migrant from Tajikistan, was deported. Rustam says he is safe.",
           "Rustam Atoyev/PERSON/Rustam Atoyev|Tajikistan/GPE/Tajikistan|"
           "Rustam/PERSON/Rustam Atoyev|");
    EXPECT("According to Shakhnoza Khasanova, more women arrive. Khasanova notes the change.",
           "Shakhnoza Khasanova/PERSON/Shakhnoza Khasanova|Khasanova/PERSON/Shakhnoza Khasanova|");
    EXPECT("They use it as a transit country, explains national demographer Aigul Tleubaeva.",
           "Aigul Tleubaeva/PERSON/Aigul Tleubaeva|");
    EXPECT("President Emomali Rahmon arrived. Later President Rahmon left.",
           "Emomali Rahmon/PERSON/Emomali Rahmon|Rahmon/PERSON/Emomali Rahmon|");
    EXPECT("The suspects (Daler Nazarov, Firuz Qodiri, and Bahrom Sattori) were held.",
           "Daler Nazarov/PERSON/Daler Nazarov|Firuz Qodiri/PERSON/Firuz Qodiri|"
           "Bahrom Sattori/PERSON/Bahrom Sattori|");
}

static void test_negative(void **state)
{
    (void)state;
    EXPECT("Deported migrants could not return.", "");
    EXPECT("He visited a Migrant Resource Center in town.", "");
    EXPECT("During Operation Migrant the police checked papers.", "");
    EXPECT("Is Kazakhstan Ready to Become New Labor Migrant Center?",
           "Kazakhstan/GPE/Kazakhstan|");
    EXPECT("It lost US$ 6 billion.", "");
    EXPECT("Zarafshon Juice Reports Rise", "");
    EXPECT("Apple Juice Reports Rise", "Apple/ORG/Apple Inc.|"); /* lists are trusted */
}

static void test_user_lexicon(void **state)
{
    (void)state;
    char dir[] = "/tmp/nm-lex-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/mine.lst", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("@kind ENTITY\n@type ORG\n@case insensitive\nKhujand Migrant Hub\tcanonical=KMH\n", f);
    fclose(f);
    const char *dirs[] = {getenv("NEWSMINE_LEXICONS"), dir, NULL};
    if (!dirs[0])
        dirs[0] = "lexicons";
    nm_options opt;
    memset(&opt, 0, sizeof opt);
    opt.lexicon_dirs = dirs;
    nm_ctx *mine = NULL;
    assert_int_equal(nm_ctx_new(&opt, &mine), NM_OK);
    assert_string_equal(entities(mine, "The KHUJAND MIGRANT HUB opened."), "KHUJAND MIGRANT HUB/ORG/KMH|");
    nm_ctx_free(mine);
    f = fopen(path, "w");
    fputs("@kind ENTITY\nNo Type Here\n", f);
    fclose(f);
    mine = NULL;
    assert_int_equal(nm_ctx_new(&opt, &mine), NM_E_LEXICON);
    assert_true(nm_ctx_message_count(mine) >= 1);
    assert_non_null(strstr(nm_ctx_message(mine, 0), "mine.lst:2: "));
    nm_ctx_free(mine);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexicon_names),
        cmocka_unit_test(test_org_rules),
        cmocka_unit_test(test_person_rules),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_user_lexicon),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
