/* The interview engine: route, cursor, answers, checks, flags.
 * Persistence (one transaction per accepted answer) is in interview_db.c;
 * this file keeps the in-memory rules, which `cati survey try` and the unit
 * tests use without a database. See cati/interview.h for the rules. */
#include "interview_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/expr.h"
#include "cati/util.h"

/* --- evaluation environment ------------------------------------------------ */

static enum cati_astatus env_answer(const void *ctx, int qi, const char **value)
{
    const struct cati_interview *iv = ctx;
    if (qi < 0 || qi >= iv->s->nquestions || iv->mark[qi] != iv->gen)
        return ANS_NONE;
    *value = iv->a[qi].value;
    return iv->a[qi].status;
}

static const char *env_field(const void *ctx, const char *name)
{
    return interview_field(ctx, name);
}

int iv_eval(const struct cati_interview *iv, const struct cati_expr *e, int *missing)
{
    struct expr_env env = {iv->s, env_answer, env_field, iv};
    return expr_eval(e, &env, missing);
}

/* --- the route ---------------------------------------------------------------- */

void iv_walk(struct cati_interview *iv)
{
    const struct cati_script *s = iv->s;
    iv->gen++;
    iv->nroute = 0;
    iv->frontier = -1;
    iv->walk_end = END_NONE;
    int i = 0;
    while (i < s->nquestions) {
        const struct cati_question *q = &s->questions[i];
        if (q->ask_if && !iv_eval(iv, q->ask_if, NULL)) {
            i++;
            continue;
        }
        iv->mark[i] = iv->gen;
        iv->route[iv->nroute++] = i;
        if (iv->a[i].status == ANS_NONE) {
            iv->frontier = i;
            return;
        }
        int next = i + 1;
        for (int j = 0; j < q->njumps; j++) {
            const struct cati_jump *jp = &q->jumps[j];
            if (jp->cond && !iv_eval(iv, jp->cond, NULL))
                continue;
            if (jp->target < 0) {
                iv->walk_end = jp->outcome;
                return;
            }
            next = jp->target;
            break;
        }
        i = next;
    }
    iv->walk_end = END_COMPLETE;
}

int iv_route_pos(const struct cati_interview *iv, int qi)
{
    for (int i = 0; i < iv->nroute; i++)
        if (iv->route[i] == qi)
            return i;
    return -1;
}

int iv_off_route(const struct cati_interview *iv, int qi)
{
    return iv->a[qi].status != ANS_NONE && iv->mark[qi] != iv->gen &&
           (iv->frontier < 0 || qi < iv->frontier);
}

/* --- creation ----------------------------------------------------------------- */

struct cati_interview *iv_alloc(const struct cati_script *s, struct cati_error *err)
{
    struct cati_interview *iv = calloc(1, sizeof *iv);
    int n = s->nquestions ? s->nquestions : 1;
    if (iv) {
        iv->s = s;
        iv->a = calloc((size_t)n, sizeof *iv->a);
        iv->mark = calloc((size_t)n, sizeof *iv->mark);
        iv->route = calloc((size_t)n, sizeof *iv->route);
    }
    if (!iv || !iv->a || !iv->mark || !iv->route) {
        interview_free(iv);
        cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
        return NULL;
    }
    iv->since = cati_now();
    return iv;
}

void iv_place_cursor(struct cati_interview *iv, int prefer)
{
    iv_walk(iv);
    if (prefer >= 0 && iv_route_pos(iv, prefer) >= 0) {
        iv->cursor = prefer;
        iv->ended = 0;
    } else if (iv->frontier >= 0) {
        iv->cursor = iv->frontier;
        iv->ended = 0;
    } else {
        iv->cursor = -1;
        iv->ended = 1;
        iv->outcome = iv->walk_end;
    }
}

struct cati_interview *interview_new(const struct cati_script *s, const char *lang,
                                     struct cati_error *err)
{
    int li = 0;
    if (lang && (li = script_find_language(s, lang)) < 0) {
        cati_error_set(err, "language '%s' is not in the questionnaire (it has %s%s%s)", lang,
                       s->languages[0], s->nlangs > 1 ? " " : "", s->nlangs > 1 ? s->languages[1] : "");
        return NULL;
    }
    struct cati_interview *iv = iv_alloc(s, err);
    if (!iv)
        return NULL;
    iv->lang = li;
    iv_place_cursor(iv, -1);
    return iv;
}

int interview_set_field(struct cati_interview *iv, const char *name, const char *value)
{
    for (int i = 0; i < iv->nfields; i++)
        if (!strcmp(iv->fnames[i], name)) {
            char *v = cati_strdup(value);
            if (!v)
                return -1;
            free(iv->fvalues[i]);
            iv->fvalues[i] = v;
            return 0;
        }
    char **nn = realloc(iv->fnames, (size_t)(iv->nfields + 1) * sizeof *nn);
    if (!nn)
        return -1;
    iv->fnames = nn;
    char **nv = realloc(iv->fvalues, (size_t)(iv->nfields + 1) * sizeof *nv);
    if (!nv)
        return -1;
    iv->fvalues = nv;
    char *n = cati_strdup(name), *v = cati_strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    iv->fnames[iv->nfields] = n;
    iv->fvalues[iv->nfields] = v;
    iv->nfields++;
    /* fields can steer the route (ask if service = "x") */
    if (!iv->ended)
        iv_place_cursor(iv, iv->cursor);
    return 0;
}

const char *interview_field(const struct cati_interview *iv, const char *name)
{
    for (int i = 0; i < iv->nfields; i++)
        if (!strcmp(iv->fnames[i], name))
            return iv->fvalues[i];
    return NULL;
}

void interview_free(struct cati_interview *iv)
{
    if (!iv)
        return;
    int n = iv->s ? iv->s->nquestions : 0;
    if (iv->a)
        for (int i = 0; i < n; i++) {
            free(iv->a[i].value);
            free(iv->a[i].db_value);
        }
    free(iv->a);
    free(iv->mark);
    free(iv->route);
    for (int i = 0; i < iv->nfields; i++) {
        free(iv->fnames[i]);
        free(iv->fvalues[i]);
    }
    free(iv->fnames);
    free(iv->fvalues);
    script_free(iv->owned);
    free(iv);
}

/* --- reading ------------------------------------------------------------------ */

const struct cati_script *interview_script(const struct cati_interview *iv)
{
    return iv->s;
}

const struct cati_question *interview_current(const struct cati_interview *iv)
{
    return iv->ended || iv->cursor < 0 ? NULL : &iv->s->questions[iv->cursor];
}

enum cati_end interview_outcome(const struct cati_interview *iv)
{
    return iv->ended ? iv->outcome : END_NONE;
}

const char *interview_language(const struct cati_interview *iv)
{
    return iv->s->languages[iv->lang];
}

long long interview_id(const struct cati_interview *iv)
{
    return iv->id;
}

long long interview_case_id(const struct cati_interview *iv)
{
    return iv->case_id;
}

struct iv_answer interview_get(const struct cati_interview *iv, int qi)
{
    struct iv_answer r = {ANS_NONE, "", 0};
    if (qi < 0 || qi >= iv->s->nquestions)
        return r;
    r.status = iv->a[qi].status;
    r.value = r.status == ANS_VALUE && iv->a[qi].value ? iv->a[qi].value : "";
    r.on_route = r.status != ANS_NONE && iv->mark[qi] == iv->gen;
    return r;
}

/* Display of a value of question q in language lang; sep between multi labels.
 * fill: for a {fill} read aloud (a labelled scale point reads as its label). */
static char *display(const struct cati_question *q, enum cati_astatus st, const char *value, int lang,
                     const char *sep, int fill)
{
    if (st == ANS_DK)
        return cati_strdup("don't know");
    if (st == ANS_RF)
        return cati_strdup("refused");
    if (st != ANS_VALUE || !value)
        return cati_strdup("");
    if (q->type == QTYPE_SINGLE || (q->type == QTYPE_SCALE && fill)) {
        /* a scale point reads as its label where the script gives one (fills) */
        long v;
        const struct cati_choice *c = cati_parse_long(value, &v) == 0 ? script_choice(q, v) : NULL;
        return cati_strdup(c ? script_choice_label(c, lang) : value);
    }
    if (q->type != QTYPE_MULTI)
        return cati_strdup(value);
    size_t cap = 1;
    for (int i = 0; i < q->nchoices; i++)
        cap += strlen(script_choice_label(&q->choices[i], lang)) + strlen(sep);
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    const char *p = value;
    int first = 1;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p)
            break;
        const struct cati_choice *c = script_choice(q, v);
        if (c) {
            const char *l = script_choice_label(c, lang);
            size_t have = strlen(out);
            if (have + strlen(sep) + strlen(l) >= cap)
                break; /* a stored value with repeated codes: show what fits */
            if (!first)
                strcat(out, sep);
            strcat(out, l);
            first = 0;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return out;
}

char *interview_answer_display(const struct cati_interview *iv, int qi)
{
    if (qi < 0 || qi >= iv->s->nquestions)
        return cati_strdup("");
    return display(&iv->s->questions[qi], iv->a[qi].status, iv->a[qi].value, iv->lang, "; ", 0);
}

char *iv_flag_text(const struct cati_interview *iv, int qi)
{
    const struct cati_question *q = &iv->s->questions[qi];
    if (q->type == QTYPE_TEXT && iv->a[qi].status == ANS_VALUE)
        return cati_strdup(iv->a[qi].value);
    return display(q, iv->a[qi].status, iv->a[qi].value, 0, "; ", 0);
}

char *interview_question_text(const struct cati_interview *iv, const struct cati_question *q,
                              const char *lang)
{
    int li = iv->lang;
    if (lang) {
        li = script_find_language(iv->s, lang);
        if (li < 0)
            li = 0;
    }
    const char *t = script_question_text(q, li);
    size_t cap = strlen(t) + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = t; *p;) {
        const char *piece = NULL;
        char *owned = NULL;
        size_t plen = 0;
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            piece = p;
            plen = 1;
            p += 2;
        } else if (p[0] == '{' && strchr(p, '}')) {
            const char *close = strchr(p, '}');
            char name[CATI_NAME_MAX];
            size_t n = (size_t)(close - p - 1);
            if (n >= sizeof name)
                n = sizeof name - 1;
            memcpy(name, p + 1, n);
            name[n] = '\0';
            int qi = script_find_question(iv->s, name);
            if (qi >= 0) {
                int on = iv->mark[qi] == iv->gen && iv->a[qi].status == ANS_VALUE;
                owned = on ? display(&iv->s->questions[qi], ANS_VALUE, iv->a[qi].value, li, ", ", 1)
                           : cati_strdup("");
                piece = owned;
            } else {
                piece = interview_field(iv, name);
                /* a sample code reads as its label (`labels` in the script) */
                piece = piece ? script_field_display(iv->s, name, piece, li) : "";
            }
            if (!piece) {
                free(out);
                return NULL;
            }
            plen = strlen(piece);
            p = close + 1;
        } else {
            piece = p;
            plen = 1;
            p++;
        }
        if (len + plen + 1 > cap) {
            while (len + plen + 1 > cap)
                cap *= 2;
            char *n = realloc(out, cap);
            if (!n) {
                free(owned);
                free(out);
                return NULL;
            }
            out = n;
        }
        memcpy(out + len, piece, plen);
        len += plen;
        free(owned);
    }
    out[len] = '\0';
    return out;
}

void interview_progress(const struct cati_interview *iv, int *n, int *m)
{
    if (iv->ended && iv->cursor < 0) {
        *n = *m = iv->nroute;
        return;
    }
    int pos = iv_route_pos(iv, iv->cursor);
    *n = pos >= 0 ? pos + 1 : iv->nroute;
    int total = iv->nroute;
    if (iv->frontier >= 0)
        for (int i = iv->frontier + 1; i < iv->s->nquestions; i++) {
            const struct cati_question *q = &iv->s->questions[i];
            if (!q->ask_if || iv_eval(iv, q->ask_if, NULL))
                total++;
        }
    *m = total;
}

int interview_path(const struct cati_interview *iv, int *idx, int max, int *total)
{
    int end = iv->nroute;
    if (!(iv->ended && iv->cursor < 0)) {
        int pos = iv_route_pos(iv, iv->cursor);
        end = pos >= 0 ? pos : iv->nroute;
    }
    int w = 0;
    for (int i = 0; i < end; i++)
        if (w < max)
            idx[w++] = iv->route[i];
    if (total)
        *total = end;
    return w;
}

/* --- answering ------------------------------------------------------------------ */

static void fb_add(struct iv_feedback *fb, const char *msg, int line)
{
    if (!fb || fb->n >= IV_MAX_MESSAGES)
        return;
    cati_strlcpy(fb->msg[fb->n], msg, sizeof fb->msg[0]);
    fb->line[fb->n] = line;
    fb->n++;
}

/* Message of a check with its fills resolved ({q} = answers). */
static void check_message(const struct cati_interview *iv, const struct cati_question *q,
                          const struct cati_check *c, char *buf, size_t size)
{
    struct cati_question tmp = *q;
    memset(tmp.text, 0, sizeof tmp.text);
    tmp.text[0] = c->message;
    char *m = interview_question_text(iv, &tmp, NULL);
    cati_strlcpy(buf, m ? m : c->message, size);
    free(m);
}

/* Run q's checks against the answers held now. Returns IV_OK, IV_CHECK or
 * IV_WARN (warns only when !confirm), messages to fb (warns also when confirmed). */
static int run_checks(const struct cati_interview *iv, const struct cati_question *q, int confirm,
                      struct iv_feedback *fb)
{
    int hard = 0, soft = 0;
    char msg[256];
    for (int i = 0; i < q->nchecks; i++) {
        const struct cati_check *c = &q->checks[i];
        if (!c->hard)
            continue;
        int missing = 0;
        if (!iv_eval(iv, c->cond, &missing) && !missing) {
            check_message(iv, q, c, msg, sizeof msg);
            fb_add(fb, msg, c->line);
            hard++;
        }
    }
    if (hard)
        return IV_CHECK;
    for (int i = 0; i < q->nchecks; i++) {
        const struct cati_check *c = &q->checks[i];
        if (c->hard)
            continue;
        int missing = 0;
        if (!iv_eval(iv, c->cond, &missing) && !missing) {
            check_message(iv, q, c, msg, sizeof msg);
            fb_add(fb, msg, c->line);
            soft++;
        }
    }
    return soft && !confirm ? IV_WARN : IV_OK;
}

static int offer(struct cati_interview *iv, enum cati_astatus st, char *value, int confirm,
                 struct iv_feedback *fb, struct cati_error *err)
{
    int qi = iv->cursor;
    struct iv_slot *a = &iv->a[qi];
    struct iv_slot old = *a;
    a->status = st;
    a->value = value;
    int rc = run_checks(iv, &iv->s->questions[qi], confirm, fb);
    if (rc != IV_OK) {
        *a = old;
        free(value);
        return rc;
    }
    /* the new route */
    iv_walk(iv);
    int pos = iv_route_pos(iv, qi);
    int next = pos >= 0 && pos + 1 < iv->nroute ? iv->route[pos + 1] : -1;
    struct iv_commit cm = {qi, old.status, old.value, next, next < 0 ? iv->walk_end : END_NONE};
    /* flags of this question (the database side evaluates them again) */
    const struct cati_question *q = &iv->s->questions[qi];
    for (int i = 0; i < q->nflags; i++)
        if ((!q->flags[i].cond || iv_eval(iv, q->flags[i].cond, NULL)) && fb &&
            fb->nflags < IV_MAX_MESSAGES)
            cati_strlcpy(fb->flags[fb->nflags++], q->flags[i].kind, sizeof fb->flags[0]);
    if (iv->db && iv_db_commit(iv, &cm, err) < 0) {
        free(a->value);
        *a = old;
        iv_walk(iv);
        if (fb)
            fb->nflags = 0;
        return IV_ERROR;
    }
    free(old.value);
    /* answers left off the route now count as not asked */
    for (int i = 0; i < iv->s->nquestions; i++)
        if (iv_off_route(iv, i)) {
            iv->a[i].status = ANS_NONE;
            free(iv->a[i].value);
            iv->a[i].value = NULL;
        }
    iv->cursor = next;
    iv->ended = next < 0;
    iv->outcome = next < 0 ? iv->walk_end : END_NONE;
    iv->since = cati_now();
    return IV_OK;
}

static int not_open(struct cati_interview *iv, struct iv_feedback *fb)
{
    if (!iv->ended && iv->cursor >= 0)
        return 0;
    fb_add(fb, "the interview has ended", 0);
    return 1;
}

int interview_answer(struct cati_interview *iv, const char *input, int confirm,
                     struct iv_feedback *fb, struct cati_error *err)
{
    if (fb)
        memset(fb, 0, sizeof *fb);
    if (not_open(iv, fb))
        return IV_INVALID;
    char why[256];
    char *value;
    if (script_answer_validate(&iv->s->questions[iv->cursor], input, &value, why, sizeof why) < 0) {
        fb_add(fb, why, 0);
        return IV_INVALID;
    }
    return offer(iv, ANS_VALUE, value, confirm, fb, err);
}

static int special(struct cati_interview *iv, enum cati_astatus st, int confirm,
                   struct iv_feedback *fb, struct cati_error *err)
{
    if (fb)
        memset(fb, 0, sizeof *fb);
    if (not_open(iv, fb))
        return IV_INVALID;
    const struct cati_question *q = &iv->s->questions[iv->cursor];
    if (st == ANS_DK && q->nodk) {
        fb_add(fb, "don't know is not allowed on this question", 0);
        return IV_INVALID;
    }
    if (st == ANS_RF && q->norf) {
        fb_add(fb, "refused is not allowed on this question", 0);
        return IV_INVALID;
    }
    return offer(iv, st, NULL, confirm, fb, err);
}

int interview_dk(struct cati_interview *iv, int confirm, struct iv_feedback *fb, struct cati_error *err)
{
    return special(iv, ANS_DK, confirm, fb, err);
}

int interview_rf(struct cati_interview *iv, int confirm, struct iv_feedback *fb, struct cati_error *err)
{
    return special(iv, ANS_RF, confirm, fb, err);
}

/* Move the cursor (and persist it). */
static int move_to(struct cati_interview *iv, int qi, struct cati_error *err)
{
    int was_ended = iv->ended;
    if (iv->db && iv_db_cursor(iv, qi, was_ended, err) < 0)
        return -1;
    iv->cursor = qi;
    iv->ended = 0;
    iv->outcome = END_NONE;
    iv->since = cati_now();
    return 0;
}

int interview_back(struct cati_interview *iv, struct cati_error *err)
{
    if (iv->ended && iv->cursor >= 0) /* closed early: reopen where it stopped */
        return move_to(iv, iv->cursor, err);
    int pos = iv->ended ? iv->nroute : iv_route_pos(iv, iv->cursor);
    if (pos <= 0)
        return 1;
    return move_to(iv, iv->route[pos - 1], err) < 0 ? -1 : 0;
}

int interview_forward(struct cati_interview *iv, struct cati_error *err)
{
    if (iv->ended)
        return 0;
    int pos = iv_route_pos(iv, iv->cursor);
    int target = -1;
    for (int i = pos < 0 ? 0 : pos; i < iv->nroute; i++) {
        int qi = iv->route[i];
        if (iv->a[qi].status == ANS_NONE) {
            target = qi;
            break;
        }
        if (i > pos && run_checks(iv, &iv->s->questions[qi], 1, NULL) == IV_CHECK) {
            target = qi;
            break;
        }
    }
    if (target < 0 && iv->frontier < 0) {
        /* everything on the route is answered: the route's end */
        int was = iv->cursor;
        iv->cursor = -1;
        if (iv->db && iv_db_end(iv, iv->walk_end, err) < 0) {
            iv->cursor = was;
            return -1;
        }
        iv->ended = 1;
        iv->outcome = iv->walk_end;
        return 0;
    }
    if (target < 0 || target == iv->cursor)
        return 0;
    return move_to(iv, target, err);
}

int interview_next(struct cati_interview *iv, struct cati_error *err)
{
    if (iv->ended)
        return 0;
    int pos = iv_route_pos(iv, iv->cursor);
    if (pos < 0 || iv->a[iv->cursor].status == ANS_NONE)
        return 0; /* not past a question without an answer */
    if (pos + 1 < iv->nroute)
        return move_to(iv, iv->route[pos + 1], err);
    return interview_forward(iv, err); /* the last one asked: on to the end */
}

int interview_set_language(struct cati_interview *iv, const char *lang, struct cati_error *err)
{
    int li = script_find_language(iv->s, lang);
    if (li < 0)
        return cati_error_set(err, "language '%s' is not in the questionnaire", lang);
    int old = iv->lang;
    iv->lang = li;
    if (iv->db && iv_db_language(iv, err) < 0) {
        iv->lang = old;
        return -1;
    }
    return 0;
}

int interview_close(struct cati_interview *iv, enum cati_end e, struct cati_error *err)
{
    if (e == END_NONE)
        return cati_error_set(err, "closing an interview needs an outcome");
    if (e == END_COMPLETE) /* only its route reaching the end completes it */
        return cati_error_set(err, "an interview is complete only when it reaches its end");
    (void)err; /* stored with the call that records it (schedule_record) */
    iv->ended = 1;
    iv->outcome = e;
    return 0;
}
