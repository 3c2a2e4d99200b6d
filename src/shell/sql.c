/* `sql SELECT …` inside the shell: one read statement on a read-only
 * connection, printed as an aligned table. Writes are refused three times
 * over: the connection is query_only, an authorizer allows only reads, and
 * a statement sqlite3_stmt_readonly() does not call read-only is refused. */
#include "shell.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* Pragmas that only read; the first group also takes an argument (a table
 * or index name, a row limit) without changing anything. */
static const char *const pragma_reads_arg[] = {
    "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", NULL};
static const char *const pragma_reads[] = {
    "application_id", "auto_vacuum", "busy_timeout", "cache_size", "collation_list",
    "compile_options", "data_version", "database_list", "encoding", "foreign_keys",
    "freelist_count", "function_list", "journal_mode", "module_list", "page_count",
    "page_size", "pragma_list", "query_only", "schema_version", "synchronous",
    "table_list", "user_version", NULL};

static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (!strcasecmp(*list, name))
            return 1;
    return 0;
}

/* Columns of personal data that `sql` reads as NULL: they leave cati only
 * through an audited export --with-pii (or a case the user holds). */
static const char *const personal_columns[][2] = {
    {"cases", "name"}, {"cases", "call_note"}, {"phones", "number"}, {"calls", "number"},
    {"calls", "note"}, {NULL, NULL}};

static int personal(const char *table, const char *column)
{
    for (int i = 0; table && column && personal_columns[i][0]; i++)
        if (!strcasecmp(table, personal_columns[i][0]) && !strcasecmp(column, personal_columns[i][1]))
            return 1;
    return 0;
}

/* Allow what a SELECT needs, personal columns read as NULL; deny the rest
 * (writes, ATTACH, transactions, pragmas that set something). */
static int sql_authorize(void *ctx, int action, const char *a1, const char *a2, const char *db,
                         const char *trigger)
{
    (void)ctx; (void)db; (void)trigger;
    switch (action) {
    case SQLITE_READ:
        return personal(a1, a2) ? SQLITE_IGNORE : SQLITE_OK;
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        return a2 && !strcasecmp(a2, "load_extension") ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA:
        if (a1 && (in_list(pragma_reads_arg, a1) || (!a2 && in_list(pragma_reads, a1))))
            return SQLITE_OK;
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

int shell_ro(struct shell *sh, struct cati_error *err)
{
    if (sh->ro)
        return 0;
    if (db_open(sh->cli->db_path, DB_OPEN_READONLY, sh->cli->cfg.busy_timeout_ms, &sh->ro, err) < 0)
        return -1;
    sqlite3_limit(sh->ro, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(sh->ro, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_set_authorizer(sh->ro, sql_authorize, NULL);
    return 0;
}

/* ---- the table ---------------------------------------------------------- */

struct cell {
    char *text;   /* cleaned for the terminal; NULL for SQL NULL */
    size_t width; /* display columns */
    int number;   /* INTEGER or REAL: right-aligned */
};

/* Rows are held a window at a time (SQL_WINDOW rows, or SQL_WINDOW_BYTES of
 * text) and printed, so memory does not grow with the result; the first
 * window sets the column widths and alignment for all. */
#define SQL_WINDOW 1000
#define SQL_WINDOW_BYTES (4u << 20)
/* The largest value one query may produce (SQLITE_LIMIT_LENGTH). */
#define SQL_VALUE_MAX (1 << 20)

struct table {
    int ncols;
    struct cell *cells; /* (nrows + 1) * ncols, row 0 = column names */
    size_t nrows, cap;  /* rows of data held, rows allocated (data rows) */
    size_t bytes;       /* text held in the rows */
    size_t total;       /* rows printed so far */
    size_t *width;      /* column widths, once the first window set them */
    int *right;         /* right-aligned columns */
};

/* Decode one UTF-8 sequence at s (n bytes left); returns its length and the
 * code point, or 0 for an invalid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
               : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
    if (!len || len > n)
        return 0;
    unsigned v = len == 1 ? s[0] : s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
        return 0;
    *cp = v;
    return len;
}

/* A terminal-safe copy of n bytes of s (caller frees): control characters
 * (C0, DEL, C1) become spaces, invalid UTF-8 bytes '?'. *width gets its
 * display width (wcwidth per code point; 1 where wcwidth does not know). */
static char *cell_clean(const unsigned char *s, size_t n, size_t *width)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0, w = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (!len) {
            out[o++] = '?';
            w++;
            i++;
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            out[o++] = ' ';
            w++;
            i += len;
        } else {
            memcpy(out + o, s + i, len);
            o += len;
            int cw = wcwidth((wchar_t)cp);
            w += cw < 0 ? 1 : (size_t)cw;
            i += len;
        }
    }
    out[o] = '\0';
    *width = w;
    return out;
}

static int cell_set(struct cell *cell, sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_NULL) {
        cell->text = NULL;
        cell->width = 0;
        return 0;
    }
    if (type == SQLITE_BLOB) {
        char buf[48];
        snprintf(buf, sizeof buf, "<blob, %d bytes>", sqlite3_column_bytes(st, col));
        cell->text = cell_clean((const unsigned char *)buf, strlen(buf), &cell->width);
    } else {
        const unsigned char *t = sqlite3_column_text(st, col);
        cell->text = t ? cell_clean(t, (size_t)sqlite3_column_bytes(st, col), &cell->width) : NULL;
        if (!t)
            return -1;
    }
    cell->number = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
    return cell->text ? 0 : -1;
}

/* Free the rows held (not the column names). */
static void table_drop_rows(struct table *t)
{
    if (t->cells)
        for (size_t i = (size_t)t->ncols; i < (t->nrows + 1) * (size_t)t->ncols; i++)
            free(t->cells[i].text);
    t->nrows = 0;
    t->bytes = 0;
}

static void table_release(struct table *t)
{
    table_drop_rows(t);
    if (t->cells)
        for (int i = 0; i < t->ncols; i++)
            free(t->cells[i].text);
    free(t->cells);
    free(t->width);
    free(t->right);
    t->cells = NULL;
    t->width = NULL;
    t->right = NULL;
}

/* Append the current row of st; 0 or -1 (out of memory). */
static int table_add(struct table *t, sqlite3_stmt *st)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct cell *cells = realloc(t->cells, (cap + 1) * (size_t)t->ncols * sizeof *cells);
        if (!cells)
            return -1;
        t->cells = cells;
        t->cap = cap;
    }
    struct cell *row = t->cells + (t->nrows + 1) * (size_t)t->ncols;
    memset(row, 0, (size_t)t->ncols * sizeof *row);
    t->nrows++;
    for (int i = 0; i < t->ncols; i++) {
        if (cell_set(&row[i], st, i) < 0)
            return -1;
        t->bytes += row[i].text ? strlen(row[i].text) : 0;
    }
    return 0;
}

static void put_padded(const struct cell *cell, size_t width, int right, int last, FILE *out)
{
    size_t pad = width - cell->width;
    if (right)
        fprintf(out, "%*s", (int)pad, "");
    fputs(cell->text ? cell->text : "", out);
    if (!right && !last)
        fprintf(out, "%*s", (int)pad, "");
}

/* The first window sets the widths (column names and its rows) and right-
 * aligns a column whose values there are all numbers; then the names and a
 * rule of dashes. Two spaces between columns. 0 or -1 (out of memory). */
static int table_layout(struct table *t, FILE *out)
{
    size_t n = (size_t)t->ncols;
    t->width = calloc(n, sizeof *t->width);
    t->right = calloc(n, sizeof *t->right);
    if (!t->width || !t->right)
        return -1;
    for (size_t c = 0; c < n; c++) {
        int numbers = 0, others = 0;
        for (size_t r = 0; r <= t->nrows; r++) {
            const struct cell *cell = &t->cells[r * n + c];
            if (cell->width > t->width[c])
                t->width[c] = cell->width;
            if (r > 0 && cell->text)
                cell->number ? numbers++ : others++;
        }
        t->right[c] = numbers > 0 && others == 0;
    }
    for (size_t c = 0; c < n; c++) {
        if (c)
            fputs("  ", out);
        put_padded(&t->cells[c], t->width[c], t->right[c], c + 1 == n, out);
    }
    fputc('\n', out);
    for (size_t c = 0; c < n; c++) {
        if (c)
            fputs("  ", out);
        for (size_t i = 0; i < t->width[c]; i++)
            fputc('-', out);
    }
    fputc('\n', out);
    return 0;
}

/* Print the rows held and let them go (a later value wider than its
 * column pushes the rest of its line right). */
static int table_flush(struct table *t, FILE *out)
{
    size_t n = (size_t)t->ncols;
    if (!t->width && table_layout(t, out) < 0)
        return -1;
    for (size_t r = 1; r <= t->nrows; r++) {
        for (size_t c = 0; c < n; c++) {
            const struct cell *cell = &t->cells[r * n + c];
            size_t w = cell->width > t->width[c] ? cell->width : t->width[c];
            if (c)
                fputs("  ", out);
            put_padded(cell, w, t->right[c], c + 1 == n, out);
        }
        fputc('\n', out);
    }
    t->total += t->nrows;
    table_drop_rows(t);
    return 0;
}

/* ---- the command -------------------------------------------------------- */

static sqlite3 *volatile interrupt_db;

static void on_interrupt(int sig)
{
    (void)sig;
    if (interrupt_db)
        sqlite3_interrupt(interrupt_db);
}

/* Step st to the end, printing t a window at a time to out. Returns
 * SQLITE_DONE, an SQLite error code, or SQLITE_NOMEM. Ctrl-C interrupts a
 * long query. */
static int table_stream(struct table *t, sqlite3 *db, sqlite3_stmt *st, FILE *out)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    interrupt_db = db;
    sigaction(SIGINT, &sa, &old);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (table_add(t, st) < 0 ||
            ((t->nrows >= SQL_WINDOW || t->bytes >= SQL_WINDOW_BYTES) && table_flush(t, out) < 0)) {
            rc = SQLITE_NOMEM;
            break;
        }
    if (rc == SQLITE_DONE && table_flush(t, out) < 0)
        rc = SQLITE_NOMEM;
    sigaction(SIGINT, &old, NULL);
    interrupt_db = NULL;
    return rc;
}

static int only_blanks(const char *s)
{
    return s[strspn(s, " \t\r\n\v\f;")] == '\0';
}

int shell_sql(struct shell *sh, const char *sql)
{
    if (only_blanks(sql))
        return cli_usage("sql SELECT … (a read-only query, inside cati shell)");
    int rc = cli_admit_as(sh->cli, "sql", NULL);
    if (rc)
        return rc;
    struct cati_error err;
    if (shell_ro(sh, &err) < 0)
        return cli_fail(&err, EXIT_FAIL);
    sqlite3_stmt *st = NULL, *more = NULL;
    const char *tail = NULL;
    struct table t = {0};
    rc = EXIT_USAGE;
    if (sqlite3_prepare_v2(sh->ro, sql, -1, &st, &tail) != SQLITE_OK) {
        if (sqlite3_errcode(sh->ro) == SQLITE_AUTH)
            cli_failf(EXIT_USAGE, "sql: only read statements are allowed");
        else
            cli_failf(EXIT_USAGE, "sql: %s", sqlite3_errmsg(sh->ro));
        goto done;
    }
    if (!st) { /* only a comment */
        cli_failf(EXIT_USAGE, "sql: no statement");
        goto done;
    }
    if (tail && !only_blanks(tail)) {
        /* Comments after the statement are fine; a second statement is not. */
        if (sqlite3_prepare_v2(sh->ro, tail, -1, &more, NULL) != SQLITE_OK || more) {
            cli_failf(EXIT_USAGE, "sql: only one statement at a time");
            goto done;
        }
    }
    if (!sqlite3_stmt_readonly(st)) {
        cli_failf(EXIT_USAGE, "sql: only read statements are allowed");
        goto done;
    }
    t.ncols = sqlite3_column_count(st);
    if (t.ncols == 0) {
        cli_failf(EXIT_USAGE, "sql: the statement returns no columns");
        goto done;
    }
    t.cells = calloc((size_t)t.ncols, sizeof *t.cells);
    if (!t.cells) {
        rc = cli_failf(EXIT_FAIL, "sql: out of memory");
        goto done;
    }
    for (int i = 0; i < t.ncols; i++) {
        const char *name = sqlite3_column_name(st, i);
        t.cells[i].text = cell_clean((const unsigned char *)(name ? name : ""), name ? strlen(name) : 0,
                                     &t.cells[i].width);
        if (!t.cells[i].text) {
            rc = cli_failf(EXIT_FAIL, "sql: out of memory");
            goto done;
        }
    }
    sqlite3_limit(sh->ro, SQLITE_LIMIT_LENGTH, SQL_VALUE_MAX);
    int step = table_stream(&t, sh->ro, st, stdout);
    fflush(stdout);
    if (step == SQLITE_NOMEM) {
        rc = cli_failf(EXIT_FAIL, "sql: out of memory");
    } else if (step == SQLITE_TOOBIG) {
        cli_failf(EXIT_USAGE, "sql: a value of the result is over %d MB: select less of it (e.g. substr(x, 1, 1000))",
                  SQL_VALUE_MAX >> 20);
    } else if (step != SQLITE_DONE) {
        cli_failf(EXIT_USAGE, "sql: %s", sqlite3_errmsg(sh->ro));
    } else {
        printf("(%zu row%s)\n", t.total, t.total == 1 ? "" : "s");
        fflush(stdout);
        rc = EXIT_OK;
    }
done:
    table_release(&t);
    sqlite3_finalize(more);
    sqlite3_finalize(st);
    return rc;
}
