/* assign_ids.c — libdcx from C: put ids into an experiment's variants exactly as the
 * GrowthBook SDKs would, e.g. to pre-compute assignments for an email campaign.
 *
 *   cc assign_ids.c $(pkg-config --cflags --libs dcx) -o assign_ids
 *   ./assign_ids examples/experiments/checkout-redesign.json u1001 u1002 José
 */
#include <stdio.h>
#include <string.h>

#include <dcx/dcx.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: assign_ids EXPERIMENT.json ID...\n");
        return 2;
    }
    dcx_experiment_t *exp;
    dcx_error_t err;
    dcx_strlist_t warnings = {0};
    if (dcx_experiment_load(argv[1], &exp, &warnings, &err) != DCX_OK) {
        char msg[1024];
        fprintf(stderr, "assign_ids: %s\n", dcx_error_format(&err, msg, sizeof msg));
        return 1;
    }
    for (size_t i = 0; i < warnings.n; i++)
        fprintf(stderr, "assign_ids: warning: %s\n", warnings.v[i]);
    dcx_strlist_free(&warnings);

    static const char *why[] = {"", "empty id", "global holdout", "other namespace range",
                                "outside coverage"};
    for (int i = 2; i < argc; i++) {
        dcx_assignment_t a;
        char bucket[32];
        dcx_assign(exp, argv[i], strlen(argv[i]), &a);
        dcx_bucket_text(a.bucket, bucket);
        if (a.variant >= 0)
            printf("%-12s %-12s bucket %s\n", argv[i],
                   dcx_experiment_variant_name(exp, (size_t)a.variant), bucket);
        else
            printf("%-12s %-12s (%s)\n", argv[i], "-", why[a.reason]);
    }
    dcx_experiment_free(exp);
    return 0;
}
