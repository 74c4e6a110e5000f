/* extra_cmds.c — commands that live in the front end rather than the library. */
#include "cli.h"

int cli_run(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_report(int argc, char **argv);

static const cli_command_t extra[] = {
    {"plot", "plots of results: forest, timeline, posterior, power, radar, gaps", cli_plot},
    {"report", "a self-contained HTML or Markdown report of a result", cli_report},
    {"run", "run a Lua script with the dcx module (dcx run SCRIPT.lua | -e CHUNK)", cli_run},
    {NULL, NULL, NULL}};

const cli_command_t *cli_extra_commands(void) { return extra; }
