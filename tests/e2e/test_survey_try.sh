# cati survey try FILE --answers: routes through the ServE questionnaire.
. "$(dirname "$0")/lib.sh"
S="$DATA/serve.cati"

base() { # the answers up to and including consent
    printf '@name=Pema Wangmo\n@service=cid_new\n@agency=DCRC\n@availed_on=2025-03-02\n'
    printf 'reached=1\nreceived=1\nconsent=1\n'
}

# a complete interview, no follow-ups
{ base; cat <<'A'
access=4
access_req=4
access_visits=1
time_rate=4
time_days=5
time_std=1
time_prompt=4
att_rate=5
att_courtesy=5
att_prof=4
att_empathy=4
int_rate=5
bribe=2
fb_rate=3
fb_know=1
complain=2
overall=4
age=3
gender=1
A
} > complete.txt
expect_rc 0 cati survey try "$S" --answers complete.txt
want='reached=1
received=1
consent=1
access=4
access_req=4
access_visits=1
time_rate=4
time_days=5
time_std=1
time_prompt=4
att_rate=5
att_courtesy=5
att_prof=4
att_empathy=4
int_rate=5
bribe=2
fb_rate=3
fb_know=1
complain=2
overall=4
age=3
gender=1
end complete'
expect_eq "$want" "$OUT" "complete route"
[ -e cati.db ] && fail "survey try created a database"

# not the named person / did not receive the service: ineligible
printf 'reached=3\n' > wrong.txt
expect_rc 0 cati survey try "$S" --answers wrong.txt
expect_eq "reached=3
end ineligible" "$OUT" "wrong person"
printf 'reached=1\nreceived=2\n' > notrecv.txt
expect_rc 0 cati survey try "$S" --answers notrecv.txt
expect_eq "reached=1
received=2
end ineligible" "$OUT" "did not receive the service"
printf 'reached=2\n' > later.txt
expect_rc 0 cati survey try "$S" --answers later.txt && expect_in "end appointment" "$OUT"

# refusal at consent
printf 'reached=1\nreceived=1\nconsent=2\naccess=3\n' > refuse.txt
expect_rc 0 cati survey try "$S" --answers refuse.txt
expect_eq "reached=1
received=1
consent=2
end refusal" "$OUT" "refusal at consent"

# a low rating opens its follow-up; DK and RF answers; a bribe raises a flag
sed -e 's/^access=4/access=1/' -e 's/^att_rate=5/att_rate=dk/' -e 's/^bribe=2/bribe=1/' \
    -e 's/^fb_rate=3/fb_rate=rf/' -e 's/^time_days=5/time_days=75/' complete.txt > low.txt
printf 'access_why=ཡིག་ཚང་ཐག་རིང་།\nbribe_what=asked for Nu 500 at the counter\n' >> low.txt
expect_rc 0 cati survey try "$S" --answers low.txt
expect_in "access=1
access_req=4
access_visits=1
access_why=ཡིག་ཚང་ཐག་རིང་།
time_rate=4" "$OUT" "follow-up after a low rating"
expect_in "time_days=75
warn time_days: More than 60 working days: please confirm with the respondent.
time_std=1" "$OUT" "warn line"
expect_in "att_rate=dk
att_courtesy=5" "$OUT" "DK answer (no follow-up)"
expect_in "bribe=1
bribe_what=asked for Nu 500 at the counter
fb_rate=rf" "$OUT" "bribe and RF"
expect_in "flag bribe_what: integrity" "$ERR" "bribe flag (stderr: stdout is only the route)"
expect_in "end complete" "$OUT"

# the follow-up is not asked for a good rating
expect_rc 0 cati survey try "$S" --answers complete.txt && expect_not_in "access_why" "$OUT"

# a complaint
sed -e 's/^complain=2/complain=1/' complete.txt > complaint.txt
echo "complaint=the office was closed twice" >> complaint.txt
expect_rc 0 cati survey try "$S" --answers complaint.txt
expect_in "complaint=the office was closed twice" "$OUT"
expect_in "flag complaint: complaint" "$ERR"

# a question on the route with no answer: exit 2 and FILE:LINE on stderr
grep -v '^time_days=' complete.txt > missing.txt
expect_rc 2 cati survey try "$S" --answers missing.txt
line=$(grep -n '^question time_days ' "$S" | cut -d: -f1)
expect_in "$S:$line: no answer for 'time_days'" "$ERR"
expect_in "time_rate=4" "$OUT" "route printed up to the missing answer"

# an answer out of range names the answers file and line
sed -e 's/^access=4/access=9/' complete.txt > range.txt
expect_rc 2 cati survey try "$S" --answers range.txt
expect_in "range.txt:8: access: 9 is out of range: use 1 to 5" "$ERR"
printf 'reached=1\nnosuch=2\n' > unknown.txt
expect_rc 2 cati survey try "$S" --answers unknown.txt && expect_in "unknown.txt:2: unknown question 'nosuch'" "$ERR"
printf 'reached=dk\n' > nodk.txt
expect_rc 2 cati survey try "$S" --answers nodk.txt && expect_in "don't know is not allowed" "$ERR"

# a hard check that fails
cat > hard.cati <<'CATI'
survey h
question born number 1900 2025
  text en "Year of birth?"
question since number 1900 2025
  text en "Since when?"
  check since >= born "cannot be before the year of birth"
  warn since > 1950 "very early"
CATI
printf 'born=1990\nsince=1980\n' > hard.txt
expect_rc 2 cati survey try hard.cati --answers hard.txt
expect_in "hard.cati:6: check failed on 'since': cannot be before the year of birth" "$ERR"
printf 'born=dk\nsince=1940\n' > soft.txt
expect_rc 0 cati survey try hard.cati --answers soft.txt
expect_eq "born=dk
since=1940
warn since: very early
end complete" "$OUT" "DK does not trip the hard check"

# languages
expect_rc 0 cati survey try "$S" --answers complete.txt --lang dz && expect_in "end complete" "$OUT"
expect_rc 2 cati survey try "$S" --answers complete.txt --lang fr && expect_in "'fr' is not declared" "$ERR"

# interactive, on a pipe: prompts and texts with fills, in Dzongkha
printf '@name=Pema\n1\n1\n2\n' | cati survey try "$S" --lang dz > inter.out 2>&1
expect_in "Pema དང་གཏམ་བཤད་ཆོག་ག?" "$(cat inter.out)" "interactive Dzongkha text"
expect_in "end refusal" "$(cat inter.out)" "interactive outcome"
finish
