/* cati console: the interviewer screen (src/tui/console*.c). */
#include "cmd.h"

#include "cati/session.h"
#include "../tui/console.h"

int cmd_console(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_cmd(c);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_session s = {.db = c->db, .cfg = &c->cfg, .me = &c->me};
    struct cati_error err;
    rc = console_run(&s, &err);
    if (rc < 0)
        return cli_fail(&err, EXIT_FAIL);
    return rc ? EXIT_FAIL : EXIT_OK;
}
