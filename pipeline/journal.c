/* journal.c - the append-only journal of processed inputs (see journal.h). */
#include "journal.h"
#include "cli.h"
#include "nm_core.h"
#include "nm_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES 8192

struct nm_journal {
    int fd;
    bool sync;
    char *path;
    nm_hash map; /* name -> nm_journal_entry*, keys and values owned */
    pthread_mutex_t lock;
};

/* ------------------------------------------------------------ line codec */

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static unsigned line_check(const char *s, size_t n)
{
    return (unsigned)(nm_hash_bytes(s, n) & 0xffffffffu);
}

size_t nm_journal_format(char *buf, size_t cap, const char *name, const nm_journal_entry *e)
{
    size_t o = (size_t)snprintf(buf, cap, "%s\t%s\t%s\t", e->sha256, e->rules, e->status);
    if (o >= cap)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (o + 4 >= cap)
            return 0;
        if (*p < 0x20 || *p == 0x7f || *p == '%')
            o += (size_t)snprintf(buf + o, cap - o, "%%%02X", *p);
        else
            buf[o++] = (char)*p;
    }
    size_t body = o;
    int k = snprintf(buf + o, cap - o, "\t%08x\n", line_check(buf, body));
    if (k < 0 || (size_t)k >= cap - o)
        return 0;
    return o + (size_t)k;
}

static bool unescape_name(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (o + 1 >= cap)
            return false;
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return false;
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return o > 0;
}

bool nm_journal_parse(const char *line, size_t len, char *name, size_t namecap,
                      nm_journal_entry *e)
{
    /* sha(64) TAB rules(64) TAB status TAB name TAB check(8) */
    if (len < 64 + 1 + 64 + 1 + 1 + 1 + 1 + 1 + 8 || line[len - 9] != '\t')
        return false;
    char want[9];
    snprintf(want, sizeof want, "%08x", line_check(line, len - 9));
    if (memcmp(want, line + len - 8, 8) != 0)
        return false;
    if (!is_hex(line, 64) || line[64] != '\t' || !is_hex(line + 65, 64) || line[129] != '\t')
        return false;
    const char *st = line + 130, *end = line + len - 9;
    const char *tab = memchr(st, '\t', (size_t)(end - st));
    if (!tab || tab == st || (size_t)(tab - st) >= sizeof e->status)
        return false;
    memcpy(e->sha256, line, 64);
    e->sha256[64] = '\0';
    memcpy(e->rules, line + 65, 64);
    e->rules[64] = '\0';
    memcpy(e->status, st, (size_t)(tab - st));
    e->status[tab - st] = '\0';
    return unescape_name(tab + 1, (size_t)(end - tab - 1), name, namecap);
}

/* ------------------------------------------------------------ map */

static void map_put(nm_journal *j, const char *name, const nm_journal_entry *e)
{
    nm_journal_entry *old = nm_hash_get(&j->map, name, strlen(name));
    if (old) {
        *old = *e;
        return;
    }
    char *key = nm_xstrdup(name);
    nm_journal_entry *val = nm_xmalloc(sizeof *val);
    *val = *e;
    nm_hash_put(&j->map, key, strlen(key), val);
}

static void map_free(nm_hash *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key) {
            free((char *)m->slots[i].key);
            free(m->slots[i].val);
        }
    }
    nm_hash_free(m);
}

/* ------------------------------------------------------------ open */

/* Reads every line into the map; returns the length of the good prefix
 * (everything after it is a torn tail). */
static size_t load_lines(nm_journal *j, const char *data, size_t len, nm_journal_info *info)
{
    size_t good_end = 0, pending_bad = 0, lineno = 0;
    char *name = nm_xmalloc(LINE_MAX_BYTES);
    for (size_t off = 0; off < len;) {
        const char *nl = memchr(data + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (data + off)) : len - off;
        nm_journal_entry e;
        lineno++;
        bool comment = n > 0 && data[off] == '#';
        if (nl && (comment || nm_journal_parse(data + off, n, name, LINE_MAX_BYTES, &e))) {
            if (!comment) {
                map_put(j, name, &e);
                info->lines++;
            }
            info->bad_lines += pending_bad;
            pending_bad = 0;
            good_end = off + n + 1;
        } else {
            if (!pending_bad)
                info->torn_line = lineno;
            pending_bad++;
        }
        off += n + (nl != NULL);
    }
    free(name);
    info->torn_bytes = len - good_end;
    if (!info->torn_bytes)
        info->torn_line = 0;
    return good_end;
}

static int fsync_dir_of(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    if (!dir[0])
        snprintf(dir, sizeof dir, "/");
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int lock_fd(int fd, const char *path, char *err, size_t errlen)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        snprintf(err, errlen, "%s: in use by another newsmine process", path);
    else
        snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(errno));
    return -1;
}

static int slot_cmp(const void *a, const void *b)
{
    return strcmp(((const nm_hash_slot *)a)->key, ((const nm_hash_slot *)b)->key);
}

static bool write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}

/* Rewrites the journal with one line per name (sorted), through a locked
 * temporary file renamed over it; on success j->fd is the new file. */
static int compact(nm_journal *j, char *err, size_t errlen)
{
    char tmp[4200], line[LINE_MAX_BYTES];
    snprintf(tmp, sizeof tmp, "%s.compact%ld", j->path, (long)getpid());
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || lock_fd(fd, tmp, err, errlen) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    nm_hash_slot *s = nm_xmalloc((j->map.n + 1) * sizeof *s);
    size_t n = 0;
    for (size_t i = 0; i < j->map.cap; i++)
        if (j->map.slots[i].key)
            s[n++] = j->map.slots[i];
    qsort(s, n, sizeof *s, slot_cmp);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        size_t len = nm_journal_format(line, sizeof line, s[i].key, s[i].val);
        ok = len > 0 && write_all(fd, line, len);
    }
    free(s);
    if (!ok || fsync(fd) != 0 || rename(tmp, j->path) != 0) {
        snprintf(err, errlen, "%s: cannot compact: %s", j->path, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    fsync_dir_of(j->path);
    close(j->fd);
    j->fd = fd;
    return 0;
}

/* Cuts a torn tail at good_end, durably. */
static int repair(nm_journal *j, size_t good_end, char *err, size_t errlen)
{
    if (ftruncate(j->fd, (off_t)good_end) != 0 || fsync(j->fd) != 0) {
        snprintf(err, errlen, "%s: cannot repair the torn last line: %s", j->path,
                 strerror(errno));
        return -1;
    }
    return 0;
}

static nm_status open_fail(nm_journal *j, nm_journal **out)
{
    nm_journal_close(j);
    *out = NULL;
    return NM_E_IO;
}

nm_status nm_journal_open(const char *path, bool sync, nm_journal **out, nm_journal_info *info,
                          char *err, size_t errlen)
{
    nm_journal_info dummy;
    info = info ? info : &dummy;
    memset(info, 0, sizeof *info);
    nm_journal *j = nm_xcalloc(1, sizeof *j);
    j->path = nm_xstrdup(path);
    j->sync = sync;
    pthread_mutex_init(&j->lock, NULL);
    j->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (j->fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return open_fail(j, out);
    }
    if (lock_fd(j->fd, path, err, errlen) != 0)
        return open_fail(j, out);
    size_t len = 0;
    int rerr = 0;
    char *data = nm_read_fd(j->fd, SIZE_MAX - 1, &len, &rerr);
    if (!data) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(rerr));
        return open_fail(j, out);
    }
    size_t good = load_lines(j, data, len, info);
    free(data);
    if (good < len && repair(j, good, err, errlen) != 0)
        return open_fail(j, out);
    if (info->lines + info->bad_lines > 2 * j->map.n + 1024) {
        if (compact(j, err, errlen) != 0)
            return open_fail(j, out);
        info->compacted = true;
    }
    *out = j;
    return NM_OK;
}

void nm_journal_close(nm_journal *j)
{
    if (!j)
        return;
    if (j->fd >= 0) {
        if (j->sync)
            fsync(j->fd);
        close(j->fd);
    }
    map_free(&j->map);
    pthread_mutex_destroy(&j->lock);
    free(j->path);
    free(j);
}

bool nm_journal_lookup(nm_journal *j, const char *name, nm_journal_entry *out)
{
    pthread_mutex_lock(&j->lock);
    const nm_journal_entry *e = nm_hash_get(&j->map, name, strlen(name));
    if (e)
        *out = *e;
    pthread_mutex_unlock(&j->lock);
    return e != NULL;
}

nm_status nm_journal_append(nm_journal *j, const char *name, const nm_journal_entry *e,
                            char *err, size_t errlen)
{
    char line[LINE_MAX_BYTES];
    size_t n = nm_journal_format(line, sizeof line, name, e);
    if (n == 0 || !*name) {
        snprintf(err, errlen, "%s: name too long or empty for the journal", j->path);
        return NM_E_IO;
    }
    pthread_mutex_lock(&j->lock);
    bool ok = write_all(j->fd, line, n) && (!j->sync || fdatasync(j->fd) == 0);
    if (ok)
        map_put(j, name, e);
    else
        snprintf(err, errlen, "%s: cannot append: %s", j->path, strerror(errno));
    pthread_mutex_unlock(&j->lock);
    return ok ? NM_OK : NM_E_IO;
}

size_t nm_journal_count(nm_journal *j)
{
    pthread_mutex_lock(&j->lock);
    size_t n = j->map.n;
    pthread_mutex_unlock(&j->lock);
    return n;
}

nm_status nm_journal_sync(nm_journal *j)
{
    pthread_mutex_lock(&j->lock);
    int rc = fsync(j->fd);
    pthread_mutex_unlock(&j->lock);
    return rc == 0 ? NM_OK : NM_E_IO;
}
