#include "cmd.h"

int cmd_shell(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "shell: not built yet");
}
