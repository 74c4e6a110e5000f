/* suggest.h — internal: the word a person probably meant, for "did you mean" messages. */
#ifndef DCX_SUGGEST_H
#define DCX_SUGGEST_H

#include <stddef.h>

/* The word of words[0..n) nearest to `word` by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours; case ignored), when it is near enough to be a slip: at most 1 edit for words up to 4 characters, 2 up
 * to 8, 3 beyond. NULL when none is, or word is empty. Words longer than 63 characters
 * are never suggested (nor compared). */
const char *dcx_nearest_word(const char *word, const char *const *words, size_t n);

#endif
