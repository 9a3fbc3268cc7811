/* journal.h - the append-only journal of processed inputs (internal).
 *
 * One line per processed input, appended after its records are in place:
 *
 *     <sha256 of the input> TAB <rules digest> TAB <status> TAB <name> TAB <check>
 *
 * name is the input's key (file name), with '%' and control bytes written
 * as %XX; check is 8 hex digits of FNV-1a over the rest of the line, so a
 * line torn or garbled by a crash is recognised.  On open, the torn tail (a
 * last line without its newline, or failing its check) is cut off; bad lines
 * followed by good ones are skipped and counted.  The latest line for a name
 * wins.  The file is locked (flock) so that two processes never share it.
 *
 * A journal may be used by several threads: every function takes its lock.
 */
#ifndef NM_JOURNAL_H
#define NM_JOURNAL_H

#include "newsmine.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct nm_journal nm_journal;

typedef struct nm_journal_entry {
    char sha256[65]; /* lower-case hex of the input bytes */
    char rules[65];  /* nm_ctx_digest of the run that made the records */
    char status[16]; /* "ok" or "failed" */
} nm_journal_entry;

/* What open found and did (for the caller to log). */
typedef struct nm_journal_info {
    size_t lines;          /* good lines read */
    size_t bad_lines;      /* bad lines skipped in the middle */
    size_t torn_bytes;     /* bytes cut from a torn tail (0: none) */
    size_t torn_line;      /* 1-based line number where the cut started */
    bool compacted;        /* rewritten without superseded lines */
} nm_journal_info;

/* Opens (creating) the journal at path.  sync: fsync after each append.
 * Returns NM_E_IO with a message in err when the file cannot be read,
 * written, repaired or locked; *out is NULL then. */
nm_status nm_journal_open(const char *path, bool sync, nm_journal **out, nm_journal_info *info,
                          char *err, size_t errlen);
/* Closes (fsyncing when sync was asked) and frees; NULL is fine. */
void nm_journal_close(nm_journal *j);

/* The latest entry for name, copied into *out; false when there is none. */
bool nm_journal_lookup(nm_journal *j, const char *name, nm_journal_entry *out);
/* Appends an entry (and fsyncs when sync was asked).  NM_E_IO on failure. */
nm_status nm_journal_append(nm_journal *j, const char *name, const nm_journal_entry *e,
                            char *err, size_t errlen);
/* Number of distinct names known. */
size_t nm_journal_count(nm_journal *j);
/* fsyncs the journal now. */
nm_status nm_journal_sync(nm_journal *j);

/* Line codec, exposed for tests: formats one line (with its newline) into
 * buf, returning its length or 0 when it does not fit; parses one line
 * (without its newline), returning false when it is malformed. */
size_t nm_journal_format(char *buf, size_t cap, const char *name, const nm_journal_entry *e);
bool nm_journal_parse(const char *line, size_t len, char *name, size_t namecap,
                      nm_journal_entry *e);

#endif
