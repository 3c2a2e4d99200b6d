# cati sync: idempotent, resumable after kill -9, two sites into one central,
# conflicts, roles; the central database is a cati database like any other.
. "$(dirname "$0")/lib.sh"
GEN="$REPO/scripts/gen-results"

# A canonical dump of everything sync carries, independent of local ids.
dump() {
    sqlite3 -batch "$1" "
      SELECT s.name, c.uuid, c.ref, c.name, c.priority, c.state, c.attempts, c.disposition,
             c.updated_at FROM cases c JOIN surveys s ON s.id = c.survey_id ORDER BY c.uuid;
      SELECT c.uuid, p.position, p.number, p.status FROM phones p JOIN cases c ON c.id = p.case_id
        ORDER BY 1, 2;
      SELECT c.uuid, f.name, f.value FROM case_fields f JOIN cases c ON c.id = f.case_id ORDER BY 1, 2;
      SELECT k.uuid, c.uuid, k.attempt, i.login, k.outcome, k.aapor FROM calls k
        JOIN cases c ON c.id = k.case_id LEFT JOIN interviewers i ON i.id = k.interviewer_id
        ORDER BY 1;
      SELECT v.uuid, c.uuid, sv.uuid, v.outcome, v.completed_at FROM interviews v
        JOIN cases c ON c.id = v.case_id JOIN survey_versions sv ON sv.id = v.survey_version_id
        ORDER BY 1;
      SELECT v.uuid, a.question, a.status, a.value, a.on_route FROM answers a
        JOIN interviews v ON v.id = a.interview_id ORDER BY 1, 2;
      SELECT l.uuid, v.uuid, l.question, l.new_value FROM answer_log l
        JOIN interviews v ON v.id = l.interview_id ORDER BY 1;
      SELECT f.uuid, c.uuid, f.kind, f.status FROM flags f JOIN cases c ON c.id = f.case_id
        ORDER BY 1;"
}
# counts line of one table from sync's output: "inserted updated deleted"
counts() { echo "$OUT" | awk -v t="$1" '$1 == t { print $2, $3, $4 }'; }

setup_db
cati interviewer add sonam --role supervisor >/dev/null
cati interviewer add tashi >/dev/null
"$GEN" cati.db 40 12 a || fail "gen-results"

# --- first sync creates the central database -------------------------------
expect_rc 0 cati sync --to central.db --batch 7
expect_in "created central.db" "$OUT"
expect_in "40 cases examined, 40 changed, 0 conflicts" "$OUT"
expect_eq "40 0 0" "$(counts cases)" "cases inserted"
expect_eq "480 0 0" "$(counts answers)" "answers inserted"
expect_eq "4 0 0" "$(counts flags)" "flags inserted"
expect_eq "$(dump cati.db)" "$(dump central.db)" "central equals site"
expect_eq "ok" "$(sqlite3 central.db 'PRAGMA integrity_check')" "integrity"
expect_eq "1128354889" "$(sqlite3 central.db 'PRAGMA application_id')" "central application_id"
# the central database works with cati like any other
expect_rc 0 cati -d central.db interviewer list && expect_in "pema" "$OUT"
expect_in "admin" "$OUT"
expect_rc 0 cati -d central.db report rates --survey bench && expect_in "40 cases, 40 final" "$OUT"
expect_eq "$(cati report rates --survey bench)" "$(cati -d central.db report rates --survey bench)" \
    "rates at the site and centrally"

# --- twice: nothing changes -------------------------------------------------
before=$(sqlite3 central.db "SELECT total_changes(); SELECT count(*) FROM audit WHERE action <> 'sync in'")
sum1=$(dump central.db | md5sum)
expect_rc 0 cati sync --to central.db
expect_in "40 cases examined, 0 changed, 0 conflicts" "$OUT"
for t in surveys survey_versions interviewers cases phones case_fields calls interviews answers \
         answer_log flags; do
    expect_eq "0 0 0" "$(counts $t)" "second sync, $t"
done
expect_eq "$sum1" "$(dump central.db | md5sum)" "central after a second sync"
# --full compares every row and still finds nothing to write
expect_rc 0 cati sync --to central.db --full
expect_in "40 changed" "$OUT"
expect_eq "0 0 0" "$(counts answers)" "full sync, answers"
expect_eq "0 0 0" "$(counts cases)" "full sync, cases"

# --- a case changed again at the site is updated centrally -------------------
sql "UPDATE cases SET priority = 5, updated_at = updated_at + 100 WHERE ref = 'a-3';
     UPDATE answers SET value = '4' WHERE question = 'q2'
       AND interview_id = (SELECT id FROM interviews WHERE uuid = 'a-iv-3');
     DELETE FROM flags WHERE uuid = 'a-f-10';
     DELETE FROM answers WHERE question = 'q12'
       AND interview_id = (SELECT id FROM interviews WHERE uuid = 'a-iv-4');"
expect_rc 0 cati sync --to central.db
expect_in "3 changed" "$OUT"
expect_eq "0 1 0" "$(counts cases)" "changed case"
expect_eq "0 1 1" "$(counts answers)" "changed and removed answer"
expect_eq "0 0 1" "$(counts flags)" "withdrawn flag"
expect_eq "$(dump cati.db)" "$(dump central.db)" "central equals site after changes"

# --- kill -9 in the middle: no half-synced case, a rerun carries on -----------
CATI_FAULT_SYNC_KILL=3 cati sync --to killed.db --batch 6 >/dev/null 2>&1
rc=$?; expect_eq 137 "$rc" "exit status of the killed sync"
expect_eq "ok" "$(sqlite3 killed.db 'PRAGMA integrity_check')" "integrity after kill"
expect_eq "12" "$(sqlite3 killed.db 'SELECT count(*) FROM cases')" "cases of two committed batches"
expect_eq "0" "$(sqlite3 killed.db "SELECT count(*) FROM cases c WHERE
    (SELECT count(*) FROM interviews v WHERE v.case_id = c.id) <> 1 OR
    (SELECT count(*) FROM answers a JOIN interviews v ON v.id = a.interview_id
      WHERE v.case_id = c.id) <> 12 - (c.ref = 'a-4')")" "whole cases only"
expect_rc 0 cati sync --to killed.db --batch 6
expect_in "40 cases examined, 28 changed" "$OUT"
expect_eq "28 0 0" "$(counts cases)" "the rest after the kill"
expect_eq "$(dump cati.db)" "$(dump killed.db)" "central equals site after resuming"

# --- two sites into one central ---------------------------------------------
cati -d b.db init >/dev/null
"$GEN" b.db 25 12 b || fail "gen-results b"
expect_rc 0 cati -d b.db sync --to central.db
expect_in "25 cases examined, 25 changed, 0 conflicts" "$OUT"
expect_eq "0 0 0" "$(counts surveys)" "survey matched"
expect_eq "0 0 0" "$(counts survey_versions)" "version matched"
expect_eq "65" "$(sqlite3 central.db 'SELECT count(*) FROM cases')" "cases of both sites"
expect_eq "779" "$(sqlite3 central.db 'SELECT count(*) FROM answers')" "answers of both sites (one removed at a)"
expect_eq "2" "$(sqlite3 central.db 'SELECT count(*) FROM sync_sites')" "sites known"
expect_eq "1" "$(sqlite3 central.db "SELECT count(*) FROM interviewers WHERE login = 'pema'")" \
    "interviewers matched by login"

# --- the same case worked at two sites: a copy of site a ---------------------
sqlite3 cati.db "VACUUM INTO 'copy.db'"
sql "UPDATE cases SET priority = 7, state = 'open', updated_at = updated_at + 200 WHERE ref = 'a-5'"
sqlite3 copy.db "UPDATE cases SET priority = 8, state = 'open', updated_at = updated_at + 300 WHERE ref = 'a-5';
                 UPDATE cases SET priority = 1, updated_at = updated_at + 50 WHERE ref = 'a-6';"
sql "UPDATE cases SET priority = 2, updated_at = updated_at + 90 WHERE ref = 'a-6'"
expect_rc 0 cati sync --to central.db
expect_in "0 conflicts" "$OUT"
expect_rc 0 cati -d copy.db sync --to central.db
expect_in "2 conflicts" "$OUT"
expect_in "conflict: case a-case-5" "$OUT" && expect_in "kept the site's row" "$OUT"
expect_in "conflict: case a-case-6" "$OUT" && expect_in "kept the central row" "$OUT"
expect_eq "8" "$(sqlite3 central.db "SELECT priority FROM cases WHERE ref = 'a-5'")" "later wins"
expect_eq "2" "$(sqlite3 central.db "SELECT priority FROM cases WHERE ref = 'a-6'")" "earlier loses"
expect_eq "2" "$(sqlite3 central.db "SELECT count(*) FROM audit WHERE action = 'sync conflict'")" \
    "conflicts in the audit log"
expect_eq "3" "$(sqlite3 central.db 'SELECT count(*) FROM sync_sites')" "a copy is its own site"
expect_rc 0 cati -d copy.db sync --to central.db
expect_in "0 conflicts" "$OUT"

# --- refusals -----------------------------------------------------------------
CATI_USER=tashi expect_rc 1 cati sync --to central.db && expect_in "permission denied" "$ERR"
# the role that counts is the central one: sonam supervises the site, not central
CATI_USER=sonam expect_rc 1 cati sync --to central.db && expect_in "permission denied" "$ERR"
expect_rc 0 cati -d central.db interviewer add sonam --role supervisor
CATI_USER=sonam expect_rc 0 cati sync --to central.db
expect_rc 2 cati sync && expect_in "usage" "$ERR"
expect_rc 1 cati sync --to cati.db && expect_in "own database" "$ERR"
echo "not a db" > junk.db
expect_rc 1 cati sync --to junk.db && expect_in "not a cati database" "$ERR"
expect_eq "not a db" "$(cat junk.db)" "foreign file untouched"
finish
