#ifndef CATI_CONFIG_H
#define CATI_CONFIG_H
/* cati.ini mapped by one table (section:key, type, default, bounds, doc)
 * into a plain struct. See cati.ini(5); `cati config` prints it. */

#include <stdio.h>

#include "cati/error.h"

#define CATI_MAX_WINDOWS 8
#define CATI_MAX_SLOTS 8
#define CATI_MAX_QUOTAS 64

struct cati_window { int start, end; };           /* minutes since midnight, end exclusive */
struct cati_slot { char name[32]; int start, end; };
/* [quota] FIELD.VALUE = limit: field in lower case, value as written, the
 * line of the file that sets it (0 = not from a file). */
struct cati_quota { char field[64]; char value[128]; int limit; int line; };

struct cati_config {
    char file[1024];              /* file read; "" = built-in defaults only */
    /* [database] */
    char db_path[1024];
    int busy_timeout_ms;
    /* [calling] */
    struct cati_window hours[CATI_MAX_WINDOWS];
    int nhours;
    unsigned days;                /* bit d set = weekday d allowed (0 = Sunday) */
    char timezone[64];
    struct cati_slot slots[CATI_MAX_SLOTS];
    int nslots;
    int max_attempts;
    int max_attempts_per_number;
    int lease_minutes;
    char country_code[8];         /* digits, no '+' */
    /* [retry], minutes until the next try */
    int retry_busy, retry_no_answer, retry_answering_machine, retry_message_left;
    int retry_not_available, retry_soft_refusal, retry_technical, retry_language;
    int refusal_conversion;       /* 1 = soft refusals get a conversion attempt */
    /* [appointments] */
    int hold_minutes;
    int missed_minutes;           /* an appointment not kept this long after is missed */
    /* [quota] FIELD.VALUE = completes */
    struct cati_quota quotas[CATI_MAX_QUOTAS];
    int nquotas;
    /* [interview] */
    int partial_percent;          /* share of the route answered that counts as partial */
    /* [rates] */
    double rates_e;               /* < 0 = estimate from the sample */
    /* [monitor] */
    int refresh_seconds;
    int idle_minutes;
    /* [security] */
    int allow_user_override;
    unsigned char from_file[64]; /* per table row: 1 = set in file */
};

/* Fill cfg with the built-in defaults. */
void config_defaults(struct cati_config *cfg);

/* Find the file (explicit path, $CATI_CONFIG, ./cati.ini, /etc/cati/cati.ini)
 * and load it over the defaults. explicit may be NULL. A named file that
 * does not exist, a bad value or an unknown key is an error naming the file
 * and key: "cati.ini: calling:max_attempts: must be 1..99, got 'lots'".
 * A set-group-ID cati (priv_active) reads only the system configuration:
 * explicit must then be NULL or name that file, else it is an error. */
int config_load(const char *explicit_path, struct cati_config *cfg, struct cati_error *err);

/* The system configuration, SYSCONFDIR/cati.ini (compiled in): the only
 * one a set-group-ID cati reads (cati/priv.h). */
const char *config_system_path(void);

/* Load exactly this file over the defaults. */
int config_load_file(const char *path, struct cati_config *cfg, struct cati_error *err);

/* Print the effective configuration, one key a line, with its origin. */
void config_print(const struct cati_config *cfg, FILE *out);

/* Print the key reference (roff) used for cati.ini(5). */
void config_print_man(FILE *out);

/* 1 if minute-of-day m in weekday wday is inside calling hours. */
int config_in_hours(const struct cati_config *cfg, int wday, int minute);

#endif
