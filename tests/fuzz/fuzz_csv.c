/* fuzz_csv.c — the CSV reader's fast tokenizer against libcsv alone, on arbitrary bytes.
 *
 * The first two bytes choose how to read (pull or push, trimming, the delimiter, a width, a
 * small field limit, two halves, a callback that skips or stops; the chunk size, down to
 * one byte so every boundary is met); the rest is the file. It is read with the fast
 * tokenizer on and off at that chunk size, and the two transcripts (tests/csv_transcript.h:
 * every row or field with its line, the error with its position, where the reader stops)
 * must be identical: any difference aborts. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../csv_transcript.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 2)
        return 0;
    static const size_t chunks[] = {1, 2, 3, 4, 5, 7, 16, 0};
    static const char delims[] = {',', ';', '\t', ' '};
    unsigned a = data[0], b = data[1];
    csv_mode_t m = {delims[(a >> 2) & 3], (a >> 1) & 1, (a & 16) ? 2 : 0, (a & 32) ? 3 : 0,
                    a & 1, 0, 0, (a >> 6) & 1};
    if (a & 128) {
        if (b & 64)
            m.stop_row = 1 + ((b >> 3) & 3);
        else
            m.skip_col = 1 + ((b >> 3) & 1);
    }
    const char *path = fuzz_file(data + 2, size - 2, ".csv");
    if (!path)
        return 0;
    size_t chunk = chunks[b & 7];
    char *fast = csv_transcript(path, &m, chunk, 1), *slow = csv_transcript(path, &m, chunk, 0);
    if (strcmp(fast, slow)) {
        fprintf(stderr, "fast tokenizer and libcsv differ (chunk %zu)\n--- fast:\n%s\n--- libcsv:\n%s\n",
                chunk, fast, slow);
        abort();
    }
    free(fast);
    free(slow);
    unlink(path);
    return 0;
}
