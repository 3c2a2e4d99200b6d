# An appointment booked on the case screen (date/time picker, "with me",
# a note) comes back at its time, to the interviewer who booked it first.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
printf 'ref,name,phone\nA-1,Sonam Dema,17111222\n' > one.csv
console_db one.csv

console a1 pema                              # 2026-11-24 10:00
twait a1 "Press Enter (or n)"
tkeys a1 n; twait a1 "Case A-1"
tkeys a1 o; twait a1 "Outcome of the call"
tkeys a1 6; twait a1 "Appointment"
twait a1 "2026-11-24"                        # today, an hour from now by default
tkeys a1 Tab 1130 Tab Space Tab "after tea, ཞབས་ཏོག"
twait a1 "in 1 h 30 min"
expect_in "[x] held for you" "$(tscreen a1)" "with me ticked"
tkeys a1 Enter
twait a1 "appointment 2026-11-24 11:30 with you"
at=$(sql "SELECT appointment_at FROM cases WHERE ref='A-1'")
expect_eq "$(TZ=Asia/Thimphu date -d '2026-11-24 11:30' +%s)" "$at" "appointment time"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.appointment_with")" "hard appointment"
expect_eq "appointment|after tea, ཞབས་ཏོག" "$(sql "SELECT outcome || '|' || note FROM calls")" "call and note"
# nothing else to call now: the console says so and keeps waiting
tkeys a1 n
twait a1 "No case to offer now"
tkeys a1 Escape; twait_gone a1 "No case to offer now"
tkeys a1 q; twait a1 "[exited 0]"

# before its time nobody gets it; at its time it is held for pema
CATI_NOW="2026-11-24 11:20" console k1 karma
twait k1 "Press Enter (or n)"; tkeys k1 n; twait k1 "No case to offer now"
tkill k1
CATI_NOW="2026-11-24 11:31" console k2 karma
twait k2 "Press Enter (or n)"; tkeys k2 n; twait k2 "No case to offer now"
tkill k2
CATI_NOW="2026-11-24 11:31" console b1 pema
twait b1 "Press Enter (or n)"; tkeys b1 n
twait b1 "Case A-1"
twait b1 "2026-11-24 11:30 with pema"
expect_in "after tea" "$(tscreen b1)" "call history with the note"
tkeys b1 Enter

# F10 in the interview: an appointment to finish it later keeps it open;
# it waits for its time, then resumes where it stopped
answer b1 reached 1 Enter
answer b1 received 1 Enter
answer b1 consent 1 Enter
answer b1 access 3 Enter
answer b1 access_req F10
twait b1 "Stop the interview"
tkeys b1 1; twait b1 "Appointment"
tkeys b1 Tab 1400 Enter
twait b1 "appointment 2026-11-24 14:00"
expect_eq "" "$(sql "SELECT coalesce(outcome, '') FROM interviews")" "interview still open"
tkeys b1 n; twait b1 "No case to offer now"
tkeys b1 q; twait b1 "[exited 0]"
CATI_NOW="2026-11-24 14:00" console c1 pema
twait c1 "Press Enter (or n)"; tkeys c1 n
twait c1 "Unfinished interview: 4 answered, stopped at 'access_req'"
tkeys c1 Enter
twait c1 "access_req  ·"
# break-off: a few answers only, so 2.12 (not a partial)
tkeys c1 C-x; twait c1 "Stop the interview"
tkeys c1 2; twait c1 "Record the call"
expect_in "breakoff" "$(tscreen c1)" "break-off confirmation"
tkeys c1 "did not want to go on" Enter
twait c1 "breakoff recorded (2.12), case closed"
expect_eq "breakoff|2.12|final" "$(sql "SELECT i.outcome, c.disposition, c.state FROM interviews i, cases c")" "break-off"
expect_eq "did not want to go on" "$(sql "SELECT note FROM calls ORDER BY id DESC LIMIT 1")" "break-off note"
finish
