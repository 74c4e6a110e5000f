/* vtable.h — internal: an aligned table for people, built row by row and rendered for a
 * terminal (every cell made terminal-safe, columns padded) or as a Markdown table (every
 * cell Markdown-escaped). Cells are copied; nothing is cut short. */
#ifndef DCX_VTABLE_H
#define DCX_VTABLE_H

#include <stddef.h>

#include "textbuf.h"

typedef struct vtable vtable_t;

/* A table of ncol columns with these headings; align[i] is 'l' or 'r'. NULL when out
 * of memory. */
vtable_t *vt_new(size_t ncol, const char *const *head, const char *align);
/* Appends a row of ncol cells (NULL cells print as "-"); `mark` is printed after the row
 * (terminal) or in a last column (Markdown), e.g. "*" for a significant result. */
void vt_row(vtable_t *t, const char *const *cells, const char *mark);
/* Writes the table (a trailing newline after each row); sets b->oom on failure. */
void vt_render(const vtable_t *t, tbuf_t *b, int markdown, const char *mark_head);
int vt_oom(const vtable_t *t);

/* A table too long to hold (a row per segment level) is written in two passes over its
 * rows instead of vt_row/vt_render: vt_measure each row (nothing is kept but the column
 * widths and whether some row has a mark), then vt_head and vt_line each row again, in
 * the order to print. The text is the same as vt_render's of the same rows. */
void vt_measure(vtable_t *t, const char *const *cells, const char *mark);
void vt_head(vtable_t *t, tbuf_t *b, int markdown, const char *mark_head);
void vt_line(vtable_t *t, tbuf_t *b, int markdown, const char *const *cells, const char *mark);
void vt_free(vtable_t *t);

#endif
