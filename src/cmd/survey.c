/* cati survey check|load|try|list|pause|resume: the questionnaire author's
 * and the administrator's commands. check and try need no database. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/dashboard.h"
#include "cati/interview.h"
#include "cati/priv.h"
#include "cati/sample.h"
#include "cati/script.h"
#include "cati/util.h"
#include "cmd.h"

/* Print every diag of path with its caret line to stderr. */
static void report_diags(const char *path, const struct script_diags *d)
{
    /* re-read the text for the caret lines: script_parse keeps it only on success */
    priv_user_begin(); /* as the user who named it (cati/priv.h) */
    FILE *f = fopen(path, "rb");
    priv_user_end();
    char *src = NULL;
    size_t len = 0;
    if (f) {
        FILE *mem = open_memstream(&src, &len);
        char buf[8192];
        size_t n;
        while (mem && (n = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, n, mem);
        if (mem)
            fclose(mem);
        fclose(f);
    }
    char *text = script_diags_render(d, path, src, src ? len : 0);
    fputs(text ? text : "out of memory\n", stderr);
    free(text);
    free(src);
}

/* Parse FILE, printing every error and warning with its caret to stderr.
 * NULL + exit code in *rc when there is any error. */
static struct cati_script *parse_or_report(const char *path, int *rc)
{
    struct script_diags d = {0};
    struct cati_error err;
    cati_error_clear(&err);
    struct cati_script *s = script_parse_file(path, &d, &err);
    if (!s && d.n == 0) {
        *rc = cli_fail(&err, EXIT_USAGE);
        return NULL;
    }
    if (d.n > 0)
        report_diags(path, &d);
    if (!s) {
        int nerr = d.n + d.dropped - d.nwarnings;
        fprintf(stderr, "cati: %s: %d error%s\n", path, nerr, nerr == 1 ? "" : "s");
        *rc = EXIT_USAGE;
    }
    script_diags_free(&d);
    return s;
}

static void summary(const struct cati_script *s, const char *path)
{
    char langs[128] = "";
    for (int i = 0; i < s->nlangs; i++) {
        if (i)
            strcat(langs, " ");
        strncat(langs, s->languages[i], sizeof langs - strlen(langs) - 2);
    }
    printf("%s: ok: survey %s version %ld, %d question%s, languages %s, %d parameter%s, %d extra field%s\n",
           path, s->name, s->version, s->nquestions, s->nquestions == 1 ? "" : "s", langs, s->nparameters,
           s->nparameters == 1 ? "" : "s", s->nfields, s->nfields == 1 ? "" : "s");
}

static int survey_check(const char *path)
{
    int rc = 0;
    struct cati_script *s = parse_or_report(path, &rc);
    if (!s)
        return rc;
    summary(s, path);
    script_free(s);
    return EXIT_OK;
}

static int survey_load(struct cli *c, const char *path)
{
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_script *s = parse_or_report(path, &rc);
    if (!s)
        return rc;
    struct script_stored st;
    struct cati_error err;
    if (script_store(c->db, s, c->me.login, &st, &err) < 0) {
        script_free(s);
        return cli_fail(&err, EXIT_FAIL);
    }
    if (st.changed) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s version %d from %s", s->name, st.version, path);
        db_audit(c->db, c->me.login, "survey load", detail, NULL);
        printf("loaded survey %s version %d (script version %ld, %d questions)\n", s->name, st.version,
               s->version, s->nquestions);
    } else {
        printf("survey %s unchanged: version %d has the same text\n", s->name, st.version);
    }
    script_free(s);
    return EXIT_OK;
}

/* --- try ---------------------------------------------------------------------- */

struct answer_line {
    char *key, *value;
    int line;
};

static void free_answers(struct answer_line *a, int n)
{
    for (int i = 0; i < n; i++) {
        free(a[i].key);
        free(a[i].value);
    }
    free(a);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Read ANSWERS: question=value and @field=value lines; # comments. */
static int read_answers(const char *path, const struct cati_script *s, struct answer_line **out, int *nout)
{
    priv_user_begin(); /* as the user who named it (cati/priv.h) */
    FILE *f = fopen(path, "r");
    int e = errno;
    priv_user_end();
    if (!f)
        return cli_failf(EXIT_USAGE, "cannot open '%s': %s", path, strerror(e));
    struct answer_line *a = NULL;
    int n = 0, lineno = 0, rc = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *t = trim(line);
        if (!*t || *t == '#')
            continue;
        char *eq = strchr(t, '=');
        if (!eq) {
            fprintf(stderr, "%s:%d: expected question=value or @field=value\n", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        *eq = '\0';
        char *key = trim(t), *value = trim(eq + 1);
        if (!cati_utf8_valid(value, strlen(value))) {
            fprintf(stderr, "%s:%d: invalid UTF-8\n", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        if (key[0] == '@' ? !script_has_field(s, key + 1) : script_find_question(s, key) < 0) {
            fprintf(stderr, "%s:%d: unknown %s '%s'\n", path, lineno,
                    key[0] == '@' ? "respondent field" : "question", key[0] == '@' ? key + 1 : key);
            rc = EXIT_USAGE;
            break;
        }
        int dup = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(a[i].key, key))
                dup = a[i].line;
        if (dup > 0) {
            fprintf(stderr, "%s:%d: '%s' is answered twice (first at line %d)\n", path, lineno, key, dup);
            rc = EXIT_USAGE;
            break;
        }
        struct answer_line *na = realloc(a, (size_t)(n + 1) * sizeof *na);
        if (!na) {
            rc = cli_failf(EXIT_FAIL, "out of memory");
            break;
        }
        a = na;
        a[n].key = cati_strdup(key);
        a[n].value = cati_strdup(value);
        a[n].line = lineno;
        n++;
    }
    free(line);
    fclose(f);
    if (rc) {
        free_answers(a, n);
        return rc;
    }
    *out = a;
    *nout = n;
    return 0;
}

static void print_feedback_lines(const struct cati_question *q, const struct iv_feedback *fb, int rc)
{
    if (rc == IV_OK) {
        for (int i = 0; i < fb->n; i++)
            printf("warn %s: %s\n", q->name, fb->msg[i]);
        for (int i = 0; i < fb->nflags; i++)
            fprintf(stderr, "flag %s: %s\n", q->name, fb->flags[i]); /* stdout is only the route */
    }
}

static int try_batch(const struct cati_script *s, const char *script_path, const char *answers_path,
                     const char *lang)
{
    struct answer_line *a = NULL;
    int n = 0;
    int rc = read_answers(answers_path, s, &a, &n);
    if (rc)
        return rc;
    struct cati_error err;
    struct cati_interview *iv = interview_new(s, lang, &err);
    if (!iv) {
        free_answers(a, n);
        return cli_fail(&err, EXIT_USAGE);
    }
    for (int i = 0; i < n; i++)
        if (a[i].key[0] == '@' && interview_set_field(iv, a[i].key + 1, a[i].value) < 0) {
            rc = cli_failf(EXIT_FAIL, "out of memory");
            goto out;
        }
    const struct cati_question *q;
    while ((q = interview_current(iv))) {
        const struct answer_line *al = NULL;
        for (int i = 0; i < n; i++)
            if (!strcmp(a[i].key, q->name))
                al = &a[i];
        if (!al) {
            fflush(stdout);
            fprintf(stderr, "%s:%d: no answer for '%s' in %s\n", script_path, q->line, q->name, answers_path);
            rc = EXIT_USAGE;
            goto out;
        }
        struct iv_feedback fb;
        int r;
        if (!strcmp(al->value, "dk"))
            r = interview_dk(iv, 1, &fb, &err);
        else if (!strcmp(al->value, "rf"))
            r = interview_rf(iv, 1, &fb, &err);
        else
            r = interview_answer(iv, al->value, 1, &fb, &err);
        if (r == IV_OK) {
            struct iv_answer ans = interview_get(iv, q->index);
            printf("%s=%s\n", q->name, ans.status == ANS_DK ? "dk" : ans.status == ANS_RF ? "rf" : ans.value);
            print_feedback_lines(q, &fb, r);
            continue;
        }
        fflush(stdout);
        if (r == IV_INVALID)
            fprintf(stderr, "%s:%d: %s: %s\n", answers_path, al->line, q->name, fb.n ? fb.msg[0] : "invalid");
        else if (r == IV_CHECK)
            for (int i = 0; i < fb.n; i++)
                fprintf(stderr, "%s:%d: check failed on '%s': %s\n", script_path, fb.line[i], q->name, fb.msg[i]);
        else
            cli_fail(&err, EXIT_FAIL);
        rc = r == IV_ERROR ? EXIT_FAIL : EXIT_USAGE;
        goto out;
    }
    printf("end %s\n", script_end_name(interview_outcome(iv)));
out:
    interview_free(iv);
    free_answers(a, n);
    return rc;
}

static void show_question(const struct cati_interview *iv, const struct cati_question *q)
{
    int n, m;
    interview_progress(iv, &n, &m);
    char *text = interview_question_text(iv, q, NULL);
    printf("\n[%d/%d] %s (%s", n, m, q->name, script_qtype_name(q->type));
    if (q->type == QTYPE_SCALE || q->type == QTYPE_NUMBER)
        printf(" %ld-%ld", q->lo, q->hi);
    printf(")\n%s\n", text ? text : "");
    free(text);
    int lang = script_find_language(interview_script(iv), interview_language(iv));
    for (int i = 0; i < q->nchoices; i++)
        printf("  %ld  %s\n", q->choices[i].code, script_choice_label(&q->choices[i], lang));
    struct iv_answer a = interview_get(iv, q->index);
    if (a.status != ANS_NONE) {
        char *d = interview_answer_display(iv, q->index);
        printf("  (answered: %s)\n", d ? d : "");
        free(d);
    }
    printf("%s%s> ", q->nodk ? "" : "dk ", q->norf ? "" : "rf ");
    fflush(stdout);
}

/* Interactive dry run on stdin/stdout; writes nothing. */
static int try_interactive(const struct cati_script *s, const char *lang)
{
    struct cati_error err;
    struct cati_interview *iv = interview_new(s, lang, &err);
    if (!iv)
        return cli_fail(&err, EXIT_USAGE);
    /* unset respondent fields show as [field] so the author sees the fills */
    char ph[CATI_NAME_MAX + 2];
    for (const struct sample_field *f = sample_fields; f->name; f++)
        if (f->use & SAMPLE_FIELD_SCRIPT) {
            snprintf(ph, sizeof ph, "[%s]", f->name);
            interview_set_field(iv, f->name, ph);
        }
    for (int i = 0; i < s->nfields; i++) {
        snprintf(ph, sizeof ph, "[%s]", s->fields[i]);
        interview_set_field(iv, s->fields[i], ph);
    }
    printf("%s — %s (dry run, nothing is saved)\n"
           "Type an answer, dk, rf, < (back), > (forward), :lang L, @field=value, :quit\n"
           "Respondent fields not set with @field=value show as [field].\n",
           s->name, s->title);
    char *line = NULL;
    size_t cap = 0;
    const struct cati_question *q;
    int pending_confirm = 0;
    char last[1024] = "";
    while ((q = interview_current(iv))) {
        if (!pending_confirm)
            show_question(iv, q);
        if (getline(&line, &cap, stdin) < 0)
            break;
        char *t = trim(line);
        if (pending_confirm) {
            pending_confirm = 0;
            if (t[0] != 'y' && t[0] != 'Y')
                continue;
            t = last;
        }
        struct iv_feedback fb;
        int r;
        if (!strcmp(t, ":quit") || !strcmp(t, ":q"))
            break;
        if (!strcmp(t, "<")) {
            if (interview_back(iv, &err) == 1)
                printf("(already at the first question)\n");
            continue;
        }
        if (!strcmp(t, ">")) {
            interview_forward(iv, &err);
            continue;
        }
        if (!strncmp(t, ":lang ", 6)) {
            if (interview_set_language(iv, trim(t + 6), &err) < 0)
                printf("%s\n", err.msg);
            continue;
        }
        if (t[0] == '@' && strchr(t, '=')) {
            char *eq = strchr(t, '=');
            *eq = '\0';
            if (!script_has_field(s, trim(t + 1)))
                printf("unknown respondent field '%s'\n", trim(t + 1));
            else
                interview_set_field(iv, trim(t + 1), trim(eq + 1));
            continue;
        }
        int confirm = t == last;
        if (!strcmp(t, "dk"))
            r = interview_dk(iv, confirm, &fb, &err);
        else if (!strcmp(t, "rf"))
            r = interview_rf(iv, confirm, &fb, &err);
        else
            r = interview_answer(iv, t, confirm, &fb, &err);
        if (r == IV_OK) {
            for (int i = 0; i < fb.nflags; i++)
                printf("(flag raised: %s)\n", fb.flags[i]);
        } else if (r == IV_WARN) {
            for (int i = 0; i < fb.n; i++)
                printf("warning: %s\n", fb.msg[i]);
            printf("keep this answer? [y/N] ");
            fflush(stdout);
            if (t != last)
                cati_strlcpy(last, t, sizeof last);
            pending_confirm = 1;
        } else {
            for (int i = 0; i < fb.n; i++)
                printf("%s%s\n", r == IV_CHECK ? "check: " : "", fb.msg[i]);
        }
    }
    free(line);
    if (interview_outcome(iv) != END_NONE)
        printf("\nend %s\n", script_end_name(interview_outcome(iv)));
    else
        printf("\nstopped at %s\n", q ? q->name : "?");
    interview_free(iv);
    return EXIT_OK;
}

static int survey_try(int argc, char **argv)
{
    const char *answers = NULL, *lang = NULL;
    static const struct option opts[] = {{"answers", required_argument, 0, 'a'},
                                         {"lang", required_argument, 0, 'l'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'a': answers = optarg; break;
        case 'l': lang = optarg; break;
        default: return cli_usage("survey try FILE.cati [--answers FILE] [--lang L]");
        }
    }
    if (argc - optind != 1)
        return cli_usage("survey try FILE.cati [--answers FILE] [--lang L]");
    const char *path = argv[optind];
    int rc = 0;
    struct cati_script *s = parse_or_report(path, &rc);
    if (!s)
        return rc;
    if (lang && script_find_language(s, lang) < 0) {
        script_free(s);
        return cli_failf(EXIT_USAGE, "survey try: language '%s' is not declared in %s", lang, path);
    }
    rc = answers ? try_batch(s, path, answers, lang) : try_interactive(s, lang);
    script_free(s);
    return rc;
}

/* --- list, pause, resume -------------------------------------------------------- */

static int print_survey(const struct script_survey_info *in, void *ctx)
{
    const struct cli *c = ctx;
    char when[32] = "-";
    if (in->loaded_at)
        cati_format_time((time_t)in->loaded_at, c->cfg.timezone, when, sizeof when);
    printf("%-16s %7d %-7s %-10s %7lld %-16s %s\n", in->name, in->version, in->paused ? "paused" : "active",
           in->languages, in->cases, when, in->title);
    return 0;
}

int cmd_survey_try(struct cli *c, int argc, char **argv)
{
    (void)c;
    return survey_try(argc - 1, argv + 1);
}

int cmd_survey_check(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_cmd(c);
    return survey_check(argv[2]);
}

int cmd_survey_load(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_cmd(c);
    return survey_load(c, argv[2]);
}

int cmd_survey_list(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 2)
        return cli_usage_cmd(c);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    printf("%-16s %7s %-7s %-10s %7s %-16s %s\n", "NAME", "VERSION", "STATE", "LANGUAGES", "CASES",
           "LOADED", "TITLE");
    return script_list(c->db, print_survey, c, &err) < 0 ? cli_fail(&err, EXIT_FAIL) : EXIT_OK;
}

/* survey pause NAME, survey resume NAME */
int cmd_survey_pause(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_cmd(c);
    int rc = cli_admit(c);
    if (rc)
        return rc;
    struct cati_error err;
    int pause = argv[1][0] == 'p';
    long long sid;
    if (dashboard_survey_id(c->db, argv[2], &sid, &err) < 0)
        return cli_error_in(pause ? "survey pause" : "survey resume", &err);
    if (dashboard_survey_pause(c->db, sid, pause, &c->me, &err) < 0)
        return cli_fail_in(pause ? "survey pause" : "survey resume", &err, EXIT_FAIL);
    printf("%s %s\n", pause ? "paused" : "resumed", argv[2]);
    return EXIT_OK;
}
