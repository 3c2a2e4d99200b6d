# The door (issue 15): a set-group-ID cati is the only way to the data.
# In a scratch root: a throwaway group (the install's `cati`) and an
# ordinary user not in it; a copy of cati built with SYSCONFDIR in the
# scratch root and installed 2755 root:GROUP; the database directory 2770
# root:GROUP; a system cati.ini that even allows CATI_USER. Then, as the
# ordinary user (an interviewer): sqlite3 cannot open the database;
# CATI_USER=root, CATI_CONFIG and -c own.ini do not change who they are;
# -d elsewhere is refused; they see only the case they hold; a group-only
# file named as input is not read; promoted to admin, their export belongs
# to their own group and cannot land in the database directory. The
# unprivileged binary still honours CATI_USER (tests and demos).
. "$(dirname "$0")/lib.sh"

# --- unprivileged, as every other test runs: CATI_USER is honoured ------------
setup_db
CATI_USER=nosuch expect_rc 1 cati case next && expect_in "unknown interviewer 'nosuch'" "$ERR"
expect_rc 0 cati interviewer list && expect_in "admin " "$OUT" "interviewer list as CATI_USER=admin"

if [ "$(id -u)" != 0 ]; then
    echo "skip: the set-group-ID install (needs root for a throwaway group, user and setgid binary)"
    finish
fi
for tool in groupadd useradd userdel groupdel setpriv sqlite3 nm; do
    command -v "$tool" >/dev/null || fail "$tool is missing"
done
[ "$fails" = 0 ] || finish

G=catitest$$ U=catiusr$$
door_cleanup() {
    userdel "$U" >/dev/null 2>&1
    groupdel "$U" >/dev/null 2>&1
    groupdel "$G" >/dev/null 2>&1
    cleanup
}
trap door_cleanup EXIT
groupadd "$G" || { fail "groupadd $G"; finish; }
useradd -M -U -d "$WORK/home" -s /bin/sh "$U" || { fail "useradd $U"; finish; }
id -nG "$U" | grep -qw "$G" && fail "$U is in $G"
as_user() { setpriv --reuid="$U" --regid="$U" --init-groups "$@"; }

# --- a copy of cati whose system configuration is in the scratch root --------
# (SYSCONFDIR is compiled in: no override of it exists, privileged or not)
R=$WORK/root
chmod 711 "$WORK"
mkdir -p "$R/etc" "$R/var" "$R/bin" "$WORK/home" "$WORK/b"
chmod 755 "$R" "$R/etc" "$R/bin"
chown "$U:$U" "$WORK/home"
src=$(dirname "$CATI_BIN")
cp -a "$src/src" "$src/libcati.a" "$WORK/b/" 2>/dev/null
san=
nm "$CATI_BIN" 2>/dev/null | grep -q __asan_init && san=SAN=1
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u BUILD -u SAN \
    make -s -C "$REPO" BUILD="$WORK/b" SYSCONFDIR="$R/etc" $san "$WORK/b/cati" >"$WORK/build.log" 2>&1 ||
    { fail "build with SYSCONFDIR=$R/etc: $(tail -n 20 "$WORK/build.log")"; finish; }
P=$R/bin/cati
install -m 2755 -o root -g "$G" "$WORK/b/cati" "$P"
expect_eq "root:$G 2755" "$(stat -c '%U:%G %a' "$P")" "the installed binary"
DB=$R/var/cati.db
chown "root:$G" "$R/var"
chmod 2770 "$R/var"
cat > "$R/etc/cati.ini" <<INI
[database]
path = $DB
[calling]
hours = 00:00-24:00
days = mon-sun
[security]
allow_user_override = yes
INI
chown "root:$G" "$R/etc/cati.ini"
chmod 640 "$R/etc/cati.ini"

# --- root makes the database through the privileged binary --------------------
expect_rc 0 "$P" init && expect_in "'root' is its first admin" "$OUT" "init (CATI_USER=admin ignored)"
expect_eq "$G 660" "$(stat -c '%G %a' "$DB")" "the new database"
# the rest of the setup as root with the ordinary binary (an own copy of the
# same ini, which the unprivileged binary may read and whose override it honours)
cp "$R/etc/cati.ini" "$WORK/setup.ini"
setup() { CATI_CONFIG="$WORK/setup.ini" CATI_USER=${who:-root} "$CATI_BIN" "$@"; }
setup survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
setup sample import --survey serve "$DATA/demo-sample.csv" >/dev/null || fail "sample import"
setup interviewer add "$U" >/dev/null || fail "interviewer add $U"
setup interviewer add pema >/dev/null || fail "interviewer add pema"
pema_case=$(who=pema setup case next) || fail "pema's case next"
chown -R "root:$G" "$R/var" # whatever the setup made stays the group's

# --- the ordinary user: no way around the door ---------------------------------
as_user sqlite3 "$DB" "SELECT count(*) FROM respondents" >"$WORK/o" 2>&1 &&
    fail "sqlite3 read the database as $U: $(cat "$WORK/o")"
as_user cat "$DB" >/dev/null 2>&1 && fail "cat read the database as $U"
as_user ls "$R/var" >/dev/null 2>&1 && fail "ls listed the database directory as $U"
as_user touch "$R/var/x" 2>/dev/null && fail "$U wrote in the database directory"

who_err="cati: permission denied: this needs the admin role, '$U' is interviewer"
CATI_USER=root expect_rc 1 as_user "$P" interviewer add mallory --role admin &&
    expect_eq "$who_err" "$ERR" "CATI_USER=root (allowed by the system ini)"
cat > "$WORK/home/own.ini" <<INI
[database]
path = $DB
[security]
allow_user_override = yes
INI
chown "$U" "$WORK/home/own.ini"
CATI_USER=root expect_rc 2 as_user "$P" -c "$WORK/home/own.ini" interviewer add mallory --role admin &&
    expect_eq "cati: -c $WORK/home/own.ini: a set-group-ID cati reads only its system configuration $R/etc/cati.ini" "$ERR" "-c own.ini"
CATI_USER=root CATI_CONFIG="$WORK/home/own.ini" expect_rc 1 as_user "$P" interviewer add mallory --role admin &&
    expect_eq "$who_err" "$ERR" "CATI_CONFIG=own.ini"
expect_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM interviewers WHERE login = 'mallory'")" "mallory's account"
# the system configuration itself may be named
expect_rc 0 as_user "$P" -c "$R/etc/cati.ini" config && expect_in "; configuration file: $R/etc/cati.ini" "$OUT"
# a database of one's own, or one outside the directory: refused
cp "$DB" "$WORK/home/mine.db" && chown "$U" "$WORK/home/mine.db"
expect_rc 2 as_user "$P" -d "$WORK/home/mine.db" case next &&
    expect_eq "cati: -d: '$WORK/home/mine.db': a set-group-ID cati uses only databases in $R/var" "$ERR" "-d own database"
# another database of the group, in the directory: an admin's, not an interviewer's
cp "$DB" "$R/var/other.db" && chown "root:$G" "$R/var/other.db"
expect_rc 1 as_user "$P" -d "$R/var/other.db" case next &&
    expect_in "needs the admin role" "$ERR" "-d another database as an interviewer"
# being admin of that other database is not enough: the role that counts is
# the one in the configured database
setup -d "$R/var/other.db" interviewer set "$U" --role admin >/dev/null || fail "set $U admin in other.db"
expect_rc 1 as_user "$P" -d "$R/var/other.db" interviewer list &&
    expect_in "needs the admin role in the configured one" "$ERR" "admin of other.db only"

# the interviewer sees only the case they hold
expect_rc 0 as_user "$P" case next && mine=$OUT
expect_rc 0 as_user "$P" case show "$mine"
expect_rc 1 as_user "$P" case show "$pema_case" && expect_in "not yours" "$ERR" "another's case"

# a file only the group may read is not read through cati
cp "$DATA/serve.cati" "$R/secret.cati"
chown "root:$G" "$R/secret.cati"
chmod 640 "$R/secret.cati"
expect_rc 2 as_user "$P" survey check "$R/secret.cati" && expect_in "Permission denied" "$ERR" "survey check of a group-only file"
printf 'q1=1\n' > "$R/secret.ans"
chown "root:$G" "$R/secret.ans"
chmod 640 "$R/secret.ans"
cp "$DATA/serve.cati" "$WORK/home/s.cati"
chmod 644 "$WORK/home/s.cati"
expect_rc 2 as_user "$P" survey try "$WORK/home/s.cati" --answers "$R/secret.ans" &&
    expect_in "Permission denied" "$ERR" "survey try --answers of a group-only file"
expect_not_in "q1" "$OUT$ERR" "survey try --answers output"
chmod 644 "$R/secret.cati" # the same file, readable by all: checked
expect_rc 0 as_user "$P" survey check "$R/secret.cati"

# promoted to admin: an export is the user's, in the user's group, never in the database directory
setup interviewer set "$U" --role admin >/dev/null || fail "interviewer set $U --role admin"
expect_rc 0 as_user "$P" export --survey serve --out "$WORK/home/out"
for f in "$WORK/home/out" "$WORK/home/out"/*; do
    expect_eq "$U:$U" "$(stat -c '%U:%G' "$f")" "owner of $f"
done
expect_rc 1 as_user "$P" export --survey serve --out "$R/var/out"
[ -e "$R/var/out" ] && fail "an export landed in the database directory"
# the database's side files and an empty file of the group are not
# databases: -d and sync --to refuse them (no one becomes admin of the
# -claim file, nothing is written into a -wal)
claim="$DB-claim"
[ -e "$claim" ] || fail "no $claim to try"
touch "$R/var/empty.db" && chown "root:$G" "$R/var/empty.db"
for f in "$claim" "$R/var/empty.db"; do
    expect_rc 2 as_user "$P" -d "$f" init && expect_in "not a cati database of group" "$ERR" "-d $f"
    expect_rc 2 as_user "$P" sync --to "$f" && expect_in "not a cati database of group" "$ERR" "sync --to $f"
done
expect_eq 0 "$(stat -c %s "$R/var/empty.db")" "nothing written into the empty file"
# an admin of the configured database may name another one
expect_rc 0 as_user "$P" -d "$R/var/other.db" interviewer list
finish
