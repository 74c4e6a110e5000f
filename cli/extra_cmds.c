/* extra_cmds.c — commands that live in the front end rather than the library. */
#include "cli.h"

int cli_run(int argc, char **argv);

static const cli_command_t extra[] = {
    {"run", "run a Lua script with the dcx module (dcx run SCRIPT.lua | -e CHUNK)", cli_run},
    {NULL, NULL, NULL}};

const cli_command_t *cli_extra_commands(void) { return extra; }
