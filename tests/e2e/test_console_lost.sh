# Issue 11, section 1: a supervisor releases the case an interviewer has on
# the console (`cati case release`, or `x` in the monitor). The console
# learns it at the next key or heartbeat and says so on a full screen: who
# released it, what was saved; nothing more is written for that interviewer,
# Enter goes back to the idle screen, and another interviewer can take the
# case. Every screen on the way shows a key that gets out. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db
cati interviewer add boss --role supervisor >/dev/null
case_id() { sql "SELECT id FROM cases WHERE ref = '$1'"; }
# keybar NAME: the screen's last row (the keys it offers)
keybar() { tscreen "$1" | sed -n '24p'; }

# --- 1. released while on the case screen; Enter no longer starts an interview
console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case T-1"
expect_in "Release" "$(keybar a1)" "case screen keys"
id1=$(case_id T-1)
CATI_USER=boss CATI_NOW="2026-11-24 10:05" expect_rc 0 cati case release "$id1"
tkeys a1 Enter                                  # the respondent answered
twait a1 "Case T-1 is no longer yours"
twait a1 "Case T-1 was released by boss at 10:05."
expect_in "No interview had started on this case; no call was recorded." "$(tscreen a1)"
expect_in "Enter Back to the idle screen" "$(keybar a1)" "lost screen keys"
expect_not_in "reached  ·" "$(tscreen a1)" "no interview on screen"
expect_eq "0|0|0" "$(sql "SELECT (SELECT count(*) FROM interviews), (SELECT count(*) FROM answers), (SELECT count(*) FROM calls)")" "nothing written for pema"
expect_eq "||new|0" "$(sql "SELECT coalesce(claimed_by, ''), coalesce(call_note, ''), state, (SELECT count(*) FROM calls WHERE case_id = cases.id) FROM cases WHERE id = $id1")" "case free and untouched"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
CATI_USER=karma expect_rc 0 cati case next && expect_eq "$id1" "$OUT" "karma takes the released case"
expect_eq "0" "$(sql "SELECT count(*) FROM interviews WHERE case_id = $id1")" "no interview on the case"

# --- 2. released (from the monitor, x) during the interview: the answer typed
# after the release is refused and not stored, and the screen says so
CATI_USER=boss tstart mon "'$CATI_BIN' monitor"
twait mon "cati monitor"
tkeys a1 n
twait a1 "Case T-2"
id2=$(case_id T-2)
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 4 Enter
answer a1 access_req 3
twait a1 "Answer: 3"
tkeys mon x
twait mon "release which case? ref or case ID:"
tkeys mon "$id2" Enter
twait mon "case $id2 released"
tkeys a1 Enter                                  # access_req 3, after the release
twait a1 "Case T-2 is no longer yours"
twait a1 "Case T-2 was released by boss at 10:00."
twait a1 "Your answers up to 'access' were saved; the last one was not."
expect_in "Enter Back to the idle screen" "$(keybar a1)" "lost screen keys"
iv=$(sql "SELECT id FROM interviews WHERE case_id = $id2")
expect_eq "reached=1 received=1 consent=1 access=4" \
    "$(sql "SELECT group_concat(question || '=' || value, ' ') FROM (SELECT question, value FROM answers WHERE interview_id = $iv ORDER BY seq)")" "answers before the release kept"
expect_eq "0" "$(sql "SELECT count(*) FROM answer_log WHERE interview_id = $iv AND question = 'access_req'")" "the late answer is nowhere"
expect_eq "0" "$(sql "SELECT count(*) FROM calls WHERE case_id = $id2")" "no call recorded"
expect_eq "1" "$(sql "SELECT count(*) FROM audit WHERE login = 'boss' AND action = 'case release' AND detail = '$id2'")" "release audited"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
CATI_USER=sonam expect_rc 0 cati case next && expect_eq "$id2" "$OUT" "sonam takes the released case"

# --- 3. released while a popup is open: the note box and the help screen
# close by themselves and the lost screen shows (each showed its way out)
tkeys a1 n
twait a1 "Case T-3"
id3=$(case_id T-3)
tkeys a1 F6                                     # F6: the note box
twait a1 "Note on this call"
expect_in "Enter keep · Esc cancel" "$(tscreen a1)" "note box keys"
tkeys a1 "call after six"
CATI_USER=boss expect_rc 0 cati case release "$id3"
twait a1 "Case T-3 is no longer yours"
expect_eq "" "$(sql "SELECT coalesce(call_note, '') FROM cases WHERE id = $id3")" "the unconfirmed note is not stored"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
CATI_USER=boss expect_rc 0 cati case release "$id1"     # karma's, for pema again
CATI_USER=boss expect_rc 0 cati case release "$id3"     # was not claimed
tkeys a1 n
twait a1 "Case T-"
ref=$(tscreen a1 | sed -n '1s/.*Case \(T-[0-9]\).*/\1/p')
tkeys a1 F4                                     # the outcome menu
twait a1 "Outcome of the call"
expect_in "Esc back" "$(tscreen a1)" "outcome menu's way out"
CATI_USER=boss expect_rc 0 cati case release "$(case_id "$ref")"
twait a1 "Case $ref is no longer yours"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case $ref"
tkeys a1 Enter
answer a1 reached F1                            # the help screen
twait a1 "any key back"
CATI_USER=boss expect_rc 0 cati case release "$(case_id "$ref")"
twait a1 "Case $ref is no longer yours" 6
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"

# --- 4. a second console of the same interviewer (the ssh session came back
# while the first still runs) takes the case over; the first can write
# nothing more to it
tkeys a1 n
twait a1 "Case T-"
ref=$(tscreen a1 | sed -n '1s/.*Case \(T-[0-9]\).*/\1/p')
tkeys a1 Enter
answer a1 reached 1 Enter
twait a1 "received  ·"
console a2 pema
twait a2 "Case $ref"
tkeys a1 1 Enter                                # the old console's answer
twait a1 "Case $ref is no longer yours"
twait a1 "was opened in another console of yours"
expect_eq "0" "$(sql "SELECT count(*) FROM answers a JOIN interviews i ON i.id = a.interview_id JOIN cases c ON c.id = i.case_id WHERE c.ref = '$ref' AND a.question = 'received'")" "the old console's answer is not stored"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
tkeys a2 Enter                                  # the new console resumes it
twait a2 "received  ·"
tkeys a1 q
twait a1 "[exited 0]"
tkeys mon q
twait mon "[exited 0]"
finish
