# Issue 11, section 1: a note typed with F6 is committed when the
# interviewer confirms it (cases.call_note), so kill -9 does not lose it; on
# restart the console shows it, and it becomes the note of the next call
# recorded. Esc leaves the note box without a change. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db
note_of() { sql "SELECT coalesce(call_note, '') FROM cases WHERE ref = '$1'"; }

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case T-1"
tkeys a1 F6
twait a1 "Note on this call"
expect_in "Enter keep · Esc cancel" "$(tscreen a1)" "note box keys"
tkeys a1 "ask for Leki after 5 pm"
tkeys a1 Enter
twait a1 "Note: ask for Leki after 5 pm"
expect_eq "ask for Leki after 5 pm" "$(note_of T-1)" "committed at once"
# Esc: nothing changes
tkeys a1 F6
twait a1 "Note on this call"
tkeys a1 " (or never)" Escape
twait_gone a1 "Note on this call"
expect_eq "ask for Leki after 5 pm" "$(note_of T-1)" "Esc keeps the note as it was"
pid=$(console_pid a1); kill -9 "$pid"
twait a1 "[exited 137]"

console a2 pema
twait a2 "Case T-1"
twait a2 "Note: ask for Leki after 5 pm"
# changed during the interview, then killed again
tkeys a2 Enter
answer a2 reached 1 Enter
twait a2 "received  ·"
expect_in "Note: ask for Leki after 5 pm" "$(tscreen a2)" "the note on the interview screen"
tkeys a2 F6
twait a2 "Note on this call"
tkeys a2 C-u "Leki asked to be called at home"
tkeys a2 Enter
twait a2 "Note: Leki asked to be called at home"
expect_eq "Leki asked to be called at home" "$(note_of T-1)" "changed note committed"
pid=$(console_pid a2); kill -9 "$pid"
twait a2 "[exited 137]"
expect_eq "0" "$(sql "SELECT count(*) FROM calls")" "no call yet"

# restart: the note is there and goes with the next call
console a3 pema
twait a3 "Case T-1"
twait a3 "Note: Leki asked to be called at home"
tkeys a3 F4
twait a3 "Outcome of the call"
expect_in "Esc back" "$(tscreen a3)" "outcome menu's way out"
tkeys a3 3
twait a3 "Record the call"
expect_in "Enter record · Esc back" "$(tscreen a3)" "confirmation's keys"
expect_in "Leki asked to be called at home" "$(tscreen a3)" "the note in the confirmation"
tkeys a3 Enter
twait a3 "Case T-1: busy recorded (3.12)"
expect_eq "busy|Leki asked to be called at home" "$(sql "SELECT outcome, note FROM calls")" "the call carries the note"
expect_eq "" "$(note_of T-1)" "the pending note is used up"

# a note may be as long as the core takes (1000 bytes), not cut at 127
# characters: 400 typed characters are kept whole, and typing stops at 1000
tkeys a3 n
twait a3 "Case T-2"
tkeys a3 F6
twait a3 "Note on this call"
long=$(printf 'respondent works shifts, %.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
tkeys a3 -l "$long"
tkeys a3 Enter
twait_gone a3 "Note on this call"
expect_eq "$long" "$(note_of T-2)" "a 400-character note kept whole"
tkeys a3 F6
twait a3 "Note on this call"
tkeys a3 -l "$long$long$long"
tkeys a3 Enter
twait_gone a3 "Note on this call"
expect_eq 1000 "$(sql "SELECT length(call_note) FROM cases WHERE ref = 'T-2'")" "typing stops at 1000 bytes"
tkeys a3 F8
twait a3 "Release case T-2?"
tkeys a3 y
twait_gone a3 "Release case T-2?"
tkeys a3 q
twait a3 "[exited 0]"
finish
