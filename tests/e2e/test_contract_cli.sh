# Contract (DESIGN "Commands"): exit codes, one-line errors, configuration and
# database resolution, roles, CATI_USER only when the configuration allows it.
. "$(dirname "$0")/lib.sh"

# one_line_error: stderr is exactly one line "cati: WHAT: WHY".
one_line_error() { # one_line_error WHAT-FOR-MESSAGES
    local n
    n=$(printf '%s\n' "$ERR" | grep -c .)
    [ "$n" = 1 ] || { fail "$1: stderr is $n lines: $ERR"; return 1; }
    printf '%s\n' "$ERR" | grep -qE '^cati: [^ ].*: [^ ]' && return 0
    fail "$1: stderr is not 'cati: <what>: <why>': $ERR"; return 1
}

# --- usage errors: exit 2 ---------------------------------------------------
expect_rc 2 cati && expect_eq "" "$OUT" "no command: nothing on stdout"
expect_rc 2 cati frobnicate && one_line_error "unknown command"
expect_rc 2 cati case && true
expect_rc 2 cati case show && true
expect_rc 2 cati case frob 1 && true
expect_rc 2 cati survey load && true
expect_rc 2 cati sample import sample.csv && true        # --survey missing
expect_rc 2 cati export --survey serve && true          # --out missing
expect_rc 2 cati sync && true                            # --to missing
expect_rc 2 cati report nonsense && true
expect_rc 2 cati report rates --format xml && one_line_error "bad --format"
expect_rc 2 cati export --survey serve --out d --format xml && true
expect_rc 2 cati interviewer add && true
expect_rc 2 cati -c && true

# --- runtime failure: exit 1 -------------------------------------------------
# no database yet: every command that needs one fails with one line, creating nothing
expect_rc 1 cati case show 1 && one_line_error "no database"
[ -e "$WORK/cati.db" ] && fail "a command other than init created the database"
# a database of another program is refused and left untouched
sqlite3 other.db "CREATE TABLE t(x); INSERT INTO t VALUES(42);"
sum=$(md5sum < other.db)
expect_rc 1 cati -d other.db init && one_line_error "foreign database"
expect_eq "$sum" "$(md5sum < other.db)" "another program's database unchanged"
printf 'not a database at all\n' > junk.db
cati -d junk.db init >/dev/null 2>&1 && fail "init accepted a non-SQLite file"
expect_eq "not a database at all" "$(cat junk.db)" "junk file untouched"

setup_db
expect_rc 0 cati init && true   # upgrading an up-to-date database: fine, idempotent

# --- input errors name the file and line --------------------------------------
printf 'survey s "S" version 1\nlanguages en\n\nquestion q1 single\n  text en "Q"\n  choice 1 "A"\n  choice 1 "B"\n' > dup.cati
expect_rc 2 cati survey load dup.cati && expect_in "dup.cati:7:" "$ERR" "duplicate code error"
expect_rc 2 cati survey load missing.cati && one_line_error "missing script"

# a bad configuration is an input error: exit 2, file and line, nothing created
printf '[database]\npath = %s/never.db\n\n[calling]\n; comment\nmax_attempts = lots\n' "$WORK" > badval.ini
expect_rc 2 cati -c badval.ini init && one_line_error "bad config value" && expect_in "badval.ini:6:" "$ERR"
printf '[calling]\nmax_atempts = 3\n' > typo.ini
expect_rc 2 cati -c typo.ini init && one_line_error "unknown config key" && expect_in "typo.ini:2:" "$ERR"
printf '[database]\npath = %s/never.db\n[calling\n' "$WORK" > syntax.ini
expect_rc 2 cati -c syntax.ini init && one_line_error "config syntax" && expect_in "syntax.ini:3:" "$ERR"
[ -e never.db ] && fail "a bad configuration created the database"

# --- roles --------------------------------------------------------------------
cati interviewer add pema --name "Pema Lhamo" --role interviewer --lang en,dz >/dev/null || fail "add interviewer"
cati interviewer add sonam --name "Sonam" --role supervisor >/dev/null || fail "add supervisor"
expect_rc 2 cati interviewer add tashi --role chief && true
expect_rc 2 cati interviewer add 'bad login!' && true
cat > s.cati <<'EOF'
survey s "S" version 1
languages en
question q1 single
  text en "Q?"
  choice 1 "Yes"
  choice 2 "No"
EOF
printf 'ref,name,phone\nA1,Dorji,17000001\n' > s.csv
for cmd in "survey load s.cati" "sample import --survey s s.csv" "interviewer add x1" \
           "case release 1" "case priority 1 5" "case appoint 1 +60" \
           "report rates" "report scores" "report interviewers" \
           "export --survey s --out outp" "sync --to central.db"; do
    # shellcheck disable=SC2086
    CATI_USER=pema expect_rc 1 cati $cmd && one_line_error "interviewer: $cmd" &&
        expect_in "denied" "$ERR" "interviewer: $cmd"
done
[ -e outp ] && fail "a refused export wrote its directory"
[ -e central.db ] && fail "a refused sync created the central database"
for cmd in "survey load s.cati" "sample import --survey s s.csv" "interviewer add x2"; do
    # shellcheck disable=SC2086
    CATI_USER=sonam expect_rc 1 cati $cmd && one_line_error "supervisor: $cmd"
done
expect_rc 0 cati survey load s.cati >/dev/null
expect_rc 0 cati sample import --survey s s.csv >/dev/null
CATI_USER=sonam expect_rc 0 cati report rates && true
CATI_USER=sonam expect_rc 0 cati case priority 1 5 && true
CATI_USER=sonam expect_rc 0 cati case show 1 && expect_in "A1" "$OUT"
# an unknown login is refused
CATI_USER=nobody expect_rc 1 cati case next && one_line_error "unknown login" && expect_in "nobody" "$ERR"

# --- CATI_USER only with [security] allow_user_override = yes --------------------
me=$(id -un)
cat > strict.ini <<INI
[database]
path = $WORK/strict.db
INI
CATI_CONFIG=$WORK/strict.ini CATI_USER=pema cati init >/dev/null 2>&1 || fail "init under strict.ini"
# the OS login, not CATI_USER, became the first admin: it may add interviewers...
CATI_CONFIG=$WORK/strict.ini CATI_USER=nobody expect_rc 0 cati interviewer add karma --role interviewer && true
# ...and a CATI_USER naming a mere interviewer changes nothing
CATI_CONFIG=$WORK/strict.ini CATI_USER=karma expect_rc 0 cati interviewer add dawa && true
got=$(sqlite3 "$WORK/strict.db" "SELECT login FROM interviewers WHERE role='admin'")
expect_eq "$me" "$got" "first admin is the OS login"
printf '[database]\npath = %s/strict.db\n[security]\nallow_user_override = no\n' "$WORK" > strict2.ini
CATI_CONFIG=$WORK/strict2.ini CATI_USER=karma expect_rc 0 cati interviewer add dawa2 && true
# with the override allowed, CATI_USER is honoured
printf '[database]\npath = %s/strict.db\n[security]\nallow_user_override = yes\n' "$WORK" > loose.ini
CATI_CONFIG=$WORK/loose.ini CATI_USER=karma expect_rc 1 cati interviewer add dawa3 && expect_in "denied" "$ERR"

# --- configuration resolution: -c, $CATI_CONFIG, ./cati.ini, /etc/cati/cati.ini, defaults ---
mkdir -p res/run
mkini() { printf '[database]\npath = %s\n[security]\nallow_user_override = yes\n' "$2" > "$1"; }
mkini res/c.ini "$WORK/res/from_c.db"
mkini res/env.ini "$WORK/res/from_env.db"
mkini res/run/cati.ini "$WORK/res/from_cwd.db"
(cd res/run && CATI_CONFIG=$WORK/res/env.ini "$CATI_BIN" -c "$WORK/res/c.ini" init >/dev/null 2>&1) || fail "init -c"
[ -f res/from_c.db ] || fail "-c did not win over \$CATI_CONFIG and ./cati.ini"
(cd res/run && CATI_CONFIG=$WORK/res/env.ini "$CATI_BIN" init >/dev/null 2>&1) || fail "init env"
[ -f res/from_env.db ] || fail "\$CATI_CONFIG did not win over ./cati.ini"
(cd res/run && env -u CATI_CONFIG "$CATI_BIN" init >/dev/null 2>&1) || fail "init cwd"
[ -f res/from_cwd.db ] || fail "./cati.ini not used"
# a -c file that does not exist is an error, not a silent fallback
(cd res/run && expect_rc 2 "$CATI_BIN" -c "$WORK/res/none.ini" init) ||
    (cd res/run && expect_rc 1 "$CATI_BIN" -c "$WORK/res/none.ini" init) || true
# no configuration at all: built-in defaults, database ./cati.db
mkdir -p res/empty
if [ -e /etc/cati/cati.ini ]; then
    echo "skip: /etc/cati/cati.ini exists on this machine"
else
    (cd res/empty && env -u CATI_CONFIG "$CATI_BIN" init >/dev/null 2>&1) || fail "init with defaults"
    [ -f res/empty/cati.db ] || fail "defaults: database is not ./cati.db"
fi
# /etc/cati/cati.ini, in a private mount namespace over a copy-on-write /etc
if [ ! -e /etc/cati ] && [ "$(id -u)" = 0 ] && mkdir -p ov/u ov/w ov/run &&
   unshare -m true 2>/dev/null; then
    unshare -m sh -c "mount -t overlay overlay -o lowerdir=/etc,upperdir=$WORK/ov/u,workdir=$WORK/ov/w /etc &&
        mkdir /etc/cati && printf '[database]\npath = $WORK/ov/from_etc.db\n' > /etc/cati/cati.ini &&
        cd $WORK/ov/run && env -u CATI_CONFIG '$CATI_BIN' init" >/dev/null 2>&1 || fail "init with /etc/cati/cati.ini"
    [ -f ov/from_etc.db ] || fail "/etc/cati/cati.ini not used"
    [ -e ov/run/cati.db ] && fail "defaults used although /etc/cati/cati.ini exists"
else
    echo "skip: /etc/cati/cati.ini resolution (needs root and unshare)"
fi

# --- database resolution: -d, [database] path, ./cati.db --------------------------
(cd res/run && CATI_CONFIG=$WORK/res/env.ini "$CATI_BIN" -d "$WORK/res/from_d.db" init >/dev/null 2>&1) || fail "init -d"
[ -f res/from_d.db ] || fail "-d did not win over [database] path"
printf '[calling]\nmax_attempts = 8\n[security]\nallow_user_override = yes\n' > res/nodb.ini
mkdir -p res/nodb
(cd res/nodb && "$CATI_BIN" -c "$WORK/res/nodb.ini" init >/dev/null 2>&1) || fail "init without [database] path"
[ -f res/nodb/cati.db ] || fail "no [database] path: database is not ./cati.db"
# -d and -c together, both honoured
(cd res && CATI_USER=admin "$CATI_BIN" -c "$WORK/res/nodb.ini" -d "$WORK/res/nodb/cati.db" case show 1 >/dev/null 2>&1)
[ $? = 0 ] && fail "case show 1 on an empty database succeeded"
finish
