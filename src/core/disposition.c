#include "cati/disposition.h"

#include <stddef.h>
#include <string.h>

struct code_info {
    const char *code;
    enum disposition_category cat;
    int rank;
    const char *meaning;
};

/* Rank bands: 100 interview, 90 partial, 80 confirmed ineligible respondent,
 * 70 refusal/break-off, 60 other eligible, 50 eligible non-contact,
 * 30 unknown eligibility, 20 number-level ineligible, 0 not attempted. */
static const struct code_info codes[] = {
    {"1.1", CAT_I, 100, "complete interview"},
    {"1.2", CAT_P, 90, "partial interview"},
    {"2.11", CAT_R, 70, "refusal"},
    {"2.111", CAT_R, 70, "refusal, household-level"},
    {"2.112", CAT_R, 70, "refusal, known respondent"},
    {"2.12", CAT_R, 70, "break-off"},
    {"2.21", CAT_NC, 50, "respondent never available"},
    {"2.22", CAT_NC, 50, "answering machine, respondent's number"},
    {"2.221", CAT_NC, 50, "answering machine, message left"},
    {"2.222", CAT_NC, 50, "answering machine, no message left"},
    {"2.30", CAT_O, 60, "eligible, call limit reached"},
    {"2.31", CAT_O, 60, "respondent deceased"},
    {"2.32", CAT_O, 60, "physically or mentally unable"},
    {"2.33", CAT_O, 60, "language barrier"},
    {"2.331", CAT_O, 60, "language barrier, household"},
    {"2.332", CAT_O, 60, "language barrier, respondent"},
    {"2.333", CAT_O, 60, "no interviewer for the language"},
    {"2.36", CAT_O, 60, "other, eligible"},
    {"3.11", CAT_UH, 0, "not attempted"},
    {"3.12", CAT_UH, 30, "always busy"},
    {"3.13", CAT_UH, 30, "no answer"},
    {"3.14", CAT_UH, 30, "answering machine, respondent unknown"},
    {"3.16", CAT_UH, 30, "technical phone problems"},
    {"3.90", CAT_UH, 30, "unknown eligibility, call limit reached"},
    {"3.91", CAT_UO, 30, "unknown eligibility, other"},
    {"4.10", CAT_NE, 80, "out of sample"},
    {"4.20", CAT_NE, 20, "fax or data line"},
    {"4.31", CAT_NE, 20, "non-working number"},
    {"4.32", CAT_NE, 20, "disconnected number"},
    {"4.33", CAT_NE, 20, "temporarily out of service"},
    {"4.41", CAT_NE, 20, "number changed (wrong number)"},
    {"4.51", CAT_NE, 20, "business or organisation"},
    {"4.70", CAT_NE, 80, "no eligible respondent"},
    {"4.80", CAT_NE, 80, "quota filled"},
};
#define NCODES (sizeof codes / sizeof codes[0])

static const struct code_info *find_code(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < NCODES; i++)
        if (!strcmp(codes[i].code, code))
            return &codes[i];
    return NULL;
}

const char *disposition_category_name(enum disposition_category c)
{
    static const char *const names[] = {"I", "P", "R", "NC", "O", "UH", "UO", "NE"};
    return c >= 0 && c < CAT_COUNT ? names[c] : "?";
}

enum disposition_category disposition_category(const char *code)
{
    const struct code_info *ci = find_code(code);
    return ci ? ci->cat : CAT_UNKNOWN;
}

const char *disposition_meaning(const char *code)
{
    const struct code_info *ci = find_code(code);
    return ci ? ci->meaning : "";
}

const char *const *disposition_codes(void)
{
    static const char *list[NCODES + 1];
    if (!list[0])
        for (size_t i = 0; i < NCODES; i++)
            list[i] = codes[i].code;
    return list;
}

int disposition_rank(const char *code)
{
    const struct code_info *ci = find_code(code);
    return ci ? ci->rank : -1;
}

const char *disposition_better(const char *a, const char *b)
{
    if (!a || !*a)
        return b;
    if (!b || !*b)
        return a;
    return disposition_rank(a) > disposition_rank(b) ? a : b;
}

/* Non-contact with the respondent confirmed: 2.22x when the last
 * non-contact call reached their answering machine, else 2.21. */
static const char *non_contact(const char *const *calls, size_t n)
{
    const char *last = NULL;
    int message = 0;
    for (size_t i = 0; i < n; i++) {
        const struct code_info *ci = find_code(calls[i]);
        if (!ci || ci->cat != CAT_NC)
            continue;
        last = ci->code;
        if (!strcmp(ci->code, "2.221"))
            message = 1;
    }
    if (last && !strncmp(last, "2.22", 4))
        return message ? "2.221" : "2.222";
    return "2.21";
}

/* Eligibility never established: the unknown-eligibility code the calls
 * show (standards.md §1). */
static const char *unknown_eligibility(const char *const *calls, size_t n)
{
    size_t unknown = 0, busy = 0, machine = 0, technical = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = calls[i];
        if (!c)
            continue;
        if (!strcmp(c, "3.12"))
            busy++;
        else if (!strcmp(c, "3.14"))
            machine++;
        else if (!strcmp(c, "3.16"))
            technical++;
        else if (strcmp(c, "3.13"))
            continue;
        unknown++;
    }
    if (!unknown)
        return "3.90";
    if (busy == unknown)
        return "3.12";
    if (machine)
        return "3.14";
    if (technical)
        return "3.16";
    return "3.13";
}

const char *disposition_final(const char *const *calls, size_t n, enum disposition_end end)
{
    if (!n)
        return NULL;
    const char *last = calls[n - 1];
    if (end == DISP_END_FINAL_CALL) {
        /* an interview comes first, whatever came after (calls merged
         * from two sites at a central database) */
        for (size_t i = 0; i < n; i++)
            if (!strcmp(calls[i], "1.1"))
                return calls[i];
        return last;
    }
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct code_info *ci = find_code(calls[i]);
        if (ci && ci->cat >= CAT_I && ci->cat <= CAT_O)
            best = disposition_better(best, ci->code);
    }
    if (best)
        return disposition_category(best) == CAT_NC ? non_contact(calls, n) : best;
    if (end == DISP_END_NUMBERS_GONE)
        return last;
    return unknown_eligibility(calls, n);
}

const char *disposition_rate_name(enum disposition_rate_id id)
{
    static const char *const names[RATE_COUNT] = {
        "RR1", "RR2", "RR3", "RR4", "RR5", "RR6", "COOP1", "COOP2",
        "COOP3", "COOP4", "REF1", "REF2", "REF3", "CON1", "CON2", "CON3"};
    return id >= 0 && id < RATE_COUNT ? names[id] : "?";
}

static struct disposition_rate ratio(double num, double den, int den_defined)
{
    struct disposition_rate r = {0, 0};
    if (den_defined && den > 0) {
        r.value = num / den;
        r.defined = 1;
    }
    return r;
}

void disposition_rates(const struct disposition_counts *c, double e, struct disposition_rates *out)
{
    double I = (double)c->n[CAT_I], P = (double)c->n[CAT_P], R = (double)c->n[CAT_R];
    double NC = (double)c->n[CAT_NC], O = (double)c->n[CAT_O];
    double U = (double)c->n[CAT_UH] + (double)c->n[CAT_UO], NE = (double)c->n[CAT_NE];
    memset(out, 0, sizeof *out);
    if (e >= 0) {
        out->e = e > 1 ? 1 : e;
        out->e_defined = 1;
    } else {
        double known = I + P + R + NC + O + NE;
        out->e_estimated = 1;
        if (known > 0) {
            out->e = (I + P + R + NC + O) / known;
            out->e_defined = 1;
        }
    }
    /* With no unknown cases the e term is 0 whatever e is. */
    int e_ok = out->e_defined || U == 0;
    double eU = out->e_defined ? out->e * U : 0;
    double base = (I + P) + (R + NC + O);
    struct disposition_rate *r = out->rate;
    r[RATE_RR1] = ratio(I, base + U, 1);
    r[RATE_RR2] = ratio(I + P, base + U, 1);
    r[RATE_RR3] = ratio(I, base + eU, e_ok);
    r[RATE_RR4] = ratio(I + P, base + eU, e_ok);
    r[RATE_RR5] = ratio(I, base, 1);
    r[RATE_RR6] = ratio(I + P, base, 1);
    r[RATE_COOP1] = ratio(I, (I + P) + R + O, 1);
    r[RATE_COOP2] = ratio(I + P, (I + P) + R + O, 1);
    r[RATE_COOP3] = ratio(I, (I + P) + R, 1);
    r[RATE_COOP4] = ratio(I + P, (I + P) + R, 1);
    r[RATE_REF1] = ratio(R, base + U, 1);
    r[RATE_REF2] = ratio(R, base + eU, e_ok);
    r[RATE_REF3] = ratio(R, base, 1);
    r[RATE_CON1] = ratio((I + P) + R + O, base + U, 1);
    r[RATE_CON2] = ratio((I + P) + R + O, base + eU, e_ok);
    r[RATE_CON3] = ratio((I + P) + R + O, base, 1);
}
