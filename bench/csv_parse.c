/* csv_parse.c — the ceiling for `make bench`: a bare libcsv parse of a file (fields and
 * rows counted, nothing else), in the same 64 KiB chunks dcx reads. Prints
 *   csv-parse <bytes> <seconds> <rows> */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <csv.h>

static size_t fields, rows;

static void on_field(void *s, size_t len, void *ctx)
{
    (void)s, (void)len, (void)ctx;
    fields++;
}

static void on_row(int c, void *ctx)
{
    (void)c, (void)ctx;
    rows++;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 1;
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
    static char buf[65536];
    size_t n, bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n)
            return 1;
        bytes += n;
    }
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    fclose(f);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("csv-parse %zu %.4f %zu\n", bytes, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9, rows);
    return 0;
}
