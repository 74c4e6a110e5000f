/* text.h — text every output shares: numbers written the way result documents write them,
 * and text from data made safe for a terminal. (HTML, Markdown, gnuplot, SQL and Excel
 * text each have their escaping inside the module that writes that language.) */
#ifndef DCX_TEXT_H
#define DCX_TEXT_H

#include "dcx/api.h"

#include <stddef.h>

/* dcx_json_number_text() : writes v into buf (at least 32 bytes) as the shortest decimal
 * of at most 15 significant digits (DBL_DIG: the digits a double carries through decimal
 * and back), so that float noise never shows (0.0031, not 0.0031000000000000003);
 * integers below 2^53 exactly, without exponent; NaN and infinities as "null". */
DCX_API char *dcx_json_number_text(double v, char *buf);

/* dcx_text_for_terminal() : a copy of s that is safe to print on a terminal: control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 become \xNN, Unicode bidirectional
 * controls \uNNNN, so text from data cannot move the cursor, recolour the screen or
 * reorder what follows. Malloc'd, caller frees; NULL when out of memory (s NULL = ""). */
DCX_API char *dcx_text_for_terminal(const char *s);

/* dcx_text_for_terminal_lines() : the same, but line feeds and tabs are kept (for
 * messages of several lines, such as a traceback). */
DCX_API char *dcx_text_for_terminal_lines(const char *s);

/* dcx_text_for_terminal_into() : either of the above into out (NULL: only measure).
 * @return the length written, without the NUL; out needs that plus one byte. */
DCX_API size_t dcx_text_for_terminal_into(const char *s, char *out, int keep_lines);

/* dcx_edit_distance() : the edit distance of a[0..la) and b[0..lb) — insertions, deletions,
 * substitutions and swaps of neighbours, each 1 (optimal string alignment) — letters compared
 * without regard to case, or limit + 1 as soon as it is known to exceed limit (how "did you
 * mean" suggestions find the word meant). Allocates nothing when b is shorter than 64 bytes;
 * SIZE_MAX when a longer one's row cannot be allocated. */
DCX_API size_t dcx_edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit);

#endif
