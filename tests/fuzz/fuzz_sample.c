/* libFuzzer target for the respondent importer. The first byte chooses
 * whether a valid header is put in front of the input. Properties: a
 * rejected file leaves no rows behind; an accepted one loads every row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cati/config.h"
#include "cati/db.h"
#include "cati/sample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static char dir[] = "/tmp/cati-fuzz-sample-XXXXXX";
static struct cati_config cfg;

static void cleanup(void)
{
    char path[64];
    db_close(db);
    static const char *const files[] = {"cati.db", "cati.db-wal", "cati.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void open_db(void)
{
    char path[64];
    struct cati_error err;
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/cati.db", dir);
    if (db_open(path, DB_OPEN_CREATE, 1000, &db, &err) < 0 || db_migrate(db, NULL, &err) < 0 ||
        db_exec(db, "PRAGMA synchronous = OFF;"
                    "INSERT INTO surveys(name, created_at, uuid) VALUES ('serve', 0, 's');"
                    "INSERT INTO survey_versions(survey_id, version, source, fields, loaded_at,"
                    " uuid) VALUES (1, 1, '', 'gewog', 0, 'v');"
                    "INSERT INTO cases(uuid, survey_id, ref, name, created_at, updated_at)"
                    " VALUES ('c0', 1, 'OLD', 'Old', 0, 0);",
                &err) < 0)
        abort();
    config_defaults(&cfg);
    atexit(cleanup);
}

static void count_bad(const struct cati_error *e, void *ctx)
{
    if (e->line < 1 || !e->msg[0])
        abort();
    ++*(long *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        open_db();
    if (size == 0)
        return 0;
    static const char header[] =
        "ref,name,phone,phone2,language,timezone,priority,availed_on,gewog,x\n";
    size_t hl = data[0] & 1 ? sizeof header - 1 : 0;
    char *buf = malloc(hl + size);
    if (!buf)
        return 0;
    memcpy(buf, header, hl);
    memcpy(buf + hl, data + 1, size - 1);
    FILE *in = fmemopen(buf, hl + size - 1 ? hl + size - 1 : 1, "r");
    long nbad = 0;
    struct sample_result res;
    struct cati_error err;
    enum sample_status st =
        sample_import(db, &cfg, "serve", in, "fuzz.csv", "fuzz", count_bad, &nbad, &res, &err);
    fclose(in);
    free(buf);
    long long n = -1;
    if (db_int(db, "SELECT count(*) FROM cases", NULL, 0, -1, &n, &err) < 0)
        abort();
    if (nbad != res.bad || (st == SAMPLE_OK) != (nbad == 0 && res.rows > 0))
        abort();
    if (st == SAMPLE_OK) {
        if (n != 1 + res.imported || res.imported != res.rows)
            abort();
        db_exec(db, "DELETE FROM case_fields; DELETE FROM phones; DELETE FROM audit;"
                    "DELETE FROM cases WHERE ref <> 'OLD' OR survey_id <> 1", NULL);
    } else if (n != 1 || st == SAMPLE_FAILED) {
        abort(); /* rejected: nothing left behind; and no runtime failures here */
    }
    return 0;
}
