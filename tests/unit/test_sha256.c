/* test_sha256.c - unit tests for core/nm_sha256 (FIPS 180-4 SHA-256).
 *
 * Known answers are the NIST examples (FIPS 180-2 appendix B / CAVS "SHA256
 * ShortMsg" style) plus padding-boundary lengths whose digests were computed
 * independently; everything runs in-process, no external tools.
 *
 * The whole suite runs twice: once with the automatic choice of compression
 * code (SHA-NI where the CPU has it) and once forced to the portable C code;
 * further tests compare the two paths directly, including switching between
 * them in the middle of a message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nm_sha256.h"

static const char MSG448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void check_hex(const void *data, size_t n, const char *want)
{
    char got[65];

    memset(got, 'x', sizeof got);
    nm_sha256_hex(data, n, got);
    assert_int_equal(got[64], '\0');
    assert_string_equal(got, want);
}

static void test_empty(void **state)
{
    (void)state;
    check_hex("", 0,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_hex(NULL, 0,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    check_hex("abc", 3,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448(void **state)
{
    (void)state;
    assert_int_equal(strlen(MSG448), 56);
    check_hex(MSG448, strlen(MSG448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896(void **state)
{
    (void)state;
    assert_int_equal(strlen(MSG896), 112);
    check_hex(MSG896, strlen(MSG896),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
    enum { N = 1000000 };
    char *m = malloc(N);
    nm_sha256 s;
    uint8_t dig[32];
    char hex[65];
    static const char want[] =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

    (void)state;
    assert_non_null(m);
    memset(m, 'a', N);
    check_hex(m, N, want);
    /* Same million 'a' fed 1000 bytes at a time, as the NIST example does. */
    nm_sha256_init(&s);
    for (int i = 0; i < N / 1000; i++)
        nm_sha256_update(&s, m, 1000);
    nm_sha256_final(&s, dig);
    nm_sha256_tohex(dig, hex);
    assert_string_equal(hex, want);
    free(m);
}

/* Lengths around the padding boundaries (55/56/63/64 bytes) of 'a'. */
static void test_padding_boundaries(void **state)
{
    static const struct { size_t n; const char *hex; } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
    };
    char m[65];

    (void)state;
    memset(m, 'a', sizeof m);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_hex(m, v[i].n, v[i].hex);
}

static void test_tohex(void **state)
{
    uint8_t dig[32];
    char hex[65];

    (void)state;
    for (int i = 0; i < 32; i++)
        dig[i] = (uint8_t)(i * 8 + 7); /* covers 0x07 .. 0xff */
    nm_sha256_tohex(dig, hex);
    assert_string_equal(hex,
        "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

/* Deterministic pseudo-random bytes (xorshift32). */
static void fill_bytes(uint8_t *p, size_t n)
{
    uint32_t x = 2463534242u;

    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 24);
    }
}

/* Streaming in odd chunk sizes must equal the one-shot digest, for every
 * chunk size and from an odd (misaligned) start address. */
static void test_streaming_chunks(void **state)
{
    enum { N = 4099 };
    static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 31, 55, 56, 63, 64, 65,
                                    127, 129, 1000, 4098, 4099, 5000};
    uint8_t *raw = malloc(N + 1);
    const uint8_t *m;
    char want[65], got[65];

    (void)state;
    assert_non_null(raw);
    fill_bytes(raw, N + 1);
    m = raw + 1;
    for (size_t len = 0; len <= N; len += (len < 200 ? 1 : 97)) {
        nm_sha256_hex(m, len, want);
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            nm_sha256 s;
            uint8_t dig[32];

            nm_sha256_init(&s);
            for (size_t off = 0; off < len; off += chunks[c]) {
                size_t k = len - off < chunks[c] ? len - off : chunks[c];
                nm_sha256_update(&s, m + off, k);
                nm_sha256_update(&s, m + off + k, 0); /* empty updates are no-ops */
            }
            nm_sha256_final(&s, dig);
            nm_sha256_tohex(dig, got);
            assert_string_equal(got, want);
        }
    }
    free(raw);
}

/* Irregular chunk sequence (1, 2, ..., wrapping) over the 896-bit message. */
static void test_streaming_irregular(void **state)
{
    nm_sha256 s;
    uint8_t dig[32];
    char hex[65];
    size_t n = strlen(MSG896), off = 0, k = 1;

    (void)state;
    nm_sha256_init(&s);
    while (off < n) {
        size_t take = n - off < k ? n - off : k;
        nm_sha256_update(&s, MSG896 + off, take);
        off += take;
        k = k % 17 + 1;
    }
    nm_sha256_final(&s, dig);
    nm_sha256_tohex(dig, hex);
    assert_string_equal(hex,
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* A state can be reused after final() by calling init() again. */
static void test_reuse(void **state)
{
    nm_sha256 s;
    uint8_t d1[32], d2[32];

    (void)state;
    nm_sha256_init(&s);
    nm_sha256_update(&s, "abc", 3);
    nm_sha256_final(&s, d1);
    nm_sha256_init(&s);
    nm_sha256_update(&s, "abc", 3);
    nm_sha256_final(&s, d2);
    assert_memory_equal(d1, d2, 32);
}

/* Digest of m[0..len) fed in chunks: chunk > 0 is a fixed size, chunk == 0
 * draws sizes from *rng (0..2*64+1, so empty, sub-block, block and
 * multi-block updates all occur). If flip is set, the implementation is
 * toggled between updates (portable <-> automatic) starting from `portable`. */
static void digest_chunked(const uint8_t *m, size_t len, size_t chunk, uint32_t *rng,
                           int portable, int flip, uint8_t dig[32])
{
    nm_sha256 s;
    size_t off = 0;

    nm_sha256_force_portable(portable);
    nm_sha256_init(&s);
    while (off < len) {
        size_t k = chunk;

        if (k == 0) {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 17;
            *rng ^= *rng << 5;
            k = *rng % 130;
        }
        if (k > len - off)
            k = len - off;
        nm_sha256_update(&s, m + off, k);
        off += k;
        if (flip) {
            portable = !portable;
            nm_sha256_force_portable(portable);
        }
    }
    nm_sha256_final(&s, dig);
    nm_sha256_force_portable(0);
}

/* The automatic path (SHA-NI here if available) and the portable path give
 * the same digest for every length 0..1200, larger odd lengths, all start
 * alignments 0..15 and many chunkings, also when switching mid-message. */
static void test_paths_agree(void **state)
{
    enum { MAXLEN = 70000, ALIGN = 16 };
    static const size_t chunks[] = {1, 3, 7, 55, 63, 64, 65, 128, 191, 1024, 4096};
    uint8_t *raw = malloc(MAXLEN + ALIGN);
    uint32_t rng = 12345u;

    (void)state;
    assert_non_null(raw);
    fill_bytes(raw, MAXLEN + ALIGN);
    for (size_t len = 0; len <= MAXLEN; len += (len < 1200 ? 1 : len < 5000 ? 61 : 6553)) {
        const uint8_t *m = raw + len % ALIGN;
        uint8_t want[32], got[32];

        /* One-shot portable is the reference. */
        digest_chunked(m, len, len ? len : 1, &rng, 1, 0, want);
        digest_chunked(m, len, len ? len : 1, &rng, 0, 0, got);
        assert_memory_equal(got, want, 32);
        /* Random chunkings, both paths and alternating. */
        digest_chunked(m, len, 0, &rng, 0, 0, got);
        assert_memory_equal(got, want, 32);
        digest_chunked(m, len, 0, &rng, 1, 0, got);
        assert_memory_equal(got, want, 32);
        digest_chunked(m, len, 0, &rng, 0, 1, got);
        assert_memory_equal(got, want, 32);
        digest_chunked(m, len, 0, &rng, 1, 1, got);
        assert_memory_equal(got, want, 32);
        /* Fixed chunk sizes on a subset of lengths (keeps the test fast). */
        if (len % 7 == 0 || len > 1200) {
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                digest_chunked(m, len, chunks[c], &rng, 0, 0, got);
                assert_memory_equal(got, want, 32);
                digest_chunked(m, len, chunks[c], &rng, 0, 1, got);
                assert_memory_equal(got, want, 32);
            }
        }
    }
    free(raw);
}

/* Every start offset 0..63 within a buffer, whole multi-block messages:
 * exercises unaligned vector loads at each possible misalignment. */
static void test_paths_agree_offsets(void **state)
{
    enum { LEN = 64 * 37 + 11 };
    uint8_t *raw = malloc(LEN + 64);
    uint32_t rng = 777u;

    (void)state;
    assert_non_null(raw);
    fill_bytes(raw, LEN + 64);
    for (size_t o = 0; o < 64; o++) {
        uint8_t want[32], got[32];

        digest_chunked(raw + o, LEN, LEN, &rng, 1, 0, want);
        digest_chunked(raw + o, LEN, LEN, &rng, 0, 0, got);
        assert_memory_equal(got, want, 32);
    }
    free(raw);
}

/* 1 if /proc/cpuinfo lists all of the space-separated flags in want. */
static int cpuinfo_has_flags(const char *want)
{
#if defined(__linux__) && (defined(__x86_64__) || defined(__i386__))
    char line[8192];
    FILE *f = fopen("/proc/cpuinfo", "r");
    int found = 0;

    if (f == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
        const char *w = want;

        if (strncmp(line, "flags", 5) != 0)
            continue;
        found = 1;
        while (*w != '\0') {
            char tok[32];
            size_t n = strcspn(w, " ");

            if (n + 2 > sizeof tok) {
                found = 0;
                break;
            }
            tok[0] = ' ';
            memcpy(tok + 1, w, n);
            tok[n + 1] = '\0';
            /* " flag" followed by a space or the end of the line */
            const char *hit = strstr(line, tok);
            while (hit != NULL && hit[n + 1] != ' ' && hit[n + 1] != '\n' && hit[n + 1] != '\0')
                hit = strstr(hit + 1, tok);
            if (hit == NULL)
                found = 0;
            w += n;
            while (*w == ' ')
                w++;
        }
        break; /* first CPU is enough */
    }
    fclose(f);
    return found;
#else
    (void)want;
    return 0;
#endif
}

/* The hook switches the reported implementation and back; on a Linux x86
 * CPU that advertises the SHA extensions the fast path must be chosen (a
 * silent fallback would cost ~3x in speed without failing any digest test). */
static void test_impl_hook(void **state)
{
    const char *autoimpl = nm_sha256_impl();
    int cpu_shani = cpuinfo_has_flags("sha_ni sse4_1 ssse3");

    (void)state;
    print_message("sha256 implementation: %s (cpuinfo sha_ni: %s)\n", autoimpl,
                  cpu_shani ? "yes" : "no/unknown");
    assert_true(strcmp(autoimpl, "sha-ni") == 0 || strcmp(autoimpl, "portable") == 0);
#ifndef NM_SHA256_NO_SHANI /* built without the fast path: anything goes */
    if (cpu_shani)
        assert_string_equal(autoimpl, "sha-ni");
#endif
    nm_sha256_force_portable(1);
    assert_string_equal(nm_sha256_impl(), "portable");
    nm_sha256_force_portable(0);
    assert_string_equal(nm_sha256_impl(), autoimpl);
}

static int force_portable_setup(void **state)
{
    (void)state;
    nm_sha256_force_portable(1);
    return 0;
}

static int force_portable_teardown(void **state)
{
    (void)state;
    nm_sha256_force_portable(0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_448),
        cmocka_unit_test(test_896),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_tohex),
        cmocka_unit_test(test_streaming_chunks),
        cmocka_unit_test(test_streaming_irregular),
        cmocka_unit_test(test_reuse),
    };
    const struct CMUnitTest cross[] = {
        cmocka_unit_test(test_impl_hook),
        cmocka_unit_test(test_paths_agree),
        cmocka_unit_test(test_paths_agree_offsets),
    };
    int failed = 0;

    /* Known answers with the automatic choice, then forced portable. The
     * group setup/teardown wrap every test of the second run. */
    failed += cmocka_run_group_tests_name("sha256 (auto)", tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("sha256 (portable)", tests,
                                          force_portable_setup, force_portable_teardown);
    failed += cmocka_run_group_tests_name("sha256 (auto vs portable)", cross, NULL, NULL);
    return failed;
}
