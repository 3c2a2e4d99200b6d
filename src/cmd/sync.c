#include "cmd.h"

int cmd_sync(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "sync: not built yet");
}
