#include "cmd.h"

int cmd_export(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "export: not built yet");
}
