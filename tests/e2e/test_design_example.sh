# DESIGN.md's own example questionnaire checks, loads and routes exactly as the contract says.
. "$(dirname "$0")/lib.sh"
cat > design.cati <<'CATI'
survey serve "ServE citizen feedback" version 1
languages en dz
parameters accessibility timeliness attitude integrity feedback

question reached single
  text en "May I speak with {name}? I am calling about the {service} service you received on {availed_on}."
  choice 1 "Speaking"
  choice 2 "Not available now"
  choice 3 "No such person at this number"
  nodk norf
  end appointment if reached = 2
  end ineligible if reached = 3

question access scale 1 5
  measures accessibility
  text en "How easy was it to get this service? 1 is very difficult, 5 very easy."
  text dz "…"

question access_why text 500
  ask if access <= 2
  text en "What made it difficult?"

question days number 0 365
  measures timeliness
  text en "How many working days did it take?"
  warn days <= 60 "More than 60 working days — please confirm."

question bribe single
  measures integrity
  text en "Were you asked for any payment or favour beyond the official fee?"
  choice 1 "Yes"
  choice 2 "No"
  flag integrity if bribe = 1
CATI
expect_rc 0 cati survey check design.cati
expect_in "warning: question 'reached' has no text in 'dz'" "$ERR"
printf 'reached=1\naccess=2\naccess_why=far away\ndays=70\nbribe=1\n@name=Pema\n@service=cid_new\n@availed_on=2026-03-02\n' > a.txt
expect_rc 0 cati survey try design.cati --answers a.txt
expect_eq "reached=1
access=2
access_why=far away
days=70
warn days: More than 60 working days — please confirm.
bribe=1
end complete" "$OUT" "route"
printf 'reached=1\naccess=dk\ndays=rf\nbribe=2\n' > b.txt
expect_rc 0 cati survey try design.cati --answers b.txt
expect_eq "reached=1
access=dk
days=rf
bribe=2
end complete" "$OUT" "DK skips the follow-up"
printf 'reached=2\n' > c.txt
expect_rc 0 cati survey try design.cati --answers c.txt
expect_eq "reached=2
end appointment" "$OUT"
printf 'reached=1\naccess=4\n' > d.txt
expect_rc 2 cati survey try design.cati --answers d.txt
expect_in "design.cati:23: no answer for 'days'" "$ERR" "missing answer names the question's line"
setup_db
expect_rc 0 cati survey load design.cati
expect_eq "serve" "$(sql 'SELECT name FROM surveys')"
finish
