#ifndef CATI_DISPOSITION_H
#define CATI_DISPOSITION_H
/* AAPOR dispositions: codes, their rate categories, the precedence that
 * picks a case's final code, and the response, cooperation, refusal and
 * contact rates (AAPOR Standard Definitions). */

#include <stddef.h>

enum disposition_category {
    CAT_I, CAT_P, CAT_R, CAT_NC, CAT_O, CAT_UH, CAT_UO, CAT_NE,
    CAT_COUNT,
    CAT_UNKNOWN = -1 /* not an AAPOR code cati knows */
};

/* "I", "P", "R", "NC", "O", "UH", "UO", "NE"; "?" otherwise. */
const char *disposition_category_name(enum disposition_category c);
/* Category of an AAPOR code such as "2.221" (sub-codes fall into their parent). */
enum disposition_category disposition_category(const char *code);
/* Short meaning of a code ("complete interview"); "" if unknown. Static memory. */
const char *disposition_meaning(const char *code);
/* The AAPOR codes cati uses, NULL-terminated, in code order. Static memory. */
const char *const *disposition_codes(void);

/* Precedence (higher wins): interview, confirmed ineligible, refusal and
 * break-off, other eligible, eligible non-contact, unknown eligibility,
 * then not attempted. Once someone eligible was reached no no-answer or
 * busy code can win over the eligible code. */
int disposition_rank(const char *code);
/* The code that wins between a and b (b on a tie: the later call). */
const char *disposition_better(const char *a, const char *b);

/* How a case's calling ended. */
enum disposition_end {
    DISP_END_FINAL_CALL,   /* the last call's outcome ends the case (complete, refusal,
                            * a second soft refusal, …): that call's code */
    DISP_END_LIMIT,        /* the call limit ran out: max_attempts, or the
                            * per-number limit on the case's last number */
    DISP_END_NUMBERS_GONE  /* the last call retired the case's last usable number
                            * (disconnected, wrong number, …) */
};

/* The final AAPOR code of a case, from the codes its calls recorded, in
 * call order (codes[n - 1] is the last call), and how its calling ended.
 * Pure: the one rule that schedule_record applies and check_run verifies.
 *
 * FINAL_CALL: the last call's code — but 1.1 when any call completed an
 * interview (the interview comes first: calls merged at a central
 * database from sites that each ended the case).
 * LIMIT and NUMBERS_GONE, once eligibility was established (a call coded
 * I, P, R, NC or O): the most specific code the calls established, by
 * precedence (disposition_better: refusal 2.11 over other eligible 2.33
 * over non-contact); non-contact is 2.22 when the last non-contact call
 * reached an answering machine at the confirmed respondent's number (2.221
 * if a message was ever left there, else 2.222), else 2.21.
 * LIMIT with eligibility never established: 3.12 when every call of
 * unknown eligibility was busy, else 3.14 when one reached an answering
 * machine, else 3.16 when one had technical problems, else 3.13 no
 * answer; 3.90 when no call had an unknown-eligibility code.
 * NUMBERS_GONE with eligibility never established: the last call's code
 * (the number-level ineligible code, e.g. 4.32).
 * Returns static memory or codes[n - 1]; NULL when n is 0. */
const char *disposition_final(const char *const *codes, size_t n, enum disposition_end end);

/* Rates. */
struct disposition_counts {
    long long n[CAT_COUNT]; /* cases per category */
};

enum disposition_rate_id {
    RATE_RR1, RATE_RR2, RATE_RR3, RATE_RR4, RATE_RR5, RATE_RR6,
    RATE_COOP1, RATE_COOP2, RATE_COOP3, RATE_COOP4,
    RATE_REF1, RATE_REF2, RATE_REF3,
    RATE_CON1, RATE_CON2, RATE_CON3,
    RATE_COUNT
};

struct disposition_rate {
    double value;
    int defined; /* 0 when the denominator is 0 (or needs an undefined e) */
};

struct disposition_rates {
    double e;          /* share of unknown-eligibility cases taken as eligible */
    int e_defined;     /* 0 when e was to be estimated and nothing is known */
    int e_estimated;   /* 1 when e came from the sample, 0 when given */
    struct disposition_rate rate[RATE_COUNT];
};

/* "RR1" … "CON3". */
const char *disposition_rate_name(enum disposition_rate_id id);

/* Compute every rate from the category counts. e in 0..1 is used as given;
 * e < 0 estimates it as the eligible share of the cases whose eligibility
 * is known: (I+P+R+NC+O) / (I+P+R+NC+O+NE). */
void disposition_rates(const struct disposition_counts *c, double e, struct disposition_rates *out);

#endif
