# cati monitor at 80x24, the case view (o and a ref): the phone numbers
# masked to their last 3 digits ("*********192"; whole only with
# `cati monitor --with-pii`, a supervisor's, audited), district and agency in
# full, a call's note of 1000 bytes (English and Dzongkha) whole and every
# flag's words whole, wrapped; the view scrolls with PgDn/PgUp and Down/Up.
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
setup_db
cati interviewer add sonam --role supervisor >/dev/null
cati interviewer add pema >/dev/null
expect_rc 0 cati survey load "$DATA/serve.cati"
cat > sample.csv <<'CSV'
ref,name,phone,phone2,language,service,agency,district,availed_on,gewog
CT-2026-000001,Tshering Yangchen Dorji Wangmo,17819192,77085639,dz,census_transfer,"Department of Civil Registration and Census, Ministry of Home and Cultural Affairs",Samdrup Jongkhar Dungkhag Nganglam,2026-10-01,Martshala
CSV
expect_rc 0 cati sample import --survey serve sample.csv
id=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000001'")
note="Respondent asked us to call back after the tshechu festival; ཁོང་གིས་ ཚེས་བཅུའི་ཤུལ་ལས་ བརྒྱབ་ཟེར་ཡི། The number rings at the gewog office of Martshala, so ask for Tshering Yangchen by name and mention the census transfer paperwork she submitted in October. She prefers Dzongkha for the interview and is available on weekday evenings only, after seven, never on Saturdays because of her shop in the market. She worried whether her answers would reach the staff who handled her case; reassured her that answers are confidential and used only to improve public services. Her neighbour Karma Choden answered first and passed the phone. བསམ་འཆར་ཚུ་ གསང་བ་ཨིན། Call quietly: her baby sleeps before eight. Her brother Sonam Tobgay, a teacher in Nganglam, may answer instead; he knows the case well. Last words of the note: WHOLE-TO-THE-END"
bytes=$(printf '%s' "$note" | wc -c)
[ "$bytes" -gt 900 ] && [ "$bytes" -le 1000 ] || fail "the note is $bytes bytes, not 901..1000"
CATI_USER=sonam expect_rc 0 cati case outcome "$id" no-answer --note "$note"
flag="ཡིག་ཚང་འདི་ ཚར་གཉིས་ཁ་བསྡམས་ཏེ་འདུག The counter was closed twice and nobody explained the requirements for the transfer between dzongkhags"
sql "INSERT INTO flags(uuid, case_id, kind, question, text, raised_at, updated_at)
     VALUES ('e2e-f1', $id, 'complaint', 'complaint', '$flag', strftime('%s'), 0);"

# view: from the top, then page by page (PgDn) to its end
view_pages() {
    local s prev="" i=0
    while [ $i -lt 12 ]; do
        sleep 0.3
        s=$(tscreen mon | sed -n '3,21p')
        [ "$s" = "$prev" ] && break
        printf '%s\n' "$s"; prev=$s
        tkeys mon NPage; i=$((i+1))
    done
}
export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "QUEUE" || finish
tkeys mon o; twait mon "open which case?"; tkeys mon C-u CT-2026-000001 Enter
twait mon "CASE $id   serve/CT-2026-000001" || finish
twait mon "PgDn, Down: more"           # it does not fit in 24 rows: it says so
pages=$(view_pages)
expect_in "*********192" "$pages" "first number masked"
expect_in "*********639" "$pages" "second number masked"
expect_not_in "17819192" "$pages" "no number in full"
expect_not_in "77085639" "$pages" "no number in full"
# shellcheck disable=SC2086
check_words "case view" "$pages" Samdrup Jongkhar Dungkhag Nganglam Department Civil Registration Census \
    Ministry Home Cultural Affairs $note $flag
expect_in "PgUp, Up: back to the top" "$(tscreen mon)" "the end of the view"
# back up: PgUp, and Up a line at a time
tkeys mon PPage PPage PPage PPage
twait mon "lines 1-"
tkeys mon Down; twait mon "lines 2-"
tkeys mon Up; twait mon "lines 1-"
tkeys mon Escape; twait mon "QUEUE"
tkeys mon q
twait mon "[exited 0]"

# the numbers in full: only with --with-pii, only a supervisor, audited
CATI_USER=pema expect_rc 1 cati monitor --with-pii
expect_rc 2 cati monitor --once --with-pii
expect_eq 0 "$(sql "SELECT count(*) FROM audit WHERE action = 'monitor with pii'")" "nothing audited yet"
tstart pii "$CATI_BIN" monitor --with-pii
twait pii "QUEUE" || finish
tkeys pii o; twait pii "open which case?"; tkeys pii C-u CT-2026-000001 Enter
twait pii "CASE $id" || finish
twait pii "+97517819192"
twait pii "+97577085639"
expect_eq 1 "$(sql "SELECT count(*) FROM audit WHERE login = 'sonam' AND action = 'monitor with pii'")" "audited"
tkeys pii q
twait pii "[exited 0]"
finish
