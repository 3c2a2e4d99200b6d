# cati monitor at 80x24: F1 and ? open a help listing every key of the
# current panel (or the case view); each panel's key bar lists the actions
# it accepts (Queue: o, x, p, b, s, z), whole, within 80 columns.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
monitor_db
id=$(sql "SELECT min(id) FROM cases")
export CATI_USER=sonam TCOLS=80 TROWS=24
keybar() { tscreen "$1" | sed -n 24p; }
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
twait mon "QUEUE"
bar=$(keybar mon)
for k in "1-6/a Panel" "o Case" "x Release" "p Priority" "b Appt" "s Survey" "z Pause" "? Help" "q Quit"; do
    expect_in "$k" "$bar" "Queue key bar"
done
# ? opens the help of the Queue panel: every key, then any key goes back
tkeys mon '?'
twait mon "Queue panel" || finish
screen=$(tscreen mon)
for k in "o                     open a case" "x                     release" "p                     change" \
         "b                     book" "s                     show one survey" "z                     pause" \
         "r, Ctrl-L" "F1, ?" "q, F10, Ctrl-C"; do
    expect_in "$k" "$screen" "Queue help"
done
tkeys mon Space
twait mon "QUEUE"
# the Interviewers panel: its bar and its help (F1)
tkeys mon 2; twait mon "INTERVIEWERS"
bar=$(keybar mon)
for k in "Enter/o Case" "x Release" "p Priority" "b Appt" "s Survey" "? Help" "q Quit"; do
    expect_in "$k" "$bar" "Interviewers key bar"
done
expect_not_in "z Pause" "$bar" "Interviewers key bar"
tkeys mon z; twait mon "z pauses a survey: on the Queue panel (1)"
tkeys mon F1
twait mon "Interviewers panel" || finish
expect_in "Enter                 open the selected" "$(tscreen mon)" "Interviewers help"
tkeys mon Escape; twait mon "INTERVIEWERS"
# the Flags panel
tkeys mon 5; twait mon "FLAGS"
bar=$(keybar mon)
for k in "Enter Case" "S Seen" "F Fwd" "x Release" "p Priority" "b Appt" "? Help" "q Quit"; do
    expect_in "$k" "$bar" "Flags key bar"
done
tkeys mon '?'; twait mon "Flags panel" || finish
screen=$(tscreen mon)
expect_in "mark the selected flag seen" "$screen" "Flags help"
expect_in "mark the selected flag forwarded" "$screen" "Flags help"
tkeys mon q; twait mon "FLAGS"          # any key closes the help, q does not quit from it
# the case view: its bar and its help
tkeys mon o; twait mon "open which case? ref or case ID:"; tkeys mon "$id" Enter
twait mon "CASE $id" || finish
bar=$(keybar mon)
for k in "Esc Back" "x Release" "p Priority" "b Appointment" "? Help" "q Quit"; do
    expect_in "$k" "$bar" "case view key bar"
done
tkeys mon F1; twait mon "Case view" || finish
expect_in "back to the panel" "$(tscreen mon)" "case view help"
tkeys mon Space; twait mon "CASE $id"
tkeys mon q
twait mon "[exited 0]"
finish
