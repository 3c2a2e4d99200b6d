# Fault suite: no SQL is ever built from input. The static check
# (tests/check-sql-injection) passes on src/ and catches planted mistakes;
# then SQL injection is tried through every text input — interviewer
# names, logins, languages, call notes, sample fields and headers, survey
# names and titles, question texts, answers typed at the console, case IDs,
# WHEN — and the database must stay whole with the text stored verbatim.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"

# 1. the static check, on the sources and on planted mistakes
expect_rc 0 "$REPO/tests/check-sql-injection" && echo "$OUT"
mkdir -p "$WORK/bad/core"
cat > "$WORK/bad/core/bad.c" <<'C'
static int by_name(sqlite3 *db, const char *name, struct cati_error *err)
{
    char q[256];
    snprintf(q, sizeof q, "SELECT id FROM cases WHERE name = '%s'", name);
    return db_exec(db, q, err);
}

static int any(sqlite3 *db, const char *user_sql, sqlite3_stmt **st)
{
    /* db_exec(db, "a comment is not code", err) */
    return sqlite3_prepare_v2(db, user_sql, -1, st, NULL);
}

static char *del(const char *ref)
{
    return sqlite3_mprintf("DELETE FROM cases WHERE ref = %Q", ref);
}

static int fine(sqlite3 *db, int on, struct cati_error *err)
{
    static const char *const sql = "SELECT 1";
    return db_exec(db, on ? "SELECT 2" : sql, err) || db_int(db, "SELECT \"(,)\"", NULL, 0, 0, NULL, err);
}
C
expect_rc 1 "$REPO/tests/check-sql-injection" "$WORK/bad"
expect_in "core/bad.c:4: SQL built with a printf format" "$OUT"
expect_in "core/bad.c:5: SQL that is not constant in db_exec(): 'q' (in by_name())" "$OUT"
expect_in "core/bad.c:11: SQL that is not constant in sqlite3_prepare_v2(): 'user_sql'" "$OUT"
expect_in "core/bad.c:16: sqlite3 printf-style SQL building" "$OUT"
expect_in "5 problem(s)" "$OUT"

# 2. injection through every text input
H="'); DROP TABLE cases; --"
HQ="'''); DROP TABLE cases; --'"             # the same as an SQL literal, for checks
setup_db
cati interviewer add pema --name "Pema $H" --lang en,dz >/dev/null || fail "name with quotes refused"
expect_eq "Pema $H" "$(sql "SELECT name FROM interviewers WHERE login = 'pema'")" "interviewer name verbatim"
expect_rc 2 cati interviewer add "x$H" && expect_in "invalid login" "$ERR"
expect_rc 2 cati interviewer add karma --lang "en$H" && expect_in "invalid languages" "$ERR"
expect_rc 2 cati interviewer add karma --skills "x$H" && expect_in "invalid skills" "$ERR"
expect_rc 2 cati interviewer add karma --name "$(printf 'a\033[2Jb')" && expect_in "control characters" "$ERR"
expect_rc 2 cati interviewer disable "pema$H" && expect_in "unknown interviewer" "$ERR"
# survey names and titles, question texts
sed -e "s/^survey serve \"[^\"]*\"/survey serve \"ServE $H\"/" \
    -e "s/^  text en \"What made it difficult/  text en \"$H What made it difficult/" \
    "$DATA/serve.cati" > serve.cati
cati survey load serve.cati >/dev/null || fail "survey load with quotes in texts"
expect_eq "ServE $H" "$(sql "SELECT title FROM surveys WHERE name = 'serve'")" "title verbatim"
sed "s/^survey serve /survey serve$H /" "$DATA/serve.cati" > bad-name.cati
expect_rc 2 cati survey load bad-name.cati
for cmd in "survey pause" "report rates --survey" "export --out $WORK/x --survey"; do
    # shellcheck disable=SC2086
    expect_rc 2 cati $cmd "serve$H" && expect_in "serve$H" "$ERR" "the name shown back in the error"
done
expect_rc 2 cati sample import --survey "serve$H" /dev/null && expect_in "serve$H" "$ERR"
# sample fields: every column, and a header that is not a name
cat > sample.csv <<CSV
ref,name,phone,service,agency,district,gewog
R1$H,Leki $H,17819192,cid$H,Agency $H,Thimphu$H,Chang $H
R2,"Pema ""$H""",17207173,cid_new,,,
R3,Karma Choden,17555111,cid_new,,,
CSV
cati sample import --survey serve sample.csv >/dev/null || fail "sample with quotes refused"
expect_eq "R1$H|Leki $H|cid$H|Agency $H|Thimphu$H" \
    "$(sql "SELECT ref, name, service, agency, district FROM cases WHERE id = 1")" "sample fields verbatim"
expect_eq "Chang $H" "$(sql "SELECT value FROM case_fields WHERE case_id = 1 AND name = 'gewog'")" "extra field verbatim"
expect_eq "Pema \"$H\"" "$(sql "SELECT name FROM cases WHERE id = 2")" "quoted CSV field verbatim"
printf 'ref,name,phone,x%s\nR9,N,17000009,v\n' "$H" > bad-header.csv
expect_rc 2 cati sample import --survey serve bad-header.csv && expect_in "not a valid field name" "$ERR"
# call notes, case IDs, WHEN
export CATI_NOW="2026-11-24 10:00"
CATI_USER=pema expect_rc 0 cati case next && id=$OUT
CATI_USER=pema expect_rc 0 cati case outcome "$id" busy --note "$H"
expect_eq "$H" "$(sql "SELECT note FROM calls WHERE case_id = $id")" "note verbatim"
expect_rc 2 cati case show "1$H" && expect_in "invalid case ID" "$ERR"
expect_rc 2 cati case show "1 OR 1=1"
expect_rc 2 cati case appoint 1 "2026-11-25 10:00$H"
# answers typed at the console
cati interviewer set pema --lang en >/dev/null
console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n; twait a1 "Case "; tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 1 Enter
answer a1 access_req 5 Enter
answer a1 access_visits 2 Enter
twait a1 "access_why  ·"
tkeys a1 -l "$H"; tkeys a1 Enter
twait a1 "time_rate  ·"
expect_eq "$H" "$(sql "SELECT value FROM answers WHERE question = 'access_why'")" "answer verbatim"
expect_eq "$H" "$(sql "SELECT new_value FROM answer_log WHERE question = 'access_why'")" "answer log verbatim"
pid=$(console_pid a1)
tkill a1
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done

# the database is whole: every table there, nothing dropped, integrity ok
expect_eq ok "$(sql 'PRAGMA integrity_check')" "integrity"
expect_eq 3 "$(sql 'SELECT count(*) FROM cases')" "cases intact"
expect_eq 1 "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cases'")" "table cases"
[ "$(sql "SELECT count(*) FROM answers WHERE value = $HQ")" = 1 ] || fail "hostile answer not found as a literal"
finish
