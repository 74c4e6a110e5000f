/* test_csv.c — the CSV reader's fast tokenizer against libcsv alone.
 *
 * Whole lines without a quote skip libcsv (lib/data/csv_reader.c). Every case below is read
 * with the fast tokenizer on and off, in pull and push mode, trimmed or not, at chunk sizes
 * from 1 byte to 64 KiB (so that every line end, quote and field meets a chunk boundary),
 * and the two transcripts (rows, fields, lines, the error with its position, where the
 * reader stops) must be the same byte for byte. Then what a person expects of some of them
 * is asserted directly: the rows and lines of a CRLF file, trimmed fields, a last line
 * without a line end, a field at exactly the limit and one byte over. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_transcript.h"
#include "dcx/dcx.h"
#include "tap.h"

static char dir[] = "/tmp/dcx-test-csv-XXXXXX";

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
        abort();
    return path;
}

static const size_t chunks[] = {1, 2, 3, 5, 8, 13, 64, 4096, 0};

/* Fast and libcsv-only transcripts agree at every chunk size. */
static void same(const char *name, const char *data, size_t len, const csv_mode_t *m,
                 const char *what)
{
    const char *path = write_file(name, data, len);
    size_t bad = (size_t)-1;
    char *a = NULL, *b = NULL;
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0] && bad == (size_t)-1; k++) {
        free(a);
        free(b);
        a = csv_transcript(path, m, chunks[k], 1);
        b = csv_transcript(path, m, chunks[k], 0);
        if (strcmp(a, b))
            bad = chunks[k];
    }
    if (!ok(bad == (size_t)-1, "%s: %s: fast tokenizer = libcsv at every chunk size", name, what)) {
        size_t i = 0;
        while (a[i] && a[i] == b[i])
            i++;
        size_t from = i > 120 ? i - 120 : 0;
        printf("#   chunk %zu, first difference at byte %zu\n#   fast:   %.240s\n#   libcsv: %.240s\n",
               bad, i, a + from, b + from);
    }
    free(a);
    free(b);
}

static const struct {
    const char *name, *data;
    size_t len; /* 0: strlen */
} cases[] = {
    {"plain.csv", "id,x\na,1\nb,2\n", 0},
    {"quotes_mid.csv", "id,x\na,1\n\"q,1\",2\nb,3\n\"multi\nline\",4\nc,5\n\"x\"\"y\",6\nd,7\n", 0},
    {"crlf.csv", "id,x\r\na,1\r\n\r\nb,2\r\n\"q\r\nr\",3\r\nc,4\r\n", 0},
    {"cr_only.csv", "id,x\ra,1\rb,2\r\rc,3", 0},
    {"cr_then_lf.csv", "id\ra\nb\n\"c\"\rd\n", 0},
    {"no_final_eol.csv", "id,x\na,1\nb,2", 0},
    {"no_final_eol_quoted.csv", "id,x\na,1\n\"b\",2", 0},
    {"no_final_eol_delim.csv", "id,x\na,1\nb,", 0},
    {"empty_fields.csv", "a,b,c\n,,\n,x,\nx,,\n,\n", 0},
    {"blank_lines.csv", "a,b\n\n   \n\t\nc,d\n  ,  \n\n", 0},
    {"spaces.csv", " a , b \n  c,d  \n\t e\t,\tf \n", 0},
    {"nul.csv", "a,b\nc,d\ne\0f,g\nh,i\n", 18},
    {"nul_first_line.csv", "a\0,b\nc,d\n", 10},
    {"malformed_mid.csv", "a,b\nc,d\"e\nf,g\n", 0},
    {"unbalanced_end.csv", "a,b\nc,d\n\"e,f\ng,h\n", 0},
    {"quote_after_quote.csv", "a,b\n\"c\"x,d\ne,f\n", 0},
    {"bom.csv", "\357\273\277id,x\na,1\n", 0},
    {"bom_quoted.csv", "\357\273\277\"id\",x\na,1\n", 0},
    {"ragged.csv", "a,b\nc\nd,e,f\ng,h\n", 0},
    {"only_delims.csv", "a,b\n,\n,\n", 0},
    {"quote_after_cr.csv", "a\r\"b\"\r\nc\n\"d\"\n", 0},
    {"semicolons.csv", "a;b\nc; d ;e\n\"f;g\";h\n", 0},
    {"tabs.csv", "a\tb\n c \t d \n\t\n \t \n", 0},
    {"spaces_delim.csv", "a b\n c  d \n  \n", 0},
    {"empty.csv", "", 0},
    {"only_blank.csv", "\n\r\n\n", 0},
    {"header_only.csv", "id", 0},
};

static const csv_mode_t modes[] = {
    {0, 0, 0, 0, 0, 0, 0, 0},   /* pull, fields as written */
    {0, 1, 0, 0, 0, 0, 0, 0},   /* pull, trimmed */
    {0, 0, 0, 0, 1, 0, 0, 0},   /* push */
    {0, 1, 0, 0, 1, 0, 0, 0},   /* push, trimmed */
    {0, 0, 2, 0, 0, 0, 0, 0},   /* pull, width 2 */
    {0, 0, 0, 0, 1, 1, 0, 0},   /* push, the first field skips the rest of its row */
    {0, 0, 0, 0, 1, 0, 2, 0},   /* push, the second row stops the reading */
    {0, 0, 0, 3, 0, 0, 0, 0},   /* pull, fields of at most 3 bytes */
    {0, 1, 0, 3, 1, 0, 0, 0},   /* push, trimmed, at most 3 bytes */
    {';', 1, 0, 0, 0, 0, 0, 0}, /* ';' */
    {'\t', 1, 0, 0, 1, 0, 0, 0}, /* tab, trimmed (a tab delimiter is not trimmed away) */
    {' ', 1, 0, 0, 0, 0, 0, 0}, /* space, trimmed */
};

static const char *mode_name(const csv_mode_t *m, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s delim '%s'%s%s%s%s", m->push ? "push" : "pull", m->trim ? " trim" : "",
             m->delim == '\t' ? "\\t" : m->delim ? (char[]){m->delim, 0} : ",",
             m->width ? " width" : "", m->max_field ? " max 3" : "", m->skip_col ? " skip" : "",
             m->stop_row ? " stop" : "");
    return buf;
}

/* A larger file: rows of several shapes (plain, quoted, quoted across lines, trimmed,
 * blank, long) in a pseudo-random order, crossing many 64 KiB chunk boundaries. */
static char *mixed_file(size_t rows, size_t *len)
{
    size_t cap = rows * 64 + 300000, n = 0;
    char *s = malloc(cap);
    if (!s)
        abort();
    n += (size_t)sprintf(s + n, "user_id,plan,value\n");
    unsigned x = 12345;
    for (size_t i = 0; i < rows; i++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 16) % 100;
        if (k < 80)
            n += (size_t)sprintf(s + n, "user-%08zu@example.com,p%u,%u\n", i, k % 3, k);
        else if (k < 85)
            n += (size_t)sprintf(s + n, "\"user,%zu\",\"p\"\"%u\",%u\n", i, k, k);
        else if (k < 88)
            n += (size_t)sprintf(s + n, "\"multi\nline %zu\",p,%u\r\n", i, k);
        else if (k < 92)
            n += (size_t)sprintf(s + n, "  u%zu  , p ,\t%u \n", i, k);
        else if (k < 95)
            n += (size_t)sprintf(s + n, "\n");
        else if (k < 96 && i % 7 == 0) {
            memset(s + n, 'L', 70000); /* longer than a chunk */
            n += 70000;
            n += (size_t)sprintf(s + n, ",p,1\n");
        } else
            n += (size_t)sprintf(s + n, "u%zu,,\r\n", i);
        if (n + 80000 > cap)
            break;
    }
    *len = n;
    return s;
}

static void test_differential(void)
{
    char name[96];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
            same(cases[c].name, cases[c].data, cases[c].len ? cases[c].len : strlen(cases[c].data),
                 &modes[m], mode_name(&modes[m], name, sizeof name));
    size_t len;
    char *big = mixed_file(40000, &len);
    csv_mode_t halves = {0, 0, 3, 0, 0, 0, 0, 1}, halves_push = {0, 1, 3, 0, 1, 0, 0, 1};
    const char *path = write_file("mixed.csv", big, len);
    for (size_t m = 0; m < 4; m++) {
        char *a = csv_transcript(path, &modes[m], 0, 1), *b = csv_transcript(path, &modes[m], 0, 0);
        ok(!strcmp(a, b), "mixed.csv (%zu bytes): %s: fast tokenizer = libcsv", len,
           mode_name(&modes[m], name, sizeof name));
        free(a);
        free(b);
    }
    for (size_t k = 0; k < 2; k++) {
        const csv_mode_t *m = k ? &halves_push : &halves;
        char *a = csv_transcript(path, m, 0, 1), *b = csv_transcript(path, m, 0, 0);
        ok(!strcmp(a, b) && strstr(a, "-- second half"),
           "mixed.csv read in two halves (%s): fast tokenizer = libcsv", k ? "push" : "pull");
        free(a);
        free(b);
    }
    free(big);
}

/* What the reader gives, as a person reads the file. */
static void expect(const char *name, const char *data, size_t len, const csv_mode_t *m,
                   const char *want, const char *what)
{
    const char *path = write_file(name, data, len ? len : strlen(data));
    char *got = csv_transcript(path, m, 0, 1);
    if (!ok(strstr(got, want) != NULL, "%s: %s", name, what))
        printf("#   want: %s\n#   got:  %s\n", want, got);
    free(got);
}

static void test_meaning(void)
{
    const csv_mode_t pull = {0}, trim = {0, 1, 0, 0, 0, 0, 0, 0}, push = {0, 0, 0, 0, 1, 0, 0, 0};
    expect("crlf.csv", "id,x\r\na,1\r\n\r\nb,2\r\n", 0, &pull,
           "H1@1|id|x\nW2@2|a|1\nW3@4|b|2\nEND\nlines 5,", "CRLF: one line per CRLF, blank line skipped");
    expect("quotes_mid.csv", "id,x\na,1\n\"q,1\",2\nb,3\n\"multi\nline\",4\nc,5\n", 0, &pull,
           "W2@2|a|1\nW3@3|q,1|2\nW4@4|b|3\nW5@5|multi\\x0aline|4\nW6@7|c|5\nEND",
           "quotes mid-file: the quoted fields, and the line after a field over two lines");
    expect("no_eol.csv", "id,x\na,1\nb,2", 0, &pull, "W3@3|b|2\nEND",
           "a last line without a line end is a row");
    expect("empty_fields.csv", "a,b,c\n,,\n,x,\n", 0, &pull, "W2@2|||\nW3@3||x|\nEND",
           "empty fields are empty strings");
    expect("trim.csv", "a,b\n  c , d\t\n   \n", 0, &trim, "W2@2|c|d\nEND\nlines 4",
           "trimmed: spaces and tabs around fields dropped, a line of spaces is blank");
    expect("keep.csv", "a,b\n  c , d\t\n", 0, &pull, "W2@2|\\x20\\x20c\\x20|\\x20d\\x09\nEND",
           "untrimmed: fields kept as written");
    expect("nul.csv", "a,b\nc,d\ne\0f,g\n", 14, &pull, "a NUL byte in the data",
           "an embedded NUL byte is an error");
    expect("nul.csv", "a,b\nc,d\ne\0f,g\n", 14, &pull, ":3:0:", "... naming its line");
    expect("push.csv", "a,b\nc,\n", 0, &push, "F0@2|c\nF1@2|\nR2@2\nEND",
           "push: each field with its column and line, then the row");
    /* a field at exactly the limit is read; one byte more is an error at its line and column */
    csv_mode_t lim = {0, 0, 0, 16, 0, 0, 0, 0}, limp = {0, 0, 0, 16, 1, 0, 0, 0};
    const char *at = "id,x\n0123456789abcdef,1\n", *over = "id,x\nz,1\nx,0123456789abcdefg\n";
    expect("at_limit.csv", at, 0, &lim, "W2@2|0123456789abcdef|1\nEND", "a field of exactly the limit is read");
    expect("at_limit.csv", at, 0, &limp, "F0@2|0123456789abcdef\nF1@2|1\nR2@2\nEND",
           "push: a field of exactly the limit is read");
    expect("over_limit.csv", over, 0, &lim, ":3:2: a field longer than 1.52588e-05 MiB",
           "a field one byte over the limit: error at line 3, column 2");
    expect("over_limit.csv", over, 0, &limp, ":3:2: a field longer than",
           "push: a field one byte over the limit: error at line 3, column 2");
    /* a long line (over a 64 KiB chunk) between short ones */
    size_t n = 200000;
    char *longf = malloc(n + 64);
    if (!longf)
        abort();
    size_t k = (size_t)sprintf(longf, "id,x\na,1\n");
    memset(longf + k, 'y', n);
    k += n;
    k += (size_t)sprintf(longf + k, ",2\nb,3\n");
    expect("long_line.csv", longf, k, &pull, "|2\nW4@4|b|3\nEND", "a 200,000-byte field, then the next line");
    free(longf);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_differential();
    test_meaning();
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return done_testing();
}
