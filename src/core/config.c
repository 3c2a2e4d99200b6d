#include "cati/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <iniparser.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cati/priv.h"
#include "cati/sample.h"
#include "cati/util.h"

/* The system configuration's directory: the Makefile's SYSCONFDIR. */
#ifndef CATI_SYSCONFDIR
#define CATI_SYSCONFDIR "/etc/cati"
#endif
#define SYSTEM_CONFIG CATI_SYSCONFDIR "/cati.ini"

enum key_type { K_INT, K_BOOL, K_STR, K_HOURS, K_DAYS, K_SLOTS, K_TZ, K_RATE, K_DIGITS };

struct key {
    const char *name;   /* section:key */
    enum key_type type;
    size_t off;         /* into struct cati_config; for K_HOURS etc. the parsed target */
    size_t size;        /* K_STR: buffer size */
    const char *def;
    long min, max;
    const char *doc;
};

#define OFF(f) offsetof(struct cati_config, f)
#define STR(f) OFF(f), sizeof(((struct cati_config *)0)->f)

static const struct key keys[] = {
    {"database:path", K_STR, STR(db_path), "./cati.db", 0, 0,
     "The SQLite database file. Overridden by -d. Must be on a local disk."},
    {"database:busy_timeout_ms", K_INT, OFF(busy_timeout_ms), 0, "5000", 100, 600000,
     "How long to wait for another process's write lock before reporting the database busy."},
    {"calling:hours", K_HOURS, OFF(hours), 0, "09:00-13:00, 14:00-18:00", 0, 0,
     "Calling windows in the respondent's time zone, comma separated; 00:00-24:00 means any time."},
    {"calling:days", K_DAYS, OFF(days), 0, "mon-sat", 0, 0,
     "Calling days: ranges and lists of mon tue wed thu fri sat sun, e.g. mon-fri,sun."},
    {"calling:timezone", K_TZ, STR(timezone), "Asia/Thimphu", 0, 0,
     "Time zone of respondents whose sample row gives none: an IANA name checked as sample rows are (a zone file of the tz database; a directory such as Asia is an error)."},
    {"calling:slots", K_SLOTS, OFF(slots), 0,
     "morning 09:00-12:00, afternoon 12:00-17:00, evening 17:00-21:00", 0, 0,
     "Named time slots; retries rotate to the slot in which the case was tried least."},
    {"calling:max_attempts", K_INT, OFF(max_attempts), 0, "8", 1, 99,
     "Call attempts after which a case is finalised, keeping the most specific code its calls "
     "established (see cati(1), Call outcomes)."},
    {"calling:max_attempts_per_number", K_INT, OFF(max_attempts_per_number), 0, "6", 1, 99,
     "Attempts on one phone number before moving to the case's next number."},
    {"calling:lease_minutes", K_INT, OFF(lease_minutes), 0, "20", 1, 1440,
     "How long a claimed case stays locked to its console without renewal."},
    {"calling:country_code", K_DIGITS, STR(country_code), "975", 1, 999,
     "Country calling code added to sample phone numbers given without one."},
    {"retry:busy", K_INT, OFF(retry_busy), 0, "15", 1, 100000, "Minutes before retrying a busy line."},
    {"retry:no_answer", K_INT, OFF(retry_no_answer), 0, "180", 1, 100000,
     "Minutes before retrying after no answer."},
    {"retry:answering_machine", K_INT, OFF(retry_answering_machine), 0, "180", 1, 100000,
     "Minutes before retrying after an answering machine."},
    {"retry:message_left", K_INT, OFF(retry_message_left), 0, "1440", 1, 100000,
     "Minutes before retrying after leaving a message."},
    {"retry:not_available", K_INT, OFF(retry_not_available), 0, "120", 1, 100000,
     "Minutes before retrying when the respondent was not available."},
    {"retry:soft_refusal", K_INT, OFF(retry_soft_refusal), 0, "10080", 1, 100000,
     "Minutes before a refusal-conversion attempt after a soft refusal."},
    {"retry:technical", K_INT, OFF(retry_technical), 0, "60", 1, 100000,
     "Minutes before retrying after a technical problem on the line."},
    {"retry:language", K_INT, OFF(retry_language), 0, "60", 1, 100000,
     "Minutes before an interviewer with the right language retries."},
    {"retry:refusal_conversion", K_BOOL, OFF(refusal_conversion), 0, "yes", 0, 1,
     "Whether a soft refusal gets one conversion attempt (by an interviewer with the refusal skill)."},
    {"appointments:hold_minutes", K_INT, OFF(hold_minutes), 0, "15", 0, 1440,
     "How long a hard appointment waits for the interviewer who booked it before anyone may take it."},
    {"appointments:missed_minutes", K_INT, OFF(missed_minutes), 0, "60", 1, 10080,
     "An appointment not kept this many minutes after its time is marked missed."},
    {"interview:partial_percent", K_INT, OFF(partial_percent), 0, "50", 1, 100,
     "A broken-off interview with at least this share of its route answered counts as partial (1.2)."},
    {"rates:e", K_RATE, OFF(rates_e), 0, "estimate", 0, 1,
     "Share of unknown-eligibility cases assumed eligible in RR3/RR4/REF2/CON2 (0..1), or 'estimate'."},
    {"monitor:refresh_seconds", K_INT, OFF(refresh_seconds), 0, "5", 1, 3600,
     "How often the supervisor monitor refreshes itself."},
    {"monitor:idle_minutes", K_INT, OFF(idle_minutes), 0, "10", 1, 1440,
     "An interviewer idle this long is highlighted in the monitor."},
    {"security:allow_user_override", K_BOOL, OFF(allow_user_override), 0, "no", 0, 1,
     "Let CATI_USER (and CATI_NOW) override the login and clock: for tests and demos only; "
     "never honoured by a set-group-ID cati (cati(1) SECURITY)."},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* Split on commas into trimmed items; calls fn for each. */
static int each_item(const char *text, int (*fn)(const char *item, void *ctx), void *ctx)
{
    char buf[1024];
    cati_strlcpy(buf, text, sizeof buf);
    char *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok = (char *)skip_space(tok);
        char *end = tok + strlen(tok);
        while (end > tok && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (!*tok || fn(tok, ctx) < 0)
            return -1;
        n++;
    }
    return n ? 0 : -1;
}

static int parse_range(const char *s, int *a, int *b)
{
    char x[8], y[8];
    int n = 0;
    if (sscanf(s, "%5[0-9:]-%5[0-9:]%n", x, y, &n) != 2 || s[n])
        return -1;
    if (cati_parse_hhmm(x, a) < 0 || cati_parse_hhmm(y, b) < 0 || *a == *b)
        return -1;
    return 0;
}

struct windows_ctx { struct cati_window *w; int *n; int max; };

static int add_window(const char *item, void *vctx)
{
    struct windows_ctx *c = vctx;
    int a, b;
    if (*c->n >= c->max || parse_range(item, &a, &b) < 0)
        return -1;
    c->w[*c->n].start = a; /* end < start means the window runs past midnight */
    c->w[(*c->n)++].end = b;
    return 0;
}

static int day_index(const char *s, size_t len)
{
    for (int i = 0; i < 7; i++)
        if (len == 3 && strncasecmp(s, day_names[i], 3) == 0)
            return i;
    return -1;
}

static int add_days(const char *item, void *vctx)
{
    unsigned *mask = vctx;
    const char *dash = strchr(item, '-');
    int a = day_index(item, dash ? (size_t)(dash - item) : strlen(item));
    int b = dash ? day_index(dash + 1, strlen(dash + 1)) : a;
    if (a < 0 || b < 0)
        return -1;
    for (int d = a;; d = (d + 1) % 7) {
        *mask |= 1u << d;
        if (d == b)
            break;
    }
    return 0;
}

struct slots_ctx { struct cati_config *cfg; };

static int add_slot(const char *item, void *vctx)
{
    struct cati_config *cfg = ((struct slots_ctx *)vctx)->cfg;
    char name[32], range[32];
    int n = 0;
    if (cfg->nslots >= CATI_MAX_SLOTS || sscanf(item, "%31s %31s%n", name, range, &n) != 2 ||
        *skip_space(item + n))
        return -1;
    struct cati_slot *s = &cfg->slots[cfg->nslots];
    if (parse_range(range, &s->start, &s->end) < 0)
        return -1;
    cati_strlcpy(s->name, name, sizeof s->name);
    cfg->nslots++;
    return 0;
}

/* Parse value for key k into cfg; on failure write why into why. */
static int set_key(struct cati_config *cfg, const struct key *k, const char *value, char *why,
                   size_t whysize)
{
    char *base = (char *)cfg;
    long v;
    switch (k->type) {
    case K_INT:
        if (cati_parse_long(value, &v) < 0 || v < k->min || v > k->max) {
            snprintf(why, whysize, "must be %ld..%ld", k->min, k->max);
            return -1;
        }
        *(int *)(base + k->off) = (int)v;
        return 0;
    case K_BOOL:
        if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1") ||
            !strcasecmp(value, "on"))
            *(int *)(base + k->off) = 1;
        else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0") ||
                 !strcasecmp(value, "off"))
            *(int *)(base + k->off) = 0;
        else {
            snprintf(why, whysize, "must be yes or no");
            return -1;
        }
        return 0;
    case K_STR:
        if (!*value || strlen(value) >= k->size) {
            snprintf(why, whysize, "must be 1..%zu characters", k->size - 1);
            return -1;
        }
        cati_strlcpy(base + k->off, value, k->size);
        return 0;
    case K_DIGITS: {
        const char *d = value[0] == '+' ? value + 1 : value;
        if (cati_parse_long(d, &v) < 0 || v < k->min || v > k->max) {
            snprintf(why, whysize, "must be a country calling code (1..999)");
            return -1;
        }
        snprintf(base + k->off, k->size, "%ld", v);
        return 0;
    }
    case K_TZ:
        if (!cati_timezone_valid(value)) {
            snprintf(why, whysize, "must be a time zone name such as Asia/Thimphu");
            return -1;
        }
        cati_strlcpy(base + k->off, value, k->size);
        return 0;
    case K_HOURS: {
        struct cati_window w[CATI_MAX_WINDOWS];
        int n = 0;
        struct windows_ctx c = {w, &n, CATI_MAX_WINDOWS};
        if (each_item(value, add_window, &c) < 0) {
            snprintf(why, whysize, "must be windows like 09:00-13:00, 14:00-18:00");
            return -1;
        }
        memcpy(cfg->hours, w, sizeof w);
        cfg->nhours = n;
        return 0;
    }
    case K_DAYS: {
        unsigned mask = 0;
        if (each_item(value, add_days, &mask) < 0) {
            snprintf(why, whysize, "must be days like mon-sat or mon,wed,fri");
            return -1;
        }
        cfg->days = mask;
        return 0;
    }
    case K_SLOTS: {
        struct cati_config tmp = *cfg;
        tmp.nslots = 0;
        struct slots_ctx c = {&tmp};
        if (each_item(value, add_slot, &c) < 0) {
            snprintf(why, whysize, "must be named slots like morning 09:00-12:00, evening 17:00-21:00");
            return -1;
        }
        memcpy(cfg->slots, tmp.slots, sizeof cfg->slots);
        cfg->nslots = tmp.nslots;
        return 0;
    }
    case K_RATE: {
        if (!strcasecmp(value, "estimate")) {
            cfg->rates_e = -1;
            return 0;
        }
        char *end;
        double d = strtod(value, &end);
        if (end == value || *skip_space(end) || !(d >= 0 && d <= 1)) { /* NaN fails both */
            snprintf(why, whysize, "must be a number 0..1 or 'estimate'");
            return -1;
        }
        cfg->rates_e = d;
        return 0;
    }
    }
    return -1;
}

void config_defaults(struct cati_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    char why[128];
    for (size_t i = 0; i < NKEYS; i++)
        set_key(cfg, &keys[i], keys[i].def, why, sizeof why);
}

static const struct key *find_key(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].name, name))
            return &keys[i];
    return NULL;
}

static int quiet_errback(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

/* The 1-based line of FILE that sets SECKEY ("section:key", lower case, as
 * iniparser names it; the last such line wins, as in iniparser), or with
 * SECKEY NULL the first line iniparser cannot parse; 0 when not found.
 * raw (may be NULL) gets the key as written on that line, case kept
 * (iniparser lowers it). */
static int ini_find(const char *path, const char *seckey, char *raw, size_t rawsize)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[1100], sec[256] = "";
    int n = 0, found = 0;
    while (fgets(buf, sizeof buf, f)) {
        n++;
        char *p = buf, *e = buf + strlen(buf);
        while (*p && isspace((unsigned char)*p))
            p++;
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*p || *p == ';' || *p == '#')
            continue;
        if (*p == '[') {
            if (e[-1] != ']') {
                if (!seckey) {
                    found = n;
                    break;
                }
                continue;
            }
            snprintf(sec, sizeof sec, "%.*s", (int)(e - p - 2), p + 1);
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq) {
            if (!seckey) {
                found = n;
                break;
            }
            continue;
        }
        if (!seckey)
            continue;
        while (eq > p && isspace((unsigned char)eq[-1]))
            eq--;
        char name[600];
        snprintf(name, sizeof name, "%s:%.*s", sec, (int)(eq - p), p);
        for (char *c = name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (!strcmp(name, seckey)) {
            found = n;
            if (raw)
                snprintf(raw, rawsize, "%.*s", (int)(eq - p), p);
        }
    }
    fclose(f);
    return found;
}

static int ini_line(const char *path, const char *seckey)
{
    return ini_find(path, seckey, NULL, 0);
}

/* A quota key FIELD.VALUE: FIELD, a sample column name, in lower case;
 * VALUE as written in the file (iniparser lowers keys: the raw key is read
 * back from the line that sets it). Which fields the samples have is
 * checked against the database (quota_check_db, quota_missing_column). */
static int load_quota(struct cati_config *cfg, const char *path, const char *key, const char *value,
                      struct cati_error *err)
{
    char raw[600];
    int line = ini_find(path, key, raw, sizeof raw);
    const char *name = line && strlen(raw) == strlen(key + strlen("quota:")) ? raw
                                                                           : key + strlen("quota:");
    const char *dot = strchr(name, '.');
    long v;
    if (!dot || dot == name || !dot[1])
        return cati_error_at(err, path, line, 0,
                             "quota:%s: must be FIELD.VALUE = completes, e.g. service.cid_new = 300",
                             name);
    char field[64];
    snprintf(field, sizeof field, "%.*s", (int)(dot - name), name);
    for (char *c = field; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (const char *c = field; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            return cati_error_at(err, path, line, 0,
                                 "quota:%s: '%s' is not a sample field name (letters, digits and _)",
                                 name, field);
    const struct sample_field *std = sample_field_find(field);
    if (std && !(std->use & SAMPLE_FIELD_QUOTA))
        return cati_error_at(err, path, line, 0,
                                 "quota:%s: quotas cannot count '%s': use service, agency, district, "
                                 "language or an extra sample field", name, field);
    if (cati_parse_long(value, &v) < 0 || v < 0 || v > 100000000)
        return cati_error_at(err, path, line, 0, "quota:%s: must be a number of completes, got '%s'",
                             name, value);
    if (cfg->nquotas >= CATI_MAX_QUOTAS)
        return cati_error_at(err, path, line, 0, "quota:%s: more than %d quotas", name,
                             CATI_MAX_QUOTAS);
    struct cati_quota *q = &cfg->quotas[cfg->nquotas++];
    cati_strlcpy(q->field, field, sizeof q->field);
    cati_strlcpy(q->value, dot + 1, sizeof q->value);
    q->limit = (int)v;
    q->line = line;
    return 0;
}

/* Before iniparser reads it: the file must be text (no NUL byte, valid
 * UTF-8, lines iniparser can hold) and every key must sit under a
 * [section] (iniparser silently drops keys before the first one). */
static int ini_prescan(const char *path, struct cati_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cati_error_set(err, "cannot read configuration '%s': %s", path, strerror(errno));
    static char text[1 << 20]; /* a configuration is a few kilobytes */
    size_t size = fread(text, 1, sizeof text, f);
    int big = !feof(f);
    fclose(f);
    if (big)
        return cati_error_set(err, "%s: not a configuration file (over 1 MB)", path);
    int n = 0, in_section = 0;
    for (size_t at = 0; at < size;) {
        const char *line = text + at, *nl = memchr(line, '\n', size - at);
        size_t len = nl ? (size_t)(nl - line) + 1 : size - at;
        at += len;
        n++;
        if (memchr(line, '\0', len))
            return cati_error_at(err, path, n, 0, "not a text file (a NUL byte)");
        if (!cati_utf8_valid(line, len))
            return cati_error_at(err, path, n, 0, "not a text file (invalid UTF-8)");
        if (len > 1000)
            return cati_error_at(err, path, n, 0, "line longer than 1000 bytes");
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        const char *p = skip_space(buf);
        if (*p == '[') {
            in_section = 1;
            continue;
        }
        if (in_section || !*p || *p == ';' || *p == '#')
            continue;
        size_t k = strcspn(p, "= \t\r\n");
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(k < 63 ? k : 63), p);
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            const char *colon = strchr(keys[i].name, ':');
            if (colon && !strcasecmp(colon + 1, key))
                return cati_error_at(err, path, n, 0, "'%s' is outside any section: put it under [%.*s]", key,
                                     (int)(colon - keys[i].name), keys[i].name);
        }
        return cati_error_at(err, path, n, 0, "'%s' is outside any section", key);
    }
    return 0;
}

int config_load_file(const char *path, struct cati_config *cfg, struct cati_error *err)
{
    config_defaults(cfg);
    /* with the effective ids: a set-group-ID cati reads its 0640 root:cati file */
    if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) < 0)
        return cati_error_set(err, "cannot read configuration '%s': %s", path, strerror(errno));
    if (ini_prescan(path, err) < 0)
        return -1;
    iniparser_set_error_callback(quiet_errback);
    dictionary *d = iniparser_load(path);
    if (!d)
        return cati_error_at(err, path, ini_line(path, NULL), 0,
                             "syntax error (lines must be [section] or key = value)");
    int rc = 0;
    int nsec = iniparser_getnsec(d);
    for (int s = 0; s < nsec && rc == 0; s++) {
        const char *sec = iniparser_getsecname(d, s);
        int nk = iniparser_getsecnkeys(d, sec);
        if (nk <= 0)
            continue;
        const char **names = calloc((size_t)nk, sizeof *names);
        if (!names) {
            rc = cati_error_setk(err, CATI_ERR_NOMEM, "out of memory");
            break;
        }
        iniparser_getseckeys(d, sec, names);
        for (int i = 0; i < nk && rc == 0; i++) {
            const char *value = iniparser_getstring(d, names[i], "");
            if (!strcmp(sec, "quota")) {
                rc = load_quota(cfg, path, names[i], value, err);
                continue;
            }
            const struct key *k = find_key(names[i]);
            char why[160];
            if (!k)
                rc = cati_error_at(err, path, ini_line(path, names[i]), 0,
                                   "%s: unknown key (see cati.ini(5))", names[i]);
            else if (set_key(cfg, k, value, why, sizeof why) < 0)
                rc = cati_error_at(err, path, ini_line(path, names[i]), 0, "%s: %s, got '%s'",
                                   names[i], why, value);
            else
                cfg->from_file[k - keys] = 1;
        }
        free(names);
    }
    iniparser_freedict(d);
    if (rc == 0)
        cati_strlcpy(cfg->file, path, sizeof cfg->file);
    return rc;
}

const char *config_system_path(void)
{
    return SYSTEM_CONFIG;
}

int config_load(const char *explicit_path, struct cati_config *cfg, struct cati_error *err)
{
    if (priv_active()) { /* set-group-ID: the system configuration only (cati/priv.h) */
        struct stat a, b;
        if (explicit_path && (stat(explicit_path, &a) < 0 || stat(SYSTEM_CONFIG, &b) < 0 ||
                              a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
            config_defaults(cfg);
            return cati_error_set(err, "-c %s: a set-group-ID cati reads only its system "
                                       "configuration %s", explicit_path, SYSTEM_CONFIG);
        }
        return config_load_file(SYSTEM_CONFIG, cfg, err);
    }
    if (explicit_path)
        return config_load_file(explicit_path, cfg, err);
    const char *env = getenv("CATI_CONFIG");
    if (env && *env)
        return config_load_file(env, cfg, err);
    if (access("cati.ini", F_OK) == 0)
        return config_load_file("cati.ini", cfg, err);
    if (access(SYSTEM_CONFIG, F_OK) == 0)
        return config_load_file(SYSTEM_CONFIG, cfg, err);
    config_defaults(cfg);
    return 0;
}

static void format_value(const struct cati_config *cfg, const struct key *k, char *buf, size_t size)
{
    const char *base = (const char *)cfg;
    size_t used = 0;
    buf[0] = '\0';
    switch (k->type) {
    case K_INT:
        snprintf(buf, size, "%d", *(const int *)(base + k->off));
        break;
    case K_BOOL:
        snprintf(buf, size, "%s", *(const int *)(base + k->off) ? "yes" : "no");
        break;
    case K_STR:
    case K_TZ:
    case K_DIGITS:
        snprintf(buf, size, "%s", base + k->off);
        break;
    case K_HOURS:
        for (int i = 0; i < cfg->nhours && used < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s%02d:%02d-%02d:%02d", i ? ", " : "",
                                     cfg->hours[i].start / 60, cfg->hours[i].start % 60,
                                     cfg->hours[i].end / 60, cfg->hours[i].end % 60);
        break;
    case K_DAYS:
        for (int i = 1; i <= 7 && used < size; i++)
            if (cfg->days & (1u << (i % 7)))
                used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                                         day_names[i % 7]);
        break;
    case K_SLOTS:
        for (int i = 0; i < cfg->nslots && used < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s%s %02d:%02d-%02d:%02d",
                                     i ? ", " : "", cfg->slots[i].name, cfg->slots[i].start / 60,
                                     cfg->slots[i].start % 60, cfg->slots[i].end / 60,
                                     cfg->slots[i].end % 60);
        break;
    case K_RATE:
        if (cfg->rates_e < 0)
            snprintf(buf, size, "estimate");
        else
            snprintf(buf, size, "%g", cfg->rates_e);
        break;
    }
}

void config_print(const struct cati_config *cfg, FILE *out)
{
    fprintf(out, "; configuration file: %s\n", cfg->file[0] ? cfg->file : "(none, built-in defaults)");
    for (size_t i = 0; i < NKEYS; i++) {
        char value[512];
        format_value(cfg, &keys[i], value, sizeof value);
        fprintf(out, "%s = %s\t; %s\n", keys[i].name, value,
                cfg->from_file[i] ? cfg->file : "default");
    }
    for (int i = 0; i < cfg->nquotas; i++)
        fprintf(out, "quota:%s.%s = %d\t; %s\n", cfg->quotas[i].field, cfg->quotas[i].value,
                cfg->quotas[i].limit, cfg->file);
}

void config_print_man(FILE *out)
{
    char section[64] = "";
    for (size_t i = 0; i < NKEYS; i++) {
        const char *colon = strchr(keys[i].name, ':');
        int len = (int)(colon - keys[i].name);
        if (strncmp(section, keys[i].name, (size_t)len) || section[len]) {
            snprintf(section, sizeof section, "%.*s", len, keys[i].name);
            fprintf(out, ".SS [%s]\n", section);
        }
        fprintf(out, ".TP\n.B %s\n%s Default: \\fB%s\\fR.\n", colon + 1, keys[i].doc, keys[i].def);
    }
}

int config_in_hours(const struct cati_config *cfg, int wday, int minute)
{
    for (int i = 0; i < cfg->nhours; i++) {
        const struct cati_window *w = &cfg->hours[i];
        if (w->start < w->end) {
            if ((cfg->days & (1u << wday)) && minute >= w->start && minute < w->end)
                return 1;
        } else { /* past midnight: the part after midnight belongs to the day it started */
            if ((cfg->days & (1u << wday)) && minute >= w->start)
                return 1;
            if ((cfg->days & (1u << ((wday + 6) % 7))) && minute < w->end)
                return 1;
        }
    }
    return 0;
}
