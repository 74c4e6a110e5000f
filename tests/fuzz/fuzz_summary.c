/* fuzz_summary.c — summary CSV input (dcx analyze --summary) and shard merging. */
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
    const char *args[][2] = {{"summary", path}, {"metric", "m:binary"}, {"metric", "x:mean"},
                             {"metric", "r:ratio=a/b"}, {"metric", "n:nps"}, {"metric", "q:quantile=0.5"}, {"segment", "s"},
                             {"metric", "rc:ratio=a/b"}, {"cuped", "rc=c/d"},
                             {"method", "bayesian"}};
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
        dcx_opts_set(dcx_opts_find(cmd->options, args[i][0]), o, args[i][1], &err);
    cJSON *doc = NULL;
    cmd->run(o, &doc, &err);
    cJSON_Delete(doc);
    dcx_command_free_opts(cmd, o);
    dcx_aggregate_opts_t ag = {0};
    dcx_strlist_push(&ag.merge, path);
    FILE *out = fopen("/dev/null", "w");
    if (out) {
        dcx_aggregate(&ag, out, &err);
        fclose(out);
    }
    dcx_strlist_free(&ag.merge);
    unlink(path);
    return 0;
}
