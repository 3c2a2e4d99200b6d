# Contract (DESIGN "The questionnaire language"): every statement and expression
# form, `survey try` output exactly, exit 2 with FILE:LINE for a missing answer
# or a failed hard check, load-time errors at FILE:LINE:COL, the DESIGN example.
. "$(dirname "$0")/lib.sh"

# try SCRIPT 'ANSWER LINES' : run survey try with the answers (printf escapes).
try() {
    printf "$2" > answers.txt
    expect_rc "${3:-0}" cati survey try "$1" --answers answers.txt
}
nl=$'\n'
route() { local IFS=$nl; echo "$*"; }

# --- the DESIGN example, verbatim ------------------------------------------------
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
expect_rc 0 cati survey check design.cati || true
# its questions without dz text are warnings (the en text is read), not errors
expect_in "warning: question 'reached' has no text in 'dz'" "$ERR"
try design.cati 'reached=1\naccess=2\naccess_why=The office was far\ndays=90\nbribe=1\n' &&
    expect_eq "$(route reached=1 access=2 "access_why=The office was far" days=90 \
        "warn days: More than 60 working days — please confirm." bribe=1 "end complete")" "$OUT" "example: full route"
try design.cati 'reached=1\naccess=4\ndays=10\nbribe=2\n' &&
    expect_eq "$(route reached=1 access=4 days=10 bribe=2 "end complete")" "$OUT" "example: access_why skipped"
try design.cati 'reached=2\n' && expect_eq "$(route reached=2 "end appointment")" "$OUT" "example: appointment"
try design.cati 'reached=3\n' && expect_eq "$(route reached=3 "end ineligible")" "$OUT" "example: ineligible"
# DK on the rating: `ask if access <= 2` is false, so access_why is skipped
try design.cati 'reached=1\naccess=dk\ndays=10\nbribe=2\n' &&
    expect_eq "$(route reached=1 access=dk days=10 bribe=2 "end complete")" "$OUT" "example: dk skips"
try design.cati 'reached=1\naccess=rf\ndays=rf\nbribe=rf\n' &&
    expect_eq "$(route reached=1 access=rf days=rf bribe=rf "end complete")" "$OUT" "example: refused everywhere"
# nodk norf on reached
try design.cati 'reached=dk\n' 2 && expect_in "answers.txt:1" "$ERR"
try design.cati 'reached=rf\n' 2 && true
# a question on the route with no answer: exit 2, FILE:LINE naming the question
try design.cati 'reached=1\naccess=dk\n' 2 && expect_in "design.cati:23:" "$ERR" "missing answer" &&
    expect_in "days" "$ERR"
# answers out of range / not a choice
try design.cati 'reached=4\n' 2 && true
try design.cati 'reached=1\naccess=6\n' 2 && true
try design.cati 'reached=1\naccess=3\ndays=366\n' 2 && true
try design.cati 'reached=1\naccess=3\ndays=ten\n' 2 && true
# extra lines for questions not on the route are ignored; unknown questions are not
try design.cati 'reached=1\naccess=4\naccess_why=unused\ndays=10\nbribe=2\n' &&
    expect_eq "$(route reached=1 access=4 days=10 bribe=2 "end complete")" "$OUT" "unused answer"
try design.cati 'reached=1\nnosuch=3\naccess=4\ndays=10\nbribe=2\n' 2 && expect_in "answers.txt:2" "$ERR"
try design.cati 'reached 1\n' 2 && expect_in "answers.txt:1" "$ERR"
expect_rc 2 cati survey try design.cati --answers no-such-file && true
expect_rc 2 cati survey try no-such.cati --answers answers.txt && true
try design.cati 'reached=1\naccess=4\ndays=10\nbribe=2\n' && true
expect_rc 0 cati survey try design.cati --answers answers.txt --lang dz && true
expect_rc 2 cati survey try design.cati --answers answers.txt --lang fr && true
expect_rc 0 cati -d example.db init
expect_rc 0 cati -d example.db survey load design.cati
expect_eq "serve" "$(sqlite3 example.db 'SELECT name FROM surveys')" "the example loads"

# --- every statement and expression form ------------------------------------------
cat > lang.cati <<'CATI'
# every statement and expression form
survey lang "Language test" version 2
languages en dz
fields gewog phone_type
parameters accessibility timeliness

question start single
  text en "Hello {name} from {gewog}"
  text dz "ཀུ་ཟུ་ཟང་པོ།"
  choice 1 "Go"
  choice 2 "Refuse"
  choice 3 "Not eligible"
  choice 4 "Later"
  choice 5 "Stop"
  nodk
  norf
  end refusal if start = 2
  end ineligible if start = 3
  end appointment if start = 4
  end breakoff if start = 5

question services multi
  text en "Which services?"
  choice 1 "ID card"
  choice 2 "Census"
  choice 3 "Passport"
  choice 9 "None of these"
  exclusive 9

question rating scale 1 5
  measures accessibility
  text en "Rate it"
  goto closing if has(services, 9)

question why text 20
  ask if rating <= 2
  text en "Why {rating}?"

question notlow text
  ask if rating != 1
  text en "Asked unless rating is 1 (never when missing)"

question notnot text
  ask if not (rating = 1)
  text en "Asked unless rating is 1 (also when missing)"

question days number 0 365
  measures timeliness
  text en "Days?"
  check days >= 1 or dk(days) or rf(days) "Days must be at least 1"
  warn days <= 60 "More than 60 days"

question when date
  ask if answered(days) and not (dk(days) or rf(days))
  text en "When?"

question phone_q single
  ask if phone_type = "mobile" and gewog in ("Chang", "Kawang")
  text en "Mobile in {gewog}"
  choice 1 "Yes"
  choice 2 "No"

question pick single
  ask if has(services, 1) or has(services, 3)
  text en "Pick"
  choice 1 "A"
  choice 2 "B"
  flag complaint if pick in (2)
  goto closing if (pick = 1 and rating > 3) or rating >= 5

question extra scale 0 10
  ask if not has(services, 2) or rating < 3
  text en "Extra"

question closing single
  text en "Done?"
  choice 1 "Yes"
  choice 2 "No"
  end complete if closing = 1
  end breakoff if closing = 2
CATI
expect_rc 0 cati survey check lang.cati || true
# fields, strings, in (), has() with multi "1,3", goto forward, check passes, warn fires
try lang.cati '@gewog=Chang\n@phone_type=mobile\nstart=1\nservices=1,3\nrating=4\nwhy=x\nnotlow=a\nnotnot=b\ndays=70\nwhen=2026-10-01\nphone_q=1\npick=1\nclosing=1\n' &&
    expect_eq "$(route start=1 services=1,3 rating=4 notlow=a notnot=b days=70 "warn days: More than 60 days" \
        when=2026-10-01 phone_q=1 pick=1 closing=1 "end complete")" "$OUT" "full route"
# a field not in the list: phone_q skipped; has(services,9) jumps to closing
try lang.cati '@gewog=Haa\n@phone_type=mobile\nstart=1\nservices=9\nrating=3\nclosing=2\n' &&
    expect_eq "$(route start=1 services=9 rating=3 closing=2 "end breakoff")" "$OUT" "exclusive code and goto"
# DK rating: <=, !=, = and < are all false; not(=) is true
try lang.cati 'start=1\nservices=2\nrating=dk\nnotnot=x\ndays=rf\nextra=3\nclosing=1\n' &&
    expect_eq "$(route start=1 services=2 rating=dk notnot=x days=rf closing=1 "end complete")" "$OUT" "dk semantics"
# rating 1: why asked, notlow and notnot skipped
try lang.cati 'start=1\nservices=2\nrating=1\nwhy=slow\ndays=5\nwhen=2026-09-30\nextra=0\nclosing=1\n' &&
    expect_eq "$(route start=1 services=2 rating=1 why=slow days=5 when=2026-09-30 extra=0 closing=1 "end complete")" "$OUT" "rating 1"
# rating >= 5 goes to closing after pick (pick = 2: flag, not shown as a route line)
try lang.cati 'start=1\nservices=1\nrating=5\nnotlow=a\nnotnot=b\ndays=dk\npick=2\nclosing=1\n' &&
    expect_eq "$(route start=1 services=1 rating=5 notlow=a notnot=b days=dk pick=2 closing=1 "end complete")" "$OUT" "or in goto"
# multi: codes in script order, spaces tolerated? (only the comma form is contractual)
try lang.cati 'start=1\nservices=3,1\nrating=3\nnotlow=a\nnotnot=b\ndays=2\nwhen=2026-01-01\npick=2\nextra=1\nclosing=1\n' &&
    expect_in "services=" "$OUT"
try lang.cati 'start=1\nservices=1,9\n' 2 && expect_in "answers.txt:2" "$ERR" "exclusive with other codes"
try lang.cati 'start=1\nservices=4\n' 2 && expect_in "answers.txt:2" "$ERR" "not a choice"
# every end outcome
try lang.cati 'start=2\n' && expect_eq "$(route start=2 "end refusal")" "$OUT"
try lang.cati 'start=3\n' && expect_eq "$(route start=3 "end ineligible")" "$OUT"
try lang.cati 'start=4\n' && expect_eq "$(route start=4 "end appointment")" "$OUT"
try lang.cati 'start=5\n' && expect_eq "$(route start=5 "end breakoff")" "$OUT"
# a hard check that fails: exit 2, FILE:LINE of the check, route so far on stdout
try lang.cati 'start=1\nservices=2\nrating=3\nnotlow=a\nnotnot=b\ndays=0\n' 2 &&
    expect_in "lang.cati:$(grep -n "^  check days" lang.cati | cut -d: -f1):" "$ERR" "failed check" && expect_in "Days must be at least 1" "$ERR"
expect_not_in "end " "$OUT" "stopped route"
# text longer than its MAXLEN, a bad date
try lang.cati 'start=1\nservices=2\nrating=1\nwhy=this text is longer than twenty\n' 2 && true
try lang.cati 'start=1\nservices=2\nrating=1\nwhy=ok\ndays=3\nwhen=2026-13-45\n' 2 && true

# --- without --answers: interactive in the terminal, writing nothing ----------------
mkdir -p dry && cp design.cati dry/
tstart dry "sh -c \"cd '$WORK/dry' && unset CATI_CONFIG && exec '$CATI_BIN' survey try design.cati 2>/dev/null\""
twait dry "reached" && tkeys dry 1 Enter
twait dry "access" && tkeys dry 4 Enter
twait dry "days" && tkeys dry 10 Enter
twait dry "bribe" && tkeys dry 2 Enter
twait dry "end complete"
twait dry "[exited 0]"
expect_eq "design.cati" "$(ls -A dry)" "interactive try wrote nothing"

# --- load-time errors: FILE:LINE:COL, exit 2, nothing stored ---------------------
setup_db
hdr='survey e "E" version 1\nlanguages en\n'
bad() { # bad 'BODY' LINE:COL what
    printf "$hdr$1" > e.cati
    expect_rc 2 cati survey check e.cati && expect_in "e.cati:$2:" "$ERR" "$3"
    expect_rc 2 cati survey load e.cati && expect_in "e.cati:$2:" "$ERR" "$3 (load)"
}
bad 'question a single\n  text en "A"\n  choice 1 "x"\n  ask if zz = 1\n' 6:10 "unknown name"
bad 'question a single\n  text en "A"\n  choice 1 "x"\n  ask if b = 1\nquestion b single\n  text en "B"\n  choice 1 "y"\n' 6:10 "later question"
bad 'question a single\n  text en "A"\n  choice 1 "x"\nquestion b single\n  text en "B"\n  choice 1 "y"\n  goto a if b = 1\n' 9:8 "goto backwards"
bad 'question a single\n  text en "A"\n  choice 1 "x"\n  choice 1 "y"\n' 6:10 "duplicate code"
bad 'question a single\nquestion b single\n  text en "B"\n  choice 1 "y"\n' 3:10 "empty block"
bad 'question a single\n  text en "A"\n  choice 1 "x"\n  end finished if a = 1\n' 6:7 "unknown outcome"
[ -z "$(sql "SELECT name FROM surveys")" ] || fail "a bad script was stored"
# fields: a sample for the survey must have the declared columns
expect_rc 0 cati survey load lang.cati >/dev/null || true
printf 'ref,name,phone,gewog\nL1,Dorji,17111111,Chang\n' > nofield.csv
expect_rc 2 cati sample import --survey lang nofield.csv && expect_in "phone_type" "$ERR"
printf 'ref,name,phone,gewog,phone_type\nL1,Dorji,17111111,Chang,mobile\n' > withfield.csv
expect_rc 0 cati sample import --survey lang withfield.csv || true
finish
