/* cati init, cati config, cati interviewer … */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cati/util.h"
#include "cmd.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cli_usage_cmd(c);
    int rc = cli_open(c, DB_OPEN_CREATE);
    if (rc)
        return rc;
    struct cati_error err;
    long long ver = 0;
    if (db_int(c->db, "PRAGMA user_version", NULL, 0, 0, &ver, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (ver > 0 && (rc = cli_admit(c))) /* upgrading: the table's role */
        return rc;
    char login[64];
    if (account_whoami(&c->cfg, login, sizeof login, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    int created = 0;
    if (db_migrate(c->db, &created, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    if (created) {
        if (account_add(c->db, login, "", ROLE_ADMIN, "en", "", &err) < 0)
            return cli_fail(&err, EXIT_FAIL);
        printf("created %s (schema %d); '%s' is its first admin\n", c->db_path, db_schema_version(),
               login);
    } else if (ver < db_schema_version()) {
        printf("upgraded %s from schema %lld to %d\n", c->db_path, ver, db_schema_version());
    } else {
        printf("%s is up to date (schema %d)\n", c->db_path, db_schema_version());
    }
    return EXIT_OK;
}

int cmd_config(struct cli *c, int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--man")) {
        config_print_man(stdout);
        return EXIT_OK;
    }
    if (argc != 1)
        return cli_usage("[-c cati.ini] config");
    config_print(&c->cfg, stdout);
    printf("; database: %s%s\n", c->db_path, c->db_opt ? " (from -d)" : "");
    return EXIT_OK;
}

static int print_account(const struct cati_interviewer *a, void *ctx)
{
    (void)ctx;
    printf("%-16s %-11s %-8s %-12s %-10s %s\n", a->login, account_role_name(a->role),
           a->active ? "active" : "disabled", a->languages, a->skills[0] ? a->skills : "-", a->name);
    return 0;
}

#define INTERVIEWER_USAGE                                                                          \
    "interviewer add LOGIN [--name N] [--role interviewer|supervisor|admin] [--lang en,dz] "       \
    "[--skills refusal] | list | disable LOGIN | enable LOGIN | set LOGIN [--role R] [--lang L] [--skills S]"

int cmd_interviewer(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(INTERVIEWER_USAGE);
    const char *verb = argv[1];
    const char *name = NULL, *role = NULL, *lang = NULL, *skills = NULL;
    static const struct option opts[] = {{"name", required_argument, 0, 'n'},
                                         {"role", required_argument, 0, 'r'},
                                         {"lang", required_argument, 0, 'l'},
                                         {"skills", required_argument, 0, 's'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (o) {
        case 'n': name = optarg; break;
        case 'r': role = optarg; break;
        case 'l': lang = optarg; break;
        case 's': skills = optarg; break;
        default: return cli_usage(INTERVIEWER_USAGE);
        }
    }
    int npos = argc - 1 - optind;
    char **pos = argv + 1 + optind;
    struct cati_error err;
    enum cati_role r = role ? account_role_parse(role) : ROLE_INTERVIEWER;
    if (role && r == ROLE_NONE)
        return cli_failf(EXIT_USAGE, "interviewer: invalid role '%s': use interviewer, supervisor or admin",
                         role);
    if (!strcmp(verb, "list")) {
        int rc = cli_admit(c);
        if (rc)
            return rc;
        printf("%-16s %-11s %-8s %-12s %-10s %s\n", "LOGIN", "ROLE", "STATE", "LANGUAGES", "SKILLS", "NAME");
        return account_list(c->db, print_account, NULL, &err) < 0 ? cli_fail(&err, EXIT_FAIL) : EXIT_OK;
    }
    if (npos != 1)
        return cli_usage(INTERVIEWER_USAGE);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    const char *login = pos[0];
    if (!strcmp(verb, "add")) {
        if (account_add(c->db, login, name, r, lang, skills, &err) < 0)
            return cli_error_in("interviewer add", &err);
        db_audit(c->db, c->me.login, "interviewer add", login, NULL);
        printf("added %s (%s, languages %s)\n", login, account_role_name(r), lang ? lang : "en");
    } else if (!strcmp(verb, "disable") || !strcmp(verb, "enable")) {
        int active = !strcmp(verb, "enable");
        if (!active && !strcmp(login, c->me.login))
            return cli_failf(EXIT_USAGE, "interviewer: you cannot disable yourself");
        if (account_set_active(c->db, login, active, &err) < 0)
            return cli_error(&err);
        db_audit(c->db, c->me.login, active ? "interviewer enable" : "interviewer disable", login, NULL);
        printf("%s %s\n", active ? "enabled" : "disabled", login);
    } else if (!strcmp(verb, "set")) {
        if (account_update(c->db, login, role ? &r : NULL, lang, skills, &err) < 0)
            return cli_error(&err);
        db_audit(c->db, c->me.login, "interviewer set", login, NULL);
        printf("updated %s\n", login);
    } else {
        return cli_usage(INTERVIEWER_USAGE);
    }
    return EXIT_OK;
}
