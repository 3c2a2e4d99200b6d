# The console: a complete ServE interview from the next case to the end;
# the answers and the disposition in the database match the keys sent.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

# an unknown login gets one clear line, no curses
CATI_USER=nobody expect_rc 1 cati console </dev/null && expect_in "unknown interviewer 'nobody'" "$ERR"
expect_rc 1 cati console </dev/null && expect_in "needs a terminal" "$ERR"

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case T-1"
twait a1 "Read:  Hello, may I speak with Leki Yangden?"
expect_in "> 1  +97517819192  dial this number" "$(tscreen a1)" "case screen"
# a wrong number: the case stays, its next number marked to dial at once
tkeys a1 o; twait a1 "Outcome of the call"
tkeys a1 b; twait a1 "Record the call"
expect_in "wrong-number, AAPOR 4.41" "$(tscreen a1)" "confirmation"
tkeys a1 Enter
twait a1 "Dial number 2: +97577123456"
twait a1 "> 2  +97577123456  dial this number"
expect_in "wrong-number" "$(tscreen a1)" "history and the retired number"
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 4 Enter
answer a1 access_req Down Down Down Down Enter      # arrows: the 4th row is 4
answer a1 access_visits 2 Enter
answer a1 time_rate 4 Enter
answer a1 time_days 10 Enter
answer a1 time_std 1 Enter
answer a1 time_prompt 4 Enter
answer a1 att_rate 5 Enter
answer a1 att_courtesy 4 Enter
answer a1 att_prof 4 Enter
answer a1 att_empathy 4 Enter
answer a1 int_rate 4 Enter
answer a1 bribe 2 Enter
answer a1 fb_rate 3 Enter
answer a1 fb_know 1 Enter
answer a1 complain 1 Enter
answer a1 complaint "The counter closed early; ཁ་སླབ་མ་ཚུགས།" Enter
answer a1 overall 4 Enter
answer a1 age 3 Enter
answer a1 gender 2 Enter
twait a1 "The interview has ended: complete."
tkeys a1 Enter
twait a1 "complete recorded (1.1), case closed"
twait a1 "Interviews done         1"

iv=$(sql "SELECT id FROM interviews")
expect_eq "complete" "$(sql "SELECT outcome FROM interviews WHERE id=$iv")" "interview outcome"
expect_eq "1.1|final" "$(sql "SELECT disposition, state FROM cases WHERE ref='T-1'")" "disposition"
expect_eq "wrong-number|4.41|1|pema complete|1.1|2|pema" "$(sql "SELECT group_concat(c.outcome || '|' || c.aapor || '|' || c.phone_pos || '|' || i.login, ' ') FROM calls c JOIN interviewers i ON i.id=c.interviewer_id")" "calls"
got=$(sql "SELECT group_concat(question || '=' || value, ' ') FROM (SELECT question, value FROM answers WHERE interview_id=$iv AND on_route=1 ORDER BY seq)")
want="reached=1 received=1 consent=1 access=4 access_req=4 access_visits=2 time_rate=4 time_days=10 time_std=1 time_prompt=4 att_rate=5 att_courtesy=4 att_prof=4 att_empathy=4 int_rate=4 bribe=2 fb_rate=3 fb_know=1 complain=1 complaint=The counter closed early; ཁ་སླབ་མ་ཚུགས། overall=4 age=3 gender=2"
expect_eq "$want" "$got" "answers"
expect_eq "complaint" "$(sql "SELECT kind FROM flags")" "complaint flag"
expect_eq "" "$(sql "SELECT claimed_by FROM cases WHERE ref='T-1'")" "lease released"

# quit from the idle screen: exit 0
tkeys a1 q
twait a1 "[exited 0]"
finish
