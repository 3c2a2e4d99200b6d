#include "cmd.h"

int cmd_sample(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "sample: not built yet");
}
