/* fuzz_pipeline.c - the whole pipeline on arbitrary bytes.
 *
 * Built with -Dfuzzing=true (clang, libFuzzer): fuzz/fuzz_pipeline CORPUS.
 * Otherwise the replay main at the end runs every file given on the command
 * line (the 'fuzz-regress' test suite replays fuzz/corpus).
 *
 * Checks, besides "no crash, no sanitizer report": every fact's raw span is
 * inside the input and not reversed, event slots point at facts, and the
 * XML record is well-formed.
 */
#include "emit.h"
#include "stages.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nm_ctx *ctx;

static void check(nm_doc *doc)
{
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->rstart > f->rend || f->rend > doc->raw_len)
            abort();
        for (int s = 0; s < NM_SLOT_COUNT; s++)
            if (f->slot[s] >= (int32_t)doc->nfacts)
                abort();
    }
    size_t n;
    const char *body = nm_doc_xml(doc, &n);
    if (!body)
        return;
    const char *h = nm_xml_head(), *t = nm_xml_tail();
    size_t hl = strlen(h), tl = strlen(t);
    char *all = malloc(hl + n + tl);
    memcpy(all, h, hl);
    memcpy(all + hl, body, n);
    memcpy(all + hl + n, t, tl);
    xmlDocPtr x = xmlReadMemory(all, (int)(hl + n + tl), "f.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(all);
    if (!x)
        abort(); /* the record is not well-formed XML */
    xmlFreeDoc(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        nm_options opt;
        memset(&opt, 0, sizeof opt);
        opt.formats = NM_FMT_XML | NM_FMT_TSV;
        if (nm_ctx_new(&opt, &ctx) != NM_OK)
            abort();
    }
    nm_doc *doc = nm_doc_new("fuzz", "fuzz");
    nm_doc_set_raw(doc, data, size);
    nm_doc_set_date(doc, "2025-07", "option");
    if (nm_run(doc, ctx) == NM_OK)
        check(doc);
    nm_doc_free(doc);
    return 0;
}

#ifndef NM_FUZZING
#include <dirent.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    uint8_t *buf = malloc(1 << 22);
    size_t n = fread(buf, 1, 1 << 22, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

/* Replays every FILE, and every file in each FOLDER given. */
int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            if (replay_file(argv[i]) != 0)
                return 2;
            files++;
            continue;
        }
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            char path[4096];
            if (de->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
            if (replay_file(path) != 0)
                return 2;
            files++;
        }
        closedir(d);
    }
    nm_ctx_free(ctx);
    printf("fuzz-regress: %d passed, 0 failed\n", files);
    return files ? 0 : 1;
}
#endif
