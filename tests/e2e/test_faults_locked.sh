# Fault suite: locked database. Another process holds the write lock past
# the busy timeout: the core (build/faults/locked) and the commands report
# that the database is busy and change nothing; once the lock goes, the
# same work succeeds, once.
. "$(dirname "$0")/lib.sh"

LOCKED="$(dirname "$CATI_BIN")/faults/locked"
[ -x "$LOCKED" ] || { fail "no $LOCKED: build it with make"; finish; }
cat >> cati.ini <<INI
[database]
busy_timeout_ms = 200
[calling]
hours = 00:00-24:00
days = mon-sun
INI
setup_db
for who in w1 w2; do cati interviewer add $who >/dev/null || fail "add $who"; done
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
{
    echo "ref,name,phone,service,agency,availed_on"
    for i in 1 2 3 4 5 6; do printf 'R%d,Respondent %d,1700000%d,cid_new,DCRC,2026-10-01\n' $i $i $i; done
} > sample.csv
cati sample import --survey serve sample.csv >/dev/null || fail "sample import"
now=$(date -d "2026-11-23 10:00" +%s)
export CATI_NOW=$now

# the core: answer, claim and call refused while locked; the retry saves once
if OUT=$("$LOCKED" "$WORK/cati.db" "$WORK/cati.ini" "$now" 2>&1); then
    echo "$OUT"
    expect_in "saving an answer refused: the database is busy" "$OUT"
    expect_in "holder killed" "$OUT"
    expect_in "none lost or doubled" "$OUT"
else
    fail "locked driver: $OUT"
fi

# the commands, against the sqlite3 shell holding BEGIN IMMEDIATE open
mkfifo "$WORK/hold"
sqlite3 -batch "$WORK/cati.db" < "$WORK/hold" > "$WORK/hold.out" 2>&1 &
holder=$!
trap 'kill $holder 2>/dev/null; cleanup' EXIT
exec 3> "$WORK/hold"
echo "BEGIN IMMEDIATE; UPDATE cases SET priority = priority; SELECT 'locked';" >&3
for _ in $(seq 250); do grep -q locked "$WORK/hold.out" && break; sleep 0.02; done
grep -q locked "$WORK/hold.out" || fail "the sqlite3 shell never took the lock: $(cat "$WORK/hold.out")"
calls=$(sql "SELECT count(*) FROM calls")
CATI_USER=w2 expect_rc 1 cati case next && expect_in "the database is busy" "$ERR"
echo "case next while locked: $ERR"
expect_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one error line"
CATI_USER=admin expect_rc 1 cati interviewer add w3 && expect_in "the database is busy" "$ERR"
echo "ROLLBACK;" >&3
exec 3>&-
wait $holder
CATI_USER=w2 expect_rc 0 cati case next && id=$OUT
CATI_USER=w2 expect_rc 0 cati case outcome "$id" busy
expect_eq $((calls + 1)) "$(sql "SELECT count(*) FROM calls")" "one call after the retry"
CATI_USER=admin expect_rc 0 cati interviewer add w3
expect_eq 1 "$(sql "SELECT count(*) FROM interviewers WHERE login = 'w3'")" "added once"
finish
