/* ingest.h - from an input file to a document ready to run (internal).
 *
 * Shared by `newsmine batch` and `newsmine watch`: which file names are
 * articles, what their records are called, and how a file (plain text or
 * HTML) becomes an nm_doc.
 */
#ifndef NM_INGEST_H
#define NM_INGEST_H

#include "newsmine.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum nm_input_kind { NM_INPUT_NONE = 0, NM_INPUT_TEXT, NM_INPUT_HTML } nm_input_kind;

/* What kind of article a file name is: .txt is text, .html/.htm (any case)
 * HTML; NONE for anything else, dot-files and editors' temporary names
 * (name~, #name#, .swp, .tmp, .part, .crdownload, vim's 4913 ...). */
nm_input_kind nm_input_kind_of(const char *name);

/* The record name of an input path relative to the input folder:
 * sub/x.txt -> sub%2Fx (.txt dropped, other extensions kept), made safe as a
 * file name (nm_cli_safe_name): distinct paths get distinct names. */
void nm_record_name(const char *rel, char *out, size_t cap);

/* An input file: its bytes, then the document made of them. */
typedef struct nm_input {
    char *data;           /* the file's bytes (NUL-terminated), until made a doc */
    size_t bytes;         /* file size */
    char sha256[65];      /* of the file's bytes */
    nm_doc *doc;          /* after nm_input_doc */
    nm_status st;         /* why nm_input_read failed */
    char err[512];        /* message when it failed */
} nm_input;

/* Reads path, at most max bytes (over it: NM_E_TOO_BIG), and hashes it.
 * false with in->st and in->err set when it cannot. */
bool nm_input_read(nm_input *in, const char *path, size_t max);
/* Makes the document named name of the bytes read (which it takes): for
 * HTML, the article text, with the page's date (source "html-meta") and
 * origin.  date (with date_source) wins over the page's date; NULL: none. */
nm_doc *nm_input_doc(nm_input *in, const char *name, const char *path, nm_input_kind kind,
                     const char *date, const char *date_source);
/* Frees the bytes and the document. */
void nm_input_free(nm_input *in);

/* ------------------------------------------------------------ records */

/* Where and how records are written. */
typedef struct nm_outdir {
    const char *dir;
    unsigned formats; /* NM_FMT_* */
    bool fsync;       /* fsync each record (and its folder) before it counts */
} nm_outdir;

#define NM_JOURNAL_NAME ".newsmine-journal"

/* Writes dir/<name>.xml and/or .tsv of a document that ran, each through a
 * temporary file and rename.  -1 with a message in err on failure. */
int nm_records_write(const nm_outdir *o, nm_doc *doc, const char *name, char *err,
                     size_t errlen);
/* True when every record of name asked for is there. */
bool nm_records_exist(const nm_outdir *o, const char *name);
/* Removes the records of name (stale ones, after their input failed). */
void nm_records_remove(const nm_outdir *o, const char *name);
/* Removes temporary files (.NAME.tmpPID) left in dir by a process that no
 * longer runs; returns how many. */
size_t nm_outdir_clean_temps(const char *dir);
/* fsyncs a folder; -1 on failure. */
int nm_fsync_dir(const char *dir);

/* True when dir/<name>.xml exists and its <document> says it was made from
 * a file with this SHA-256 (sha256=, or source-sha256= for HTML) under these
 * lexicons and rules (rules=), with date as its dates-file date (NULL: it
 * had none).  Always false when XML is not among the formats. */
bool nm_record_current(const nm_outdir *o, const char *name, const char *sha256,
                       const char *rules, const char *date);

#endif
