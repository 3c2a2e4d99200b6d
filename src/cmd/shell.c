/* cati shell: the work is in src/shell (libedit stays there). */
#include "cmd.h"

#include "../shell/shell.h"

int cmd_shell(struct cli *c, int argc, char **argv)
{
    return shell_main(c, argc, argv);
}
