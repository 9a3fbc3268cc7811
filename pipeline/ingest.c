/* ingest.c - from an input file to a document ready to run (see ingest.h). */
#include "ingest.h"
#include "cli.h"
#include "emit.h"
#include "html.h"
#include "nm_sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static bool ends_with(const char *s, size_t n, const char *suffix, bool nocase)
{
    size_t k = strlen(suffix);
    if (n < k)
        return false;
    return nocase ? strcasecmp(s + n - k, suffix) == 0 : strcmp(s + n - k, suffix) == 0;
}

/* Names editors and downloaders use for files still being written. */
static bool temporary_name(const char *b, size_t n)
{
    static const char *const suffixes[] = {"~", ".swp", ".swo", ".swx", ".tmp", ".temp",
                                           ".part", ".partial", ".crdownload", ".download",
                                           ".filepart", ".kate-swp", ".bak", NULL};
    if (b[0] == '.' || b[0] == '#' || b[0] == '~' || strcmp(b, "4913") == 0)
        return true;
    for (size_t i = 0; suffixes[i]; i++)
        if (ends_with(b, n, suffixes[i], true))
            return true;
    return false;
}

nm_input_kind nm_input_kind_of(const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = strlen(b);
    if (n == 0 || temporary_name(b, n))
        return NM_INPUT_NONE;
    if (n > 4 && ends_with(b, n, ".txt", false))
        return NM_INPUT_TEXT;
    if ((n > 5 && ends_with(b, n, ".html", true)) || (n > 4 && ends_with(b, n, ".htm", true)))
        return NM_INPUT_HTML;
    return NM_INPUT_NONE;
}

void nm_record_name(const char *rel, char *out, size_t cap)
{
    char raw[4096];
    size_t n = strlen(rel);
    bool txt = n > 4 && strcmp(rel + n - 4, ".txt") == 0;
    snprintf(raw, sizeof raw, "%.*s", (int)(txt ? n - 4 : n), rel);
    nm_cli_safe_name(raw, out, cap); /* / becomes %2F */
    size_t m = strlen(out);
    /* x.html.txt must not take the name of the page x.html: encode its dot */
    if (txt && nm_input_kind_of(out) == NM_INPUT_HTML && m + 3 < cap) {
        char *dot = strrchr(out, '.');
        memmove(dot + 3, dot + 1, strlen(dot + 1) + 1);
        memcpy(dot, "%2E", 3);
    }
}

static void load_html(nm_input *in, const char *data, size_t len, const char *date)
{
    nm_html_text t;
    nm_html_extract(data, len, 0, &t);
    nm_doc_set_raw(in->doc, t.text, t.len);
    nm_doc_set_origin(in->doc, "html", in->sha256, t.title);
    if (!date && t.date[0])
        nm_doc_set_date(in->doc, t.date, "html-meta");
    if (t.depth_cut) {
        in->doc->stage = "ingest";
        nm_diag_add(in->doc, NM_E_LIMIT, NM_SEV_WARNING, 0,
                    "HTML nested deeper than %d elements: the deeper content was dropped",
                    NM_HTML_MAX_DEPTH);
    }
    nm_html_text_free(&t);
}

bool nm_input_read(nm_input *in, const char *path, size_t max)
{
    memset(in, 0, sizeof *in);
    in->data = nm_cli_read(path, max, &in->bytes, in->err, sizeof in->err, &in->st);
    if (!in->data)
        return false;
    nm_sha256_hex(in->data, in->bytes, in->sha256);
    return true;
}

nm_doc *nm_input_doc(nm_input *in, const char *name, const char *path, nm_input_kind kind,
                     const char *date, const char *date_source)
{
    in->doc = nm_doc_new(name, path);
    if (kind == NM_INPUT_HTML)
        load_html(in, in->data, in->bytes, date);
    else
        nm_doc_take_raw(in->doc, in->data, in->bytes, in->sha256); /* no copy, no rehash */
    if (kind == NM_INPUT_HTML)
        free(in->data);
    in->data = NULL;
    if (date)
        nm_doc_set_date(in->doc, date, date_source);
    return in->doc;
}

void nm_input_free(nm_input *in)
{
    free(in->data);
    nm_doc_free(in->doc);
    in->data = NULL;
    in->doc = NULL;
}

/* ------------------------------------------------------------ records */

int nm_records_write(const nm_outdir *o, nm_doc *doc, const char *name, char *err,
                     size_t errlen)
{
    char path[8192];
    size_t n;
    if (o->formats & NM_FMT_XML) {
        const char *body = nm_doc_xml(doc, &n);
        const char *parts[] = {nm_xml_head(), body, nm_xml_tail()};
        size_t lens[] = {strlen(parts[0]), n, strlen(parts[2])};
        snprintf(path, sizeof path, "%s/%s.xml", o->dir, name);
        if (nm_cli_write_atomic(path, parts, lens, 3, o->fsync, err, errlen) != 0)
            return -1;
    }
    if (o->formats & NM_FMT_TSV) {
        const char *body = nm_doc_tsv(doc, &n);
        snprintf(path, sizeof path, "%s/%s.tsv", o->dir, name);
        if (nm_cli_write_atomic(path, &body, &n, 1, o->fsync, err, errlen) != 0)
            return -1;
    }
    if (o->fsync && nm_fsync_dir(o->dir) != 0) {
        snprintf(err, errlen, "cannot fsync %s: %s", o->dir, strerror(errno));
        return -1;
    }
    return 0;
}

bool nm_records_exist(const nm_outdir *o, const char *name)
{
    static const char *const ext[] = {"xml", "tsv"};
    char path[8192];
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s.%s", o->dir, name, ext[i]);
        if ((o->formats & (1u << i)) && access(path, F_OK) != 0)
            return false;
    }
    return true;
}

void nm_records_remove(const nm_outdir *o, const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s.xml", o->dir, name);
    unlink(path);
    snprintf(path, sizeof path, "%s/%s.tsv", o->dir, name);
    unlink(path);
}

/* ".NAME.tmpPID" as nm_cli_write_atomic makes them; *pid set. */
static bool temp_name(const char *s, long *pid)
{
    const char *t = strrchr(s, '.');
    if (s[0] != '.' || !t || t == s || strncmp(t, ".tmp", 4) != 0 || !t[4])
        return false;
    char *end;
    *pid = strtol(t + 4, &end, 10);
    return *end == '\0' && *pid > 0;
}

size_t nm_outdir_clean_temps(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        long pid;
        if (!temp_name(de->d_name, &pid) || (kill((pid_t)pid, 0) == 0 || errno == EPERM))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        n += unlink(path) == 0;
    }
    if (d)
        closedir(d);
    return n;
}

int nm_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The value of attribute name (e.g. " sha256=\"") in tag, copied into out;
 * false when missing.  A raw '"' never occurs inside a written value. */
static bool tag_attr(const char *tag, const char *name, char *out, size_t cap)
{
    const char *v = strstr(tag, name);
    if (!v)
        return false;
    v += strlen(name);
    const char *end = strchr(v, '"');
    if (!end || (size_t)(end - v) >= cap)
        return false;
    memcpy(out, v, (size_t)(end - v));
    out[end - v] = '\0';
    return true;
}

bool nm_record_current(const nm_outdir *o, const char *name, const char *sha256,
                       const char *rules, const char *date)
{
    char path[8192], head[16384], val[80];
    if (!(o->formats & NM_FMT_XML) || ((o->formats & NM_FMT_TSV) && !nm_records_exist(o, name)))
        return false;
    snprintf(path, sizeof path, "%s/%s.xml", o->dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    head[n > 0 ? n : 0] = '\0';
    char *tag = strstr(head, "<document "), *end = tag ? strchr(tag, '>') : NULL;
    if (!end)
        return false;
    *end = '\0';
    bool html = tag_attr(tag, " source-sha256=\"", val, sizeof val);
    if ((!html && !tag_attr(tag, " sha256=\"", val, sizeof val)) || strcmp(val, sha256) != 0)
        return false;
    if (!tag_attr(tag, " rules=\"", val, sizeof val) || strcmp(val, rules) != 0)
        return false;
    bool from_file = tag_attr(tag, " date-source=\"", val, sizeof val) &&
                     strcmp(val, "dates-file") == 0;
    if (!date)
        return !from_file;
    return from_file && tag_attr(tag, " date=\"", val, sizeof val) && strcmp(val, date) == 0;
}
