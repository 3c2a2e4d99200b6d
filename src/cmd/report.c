#include "cmd.h"

int cmd_report(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "report: not built yet");
}
