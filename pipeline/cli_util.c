/* cli_util.c - file I/O, names and dates for the command-line program. */
#include "cli.h"
#include "nm_core.h"

const char *nm_default_lexdir(void);

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

char *nm_read_fd(int fd, size_t max, size_t *len, int *err)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        nm_vec_reserve((void **)&buf, &cap, n + 65536 + 1, 1);
        ssize_t k = read(fd, buf + n, cap - n - 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || n + (size_t)k > max) {
            *err = k < 0 ? errno : EFBIG;
            free(buf);
            return NULL;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *nm_cli_read(const char *path, size_t max, size_t *len, char *err, size_t errlen,
                  nm_status *st)
{
    bool in = strcmp(path, "-") == 0;
    int fd = in ? 0 : open(path, O_RDONLY);
    *st = NM_E_IO;
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (!in && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "is a directory");
        close(fd);
        return NULL;
    }
    size_t n = 0;
    int rerr = 0;
    char *buf = nm_read_fd(fd, max, &n, &rerr);
    if (buf)
        *st = NM_OK;
    else if (rerr == EFBIG) {
        snprintf(err, errlen, "over the size limit of %zu bytes", max);
        *st = NM_E_TOO_BIG;
    } else {
        snprintf(err, errlen, "cannot read: %s", strerror(rerr));
    }
    if (!in)
        close(fd);
    if (*st != NM_OK) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Writes every part with as few writev(2) calls as the kernel allows. */
static int write_parts(int fd, const char *const *parts, const size_t *lens, size_t nparts)
{
    struct iovec iov[16];
    size_t done = 0; /* parts fully written */
    size_t off = 0;  /* bytes of parts[done] written */
    while (done < nparts) {
        int n = 0;
        for (size_t i = done; i < nparts && n < 16; i++, n++) {
            iov[n].iov_base = (void *)(parts[i] + (i == done ? off : 0));
            iov[n].iov_len = lens[i] - (i == done ? off : 0);
        }
        ssize_t k = writev(fd, iov, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        size_t left = (size_t)k;
        while (done < nparts && left >= lens[done] - off) {
            left -= lens[done] - off;
            done++;
            off = 0;
        }
        off += left;
        if (k == 0 && done < nparts)
            return -1;
    }
    return 0;
}

int nm_cli_write_atomic(const char *path, const char *const *parts, const size_t *lens,
                        size_t nparts, bool sync, char *err, size_t errlen)
{
    char tmp[4200];
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, sizeof tmp, "%.*s.%s.tmp%ld", (int)dl, path, slash ? slash + 1 : path,
             (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (write_parts(fd, parts, lens, nparts) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    if ((sync && fsync(fd) != 0) || close(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

void nm_cli_print_diags(FILE *f, const nm_doc *doc, const char *path)
{
    for (size_t i = 0; i < nm_doc_diag_count(doc); i++) {
        const nm_diag *d = nm_doc_diag(doc, i);
        unsigned long line, col;
        nm_doc_line_col(doc, d->offset, &line, &col);
        fprintf(f, "%s:%lu:%lu: [NM-%d] %s: %s\n", path, line, col, (int)d->code,
                d->severity == NM_SEV_ERROR ? "error" : "warning", d->msg);
    }
}

void nm_cli_doc_name(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 4 && strcmp(b + n - 4, ".txt") == 0)
        n -= 4;
    snprintf(out, cap, "%.*s", (int)n, b);
}

/* Length of the valid UTF-8 sequence of a non-ASCII character at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return p[0] <= 0xF4 ? n : 0;
}

void nm_cli_safe_name(const char *name, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p;) {
        unsigned char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '+' || c == ',' || c == '=';
        if ((c == '.' || c == '-') && o == 0)
            ok = false; /* no hidden files, no .., no option-like names */
        size_t u = c >= 0x80 ? utf8_len(p) : 0;
        size_t need = ok ? 1 : u ? u : 3;
        if (o + need + 1 > cap)
            break;
        if (ok || u) { /* valid UTF-8 stays readable */
            memcpy(out + o, p, need);
            p += need;
        } else { /* everything else, % itself included, as %XX: names stay distinct */
            out[o] = '%';
            out[o + 1] = hex[c >> 4];
            out[o + 2] = hex[c & 15];
            p++;
        }
        o += need;
    }
    if (o == 0 && cap > 1)
        out[o++] = '_';
    out[o] = '\0';
}

typedef struct date_row {
    char *doc, *date;
} date_row;

struct nm_dates {
    date_row *rows;
    size_t n, cap;
};

nm_dates *nm_dates_load(const char *path, FILE *err)
{
    size_t len;
    char msg[256];
    nm_status st;
    char *data = nm_cli_read(path, (size_t)64 << 20, &len, msg, sizeof msg, &st);
    if (!data) {
        fprintf(err, "%s: %s\n", path, msg);
        return NULL;
    }
    nm_dates *d = nm_xcalloc(1, sizeof *d);
    unsigned long line = 0;
    bool bad = false;
    for (char *s = data, *nl; s && *s; s = nl ? nl + 1 : NULL) {
        nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        line++;
        size_t n = strlen(s);
        if (n && s[n - 1] == '\r')
            s[--n] = '\0';
        if (n == 0 || s[0] == '#' || (line == 1 && strncmp(s, "doc\t", 4) == 0))
            continue;
        char *tab = strchr(s, '\t');
        char *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
        if (tab2)
            *tab2 = '\0';
        if (!tab || !nm_date_valid(tab + 1)) {
            fprintf(err, "%s:%lu: expected doc<TAB>YYYY-MM-DD or YYYY-MM<TAB>source\n", path, line);
            bad = true;
            continue;
        }
        *tab = '\0';
        date_row r = {nm_xstrdup(s), nm_xstrdup(tab + 1)};
        NM_VEC_PUSH(d->rows, d->n, d->cap, r);
    }
    free(data);
    if (bad) {
        nm_dates_free(d);
        return NULL;
    }
    return d;
}

const char *nm_dates_get(const nm_dates *d, const char *doc)
{
    for (size_t i = 0; d && i < d->n; i++)
        if (strcmp(d->rows[i].doc, doc) == 0)
            return d->rows[i].date;
    return NULL;
}

void nm_dates_free(nm_dates *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->rows[i].doc);
        free(d->rows[i].date);
    }
    free(d->rows);
    free(d);
}

bool nm_cli_parse_formats(const char *s, unsigned *out)
{
    unsigned f = 0;
    while (*s) {
        const char *c = strchr(s, ',');
        size_t n = c ? (size_t)(c - s) : strlen(s);
        if (n == 3 && strncmp(s, "xml", 3) == 0)
            f |= NM_FMT_XML;
        else if (n == 3 && strncmp(s, "tsv", 3) == 0)
            f |= NM_FMT_TSV;
        else
            return false;
        s += n + (c != NULL);
    }
    *out = f;
    return f != 0;
}

int nm_cli_jobs_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}



/* Handles options every pipeline command takes; returns 1 when used
 * (consuming *i), 0 when not ours, -1 on error. */
int nm_cli_common_option(nm_cli_opts *co, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "-L") == 0 || strcmp(a, "--lexicons") == 0) {
        if (*i + 1 >= argc || co->ndirs + 2 >= sizeof co->dirs / sizeof co->dirs[0])
            return -1;
        co->dirs[co->ndirs++] = argv[++*i];
        return 1;
    }
    if (strcmp(a, "--day-first") == 0) {
        co->opt.day_first = 1;
        return 1;
    }
    if (strcmp(a, "--max-bytes") == 0) {
        if (*i + 1 >= argc)
            return -1;
        char *end;
        unsigned long long v = strtoull(argv[++*i], &end, 10);
        if (*end || v == 0)
            return -1;
        co->opt.max_bytes = (size_t)v;
        return 1;
    }
    return 0;
}

/* Builds the context; prints load problems.  NULL on failure. */
nm_ctx *nm_cli_make_ctx(nm_cli_opts *co)
{
    co->dirs[co->ndirs] = NULL;
    memmove(co->dirs + 1, co->dirs, (co->ndirs + 1) * sizeof co->dirs[0]);
    co->dirs[0] = nm_default_lexdir();
    co->opt.lexicon_dirs = co->dirs;
    nm_ctx *ctx = NULL;
    nm_status st = nm_ctx_new(&co->opt, &ctx);
    for (size_t i = 0; i < nm_ctx_message_count(ctx); i++)
        fprintf(stderr, "%s\n", nm_ctx_message(ctx, i));
    if (st != NM_OK) {
        fprintf(stderr, "newsmine: cannot start: the lexicons or rules have problems (%s); "
                        "see above, or run 'newsmine lexicon check'\n",
                nm_status_name(st));
        nm_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

volatile sig_atomic_t nm_cli_stop;

static void on_stop(int sig) { nm_cli_stop = sig; }

void nm_cli_catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking calls return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int nm_cli_mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int nm_cli_usage_error(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "newsmine %s: %s%s%s\nTry 'newsmine %s --help'.\n", cmd, msg,
            arg ? ": " : "", arg ? arg : "", cmd);
    return NM_EXIT_USAGE;
}

