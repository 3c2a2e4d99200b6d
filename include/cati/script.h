#ifndef CATI_SCRIPT_H
#define CATI_SCRIPT_H
/* The questionnaire language (*.cati, see cati-script(5)): parsing, checking,
 * storing survey versions, and validating typed answers against a question.
 *
 * A parsed script is immutable; every string and array in it belongs to the
 * struct cati_script and is freed by script_free(). Indexes (question index,
 * language index, parameter index) are 0-based positions in the arrays. */

#include <sqlite3.h>
#include <stddef.h>

#include "cati/error.h"

#define CATI_MAX_LANGS 8      /* languages a script may declare */
#define CATI_NAME_MAX 64      /* longest question / field / word name, bytes */
#define CATI_TEXT_DEFAULT 2000 /* `text` question without MAXLEN: characters */

struct cati_expr; /* see cati/expr.h */

enum cati_qtype { QTYPE_SINGLE, QTYPE_MULTI, QTYPE_SCALE, QTYPE_NUMBER, QTYPE_TEXT, QTYPE_DATE };

/* How an interview ends: `end OUTCOME if …`, or END_COMPLETE past the last question. */
enum cati_end { END_NONE = 0, END_COMPLETE, END_REFUSAL, END_INELIGIBLE, END_APPOINTMENT, END_BREAKOFF };

/* Answer status. ANS_NONE = not asked (or asked and left off the route). */
enum cati_astatus { ANS_NONE = 0, ANS_VALUE, ANS_DK, ANS_RF };

struct cati_choice {
    long code;
    char *label[CATI_MAX_LANGS]; /* per language index; NULL = use label[0] */
    int line;
};

/* `goto QUESTION if EXPR` (target >= 0) or `end OUTCOME if EXPR` (target -1).
 * cond NULL = unconditional. Evaluated in source order after the question
 * is answered; the first that holds decides. */
struct cati_jump {
    int target;             /* question index, or -1 for an end */
    enum cati_end outcome;  /* END_NONE for a goto */
    struct cati_expr *cond;
    int line, col;
};

/* `check EXPR "message"` (hard) or `warn EXPR "message"` (soft): EXPR must
 * hold; the message is shown when it does not. */
struct cati_check {
    int hard;
    struct cati_expr *cond;
    char *message;
    int line, col;
};

/* `flag WORD if EXPR`: raises a supervisor item of kind WORD. */
struct cati_flag {
    char *kind;
    struct cati_expr *cond; /* NULL = always when the question is answered */
    int line, col;
};

struct cati_question {
    char *name;
    int index;                   /* position in script order */
    enum cati_qtype type;
    long lo, hi;                 /* scale / number bounds (inclusive) */
    int maxlen;                  /* text: most characters (code points) */
    struct cati_choice *choices; /* single / multi, in source order */
    int nchoices;
    long *exclusive;             /* multi: codes that must stand alone */
    int nexclusive;
    char *text[CATI_MAX_LANGS];  /* per language index, with {fill}s unresolved */
    unsigned char text_draft[CATI_MAX_LANGS]; /* `text LANG draft "…"`: a draft translation */
    int nodk, norf;              /* 1 = that key is not offered */
    int personal;                /* 1 = identifies the respondent: exported only with --with-pii */
    int measures;                /* parameter index, -1 = none */
    struct cati_expr *ask_if;    /* NULL = always asked when reached */
    struct cati_jump *jumps;
    int njumps;
    struct cati_check *checks;   /* hard and soft, in source order */
    int nchecks;
    struct cati_flag *flags;
    int nflags;
    int line;                    /* line of `question` */
};

/* `labels FIELD CODE "label" [LANG "label"]... ...`: the words read aloud
 * for a sample code of a respondent field (e.g. service cid_new "New CID card"). */
struct cati_label {
    char *field;
    char *code;
    char *label[CATI_MAX_LANGS]; /* per language index; NULL = use label[0] */
    int line, col;               /* of the code */
};

struct cati_script {
    char *file;                  /* name used in messages */
    char *source;                /* the whole text (NUL-terminated copy) */
    size_t source_len;
    char *name;                  /* survey NAME */
    char *title;                 /* "" when not given */
    long version;                /* header `version N`, default 1 */
    char *languages[CATI_MAX_LANGS]; /* first = default; `en` when not declared */
    int nlangs;
    unsigned char draft[CATI_MAX_LANGS]; /* `draft LANG …`: every text in that language
                                          * is a draft translation (not the first) */
    char **parameters;           /* `parameters …` */
    int nparameters;
    char **fields;               /* declared extra respondent fields (`fields …`) */
    int nfields;
    struct cati_label *labels;   /* `labels …` lines, in source order */
    int nlabels;
    struct cati_question *questions;
    int nquestions;
    void *qindex;                /* private: name lookup for script_find_question */
};

/* One parse or check error. col is in characters (code points), 1-based. */
struct script_diag {
    int line, col;
    int warning;   /* 1 = a warning: reported, but the script is usable */
    char msg[256];
};

struct script_diags {
    struct script_diag *items; /* owned; script_diags_free() */
    int n, cap;
    int dropped;               /* errors beyond the cap (200) not kept */
    int nwarnings;             /* how many of items are warnings */
};

/* The standard respondent fields every script may use (ref name service
 * agency district availed_on language) are those of sample_fields
 * (cati/sample.h) marked SAMPLE_FIELD_SCRIPT. */

/* Parse and check src (len bytes, need not be NUL-terminated) named file.
 * Returns a new script (caller frees with script_free) or NULL when there
 * is any error; all errors found are appended to diags (which may be NULL).
 * On out-of-memory returns NULL with one diag "out of memory". */
struct cati_script *script_parse(const char *file, const char *src, size_t len,
                                 struct script_diags *diags);

/* Read and parse a file. NULL with diags (or with err for I/O failures:
 * err->msg set, diags->n == 0). */
struct cati_script *script_parse_file(const char *path, struct script_diags *diags,
                                      struct cati_error *err);

void script_free(struct cati_script *s);
void script_diags_free(struct script_diags *d);

/* Render every diag as
 *   FILE:LINE:COL: message
 *   <the source line>
 *   <spaces>^
 * Returns a malloc'd string (caller frees), NULL on out of memory. */
char *script_diags_render(const struct script_diags *d, const char *file, const char *src,
                          size_t len);

/* Lookups: index or -1. */
int script_find_question(const struct cati_script *s, const char *name);
int script_find_language(const struct cati_script *s, const char *lang);
int script_find_parameter(const struct cati_script *s, const char *name);
/* 1 if name is a standard respondent field a script may use. */
int script_standard_field(const char *name);
/* 1 if name is a standard or declared respondent field. */
int script_has_field(const struct cati_script *s, const char *name);

/* Label of sample code `value` of respondent field `field` in language
 * index lang (falls back to the first language), or NULL when the script
 * gives none. */
const char *script_field_label(const struct cati_script *s, const char *field, const char *value,
                               int lang);
/* The value of a respondent field as read aloud: its label when the script
 * gives one, else value itself (never NULL when value is not NULL). */
const char *script_field_display(const struct cati_script *s, const char *field, const char *value,
                                 int lang);

/* Choice with this code, or NULL. */
const struct cati_choice *script_choice(const struct cati_question *q, long code);
/* Label of a choice in language index lang (falls back to the first language). */
const char *script_choice_label(const struct cati_choice *c, int lang);
/* Text of q in language index lang, unresolved (never NULL after a successful parse). */
const char *script_question_text(const struct cati_question *q, int lang);
/* 1 when the text script_question_text(q, lang) gives is a draft
 * translation: q has its own text in lang, and lang is marked `draft` in
 * the header or that text `text LANG draft "…"`. A text read in the first
 * language instead (no translation) is not a draft. */
int script_text_draft(const struct cati_script *s, const struct cati_question *q, int lang);

/* Question and field names become variables of the analysts' files, which
 * SPSS, Stata and R must all accept: at most SCRIPT_VARNAME_MAX bytes
 * including suffix (a multi question's longest "_CODE", a text or date
 * question's "_status"), not a reserved word
 * of either package, not starting with '_'. NULL when name is fine, else why
 * (a phrase written into why, which is returned). */
#define SCRIPT_VARNAME_MAX 32
const char *script_varname_problem(const char *name, size_t suffix, char *why, size_t size);

const char *script_qtype_name(enum cati_qtype t);   /* "single", … */
const char *script_end_name(enum cati_end e);       /* "complete", …; "" for END_NONE */
enum cati_end script_end_parse(const char *s);      /* END_NONE if unknown */

/* Validate what an interviewer typed for q and give the canonical stored
 * value (answers.value): single/scale/number = decimal integer, multi =
 * codes ascending, comma separated ("1,3"; input may use commas or spaces),
 * date = YYYY-MM-DD, text = the text (must be valid UTF-8, at most maxlen
 * characters, not empty after trimming). Returns 0 and a malloc'd *value
 * (caller frees), or -1 with a one-line reason in why (e.g. "7 is not a
 * choice: use 1, 2 or 3"). "dk"/"rf" are not handled here. */
int script_answer_validate(const struct cati_question *q, const char *input, char **value,
                           char *why, size_t whysize);

/* --- survey versions in the database ------------------------------------ */

struct script_stored {
    long long survey_id;
    long long version_id;   /* survey_versions.id */
    int version;            /* survey_versions.version (1, 2, … in load order) */
    int changed;            /* 1 = a new version was stored, 0 = same text as the latest */
};

/* Store a checked script as the survey's next version, unless its text is
 * identical to the latest version (then changed = 0 and nothing is written).
 * Creates the surveys row on first load; fills survey_versions.fields and
 * .languages (space separated). One transaction. */
int script_store(sqlite3 *db, const struct cati_script *s, const char *login,
                 struct script_stored *out, struct cati_error *err);

/* Parse a stored version (survey_versions.id). *out: caller frees. */
int script_load_version(sqlite3 *db, long long version_id, struct cati_script **out,
                        struct cati_error *err);

/* The latest version of survey `name` (or of survey_id when name is NULL).
 * *version_id may be NULL. -1 with "unknown survey 'x'" when there is none. */
int script_load_latest(sqlite3 *db, const char *name, long long survey_id,
                       struct cati_script **out, long long *version_id, struct cati_error *err);

/* One survey for `cati survey list`. */
struct script_survey_info {
    long long id;
    char name[CATI_NAME_MAX];
    char title[256];
    int paused;
    int version;              /* latest survey_versions.version, 0 = none */
    long script_version;      /* its header `version N` */
    char languages[64];       /* space separated */
    long long loaded_at;
    char loaded_by[64];
    long long cases;
};

/* Call fn for each survey in name order (stops early when fn returns nonzero). */
int script_list(sqlite3 *db, int (*fn)(const struct script_survey_info *, void *), void *ctx,
                struct cati_error *err);

/* Pause (1) or resume (0) survey `name`: paused surveys offer no cases.
 * -1 with "unknown survey 'x'" when there is none. */
int script_set_paused(sqlite3 *db, const char *name, int paused, struct cati_error *err);

#endif
