# The console loses nothing: kill -9 in the middle of an interview, or the
# terminal gone (SIGHUP: tmux kill-session), or SIGTERM; on restart the same
# interviewer resumes at the same question with every earlier answer.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

console a pema
twait a "Press Enter (or n) for the next case"
tkeys a n; twait a "Case T-1"; tkeys a Enter
answer a reached 1 Enter
answer a received 1 Enter
answer a consent 1 Enter
answer a access 2 Enter
answer a access_req 5 Enter
twait a "access_visits  ·"
tkeys a 7                                  # typed, not yet accepted
pid=$(console_pid a)
[ -n "$pid" ] || fail "no console process"
kill -9 "$pid"
twait a "[exited 137]"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.claimed_by WHERE ref='T-1'")" "lease kept for pema"

# another interviewer does not get the case meanwhile
console k karma
twait k "Press Enter (or n)"; tkeys k n
twait k "Case T-2"
tkeys k o; twait k "Outcome of the call"; tkeys k 2; twait k "Record the call"; tkeys k Enter
twait k "no-answer recorded"

# restart: the unfinished interview comes first
console b pema
twait b "Case T-1"
twait b "Unfinished interview: 5 answered, stopped at 'access_visits'"
tkeys b Enter
twait b "access_visits  ·"
expect_not_in "Answer: 7" "$(tscreen b)" "the unaccepted key is gone"
tkeys b PPage; twait b "access_req  ·"
expect_in "Answer: 5" "$(tscreen b)" "access_req kept"
tkeys b PPage; twait b "access  ·"
expect_in "Answer: 2" "$(tscreen b)" "access kept"
tkeys b PgDn; twait b "access_visits  ·"   # forward over the answered ones
tkeys b 3 Enter
twait b "access_why  ·"                    # access 2 routes here
tkeys b "the road was closed"
# SIGHUP: the terminal goes away
pid=$(console_pid b)
tkill b
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
kill -0 "$pid" 2>/dev/null && fail "console still running after SIGHUP"
iv=$(sql "SELECT id FROM interviews WHERE case_id=(SELECT id FROM cases WHERE ref='T-1')")
expect_eq "access_why" "$(sql "SELECT current_question FROM interviews WHERE id=$iv")" "cursor saved"
expect_eq "3" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_visits'")" "access_visits saved"

console c pema
twait c "Unfinished interview: 6 answered, stopped at 'access_why'"
tkeys c Enter
answer c access_why "the road was closed" Enter
twait c "time_rate  ·"
# SIGTERM: quiet exit 1, the case still leased to pema
kill -TERM "$(console_pid c)"
twait c "[exited 1]"
expect_not_in "cati:" "$(tscreen c)" "quiet on SIGTERM"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.claimed_by WHERE ref='T-1'")" "lease kept after SIGTERM"
expect_eq "the road was closed" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_why'")" "text saved"
expect_eq "1" "$(sql "SELECT count(*) FROM interviews")" "one interview"
finish
