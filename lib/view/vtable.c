/* vtable.c — aligned tables for the human views. */
#include "vtable.h"

#include <stdlib.h>
#include <string.h>

#include "dcx/text.h"
#include "dcx/view.h"

struct vtable {
    size_t ncol, nrow, cap;
    char **head;
    char *align;
    char **cells; /* nrow × ncol, terminal-unsafe raw text */
    char **marks;
    int oom;
    size_t *width;  /* vt_measure: the widest cell of each column, terminal-safe */
    int any_mark;   /* vt_measure: some row has a mark */
};

static void pad_to(tbuf_t *b, size_t have, size_t width);

static char *dup0(const char *s)
{
    return strdup(s ? s : "-");
}

vtable_t *vt_new(size_t ncol, const char *const *head, const char *align)
{
    vtable_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncol = ncol;
    t->head = calloc(ncol ? ncol : 1, sizeof *t->head);
    t->align = calloc(ncol + 1, 1);
    if (!t->head || !t->align) {
        vt_free(t);
        return NULL;
    }
    for (size_t j = 0; j < ncol; j++) {
        t->align[j] = align && align[j] == 'r' ? 'r' : 'l';
        if (!(t->head[j] = dup0(head[j])))
            t->oom = 1;
    }
    return t;
}

void vt_row(vtable_t *t, const char *const *cells, const char *mark)
{
    if (!t || t->oom)
        return;
    if (t->nrow == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, cap * t->ncol * sizeof *c);
        if (!c) {
            t->oom = 1;
            return;
        }
        t->cells = c;
        char **m = realloc(t->marks, cap * sizeof *m);
        if (!m) {
            t->oom = 1;
            return;
        }
        t->marks = m;
        t->cap = cap;
    }
    char **row = t->cells + t->nrow * t->ncol;
    for (size_t j = 0; j < t->ncol; j++)
        if (!(row[j] = dup0(cells[j])))
            t->oom = 1;
    t->marks[t->nrow] = NULL;
    if (mark && *mark && !(t->marks[t->nrow] = strdup(mark)))
        t->oom = 1;
    t->nrow++;
}

int vt_oom(const vtable_t *t) { return !t || t->oom; }

void vt_free(vtable_t *t)
{
    if (!t)
        return;
    for (size_t j = 0; t->head && j < t->ncol; j++)
        free(t->head[j]);
    for (size_t i = 0; i < t->nrow * t->ncol; i++)
        free(t->cells[i]);
    for (size_t i = 0; i < t->nrow; i++)
        free(t->marks[i]);
    free(t->head);
    free(t->align);
    free(t->cells);
    free(t->marks);
    free(t->width);
    free(t);
}

/* the terminal width of s made terminal-safe; sets t->oom when out of memory */
static size_t safe_width(vtable_t *t, const char *s)
{
    char *safe = dcx_text_for_terminal(s ? s : "-");
    if (!safe) {
        t->oom = 1;
        return 0;
    }
    size_t w = tb_width(safe);
    free(safe);
    return w;
}

void vt_measure(vtable_t *t, const char *const *cells, const char *mark)
{
    if (!t || t->oom)
        return;
    if (!t->width) {
        if (!(t->width = calloc(t->ncol ? t->ncol : 1, sizeof *t->width))) {
            t->oom = 1;
            return;
        }
        for (size_t j = 0; j < t->ncol; j++)
            t->width[j] = safe_width(t, t->head[j]);
    }
    for (size_t j = 0; j < t->ncol; j++) {
        size_t w = safe_width(t, cells[j]);
        if (w > t->width[j])
            t->width[j] = w;
    }
    t->any_mark |= mark && *mark;
}

/* one line of the terminal table: the cells padded to the widths, then the mark */
static void term_line(vtable_t *t, tbuf_t *b, const char *const *cells, const char *mark)
{
    tbuf_t line = {0};
    for (size_t j = 0; j < t->ncol; j++) {
        char *c = dcx_text_for_terminal(cells[j] ? cells[j] : "-");
        if (!c) {
            t->oom = b->oom = 1;
            break;
        }
        size_t w = tb_width(c);
        if (j)
            tb_puts(&line, "  ");
        if (t->align[j] == 'r')
            pad_to(&line, w, t->width[j]);
        tb_puts(&line, c);
        if (t->align[j] != 'r' && j + 1 < t->ncol)
            pad_to(&line, w, t->width[j]);
        free(c);
    }
    if (mark && *mark) {
        tb_puts(&line, "  ");
        tb_term(&line, mark);
    }
    if (line.oom)
        b->oom = 1;
    else if (line.s)
        tb_puts(b, line.s);
    tb_puts(b, "\n");
    tb_free(&line);
}

static void md_line(const vtable_t *t, tbuf_t *b, const char *const *cells, const char *mark)
{
    tb_puts(b, "|");
    for (size_t j = 0; j < t->ncol; j++) {
        tb_puts(b, " ");
        tb_md(b, cells[j] ? cells[j] : "-");
        tb_puts(b, " |");
    }
    if (t->any_mark) {
        tb_puts(b, " ");
        tb_md(b, mark ? mark : "");
        tb_puts(b, " |");
    }
    tb_puts(b, "\n");
}

void vt_head(vtable_t *t, tbuf_t *b, int markdown, const char *mark_head)
{
    if (!t || t->oom || (!markdown && !t->width)) {
        b->oom = 1;
        return;
    }
    if (!markdown) {
        term_line(t, b, (const char *const *)t->head, NULL);
        return;
    }
    md_line(t, b, (const char *const *)t->head, mark_head ? mark_head : "");
    tb_puts(b, "|");
    for (size_t j = 0; j < t->ncol; j++)
        tb_puts(b, t->align[j] == 'r' ? " ---: |" : " --- |");
    if (t->any_mark)
        tb_puts(b, " --- |");
    tb_puts(b, "\n");
}

void vt_line(vtable_t *t, tbuf_t *b, int markdown, const char *const *cells, const char *mark)
{
    if (!t || t->oom || (!markdown && !t->width)) { /* (no row measured: a walk that failed) */
        b->oom = 1;
        return;
    }
    if (markdown)
        md_line(t, b, cells, mark && *mark ? mark : NULL);
    else
        term_line(t, b, cells, mark);
}

static void pad_to(tbuf_t *b, size_t have, size_t width)
{
    for (size_t i = have; i < width; i++)
        tb_putn(b, " ", 1);
}

void vt_render(const vtable_t *t, tbuf_t *b, int markdown, const char *mark_head)
{
    if (vt_oom(t)) {
        b->oom = 1;
        return;
    }
    /* the kept rows through the streaming functions, measured on a copy of the table's
     * description (t stays as it is) */
    vtable_t m = *t;
    m.width = NULL;
    m.any_mark = 0;
    vt_measure(&m, (const char *const *)t->head, NULL); /* the widths, with no row yet */
    for (size_t i = 0; i < t->nrow; i++)
        vt_measure(&m, (const char *const *)t->cells + i * t->ncol, t->marks[i]);
    vt_head(&m, b, markdown, mark_head);
    for (size_t i = 0; i < t->nrow; i++)
        vt_line(&m, b, markdown, (const char *const *)t->cells + i * t->ncol, t->marks[i]);
    if (m.oom)
        b->oom = 1;
    free(m.width);
}
