/* fuzz_config.c — experiment configs (dcx assign), parsed from memory and then used. */
#include <string.h>

#include "dcx/dcx.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    dcx_experiment_t *e = NULL;
    dcx_error_t err;
    dcx_strlist_t w = {0};
    if (dcx_experiment_parse((const char *)data, size, "fuzz.json", &e, &w, &err) == DCX_OK) {
        static const char *ids[] = {"", "a", "user-123", "Jos\xc3\xa9", "\xff\xfe", "1e9"};
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            dcx_assignment_t a;
            dcx_assign(e, ids[i], strlen(ids[i]), &a);
        }
    }
    dcx_experiment_free(e);
    dcx_strlist_free(&w);
    return 0;
}
