# Contract (DESIGN "Respondent samples (CSV)"): required columns, phone2…,
# extra columns as fields scripts use, all or nothing with line numbers,
# BOM, CRLF, quoted newlines.
. "$(dirname "$0")/lib.sh"
setup_db
cat > s.cati <<'CATI'
survey s "Sample test" version 1
languages en
fields gewog

question q1 single
  text en "Hello {name} of {gewog}, about {service}"
  choice 1 "Yes"
  choice 2 "No"

question q2 text
  ask if gewog = "Chang" and service = "cid_new"
  text en "Chang and a new ID card"
CATI
cati survey load s.cati >/dev/null || fail "survey load"
ncases() { sql "SELECT count(*) FROM cases"; }

# every rejected file: exit 2, one message naming the file and the line, nothing loaded
reject() { # reject FILE LINE what
    expect_rc 2 cati sample import --survey s "$1" && expect_in "$1:$2" "$ERR" "$3"
    expect_eq 0 "$(ncases)" "$3: nothing loaded"
}
printf 'ref,name\nA1,Dorji\n' > nophone.csv;              reject nophone.csv 1 "no phone column"
printf 'name,phone\nDorji,17000001\n' > noref.csv;        reject noref.csv 1 "no ref column"
printf 'ref,phone\nA1,17000001\n' > noname.csv;           reject noname.csv 1 "no name column"
printf 'ref,name,phone\nA1,Dorji,17000001\n' > nogewog.csv; reject nogewog.csv 1 "declared field gewog missing"
H='ref,name,phone,gewog,service,availed_on'
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,,17000002,Chang,cid_new,2026-10-01\n" > empty.csv
reject empty.csv 3 "missing name"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,Pema,17000002,Chang,cid_new,2026-10-01\nA1,Karma,17000003,Haa,cid_new,2026-10-01\n" > dup.csv
reject dup.csv 4 "duplicate ref"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,Pema,call me,Chang,cid_new,2026-10-01\n" > phone.csv
reject phone.csv 3 "unparseable phone"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,Pema,17000002,Chang,cid_new,yesterday\n" > date.csv
reject date.csv 3 "unparseable date"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,Pe\xffma,17000002,Chang,cid_new,2026-10-01\n" > utf8.csv
reject utf8.csv 3 "invalid UTF-8"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,Pema,17000002,Chang\n" > ragged.csv
reject ragged.csv 3 "ragged row"
printf "$H\nA1,Dorji,17000001,Chang,cid_new,2026-10-01\nA2,\"Pema,17000002,Chang,cid_new,2026-10-01\n" > quote.csv
reject quote.csv 3 "unterminated quote"
printf 'ref,name,phone,phone2,gewog\nA1,Dorji,17000001,not a phone,Chang\n' > phone2.csv
reject phone2.csv 2 "unparseable phone2"
# the line number counts physical lines: a quoted newline before the bad row
printf "$H\nA1,\"Dorji\nWangchuk\",17000001,Chang,cid_new,2026-10-01\nA2,Pema,xx,Chang,cid_new,2026-10-01\n" > nl_bad.csv
reject nl_bad.csv 4 "line after a quoted newline"
expect_rc 2 cati sample import --survey nosuch "$WORK/nl_bad.csv" && true
expect_rc 2 cati sample import --survey s missing.csv && true

# a good file: UTF-8 BOM, CRLF, quoted comma, quote and newline, phone2 and phone3, extras
printf '\xef\xbb\xbfref,name,phone,phone2,phone3,language,timezone,priority,service,agency,district,availed_on,gewog,phone_type\r\n' > good.csv
printf 'G1,"Wangchuk, Dorji",17000001,77000001,+975 2 321 456,en,Asia/Thimphu,3,cid_new,DCRC,Thimphu,2026-10-01,Chang,mobile\r\n' >> good.csv
printf 'G2,"Pema ""Pem"" Lhamo",17000002,,,dz,,0,census_transfer,DCRC,Haa,2026-10-02,"Upper\r\nKatsho",landline\r\n' >> good.csv
printf 'G3,ཀརྨ་ཆོས་སྒྲོན།,17000003,,,,,,cid_new,DCRC,Paro,2026-10-03,Dopshari,mobile\r\n' >> good.csv
expect_rc 0 cati sample import --survey s good.csv || true
expect_eq 3 "$(ncases)" "good file loaded"
expect_eq "Wangchuk, Dorji" "$(sql "SELECT name FROM cases WHERE ref='G1'")" "quoted comma"
expect_eq 'Pema "Pem" Lhamo' "$(sql "SELECT name FROM cases WHERE ref='G2'")" "doubled quote"
expect_eq "ཀརྨ་ཆོས་སྒྲོན།" "$(sql "SELECT name FROM cases WHERE ref='G3'")" "UTF-8 name"
[ -z "$(sql "SELECT ref FROM cases WHERE ref LIKE '%'||char(65279)||'%'")" ] || fail "BOM kept in the first ref"
expect_rc 0 cati case show "$(sql "SELECT id FROM cases WHERE ref='G1'")" || true
expect_in "+97517000001" "$OUT" "phone normalised with the country code"
expect_in "+97577000001" "$OUT" "phone2"
expect_in "+9752321456" "$OUT" "phone3"
expect_in "Chang" "$OUT" "extra field gewog"
expect_in "mobile" "$OUT" "extra column phone_type kept"
expect_not_in $'\r' "$OUT" "CR stripped"
expect_rc 0 cati case show "$(sql "SELECT id FROM cases WHERE ref='G2'")" || true
expect_in "Upper" "$OUT" "quoted newline field"
# importing the same refs again: duplicates, all or nothing
printf 'ref,name,phone,gewog\nG4,New,17000009,Chang\nG1,Again,17000001,Chang\n' > again.csv
expect_rc 2 cati sample import --survey s again.csv && expect_in "again.csv:3" "$ERR" "ref already in the survey"
expect_eq 3 "$(ncases)" "nothing added by the failed re-import"
# LF-only, no BOM, quoted newline: fine too
printf 'ref,name,phone,gewog\nH1,"Two\nLines",17000011,Chang\nH2,Sonam,17000012,Haa\n' > lf.csv
expect_rc 0 cati sample import --survey s lf.csv || true
expect_eq 5 "$(ncases)" "LF file loaded"
finish
