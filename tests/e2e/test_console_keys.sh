# The console's keys do exactly what the screen says (issue 12, "Entering
# answers"), at 80x24: the Esc-digit prefix times out and shows it waits,
# Don't know / Refused say what they recorded.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 Enter; twait a1 "Case T-1"; tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 4 Enter
answer a1 access_req 4 Enter
iv=$(sql "SELECT id FROM interviews")

# --- Esc prefix: shown while it waits, gone after about a second ---------------
twait a1 "access_visits  ·"
tkeys a1 Escape
twait a1 "Esc-"
t0=$(date +%s%N)
twait_gone a1 "Esc-"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 3000 ] || fail "the Esc prefix waited ${ms} ms"
# a 3 typed after the pause is an answer of 3 visits, not Refused
tkeys a1 3
twait a1 "Answer: 3"
expect_in "access_visits  ·" "$(tscreen a1)" "still on access_visits"
tkeys a1 Enter
twait a1 "time_rate  ·"
expect_eq "value|3" "$(sql "SELECT status || '|' || value FROM answers WHERE interview_id=$iv AND question='access_visits'")" "3 visits saved"
# a lone Esc then Esc: cancelled, nothing recorded
tkeys a1 Escape; twait a1 "Esc-"; tkeys a1 Escape; twait_gone a1 "Esc-"
expect_in "time_rate  ·" "$(tscreen a1)" "Esc Esc does nothing"
# Esc then a digit at once is still the function key: Esc 2 = Don't know
tkeys a1 Escape 2
twait a1 "time_days  ·"
twait a1 "Recorded: Don't know for time_rate"
expect_eq "dk" "$(sql "SELECT status FROM answers WHERE interview_id=$iv AND question='time_rate'")" "Esc 2 = DK"
tkeys a1 F3
twait a1 "time_std  ·"
twait a1 "Recorded: Refused for time_days"
# changed by going back
tkeys a1 PPage; twait a1 "time_days  ·"; twait a1 "answered: refused"
tkeys a1 12 Enter
twait a1 "time_std  ·"
expect_eq "value|12" "$(sql "SELECT status || '|' || value FROM answers WHERE interview_id=$iv AND question='time_days'")" "refused changed to 12"

# --- typing into a pre-filled field replaces it; editing keys edit it --------
tkeys a1 PPage; twait a1 "time_days  ·"; twait a1 "Answer: 12"
tkeys a1 1
twait a1 "Answer: 1 "
tkeys a1 Enter; twait a1 "time_std  ·"
expect_eq "1" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='time_days'")" "1 replaced 12"
tkeys a1 PPage; twait a1 "Answer: 1"
tkeys a1 Right 0                                 # Right: edit, then typing inserts
twait a1 "Answer: 10"
tkeys a1 Enter; twait a1 "time_std  ·"
expect_eq "10" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='time_days'")" "Right then 0 gives 10"
tkeys a1 PPage; twait a1 "Answer: 10"
tkeys a1 BSpace 5                                # Backspace edits: 15
twait a1 "Answer: 15"
tkeys a1 Enter; twait a1 "time_std  ·"
expect_eq "15" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='time_days'")" "Backspace then 5 gives 15"

# --- Enter keeps a don't know; PgDn moves one question forward -----------------
tkeys a1 PPage; twait a1 "time_days  ·"
tkeys a1 PPage; twait a1 "time_rate  ·"; twait a1 "answered: don't know"
tkeys a1 Enter
twait a1 "time_days  ·"
twait a1 "Recorded: Don't know for time_rate"
expect_eq "dk" "$(sql "SELECT status FROM answers WHERE interview_id=$iv AND question='time_rate'")" "Enter kept DK"
tkeys a1 PPage; twait a1 "time_rate  ·"
tkeys a1 NPage
twait a1 "time_days  ·"
twait a1 "Answer: 15"
tkeys a1 NPage
twait a1 "time_std  ·"
tkeys a1 NPage                                   # time_std has no answer: PgDn stays
tkeys a1 F1; twait a1 "cati console · help"; tkeys a1 Escape
twait a1 "time_std  ·"
finish
