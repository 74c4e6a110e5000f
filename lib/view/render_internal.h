/* render_internal.h — internal to lib/view: what render.c and render_csv.c share, the
 * flattening of a document to named cells and the CSV writer. */
#ifndef DCX_RENDER_INTERNAL_H
#define DCX_RENDER_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "dcx/doc.h"
#include "textbuf.h"

/* Named cells of one flattened object (or the union of a table's columns). */
typedef struct {
    char **names;
    char **texts;
    size_t n, cap;
    int oom;
} cells_t;

void cells_free(cells_t *c);

/* The scalar content of obj as cells, by the naming rule of flatten.h: csv, '_' names and
 * intervals as NAME_lo, NAME_hi (else '.' names and "[lo, hi]"); full, numbers at full
 * precision and null as empty (else 6 significant digits and null as "-"). */
void flatten(cells_t *c, const cJSON *obj, int full, int csv);

/* The union of the columns over the rows of a table array, in first-seen order. */
void table_columns(const cJSON *arr, int full, int csv, cells_t *cols);

/* The text of the cell named name, or NULL. */
const char *cell_lookup(const cells_t *c, const char *name);

/* One CSV field, quoted (RFC 4180) when it holds a comma, quote or line end. */
void csv_field(tbuf_t *b, const char *s);

/* The CSV view of a document: rows_name, the array of rows (NULL: the kind's own). */
void render_csv(tbuf_t *b, const dcx_doc_t *d, const char *rows_name);

#endif
