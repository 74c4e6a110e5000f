/* power_curve.c — libdcx from C: how power grows with sample size for a checkout test.
 *
 *   cc power_curve.c $(pkg-config --cflags --libs dcx) -o power_curve
 *   ./power_curve 0.031 0.0031      # baseline rate, absolute MDE
 */
#include <stdio.h>
#include <stdlib.h>

#include <dcx/dcx.h>

int main(int argc, char **argv)
{
    dcx_power_spec_t spec;
    dcx_power_result_t res;
    dcx_error_t err;

    dcx_power_spec_init(&spec);
    spec.kind = DCX_POWER_BINARY;
    spec.baseline = argc > 1 ? atof(argv[1]) : 0.031;
    spec.mde = argc > 2 ? atof(argv[2]) : 0.0031;

    if (dcx_power_solve(&spec, &res, &err) != DCX_OK) {
        fprintf(stderr, "power_curve: %s\n", err.message);
        return 1;
    }
    printf("n per variant for 80%% power: %.0f (total %.0f)\n", res.n_per_variant, res.n_total);
    printf("%10s  %s\n", "n/variant", "power");
    for (double f = 0.25; f <= 2.0; f += 0.25) {
        double n = res.n_per_variant * f;
        printf("%10.0f  %.3f\n", n, dcx_power_at(&spec, n, spec.mde));
    }
    return 0;
}
