/* fuzz_assessment.c — assessment definitions (dcx maturity validate, with every problem
 * collected) and a blank worksheet from whatever parses. */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".json");
    if (!path)
        return 0;
    dcx_maturity_opts_t o = {0};
    o.assessment = (char *)path;
    o.min_answered = 0.5;
    dcx_error_t err;
    cJSON *doc = NULL;
    dcx_maturity_validate(&o, &doc, &err);
    cJSON_Delete(doc);
    FILE *out = fopen("/dev/null", "w");
    if (out) {
        dcx_maturity_template(&o, out, &err);
        fclose(out);
    }
    unlink(path);
    return 0;
}
