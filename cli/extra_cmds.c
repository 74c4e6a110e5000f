/* extra_cmds.c — commands that live in the front end rather than the library. */
#include "cli.h"

static const cli_command_t extra[] = {{NULL, NULL, NULL}};

const cli_command_t *cli_extra_commands(void) { return extra; }
