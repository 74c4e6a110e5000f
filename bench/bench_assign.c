/* bench_assign.c — in-memory rate of dcx_assign() for ~30-byte ids (hash version 2,
 * two variants, no namespace), the figure issue 3 asks for. Prints one line:
 *   assign-inmem <ids> <seconds> <assignments per second> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dcx/dcx.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    const char *cfg = "{\"key\":\"checkout-redesign\",\"variants\":[{\"name\":\"control\","
                      "\"weight\":0.5},{\"name\":\"treatment\",\"weight\":0.5}]}";
    dcx_experiment_t *e;
    dcx_error_t err;
    if (dcx_experiment_parse(cfg, strlen(cfg), "bench", &e, NULL, &err))
        return 1;
    char *ids = malloc(n * 32);
    size_t *len = malloc(n * sizeof *len);
    if (!ids || !len)
        return 1;
    for (size_t i = 0; i < n; i++)
        len[i] = (size_t)snprintf(ids + i * 32, 32, "user-%08zu-%04zx@example.com", i,
                                  (i * 2654435761u) & 0xffff);
    const char **ptr = malloc(n * sizeof *ptr);
    dcx_assignment_t *res = malloc(n * sizeof *res), a;
    if (!ptr || !res)
        return 1;
    for (size_t i = 0; i < n; i++)
        ptr[i] = ids + i * 32;
    long counts[3] = {0, 0, 0};
    double best1 = 1e30, bestm = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            dcx_assign(e, ptr[i], len[i], &a);
            counts[a.variant + 1]++;
        }
        double t = now() - t0;
        if (t < best1)
            best1 = t;
        t0 = now();
        dcx_assign_many(e, ptr, len, n, res);
        t = now() - t0;
        if (t < bestm)
            bestm = t;
    }
    size_t same = 0;
    for (size_t i = 0; i < n; i++) {
        dcx_assign(e, ptr[i], len[i], &a);
        same += a.variant == res[i].variant && a.bucket == res[i].bucket;
    }
    /* one line: name, ids, one-at-a-time rate, batch rate, batch agrees */
    printf("assign-inmem %zu %.0f %.0f %s (control share %.4f)\n", n, (double)n / best1,
           (double)n / bestm, same == n ? "agree" : "DISAGREE",
           (double)counts[1] / (double)(counts[1] + counts[2]));
    free(ptr);
    free(res);
    free(ids);
    free(len);
    dcx_experiment_free(e);
    return 0;
}
