/* suggest.c — the nearest word by edit distance, for "did you mean" messages. Words are
 * short (keys, option and command names), so the distance table lives on the stack. */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

#define WORD_MAX 63

static int same(char x, char y) { return tolower((unsigned char)x) == tolower((unsigned char)y); }

/* Edit distance of a and b, case ignored (both at most WORD_MAX bytes): insertions,
 * deletions, substitutions and transpositions of neighbours ("tpye" is one slip from
 * "type"), each counting 1 (the optimal string alignment distance). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t prev2[WORD_MAX + 1], prev[WORD_MAX + 1], cur[WORD_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + !same(a[i - 1], b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])
                && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        memcpy(prev2, prev, (lb + 1) * sizeof *prev);
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

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
        size_t d = distance(word, lw, words[i], lc);
        if (d < best) {
            best = d;
            found = words[i];
        }
    }
    return found;
}
