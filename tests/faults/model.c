/* The model-based test (issue 11 §6): a seeded random walk in which
 * interviewers at two sites, their supervisors, the clock, sync to a
 * central database and nightly-style exports act in random interleavings
 * through the real core functions. Beside the databases the test keeps a
 * model of what it believes — who holds each case and until when, which
 * answers were acknowledged, which interviews are live, open, complete,
 * which cases are final, which interviews each delivered export held — and
 * after every step compares it with the databases:
 *
 *   - check_run finds no violation (the site acted on, the central database
 *     after a sync or a supervisor's choice, every database every 25 steps);
 *   - every acknowledged answer is stored as acknowledged, and no answer is
 *     stored that was not acknowledged;
 *   - every interview row is one the model knows, live or abandoned as the
 *     model says, closed with the outcome the model predicts; no live
 *     interview is left open on a final case (an orphan);
 *   - every case is held by whom the model says, with the lease it says,
 *     has the calls it says, is final when the model says;
 *   - a write refused because the actor no longer holds the case
 *     (CATI_ERR_LOST) was predicted by the model, and wrote nothing (PRAGMA
 *     data_version of an observer connection did not move); a write the
 *     model says is allowed is not refused as lost;
 *   - centrally: every complete interview came from a site, every site's
 *     complete is there after that site's sync, each case has exactly one
 *     live complete — the supervisor's choice, else the first completed —
 *     and the others are duplicates;
 *   - every export holds only live completed interviews; no interview is
 *     delivered twice (in two delivered folders) while it stays the case's
 *     live interview; at the end, after a last sync and a clean nightly run
 *     everywhere, every live complete has been delivered exactly once.
 *
 * Usage: model DIR [SEED [STEPS]]   (env CATI_MODEL_SEED, CATI_MODEL_STEPS;
 * CATI_MODEL_VERBOSE=1 prints every step). DIR must exist and be empty.
 * Prints one summary line; on a broken property prints the seed and the
 * step, with the command that replays it, and exits 1. */
#include <dirent.h>
#include <sys/stat.h>

#include "faults.h"

#include "cati/case.h"
#include "cati/check.h"
#include "cati/export.h"
#include "cati/sample.h"
#include "cati/sync.h"

#define NSITES 2
#define MAXCASES 40
#define MAXIVS 4096
#define NQ 8
#define MAXREF 64
#define LEASE_MIN lease_min

static const char script_src[] =
    "survey mini \"Model test survey\" version 1\n"
    "languages en dz\n"
    "parameters service\n"
    "question reached single\n"
    "  text en \"Hello, may I speak with {name}?\"\n  text dz \"{name}?\"\n"
    "  choice 1 \"Speaking\"\n  choice 2 \"Not available now\"\n  choice 3 \"No such person\"\n"
    "  nodk norf\n  end appointment if reached = 2\n  end ineligible if reached = 3\n"
    "question consent single\n"
    "  text en \"May we begin?\"\n  text dz \"begin?\"\n"
    "  choice 1 \"Yes\"\n  choice 2 \"No\"\n  choice 3 \"Later\"\n"
    "  nodk norf\n  end refusal if consent = 2\n  end appointment if consent = 3\n"
    "question rate scale 1 5\n  measures service\n"
    "  text en \"Rate the {service} service\"\n  text dz \"rate\"\n"
    "question visits number 0 50\n  text en \"How many visits?\"\n  text dz \"visits\"\n"
    "  warn visits <= 10 \"{visits} visits is unusual\"\n"
    "question why text 200\n  ask if rate <= 2\n  text en \"Why?\"\n  text dz \"why\"\n"
    "question bribe single\n  text en \"Were you asked for a bribe?\"\n  text dz \"bribe\"\n"
    "  choice 1 \"Yes\"\n  choice 2 \"No\"\n  flag integrity if bribe = 1\n  goto age if bribe = 2\n"
    "question what text 200\n  text en \"What happened?\"\n  text dz \"what\"\n"
    "question age single\n  text en \"Your age?\"\n  text dz \"age\"\n"
    "  choice 1 \"Under 35\"\n  choice 2 \"35 or older\"\n  nodk\n";

/* --- the run ------------------------------------------------------------ */

static unsigned long long seed, rng;
static long step, steps;
static int verbose;
static int lease_min = 5;
/* The two sites share R16..R30 (one case worked at two sites), and
 * supervisors record 'complete' with a note. CATI_MODEL_KNOWN=0 leaves
 * both out (they once met open issues of the central database, fixed
 * since: a supervisor's complete is marked on its call, claims are not
 * synced, a case's central code comes from the calls of every site). */
static int known;
static const char *root;
static char what[512]; /* the step being taken, for the failure report */
static struct cati_config cfg;
static long long n_lost, n_refused, n_answers, n_completes, n_delivered, n_syncs, n_checks;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (unsigned)((rng >> 11) % n) : 0;
}

static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bad(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "model: seed %llu step %ld (%s): ", seed, step, what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nmodel: replay with CATI_MODEL_SEED=%llu CATI_MODEL_STEPS=%ld "
                    "build/faults/model DIR (CATI_MODEL_VERBOSE=1 shows every step)\n", seed, steps);
    exit(1);
}

static void note_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note_step(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (verbose)
        fprintf(stderr, "%6ld %s\n", step, what);
}

/* --- the model ----------------------------------------------------------- */

struct mans {
    int status; /* enum cati_astatus; ANS_NONE = never acknowledged */
    char value[96];
};

struct miv {
    int site, kase;       /* its site and case index */
    long long id;
    char uuid[37];
    int live;             /* 1 live, 0 abandoned */
    int open;             /* outcome not yet written */
    char outcome[16];     /* when closed */
    enum cati_end stored_end; /* the end its stored cursor reached (END_NONE: a question) */
    time_t completed_at;
    long done_step;       /* step it was closed complete, -1 */
    struct mans a[NQ];
};

struct mcase {
    long long id;
    char ref[16];
    long long holder;     /* interviewer id, 0 = none */
    time_t lease;
    int final;
    char disp[8];
    int live;             /* miv index of its live interview, -1 */
    int calls;
    int note;             /* a committed note waits for the next call */
    int appointed;        /* an appointment was ever booked */
};

struct actor {
    int site;
    sqlite3 *db;
    struct cati_interviewer who;
    int kase;             /* case index it believes it holds, -1 */
    struct cati_interview *iv;
    int m;                /* its miv index */
};

/* One delivery chain (a database's since-last nightly exports). */
/* deliveries of an interview since it (last) became the case's interview;
 * gen counts those becomings, so an export made before one is not counted
 * after it (a supervisor's choice back and forth is delivered each time) */
struct dl { char uuid[37]; int since_live; int gen; };
struct xchain {
    sqlite3 *db;          /* exporting connection */
    char dir[600];        /* where folders go */
    const char *login;
    int runs;
    int pending;          /* an export waits to be settled */
    char pdir[700];       /* its folder */
    char (*pu)[37];       /* its interviews */
    int *pgen;            /* each one's dl.gen when exported */
    int npu;
    struct dl *d;
    int nd, capd;
};

struct site {
    char path[600];
    sqlite3 *obs;         /* observer: reads, data_version */
    sqlite3 *supdb;
    struct cati_interviewer sup;
    struct mcase c[MAXCASES];
    int nc;
    struct actor a[3];
    int na;
    long last_sync;       /* step of the last successful sync, -1 */
    struct xchain x;
};

static struct site sites[NSITES];
static struct miv ivs[MAXIVS];
static int nivs;
static time_t now;

static struct {
    char path[600];
    sqlite3 *db, *obs;
    struct xchain x;
    char keep[MAXREF][37]; /* supervisor's choice per ref number */
    char live[MAXREF][37]; /* predicted live complete per ref number */
} central;

static const char *const texts[] = {"it was fine", "'); DROP TABLE cases; --", "ཀུ་ཟུ་ཟང་པོ་ལགས",
                                    "\"quoted\" and 'single'", "slow; three visits, 40 km", "%s%n%x"};

/* --- small database helpers ------------------------------------------------ */

static long long q_int(sqlite3 *db, const char *sql, long long num)
{
    struct cati_error err;
    long long v = -1;
    if (db_int(db, sql, NULL, num, -1, &v, &err) < 0)
        bad("%s: %s", sql, err.msg);
    return v;
}

static long long data_version(sqlite3 *obs)
{
    return q_int(obs, "PRAGMA data_version", 0);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    struct cati_error err;
    if (db_prepare(db, sql, &st, &err) < 0)
        bad("%s", err.msg);
    return st;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void run_checks(sqlite3 *db, const char *name)
{
    struct check_report r;
    struct cati_error err;
    if (check_run(db, &r, &err) < 0)
        bad("cati check on %s could not run: %s", name, err.msg);
    n_checks++;
    if (r.n) {
        for (size_t i = 0; i < r.n && i < 10; i++)
            fprintf(stderr, "model: %s: %s %s: %s\n", name, check_kind_name(r.v[i].kind), r.v[i].ref,
                    r.v[i].message);
        bad("cati check finds %zu violation(s) on %s", r.n, name);
    }
    check_report_release(&r);
}

/* --- model queries ----------------------------------------------------------- */

static int held(const struct site *s, int k, const struct cati_interviewer *who)
{
    const struct mcase *c = &s->c[k];
    return who && c->holder == who->id && c->lease > now && !c->final;
}

static int case_by_id(const struct site *s, long long id)
{
    for (int k = 0; k < s->nc; k++)
        if (s->c[k].id == id)
            return k;
    bad("case id %lld is not one of the site's", id);
}

static int ref_no(const char *ref)
{
    int n = atoi(ref + 1);
    if (n <= 0 || n >= MAXREF)
        bad("ref %s out of range", ref);
    return n;
}

static struct miv *iv_by_uuid(const char *uuid)
{
    for (int i = 0; i < nivs; i++)
        if (!strcmp(ivs[i].uuid, uuid))
            return &ivs[i];
    return NULL;
}

static struct dl *dl_get(struct xchain *x, const char *uuid)
{
    for (int i = 0; i < x->nd; i++)
        if (!strcmp(x->d[i].uuid, uuid))
            return &x->d[i];
    if (x->nd == x->capd) {
        x->capd = x->capd ? 2 * x->capd : 64;
        x->d = realloc(x->d, (size_t)x->capd * sizeof *x->d);
        if (!x->d)
            die("out of memory");
    }
    struct dl *d = &x->d[x->nd++];
    cati_strlcpy(d->uuid, uuid, sizeof d->uuid);
    d->since_live = 0;
    d->gen = 0;
    return d;
}

/* --- comparing the model with a site ---------------------------------------- */

static void compare_site(int si)
{
    struct site *s = &sites[si];
    char name[16];
    snprintf(name, sizeof name, "site %d", si);
    run_checks(s->obs, name);
    sqlite3_stmt *st = prep(s->obs, "SELECT c.id, c.ref, c.state, coalesce(c.disposition, ''),"
                                    " coalesce(c.claimed_by, 0), coalesce(c.lease_until, 0),"
                                    " (SELECT count(*) FROM calls k WHERE k.case_id = c.id),"
                                    " coalesce((SELECT i.id FROM interviews i WHERE i.case_id = c.id"
                                    "   AND i.state = 'live'), 0) FROM cases c ORDER BY c.id");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = case_by_id(s, sqlite3_column_int64(st, 0));
        struct mcase *c = &s->c[k];
        n++;
        int final = !strcmp(col(st, 2), "final");
        if (final != c->final)
            bad("%s case %s is %s, the model says %s", name, c->ref, col(st, 2), c->final ? "final" : "open");
        if (final && strcmp(col(st, 3), c->disp))
            bad("%s case %s is coded %s, its last call said %s", name, c->ref, col(st, 3), c->disp);
        long long by = sqlite3_column_int64(st, 4), until = sqlite3_column_int64(st, 5);
        if (by != c->holder || (by && until != (long long)c->lease))
            bad("%s case %s is held by %lld until %lld, the model says %lld until %lld", name, c->ref, by,
                until, c->holder, (long long)c->lease);
        if (sqlite3_column_int(st, 6) != c->calls)
            bad("%s case %s has %d calls, %d were recorded", name, c->ref, sqlite3_column_int(st, 6), c->calls);
        long long live = sqlite3_column_int64(st, 7);
        if (live != (c->live >= 0 ? ivs[c->live].id : 0))
            bad("%s case %s: its live interview is %lld, the model says %lld", name, c->ref, live,
                c->live >= 0 ? ivs[c->live].id : 0);
    }
    sqlite3_finalize(st);
    if (n != s->nc)
        bad("%s has %d cases, the model %d", name, n, s->nc);

    int mine = 0;
    for (int i = 0; i < nivs; i++)
        mine += ivs[i].site == si;
    st = prep(s->obs, "SELECT id, state, coalesce(outcome, '') FROM interviews ORDER BY id");
    n = 0;
    int i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        while (i < nivs && (ivs[i].site != si || ivs[i].id < id))
            i++;
        if (i == nivs || ivs[i].id != id)
            bad("%s has interview %lld that no actor started", name, id);
        struct miv *m = &ivs[i];
        n++;
        if (strcmp(col(st, 1), m->live ? "live" : "abandoned"))
            bad("%s interview %lld is %s, the model says %s", name, id, col(st, 1), m->live ? "live" : "abandoned");
        if (strcmp(col(st, 2), m->open ? "" : m->outcome))
            bad("%s interview %lld (case %s) has outcome '%s', the model says '%s'", name, id,
                s->c[m->kase].ref, col(st, 2), m->open ? "" : m->outcome);
    }
    sqlite3_finalize(st);
    if (n != mine)
        bad("%s has %d interviews, the model %d: an interview was lost", name, n, mine);

    /* every acknowledged answer stored as acknowledged; nothing else */
    st = prep(s->obs, "SELECT interview_id, question, status, value FROM answers ORDER BY interview_id");
    int counted[MAXIVS] = {0};
    i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        while (i < nivs && (ivs[i].site != si || ivs[i].id < id))
            i++;
        if (i == nivs || ivs[i].id != id)
            bad("%s has answers of interview %lld the model does not know", name, id);
        struct miv *m = &ivs[i];
        int qi = -1;
        static const char *const qn[NQ] = {"reached", "consent", "rate", "visits", "why", "bribe", "what", "age"};
        for (int q = 0; q < NQ; q++)
            if (!strcmp(qn[q], col(st, 1)))
                qi = q;
        if (qi < 0)
            bad("%s interview %lld has an answer to unknown question %s", name, id, col(st, 1));
        const char *stat = col(st, 2);
        int status = !strcmp(stat, "dk") ? ANS_DK : !strcmp(stat, "rf") ? ANS_RF : ANS_VALUE;
        if (m->a[qi].status == ANS_NONE)
            bad("%s interview %lld has an answer to %s (%s %s) that was never acknowledged", name, id,
                col(st, 1), stat, col(st, 3));
        if (status != m->a[qi].status || (status == ANS_VALUE && strcmp(col(st, 3), m->a[qi].value)))
            bad("%s interview %lld: %s is stored as %s '%s', acknowledged as %d '%s'", name, id, col(st, 1),
                stat, col(st, 3), m->a[qi].status, m->a[qi].value);
        counted[i]++;
    }
    sqlite3_finalize(st);
    for (i = 0; i < nivs; i++) {
        if (ivs[i].site != si)
            continue;
        int want = 0;
        for (int q = 0; q < NQ; q++)
            want += ivs[i].a[q].status != ANS_NONE;
        if (want != counted[i])
            bad("%s interview %lld: %d answers acknowledged, %d stored: an answer was lost", name,
                ivs[i].id, want, counted[i]);
    }
    /* no live interview left open on a final case */
    long long orphans = q_int(s->obs, "SELECT count(*) FROM interviews i JOIN cases c ON c.id = i.case_id"
                                      " WHERE i.state = 'live' AND i.outcome IS NULL AND c.state = 'final'", 0);
    if (orphans)
        bad("%s has %lld open live interview(s) on final cases (orphans)", name, orphans);
}

/* The central database: its completes against the sites' and the rule. */
static void compare_central(void)
{
    run_checks(central.obs, "central");
    sqlite3_stmt *st = prep(central.obs,
                            "SELECT c.ref, i.uuid, i.state, c.state, coalesce(c.disposition, '')"
                            " FROM interviews i JOIN cases c ON c.id = i.case_id"
                            " WHERE i.outcome = 'complete' ORDER BY c.ref, i.uuid");
    char best[MAXREF][37], lives[MAXREF][37];
    int has[MAXREF] = {0}, keep_there[MAXREF] = {0}, nlive[MAXREF] = {0}, kept_there[MAXREF] = {0};
    memset(best, 0, sizeof best);
    memset(lives, 0, sizeof lives);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *ref = col(st, 0), *uuid = col(st, 1), *state = col(st, 2);
        int r = ref_no(ref);
        struct miv *m = iv_by_uuid(uuid);
        if (!m || m->open || strcmp(m->outcome, "complete"))
            bad("central has complete interview %s (%s) that no site completed", uuid, ref);
        if (strcmp(sites[m->site].c[m->kase].ref, ref))
            bad("central has interview %s on case %s, its site on %s", uuid, ref, sites[m->site].c[m->kase].ref);
        if (strcmp(col(st, 3), "final") || strcmp(col(st, 4), "1.1"))
            bad("central case %s has a complete interview but is %s %s", ref, col(st, 3), col(st, 4));
        if (!strcmp(state, "live")) {
            nlive[r]++;
            cati_strlcpy(lives[r], uuid, sizeof lives[r]);
        } else if (strcmp(state, "duplicate")) {
            bad("central complete interview %s (%s) is %s", uuid, ref, state);
        }
        if (!strcmp(central.keep[r], uuid))
            keep_there[r] = 1;
        if (!strcmp(central.live[r], uuid))
            kept_there[r] = 1; /* the case's interview before: it stays */
        struct miv *b = has[r] ? iv_by_uuid(best[r]) : NULL;
        if (!b || m->completed_at < b->completed_at ||
            (m->completed_at == b->completed_at && strcmp(uuid, best[r]) < 0))
            cati_strlcpy(best[r], uuid, sizeof best[r]);
        has[r] = 1;
    }
    sqlite3_finalize(st);
    for (int r = 1; r < MAXREF; r++) {
        if (!has[r]) {
            if (central.live[r][0])
                bad("central lost the complete interview of R%d", r);
            continue;
        }
        /* the supervisor's choice; else the one that reached the central
         * database first (it may have been delivered); else the first completed */
        const char *want = keep_there[r] ? central.keep[r] : kept_there[r] ? central.live[r] : best[r];
        if (nlive[r] != 1)
            bad("central case R%d has %d live complete interviews", r, nlive[r]);
        if (strcmp(lives[r], want))
            bad("central case R%d keeps %s, the rule says %s (%s)", r, lives[r], want,
                keep_there[r] ? "the supervisor's choice" : kept_there[r] ? "the first to arrive" : "the first completed");
        if (strcmp(central.live[r], want)) { /* became the case's interview: deliver it once more */
            cati_strlcpy(central.live[r], want, sizeof central.live[r]);
            struct dl *d = dl_get(&central.x, want);
            d->since_live = 0;
            d->gen++;
        }
    }
    /* every site's complete is there after that site's sync */
    for (int i = 0; i < nivs; i++) {
        struct miv *m = &ivs[i];
        if (m->done_step < 0 || m->done_step >= sites[m->site].last_sync)
            continue;
        sqlite3_stmt *q = prep(central.obs, "SELECT count(*) FROM interviews WHERE uuid = ?1 AND outcome = 'complete'");
        sqlite3_bind_text(q, 1, m->uuid, -1, SQLITE_STATIC);
        int found = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
        sqlite3_finalize(q);
        if (!found)
            bad("interview %s completed at site %d (case %s) is not complete centrally after that site's sync",
                m->uuid, m->site, sites[m->site].c[m->kase].ref);
    }
}

/* --- the interviewers ------------------------------------------------------ */

static void drop(struct actor *a, int keep_case)
{
    interview_free(a->iv);
    a->iv = NULL;
    a->m = -1;
    if (!keep_case)
        a->kase = -1;
}

static void renewed(struct site *s, int k)
{
    s->c[k].lease = now + LEASE_MIN * 60;
}

/* A write the model says is refused (not held): must be LOST, and write nothing. */
static void expect_lost(struct site *s, struct actor *a, int ok, const struct cati_error *err, long long dv0)
{
    if (ok)
        bad("%s's write went through on case %s the model says they do not hold", a->who.login,
            s->c[a->kase].ref);
    if (err->kind != CATI_ERR_LOST)
        bad("%s's write on a case not held was refused, but not as lost: %s", a->who.login, err->msg);
    if (data_version(s->obs) != dv0)
        bad("%s's refused write changed the database", a->who.login);
    n_lost++;
}

static void expect_nothing_written(struct site *s, long long dv0, const char *why)
{
    if (data_version(s->obs) != dv0)
        bad("a refused write (%s) changed the database", why);
    n_refused++;
}

/* A new miv for interview id on case k. */
static int new_miv(struct site *s, int si, int k, long long id)
{
    if (nivs == MAXIVS)
        die("more than %d interviews", MAXIVS);
    struct miv *m = &ivs[nivs];
    memset(m, 0, sizeof *m);
    m->site = si;
    m->kase = k;
    m->id = id;
    m->live = m->open = 1;
    m->done_step = -1;
    sqlite3_stmt *st = prep(s->obs, "SELECT uuid FROM interviews WHERE id = ?1");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        bad("interview %lld was started but is not in the database", id);
    cati_strlcpy(m->uuid, col(st, 0), sizeof m->uuid);
    sqlite3_finalize(st);
    return nivs++;
}

static void claim(struct site *s, int si, struct actor *a)
{
    struct queue_claim cl;
    struct cati_error err;
    int own = -1;
    for (int k = 0; k < s->nc; k++)
        if (held(s, k, &a->who))
            own = k;
    int rc = queue_claim_next(a->db, &cfg, &a->who, 0, &cl, &err);
    if (rc < 0)
        bad("claim by %s failed: %s", a->who.login, err.msg);
    if (own >= 0 && (rc != 1 || cl.case_id != s->c[own].id || !cl.resumed))
        bad("%s holds case %s, but the claim gave %lld (resumed %d)", a->who.login, s->c[own].ref,
            rc == 1 ? cl.case_id : 0, cl.resumed);
    if (!(rc == 1 && cl.resumed)) /* housekeeping: leases that ran out go back */
        for (int k = 0; k < s->nc; k++)
            if (s->c[k].holder && s->c[k].lease <= now)
                s->c[k].holder = 0;
    if (rc == 0) {
        for (int k = 0; k < s->nc; k++) {
            const struct mcase *c = &s->c[k];
            if (!c->final && !c->calls && !c->appointed && !c->holder)
                bad("nothing offered to %s (%s) while case %s is new and free", a->who.login, cl.reason, c->ref);
        }
        note_step("%s: nothing to claim (%s)", a->who.login, cl.reason);
        return;
    }
    int k = case_by_id(s, cl.case_id);
    struct mcase *c = &s->c[k];
    if (c->final)
        bad("%s claimed final case %s", a->who.login, c->ref);
    if (c->holder && c->holder != a->who.id && c->lease > now)
        bad("%s claimed case %s held by interviewer %lld until %lld", a->who.login, c->ref, c->holder,
            (long long)c->lease);
    c->holder = a->who.id;
    c->lease = now + LEASE_MIN * 60;
    a->kase = k;
    /* the console: its open interview is resumed where it stopped */
    long long open_id = 0;
    int r = interview_find_open(a->db, c->id, &open_id, &err);
    if (r < 0)
        bad("%s", err.msg);
    int want = c->live >= 0 && ivs[c->live].open ? c->live : -1;
    if ((r == 0) != (want >= 0) || (want >= 0 && open_id != ivs[want].id))
        bad("case %s: the open interview is %lld, the model says %lld", c->ref, r == 0 ? open_id : 0,
            want >= 0 ? ivs[want].id : 0);
    if (want >= 0 && rnd(8)) {
        if (interview_load(a->db, &cfg, &a->who, open_id, &a->iv, &err) < 0)
            bad("loading interview %lld: %s", open_id, err.msg);
        a->m = want;
    }
    (void)si;
    note_step("%s claims %s%s%s", a->who.login, c->ref, cl.resumed ? " (resumed)" : "",
              a->iv ? " and resumes its interview" : "");
}

static void start(struct site *s, int si, struct actor *a)
{
    struct mcase *c = &s->c[a->kase];
    int h = held(s, a->kase, &a->who);
    int busy = c->live >= 0 && (ivs[c->live].open || !strcmp(ivs[c->live].outcome, "complete"));
    note_step("%s starts an interview on %s%s", a->who.login, c->ref, h ? (busy ? " (has one)" : "") : " (not held)");
    long long dv0 = data_version(s->obs);
    struct cati_error err;
    cati_error_clear(&err);
    struct cati_interview *iv = NULL;
    int rc = interview_start(a->db, &cfg, &a->who, c->id, NULL, &iv, &err);
    if (!h) {
        expect_lost(s, a, rc == 0, &err, dv0);
        interview_free(iv);
        drop(a, 0);
        return;
    }
    if (busy) {
        if (rc == 0)
            bad("a second interview started on case %s beside %lld", c->ref, ivs[c->live].id);
        if (err.kind == CATI_ERR_LOST)
            bad("start refused as lost on a held case: %s", err.msg);
        expect_nothing_written(s, dv0, err.msg);
        return;
    }
    if (rc < 0)
        bad("start on %s refused: %s", c->ref, err.msg);
    if (c->live >= 0)
        ivs[c->live].live = 0;
    int m = new_miv(s, si, a->kase, interview_id(iv));
    c->live = m;
    renewed(s, a->kase);
    a->iv = iv;
    a->m = m;
}

/* An answer as typed: mostly valid and canonical, sometimes not. */
static const char *make_answer(const struct cati_question *q, char *buf, size_t size, int *confirm)
{
    *confirm = rnd(4) != 0;
    if (rnd(25) == 0)
        return "dk";
    if (rnd(40) == 0)
        return "rf";
    if (rnd(30) == 0)
        return q->type == QTYPE_TEXT ? "   " : "99";
    switch (q->type) {
    case QTYPE_SINGLE: {
        /* mostly go on (the first choice) so interviews reach their end */
        int i = rnd(4) ? 0 : (int)rnd((unsigned)q->nchoices);
        snprintf(buf, size, "%ld", q->choices[i].code);
        break;
    }
    case QTYPE_SCALE:
    case QTYPE_NUMBER:
        snprintf(buf, size, "%ld", q->lo + (long)rnd((unsigned)(q->hi - q->lo + 1 > 15 ? 15 : q->hi - q->lo + 1)));
        break;
    default:
        snprintf(buf, size, "%s", texts[rnd(sizeof texts / sizeof *texts)]);
        break;
    }
    return buf;
}

/* After a successful write through the interview: renewed, its stored end. */
static void iv_written(struct site *s, struct actor *a)
{
    renewed(s, a->kase);
    ivs[a->m].stored_end = interview_current(a->iv) ? END_NONE : interview_outcome(a->iv);
}

/* Is a's interview still the case's live open one (as the model has it)? */
static int iv_writable(const struct site *s, const struct actor *a)
{
    (void)s;
    return ivs[a->m].live && ivs[a->m].open;
}

static void answer(struct site *s, struct actor *a)
{
    const struct cati_question *q = interview_current(a->iv);
    struct mcase *c = &s->c[a->kase];
    char buf[128];
    int confirm;
    const char *in = q ? make_answer(q, buf, sizeof buf, &confirm) : "1";
    if (!q)
        confirm = 1;
    int h = held(s, a->kase, &a->who), w = iv_writable(s, a);
    note_step("%s answers %s on %s: '%s'%s%s", a->who.login, q ? q->name : "(ended)", c->ref, in,
              confirm ? "" : " unconfirmed", h ? "" : " (not held)");
    long long dv0 = data_version(s->obs);
    struct iv_feedback fb;
    struct cati_error err;
    cati_error_clear(&err);
    int rc = !strcmp(in, "dk") ? interview_dk(a->iv, confirm, &fb, &err)
             : !strcmp(in, "rf") ? interview_rf(a->iv, confirm, &fb, &err)
                                 : interview_answer(a->iv, in, confirm, &fb, &err);
    if (rc == IV_INVALID || rc == IV_CHECK || rc == IV_WARN) {
        expect_nothing_written(s, dv0, "an answer not accepted");
        return;
    }
    if (!h) {
        expect_lost(s, a, rc == IV_OK, &err, dv0);
        drop(a, 0);
        return;
    }
    if (!w) {
        if (rc == IV_OK)
            bad("an answer was saved into closed interview %lld", ivs[a->m].id);
        expect_nothing_written(s, dv0, err.msg);
        drop(a, 1);
        return;
    }
    if (rc != IV_OK)
        bad("answer on held case %s refused: %s", c->ref, err.msg);
    struct mans *ma = &ivs[a->m].a[q->index];
    if (!strcmp(in, "dk") || !strcmp(in, "rf")) {
        ma->status = in[0] == 'd' ? ANS_DK : ANS_RF;
        ma->value[0] = '\0';
    } else {
        ma->status = ANS_VALUE;
        cati_strlcpy(ma->value, in, sizeof ma->value);
    }
    n_answers++;
    iv_written(s, a);
}

static void back_or_forward(struct site *s, struct actor *a, int forward)
{
    struct mcase *c = &s->c[a->kase];
    int h = held(s, a->kase, &a->who), w = iv_writable(s, a);
    note_step("%s goes %s in %s%s", a->who.login, forward ? "forward" : "back", c->ref, h ? "" : " (not held)");
    const struct cati_question *q0 = interview_current(a->iv);
    enum cati_end e0 = interview_outcome(a->iv);
    long long dv0 = data_version(s->obs);
    struct cati_error err;
    cati_error_clear(&err);
    int rc = forward ? interview_forward(a->iv, &err) : interview_back(a->iv, &err);
    int moved = rc == 0 && (interview_current(a->iv) != q0 || interview_outcome(a->iv) != e0 || !forward);
    if (rc == 1 || (rc == 0 && !moved)) {
        if (data_version(s->obs) != dv0)
            bad("a move that went nowhere changed the database");
        return;
    }
    if (!h) {
        expect_lost(s, a, rc == 0, &err, dv0);
        drop(a, 0);
        return;
    }
    if (!w) {
        if (rc == 0)
            bad("a move was saved into closed interview %lld", ivs[a->m].id);
        expect_nothing_written(s, dv0, err.msg);
        drop(a, 1);
        return;
    }
    if (rc < 0)
        bad("moving in the interview on held case %s refused: %s", c->ref, err.msg);
    iv_written(s, a);
}

static void note(struct site *s, struct actor *a)
{
    struct mcase *c = &s->c[a->kase];
    int h = held(s, a->kase, &a->who);
    const char *text = rnd(4) ? "call after five; ask for Pema" : "";
    note_step("%s notes '%s' on %s%s", a->who.login, text, c->ref, h ? "" : " (not held)");
    long long dv0 = data_version(s->obs);
    struct cati_error err;
    cati_error_clear(&err);
    int rc = case_set_note(a->db, &cfg, c->id, &a->who, text, &err);
    if (!h) {
        expect_lost(s, a, rc == 0, &err, dv0);
        drop(a, 0);
        return;
    }
    if (rc < 0)
        bad("note on held case %s refused: %s", c->ref, err.msg);
    c->note = text[0] != '\0';
    renewed(s, a->kase);
}

static void renew(struct site *s, struct actor *a)
{
    struct mcase *c = &s->c[a->kase];
    int h = held(s, a->kase, &a->who);
    note_step("%s's console renews %s%s", a->who.login, c->ref, h ? "" : " (not held)");
    long long dv0 = data_version(s->obs);
    struct cati_error err;
    cati_error_clear(&err);
    int rc = case_renew(a->db, &cfg, c->id, &a->who, &err);
    if (!h) {
        expect_lost(s, a, rc == 0, &err, dv0);
        drop(a, 0);
        return;
    }
    if (rc < 0)
        bad("renewing held case %s refused: %s", c->ref, err.msg);
    renewed(s, a->kase);
}

static void release_own(struct site *s, struct actor *a)
{
    struct mcase *c = &s->c[a->kase];
    int h = held(s, a->kase, &a->who);
    note_step("%s releases %s%s", a->who.login, c->ref, h ? "" : " (not held)");
    long long dv0 = data_version(s->obs);
    struct cati_error err;
    cati_error_clear(&err);
    int was = -1;
    int rc = case_release(a->db, &cfg, c->id, &a->who, &was, &err);
    if (!h && c->final) {
        if (rc == 0)
            bad("%s released final case %s", a->who.login, c->ref);
        expect_nothing_written(s, dv0, err.msg);
    } else if (!h) {
        expect_lost(s, a, rc == 0, &err, dv0);
    } else {
        if (rc < 0)
            bad("%s could not release held case %s: %s", a->who.login, c->ref, err.msg);
        c->holder = 0;
    }
    drop(a, 0);
}

/* Record a call on case k by who (an interviewer with iv, or a supervisor)
 * and check it against what the model predicts. Returns 1 when recorded. */
static int record(struct site *s, int k, const struct cati_interviewer *who, sqlite3 *db, int sup,
                  struct cati_interview *iv, const char *outcome, unsigned flags, const char *given)
{
    struct mcase *c = &s->c[k];
    struct schedule_call call = {.outcome = outcome, .iv = iv, .flags = flags, .note = given};
    if (!strcmp(outcome, "appointment"))
        call.at = now + 60 * (10 + (time_t)rnd(600));
    /* the prediction */
    int lost = !sup && !held(s, k, who);
    int other = sup && c->final;
    const char *close_as = "";
    int mi = c->live, open = mi >= 0 && ivs[mi].open;
    if (!lost && !other) {
        enum cati_end end = END_NONE;
        if (open)
            end = iv && interview_id(iv) == ivs[mi].id ? interview_outcome(iv) : ivs[mi].stored_end;
        /* the supervisor's own note: the holder's pending one does not count */
        int has_note = given && *given;
        if (!strcmp(outcome, "complete")) {
            /* complete needs the live interview at its end, complete, as stored */
            if (end == END_COMPLETE && ivs[mi].stored_end == END_COMPLETE)
                close_as = "complete";
            else if (!(sup && has_note))
                other = 1;
        } else if (open) {
            if (end == END_COMPLETE)
                other = 1;
            else if (end != END_NONE)
                close_as = script_end_name(end);
            else if (!strcmp(outcome, "breakoff") || !strcmp(outcome, "partial"))
                close_as = "breakoff";
            else if (!strcmp(outcome, "refusal") || !strcmp(outcome, "soft-refusal"))
                close_as = "refusal";
        }
    }
    note_step("%s records %s on %s%s%s%s%s", who->login, outcome, c->ref, iv ? " with the interview" : "",
              sup ? " (supervisor)" : "", given ? " with a note" : "",
              lost ? " (not held)" : other ? " (to be refused)" : "");
    long long dv0 = data_version(s->obs);
    struct schedule_result res;
    struct cati_error err;
    cati_error_clear(&err);
    int rc = schedule_record(db, &cfg, c->id, who, &call, &res, &err);
    if (lost) {
        if (rc == 0)
            bad("%s recorded %s on case %s the model says they do not hold", who->login, outcome, c->ref);
        if (err.kind != CATI_ERR_LOST)
            bad("a call on a case not held was refused, but not as lost: %s", err.msg);
        expect_nothing_written(s, dv0, err.msg);
        n_lost++;
        return 0;
    }
    if (other) {
        if (rc == 0)
            bad("%s recorded %s on case %s: the model says it is refused (interview %lld %s, stored end %s)",
                who->login, outcome, c->ref, mi >= 0 ? ivs[mi].id : 0,
                mi >= 0 ? (ivs[mi].open ? "open" : ivs[mi].outcome) : "none",
                mi >= 0 ? script_end_name(ivs[mi].stored_end) : "");
        if (err.kind == CATI_ERR_LOST)
            bad("a call on a held case was refused as lost: %s", err.msg);
        expect_nothing_written(s, dv0, err.msg);
        return 0;
    }
    if (rc < 0)
        bad("%s could not record %s on case %s: %s", who->login, outcome, c->ref, err.msg);
    c->calls++;
    c->note = 0;
    if (!strcmp(outcome, "appointment"))
        c->appointed = 1;
    if (res.final) {
        c->final = 1;
        cati_strlcpy(c->disp, res.disposition, sizeof c->disp);
        if (!strcmp(outcome, "complete") != !strcmp(res.disposition, "1.1"))
            bad("a %s call made case %s final %s", outcome, c->ref, res.disposition);
    }
    if ((flags & SCHEDULE_KEEP_LEASE) && !res.final) {
        c->holder = who->id;
        c->lease = now + LEASE_MIN * 60;
    } else {
        c->holder = 0;
    }
    if (!*close_as && open && res.final)
        close_as = "breakoff"; /* the case ends: its open interview with it */
    if (*close_as) {
        struct miv *m = &ivs[mi];
        m->open = 0;
        cati_strlcpy(m->outcome, close_as, sizeof m->outcome);
        if (!strcmp(close_as, "complete")) {
            m->completed_at = now;
            m->done_step = step;
            n_completes++;
        }
    }
    return 1;
}

static const char *const no_iv_outcomes[] = {
    "no-answer", "busy", "answering-machine", "message-left", "not-available", "appointment",
    "refusal", "soft-refusal", "wrong-number", "language", "technical", "deceased", "ineligible",
    "complete", "no-answer", "busy"};
static const char *const mid_outcomes[] = {"breakoff", "partial", "refusal", "soft-refusal",
                                           "not-available", "appointment", "complete", "busy"};

static void interviewer_record(struct site *s, struct actor *a)
{
    const char *outcome;
    unsigned flags = 0;
    struct cati_interview *iv = a->iv && rnd(10) ? a->iv : NULL;
    if (a->iv && !interview_current(a->iv) && rnd(6)) {
        enum cati_end e = interview_outcome(a->iv);
        outcome = e == END_APPOINTMENT ? (rnd(2) ? "appointment" : "not-available") : fw_outcome_of(e);
    } else if (a->iv) {
        outcome = mid_outcomes[rnd(sizeof mid_outcomes / sizeof *mid_outcomes)];
    } else {
        outcome = no_iv_outcomes[rnd(sizeof no_iv_outcomes / sizeof *no_iv_outcomes)];
        if (rnd(4) == 0)
            flags |= SCHEDULE_KEEP_LEASE;
    }
    if (!strcmp(outcome, "appointment") && rnd(3) == 0)
        flags |= SCHEDULE_SOFT_APPOINTMENT;
    int ok = record(s, a->kase, &a->who, a->db, 0, iv, outcome, flags, rnd(5) ? NULL : "spoke to the son");
    if (!ok && a->iv && !held(s, a->kase, &a->who)) {
        drop(a, 0);
        return;
    }
    if (!ok)
        return;
    drop(a, (flags & SCHEDULE_KEEP_LEASE) && !s->c[a->kase].final);
}

static void interviewer_step(struct site *s, int si, struct actor *a)
{
    if (a->kase < 0) {
        claim(s, si, a);
        return;
    }
    struct mcase *c = &s->c[a->kase];
    unsigned r = rnd(100);
    if (!a->iv) {
        if (r < 45) {
            if (c->live >= 0 && ivs[c->live].open && rnd(3)) {
                struct cati_error err;
                note_step("%s resumes interview %lld on %s", a->who.login, ivs[c->live].id, c->ref);
                if (interview_load(a->db, &cfg, &a->who, ivs[c->live].id, &a->iv, &err) < 0)
                    bad("%s", err.msg);
                a->m = c->live;
            } else {
                start(s, si, a);
            }
        } else if (r < 75) {
            interviewer_record(s, a);
        } else if (r < 82) {
            note(s, a);
        } else if (r < 88) {
            renew(s, a);
        } else if (r < 94) {
            release_own(s, a);
        } else {
            note_step("%s walks away from %s (the console is killed)", a->who.login, c->ref);
            drop(a, 0);
        }
        return;
    }
    if (r < 66)
        answer(s, a);
    else if (r < 72)
        back_or_forward(s, a, 0);
    else if (r < 74)
        back_or_forward(s, a, 1);
    else if (r < 77) {
        static const enum cati_end ends[] = {END_BREAKOFF, END_REFUSAL, END_APPOINTMENT, END_COMPLETE};
        enum cati_end e = ends[rnd(4)];
        struct cati_error err;
        note_step("%s closes the interview on %s as %s (in memory)", a->who.login, c->ref, script_end_name(e));
        long long dv0 = data_version(s->obs);
        int rc = interview_close(a->iv, e, &err);
        if ((rc < 0) != (e == END_COMPLETE))
            bad("closing the interview as %s in memory: %s", script_end_name(e), rc < 0 ? err.msg : "accepted");
        if (data_version(s->obs) != dv0)
            bad("closing an interview in memory wrote to the database");
    } else if (r < 90)
        interviewer_record(s, a);
    else if (r < 93)
        note(s, a);
    else if (r < 96)
        renew(s, a);
    else if (r < 98)
        release_own(s, a);
    else {
        note_step("%s walks away from %s mid-interview (the console is killed)", a->who.login, c->ref);
        drop(a, 0);
    }
}

/* --- supervisors ------------------------------------------------------------ */

static void supervisor_step(struct site *s, int si)
{
    int k = (int)rnd((unsigned)s->nc);
    struct mcase *c = &s->c[k];
    struct cati_error err;
    cati_error_clear(&err);
    long long dv0 = data_version(s->obs);
    unsigned r = rnd(10);
    if (r < 4) {
        note_step("%s releases %s", s->sup.login, c->ref);
        int was = -1;
        int rc = case_release(s->supdb, &cfg, c->id, &s->sup, &was, &err);
        if (c->final) {
            if (rc == 0)
                bad("a supervisor released final case %s", c->ref);
            expect_nothing_written(s, dv0, err.msg);
            return;
        }
        if (rc < 0)
            bad("supervisor's release of %s refused: %s", c->ref, err.msg);
        if (was != (c->holder != 0))
            bad("release of %s: was claimed %d, the model says holder %lld", c->ref, was, c->holder);
        c->holder = 0;
    } else if (r < 5) {
        int p = (int)rnd(6) - 2;
        note_step("%s sets priority %d on %s", s->sup.login, p, c->ref);
        if (case_set_priority(s->supdb, c->id, p, &s->sup, &err) < 0)
            bad("priority on %s refused: %s", c->ref, err.msg);
    } else if (r < 7) {
        time_t at = now + 60 * (1 + (time_t)rnd(180));
        long long with = rnd(2) ? s->a[rnd((unsigned)s->na)].who.id : 0;
        note_step("%s books an appointment on %s in %lld min%s", s->sup.login, c->ref,
                  (long long)(at - now) / 60, with ? " (hard)" : "");
        int rc = case_appoint(s->supdb, &cfg, c->id, at, with, &s->sup, &err);
        if (c->final || (c->holder && c->holder != s->sup.id && c->lease > now)) {
            /* final, or held: the holder's next call would replace it */
            if (rc == 0)
                bad("an appointment was booked on %s case %s", c->final ? "final" : "held", c->ref);
            expect_nothing_written(s, dv0, err.msg);
            return;
        }
        if (rc < 0)
            bad("appointment on %s refused: %s", c->ref, err.msg);
        c->appointed = 1;
    } else {
        static const char *const outs[] = {"refusal", "busy", "not-available", "deceased", "appointment",
                                           "complete"};
        /* 'complete' with a note: known open issue centrally (see known) */
        const char *o = outs[rnd(sizeof outs / sizeof *outs - !known)];
        record(s, k, &s->sup, s->supdb, 1, NULL, o, SCHEDULE_ANY_HOLDER, rnd(2) ? "taken on paper" : NULL);
    }
    (void)si;
}

/* --- sync -------------------------------------------------------------------- */

struct abort_at { long long batch; int hit; };

static int on_batch(void *ctx, long long batch, long long done)
{
    struct abort_at *ab = ctx;
    (void)done;
    if (ab->batch && batch >= ab->batch) {
        ab->hit = 1;
        return 1;
    }
    return 0;
}

static void sync_step(int si, int clean)
{
    struct site *s = &sites[si];
    struct abort_at ab = {clean || rnd(5) ? 0 : 1 + (long long)rnd(3), 0};
    struct sync_options o = {.site_name = si ? "site-b" : "site-a", .login = "hq",
                             .batch_cases = 1 + (int)rnd(4), .full = !clean && rnd(10) == 0,
                             .on_batch = on_batch, .ctx = &ab};
    note_step("sync site %d to central%s%s", si, o.full ? " (full)" : "", ab.batch ? " (killed at a batch)" : "");
    struct sync_result res;
    struct cati_error err;
    int rc = sync_run(s->obs, s->path, central.db, &o, &res, &err);
    if (rc < 0 && !ab.hit)
        bad("sync of site %d failed: %s", si, err.msg);
    if (rc == 0 && ab.hit)
        bad("sync of site %d went on after its batch was refused", si);
    if (rc == 0) {
        s->last_sync = step;
        n_syncs++;
    }
    compare_central();
}

static void keep_step(void)
{
    sqlite3_stmt *st = prep(central.obs, "SELECT uuid FROM interviews WHERE state = 'duplicate' ORDER BY uuid");
    char list[64][37];
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 64)
        cati_strlcpy(list[n++], col(st, 0), sizeof list[0]);
    sqlite3_finalize(st);
    if (!n) {
        note_step("no duplicate to keep centrally");
        return;
    }
    const char *uuid = list[rnd((unsigned)n)];
    struct miv *m = iv_by_uuid(uuid);
    if (!m)
        bad("central duplicate %s comes from no site", uuid);
    note_step("hq keeps %s for %s centrally", uuid, sites[m->site].c[m->kase].ref);
    struct cati_error err;
    int rc = sync_conflicts_keep(central.db, "hq", uuid, &err);
    if (rc != 0)
        bad("keeping duplicate %s: %d %s", uuid, rc, rc < 0 ? err.msg : "");
    cati_strlcpy(central.keep[ref_no(sites[m->site].c[m->kase].ref)], uuid, 37);
    compare_central();
}

/* --- nightly exports ------------------------------------------------------------- */

static int is_live_complete(struct xchain *x, const char *uuid)
{
    struct miv *m = iv_by_uuid(uuid);
    if (!m || m->open || !m->live || strcmp(m->outcome, "complete"))
        return 0;
    if (x != &central.x)
        return x == &sites[m->site].x;
    return !strcmp(central.live[ref_no(sites[m->site].c[m->kase].ref)], uuid);
}

static void on_settled(void *ctx, const char *survey, const char *dir, long long rows, int delivered)
{
    struct xchain *x = ctx;
    (void)survey;
    if (!x->pending || strcmp(dir, x->pdir))
        bad("settled %s, the model waits for %s", dir, x->pending ? x->pdir : "nothing");
    if (rows != x->npu)
        bad("settled %s with %lld rows, the export had %d", dir, rows, x->npu);
    if (delivered)
        for (int i = 0; i < x->npu; i++) {
            struct dl *d = dl_get(x, x->pu[i]);
            if (x->pgen[i] != d->gen)
                continue; /* delivered before it became the case's interview again */
            if (++d->since_live > 1)
                bad("interview %s delivered a second time (in %s)", x->pu[i], dir);
            n_delivered++;
        }
    x->pending = 0;
}

static void settle(struct xchain *x)
{
    struct cati_error err;
    int was = x->pending;
    int n = export_settle(x->db, x->login, on_settled, x, &err);
    if (n < 0)
        bad("settle: %s", err.msg);
    if (n != was)
        bad("settle settled %d exports, the model had %d pending", n, was);
}

struct snap_ctx { int site; };

static void site_step(int si);

static void on_snapshot(void *ctx)
{
    struct snap_ctx *sc = ctx;
    if (sc->site >= 0) { /* an interviewer works while the export reads */
        char saved[400];
        cati_strlcpy(saved, what, sizeof saved);
        site_step(sc->site);
        snprintf(what, sizeof what, "%.400s, while exporting", saved);
    }
}

static void read_exported(struct xchain *x, const char *dir)
{
    char path[800];
    snprintf(path, sizeof path, "%s/mini.sqlite", dir);
    sqlite3 *e;
    if (sqlite3_open_v2(path, &e, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        bad("cannot open the export %s", path);
    sqlite3_stmt *st = prep(e, "SELECT interview_uuid, outcome FROM interviews");
    x->npu = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        x->pu = realloc(x->pu, (size_t)(x->npu + 1) * sizeof *x->pu);
        x->pgen = realloc(x->pgen, (size_t)(x->npu + 1) * sizeof *x->pgen);
        if (!x->pu || !x->pgen)
            die("out of memory");
        cati_strlcpy(x->pu[x->npu], col(st, 0), 37);
        x->pgen[x->npu] = dl_get(x, x->pu[x->npu])->gen;
        if (strcmp(col(st, 1), "complete"))
            bad("export %s has interview %s with outcome %s", dir, col(st, 0), col(st, 1));
        if (!is_live_complete(x, x->pu[x->npu]))
            bad("export %s has interview %s that is not a live complete there", dir, x->pu[x->npu]);
        for (int i = 0; i < x->npu; i++)
            if (!strcmp(x->pu[i], x->pu[x->npu]))
                bad("export %s has interview %s twice", dir, x->pu[i]);
        x->npu++;
    }
    sqlite3_finalize(st);
    sqlite3_close(e);
}

/* Remove a folder of files (an export's .partial folder). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die("opendir %s: %s", dir, strerror(errno));
    struct dirent *e;
    char p[1400];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (unlink(p) < 0)
                die("unlink %s: %s", p, strerror(errno));
        }
    closedir(d);
    if (rmdir(dir) < 0)
        die("rmdir %s: %s", dir, strerror(errno));
}

struct settle_probe { int n; };

static void probe_settled(void *ctx, const char *survey, const char *dir, long long rows, int delivered)
{
    (void)survey, (void)dir, (void)rows, (void)delivered;
    ((struct settle_probe *)ctx)->n++;
}

/* One nightly run on chain x (site si, or -1 for central). */
static void nightly(struct xchain *x, int si, int clean)
{
    int skip_settle = !clean && rnd(8) == 0;
    unsigned fault = clean ? 0 : rnd(10);
    note_step("nightly export of %s%s%s", si >= 0 ? (si ? "site 1" : "site 0") : "central",
              skip_settle ? " (no settle first)" : "",
              fault < 6 ? "" : fault < 8 ? " (killed before the rename)" : fault < 9 ? " (killed before settling)"
                                                                                    : " (killed before both)");
    if (si < 0 && q_int(central.obs, "SELECT count(*) FROM surveys WHERE name = 'mini'", 0) == 0) {
        note_step("nightly export of central: nothing synced yet");
        return;
    }
    if (!skip_settle)
        settle(x);
    char tmp[700], dest[700];
    x->runs++;
    snprintf(tmp, sizeof tmp, "%s/.n%04d.partial", x->dir, x->runs);
    snprintf(dest, sizeof dest, "%s/n%04d", x->dir, x->runs);
    struct snap_ctx sc = {si >= 0 && !clean && rnd(3) == 0 ? si : -1};
    struct export_options o = {.survey = "mini", .dir = tmp, .format = EXPORT_SQLITE, .since_last = 1,
                               .login = x->login, .deliver_to = dest, .on_snapshot = on_snapshot, .ctx = &sc};
    struct export_result res;
    struct cati_error err;
    int rc = export_run(x->db, &o, &res, &err);
    if (x->pending) {
        if (rc != EXPORT_FAILED)
            bad("a since-last export ran while %s was not settled", x->pdir);
        return;
    }
    if (rc != EXPORT_OK)
        bad("export failed: %s", err.msg);
    cati_strlcpy(x->pdir, dest, sizeof x->pdir);
    x->pending = 1;
    read_exported(x, tmp);
    if (res.interviews != x->npu)
        bad("export says %lld interviews, its file has %d", res.interviews, x->npu);
    if (fault < 6 || fault == 8) {
        if (rename(tmp, dest) < 0)
            bad("rename %s: %s", tmp, strerror(errno));
    } else {
        /* killed before the rename: the next run, holding the lock, removes
         * what it left before it settles (a settle meanwhile leaves an
         * export whose folder is still being written pending) */
        struct settle_probe pr = {0};
        struct cati_error e2;
        if (export_settle(x->db, x->login, probe_settled, &pr, &e2) < 0 || pr.n)
            bad("a settle while %s is still there settled %d exports", tmp, pr.n);
        remove_tree(tmp);
    }
    if (fault < 8)
        settle(x);
}

/* --- the walk ------------------------------------------------------------------ */

static void site_step(int si)
{
    struct site *s = &sites[si];
    struct actor *a = &s->a[rnd((unsigned)s->na)];
    interviewer_step(s, si, a);
}

static void clock_step(void)
{
    unsigned r = rnd(100);
    time_t d = r < 70 ? 5 + (time_t)rnd(55) : r < 95 ? 120 + (time_t)rnd(360)
                                    : r < 99 ? 1800 + (time_t)rnd(9000) : 86400 + (time_t)rnd(86400);
    now += d;
    cati_clock_set(now);
    note_step("the clock moves %lld s", (long long)d);
}

static void open_db(const char *path, sqlite3 **db)
{
    struct cati_error err;
    if (db_open(path, DB_OPEN_EXISTING, cfg.busy_timeout_ms, db, &err) < 0)
        die("%s", err.msg);
}

static void setup_site(int si, const struct cati_script *script)
{
    struct site *s = &sites[si];
    struct cati_error err;
    snprintf(s->path, sizeof s->path, "%s/site%d.db", root, si);
    sqlite3 *db;
    if (db_open(s->path, DB_OPEN_CREATE, cfg.busy_timeout_ms, &db, &err) < 0 || db_migrate(db, NULL, &err) < 0)
        die("%s", err.msg);
    static const char *const logins[NSITES][4] = {{"sup-a", "a1", "a2", "a3"}, {"sup-b", "b1", "b2", NULL}};
    for (int i = 0; i < 4 && logins[si][i]; i++)
        if (account_add(db, logins[si][i], "", i ? ROLE_INTERVIEWER : ROLE_SUPERVISOR, "en,dz", "refusal",
                        &err) < 0)
            die("%s", err.msg);
    struct script_stored stored;
    if (script_store(db, script, logins[si][0], &stored, &err) < 0)
        die("%s", err.msg);
    /* site 0 has R1..R30; site 1 R31..R60, or (known) R16..R45:
     * R16..R30 are then called at both */
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "ref,name,phone,service,agency,availed_on\n");
    int first = 1 + (known ? 15 : 30) * si;
    for (int r = first; r < first + 30; r++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "R%d,Respondent %d,17%06d,cid_new,DCRC,2026-10-01\n", r, r,
                              r * 7 + si);
    FILE *in = fmemopen(csv, o, "r");
    if (!in || sample_import(db, &cfg, "mini", in, "sample.csv", logins[si][0], NULL, NULL, NULL, &err) != SAMPLE_OK)
        die("sample: %s", err.msg);
    fclose(in);
    db_close(db);

    open_db(s->path, &s->obs);
    open_db(s->path, &s->supdb);
    if (account_find(s->supdb, logins[si][0], &s->sup, &err) < 0)
        die("%s", err.msg);
    s->na = 0;
    for (int i = 1; i < 4 && logins[si][i]; i++) {
        struct actor *a = &s->a[s->na++];
        a->site = si;
        a->kase = a->m = -1;
        open_db(s->path, &a->db);
        if (account_find(a->db, logins[si][i], &a->who, &err) < 0)
            die("%s", err.msg);
    }
    sqlite3_stmt *st = prep(s->obs, "SELECT id, ref FROM cases ORDER BY id");
    while (sqlite3_step(st) == SQLITE_ROW && s->nc < MAXCASES) {
        struct mcase *c = &s->c[s->nc++];
        c->id = sqlite3_column_int64(st, 0);
        cati_strlcpy(c->ref, col(st, 1), sizeof c->ref);
        c->live = -1;
    }
    sqlite3_finalize(st);
    s->last_sync = -1;
    open_db(s->path, &s->x.db);
    s->x.login = logins[si][0];
    snprintf(s->x.dir, sizeof s->x.dir, "%s/exports-%d", root, si);
    mkdir(s->x.dir, 0777);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        die("usage: model DIR [SEED [STEPS]]");
    root = argv[1];
    const char *e = getenv("CATI_MODEL_SEED");
    seed = argc > 2 ? strtoull(argv[2], NULL, 10) : e && *e ? strtoull(e, NULL, 10) : (unsigned long long)getpid();
    e = getenv("CATI_MODEL_STEPS");
    steps = argc > 3 ? atol(argv[3]) : e && *e ? atol(e) : 3000;
    verbose = getenv("CATI_MODEL_VERBOSE") && !strcmp(getenv("CATI_MODEL_VERBOSE"), "1");
    known = !(getenv("CATI_MODEL_KNOWN") && !strcmp(getenv("CATI_MODEL_KNOWN"), "0"));
    rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!rng)
        rng = 1;
    snprintf(what, sizeof what, "setting up");

    config_defaults(&cfg);
    cfg.busy_timeout_ms = 2000;
    cfg.nhours = 1;
    cfg.hours[0].start = 0;
    cfg.hours[0].end = 24 * 60;
    cfg.days = 0x7f;
    static const int leases[] = {2, 5, 20};
    lease_min = leases[rnd(3)];
    cfg.lease_minutes = lease_min;
    cfg.max_attempts = 2 + (int)rnd(7);
    cfg.max_attempts_per_number = 1 + (int)rnd(6);
    cfg.retry_busy = 5;
    cfg.retry_no_answer = cfg.retry_answering_machine = 30;
    cfg.retry_message_left = 60;
    cfg.retry_not_available = 20;
    cfg.retry_soft_refusal = 120;
    cfg.retry_technical = cfg.retry_language = 10;
    now = cati_mktime_tz("Asia/Thimphu", 2026, 11, 23, 10, 0);
    cati_clock_set(now);

    struct script_diags diags = {0};
    struct cati_script *script = script_parse("mini.cati", script_src, sizeof script_src - 1, &diags);
    if (!script)
        die("the test's questionnaire does not parse (%d errors)", diags.n);
    script_diags_free(&diags);
    for (int si = 0; si < NSITES; si++)
        setup_site(si, script);
    script_free(script);

    struct cati_error err;
    int created;
    snprintf(central.path, sizeof central.path, "%s/central.db", root);
    if (sync_open_central(central.path, cfg.busy_timeout_ms, NULL, &central.db, &created, &err) < 0 ||
        account_add(central.db, "hq", "Head office", ROLE_ADMIN, "en", "", &err) < 0)
        die("central: %s", err.msg);
    open_db(central.path, &central.obs);
    open_db(central.path, &central.x.db);
    central.x.login = "hq";
    snprintf(central.x.dir, sizeof central.x.dir, "%s/exports-central", root);
    mkdir(central.x.dir, 0777);

    for (step = 1; step <= steps; step++) {
        unsigned r = rnd(100);
        int si = (int)rnd(NSITES);
        if (r < 74) {
            site_step(si);
            compare_site(si);
        } else if (r < 80) {
            supervisor_step(&sites[si], si);
            compare_site(si);
        } else if (r < 88) {
            clock_step();
        } else if (r < 93) {
            sync_step(si, 0);
        } else if (r < 94) {
            keep_step();
        } else {
            int which = (int)rnd(NSITES + 1);
            if (which < NSITES) {
                nightly(&sites[which].x, which, 0);
                compare_site(which);
            } else {
                nightly(&central.x, -1, 0);
            }
        }
        if (step % 25 == 0) {
            for (int i = 0; i < NSITES; i++)
                compare_site(i);
            compare_central();
        }
    }

    /* the end: every site synced, a clean nightly run everywhere; every
     * live complete has then been delivered exactly once */
    step = steps + 1;
    for (int si = 0; si < NSITES; si++) {
        sync_step(si, 1);
        nightly(&sites[si].x, si, 1);
        settle(&sites[si].x);
        compare_site(si);
    }
    nightly(&central.x, -1, 1);
    settle(&central.x);
    compare_central();
    snprintf(what, sizeof what, "the end: every live complete delivered once");
    long long live_completes = 0;
    for (int i = 0; i < nivs; i++) {
        struct miv *m = &ivs[i];
        if (!m->live || m->open || strcmp(m->outcome, "complete"))
            continue;
        live_completes++;
        if (dl_get(&sites[m->site].x, m->uuid)->since_live != 1)
            bad("interview %s (site %d, %s) was delivered %d times by its site", m->uuid, m->site,
                sites[m->site].c[m->kase].ref, dl_get(&sites[m->site].x, m->uuid)->since_live);
    }
    int central_live = 0;
    for (int r = 1; r < MAXREF; r++) {
        if (!central.live[r][0])
            continue;
        central_live++;
        if (dl_get(&central.x, central.live[r])->since_live != 1)
            bad("central interview %s of R%d was delivered %d times since it became the case's", central.live[r],
                r, dl_get(&central.x, central.live[r])->since_live);
    }
    printf("model: seed %llu: %ld steps ok: %d interviews, %lld answers, %lld completes (%lld live at the sites,"
           " %d centrally), %lld lost writes refused, %lld other refusals, %lld syncs, %lld deliveries,"
           " %lld checks\n",
           seed, steps, nivs, n_answers, n_completes, live_completes, central_live, n_lost, n_refused, n_syncs,
           n_delivered, n_checks);
    return 0;
}
