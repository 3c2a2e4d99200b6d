/* cati check: verify the database's invariants (src/core/check.c) and list
 * every violation, one a line: KIND REF: message. Exit 0 when sound, 1 when
 * not (or when the checks could not run). */
#include <stdio.h>

#include "cati/check.h"
#include "cmd.h"

int cmd_check(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cli_usage_cmd(c);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct check_report r;
    struct cati_error err;
    if (check_run(c->db, &r, &err) < 0)
        return cli_fail_in("check", &err, EXIT_FAIL);
    for (size_t i = 0; i < r.n; i++) {
        const struct check_violation *v = &r.v[i];
        if (v->ref[0])
            printf("%-11s %s (case %lld): %s\n", check_kind_name(v->kind), v->ref, v->case_id,
                   v->message);
        else
            printf("%-11s %s\n", check_kind_name(v->kind), v->message);
    }
    rc = r.n ? EXIT_FAIL : EXIT_OK;
    fflush(stdout); /* the list first, then the verdict, also when both go to one pipe */
    if (r.n)
        fprintf(stderr, "cati: check: %zu violation%s in %s\n", r.n, r.n == 1 ? "" : "s",
                c->db_path);
    else
        printf("ok: %lld cases, %lld calls, %lld interviews; no violation\n", r.cases, r.calls,
               r.interviews);
    check_report_release(&r);
    return rc;
}
