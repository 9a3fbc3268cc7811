/* main.c - newsmine command line: extract, batch, watch, eval, lexicon. */
#include "cli.h"
#include "emit.h"
#include "extract.h"
#include "ingest.h"
#include "nm_core.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_main[] =
    "Usage: newsmine COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Turns news articles into structured facts (figures, dates, entities, events)\n"
    "with byte offsets into the untouched input.\n"
    "\n"
    "Commands:\n"
    "  extract FILE...          print the records of files (- reads stdin)\n"
    "  batch INDIR -o OUTDIR    process every article (*.txt, *.html) under INDIR\n"
    "                           into OUTDIR, in parallel and incrementally\n"
    "  watch INBOX -o OUTDIR    process each article that lands in INBOX, exactly once\n"
    "  eval GOLD_DIR SYS_DIR    score TSV output against gold annotations\n"
    "  lexicon check [DIR...]   validate lexicon lists\n"
    "\n"
    "Options:\n"
    "  -h, --help               show this help (COMMAND --help: the command's)\n"
    "  -V, --version            show the version\n"
    "\n"
    "Exit status: 0 all good, 1 some documents failed (lexicon check: problems\n"
    "found), 2 usage or set-up error.\n";

static const char usage_extract[] =
    "Usage: newsmine extract [OPTIONS] FILE...\n"
    "\n"
    "Runs the pipeline on each FILE (- reads standard input) and prints the\n"
    "records to standard output: XML (one <newsmine> root holding a <document>\n"
    "per file, see schema/newsmine.rng) or TSV in the gold format. Files named\n"
    "*.html or *.htm are read as web pages (the article text, the page's date).\n"
    "\n"
    "Options:\n"
    "  -f, --format xml|tsv     output format (default xml); with tsv and several\n"
    "                           files each record is preceded by a '# FILE' line\n"
    "  -d, --date DATE          document date, YYYY-MM-DD or YYYY-MM, used to\n"
    "                           resolve relative times (applies to every FILE)\n"
    "  -L, --lexicons DIR       also load the *.lst lists under DIR (repeatable)\n"
    "      --day-first          read 03/04/2024 as 3 April (default: month first)\n"
    "      --max-bytes N        refuse documents over N bytes (default 256 MiB)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Diagnostics go to standard error as FILE:LINE:COL: [NM-CODE] severity: message.\n"
    "Exit status: 0 all good, 1 some file failed, 2 usage or set-up error.\n";

static const char usage_lexicon[] =
    "Usage: newsmine lexicon check [DIR...]\n"
    "\n"
    "Validates the lexicon lists (*.lst) under each DIR (default: the built-in\n"
    "lexicon directory, %s; NEWSMINE_LEXICONS overrides it). Every problem is\n"
    "printed as FILE:LINE: message. The format is described in lexicons/README.md.\n"
    "\n"
    "Exit status: 0 no problem, 1 problems found, 2 usage error.\n";

/* Runs one file; returns true when it succeeded.  .html/.htm files are
 * read as web pages (the article text, the page's date), as batch does. */
static bool extract_one(const nm_ctx *ctx, const char *path, const char *date, bool tsv,
                        bool many, size_t max)
{
    char name[1024];
    nm_cli_doc_name(path, name, sizeof name);
    bool in_stdin = strcmp(path, "-") == 0;
    nm_input_kind kind = in_stdin ? NM_INPUT_TEXT : nm_input_kind_of(path);
    nm_input in;
    memset(&in, 0, sizeof in);
    if (!nm_input_read(&in, path, max)) { /* "-" reads standard input */
        fprintf(stderr, "%s: [NM-%d] error: %s\n", path, (int)in.st, in.err);
        return false;
    }
    nm_doc *doc = nm_input_doc(&in, in_stdin ? "stdin" : name, path,
                               kind == NM_INPUT_HTML ? NM_INPUT_HTML : NM_INPUT_TEXT, date,
                               "option");
    nm_status st = nm_run(doc, ctx);
    nm_cli_print_diags(stderr, doc, path);
    if (st == NM_OK) {
        size_t n;
        const char *out = tsv ? nm_doc_tsv(doc, &n) : nm_doc_xml(doc, &n);
        if (tsv && many)
            printf("# %s\n", path);
        fwrite(out, 1, n, stdout);
    }
    nm_input_free(&in);
    return st == NM_OK;
}

int nm_cmd_extract(int argc, char **argv)
{
    nm_cli_opts co;
    memset(&co, 0, sizeof co);
    const char *date = NULL;
    unsigned fmt = NM_FMT_XML;
    char **files = nm_xcalloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, rc = NM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = nm_cli_common_option(&co, argc, argv, &i);
        if (c < 0) {
            free(files);
            return nm_cli_usage_error("extract", "bad or missing value for", a);
        }
        if (c)
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_extract, stdout);
            free(files);
            return NM_EXIT_OK;
        } else if ((strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "xml") == 0)
                fmt = NM_FMT_XML;
            else if (strcmp(f, "tsv") == 0)
                fmt = NM_FMT_TSV;
            else {
                free(files);
                return nm_cli_usage_error("extract", "--format takes xml or tsv, not", f);
            }
        } else if ((strcmp(a, "-d") == 0 || strcmp(a, "--date") == 0) && i + 1 < argc) {
            date = argv[++i];
            if (!nm_date_valid(date)) {
                free(files);
                return nm_cli_usage_error("extract", "--date takes YYYY-MM-DD or YYYY-MM, not", date);
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            free(files);
            return nm_cli_usage_error("extract", "unknown option", a);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        free(files);
        return nm_cli_usage_error("extract", "no FILE given", NULL);
    }
    co.opt.formats = fmt;
    nm_ctx *ctx = nm_cli_make_ctx(&co);
    if (!ctx) {
        free(files);
        return NM_EXIT_USAGE;
    }
    size_t max = co.opt.max_bytes ? co.opt.max_bytes : (size_t)256 << 20;
    if (fmt == NM_FMT_XML)
        fputs(nm_xml_head(), stdout);
    for (int i = 0; i < nfiles; i++)
        if (!extract_one(ctx, files[i], date, fmt == NM_FMT_TSV, nfiles > 1, max))
            rc = NM_EXIT_FAILED;
    if (fmt == NM_FMT_XML)
        fputs(nm_xml_tail(), stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "newsmine extract: cannot write standard output\n");
        rc = NM_EXIT_USAGE;
    }
    nm_ctx_free(ctx);
    free(files);
    return rc;
}

static size_t count_entries(const nm_ctx *ctx);

int nm_cmd_lexicon(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        printf(usage_lexicon, nm_default_lexdir());
        return argc < 2 ? NM_EXIT_USAGE : NM_EXIT_OK;
    }
    if (strcmp(argv[1], "check") != 0)
        return nm_cli_usage_error("lexicon", "unknown subcommand", argv[1]);
    const char *dirs[64];
    size_t n = 0;
    for (int i = 2; i < argc && n < 63; i++) {
        if (argv[i][0] == '-')
            return nm_cli_usage_error("lexicon", "unknown option", argv[i]);
        dirs[n++] = argv[i];
    }
    if (n == 0)
        dirs[n++] = nm_default_lexdir();
    dirs[n] = NULL;
    nm_options opt;
    memset(&opt, 0, sizeof opt);
    opt.lexicon_dirs = dirs;
    nm_ctx *ctx = NULL;
    nm_status st = nm_ctx_new(&opt, &ctx);
    for (size_t i = 0; i < nm_ctx_message_count(ctx); i++)
        printf("%s\n", nm_ctx_message(ctx, i));
    size_t lists = ctx->lex.nlists, entries = count_entries(ctx);
    int rc = st == NM_OK ? NM_EXIT_OK : NM_EXIT_FAILED;
    fprintf(rc ? stderr : stdout, "newsmine lexicon check: %zu lists, %zu entries, %zu problems\n",
            lists, entries, nm_ctx_message_count(ctx));
    nm_ctx_free(ctx);
    return rc;
}

static size_t count_entries(const nm_ctx *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->lex.nlists; i++)
        n += ctx->lex.lists[i].n;
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return NM_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return NM_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("newsmine %s\n", NM_VERSION);
        return NM_EXIT_OK;
    }
    if (strcmp(cmd, "extract") == 0)
        return nm_cmd_extract(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return nm_cmd_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "watch") == 0)
        return nm_cmd_watch(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0)
        return nm_eval_main(argc - 1, argv + 1, stdout, stderr);
    if (strcmp(cmd, "lexicon") == 0)
        return nm_cmd_lexicon(argc - 1, argv + 1);
    fprintf(stderr, "newsmine: unknown command '%s'\nTry 'newsmine --help'.\n", cmd);
    return NM_EXIT_USAGE;
}
