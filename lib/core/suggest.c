/* suggest.c — the nearest word by edit distance (dcx_edit_distance, the one every "did you
 * mean" uses), for "did you mean" messages. Words are short (keys, option and command names),
 * so the distance never allocates. */
#include "suggest.h"

#include <string.h>

#include "dcx/text.h"

#define WORD_MAX 63

const char *dcx_nearest_word(const char *word, const char *const *words, size_t n)
{
    size_t lw = word ? strlen(word) : 0;
    if (!lw || lw > WORD_MAX)
        return NULL;
    size_t limit = lw <= 4 ? 1 : lw <= 8 ? 2 : 3, best = limit + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lc = words[i] ? strlen(words[i]) : 0;
        if (!lc || lc > WORD_MAX || (lc > lw ? lc - lw : lw - lc) > limit)
            continue;
        size_t d = dcx_edit_distance(word, lw, words[i], lc, limit);
        if (d < best) {
            best = d;
            found = words[i];
        }
    }
    return found;
}
