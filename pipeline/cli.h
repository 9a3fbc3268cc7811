/* cli.h - the command-line program (internal). */
#ifndef NM_CLI_H
#define NM_CLI_H

#include "newsmine.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

enum { NM_EXIT_OK = 0, NM_EXIT_FAILED = 1, NM_EXIT_USAGE = 2 };

/* Reads fd to its end, at most max bytes, into a NUL-terminated buffer the
 * caller frees.  NULL with *err = errno (EFBIG: over max) on failure. */
char *nm_read_fd(int fd, size_t max, size_t *len, int *err);
/* Reads a whole file ("-" = stdin) up to max bytes.  Returns NULL with a
 * message in err (errno text, or "over the size limit"). */
char *nm_cli_read(const char *path, size_t max, size_t *len, char *err, size_t errlen,
                  nm_status *st);
/* Writes data to path through a temporary file in the same directory and
 * rename(2), so readers never see half a file.  sync: fsync first. */
int nm_cli_write_atomic(const char *path, const char *const *parts, const size_t *lens,
                        size_t nparts, bool sync, char *err, size_t errlen);
/* Prints a document's diagnostics as "path:line:col: [NM-n] severity: msg". */
void nm_cli_print_diags(FILE *f, const nm_doc *doc, const char *path);
/* The record name of an input path: base name without .txt. */
void nm_cli_doc_name(const char *path, char *out, size_t cap);
/* A file-name-safe version of name: letters, digits, - _ . + , = and valid
 * UTF-8 stay; every other byte (/, %, controls, a leading . or -) becomes
 * %XX, so distinct names stay distinct. */
void nm_cli_safe_name(const char *name, char *out, size_t cap);

/* documents.tsv: doc<TAB>date<TAB>source, with a header. */
typedef struct nm_dates nm_dates;
nm_dates *nm_dates_load(const char *path, FILE *err);
const char *nm_dates_get(const nm_dates *d, const char *doc);
void nm_dates_free(nm_dates *d);

/* Option parsing shared by commands. */
bool nm_cli_parse_formats(const char *s, unsigned *out);
int nm_cli_jobs_default(void);

/* Options every pipeline command takes: -L/--lexicons, --day-first,
 * --max-bytes. */
typedef struct nm_cli_opts {
    const char *dirs[34];
    size_t ndirs;
    nm_options opt;
} nm_cli_opts;
/* 1: option used (consumes *i), 0: not ours, -1: bad value. */
int nm_cli_common_option(nm_cli_opts *co, int argc, char **argv, int *i);
/* Loads lexicons and rules, printing problems; NULL on failure. */
nm_ctx *nm_cli_make_ctx(nm_cli_opts *co);
/* Set by the SIGINT/SIGTERM handler nm_cli_catch_stop installs (the
 * signal's number): finish the document in hand, then stop. */
extern volatile sig_atomic_t nm_cli_stop;
void nm_cli_catch_stop(void);
/* Creates a folder and its parents; -1 with errno on failure. */
int nm_cli_mkdir_p(const char *path);

int nm_cli_usage_error(const char *cmd, const char *msg, const char *arg);
const char *nm_default_lexdir(void);

int nm_cmd_batch(int argc, char **argv);
int nm_cmd_watch(int argc, char **argv);
int nm_cmd_extract(int argc, char **argv);
int nm_cmd_lexicon(int argc, char **argv);
int nm_eval_main(int argc, char **argv, FILE *out, FILE *err);

#endif
