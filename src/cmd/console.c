/* cati console: the interviewer screen (src/tui/console*.c). */
#include "cmd.h"

#include "../tui/console.h"

int cmd_console(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("console");
    return console_main(c);
}
