/* slurp.c — a whole file in memory, for configs, models, results and plot files. */
#include "slurp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dcx_status_t dcx_slurp(const char *path, size_t max, char **buf, size_t *len, dcx_error_t *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcx_error_at(err, DCX_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
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
