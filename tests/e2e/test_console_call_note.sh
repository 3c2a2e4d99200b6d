# Issue 12: notes are shown whole. On the case screen Down selects a call of
# the history (Up/Down move, as in every list of the console) and shows its
# whole note — up to 1000 bytes of UTF-8, Dzongkha included — wrapped over as
# many lines as it needs; Up past the newest call (or a lone Esc) closes it.
# At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
printf 'ref,name,phone,language,service\nT-1,Leki Yangden,17819192,en,cid_new\n' > one.csv
console_db one.csv

# a long note on the first call: words, Dzongkha, and a last word to look for
note="Respondent's sister answered: Leki works at the dzongkhag office in Thimphu and is back home after six in the evening on weekdays."
while [ ${#note} -lt 780 ]; do note="$note Call her mobile first, then the office line, never before nine."; done
note="$note ཁོང་ ཕྱི་རུ་ ལོག་འོང་། FIRST-CALL-END"
[ "$(printf %s "$note" | wc -c)" -le 1000 ] || fail "the note is at most 1000 bytes"
CATI_USER=pema expect_rc 0 cati case next
id=$OUT
CATI_USER=pema expect_rc 0 cati case outcome "$id" no-answer --note "$note"
# a second call, with a short note of its own
CATI_NOW="2026-11-24 14:00" CATI_USER=pema expect_rc 0 cati case next
CATI_NOW="2026-11-24 14:00" CATI_USER=pema expect_rc 0 cati case outcome "$id" busy --note "line busy twice"

CATI_NOW="2026-11-24 16:00" console a1 pema
twait a1 "Press Enter (or n)"
tkeys a1 n; twait a1 "Case T-1"
twait a1 "Calls (2)"
scr=$(tscreen a1)
expect_not_in "FIRST-CALL-END" "$scr" "the history's row shows the start of the note only"
# Down: the newest call, its note (short) in a box
tkeys a1 Down
twait a1 "Call 2 of 2"
twait a1 "line busy twice"
# Down again: the first call and its whole note
tkeys a1 Down
twait a1 "Call 1 of 2"
twait a1 "FIRST-CALL-END"
scr=$(tscreen a1)
expect_in "Respondent's sister answered: Leki works at the dzongkhag office" "$scr" "the note's start"
expect_in "ཁོང་ ཕྱི་རུ་ ལོག་འོང་།" "$scr" "the Dzongkha words whole"
expect_in "no-answer 3.13" "$scr" "what the call was"
n=$(echo "$scr" | grep -c "never before nine")
[ "$n" -ge 5 ] || fail "the note wraps over as many lines as it needs ($n lines): $scr"
# every word of the note is on the screen, in order
flat=$(echo "$scr" | sed 's/^[│ ]*//; s/[│ ]*$//' | tr '\n' ' ' | tr -s ' ')
expect_in "$(echo "$note" | tr -s ' ')" "$flat" "the whole note, in order"
# Down at the oldest call stays there; Up back to the newest, Up again closes
tkeys a1 Down Up
twait a1 "Call 2 of 2"
tkeys a1 Up
twait_gone a1 "Call 2 of 2"
# a lone Esc closes it too
tkeys a1 Down; twait a1 "Call 2 of 2"
tkeys a1 Escape
twait_gone a1 "Call 2 of 2"
# the help says so
tkeys a1 '?'; twait a1 "The case screen"
expect_in "Up, Down" "$(tscreen a1)" "help lists Up/Down"
tkeys a1 Space; twait a1 "Case T-1"
# and Enter is still "answered"
tkeys a1 Down; twait a1 "Call 2 of 2"
tkeys a1 Enter
twait a1 "reached  ·"
finish
