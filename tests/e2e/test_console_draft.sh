# Issue 12: a text marked as a draft translation shows a visible "draft
# translation" mark — on the interview screen (the question text) and on the
# case screen's Read line. data/serve.cati marks all of Dzongkha a draft
# (`draft dz`); one text alone can be marked (`text dz draft "…"`); the
# master text (English) never carries the mark. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
MARK="draft translation"
printf 'ref,name,phone,language,service\nT-1,Leki Yangden,17819192,en,cid_new\nT-2,Pema Wangdi,17207173,dz,cid_new\nT-3,Karma Choden,17555111,en,cid_new\n' > two.csv
console_db two.csv
expect_rc 0 cati survey check "$DATA/serve.cati"

# an English case: no mark; switched to Dzongkha (F5) the question is marked
console a1 pema
twait a1 "Press Enter (or n)"
tkeys a1 n; twait a1 "Case T-1"
twait a1 "Hello, may I speak with Leki Yangden?"
expect_not_in "$MARK" "$(tscreen a1)" "the English Read line is the master text"
tkeys a1 Enter
twait a1 "reached  ·"
expect_not_in "$MARK" "$(tscreen a1)" "English question"
tkeys a1 F5
twait a1 "· dz ·"
twait a1 "[$MARK: not reviewed yet]"
expect_in "ཀུ་ཟུ་ཟང་པོ་ལགས།" "$(tscreen a1)" "the Dzongkha text under the mark"
tkeys a1 C-t
twait a1 "· en ·"
twait_gone a1 "$MARK"
tkeys a1 C-x; twait a1 "Stop the interview"
tkeys a1 Escape; twait_gone a1 "Stop the interview"
tkill a1

# a Dzongkha case: the case screen's Read line is marked
console a2 karma
twait a2 "Press Enter (or n)"
tkeys a2 n; twait a2 "Case T-2"
twait a2 "ཀུ་ཟུ་ཟང་པོ་ལགས།"
twait a2 "[$MARK: not reviewed yet]"
scr=$(tscreen a2)
l_mark=$(echo "$scr" | grep -n "$MARK" | cut -d: -f1)
l_read=$(echo "$scr" | grep -n "Read:" | cut -d: -f1)
[ -n "$l_read" ] && [ "$l_mark" -lt "$l_read" ] || fail "the mark stands over the Read line: $scr"
tkill a2

# one text marked alone: only that question carries the mark
mkdir one
sed -e '/^draft dz$/d' -e 's|^  text dz "ཀུ་ཟུ་ཟང་པོ་ལགས།|  text dz draft "ཀུ་ཟུ་ཟང་པོ་ལགས།|' "$DATA/serve.cati" > one/serve.cati
grep -q '^  text dz draft ' one/serve.cati || fail "test questionnaire"
expect_rc 0 cati survey load one/serve.cati
console a3 sonam
twait a3 "Press Enter (or n)"
tkeys a3 n; twait a3 "Case T-3"
tkeys a3 Enter
twait a3 "reached  ·"
tkeys a3 F5; twait a3 "· dz ·"
twait a3 "$MARK"
tkeys a3 1 Enter
twait a3 "received  ·"
expect_in "· dz ·" "$(tscreen a3)" "still in Dzongkha"
expect_not_in "$MARK" "$(tscreen a3)" "a Dzongkha text not marked draft"
finish
