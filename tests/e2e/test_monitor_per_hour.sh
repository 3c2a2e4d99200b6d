# Completes per hour has one definition (cati(1)): completes over the hours
# worked, each day from the start of the first call to the end of the last
# (at least a quarter hour). The monitor's COMPL/H and `cati report
# interviewers` give the same figure on the same data (they gave 2.25 and
# 5.62 here: "now" against the sum of call durations).
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:20"
setup_db
cati interviewer add pema >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
expect_rc 0 cati survey load "$DATA/serve.cati"
head -6 "$DATA/demo-sample.csv" > sample.csv
expect_rc 0 cati sample import --survey serve sample.csv
pema=$(sql "SELECT id FROM interviewers WHERE login = 'pema'")
t9=$(( $(sql "SELECT strftime('%s', '2026-11-02 10:10:00')") - 70 * 60 - 6 * 3600 ))   # 09:00 in Thimphu (UTC+6)
# three completes of 10 minutes at 09:00, 09:20, 09:40, a no-answer 10:10-10:12:
# worked 09:00 to 10:12 = 1.2 h, 3 / 1.2 = 2.50
sql "INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos, number, outcome, aapor, updated_at) VALUES
 ('k1', 1, 1, $pema, $t9, $t9 + 600, 1, '+975', 'complete', '1.1', 0),
 ('k2', 2, 1, $pema, $t9 + 1200, $t9 + 1800, 1, '+975', 'complete', '1.1', 0),
 ('k3', 3, 1, $pema, $t9 + 2400, $t9 + 3000, 1, '+975', 'complete', '1.1', 0),
 ('k4', 4, 1, $pema, $t9 + 4200, $t9 + 4320, 1, '+975', 'no-answer', '3.13', 0);" || fail "fixture"
export CATI_USER=sonam
expect_rc 0 cati report interviewers --format csv
expect_in "pema,,4,3,3,0,1.20,2.50" "$OUT" "report interviewers"
rep=$(printf '%s\n' "$OUT" | awk -F, '$1 == "pema" {print $8}' | tr -d '\r')
expect_rc 0 cati monitor --once --panel interviewers
mon=$(printf '%s\n' "$OUT" | awk '$1 == "pema" {print $NF}')
expect_eq "2.50" "$mon" "monitor COMPL/H"
expect_eq "$rep" "$mon" "monitor and report agree"
# an hour later, nothing new: the figure does not decay while nobody works
CATI_NOW="2026-11-02 11:20" expect_rc 0 cati monitor --once --panel interviewers
expect_eq "2.50" "$(printf '%s\n' "$OUT" | awk '$1 == "pema" {print $NF}')" "monitor COMPL/H later"
finish
