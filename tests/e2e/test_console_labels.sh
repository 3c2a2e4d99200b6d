# Issue 12: the text read aloud uses labels, not codes. data/serve.cati gives
# labels for the sample's service codes (`labels service cid_new "New CID
# card" …`, cati-script(5)); the case screen shows the service by its label
# (taken from the core) and the {service} fill in the interview reads it, at
# 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db
flat() { tscreen "$1" | tr '\n' ' ' | tr -s ' '; }

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n; twait a1 "Case T-1"
twait a1 "New CID card"
expect_not_in "cid_new" "$(tscreen a1)" "the case screen shows the label"
tkeys a1 Enter
answer a1 reached 1 Enter
twait a1 "received  ·"
expect_in "you received the New CID card service from" "$(flat a1)" "the {service} fill"
expect_not_in "cid_new" "$(tscreen a1)" "no code read aloud"
finish
