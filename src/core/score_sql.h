#ifndef CATI_SCORE_SQL_H
#define CATI_SCORE_SQL_H
/* Private to libcati: the five-parameter score rules as SQL, written once
 * and expanded (at compile time) wherever SQL needs them: the score
 * triggers (migration 6), the recount of a survey version's scores
 * (dashboard_sync.c) and `cati check`'s recount of score_sums (check.c).
 * A names a row of answers (status, value): "a", "new", "old"; M a row
 * with the measure's kind, hi and good: "m" (survey_measures) or, for the
 * kind alone, "score_sums". */

/* The top-two-box rule: 1 when the answer is a value and, for a scale, one
 * of its two highest points (hi - 1 or hi; the scale's points are whole
 * numbers lo..hi); for a single choice, one of the measure's good codes
 * (',2,3,': those raising none of the question's flags); else 0. */
#define SCORE_TOP_SQL(A, M)                                                                        \
    "(CASE WHEN " A ".status <> 'value' THEN 0"                                                   \
    " WHEN " M ".kind = 'scale' THEN CAST(" A ".value AS INTEGER) >= " M ".hi - 1"                \
    " WHEN " M ".kind = 'single' THEN instr(" M ".good, ',' || " A ".value || ',') > 0"           \
    " ELSE 0 END)"

/* What the answer adds to a measure's total (for the mean): its value for
 * a scale or a number, else 0. */
#define SCORE_TOTAL_SQL(A, M)                                                                      \
    "(CASE WHEN " A ".status = 'value' AND " M ".kind IN ('scale','number')"                      \
    " THEN CAST(" A ".value AS REAL) ELSE 0 END)"

/* An interview whose answers count: live and complete. */
#define SCORE_COUNTS_SQL(I) "(" I ".outcome IS 'complete' AND " I ".state = 'live')"

/* The same over answers a, measures m and interviews i, as the recounts
 * name them (without arguments, so tests/check-sql-injection sees a
 * constant in db_prepare). */
#define SCORE_TOP_AM SCORE_TOP_SQL("a", "m")
#define SCORE_TOTAL_AM SCORE_TOTAL_SQL("a", "m")
#define SCORE_COUNTS_I SCORE_COUNTS_SQL("i")

#endif
