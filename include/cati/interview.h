#ifndef CATI_INTERVIEW_H
#define CATI_INTERVIEW_H
/* The interview engine: walks one respondent through a script.
 *
 * The route is a pure function of the answers: from the first question, each
 * question whose `ask if` holds is on the route; after an answered question
 * its `goto`/`end` statements (source order, first that holds) decide where
 * the route goes next; past the last question the interview is complete.
 * The cursor (current question) is a question on the route: normally the
 * first one without an answer; interview_back() moves it to earlier questions
 * on the path actually asked. Changing an answer re-routes: answers no longer
 * on the route are marked off-route (answers.on_route = 0, an 'off-route'
 * answer_log event) and count as not asked; they are asked again if the route
 * comes back to them.
 *
 * Database-backed interviews (interview_start / interview_load) commit each
 * accepted answer in one transaction: the answers row (upsert), an answer_log
 * row (event answer|change|on-route, old and new value, interviewer, language,
 * seconds on the question), off-route marks, flags rows, and the interviews
 * row (current_question, language, updated_at).
 * answer_log values: the stored value, or "dk" / "rf".
 *
 * Every write runs in one transaction that first checks, with case_hold
 * (case.h), that the interviewer holds the case with a live lease (and
 * renews it), and that the interview is the case's live one and still
 * open; otherwise nothing is written and err->kind is CATI_ERR_LOST.
 *
 * An interview that reached its end keeps outcome NULL and current_question
 * "" in the database: loaded again it resumes at its end, never as a new
 * interview. Its outcome is written only with the call that records it,
 * in the same transaction as the case's call and disposition
 * (schedule_record with call.iv), so an interview and its case always
 * agree. A case has at most one live interview (interviews.state).
 *
 * Flags: `flag KIND if EXPR` on question Q is evaluated when Q is answered.
 * If it holds, a flags row (interview, case, KIND, Q) is raised; its text is
 * the respondent's words: Q's answer when Q is a text question, else Q's
 * answer as shown (the choice label, the number, the date; "don't know" /
 * "refused"). If a changed answer makes it false (or Q goes off the route),
 * a flag still in status 'new' is withdrawn (deleted).
 *
 * Checks: `check`/`warn` on Q are evaluated when Q is answered. A check whose
 * expression compared a missing value (not asked, DK, RF) does not fire, so a
 * DK answer never trips a range check. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/account.h"
#include "cati/config.h"
#include "cati/error.h"
#include "cati/script.h"

struct cati_interview; /* opaque */

/* Result of offering an answer. */
enum iv_result {
    IV_ERROR = -1,   /* runtime failure (database): see err; nothing changed */
    IV_OK = 0,       /* accepted and stored; the cursor moved on */
    IV_INVALID = 1,  /* wrong type, out of range, unknown code, DK/RF not allowed, ended */
    IV_CHECK = 2,    /* a hard check failed: the answer must change */
    IV_WARN = 3      /* soft checks failed: offer again with confirm = 1 to accept */
};

#define IV_MAX_MESSAGES 8

/* Why an answer was not accepted, or the warns that were confirmed. */
struct iv_feedback {
    int n;                              /* messages below */
    char msg[IV_MAX_MESSAGES][256];     /* IV_INVALID: the reason; IV_CHECK/IV_WARN: check messages */
    int line[IV_MAX_MESSAGES];          /* script line of each check (0 for IV_INVALID) */
    int nflags;                         /* IV_OK: flags raised by this answer */
    char flags[IV_MAX_MESSAGES][CATI_NAME_MAX]; /* their kinds */
};

/* A stored answer, as the engine holds it. */
struct iv_answer {
    enum cati_astatus status;
    const char *value;   /* canonical value (see script_answer_validate); "" unless ANS_VALUE;
                          * owned by the interview, valid until the next call that changes it */
    int on_route;        /* 1 = on the current route */
};

/* --- in memory (survey try, tests) --------------------------------------- */

/* A new interview on script s (borrowed: must outlive the interview), in
 * language lang (NULL = the script's first). Nothing is stored anywhere.
 * NULL with err on an undeclared language or out of memory. Caller frees. */
struct cati_interview *interview_new(const struct cati_script *s, const char *lang,
                                     struct cati_error *err);

/* Set a respondent field (copied). 0 or -1 (out of memory). */
int interview_set_field(struct cati_interview *iv, const char *name, const char *value);
/* Field value or NULL when unset (owned by the interview). */
const char *interview_field(const struct cati_interview *iv, const char *name);

void interview_free(struct cati_interview *iv);

/* --- in the database ------------------------------------------------------ */

/* Start a new interview for case_id, held by who, with the latest version
 * of the case's survey: inserts the interviews row (uuid, language,
 * current_question = the first question on the route, started_at). The
 * case's earlier live interview, if closed and not complete (an
 * appointment, a break-off), becomes abandoned in the same transaction;
 * one still open or complete refuses the start. Loads the respondent fields
 * from cases and case_fields. lang NULL = the case's language when the
 * script declares it, else the script's first. cfg and who are borrowed /
 * copied for the hold checks of later writes.
 * *out: caller frees with interview_free (which also frees the script). */
int interview_start(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                    long long case_id, const char *lang, struct cati_interview **out,
                    struct cati_error *err);

/* Load interview id, with the survey version it started with, its answers,
 * its language and its cursor (interviews.current_question), exactly where it
 * stopped (at its end when it reached it). who works on it from now on.
 * *out: caller frees with interview_free. */
int interview_load(sqlite3 *db, const struct cati_config *cfg, const struct cati_interviewer *who,
                   long long interview_id, struct cati_interview **out, struct cati_error *err);

/* How interview_id's route ends as stored: END_NONE while questions remain,
 * else the end it reached (or its recorded outcome). Read-only. 0 or -1. */
int interview_route_end(sqlite3 *db, long long interview_id, enum cati_end *end,
                        struct cati_error *err);

/* The unfinished live interview (outcome NULL) of a case.
 * Returns 0 and *id, 1 when there is none, -1 on error. */
int interview_find_open(sqlite3 *db, long long case_id, long long *id, struct cati_error *err);

/* interviews.id / cases.id of a database-backed interview (0 in memory). */
long long interview_id(const struct cati_interview *iv);
long long interview_case_id(const struct cati_interview *iv);

/* Stored answer of question `question` in interview interview_id, for export
 * and reports: 0 with *status (ANS_VALUE/ANS_DK/ANS_RF), *value malloc'd
 * (caller frees; "" for DK/RF) and *on_route; 1 when there is no answers row;
 * -1 on error. */
int interview_stored_answer(sqlite3 *db, long long interview_id, const char *question,
                            enum cati_astatus *status, char **value, int *on_route,
                            struct cati_error *err);

/* --- walking --------------------------------------------------------------- */

const struct cati_script *interview_script(const struct cati_interview *iv);

/* The current question, or NULL when the interview has ended. */
const struct cati_question *interview_current(const struct cati_interview *iv);

/* END_NONE while in progress, else how it ended. */
enum cati_end interview_outcome(const struct cati_interview *iv);

/* Question text with fills resolved ({field} = respondent field, {question} =
 * its answer, the choice label for single; "" when missing), in language
 * lang (NULL = the interview's current language; an undeclared language
 * falls back to the first). Returns malloc'd text (caller frees), NULL on
 * out of memory. */
char *interview_question_text(const struct cati_interview *iv, const struct cati_question *q,
                              const char *lang);

/* Offer an answer to the current question, as typed: a code, a number, a
 * date YYYY-MM-DD, text, multi codes "1,3". confirm = 1 accepts soft-check
 * warnings (fb lists them). fb may be NULL. Returns an enum iv_result. */
int interview_answer(struct cati_interview *iv, const char *input, int confirm,
                     struct iv_feedback *fb, struct cati_error *err);
/* Don't know / refused on the current question (IV_INVALID under nodk/norf). */
int interview_dk(struct cati_interview *iv, int confirm, struct iv_feedback *fb,
                 struct cati_error *err);
int interview_rf(struct cati_interview *iv, int confirm, struct iv_feedback *fb,
                 struct cati_error *err);

/* Move the cursor to the previous question on the path asked (also from the
 * end, which reopens the interview). 0 moved, 1 already at the first, -1 error. */
int interview_back(struct cati_interview *iv, struct cati_error *err);

/* Move the cursor forward past answered questions to the first one on the
 * route without an answer (or the end), stopping early at an answered
 * question whose hard check now fails. 0 or -1. */
int interview_forward(struct cati_interview *iv, struct cati_error *err);

/* Move the cursor exactly one question forward on the route, from a question
 * that has an answer (a value, don't know or refused); from the last one on
 * the route, to the end (as interview_forward). A question without an answer
 * stays. 0 or -1. */
int interview_next(struct cati_interview *iv, struct cati_error *err);

/* Switch the language for texts and the answer log. 0, or -1 if the script
 * does not declare it (then nothing changes). */
int interview_set_language(struct cati_interview *iv, const char *lang, struct cati_error *err);
const char *interview_language(const struct cati_interview *iv);

/* End the interview now with outcome e (e.g. END_BREAKOFF when the
 * respondent will not go on), in memory: the outcome is stored with the
 * call that records it (schedule_record with call.iv). 0, or -1 for
 * END_NONE and END_COMPLETE (an interview completes only by reaching its
 * end). */
int interview_close(struct cati_interview *iv, enum cati_end e, struct cati_error *err);

/* Position: *n = 1-based place of the cursor on the route (answered route
 * questions + 1; at the end = route length), *m = estimated route length
 * (the route so far plus later questions whose `ask if` holds on what is
 * known now). */
void interview_progress(const struct cati_interview *iv, int *n, int *m);

/* Answer held for question index qi (status ANS_NONE when not asked). */
struct iv_answer interview_get(const struct cati_interview *iv, int qi);

/* The answer as shown to people: choice labels (multi: "; " between) in the
 * current language, numbers, dates, text; "don't know"/"refused"; "" when not
 * asked. Returns malloc'd text (caller frees). */
char *interview_answer_display(const struct cati_interview *iv, int qi);

/* The path asked: question indexes on the route before the cursor, in order.
 * Returns how many were written to idx (at most max); *total gets the full
 * count when not NULL. */
int interview_path(const struct cati_interview *iv, int *idx, int max, int *total);

#endif
