# Quotas are visible: `cati report quotas` prints one line per quota cell
# (a [quota] of cati.ini in one survey) with its target, the completes
# achieved — counted as the queue counts them — and what remains (never
# below 0), as text or CSV; a full cell's cases are not offered.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
cat >> cati.ini <<'INI'
[quota]
service.Census_Transfer = 2
gewog.Dagala = 1
district.Mongar = 0
INI
setup_db
cati interviewer add pema >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
expect_rc 0 cati survey load "$DATA/serve.cati"
head -5 "$DATA/demo-sample.csv" > sample.csv   # 3 census_transfer (Dagala, Chhoekhor, Dramedtse), 1 cid_new
expect_rc 0 cati sample import --survey serve sample.csv
export CATI_USER=sonam
# CT-2026-000001 (census_transfer, gewog Dagala) completed
c1=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000001'")
expect_rc 0 cati case outcome "$c1" complete --note "interview on paper"
expect_rc 0 cati report quotas
norm=$(printf '%s\n' "$OUT" | tr -s ' ')
expect_in "SURVEY FIELD VALUE TARGET ACHIEVED REMAINING STATUS" "$norm" "report header"
expect_in "serve service Census_Transfer 2 1 1 open" "$norm" "service cell (value as written)"
expect_in "serve gewog Dagala 1 1 0 full" "$norm" "gewog cell"
expect_in "serve district Mongar 0 0 0 full" "$norm" "district cell: remaining never below 0"
expect_eq 4 "$(printf '%s\n' "$OUT" | grep -c .)" "one line per cell and a header"
expect_rc 0 cati report quotas --survey serve --format csv
expect_eq "survey,field,value,target,achieved,remaining,full,paused
serve,service,Census_Transfer,2,1,1,0,0
serve,gewog,Dagala,1,1,0,1,0
serve,district,Mongar,0,0,0,1,0" "$(printf '%s\n' "$OUT" | tr -d '\r')" "CSV"
# the queue agrees: Mongar (CT-2026-000003) is full, so it is never offered
CATI_USER=admin cati interviewer add karma >/dev/null
CATI_USER=admin cati interviewer add dorji >/dev/null
for who in pema karma; do
    CATI_USER=$who expect_rc 0 cati case next || break
    expect_eq "" "$(sql "SELECT ref FROM cases WHERE id = $OUT AND district = 'Mongar'")" "$who's claim not in a full cell"
done
CATI_USER=dorji expect_rc 3 cati case next
# a second complete fills the service cell; the report follows
c2=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000002'")
expect_rc 0 cati case outcome "$c2" complete --note "interview on paper"
expect_rc 0 cati report quotas
expect_in "serve service Census_Transfer 2 2 0 full" "$(printf '%s\n' "$OUT" | tr -s ' ')" "service cell full"
expect_rc 2 cati report quotas --survey nope && expect_in "unknown survey 'nope'" "$ERR"
CATI_USER=pema expect_rc 1 cati report quotas && expect_in "permission denied" "$ERR"
# no quotas configured: says so
sed -i '/^\[quota\]/,$d' cati.ini
expect_rc 0 cati report quotas && expect_in "no quotas" "$OUT"
finish
