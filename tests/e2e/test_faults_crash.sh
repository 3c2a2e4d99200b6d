# Fault suite: crash at any point. Two interviewers answer ServE interviews
# through the core (build/faults/crash) and are killed with SIGKILL at random
# moments; after every round the database must pass integrity_check, hold
# every acknowledged answer, resume each interview at the right question and
# give held cases back once their lease ends (see tests/faults/crash.c).
# CATI_FAULTS=long (make test-faults): 200 kills; otherwise 16.
. "$(dirname "$0")/lib.sh"

CRASH="$(dirname "$CATI_BIN")/faults/crash"
[ -x "$CRASH" ] || { fail "no $CRASH: build it with make"; finish; }
kills=16
[ "${CATI_FAULTS:-}" = long ] && kills=200
seed=${CATI_FAULTS_SEED:-$$}

cat >> cati.ini <<INI
[calling]
hours = 00:00-24:00
days = mon-sun
INI
setup_db
for who in w1 w2 checker; do cati interviewer add $who >/dev/null || fail "add $who"; done
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
{
    echo "ref,name,phone,service,agency,availed_on"
    i=1
    while [ $i -le 1500 ]; do
        printf 'R%04d,Respondent %d,17%06d,cid_new,DCRC,2026-10-01\n' $i $i $i
        i=$((i + 1))
    done
} > sample.csv
cati sample import --survey serve sample.csv >/dev/null || fail "sample import"

now=$(date -d "2026-11-23 10:00" +%s)
echo "seed $seed, $kills kills"
if OUT=$("$CRASH" "$WORK/cati.db" "$WORK/cati.ini" "$kills" "$seed" "$now" 2>&1); then
    echo "$OUT"
    expect_in "$kills kills survived" "$OUT" || expect_in "kills survived" "$OUT"
    expect_in ", 0 lost;" "$OUT"
else
    fail "crash harness (seed $seed): $OUT"
fi
expect_eq ok "$(sql 'PRAGMA integrity_check')" "integrity at the end"
# the answers were stored verbatim, hostile text included
hostile="'''); DROP TABLE cases; --'"   # the SQL literal of: '); DROP TABLE cases; --
expect_eq "0" "$(sql "SELECT count(*) FROM answers WHERE value LIKE '%DROP TABLE%' AND value <> $hostile")" "text stored verbatim"
[ "$(sql "SELECT count(*) FROM answers WHERE value = $hostile")" -gt 0 ] || fail "no hostile text answer stored"
finish
