#ifndef CATI_PRIV_H
#define CATI_PRIV_H
/* The door (cati(1) SECURITY): an installed cati is set-group-ID `cati`;
 * the database directory belongs to that group and is closed to others, so
 * users reach the data only through cati, which checks their role.
 *
 * A privileged cati (effective group or user id not the real one):
 *  - keeps only a few plain environment variables (priv_env_keep);
 *  - takes its identity from the real user id only (no CATI_USER, CATI_NOW,
 *    CATI_CONFIG; -c only the system configuration);
 *  - uses only databases in the configured database's directory that belong
 *    to the data group (priv_check_db);
 *  - opens the files a user names (input files, exports, shell history) as
 *    the real user: priv_user_begin / priv_user_end around the open, so
 *    naming a group-only file as input reads nothing and files it makes
 *    belong to the user's own group.
 * An unprivileged cati (tests, demos, the nightly export's system user)
 * does none of this. */

#include <sys/types.h>

#include "cati/error.h"

/* Record the process's ids; when privileged, sanitise the environment
 * (before setlocale or anything reading it). First thing in main. */
void priv_init(void);

/* 1 when set-group-ID or set-user-ID took effect (egid != gid or euid != uid). */
int priv_active(void);

/* The data group: the effective group id at start. */
gid_t priv_group(void);

/* Act as the real user (effective ids = real ids) until the matching
 * priv_user_end; nested pairs are allowed. No-op when not privileged. A
 * failure to switch either way aborts the process (never carry on with the
 * wrong ids). */
void priv_user_begin(void);
void priv_user_end(void);

/* Whether one environment entry "NAME=value" survives a privileged start:
 * TERM of plain characters; LANG and LC_* naming an installed locale in a
 * plain form (letters, digits, _ . @ -); HOME an absolute path; TZ a plain
 * zone name. Everything else (CATI_*, TERMINFO*, TMPDIR, SQLITE_TMPDIR,
 * LOCPATH, NLSPATH, GCONV_PATH, TZDIR, XDG_*, LANGUAGE, PATH, ...) goes. */
int priv_env_keep(const char *entry);

/* May a privileged cati use the database at path (-d, sync --to)? It must
 * exist, be a regular file of group gid, and be in the directory of the
 * configured database (symbolic links resolved). resolved (size bytes) gets
 * the real path, which the caller then uses (a link swapped later changes
 * nothing). *other is set to 1 when it is not the configured database
 * (naming another needs the admin role). 0, or -1 with err saying why. */
int priv_check_db(const char *path, const char *configured, gid_t gid, int *other, char *resolved,
                  size_t size, struct cati_error *err);

/* The configured database itself, under privilege: an absolute path whose
 * directory belongs to group gid and is closed to others (mode o-rwx). */
int priv_check_db_dir(const char *configured, gid_t gid, struct cati_error *err);

/* SQLite's temporary files (large sorts, temp tables) go in the configured
 * database's directory, out of the user's reach: elsewhere a file that the
 * user owns, even unlinked at once, could be opened in the moment between.
 * Call before any connection is opened. 0, or -1 with err. */
int priv_sqlite_temp_dir(const char *configured, struct cati_error *err);

#endif
