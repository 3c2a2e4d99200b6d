#include "cmd.h"

int cmd_case(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "case: not built yet");
}
