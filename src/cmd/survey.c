#include "cmd.h"

int cmd_survey(struct cli *c, int argc, char **argv)
{
    (void)c; (void)argc; (void)argv;
    return cli_failf(EXIT_FAIL, "survey: not built yet");
}
