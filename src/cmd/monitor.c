#include "cmd.h"

int cmd_monitor(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "monitor: not built yet");
}
