/* The one table of cati's commands: name, synopsis, least role, handler,
 * help, arguments and options. Dispatch, the role check, `cati help`,
 * cati(1)'s SYNOPSIS and command list, and both completions read it. */
#include <string.h>

#include "cmd.h"

#define ROLES "interviewer supervisor admin"
#define PANELS "queue interviewers rates scores flags quotas"
#define REPORT_ROW(sub, text)                                                                      \
    {"report", sub, "report " sub " [--survey NAME] [--format text|csv]", ROLE_SUPERVISOR,         \
     cmd_report, text, 0, {{0}},                                                                   \
     {{"--survey", W_SURVEY, NULL}, {"--format", W_CHOICE, "text csv"}}}

static int cmd_shell_only(struct cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    return cli_failf(EXIT_USAGE, "%s: only inside cati shell", argv[0]);
}

static const struct cli_command commands[] = {
    {"init", NULL, "[-c cati.ini] [-d db] init", ROLE_ADMIN, cmd_init,
     "create the database, or upgrade it to this version", CMD_NEW_DB, {{0}}, {{0}}},
    {"config", NULL, "config", ROLE_NONE, cmd_config, "print the effective configuration", 0,
     {{0}}, {{"--man", W_FLAG, NULL}}},
    {"interviewer", "add",
     "interviewer add LOGIN [--name N] [--role interviewer|supervisor|admin] [--lang en,dz] "
     "[--skills refusal]",
     ROLE_ADMIN, cmd_interviewer, "add an account", 0, {{W_TEXT, NULL}},
     {{"--name", W_TEXT, NULL}, {"--role", W_CHOICE, ROLES}, {"--lang", W_TEXT, NULL},
      {"--skills", W_TEXT, NULL}}},
    {"interviewer", "list", "interviewer list", ROLE_SUPERVISOR, cmd_interviewer,
     "list the accounts", 0, {{0}}, {{0}}},
    {"interviewer", "disable", "interviewer disable LOGIN", ROLE_ADMIN, cmd_interviewer,
     "stop a login from using cati; its history stays", 0, {{W_LOGIN_ACTIVE, NULL}}, {{0}}},
    {"interviewer", "enable", "interviewer enable LOGIN", ROLE_ADMIN, cmd_interviewer,
     "let a disabled login use cati again", 0, {{W_LOGIN_DISABLED, NULL}}, {{0}}},
    {"interviewer", "set", "interviewer set LOGIN [--role R] [--lang L] [--skills S]", ROLE_ADMIN,
     cmd_interviewer, "change a login's role, languages or skills", 0, {{W_LOGIN, NULL}},
     {{"--role", W_CHOICE, ROLES}, {"--lang", W_TEXT, NULL}, {"--skills", W_TEXT, NULL}}},
    {"survey", "load", "survey load FILE.cati", ROLE_ADMIN, cmd_survey_load,
     "parse, check and store a questionnaire as its next version", 0, {{W_FILE, NULL}}, {{0}}},
    {"survey", "check", "survey check FILE.cati", ROLE_NONE, cmd_survey_check,
     "parse and check a questionnaire only (no database)", 0, {{W_FILE, NULL}}, {{0}}},
    {"survey", "try", "survey try FILE.cati [--answers FILE] [--lang L]", ROLE_NONE,
     cmd_survey_try, "run a questionnaire without a database", 0, {{W_FILE, NULL}},
     {{"--answers", W_FILE, NULL}, {"--lang", W_TEXT, NULL}}},
    {"survey", "list", "survey list", ROLE_INTERVIEWER, cmd_survey_list,
     "list the surveys, their versions and states", 0, {{0}}, {{0}}},
    {"survey", "pause", "survey pause NAME", ROLE_SUPERVISOR, cmd_survey_pause,
     "stop handing out the survey's cases", 0, {{W_SURVEY_RUNNING, NULL}}, {{0}}},
    {"survey", "resume", "survey resume NAME", ROLE_SUPERVISOR, cmd_survey_pause,
     "hand out a paused survey's cases again", 0, {{W_SURVEY_PAUSED, NULL}}, {{0}}},
    {"sample", "import", "sample import --survey NAME FILE.csv", ROLE_ADMIN, cmd_sample,
     "import respondents, all or nothing", 0, {{W_FILE, NULL}}, {{"--survey", W_SURVEY, NULL}}},
    {"console", NULL, "console", ROLE_INTERVIEWER, cmd_console, "the interviewer screen", 0,
     {{0}}, {{0}}},
    {"monitor", NULL,
     "monitor [--survey NAME] [--with-pii] [--once [--panel P]... [--width N] [--repeat N]]",
     ROLE_SUPERVISOR, cmd_monitor, "the supervisor dashboard; --once prints its panels as text", 0,
     {{0}},
     {{"--survey", W_SURVEY, NULL}, {"--with-pii", W_FLAG, NULL}, {"--once", W_FLAG, NULL},
      {"--panel", W_CHOICE, PANELS}, {"--width", W_TEXT, NULL}, {"--repeat", W_TEXT, NULL}}},
    {"shell", NULL, "shell [-k]", ROLE_NONE, cmd_shell,
     "a command shell with history and completion", 0, {{0}}, {{"-k", W_FLAG, NULL}}},
    {"case", "next", "case next", ROLE_INTERVIEWER, cmd_case_next,
     "claim the next case; print its ID", 0, {{0}}, {{0}}},
    {"case", "outcome", "case outcome ID OUTCOME [--at WHEN] [--note T]", ROLE_INTERVIEWER,
     cmd_case_outcome, "record the outcome of a call on the case you hold",
     CMD_ANY_CASE(ROLE_SUPERVISOR), {{W_TEXT, NULL}, {W_OUTCOME, NULL}},
     {{"--at", W_TEXT, NULL}, {"--note", W_TEXT, NULL}}},
    {"case", "show", "case show ID", ROLE_INTERVIEWER, cmd_case_show,
     "a case you hold, its numbers and calls", CMD_ANY_CASE(ROLE_SUPERVISOR), {{W_TEXT, NULL}},
     {{0}}},
    {"case", "release", "case release ID", ROLE_SUPERVISOR, cmd_case_release,
     "take a claimed case back to the queue", 0, {{W_TEXT, NULL}}, {{0}}},
    {"case", "priority", "case priority ID N", ROLE_SUPERVISOR, cmd_case_priority,
     "set a case's priority; higher is called first", 0, {{W_TEXT, NULL}, {W_TEXT, NULL}},
     {{0}}},
    {"case", "appoint", "case appoint ID WHEN [--with LOGIN]", ROLE_SUPERVISOR, cmd_case_appoint,
     "make an appointment for a case", 0, {{W_TEXT, NULL}, {W_TEXT, NULL}},
     {{"--with", W_LOGIN, NULL}}},
    {"report", "rates", "report rates [--survey NAME] [--format text|csv] [--e E]",
     ROLE_SUPERVISOR, cmd_report, "cases per AAPOR code and the AAPOR rates", 0, {{0}},
     {{"--survey", W_SURVEY, NULL}, {"--format", W_CHOICE, "text csv"}, {"--e", W_TEXT, NULL}}},
    REPORT_ROW("scores", "the five parameters' scores per survey, service and agency"),
    REPORT_ROW("interviewers", "calls, contacts, completes, refusals and hours per interviewer"),
    REPORT_ROW("flags", "every flag raised on an answer, newest first"),
    REPORT_ROW("quotas", "each quota cell: target, achieved, remaining, status"),
    {"export", NULL,
     "export --survey NAME --out DIR [--since-last] [--format FORMAT[,FORMAT...]] [--with-pii] "
     "[--partials] [--deliver-to FOLDER]\n"
     "export --settle",
     ROLE_SUPERVISOR, cmd_export,
     "write a survey's interviews for analysis; --settle confirms deliveries", 0, {{0}},
     {{"--survey", W_SURVEY, NULL}, {"--out", W_FILE, NULL}, {"--since-last", W_FLAG, NULL},
      {"--format", W_CHOICE, "csv sav dta sqlite"}, {"--with-pii", W_FLAG, NULL},
      {"--partials", W_FLAG, NULL}, {"--deliver-to", W_FILE, NULL}, {"--settle", W_FLAG, NULL}}},
    {"sync", NULL, "sync --to CENTRAL.db [--site NAME] [--batch N] [--full]", ROLE_SUPERVISOR,
     cmd_sync, "send this site's work to the central database", 0, {{0}},
     {{"--to", W_FILE, NULL}, {"--site", W_TEXT, NULL}, {"--batch", W_TEXT, NULL},
      {"--full", W_FLAG, NULL}}},
    {"sync", "conflicts", "[-d CENTRAL.db] sync conflicts [--keep INTERVIEW_UUID]",
     ROLE_SUPERVISOR, cmd_sync_conflicts,
     "on a central database: cases completed at two sites", 0, {{0}},
     {{"--keep", W_TEXT, NULL}}},
    {"check", NULL, "check", ROLE_SUPERVISOR, cmd_check,
     "verify the database's invariants; exit 1 on any violation", 0, {{0}}, {{0}}},
    {"help", NULL, "help [COMMAND]", ROLE_NONE, cmd_help, "the synopsis of all or one command", 0,
     {{W_COMMAND, NULL}}, {{0}}},
    /* only in `cati shell` (src/shell runs them) */
    {"sql", NULL, "sql SELECT ...", ROLE_SUPERVISOR, cmd_shell_only,
     "a read-only query, printed as a table", CMD_SHELL_ONLY, {{W_TABLE, NULL}}, {{0}}},
    {"exit", NULL, "exit [CODE]", ROLE_NONE, cmd_shell_only, "leave the shell", CMD_SHELL_ONLY,
     {{W_TEXT, NULL}}, {{0}}},
    {"quit", NULL, "quit", ROLE_NONE, cmd_shell_only, "leave the shell", CMD_SHELL_ONLY, {{0}},
     {{0}}},
    /* plumbing for the bash completion (scripts/cati.bash) */
    {"__complete", NULL, "__complete WORD...", ROLE_NONE, cmd_complete,
     "the words that can follow (bash completion)", CMD_HIDDEN, {{0}}, {{0}}},
};

const struct cli_command *cli_commands(size_t *n)
{
    *n = sizeof commands / sizeof commands[0];
    return commands;
}

const struct cli_command *cli_command_find(const char *name, const char *sub)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const struct cli_command *r = &commands[i];
        if (strcmp(r->name, name))
            continue;
        if (!r->sub ? !sub : sub && !strcmp(r->sub, sub))
            return r;
    }
    return NULL;
}
