# A quota key naming a field the sample does not have is an error
# (FILE:LINE) when the configuration meets the database; a sample imported
# without a quota's field is refused; before any sample exists any field is
# accepted (cati.ini(5)). Quota values keep their case as written (iniparser
# lowers keys: `service.CID_New` became cid_new); fields quotas cannot count
# are refused when the file is read.
. "$(dirname "$0")/lib.sh"
cat >> cati.ini <<'INI'
[quota]
service.CID_New = 5
woreda.Chang = 2
INI
setup_db
# before any sample: nothing to hold woreda against
expect_rc 0 cati survey load "$DATA/serve.cati"
expect_rc 0 cati config
expect_in "quota:service.CID_New = 5" "$OUT" "config: the value as written"
expect_in "quota:woreda.Chang = 2" "$OUT" "config: second quota"
# a sample without the quota's field is refused, naming the quota and its line
head -5 "$DATA/demo-sample.csv" > sample.csv
expect_rc 2 cati sample import --survey serve sample.csv
expect_eq "cati: sample.csv:1: missing column 'woreda', which quota:woreda.Chang ($WORK/cati.ini:7) counts" "$ERR" "import error"
expect_eq 0 "$(sql 'SELECT count(*) FROM cases')" "nothing imported"
# without that quota the sample goes in
sed -i '/^woreda/d' cati.ini
expect_rc 0 cati sample import --survey serve sample.csv
# now a quota on a field the sample lacks is an error wherever cati opens the database
echo "Woreda.Chang = 2" >> cati.ini
for cmd in "report quotas" "case next" "monitor --once"; do
    expect_rc 2 cati $cmd &&
        expect_in "cati: $WORK/cati.ini:7: quota:woreda.Chang: the sample of survey 'serve' has no field 'woreda'" \
            "$ERR" "cati $cmd"
done
expect_in "its extra fields: gewog" "$ERR" "the sample's fields listed"
# a field the sample has is fine, whatever case the key is written in
sed -i 's/^Woreda.Chang = 2$/Gewog.Dagala = 1/' cati.ini
expect_rc 0 cati report quotas
norm=$(printf '%s\n' "$OUT" | tr -s ' ')
expect_in "serve service CID_New 5 0 5 open" "$norm" "value as written"
expect_in "serve gewog Dagala 1 0 1 open" "$norm" "field in lower case, value as written"
# fields quotas cannot count are refused when the file is read, with its line
echo "availed_on.2026-10-01 = 3" >> cati.ini
expect_rc 2 cati report quotas
expect_eq "cati: $WORK/cati.ini:8: quota:availed_on.2026-10-01: quotas cannot count 'availed_on': use service, agency, district, language or an extra sample field" "$ERR" "availed_on"
finish
