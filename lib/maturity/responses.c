/* responses.c — reading answers in wide or long form, as survey tools export them. */
#include "responses.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcx/csv.h"
#include "dcx/text.h"
#include "numparse.h"
#include "textbuf.h"

void responses_free(mresponses_t *rs, size_t unused)
{
    (void)unused;
    for (size_t i = 0; rs->r && i < rs->n; i++) {
        free(rs->r[i].id);
        for (size_t k = 0; k < rs->nattr; k++)
            free(rs->r[i].attr[k]);
        free(rs->r[i].attr);
    }
    free(rs->r);
    free(rs->answers);
    for (size_t k = 0; k < rs->nattr; k++)
        free(rs->attr_names[k]);
    free(rs->attr_names);
    free(rs->attr_col);
    free(rs->present);
    free(rs->lines);
    dcx_strmap_free(&rs->ids);
    memset(rs, 0, sizeof *rs);
}

long responses_attr(const mresponses_t *r, const char *name)
{
    for (size_t k = 0; k < r->nattr; k++)
        if (!strcmp(r->attr_names[k], name))
            return (long)k;
    return -1;
}

/* ---- answers ------------------------------------------------------------------------------ */

/* What an answer may be, prepared once per file: missing codes (the defaults, the
 * assessment's and --na's) and the labels, normalised as label_norm() does. */
typedef struct {
    const dcx_assessment_t *a;
    char **na;      /* normalised missing codes (text) */
    size_t nna;
    double *na_num; /* numeric missing codes */
    size_t nna_num;
    char **labels;  /* normalised labels, one per scale point */
} answers_t;

static void answers_free(answers_t *x)
{
    for (size_t i = 0; i < x->nna; i++)
        free(x->na[i]);
    free(x->na);
    free(x->na_num);
    for (size_t i = 0; x->labels && i < x->a->nlabels; i++)
        free(x->labels[i]);
    free(x->labels);
}

static char *norm_dup(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 2);
    if (out)
        label_norm(s, n, out, n + 2);
    return out;
}

/* @return DCX_OK, DCX_EINVAL (an --na code that is an answer), DCX_ENOMEM */
static dcx_status_t answers_make(const dcx_assessment_t *a, const dcx_strlist_t *extra, answers_t *x,
                                 dcx_error_t *err)
{
    memset(x, 0, sizeof *x);
    x->a = a;
    size_t ne = extra ? extra->n : 0;
    x->na = calloc(a->nna + ne + 1, sizeof *x->na);
    x->na_num = calloc(a->nna_num + ne + 1, sizeof *x->na_num);
    x->labels = calloc(a->nlabels + 1, sizeof *x->labels);
    if (!x->na || !x->na_num || !x->labels)
        return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->nna; i++)
        if (!(x->na[x->nna++] = norm_dup(a->na[i])))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->nna_num; i++)
        x->na_num[x->nna_num++] = a->na_num[i];
    for (size_t i = 0; i < a->nlabels; i++)
        if (!(x->labels[i] = norm_dup(a->labels[i])))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    for (size_t i = 0; i < ne; i++) {
        const char *code = extra->v[i];
        char why[400];
        if (assessment_na_clash(a, code, why, sizeof why))
            return dcx_error_set(err, DCX_EINVAL, "--na: %s; give only codes that are not answers", why);
        double v;
        size_t len = strlen(code);
        if (len && dcx_parse_number(code, len, &v))
            x->na_num[x->nna_num++] = v;
        else if (!(x->na[x->nna++] = norm_dup(code)))
            return dcx_error_set(err, DCX_ENOMEM, "out of memory");
    }
    return DCX_OK;
}

/* A number at the start of s: [+-]digits[.digits]; @return its length (0: none). */
static size_t number_prefix(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t d0 = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0)
        return 0;
    if (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i;
}

/* The number of an answer written with its label, as survey tools export them: "4 - Agree",
 * "4 – Agree", "4. Agree", "4: Agree", "4 = Agree" or "(4) Agree". @return 1 with *v. */
static int numbered_label(const char *s, size_t len, double *v)
{
    if (len > 2 && s[0] == '(') {
        size_t k = number_prefix(s + 1, len - 1);
        if (!k || 1 + k >= len || s[1 + k] != ')')
            return 0;
        return dcx_parse_number(s + 1, k, v);
    }
    size_t k = number_prefix(s, len), i = k;
    if (!k)
        return 0;
    while (i < len && s[i] == ' ')
        i++;
    size_t sep = 0;
    if (i < len && strchr("-.:=", s[i]))
        sep = 1;
    else if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80
             && ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
        sep = 3; /* en or em dash */
    if (!sep || i + sep >= len)
        return 0;
    i += sep;
    if (s[i] != ' ' && s[i - 1] != '.')
        return 0;
    while (i < len && s[i] == ' ')
        i++;
    return i < len && dcx_parse_number(s, k, v);
}

/* The value of an answer: a number on the scale, a label, or a number with its label; NaN
 * for a missing code or a blank. @return 0, -1 (not an answer) or -2 (not a step). */
static int answer_value(const answers_t *x, const char *s, size_t len, double *out)
{
    const dcx_assessment_t *a = x->a;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len) {
        *out = NAN;
        return 0;
    }
    double v;
    int num = 0;
    if (len == 1 && *s >= '0' && *s <= '9') { /* the common case */
        v = *s - '0';
        num = 1;
    } else if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.' || *s == '(') {
        num = dcx_parse_number(s, len, &v) || numbered_label(s, len, &v);
    }
    if (num) {
        for (size_t i = 0; i < x->nna_num; i++) /* a numeric missing code */
            if (v == x->na_num[i]) {
                *out = NAN;
                return 0;
            }
        if (!(v >= a->smin && v <= a->smax))
            return -1;
        if (!assessment_on_scale(a, v))
            return -2;
        *out = v;
        return 0;
    }
    char norm[256];
    if (len >= sizeof norm)
        return -1;
    label_norm(s, len, norm, sizeof norm);
    for (size_t i = 0; i < x->nna; i++)
        if (!strcmp(x->na[i], norm)) {
            *out = NAN;
            return 0;
        }
    for (size_t i = 0; i < a->nlabels; i++)
        if (!strcmp(x->labels[i], norm)) {
            *out = a->smin + (double)i;
            return 0;
        }
    return -1;
}

/* ---- encodings ------------------------------------------------------------------------------ */

/* windows-1252's bytes 0x80-0x9F (0: undefined there) */
static const unsigned short cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
    0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
    0x0153, 0, 0x017E, 0x0178};

/* s (len bytes in enc) as UTF-8 into t (emptied first). */
static void to_utf8(tbuf_t *t, const char *s, size_t len, encoding_t enc)
{
    t->len = 0;
    tb_puts(t, "");
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xA0 && enc == ENC_CP1252 && cp1252[c - 0x80])
            c = cp1252[c - 0x80];
        char u[4];
        if (c < 0x80) {
            tb_putn(t, s + i, 1);
        } else if (c < 0x800) {
            u[0] = (char)(0xC0 | (c >> 6));
            u[1] = (char)(0x80 | (c & 0x3F));
            tb_putn(t, u, 2);
        } else {
            u[0] = (char)(0xE0 | (c >> 12));
            u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            u[2] = (char)(0x80 | (c & 0x3F));
            tb_putn(t, u, 3);
        }
    }
}

/* Whether s is valid UTF-8; when not, *c1 tells whether it holds bytes 0x80-0x9F (which
 * windows-1252 uses for letters and latin1 never does). */
static int utf8_valid(const char *s, size_t len, int *c1)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int ok = 1;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        unsigned cp;
        size_t n = tb_utf8_seq(p, &cp);
        if (!n || p + n > end) {
            ok = 0;
            break;
        }
        p += n;
    }
    if (!ok)
        for (p = (const unsigned char *)s; p < end; p++)
            *c1 |= *p >= 0x80 && *p < 0xA0;
    return ok;
}

typedef struct {
    bad_policy_t policy;
    dcx_strlist_t *notes;
    dcx_error_t *err;
    int bad;
    int oom; /* a note could not be stored: reading fails with DCX_ENOMEM */
} issue_t;

/* Reports a problem with the data; @return 1 when reading must stop. */
static int issue(issue_t *is, const char *file, long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int issue(issue_t *is, const char *file, long line, long col, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (is->bad++ == 0 || is->policy == BAD_STOP)
        dcx_error_at(is->err, DCX_EPARSE, file, line, col, "%s", msg);
    if (is->policy == BAD_STOP)
        return 1;
    if (is->notes && (col > 0 ? dcx_strlist_pushf(is->notes, "%s:%ld:%ld: %s%s", file, line, col, msg,
                                                  is->policy == BAD_WARN ? " (skipped)" : "")
                              : dcx_strlist_pushf(is->notes, "%s:%ld: %s%s", file, line, msg,
                                                  is->policy == BAD_WARN ? " (skipped)" : "")))
        is->oom = 1;
    return 0;
}

static mrespondent_t *new_respondent(mresponses_t *rs, size_t nq, const char *id, size_t len,
                                     long line)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        mrespondent_t *p = realloc(rs->r, cap * sizeof *p);
        if (!p)
            return NULL;
        rs->r = p;
        rs->cap = cap;
    }
    if ((rs->n + 1) * nq > rs->acap) {
        size_t cap = rs->acap ? rs->acap * 2 : 64 * (nq ? nq : 1);
        double *p = realloc(rs->answers, cap * sizeof *p);
        if (!p)
            return NULL;
        rs->answers = p;
        rs->acap = cap;
    }
    mrespondent_t *r = &rs->r[rs->n];
    memset(r, 0, sizeof *r);
    r->id = malloc(len + 1);
    r->ans = NULL; /* pointed into the block once reading is done (the block may move) */
    double *ans = rs->answers + rs->n * nq;
    r->attr = rs->nattr ? calloc(rs->nattr, sizeof *r->attr) : NULL;
    if (!r->id || (rs->nattr && !r->attr)) {
        free(r->id);
        free(r->attr);
        return NULL;
    }
    memcpy(r->id, id, len);
    r->id[len] = '\0';
    for (size_t q = 0; q < nq; q++)
        ans[q] = NAN;
    r->line = line;
    rs->n++;
    return r;
}

/* Whether a column name has the shape of a question id: letters, then digits at the end
 * (str1, e_1, Q12), ignoring surrounding spaces. Attribute names such as team, region, role
 * or seed do not, so they are never taken for a misspelt question. */
static int qid_shape(const char *h)
{
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    if (!n || !isalpha((unsigned char)h[0]) || !isdigit((unsigned char)h[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)h[i]) && !strchr("_-.", h[i]))
            return 0;
    return 1;
}

/* The question a header that is not a question id probably meant (within edit distance
 * 2, case and surrounding spaces ignored, both of question-id shape), or -1; -2 when out of
 * memory. Comparisons are bounded so that a header of many unknown columns cannot make
 * this quadratic. */
static long probable_question(const dcx_assessment_t *a, const char *h, size_t *budget)
{
    if (!qid_shape(h))
        return -1;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t lh = strlen(h);
    while (lh && (h[lh - 1] == ' ' || h[lh - 1] == '\t'))
        lh--;
    long best = -1;
    size_t bestd = 3;
    for (size_t q = 0; q < a->nq && *budget; q++, (*budget)--) {
        if (!qid_shape(a->qs[q].id))
            continue;
        size_t d = dcx_edit_distance(h, lh, a->qs[q].id, strlen(a->qs[q].id), 2);
        if (d == SIZE_MAX)
            return -2;
        if (d < bestd) {
            bestd = d;
            best = (long)q;
        }
    }
    return best;
}

static const char *why_not_answer(int code)
{
    return code == -2 ? "is not a step of the scale" : "is not on the scale";
}

/* ---- the header ------------------------------------------------------------------------------ */

/* A codebook: export column name -> question index. */
static dcx_status_t read_map(const dcx_assessment_t *a, const char *path, char delimiter,
                             dcx_strmap_t *names, long **qof, dcx_error_t *err)
{
    dcx_csv_reader_t *r;
    dcx_status_t st = dcx_csv_open(path, &r, err);
    if (st)
        return st;
    dcx_csv_delimiter(r, delimiter);
    const char *file = dcx_csv_name(r);
    dcx_csv_row_t row;
    size_t cap = 0;
    if ((st = dcx_csv_header(r, &row, "a header row 'column,question'", err)))
        goto done;
    if (row.n != 2 || strcmp(row.fields[0], "column") || strcmp(row.fields[1], "question")) {
        st = dcx_error_at(err, DCX_EPARSE, file, row.line, 1,
                          "a codebook has the header 'column,question' (the export's column, the "
                          "assessment's question id)");
        goto done;
    }
    dcx_csv_expect_width(r, 2);
    int got;
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        long q = assessment_question(a, row.fields[1]);
        if (q < 0) {
            st = dcx_error_at(err, DCX_EPARSE, file, row.line, 2,
                              "'%.80s' is not a question id of the assessment", row.fields[1]);
            goto done;
        }
        long before = (long)names->n, k = dcx_strmap_put(names, row.fields[0], row.lens[0]);
        if (k < 0) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        if (k < before) {
            st = dcx_error_at(err, DCX_EPARSE, file, row.line, 1, "column '%.80s' is mapped twice",
                              row.fields[0]);
            goto done;
        }
        if ((size_t)k >= cap) {
            size_t nc = cap ? 2 * cap : 64;
            long *p = realloc(*qof, nc * sizeof *p);
            if (!p) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                goto done;
            }
            *qof = p;
            cap = nc;
        }
        (*qof)[k] = q;
    }
    if (got < 0)
        st = err->code;
done:
    dcx_csv_close(r);
    return st;
}

/* "Section [statement text]" (a Google Forms grid, a LimeSurvey full-text export): the
 * question whose text is the bracketed text, or -1. */
static long bracket_question(const dcx_strmap_t *texts, const long *tq, const char *h)
{
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    if (n < 3 || h[n - 1] != ']')
        return -1;
    const char *open = NULL;
    for (size_t i = n - 1; i-- > 0;)
        if (h[i] == '[') {
            open = h + i;
            break;
        }
    if (!open)
        return -1;
    char norm[1024];
    size_t len = (size_t)(h + n - 1 - (open + 1));
    if (len >= sizeof norm)
        return -1;
    size_t k = label_norm(open + 1, len, norm, sizeof norm);
    long i = dcx_strmap_get(texts, norm, k);
    return i < 0 ? -1 : tq[i];
}

/* The header's column names as UTF-8 (the file's encoding converted), combined with a
 * second header row when there is one: "Question [Statement]" for each column whose second
 * row names a statement, the question carried over blank cells from the left (SurveyMonkey
 * merges a matrix question's cell over its statements). */
static char **header_names(dcx_csv_reader_t *r, dcx_csv_row_t *row, const resp_opts_t *ro,
                           tbuf_t *conv, dcx_error_t *err, dcx_status_t *st)
{
    size_t n = row->n;
    char **h = calloc(n + 1, sizeof *h);
    if (!h) {
        *st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (ro->encoding != ENC_UTF8) {
            to_utf8(conv, row->fields[i], row->lens[i], ro->encoding);
            h[i] = conv->oom ? NULL : strdup(conv->s);
        } else {
            h[i] = strdup(row->fields[i]);
        }
        if (!h[i]) {
            *st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            return h;
        }
    }
    if (ro->header_rows == 2) {
        int got = dcx_csv_next(r, row, err);
        if (got <= 0) {
            *st = got < 0 ? err->code
                          : dcx_error_at(err, DCX_EPARSE, dcx_csv_name(r), 0, 0,
                                         "--header-rows 2: the file has no second header row");
            return h;
        }
        /* the first row's names stay as they are until every combined name is made: the
         * question carried to the right is one of them */
        char **top_of = calloc(n + 1, sizeof *top_of);
        if (!top_of) {
            *st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            return h;
        }
        const char *top = "";
        for (size_t i = 0; i < n && i < row->n; i++) {
            if (*h[i])
                top = h[i];
            const char *sub = row->fields[i];
            if (ro->encoding != ENC_UTF8) {
                to_utf8(conv, row->fields[i], row->lens[i], ro->encoding);
                sub = conv->oom ? "" : conv->s;
            }
            /* SurveyMonkey writes "Response" under a question with one answer column */
            if (dcx_is_blank(sub, strlen(sub)) || !strcasecmp(sub, "Response")
                || !strcasecmp(sub, "Open-Ended Response"))
                continue;
            tbuf_t b = {0};
            tb_printf(&b, "%s [%s]", top, sub);
            if (b.oom) {
                tb_free(&b);
                *st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                break;
            }
            top_of[i] = b.s;
        }
        for (size_t i = 0; i < n; i++)
            if (top_of[i]) {
                free(h[i]);
                h[i] = top_of[i];
            }
        free(top_of);
    }
    return h;
}

/* An Excel workbook or a UTF-16 text handed over as CSV: said plainly, before the CSV
 * reader stumbles over its bytes. */
static dcx_status_t not_csv(const char *path, dcx_error_t *err)
{
    if (!strcmp(path, "-"))
        return DCX_OK;
    FILE *f = fopen(path, "rb");
    if (!f)
        return DCX_OK; /* the CSV reader says why */
    unsigned char b[8] = {0};
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if ((n >= 4 && !memcmp(b, "PK\x03\x04", 4)) || (n >= 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)))
        return dcx_error_at(err, DCX_EPARSE, path, 0, 0,
                            "this is an Excel workbook: save it as CSV UTF-8 (Excel: File > Save As > "
                            "CSV UTF-8) and give that file");
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return dcx_error_at(err, DCX_EPARSE, path, 0, 0,
                            "this file is UTF-16 text: save it as CSV UTF-8 and give that file");
    return DCX_OK;
}

/* ---- reading ---------------------------------------------------------------------------------- */

typedef struct {
    const resp_opts_t *ro;
    tbuf_t conv;     /* a field converted to UTF-8 */
    int enc_warned;  /* the file was found not to be UTF-8 */
    int enc_c1;      /* ... and holds bytes 0x80-0x9F: windows-1252 */
    long enc_line, enc_col; /* where it was first seen */
    dcx_strlist_t *notes;
    const char *file;
    int oom;
} fields_t;

/* Field i of row as UTF-8 (converted, or checked once for another encoding). */
static const char *fld(fields_t *f, const dcx_csv_row_t *row, size_t i, size_t *len)
{
    const char *s = row->fields[i];
    size_t n = row->lens[i];
    if (f->ro->encoding != ENC_UTF8) {
        to_utf8(&f->conv, s, n, f->ro->encoding);
        if (f->conv.oom) {
            f->oom = 1;
            *len = 0;
            return "";
        }
        *len = f->conv.len;
        return f->conv.s;
    }
    if (!f->enc_c1) { /* until the evidence is complete: invalid UTF-8, and which kind */
        int c1 = 0, high = 0;
        for (size_t k = 0; k < n && !high; k++)
            high = (unsigned char)s[k] >= 0x80;
        if (high && !utf8_valid(s, n, &c1)) {
            if (!f->enc_warned) {
                f->enc_warned = 1;
                f->enc_line = row->line;
                f->enc_col = (long)i + 1;
            }
            f->enc_c1 = c1;
        }
    }
    *len = n;
    return s;
}

/* After a bad answer in a file that is not UTF-8: the likely reason. */
static const char *enc_hint(const fields_t *f)
{
    return !f->enc_warned ? ""
           : f->enc_c1    ? "; the file is not UTF-8: give --encoding windows-1252"
                          : "; the file is not UTF-8: give --encoding latin1";
}

static int row_blank(const dcx_csv_row_t *row)
{
    for (size_t i = 0; i < row->n; i++)
        if (!dcx_is_blank(row->fields[i], row->lens[i]))
            return 0;
    return 1;
}

dcx_status_t responses_read(const dcx_assessment_t *a, const char *path, const resp_opts_t *ro,
                            mresponses_t *rs, dcx_strlist_t *notes, dcx_error_t *err)
{
    char delimiter = ro->delimiter;
    bad_policy_t policy = ro->policy;
    const char *rcol = ro->respondent_column ? ro->respondent_column : "respondent";
    memset(rs, 0, sizeof *rs);
    dcx_status_t st = not_csv(path, err);
    if (st)
        return st;
    answers_t ax;
    dcx_strmap_t mapnames = {0}, texts = {0}, heads = {0};
    long *mapq = NULL, *textq = NULL, *qat = NULL;
    char **hdr = NULL;
    size_t nhdr = 0;
    long *qcol = NULL, *acol = NULL;
    char *seen = NULL; /* long form: which (respondent, question) pairs are answered */
    size_t seen_cap = 0, lines_cap = 0;
    mrespondent_t sr = {0}; /* wide: the row being read */
    fields_t fx = {ro, {0}, 0, 0, 0, 0, notes, path, 0};
    dcx_csv_reader_t *r = NULL;
    issue_t is = {policy, notes, err, 0, 0};
    if ((st = answers_make(a, ro->na, &ax, err)))
        goto done;
    if (ro->map && (st = read_map(a, ro->map, delimiter, &mapnames, &mapq, err)))
        goto done;
    /* statement texts, normalised, for "Section [statement text]" headers */
    if (!(textq = malloc((a->nq + 1) * sizeof *textq)) || !(qat = malloc((a->nq + 1) * sizeof *qat))
        || !(rs->present = calloc(a->nq + 1, 1))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t q = 0; q < a->nq; q++) {
        char norm[1024];
        size_t k = label_norm(a->qs[q].text, strlen(a->qs[q].text), norm, sizeof norm);
        long before = (long)texts.n, i = dcx_strmap_put(&texts, norm, k);
        if (i < 0) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        if (i == before)
            textq[i] = (long)q;
        qat[q] = -1;
    }
    if ((st = dcx_csv_open(path, &r, err)))
        goto done;
    dcx_csv_delimiter(r, delimiter);
    const char *file = dcx_csv_name(r);
    fx.file = file;
    dcx_csv_row_t row;
    if ((st = dcx_csv_header(r, &row, "a header row", err)))
        goto done;
    long hline = row.line;
    nhdr = row.n;
    hdr = header_names(r, &row, ro, &fx.conv, err, &st);
    if (st)
        goto done;
    long resp_c = -1, q_c = -1, ans_c = -1;
    for (size_t i = 0; i < nhdr; i++) {
        if (!strcmp(hdr[i], rcol))
            resp_c = (long)i;
        else if (!strcmp(hdr[i], "question"))
            q_c = (long)i;
        else if (!strcmp(hdr[i], "answer"))
            ans_c = (long)i;
    }
    if (resp_c < 0) {
        char hint[256];
        dcx_csv_row_t h = row;
        h.fields = hdr;
        h.n = nhdr;
        dcx_csv_header_hint(&h, hint, sizeof hint);
        st = dcx_error_at(err, DCX_EPARSE, file, hline, 0,
                          "no '%s' column in the header (%s)%s", rcol, hint,
                          strcmp(rcol, "respondent") ? "" : "; name the id column with --respondent-column");
        goto done;
    }
    rs->long_form = q_c >= 0 && ans_c >= 0;
    size_t ncols = nhdr;
    qcol = malloc(ncols * sizeof *qcol);   /* wide: column -> question (or -1) */
    acol = malloc(ncols * sizeof *acol);   /* column -> attribute (or -1) */
    rs->attr_names = calloc(ncols, sizeof *rs->attr_names);
    rs->attr_col = calloc(ncols, sizeof *rs->attr_col);
    if (!qcol || !acol || !rs->attr_names || !rs->attr_col) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    size_t budget = 50000000; /* edit-distance comparisons for misspelt question columns */
    size_t nquestions = 0;
    for (size_t i = 0; i < ncols; i++) {
        qcol[i] = acol[i] = -1;
        /* a column name twice: which of the two holds the answers? */
        long before = (long)heads.n, at = dcx_strmap_put(&heads, hdr[i], strlen(hdr[i]));
        if (at < 0) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        if (at < before) {
            size_t first = 0;
            while (first < i && strcmp(hdr[first], hdr[i]))
                first++;
            if (issue(&is, file, hline, (long)i + 1,
                      "column '%.80s' is repeated (columns %zu and %zu): rename or remove one%s", hdr[i],
                      first + 1, i + 1,
                      *hdr[i] ? "" : " (a header with blank names over a second header row, as SurveyMonkey "
                                     "writes: give --header-rows 2)")) {
                st = DCX_EPARSE;
                goto done;
            }
            continue;
        }
        if ((long)i == resp_c || (rs->long_form && ((long)i == q_c || (long)i == ans_c)))
            continue;
        /* the worksheet's per-row descriptions (dcx maturity template) are no attributes */
        if (rs->long_form && (!strcmp(hdr[i], "dimension") || !strcmp(hdr[i], "statement")))
            continue;
        long q = -1;
        if (!rs->long_form) {
            long m = ro->map ? dcx_strmap_get(&mapnames, hdr[i], strlen(hdr[i])) : -1;
            q = m >= 0 ? mapq[m] : assessment_question(a, hdr[i]);
            if (q < 0)
                q = bracket_question(&texts, textq, hdr[i]);
        }
        if (q >= 0) {
            if (qat[q] >= 0) {
                if (issue(&is, file, hline, (long)i + 1,
                          "columns %ld and %zu both hold question '%s': keep one", qat[q] + 1, i + 1,
                          a->qs[q].id)) {
                    st = DCX_EPARSE;
                    goto done;
                }
                continue;
            }
            qat[q] = (long)i;
            qcol[i] = q;
            rs->present[q] = 1;
            nquestions++;
            continue;
        }
        /* a column that is almost a question id is a misspelt question, not an attribute:
         * taken as an attribute it would silently lose every answer in it; columns named by
         * options (--group-by, --attributes, --weight-column) are attributes by word */
        int named = 0;
        for (size_t k = 0; k < ro->nnamed && !named; k++)
            named = !strcmp(ro->named[k], hdr[i]);
        long near = rs->long_form || named ? -1 : probable_question(a, hdr[i], &budget);
        if (near == -2) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        if (near >= 0) {
            if (policy == BAD_WARN) {
                if (notes && dcx_strlist_pushf(notes, "%s:%ld:%zu: column '%s' is not a question id; "
                                                      "did you mean '%s'? (taken as a respondent attribute)",
                                               file, hline, i + 1, hdr[i], a->qs[near].id))
                    is.oom = 1;
            } else if (issue(&is, file, hline, (long)i + 1,
                             "column '%.80s' is not a question id; did you mean '%s'? (rename the "
                             "column, give --attributes %.80s to keep it as an attribute, or --lenient)",
                             hdr[i], a->qs[near].id, hdr[i])) {
                st = DCX_EPARSE;
                goto done;
            }
        }
        acol[i] = (long)rs->nattr;
        rs->attr_col[rs->nattr] = (long)i + 1;
        if (!(rs->attr_names[rs->nattr] = strdup(hdr[i]))) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto done;
        }
        rs->nattr++;
    }
    if (!rs->long_form && !nquestions) {
        char hint[256];
        dcx_csv_row_t h = row;
        h.fields = hdr;
        h.n = nhdr;
        dcx_csv_header_hint(&h, hint, sizeof hint);
        st = dcx_error_at(err, DCX_EPARSE, file, hline, 0,
                          "no column is a question of %s (%s): name the columns by question id "
                          "(dcx maturity template --wide writes them), or map them with --map CODEBOOK.csv",
                          a->id, hint);
        goto done;
    }
    if (!rs->long_form && !budget && notes
        && dcx_strlist_pushf(notes, "%s: too many columns that are not question ids to check them "
                                    "all for misspellings",
                             file))
        is.oom = 1;
    if (!rs->long_form && notes)
        for (size_t q = 0; q < a->nq; q++)
            if (!rs->present[q] && dcx_strlist_pushf(notes, "%s: question '%s' has no column", file, a->qs[q].id))
                is.oom = 1;
    if (!rs->long_form && (!(sr.ans = malloc((a->nq + 1) * sizeof *sr.ans))
                         || !(sr.attr = calloc(rs->nattr + 1, sizeof *sr.attr)))) {
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
        goto done;
    }
    dcx_csv_expect_width(r, ncols);
    int got;
    for (long k = 0; k < ro->skip_rows; k++)
        if ((got = dcx_csv_next(r, &row, err)) <= 0) {
            if (got < 0)
                st = err->code;
            goto finish;
        }
    while ((got = dcx_csv_next(r, &row, err)) > 0) {
        if (row_blank(&row)) { /* a row of empty cells (a spreadsheet's leftovers) */
            rs->empty_rows++;
            continue;
        }
        size_t idlen;
        const char *id0 = fld(&fx, &row, (size_t)resp_c, &idlen);
        if (dcx_is_blank(id0, idlen)) {
            if (issue(&is, file, row.line, resp_c + 1, "empty respondent"))
                goto stop;
            continue;
        }
        char *id = malloc(idlen + 1);
        if (!id) {
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
            goto finish;
        }
        memcpy(id, id0, idlen);
        id[idlen] = '\0';
        long k = dcx_strmap_get(&rs->ids, id, idlen);
        mrespondent_t *resp;
        int stop = 0;
        if (rs->long_form) {
            long q = assessment_question(a, row.fields[q_c]);
            if (q < 0) {
                stop = issue(&is, file, row.line, q_c + 1, "unknown question id '%.80s'", row.fields[q_c]);
                free(id);
                if (stop)
                    goto stop;
                continue;
            }
            double v;
            size_t alen;
            const char *ans = fld(&fx, &row, (size_t)ans_c, &alen);
            int why = answer_value(&ax, ans, alen, &v);
            if (why) {
                stop = issue(&is, file, row.line, ans_c + 1,
                             "answer '%.60s' to '%s' %s (%g to %g in steps of %g, a label, or a missing code)%s",
                             ans, a->qs[q].id, why_not_answer(why), a->smin, a->smax, a->step,
                             enc_hint(&fx));
                free(id);
                if (stop)
                    goto stop;
                continue;
            }
            if (k < 0) {
                if (!(resp = new_respondent(rs, a->nq, id, idlen, row.line))
                    || dcx_strmap_put(&rs->ids, id, idlen) < 0) {
                    free(id);
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                    goto finish;
                }
                k = (long)rs->n - 1;
                for (size_t i = 0; i < ncols; i++) {
                    size_t l;
                    const char *s = acol[i] >= 0 ? fld(&fx, &row, i, &l) : NULL;
                    if (s && !(resp->attr[acol[i]] = strdup(s))) {
                        free(id);
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto finish;
                    }
                }
                size_t need = rs->n * a->nq;
                if (need > seen_cap) {
                    size_t cap = seen_cap ? seen_cap * 2 : 1024;
                    while (cap < need)
                        cap *= 2;
                    char *p = realloc(seen, cap);
                    if (!p) {
                        free(id);
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto finish;
                    }
                    memset(p + seen_cap, 0, cap - seen_cap);
                    seen = p;
                    seen_cap = cap;
                }
            } else {
                /* a respondent's attributes are the same on every row: a change would
                 * otherwise be ignored without a word */
                resp = &rs->r[k];
                int conflict = 0;
                for (size_t i = 0; i < ncols && !conflict; i++) {
                    size_t l;
                    const char *s = acol[i] >= 0 ? fld(&fx, &row, i, &l) : NULL;
                    if (s && resp->attr[acol[i]] && strcmp(resp->attr[acol[i]], s)) {
                        conflict = 1;
                        stop = issue(&is, file, row.line, (long)i + 1,
                                     "respondent '%s' has %s '%.60s' here but '%.60s' on line %ld", resp->id,
                                     rs->attr_names[acol[i]], s, resp->attr[acol[i]], resp->line);
                    }
                }
                if (conflict) {
                    free(id);
                    if (stop)
                        goto stop;
                    continue;
                }
            }
            free(id);
            resp = &rs->r[k];
            if (seen[(size_t)k * a->nq + (size_t)q]) {
                if (issue(&is, file, row.line, q_c + 1,
                          "duplicate answer of respondent '%s' to '%s'", resp->id, a->qs[q].id))
                    goto stop;
                continue;
            }
            seen[(size_t)k * a->nq + (size_t)q] = 1;
            rs->answers[(size_t)k * a->nq + (size_t)q] = v;
            if (!isnan(v))
                rs->present[q] = 1;
        } else {
            if (k >= 0) {
                stop = issue(&is, file, row.line, resp_c + 1, "duplicate respondent '%s' (first on line %ld)",
                             rs->ids.keys[k], rs->lines[k]);
                free(id);
                if (stop)
                    goto stop;
                continue;
            }
            /* the row goes to the sink; only its id stays */
            int answered = 0;
            sr.id = id;
            sr.line = row.line;
            for (size_t q = 0; q < a->nq; q++)
                sr.ans[q] = NAN;
            for (size_t i = 0; i < ncols; i++) {
                size_t l;
                if (acol[i] >= 0) {
                    const char *s = fld(&fx, &row, i, &l);
                    free(sr.attr[acol[i]]);
                    if (!(sr.attr[acol[i]] = strdup(s))) {
                        free(id);
                        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                        goto finish;
                    }
                } else if (qcol[i] >= 0) {
                    double v;
                    const char *s = fld(&fx, &row, i, &l);
                    int why = answer_value(&ax, s, l, &v);
                    if (why) {
                        if (issue(&is, file, row.line, (long)i + 1,
                                  "answer '%.60s' to '%s' %s (%g to %g in steps of %g, a label, "
                                  "or a missing code)%s",
                                  s, a->qs[qcol[i]].id, why_not_answer(why), a->smin, a->smax, a->step,
                                  enc_hint(&fx))) {
                            free(id);
                            goto stop;
                        }
                        v = NAN;
                    }
                    answered |= !isnan(v);
                    sr.ans[qcol[i]] = v;
                }
            }
            if (!answered) { /* a row without a valid answer is no respondent */
                free(id);
                rs->empty_rows++;
                continue;
            }
            if (rs->n == lines_cap) {
                size_t cap = lines_cap ? 2 * lines_cap : 256;
                long *p = realloc(rs->lines, cap * sizeof *p);
                if (!p) {
                    free(id);
                    st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                    goto finish;
                }
                rs->lines = p;
                lines_cap = cap;
            }
            rs->lines[rs->n++] = row.line;
            int bad = dcx_strmap_put(&rs->ids, id, idlen) < 0 || ro->sink(ro->sink_ctx, rs, &sr);
            free(id);
            if (bad) {
                st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
                goto finish;
            }
        }
    }
    if (got < 0)
        st = err->code;
    else if (is.bad && policy != BAD_WARN)
        st = DCX_EPARSE;
    goto finish;
stop:
    st = DCX_EPARSE;
finish:
    if (rs->long_form) { /* respondents without a valid answer are none */
        size_t w = 0;
        for (size_t i = 0; i < rs->n; i++) {
            int any = 0;
            for (size_t q = 0; q < a->nq && !any; q++)
                any = !isnan(rs->answers[i * a->nq + q]);
            if (!any) {
                free(rs->r[i].id);
                for (size_t j = 0; j < rs->nattr; j++)
                    free(rs->r[i].attr[j]);
                free(rs->r[i].attr);
                rs->empty_rows++;
                continue;
            }
            if (w != i) {
                rs->r[w] = rs->r[i];
                memmove(rs->answers + w * a->nq, rs->answers + i * a->nq, a->nq * sizeof *rs->answers);
            }
            w++;
        }
        rs->n = w;
    }
    if (fx.enc_warned && notes) {
        const char *enc = fx.enc_c1 ? "windows-1252" : "latin1";
        if (dcx_strlist_pushf(notes,
                              "%s:%ld:%ld: the file is not UTF-8 (it looks like %s, as older Excel and "
                              "survey exports write): give --encoding %s, or save it as CSV UTF-8",
                              fx.file, fx.enc_line, fx.enc_col, enc, enc))
            is.oom = 1;
    }
done:
    free(sr.ans);
    for (size_t k = 0; sr.attr && k < rs->nattr; k++)
        free(sr.attr[k]);
    free(sr.attr);
    free(seen);
    free(qcol);
    free(acol);
    dcx_csv_close(r);
    for (size_t i = 0; hdr && i < nhdr; i++)
        free(hdr[i]);
    free(hdr);
    answers_free(&ax);
    dcx_strmap_free(&mapnames);
    dcx_strmap_free(&texts);
    dcx_strmap_free(&heads);
    free(mapq);
    free(textq);
    free(qat);
    tb_free(&fx.conv);
    if (fx.oom)
        is.oom = 1;
    /* answers: point every row into the final block; attributes never set read as "" */
    for (size_t i = 0; rs->r && i < rs->n; i++)
        rs->r[i].ans = rs->answers + i * a->nq;
    for (size_t i = 0; rs->r && i < rs->n; i++)
        for (size_t k = 0; k < rs->nattr; k++)
            if (!rs->r[i].attr[k] && !(rs->r[i].attr[k] = strdup("")))
                is.oom = 1;
    if (is.oom && (st == DCX_OK || st == DCX_EPARSE))
        st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    /* a long file's respondents are whole only now: handed over in order of first sight */
    for (size_t i = 0; st == DCX_OK && ro->sink && rs->long_form && i < rs->n; i++)
        if (ro->sink(ro->sink_ctx, rs, &rs->r[i]))
            st = dcx_error_set(err, DCX_ENOMEM, "out of memory");
    return st;
}
