# A negative priority does what cati(1) says: the case is called after every
# due case of a higher priority, and still called (not withheld). The
# monitor's priority prompt (80x24) and its confirmation say so, whole.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"                    # a Monday, inside calling hours
monitor_db                                            # 3 respondents
cati interviewer add pema --lang en,dz >/dev/null
first=$(sql "SELECT min(id) FROM cases")
export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
tkeys mon p; twait mon "change the priority of which case?" || finish
tkeys mon C-u "$first" Enter
twait mon "priority of case $first (higher first; negative: last, still called): 0" || finish
tkeys mon -- -5 Enter
twait mon "case $first: priority -5 (after every higher one, still called)"
tkeys mon q; twait mon "[exited 0]"
expect_eq -5 "$(sql "SELECT priority FROM cases WHERE id = $first")" "priority"
# the queue: the two cases of priority 0 first, then the -5 one, still offered
got=""
for i in 1 2 3; do
    id=$(CATI_USER=pema cati case next) || { fail "case next $i"; break; }
    got="$got $id"
    CATI_USER=pema expect_rc 0 cati case outcome "$id" no-answer
done
last=${got##* }
expect_eq "$first" "$last" "the -5 case comes last"
expect_eq 3 "$(echo $got | wc -w)" "the -5 case is still offered"
# cati(1) says the same
man_src=$(tr -s ' \n' ' ' < "$REPO/man/cati.1")
expect_in "A negative priority puts the case behind every case of a higher priority: it is still offered when none of those is due (it is not withheld" "$man_src" "cati(1)"
finish
