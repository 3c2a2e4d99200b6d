# cati monitor at 80x24: a Quotas panel (6) shows each quota cell with its
# target, achieved and remaining completes (as the queue counts them, the
# same figures as `cati report quotas`), a full cell marked; its key bar and
# help; the panel is in the title's tabs, the help's panel list and the All
# view; `--once --panel quotas` prints it.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
cat >> cati.ini <<'INI'
[quota]
service.Census_Transfer = 2
gewog.Chhoekhor = 1
district.Thimphu_Thromde_Lower_Market_Area_North = 40
INI
monitor_db   # serve: CT-2026-000001..3, census_transfer, gewogs Dagala, Chhoekhor, Dramedtse
id2=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000002'")
CATI_USER=sonam expect_rc 0 cati case outcome "$id2" complete --note "phoned in"
export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
twait mon "QUEUE"
expect_in "6 Quotas" "$(tscreen mon | sed -n 2p)" "panel tabs"
tkeys mon 6
twait mon "QUOTAS" || finish
screen=$(tscreen mon)
norm=$(printf '%s\n' "$screen" | tr -s ' ')
expect_in "SURVEY FIELD VALUE TARGET ACHIEVED REMAINING" "$norm" "column heads"
expect_in "serve service Census_Transfer 2 1 1" "$norm" "service cell"
expect_in "serve gewog Chhoekhor 1 1 0 FULL" "$norm" "gewog cell full"
# a value too long for its column wraps under it, never cut
expect_in "serve district Thimphu_Thromde_Lower_ 40 0 40" "$norm" "long value, first line"
expect_in "Market_Area_North" "$norm" "long value, the rest"
expect_eq 0 "$(printf '%s\n' "$screen" | awk 'length($0) > 80' | wc -l)" "within 80 columns"
bar=$(tscreen mon | sed -n 24p)
for k in "1-6/a Panel" "Enter/o Case" "? Help" "q Quit"; do
    expect_in "$k" "$bar" "Quotas key bar"
done
tkeys mon '?'; twait mon "Quotas panel" || finish
expect_in "Quotas, All" "$(tscreen mon)" "help lists the Quotas panel"
tkeys mon Space; twait mon "QUOTAS"
# the All view has it too (at its end)
tkeys mon a; twait mon "QUEUE"
tkeys mon PPage NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
twait mon "Market_Area_North" || finish
expect_in "QUOTAS" "$(tscreen mon)" "All view"
# the same figures as the report
expect_rc 0 cati report quotas
expect_in "serve gewog Chhoekhor 1 1 0 full" "$(printf '%s\n' "$OUT" | tr -s ' ')" "report agrees"
expect_rc 0 cati monitor --once --panel quotas
expect_in "serve gewog Chhoekhor 1 1 0 FULL" "$(printf '%s\n' "$OUT" | tr -s ' ')" "--once --panel quotas"
tkeys mon q
twait mon "[exited 0]"
finish
