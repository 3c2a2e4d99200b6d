# The same key means the same thing on every console screen (issue 12), at
# 80x24: r refreshes (idle and case screen) and never releases; n is the
# next case on the idle screen and nothing else elsewhere (the note is F6 /
# Ctrl-N on the case screen as in the interview); releasing (F8, Esc 8) asks
# for confirmation: y or Enter releases, n or Esc keeps the case.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db
holder() { sql "SELECT coalesce(i.login, '') FROM cases c LEFT JOIN interviewers i ON i.id = c.claimed_by WHERE c.ref = '$1'"; }

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 r                                       # idle: refresh, nothing else
tkeys a1 n; twait a1 "Case T-1"
twait a1 "F8 Release"
# r on the case screen refreshes: the case stays, no call, no confirmation
tkeys a1 r
tkeys a1 F1; twait a1 "cati console · help"
expect_in "r, Ctrl-L       refresh" "$(tscreen a1)" "case help: r refreshes"
expect_not_in "F8, r" "$(tscreen a1)" "case help"
tkeys a1 q; twait a1 "dial this number"
expect_eq "pema" "$(holder T-1)" "r did not release"
# n on the case screen is not the note (F6 / Ctrl-N is)
tkeys a1 n
tkeys a1 F1; twait a1 "cati console · help"; tkeys a1 q; twait a1 "dial this number"
expect_not_in "Note on this call" "$(tscreen a1)" "n opened nothing"
tkeys a1 C-n; twait a1 "Note on this call"; tkeys a1 Escape; twait_gone a1 "Note on this call"
# F8 asks; n and Esc keep the case
tkeys a1 F8
twait a1 "Release case T-1?"
twait a1 "y or Enter: release · n or Esc: keep the case"
tkeys a1 n
twait a1 "Not released: case T-1 is still yours."
expect_eq "pema" "$(holder T-1)" "n kept the case"
tkeys a1 F8; twait a1 "Release case T-1?"
tkeys a1 Escape
twait_gone a1 "Release case T-1?"
expect_eq "pema" "$(holder T-1)" "Esc kept the case"
expect_eq 0 "$(sql "SELECT count(*) FROM calls")" "no call recorded"
# Esc 8 is F8: asks too; y releases
tkeys a1 Escape 8
twait a1 "Release case T-1?"
tkeys a1 y
twait a1 "went back to the queue, no call recorded"
twait a1 "Press Enter (or n) for the next case"
expect_eq "" "$(holder T-1)" "y released"
expect_eq 0 "$(sql "SELECT count(*) FROM calls")" "still no call recorded"
finish
