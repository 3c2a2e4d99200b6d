# Issue 12: the case screen's Read line follows the language the interviewer
# switched to. An English case: the interview is switched to Dzongkha (F5)
# and left (the console killed); on restart the case screen reads the intro
# in Dzongkha, with the service's Dzongkha label; after switching back to
# English (Ctrl-T) and leaving again, it reads English. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db
EN_INTRO="Hello, may I speak with Leki Yangden?"
DZ_INTRO="ཀུ་ཟུ་ཟང་པོ་ལགས།"
kill_console() {
    local pid; pid=$(console_pid "$1")
    [ -n "$pid" ] || fail "no console process"
    kill -9 "$pid"
    twait "$1" "[exited 137]"
}

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n; twait a1 "Case T-1"
twait a1 "$EN_INTRO"                          # the case's language first
tkeys a1 Enter
twait a1 "reached  ·"
tkeys a1 F5
twait a1 "· dz ·"
kill_console a1

console a2 pema
twait a2 "Case T-1"
twait a2 "Unfinished interview"
twait a2 "$DZ_INTRO"
expect_not_in "Hello, may I speak" "$(tscreen a2)" "the Read line is in Dzongkha"
expect_in "མི་ཁུངས་ངོ་སྤྲོད་ལག་ཁྱེར་གསརཔ།" "$(tscreen a2)" "the service's Dzongkha label"
# resumed, switched back to English, left again: English
tkeys a2 Enter
twait a2 "reached  ·"
expect_in "· dz ·" "$(tscreen a2)" "resumed in Dzongkha"
tkeys a2 C-t
twait a2 "· en ·"
kill_console a2

console a3 pema
twait a3 "Case T-1"
twait a3 "$EN_INTRO"
expect_in "New CID card" "$(tscreen a3)" "the service's English label"
finish
