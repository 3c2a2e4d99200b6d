#ifndef CATI_SESSION_H
#define CATI_SESSION_H
/* What a front end (console, monitor, shell) works with: the open
 * database, the configuration and the user, as the command line resolved
 * them. Front ends receive a session; they never see the command line's
 * own context. Everything is borrowed from the caller. */

#include <sqlite3.h>

#include "cati/account.h"
#include "cati/config.h"

struct cati_session {
    sqlite3 *db;
    const struct cati_config *cfg;
    const struct cati_interviewer *me;
};

#endif
