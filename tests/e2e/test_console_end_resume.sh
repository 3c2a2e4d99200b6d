# Issue 11, section 1: an interview that reached its end resumes at its end,
# never as a new interview. A one-question survey: Enter, Enter, 4 Enter
# reaches "The interview has ended: complete"; the console is killed
# (kill -9, SIGHUP) before Enter records it, three rounds; on restart it
# resumes at the end, and Enter records it once: one interview, one export
# row, n 1 in the scores, final 1.1 after 1 attempt, RR1 100%. And from the
# command line: 'complete' needs an interview that reached its end; recorded
# as its interviewer it closes that interview. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
setup_db
cat > one.cati <<'S'
survey one "One question" version 1
languages en
parameters satisfaction
question q1 scale 1 5
  measures satisfaction
  text en "All in all, how satisfied are you with the service, from 1 to 5?"
S
cati survey load one.cati >/dev/null || fail "survey load"
printf 'ref,name,phone\nO-1,Sonam Dema,17100001\n' > one.csv
cati sample import --survey one one.csv >/dev/null || fail "sample import"
cati interviewer add pema --lang en >/dev/null
cati interviewer add boss --role supervisor >/dev/null
case_id() { sql "SELECT id FROM cases WHERE ref = '$1'"; }
o1=$(case_id O-1)
ivs() { sql "SELECT count(*) FROM interviews WHERE case_id = $1"; }
# gone PID: wait until the process has ended
gone() {
    local i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
    kill -0 "$1" 2>/dev/null && fail "console $1 still running"
}
# resumed NAME: the restarted console offers the case with its ended
# interview; Enter shows the end again, not q1
resumed() {
    twait "$1" "Case O-1"
    twait "$1" "Interview ended (1 answered), outcome not recorded yet: Enter shows it."
    twait "$1" "This case is still yours from before: Enter resumes the interview."
    expect_not_in "stopped at ''" "$(tscreen "$1")" "no empty question name"
    tkeys "$1" Enter
    twait "$1" "The interview has ended: complete."
    expect_not_in "q1  ·" "$(tscreen "$1")" "not a new interview at q1"
    expect_in "Enter Record & finish" "$(tscreen "$1" | sed -n 24p)" "the end's way out"
}

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 Enter
twait a1 "Case O-1"
tkeys a1 Enter
answer a1 q1 4 Enter
twait a1 "The interview has ended: complete."
expect_eq "1|" "$(sql "SELECT count(*), coalesce(outcome, '') FROM interviews WHERE case_id = $o1")" "ended, outcome not yet recorded"
# round 1: kill -9 at the end
pid=$(console_pid a1); kill -9 "$pid"
twait a1 "[exited 137]"
console a2 pema
resumed a2
# round 2: the terminal goes away (SIGHUP) at the end
pid=$(console_pid a2); tkill a2; gone "$pid"
expect_eq "1" "$(ivs "$o1")" "one interview after two kills"
console a3 pema
resumed a3
# round 3: kill -9 again
pid=$(console_pid a3); kill -9 "$pid"
twait a3 "[exited 137]"
expect_eq "1" "$(ivs "$o1")" "one interview after three kills"
console a4 pema
resumed a4
tkeys a4 Enter
twait a4 "Case O-1: complete recorded (1.1), case closed."
twait a4 "Interviews done         1"

expect_eq "1|complete|live" "$(sql "SELECT count(*), group_concat(outcome), group_concat(state) FROM interviews WHERE case_id = $o1")" "exactly one interview, complete"
expect_eq "4" "$(sql "SELECT value FROM answers")" "the answer"
expect_eq "1|complete|1.1" "$(sql "SELECT count(*), outcome, aapor FROM calls WHERE case_id = $o1")" "one call"
expect_rc 0 cati export --survey one --out out1
expect_eq "1" "$(tail -n +2 out1/one_interviews.csv | grep -c .)" "export rows"
expect_rc 0 cati report scores
expect_eq "1|4.00" "$(echo "$OUT" | awk '$1 == "one" && $2 == "(all" {print $(NF-2) "|" $(NF-1)}')" "scores: n and mean"
CATI_USER=boss expect_rc 0 cati case show "$o1"
expect_in "state: final  attempts: 1" "$OUT" "case show"
expect_in "disposition: 1.1 complete interview" "$OUT" "case show"
expect_rc 0 cati report rates
expect_in "RR1    1.0000  (100.0%)" "$OUT" "rates"

# --- the command line: 'complete' needs an interview that reached its end
printf 'ref,name,phone\nO-2,Tashi Dorji,17100002\nO-3,Kinley Wangmo,17100003\n' > more.csv
cati sample import --survey one more.csv >/dev/null || fail "sample import"
o2=$(case_id O-2)
tkeys a4 Enter
twait a4 "Case O-2"
tkeys a4 Enter
answer a4 q1 5
twait a4 "Answer: 5"
pid=$(console_pid a4); kill -9 "$pid"         # before the answer is accepted
twait a4 "[exited 137]"
CATI_USER=pema expect_rc 1 cati case outcome "$o2" complete && expect_in "case $o2 has no completed interview" "$ERR"
expect_eq "new|0|" "$(sql "SELECT state, (SELECT count(*) FROM calls WHERE case_id = $o2), coalesce((SELECT outcome FROM interviews WHERE case_id = $o2), '') FROM cases WHERE id = $o2")" "nothing recorded"
console a5 pema
twait a5 "Unfinished interview: 0 answered, stopped at 'q1'. Enter resumes it."
tkeys a5 Enter
answer a5 q1 5 Enter
twait a5 "The interview has ended: complete."
pid=$(console_pid a5); kill -9 "$pid"
twait a5 "[exited 137]"
CATI_USER=pema expect_rc 0 cati case outcome "$o2" complete
expect_eq "case $o2: complete (1.1), final 1.1" "$OUT" "recorded from the command line"
expect_eq "1|complete|live" "$(sql "SELECT count(*), group_concat(outcome), group_concat(state) FROM interviews WHERE case_id = $o2")" "the interview closed with the call"
expect_eq "final|1.1|" "$(sql "SELECT state, disposition, coalesce(claimed_by, '') FROM cases WHERE id = $o2")" "case final"
expect_eq "0" "$(sql "SELECT count(*) FROM audit WHERE action = 'case outcome'")" "an interviewer's complete is not a supervisor's override"
# a supervisor's complete without an interview: only with a note, audited
o3=$(case_id O-3)
CATI_USER=boss expect_rc 1 cati case outcome "$o3" complete && expect_in "only with --note" "$ERR"
CATI_USER=boss expect_rc 0 cati case outcome "$o3" complete --note "answered on paper"
expect_eq "$o3 complete: answered on paper" "$(sql "SELECT detail FROM audit WHERE login = 'boss' AND action = 'case outcome'")" "audited"
expect_rc 0 cati export --survey one --out out2
expect_eq "2" "$(tail -n +2 out2/one_interviews.csv | grep -c .)" "export: the two interviews, not the paper one"

# released at the end screen: the lost screen says the interview is whole and
# only the call is missing; whoever holds the case next records it once
printf 'ref,name,phone\nO-4,Dechen Zangmo,17100004\n' > four.csv
cati sample import --survey one four.csv >/dev/null || fail "sample import"
o4=$(case_id O-4)
cati interviewer add karma --lang en >/dev/null
console a6 pema
twait a6 "Press Enter (or n) for the next case"
tkeys a6 Enter
twait a6 "Case O-4"
tkeys a6 Enter
answer a6 q1 3 Enter
twait a6 "The interview has ended: complete."
CATI_USER=boss expect_rc 0 cati case release "$o4"
tkeys a6 Enter                                  # record & finish, after the release
twait a6 "Case O-4 is no longer yours"
twait a6 "The interview had reached its end (complete): every answer was saved, but"
twait a6 "the outcome of the call was not recorded."
expect_eq "0|" "$(sql "SELECT (SELECT count(*) FROM calls WHERE case_id = $o4), coalesce((SELECT outcome FROM interviews WHERE case_id = $o4), '')")" "nothing recorded for pema"
tkeys a6 Enter
twait a6 "Press Enter (or n) for the next case"
CATI_USER=karma expect_rc 0 cati case next && expect_eq "$o4" "$OUT" "karma holds it"
CATI_USER=karma expect_rc 0 cati case outcome "$o4" complete
expect_eq "1|complete|final|1.1" "$(sql "SELECT count(*), group_concat(v.outcome), c.state, c.disposition FROM interviews v JOIN cases c ON c.id = v.case_id WHERE c.id = $o4")" "one interview, recorded once"
tkeys a6 q
twait a6 "[exited 0]"
finish
