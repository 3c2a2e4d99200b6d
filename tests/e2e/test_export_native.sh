# cati export: NAME.sav and NAME.dta opened by the real clients. GNU PSPP
# reads the .sav (GET FILE, DISPLAY DICTIONARY, FREQUENCIES) and its
# frequencies equal counts from NAME_interviews.csv; ReadStat's `readstat`
# converts the .sav and the .dta back to CSV and every cell equals the
# interviews CSV; `extract_metadata` and PSPP show the declared value labels
# and missing values. The data has DK, RF, not asked, a multi question, a
# partial, and Tibetan text with commas, quotes and a CR/LF (in an answer
# and in a sample field).
#
# How cells compare (cati CSV cell C, the client's cell N):
#   string columns             N = C exactly (bytes)
#   mode, outcome, NAME_status N is a code whose value label is C; empty = empty
#   other numeric columns      N read as a number equals C read as a number;
#                              empty (not asked) = empty
#   .sav, DK/RF                N = -8 / -9 (declared user-missing)
#   .dta, DK/RF                N empty: readstat's CSV writes Stata's
#                              extended missing .a/.b as empty; the tags
#                              themselves are checked by the unit test
#                              (test_export.c, test_native), their labels here.
. "$(dirname "$0")/lib.sh"

for tool in pspp readstat extract_metadata; do
    command -v $tool >/dev/null || fail "$tool is not installed (scripts/install-deps installs it)"
done

setup_db
cati interviewer add pema >/dev/null
cat > fb.cati <<'EOF'
survey fb "Feedback" version 1
languages en
fields gewog

question q single
  text en "Did you get it?"
  choice 1 "Yes"
  choice 2 "No, \"never\""

question m multi
  text en "Which offices, all that apply"
  choice 1 "Dzongkhag"
  choice 3 "Gewog"
  choice 7 "Online"

question s scale 1 5
  text en "How easy, 1 to 5?"
  choice 1 "Very hard"
  choice 5 "Very easy"
  nodk

question n number 0 99
  text en "How many visits?"

question t text 500
  text en "Anything else?"
EOF
tib='བཀྲ་ཤིས་བདེ་ལེགས, "དྲི་བ", ཐུགས་རྗེ་ཆེ'
printf 'ref,name,phone,service,agency,district,gewog\r\nR1,Dasho Secret,17123451,cid,DCRC,Paro,"%s\r\nཞབས་ཏོག"\r\nR2,Ap Secret,17123452,census,DCRC,Thimphu,Kawang\r\nR3,Aum Secret,17123453,cid,DCRC,Paro,\r\nR4,Sonam Secret,17123454,census,DCRC,Haa,Bji\r\nR5,Pem Secret,17123455,census,DCRC,Haa,Bji\r\n' \
    "$(printf '%s' "$tib" | sed 's/"/""/g')" > sample.csv
expect_rc 0 cati survey load fb.cati
expect_rc 0 cati sample import --survey fb sample.csv
# R1 all answered (Tibetan text with a CR/LF), R2 DK/RF everywhere it can,
# R3 only q (the rest not asked), R4 broken off, ended by pema's call coded
# 1.2 (a partial), R5 5 points and the text "-8" (a text, not DK).
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, language, outcome,
       started_at, completed_at, updated_at)
     SELECT 'iv-' || ref, id, 1, 2, 'en', CASE WHEN ref = 'R4' THEN 'breakoff' ELSE 'complete' END,
            1772420000 + id, 1772420600 + id, 1 FROM cases;
     INSERT INTO calls(uuid, case_id, attempt, interviewer_id, started_at, ended_at, phone_pos, number,
       outcome, aapor, updated_at)
     SELECT 'call-4', id, 1, 2, 1772420000 + id, 1772420600 + id, 1, '17123454', 'partial', '1.2', 1
     FROM cases WHERE ref = 'R4';
     INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at, updated_at)
     VALUES ('a1', 1, 'q', 'value', '1', 1, 1, 1, 1), ('a2', 1, 'm', 'value', '1,7', 1, 2, 1, 1),
            ('a3', 1, 's', 'value', '4', 1, 3, 1, 1), ('a4', 1, 'n', 'value', '12', 1, 4, 1, 1),
            ('a5', 1, 't', 'value', '$(printf '%s' "$tib" | sed "s/'/''/g")' || char(13, 10) || 'ཞབས་ཏོག', 1, 5, 1, 1),
            ('b1', 2, 'q', 'dk', '', 1, 1, 1, 1), ('b2', 2, 'm', 'rf', '', 1, 2, 1, 1),
            ('b3', 2, 's', 'rf', '', 1, 3, 1, 1), ('b4', 2, 'n', 'dk', '', 1, 4, 1, 1),
            ('b5', 2, 't', 'rf', '', 1, 5, 1, 1),
            ('c1', 3, 'q', 'value', '2', 1, 1, 1, 1),
            ('d1', 4, 'q', 'value', '1', 1, 1, 1, 1), ('d2', 4, 'm', 'value', '3', 1, 2, 1, 1),
            ('e1', 5, 'q', 'value', '2', 1, 1, 1, 1), ('e2', 5, 'm', 'value', '1,3,7', 1, 2, 1, 1),
            ('e3', 5, 's', 'value', '5', 1, 3, 1, 1), ('e4', 5, 'n', 'value', '0', 1, 4, 1, 1),
            ('e5', 5, 't', 'value', '-8', 1, 5, 1, 1);
     INSERT INTO answer_log(uuid, interview_id, question, event, new_value, interviewer_id, seconds, at)
     VALUES ('l1', 1, 'q', 'answer', '1', 2, 12, 1772420100), ('l2', 1, 's', 'answer', '4', 2, 900, 1772443100);"

expect_rc 0 cati export --survey fb --out out --partials
expect_in "exported 5 interviews (1 partial)" "$OUT"
for f in fb_interviews.csv fb_codebook.csv fb_calls.csv fb.sav fb.dta; do
    expect_in "out/$f" "$OUT" "files listed"
    [ -s "out/$f" ] || fail "out/$f missing"
done
[ -e out/fb.sps ] || [ -e out/fb.do ] && fail "the .sps/.do are no longer written"
expect_eq 5 "$(ls -A out | wc -l)" "no other file (no temporary file left)"
expect_eq "-rw-r-----" "$(stat -c %A out/fb.sav)" "mode of fb.sav"
for f in out/fb.sav out/fb.dta; do
    grep -q "Secret\|1712345" "$f" && fail "personal data in $f"
done

# --- ReadStat: both files back to CSV, every cell equals the interviews CSV ----
readstat out/fb.sav sav.csv >/dev/null 2>rs.err || fail "readstat fb.sav: $(cat rs.err)"
readstat out/fb.dta dta.csv >/dev/null 2>rs.err || fail "readstat fb.dta: $(cat rs.err)"
extract_metadata out/fb.sav sav.json >/dev/null 2>&1 || fail "extract_metadata fb.sav"
extract_metadata out/fb.dta dta.json >/dev/null 2>&1 || fail "extract_metadata fb.dta"
sqlite3 -batch cmp.db ".import --csv out/fb_interviews.csv iv" ".import --csv sav.csv sv" \
    ".import --csv dta.csv dt" || fail "sqlite3 .import"
# the files' variables and value labels, from extract_metadata's JSON
for w in sav dta; do
    sqlite3 -batch cmp.db "CREATE TABLE ${w}_var AS SELECT json_extract(v.value, '\$.name') AS name,
          json_extract(v.value, '\$.type') AS type, json_extract(v.value, '\$.label') AS label
          FROM json_each(readfile('${w}.json'), '\$.variables') v;
        CREATE TABLE ${w}_lab AS SELECT json_extract(v.value, '\$.name') AS name,
          json_extract(c.value, '\$.code') AS code, json_extract(c.value, '\$.label') AS label
          FROM json_each(readfile('${w}.json'), '\$.variables') v,
               json_each(json_extract(v.value, '\$.categories')) c;" || fail "$w metadata"
done
cmp() { sqlite3 -batch cmp.db "$@"; }
header=$(head -1 out/fb_interviews.csv | tr -d '\r')
expect_eq "$header" "$(head -1 sav.csv | tr -d '"')" "sav columns = CSV columns"
expect_eq "$header" "$(head -1 dta.csv | tr -d '"')" "dta columns = CSV columns"
expect_eq 5 "$(cmp 'SELECT count(*) FROM sv')" "sav rows"
expect_eq 5 "$(cmp 'SELECT count(*) FROM dt')" "dta rows"
for w in sv dt; do
    meta=sav; [ $w = dt ] && meta=dta
    IFS=, read -ra cols <<< "$header"
    for c in "${cols[@]}"; do
        type=$(cmp "SELECT type FROM ${meta}_var WHERE name = '$c'")
        if [ "$type" = STRING ]; then
            got="n.\"$c\""
        elif [ "$c" = mode ] || [ "$c" = outcome ] || [ "${c%_status}" != "$c" ]; then
            got="CASE WHEN n.\"$c\" = '' THEN '' ELSE
                 (SELECT label FROM ${meta}_lab WHERE name = '$c' AND code = CAST(n.\"$c\" AS REAL)) END"
        else
            got="CASE WHEN n.\"$c\" = '' THEN '' ELSE CAST(CAST(n.\"$c\" AS REAL) AS INTEGER) ||
                 CASE WHEN CAST(n.\"$c\" AS REAL) = CAST(CAST(n.\"$c\" AS REAL) AS INTEGER) THEN ''
                 ELSE ' (not whole)' END END"
        fi
        want="i.\"$c\""
        [ $w = dt ] && [ "$type" = NUMERIC ] && want="CASE WHEN i.\"$c\" IN ('-8', '-9') THEN '' ELSE i.\"$c\" END"
        bad=$(cmp "SELECT group_concat(i.ref || ': ' || quote($want) || ' vs ' || quote($got), '; ')
                   FROM iv i LEFT JOIN $w n ON n.interview_uuid = i.interview_uuid
                   WHERE ($got) IS NOT ($want)")
        [ -z "$bad" ] || fail "$meta column $c differs from the CSV: $bad"
    done
done
expect_eq 1 "$(cmp "SELECT count(*) FROM sv WHERE gewog = '$(printf '%s' "$tib" | sed "s/'/''/g")' || char(13, 10) || 'ཞབས་ཏོག'")" \
    "sample field with CR/LF, commas, quotes in the .sav"
expect_eq "-8|-8|-9|-9|-9||3" "$(cmp "SELECT q, n, m_1, m_7, s, t, t_status FROM sv WHERE ref = 'R2'" | sed 's/\.0*//g')" \
    "DK/RF in the .sav (a text's: empty, its status 3 = rf)"
for w in sv dt; do
    meta=sav; [ $w = dt ] && meta=dta
    expect_eq "-8|answered" "$(cmp "SELECT n.t, (SELECT label FROM ${meta}_lab WHERE name = 't_status'
        AND code = CAST(n.t_status AS REAL)) FROM $w n WHERE ref = 'R5'")" "$meta: the text -8 is a text"
done
# the interviews file: partial vs break-off, who worked and ended, time on questions
expect_eq "partial|1.2|pema|pema" "$(cmp "SELECT outcome, aapor, ended_by, interviewers FROM iv WHERE ref = 'R4'")" \
    "R4: a break-off ended by a 1.2 call is a partial"
expect_eq "complete||pema|612|23000" "$(cmp "SELECT outcome, aapor, interviewers, active_seconds, wall_seconds
    FROM iv WHERE ref = 'R1'")" "R1: active seconds (each answer up to 600 s) and wall seconds"
# labels as declared, in both files
for meta in sav dta; do
    dk=-8 rf=-9; [ $meta = dta ] && dk=.a rf=.b
    expect_eq "1=Yes|2=No, \"never\"|$dk=Don't know|$rf=Refused" \
        "$(cmp "SELECT group_concat(code || '=' || label, '|') FROM (SELECT * FROM ${meta}_lab
                WHERE name = 'q' ORDER BY NOT code GLOB '[0-9]*', abs(CAST(code AS REAL)), code)" |
           sed 's/\.0*=/=/g')" "$meta labels of q"
    expect_eq "1=Very hard|5=Very easy|$rf=Refused" \
        "$(cmp "SELECT group_concat(code || '=' || label, '|') FROM (SELECT * FROM ${meta}_lab
                WHERE name = 's' ORDER BY NOT code GLOB '[0-9]*', abs(CAST(code AS REAL)), code)" |
           sed 's/\.0*=/=/g')" "$meta labels of s (nodk)"
    expect_eq "0=not chosen|1=chosen" "$(cmp "SELECT group_concat(code || '=' || label, '|') FROM
        (SELECT * FROM ${meta}_lab WHERE name = 'm_3' AND code GLOB '[0-9]*' ORDER BY 1)" |
        sed 's/\.0*=/=/g')" "$meta labels of m_3"
    expect_eq "Which offices, all that apply: Online" \
        "$(cmp "SELECT label FROM ${meta}_var WHERE name = 'm_7'")" "$meta variable label"
done

# --- PSPP: the dictionary, and frequencies equal counts from the CSV -----------
cat > read.sps <<'EOF'
SET TNUMBERS=VALUES TVARS=NAMES.
GET FILE='out/fb.sav'.
DISPLAY DICTIONARY.
FREQUENCIES VARIABLES=q m_1 m_3 m_7 s n outcome mode version t_status active_seconds.
EOF
pspp -o pspp.csv read.sps > pspp.out 2>&1 || fail "pspp failed: $(cat pspp.out)"
grep -qi "error\|warning" pspp.out pspp.csv && fail "pspp complained: $(grep -i 'error\|warning' pspp.out pspp.csv)"
dict=$(sed -n '/^Table: Variables/,/^$/p' pspp.csv)
tbytes=$(sqlite3 -batch cmp.db "SELECT max(length(CAST(t AS BLOB))) FROM iv")
expect_in "q,22,Did you get it?,Nominal,Input,8,Right,F8.0,F8.0,-9; -8" "$dict" "PSPP dictionary"
expect_in "s,26,\"How easy, 1 to 5?\",Ordinal,Input,8,Right,F8.0,F8.0,-9
" "$dict" "PSPP dictionary"
expect_in "n,27,How many visits?,Scale,Input,8,Right,F10.0,F10.0,-9; -8" "$dict" "PSPP dictionary"
expect_in "t,28,Anything else?,Nominal,Input,8,Left,A$tbytes,A$tbytes," "$dict" "PSPP dictionary (width = longest answer)"
expect_in "m_7,25,\"Which offices, all that apply: Online\",Nominal" "$dict" "PSPP dictionary"
labels=$(sed -n '/^Table: Value Labels/,/^$/p' pspp.csv)
expect_in "q,-9[a],Refused
,-8[a],Don't know
,1,Yes
,2,\"No, \"\"never\"\"\"" "$labels" "PSPP value labels of q"
expect_in "outcome,1,complete" "$labels" "PSPP value labels of outcome"
expect_in ",7,partial" "$labels" "PSPP value labels of outcome (partial)"
expect_in "t_status,1,answered
,2,dk
,3,rf" "$labels" "PSPP value labels of t_status"
expect_in "t_status,29,\"Status of the answer to t: answered, dk (don't know) or rf (refused); empty = not asked\",Nominal" \
    "$dict" "PSPP dictionary: t_status"
# frequencies: "variable value count" from PSPP (value "." = system missing)
awk -F, '/^Table: /{v=$0; sub(/^Table: /, "", v); next}
         v != "" && $1 != "Total" && $3 ~ /^[0-9]+$/ && $2 != "" {print v "," $2 "," $3}
         /^$/{v=""}' pspp.csv | grep -v '^Statistics,\|^Variables,\|^Value Labels,' > freq.csv
sqlite3 -batch cmp.db "CREATE TABLE pf(var TEXT, value TEXT, n INTEGER)" ".import --csv freq.csv pf" ||
    fail "import PSPP frequencies"
for c in q m_1 m_3 m_7 s n outcome mode version t_status active_seconds; do
    val="CASE WHEN \"$c\" = '' THEN '.' ELSE \"$c\" END"
    pval="value"
    [ $c = outcome ] || [ $c = mode ] || [ $c = t_status ] &&
        pval="coalesce((SELECT label FROM sav_lab WHERE name = '$c' AND code = CAST(value AS REAL)), value)"
    want=$(cmp "SELECT group_concat(v || '=' || k, ' ') FROM (SELECT $val AS v, count(*) AS k FROM iv GROUP BY 1 ORDER BY 1)")
    got=$(cmp "SELECT group_concat(v || '=' || n, ' ') FROM (SELECT $pval AS v, n FROM pf WHERE var = '$c' ORDER BY 1)")
    expect_eq "$want" "$got" "PSPP frequencies of $c = counts in the CSV"
done
expect_eq 5 "$(cmp "SELECT sum(n) FROM pf WHERE var = 'q'")" "PSPP counted every interview"

# --- formats ---------------------------------------------------------------------
expect_rc 0 cati export --survey fb --out o2 --format dta
expect_eq "fb.dta" "$(ls o2)" "--format dta writes only the .dta"
expect_rc 0 cati export --survey fb --out o3 --format sav,csv --with-pii
expect_eq "fb.sav fb_calls.csv fb_codebook.csv fb_interviews.csv" "$(ls o3 | tr '\n' ' ' | sed 's/ $//')" "--format sav,csv"
readstat o3/fb.sav pii.csv >/dev/null 2>&1 || fail "readstat o3/fb.sav"
expect_in "Dasho Secret" "$(cat pii.csv)" "names with --with-pii"
expect_eq "sav,csv" "$(sql "SELECT format FROM exports ORDER BY id DESC LIMIT 1" | tr ',' '\n' | sort -r | tr '\n' ',' | sed 's/,$//')" "format recorded"
expect_rc 2 cati export --survey fb --out o4 --format spss
expect_in "unknown format 'spss'" "$ERR"
[ -e o4 ] && fail "a refused export made its folder"

finish
