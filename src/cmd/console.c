#include "cmd.h"

int cmd_console(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "console: not built yet");
}
