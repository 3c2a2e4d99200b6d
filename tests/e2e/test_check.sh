# cati check (issue 11 §5): exit 0 and one "ok" line on a sound database;
# every violation listed with its case's ref and exit 1; supervisors and
# admins only (an interviewer gets one line, exit 1, like every role
# refusal); the shell knows the command.
. "$(dirname "$0")/lib.sh"
setup_db
"$REPO/scripts/gen-results" cati.db 40 6 k || fail "gen-results"
cati interviewer add sonam --role supervisor >/dev/null
cati interviewer add tashi >/dev/null

CATI_USER=sonam expect_rc 0 cati check && expect_in "ok: 40 cases" "$OUT" && expect_eq "" "$ERR" "stderr when sound"
CATI_USER=tashi expect_rc 1 cati check &&
    expect_eq "cati: permission denied: this needs the supervisor role, 'tashi' is interviewer" "$ERR" "interviewer refused" &&
    expect_eq "" "$OUT" "stdout when refused"
expect_rc 2 cati check --all && expect_in "usage: cati check" "$ERR"

# corrupt it: every kind the command can see from the rows
c3=$(sql "SELECT id FROM cases WHERE ref = 'k-3'")
c4=$(sql "SELECT id FROM cases WHERE ref = 'k-4'")
c5=$(sql "SELECT id FROM cases WHERE ref = 'k-5'")
sql "UPDATE cases SET disposition = '2.30', interim_code = '2.30' WHERE id = $c3;
     UPDATE cases SET claimed_by = 1 WHERE id = $c4;
     UPDATE interviews SET state = 'abandoned' WHERE case_id = $c5;
     UPDATE call_hours SET n = n + 1 WHERE hour = (SELECT min(hour) FROM call_hours);"
expect_rc 1 cati check
expect_in "disposition k-3 (case $c3): final 2.30, but its calls give 1.1" "$OUT"
expect_in "interview   k-3 (case $c3): completed interview" "$OUT"
expect_in "lease       k-4 (case $c4): claimed by admin without a lease" "$OUT"
expect_in "complete    k-5 (case $c5): coded 1.1 without a live completed interview" "$OUT"
expect_in "counter     call_hours (hour " "$OUT"
expect_eq "cati: check: 5 violations in $WORK/cati.db" "$ERR" "the verdict"
expect_eq 5 "$(printf '%s\n' "$OUT" | wc -l)" "one line a violation"

# the shell runs it too
CATI_USER=sonam expect_rc 1 cati shell <<< 'check' && expect_in "disposition k-3" "$OUT"

# a file that is not sound at all
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
pages=$(sql "PRAGMA page_count")
head -c 8192 /dev/zero | tr '\0' '\377' | dd of=cati.db bs=4096 seek=$((pages - 2)) conv=notrunc 2>/dev/null
expect_rc 1 cati check && expect_in "integrity" "$OUT$ERR"

[ $fails -eq 0 ] && echo "all ok"
exit $fails
