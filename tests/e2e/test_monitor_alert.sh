# cati monitor at 80x24: the new-flags alert is on the screen, whole, on
# every panel, the All view and the case view (it was off-screen at 80
# columns), even with a long login and survey name in the title; it goes
# when the flag is marked seen.
. "$(dirname "$0")/lib.sh"
cat >> cati.ini <<INI
[monitor]
refresh_seconds = 1
INI
export CATI_NOW="2026-11-02 10:00"
setup_db
cati interviewer add tshering.yangchen.dorji --role supervisor >/dev/null || fail "add supervisor"
sed 's/^survey serve /survey citizen_feedback_dzongkhag_services /' "$DATA/serve.cati" > long.cati
expect_rc 0 cati survey load long.cati
head -4 "$DATA/demo-sample.csv" > sample.csv
expect_rc 0 cati sample import --survey citizen_feedback_dzongkhag_services sample.csv
id=$(sql "SELECT min(id) FROM cases")
export CATI_USER=tshering.yangchen.dorji TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor --survey citizen_feedback_dzongkhag_services
twait mon "QUEUE" || finish
expect_not_in "NEW FLAG" "$(tscreen mon)" "no alert without a new flag"
sql "INSERT INTO flags(uuid, case_id, kind, question, text, raised_at, updated_at)
     VALUES ('e2e-f1', $id, 'complaint', 'complaint', 'The counter was closed twice', strftime('%s'), 0);"
twait mon "1 NEW FLAG (5)" 5 || finish
for k in 2 3 4 5 a; do
    tkeys mon "$k"; sleep 0.3
    expect_in "1 NEW FLAG (5)" "$(tscreen mon | sed -n 1p)" "alert on panel $k"
done
sql "INSERT INTO flags(uuid, case_id, kind, question, text, raised_at, updated_at)
     VALUES ('e2e-f2', $id, 'integrity', 'bribe', 'Asked for money', strftime('%s'), 0);"
twait mon "2 NEW FLAGS (5)" 5
tkeys mon o; twait mon "open which case?"; tkeys mon C-u "$id" Enter
twait mon "CASE $id" || finish
expect_in "2 NEW FLAGS (5)" "$(tscreen mon | sed -n 1p)" "alert on the case view"
tkeys mon Escape
# marked seen: one left, then none
tkeys mon 5; twait mon "FLAGS   2 new of 2"
tkeys mon S; twait mon "marked seen"
twait mon "1 NEW FLAG (5)"
tkeys mon Down S; twait mon "FLAGS   0 new of 2"
expect_not_in "NEW FLAG" "$(tscreen mon | sed -n 1p)" "alert gone"
tkeys mon q
twait mon "[exited 0]"
finish
