#ifndef CATI_DISPOSITION_H
#define CATI_DISPOSITION_H
/* AAPOR dispositions: codes, their rate categories, the precedence that
 * picks a case's final code, and the response, cooperation, refusal and
 * contact rates (AAPOR Standard Definitions). */

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

/* Final code when the call limit ran out: the refusal if the case was
 * refused (a failed conversion stays a refusal), else 2.30 if eligibility
 * was established, else 3.90. Static memory. */
const char *disposition_at_limit(const char *interim, int eligible);
/* Final code when the case's last number was retired by a call coded
 * call_code: the best eligible code so far if eligibility was established
 * (2.36 if none was recorded), else call_code. Static memory or call_code. */
const char *disposition_numbers_gone(const char *interim, int eligible, const char *call_code);

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
