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
# --- issue 11 §2: the same refs completed at two sites -----------------------
# site s2 has its own uuids for the same six refs and completed x-1 an hour
# before s1 did; its answers are the same, so scores must equal a site's
cati -d s1.db init >/dev/null && "$GEN" s1.db 6 12 x || fail "gen-results s1"
cati -d s2.db init >/dev/null && "$GEN" s2.db 6 12 x || fail "gen-results s2"
sqlite3 s2.db "UPDATE cases SET uuid = 'y' || uuid; UPDATE calls SET uuid = 'y' || uuid;
  UPDATE interviews SET uuid = 'y' || uuid; UPDATE answers SET uuid = 'y' || uuid;
  UPDATE answer_log SET uuid = 'y' || uuid; UPDATE flags SET uuid = 'y' || uuid;
  UPDATE interviews SET completed_at = completed_at - 3600 WHERE uuid = 'yx-iv-1';"
expect_rc 0 cati -d s1.db sync --to two.db
# the night after s1's push: its six interviews are delivered
expect_rc 0 cati -d two.db export --survey bench --out night1 --since-last
expect_in "exported 6 interviews" "$OUT"
expect_rc 0 cati -d s2.db sync --to two.db
expect_in "6 completed interviews are now duplicates: their cases were completed at more than one site" "$OUT"
# ... and the next night delivers none of s2's: each case once, ever
expect_rc 0 cati -d two.db export --survey bench --out night2 --since-last
expect_in "exported 0 interviews" "$OUT"
expect_eq "6" "$(sqlite3 two.db 'SELECT count(*) FROM cases')" "one central case per ref"
expect_eq "x-case-1" "$(sqlite3 two.db "SELECT uuid FROM cases WHERE ref = 'x-1'")" \
    "a case matched by ref keeps the first uuid seen"
expect_eq "x-case-1|x-case-1 yx-case-1" "$(sqlite3 two.db "SELECT c.uuid, group_concat(m.site_uuid, ' ')
    FROM (SELECT * FROM sync_case_map ORDER BY site_uuid) m JOIN cases c ON c.id = m.case_id
    WHERE c.ref = 'x-1' GROUP BY c.id")" "both sites' uuids map to the case"
expect_eq "6|6" "$(sqlite3 two.db "SELECT sum(state = 'live'), sum(state = 'duplicate') FROM interviews")" \
    "one live interview per case, the others duplicates"
expect_eq "1 2" "$(sqlite3 two.db "SELECT group_concat(attempt, ' ') FROM (SELECT attempt FROM calls
    WHERE case_id = (SELECT id FROM cases WHERE ref = 'x-1') ORDER BY attempt)")" \
    "both sites' call #1 numbered 1 and 2 centrally"
# export, rates and scores agree: 6 completes
expect_rc 0 cati -d two.db export --survey bench --out two-out
expect_in "exported 6 interviews" "$OUT"
expect_eq "1" "$(grep -c '^x-case-1,' two-out/bench_interviews.csv)" "one export row for x-1"
expect_in "x-case-1,x-iv-1," "$(cat two-out/bench_interviews.csv)" \
    "the interview that reached the central database first is exported (although s2 completed x-1 earlier)"
expect_eq "6" "$(cati -d two.db report rates --survey bench | awk '$1 == "1.1" { print $2 }')" \
    "complete cases in rates"
expect_eq "$(cati -d s1.db report scores --survey bench)" "$(cati -d two.db report scores --survey bench)" \
    "central scores count each case once"
# listed with readable times, sites, interviewers and the reason
expect_rc 0 cati -d two.db sync conflicts
expect_in "case x-case-1 (survey bench, ref x-1) was completed at more than one site" "$OUT"
expect_in "interview yx-iv-1" "$OUT" && expect_in "interviewer pema (Pema Wangmo)" "$OUT"
expect_in "s2.db" "$OUT" && expect_in "why: first to reach the central database" "$OUT"
expect_in "6 cases completed at more than one site" "$OUT"
echo "$OUT" | grep -Eq "^  kept +20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]  interview" ||
    fail "kept line with a local time: $OUT"
expect_not_in "17000" "$OUT" "conflicts (raw epoch seconds)"
CATI_USER=tashi expect_rc 1 cati -d two.db sync conflicts
# a supervisor keeps the other interview: audited, exported instead, and it holds
expect_rc 0 cati -d two.db sync conflicts --keep yx-iv-1
expect_rc 3 cati -d two.db sync conflicts --keep yx-iv-1
expect_rc 1 cati -d two.db sync conflicts --keep no-such-iv && expect_in "no interview" "$ERR"
expect_eq "1" "$(sqlite3 two.db "SELECT count(*) FROM audit WHERE action = 'sync keep'")" "choice audited"
expect_rc 0 cati -d two.db sync conflicts && expect_in "why: chosen by admin on 20" "$OUT"
sqlite3 s2.db "UPDATE interviews SET language = 'dz', updated_at = updated_at + 10 WHERE uuid = 'yx-iv-1'"
expect_rc 0 cati -d s2.db sync --to two.db && expect_in "1 changed" "$OUT"
expect_eq "live" "$(sqlite3 two.db "SELECT state FROM interviews WHERE uuid = 'yx-iv-1'")" "the choice holds"
expect_rc 0 cati -d two.db export --survey bench --out two-out2
expect_in "exported 6 interviews" "$OUT"
expect_in "x-case-1,yx-iv-1," "$(cat two-out2/bench_interviews.csv)" "the chosen interview is exported"
# the supervisor's choice reaches the analysts once, as a correction
expect_rc 0 cati -d two.db export --survey bench --out night3 --since-last
expect_in "exported 1 interview and" "$OUT"
expect_in "x-case-1,yx-iv-1," "$(cat night3/bench_interviews.csv)" "the correction"
expect_eq "$(cati -d s1.db report scores --survey bench)" "$(cati -d two.db report scores --survey bench)" \
    "scores after the choice"
expect_rc 0 cati -d s1.db sync --to two.db && expect_in "0 changed" "$OUT"
expect_rc 0 cati -d s2.db sync --to two.db && expect_in "0 changed" "$OUT"

# --- issue 11 §2: the central's roles decide, not the site's ------------------
# own.ini does not allow CATI_USER: the OS login, unknown to two.db, makes
# its own site, imports a production ref under a changed name, calls it
cat > own.ini <<INI
[database]
path = $WORK/own.db
[calling]
hours = 00:00-24:00
days = mon-sun
INI
me=$(id -un)
expect_eq "" "$(sqlite3 two.db "SELECT login FROM interviewers WHERE login = '$me'")" "OS login unknown centrally"
expect_rc 0 cati -c own.ini init
printf 'survey bench "Benchmark survey" version 1\nlanguages en\n\nquestion q1 single\n  text en "Served?"\n  choice 1 "Yes"\n  choice 2 "No"\n' > bench.cati
expect_rc 0 cati -c own.ini survey load bench.cati
printf 'ref,name,phone\nx-2,Changed Name,17123456\n' > own.csv
expect_rc 0 cati -c own.ini sample import --survey bench own.csv
expect_rc 0 cati -c own.ini case next && id=$OUT
expect_rc 0 cati -c own.ini case outcome "$id" no-answer
before=$(dump two.db | md5sum; sqlite3 two.db "SELECT login, role, active FROM interviewers ORDER BY 1;
  SELECT count(*) FROM audit; SELECT count(*) FROM sync_sites")
expect_rc 1 cati -c own.ini sync --to two.db
expect_in "permission denied" "$ERR" && expect_eq 1 "$(echo "$ERR" | wc -l)" "one line"
expect_eq "$before" "$(dump two.db | md5sum; sqlite3 two.db "SELECT login, role, active FROM interviewers
  ORDER BY 1; SELECT count(*) FROM audit; SELECT count(*) FROM sync_sites")" "central unchanged"
expect_eq "Respondent 2" "$(sqlite3 two.db "SELECT name FROM cases WHERE ref = 'x-2'")" "name unchanged"
# a site's roles never travel: s1's pema made admin there stays a disabled interviewer centrally
sqlite3 s1.db "UPDATE interviewers SET role = 'admin' WHERE login = 'pema';
  UPDATE cases SET priority = 4, updated_at = updated_at + 5 WHERE ref = 'x-3'"
expect_rc 0 cati -d s1.db sync --to two.db
expect_eq "interviewer|0" "$(sqlite3 two.db "SELECT role, active FROM interviewers WHERE login = 'pema'")" \
    "site roles are not imported"
finish
