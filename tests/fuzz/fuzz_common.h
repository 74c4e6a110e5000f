/* fuzz_common.h — shared by the libFuzzer harnesses: the input as a temporary file. */
#ifndef DCX_FUZZ_COMMON_H
#define DCX_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a fresh temporary file; returns its path (static buffer) or NULL. */
static const char *fuzz_file(const unsigned char *data, size_t size, const char *suffix)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/dcx-fuzz-%d%s", (int)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return path;
}

#endif
