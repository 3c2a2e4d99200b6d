# Issue 12: times are shown as times, never as configuration key names: the
# console's "next try" after a no-answer names the day, the time and the
# calling slot ([calling] slots) it falls in — "next try today 17:30,
# evening slot". At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db                                   # Tuesday 2026-11-24 10:00

no_answer() { # no_answer SESSION: take the next case, record a no-answer
    twait "$1" "Press Enter (or n)"
    tkeys "$1" n; twait "$1" "Case T-"
    tkeys "$1" o; twait "$1" "Outcome of the call"
    tkeys "$1" 2; twait "$1" "Record the call"
    tkeys "$1" Enter
    twait "$1" "no-answer recorded (3.13), next try"
}

# default slots and hours: tried in the morning, retried three hours on,
# in the afternoon (14:00: the hours pause 13:00-14:00)
console a1 karma
no_answer a1
twait a1 "next try today 14:00, afternoon slot."
scr=$(tscreen a1)
expect_not_in "[retry]" "$scr" "no configuration key"
expect_not_in "no_answer" "$scr" "no configuration key"
tkeys a1 q; twait a1 "[exited 0]"

# calling until 21:00, a retry an hour on: the evening
cat >> cati.ini <<'INI'
[calling]
hours = 09:00-21:00
[retry]
no_answer = 60
INI
CATI_NOW="2026-11-24 16:30" console a2 karma
no_answer a2
twait a2 "next try today 17:30, evening slot."
tkeys a2 q; twait a2 "[exited 0]"

# the next day's first hour: tomorrow, the morning slot
CATI_NOW="2026-11-24 20:30" console a3 karma
no_answer a3
twait a3 "next try tomorrow 09:00, morning slot."
tkeys a3 q; twait a3 "[exited 0]"
finish
