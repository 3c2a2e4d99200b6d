# The console loses nothing: kill -9 in the middle of an interview, or the
# terminal gone (SIGHUP: tmux kill-session), or SIGTERM; on restart the same
# interviewer resumes at the same question with every earlier answer.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n; twait a1 "Case T-1"; tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 2 Enter
answer a1 access_req 5 Enter
twait a1 "access_visits  ·"
tkeys a1 7                                  # typed, not yet accepted
pid=$(console_pid a1)
[ -n "$pid" ] || fail "no console process"
kill -9 "$pid"
twait a1 "[exited 137]"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.claimed_by WHERE ref='T-1'")" "lease kept for pema"

# another interviewer does not get the case meanwhile
console k1 karma
twait k1 "Press Enter (or n)"; tkeys k1 n
twait k1 "Case T-2"
tkeys k1 o; twait k1 "Outcome of the call"; tkeys k1 2; twait k1 "Record the call"; tkeys k1 Enter
twait k1 "no-answer recorded"

# restart: the unfinished interview comes first
console b1 pema
twait b1 "Case T-1"
twait b1 "Unfinished interview: 5 answered, stopped at 'access_visits'"
tkeys b1 Enter
twait b1 "access_visits  ·"
expect_not_in "Answer: 7" "$(tscreen b1)" "the unaccepted key is gone"
tkeys b1 PPage; twait b1 "access_req  ·"
expect_in "Answer: 5" "$(tscreen b1)" "access_req kept"
tkeys b1 PPage; twait b1 "access  ·"
expect_in "Answer: 2" "$(tscreen b1)" "access kept"
tkeys b1 PgDn; twait b1 "access_req  ·"      # forward one question at a time
expect_in "Answer: 5" "$(tscreen b1)" "PgDn: access_req next"
tkeys b1 PgDn; twait b1 "access_visits  ·"
tkeys b1 3 Enter
twait b1 "access_why  ·"                    # access 2 routes here
tkeys b1 "the road was closed"
# SIGHUP: the terminal goes away
pid=$(console_pid b1)
tkill b1
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
kill -0 "$pid" 2>/dev/null && fail "console still running after SIGHUP"
iv=$(sql "SELECT id FROM interviews WHERE case_id=(SELECT id FROM cases WHERE ref='T-1')")
expect_eq "access_why" "$(sql "SELECT current_question FROM interviews WHERE id=$iv")" "cursor saved"
expect_eq "3" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_visits'")" "access_visits saved"

console c1 pema
twait c1 "Unfinished interview: 6 answered, stopped at 'access_why'"
tkeys c1 Enter
answer c1 access_why "the road was closed" Enter
twait c1 "time_rate  ·"
# SIGTERM: quiet exit 1, the case still leased to pema
kill -TERM "$(console_pid c1)"
twait c1 "[exited 1]"
expect_not_in "cati:" "$(tscreen c1)" "quiet on SIGTERM"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.claimed_by WHERE ref='T-1'")" "lease kept after SIGTERM"
expect_eq "the road was closed" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_why'")" "text saved"
expect_eq "1" "$(sql "SELECT count(*) FROM interviews")" "one interview"
finish
