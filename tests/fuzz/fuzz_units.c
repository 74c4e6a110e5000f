/* fuzz_units.c — the unit-level CSV reader behind dcx analyze, with every metric type,
 * a segment, a time column and CUPED (of a mean, and of a ratio by a covariate pair), on
 * arbitrary bytes. */
#include <cjson/cJSON.h>

#include "dcx/dcx.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".csv");
    if (!path)
        return 0;
    const dcx_command_t *cmd = dcx_command_find("analyze");
    dcx_error_t err;
    void *o = dcx_command_new_opts(cmd, &err);
    const char *args[][2] = {{"input", path}, {"metric", "a"}, {"metric", "b:mean"},
                             {"metric", "r:ratio=a/b"}, {"metric", "n:nps"}, {"metric", "c:binary"},
                             {"metric", "rc:ratio=b/a"}, {"segment", "s"}, {"time-column", "t"},
                             {"cuped", "b=a"}, {"cuped", "rc=c/b"},
                             {"correction", "holm"}};
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        dcx_opts_set(dcx_opts_find(cmd->options, args[i][0]), o, args[i][1], &err);
    cJSON *doc = NULL;
    cmd->run(o, &doc, &err);
    cJSON_Delete(doc);
    dcx_command_free_opts(cmd, o);
    unlink(path);
    return 0;
}
