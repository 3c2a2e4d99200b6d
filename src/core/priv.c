/* The door: a set-group-ID cati's ids, environment and database rules
 * (cati/priv.h, cati(1) SECURITY). */
#include "cati/priv.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cati/db.h"
#include "cati/util.h"

extern char **environ;

static uid_t ruid, euid;
static gid_t rgid, egid;
static int active, depth;

static int plain(const char *s, size_t max, const char *extra)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              (ch && strchr(extra, ch))))
            return 0;
    }
    return 1;
}

int priv_env_keep(const char *entry)
{
    const char *eq = strchr(entry, '=');
    if (!eq || eq == entry)
        return 0;
    size_t nlen = (size_t)(eq - entry);
    const char *v = eq + 1;
#define IS(name) (nlen == strlen(name) && !strncmp(entry, name, nlen))
    if (IS("TERM")) /* a terminal type: xterm-256color, screen.xterm, rxvt+unicode */
        return plain(v, 63, "-_.+") && v[0] != '.' && v[0] != '-';
    if (IS("HOME")) { /* the shell's history; opened as the real user */
        if (v[0] != '/' || strlen(v) > 1000)
            return 0;
        for (const char *p = v; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return 0;
        return 1;
    }
    if (IS("TZ")) /* a zone name, never a file: Asia/Thimphu, UTC */
        return plain(v, 60, "/_+-") && v[0] != '/' && !strstr(v, "..");
    int lc = nlen > 3 && !strncmp(entry, "LC_", 3);
    for (size_t i = 3; lc && i < nlen; i++) /* LC_ALL, LC_CTYPE, ... */
        if (entry[i] < 'A' || entry[i] > 'Z')
            return 0;
    if (lc || IS("LANG")) {
        /* a plain name of an installed locale, never a path */
        if (!plain(v, 63, "_.@-") || v[0] == '.')
            return 0;
        locale_t l = newlocale(LC_ALL_MASK, v, (locale_t)0);
        if (!l)
            return 0;
        freelocale(l);
        return 1;
    }
#undef IS
    return 0;
}

static void sanitise_env(void)
{
    size_t n = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    char **keep = calloc(n + 1, sizeof *keep);
    size_t k = 0;
    for (size_t i = 0; keep && i < n; i++)
        if (priv_env_keep(environ[i]))
            keep[k++] = strdup(environ[i]);
    clearenv();
    for (size_t i = 0; i < k; i++) {
        char *eq = keep[i] ? strchr(keep[i], '=') : NULL;
        if (eq) {
            *eq = '\0';
            setenv(keep[i], eq + 1, 1);
        }
        free(keep[i]);
    }
    free(keep);
}

void priv_init(void)
{
    ruid = getuid();
    euid = geteuid();
    rgid = getgid();
    egid = getegid();
    active = euid != ruid || egid != rgid;
    if (active)
        sanitise_env();
}

int priv_active(void)
{
    return active;
}

gid_t priv_group(void)
{
    return egid;
}

void priv_user_begin(void)
{
    if (!active || depth++ > 0)
        return;
    if ((egid != rgid && setegid(rgid) < 0) || (euid != ruid && seteuid(ruid) < 0)) {
        abort();
    }
}

void priv_user_end(void)
{
    if (!active || depth == 0 || --depth > 0)
        return;
    if ((euid != ruid && seteuid(euid) < 0) || (egid != rgid && setegid(egid) < 0)) {
        abort();
    }
}

static const char *group_name(gid_t gid, char *buf, size_t size)
{
    struct group *g = getgrgid(gid);
    if (g)
        cati_strlcpy(buf, g->gr_name, size);
    else
        snprintf(buf, size, "%d", (int)gid);
    return buf;
}

/* The real directory of configured into dir (PATH_MAX). */
static int configured_dir(const char *configured, char *dir, struct cati_error *err)
{
    if (configured[0] != '/')
        return cati_error_set(err, "database:path '%s' is not absolute: a set-group-ID cati needs "
                                   "the absolute path of a database in a directory of its group",
                              configured);
    char copy[PATH_MAX];
    cati_strlcpy(copy, configured, sizeof copy);
    if (!realpath(dirname(copy), dir))
        return cati_error_set(err, "database directory of '%s': %s", configured, strerror(errno));
    return 0;
}

int priv_check_db_dir(const char *configured, gid_t gid, struct cati_error *err)
{
    char dir[PATH_MAX], g[64];
    if (configured_dir(configured, dir, err) < 0)
        return -1;
    struct stat st;
    if (stat(dir, &st) < 0)
        return cati_error_set(err, "database directory '%s': %s", dir, strerror(errno));
    if (st.st_gid != gid || (st.st_mode & S_IRWXO))
        return cati_error_set(err, "database directory '%s' must belong to group %s and be closed "
                                   "to others (chown root:%s, chmod 2770)", dir,
                              group_name(gid, g, sizeof g), g);
    return 0;
}

/* 1 if path holds a cati database: not one of SQLite's or cati's side
 * files (-wal, -shm, -journal, -claim, which are group files too), and its
 * header is SQLite's with cati's application_id. An empty file is not one:
 * a set-group-ID cati never makes a database out of a file of the group. */
static int is_cati_database(const char *path)
{
    static const char *const side[] = {"-wal", "-shm", "-journal", "-claim"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++)
        if (n >= strlen(side[i]) && !strcmp(path + n - strlen(side[i]), side[i]))
            return 0;
    unsigned char h[100];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(h, 1, sizeof h, f);
    fclose(f);
    if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return 0;
    unsigned long app = (unsigned long)h[68] << 24 | (unsigned long)h[69] << 16 |
                        (unsigned long)h[70] << 8 | h[71];
    return app == (unsigned long)CATI_APPLICATION_ID;
}

int priv_check_db(const char *path, const char *configured, gid_t gid, int *other, char *resolved,
                  size_t size, struct cati_error *err)
{
    char dir[PATH_MAX], real[PATH_MAX], g[64];
    *other = 0;
    if (configured_dir(configured, dir, err) < 0)
        return -1;
    if (!realpath(path, real))
        return cati_error_set(err, "'%s': %s", path, strerror(errno));
    char copy[PATH_MAX];
    cati_strlcpy(copy, real, sizeof copy);
    struct stat st;
    if (strcmp(dirname(copy), dir) != 0)
        return cati_error_set(err, "'%s': a set-group-ID cati uses only databases in %s", path, dir);
    if (stat(real, &st) < 0)
        return cati_error_set(err, "'%s': %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_gid != gid || !is_cati_database(real))
        return cati_error_set(err, "'%s': not a cati database of group %s", path,
                              group_name(gid, g, sizeof g));
    /* the configured one may not exist yet: compare directory and name */
    char conf[PATH_MAX], *base = strrchr(real, '/');
    cati_strlcpy(conf, configured, sizeof conf);
    *other = realpath(configured, copy) ? strcmp(copy, real) != 0
                                        : strcmp(basename(conf), base + 1) != 0;
    if (strlen(real) >= size)
        return cati_error_set(err, "'%s': path too long", path);
    cati_strlcpy(resolved, real, size);
    return 0;
}

int priv_sqlite_temp_dir(const char *configured, struct cati_error *err)
{
    char dir[PATH_MAX];
    if (configured_dir(configured, dir, err) < 0)
        return -1;
    size_t n = strlen(dir) + 1;
    char *d = sqlite3_malloc64(n); /* SQLite's memory: it frees it */
    if (!d)
        return cati_error_set(err, "out of memory");
    memcpy(d, dir, n);
    sqlite3_free(sqlite3_temp_directory);
    sqlite3_temp_directory = d; /* set once, before any connection (SQLite's rule) */
    return 0;
}
