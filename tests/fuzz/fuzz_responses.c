/* fuzz_responses.c — maturity responses (wide or long) scored against the shipped model,
 * strictly, leniently, with groups, and validated. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".csv");
    if (!path)
        return 0;
    const char *root = getenv("DCX_ROOT");
    char model[4096];
    snprintf(model, sizeof model, "%s/tests/data/maturity_small.json", root ? root : ".");
    dcx_maturity_opts_t o = {0};
    static char *team[] = {"team"};
    o.assessment = model;
    o.min_group_size = 1; /* every group is scored: its paths are the ones fuzzed */
    o.responses = (char *)path;
    o.min_answered = 0.5;
    o.target = 6;
    o.targets = NULL;
    dcx_error_t err;
    for (int pass = 0; pass < 3; pass++) {
        cJSON *doc = NULL;
        o.lenient = pass > 0;
        o.group_by = pass == 2 ? (dcx_strlist_t){team, 1} : (dcx_strlist_t){NULL, 0};
        dcx_maturity_score(&o, &doc, &err);
        cJSON_Delete(doc);
    }
    cJSON *doc = NULL;
    dcx_maturity_validate(&o, &doc, &err);
    cJSON_Delete(doc);
    unlink(path);
    return 0;
}
