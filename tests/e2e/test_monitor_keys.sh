# cati monitor at 80x24: the priority prompt is pre-filled with the case's
# priority; the first key typed replaces it (-5 is -5, not 0-5), editing keys
# (Backspace) edit it.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
monitor_db
id=$(sql "SELECT min(id) FROM cases")
export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
tkeys mon p
twait mon "case ID:" || finish
tkeys mon C-u "$id" Enter
twait mon "priority of case $id" || finish
twait mon "still called): 0"
tkeys mon -- -5
twait mon "still called): -5"
tkeys mon Enter
twait mon "case $id: priority -5"
expect_eq -5 "$(sql "SELECT priority FROM cases WHERE id = $id")" "priority typed over the 0"
# the case ID prompt pre-filled too: typing replaces it
tkeys mon p; twait mon "case ID:"
tkeys mon "$id" Enter
twait mon "still called): -5"
tkeys mon BSpace 3                                 # Backspace edits: -3
twait mon "still called): -3"
tkeys mon Enter
twait mon "case $id: priority -3"
expect_eq -3 "$(sql "SELECT priority FROM cases WHERE id = $id")" "Backspace then 3"
finish
