# An appointment booked on the case screen (date/time picker, "with me",
# a note) comes back at its time, to the interviewer who booked it first.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
printf 'ref,name,phone\nA-1,Sonam Dema,17111222\n' > one.csv
console_db one.csv

console a pema                              # 2026-11-24 10:00
twait a "Press Enter (or n)"
tkeys a n; twait a "Case A-1"
tkeys a o; twait a "Outcome of the call"
tkeys a 6; twait a "Appointment"
twait a "2026-11-24"                        # today, an hour from now by default
tkeys a Tab 1130 Tab Space Tab "after tea, ཞབས་ཏོག"
twait a "in 1 h 30 min"
expect_in "[x] held for you" "$(tscreen a)" "with me ticked"
tkeys a Enter
twait a "appointment 2026-11-24 11:30 with you"
at=$(sql "SELECT appointment_at FROM cases WHERE ref='A-1'")
expect_eq "$(TZ=Asia/Thimphu date -d '2026-11-24 11:30' +%s)" "$at" "appointment time"
expect_eq "pema" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id=c.appointment_with")" "hard appointment"
expect_eq "appointment|after tea, ཞབས་ཏོག" "$(sql "SELECT outcome || '|' || note FROM calls")" "call and note"
# nothing else to call now: the console says so and keeps waiting
tkeys a n
twait a "No case to offer now"
tkeys a Escape; twait_gone a "No case to offer now"
tkeys a q; twait a "[exited 0]"

# before its time nobody gets it; at its time it is held for pema
CATI_NOW="2026-11-24 11:20" console k karma
twait k "Press Enter (or n)"; tkeys k n; twait k "No case to offer now"
tkill k
CATI_NOW="2026-11-24 11:31" console k2 karma
twait k2 "Press Enter (or n)"; tkeys k2 n; twait k2 "No case to offer now"
tkill k2
CATI_NOW="2026-11-24 11:31" console b pema
twait b "Press Enter (or n)"; tkeys b n
twait b "Case A-1"
twait b "2026-11-24 11:30 with pema"
expect_in "after tea" "$(tscreen b)" "call history with the note"
tkeys b Enter
twait b "reached  ·"
finish
