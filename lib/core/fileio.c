/* fileio.c — whole files: read into memory (configs, models, results, plot files) and
 * written atomically (plots, reports). */
#include "fileio.h"
#include "dcx/env.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dcx_status_t dcx_slurp(const char *path, size_t max, char **buf, size_t *len, dcx_error_t *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOMEM)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory reading %s", path);
    if (!f)
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb; /* a directory reads as an error; a regular file too large is one unread */
    if (!fstat(fileno(f), &sb)
        && (S_ISDIR(sb.st_mode) || (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > max))) {
        fclose(f);
        if (S_ISDIR(sb.st_mode))
            return dcx_error_at(err, DCX_EIO, path, 0, 0, "is a directory, not a file");
        return dcx_error_at(err, DCX_EPARSE, path, 0, 0, "file too large (over %zu bytes)", max);
    }
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        if (cap > max) {
            free(b);
            fclose(f);
            return dcx_error_at(err, DCX_EPARSE, path, 0, 0, "file too large (over %zu bytes)", max);
        }
        char *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory reading %s", path);
    if (bad) {
        free(b);
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "read error");
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return DCX_OK;
}

dcx_status_t file_replace(const char *path, const char *data, size_t len, dcx_error_t *err)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        dcx_status_t st = dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
        free(tmp);
        return st;
    }
    mode_t mask = umask(0); /* mkstemp makes 0600: give the file the mode a plain create would */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *out = fdopen(fd, "wb");
    int bad = !out;
    if (out) {
        bad = fwrite(data, 1, len, out) != len;
        bad |= fclose(out) != 0;
    } else {
        close(fd);
    }
    int saved = errno;
    if (bad || rename(tmp, path) != 0) {
        if (!bad)
            saved = errno;
        unlink(tmp);
        free(tmp);
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot write: %s", strerror(saved));
    }
    free(tmp);
    return DCX_OK;
}

static char temp_dir[1024];

void dcx_set_temp_dir(const char *dir)
{
    if (!dir || strlen(dir) >= sizeof temp_dir)
        temp_dir[0] = '\0';
    else
        strcpy(temp_dir, dir);
}

const char *file_temp_dir(void) { return temp_dir[0] ? temp_dir : "/tmp"; }

FILE *file_temp_stream(dcx_error_t *err)
{
    const char *dir = file_temp_dir();
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) {
        dcx_error_set(err, DCX_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(path, n, "%s/dcx-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        dcx_error_at(err, DCX_EIO, dir, 0, 0, "cannot create a temporary file: %s", strerror(errno));
        free(path);
        return NULL;
    }
    unlink(path); /* anonymous: gone when closed, whatever happens */
    free(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        close(fd);
        dcx_error_set(err, errno == ENOMEM ? DCX_ENOMEM : DCX_EIO, errno == ENOMEM ? "out of memory"
                                                                              : "cannot open a temporary file");
    }
    return f;
}

long long file_line_after(const char *path, long long from)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long long pos = -1;
    if (fseeko(f, (off_t)from, SEEK_SET) == 0) {
        int c;
        long long at = from;
        while ((c = getc(f)) != EOF) {
            at++;
            if (c == '\n') {
                pos = at;
                break;
            }
        }
    }
    fclose(f);
    return pos;
}
