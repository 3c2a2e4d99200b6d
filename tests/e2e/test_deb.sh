# The Debian package (issue 14): `make deb` builds it from a copy of the
# tree (which stays clean), lintian reports no error and no warning, the
# binary has FORTIFY, stack protector, PIE and full RELRO, and the package
# holds what it should with the install's paths. Then, as root, it is
# installed for real with dpkg (maintainer scripts and all) into a
# throwaway copy-on-write root: /etc, /usr and /var are overlays in a
# private mount namespace, /run a tmpfs (so nothing talks to the host's
# init), all gone when the namespace ends. There: the cati group and user,
# /etc/cati/cati.ini 0640 root:cati, /var/lib/cati 2770 root:cati,
# /usr/bin/cati 2755 root:cati (set-group-ID: issue 15's door), `cati
# init` makes /var/lib/cati/cati.db, `cati survey check` passes on the
# example, the nightly export runs as its systemd unit says, and a purge
# keeps the data.
. "$(dirname "$0")/lib.sh"

for tool in dpkg-buildpackage dh lintian hardening-check; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps installs it)"
done
[ "$fails" = 0 ] || finish

# --- the Makefile passes CPPFLAGS and LDFLAGS on; WERROR=0 drops -Werror ------
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u SAN -u BUILD -u WERROR make -s -n -B V=1 -C "$REPO" \
    BUILD="$WORK/mk" "$@" "$WORK/mk/cati" 2>&1; }
lines=$(mk CPPFLAGS=-DCATI_PROBE_CPP LDFLAGS=-Wl,--cati-probe-ld)
expect_in "-DCATI_PROBE_CPP " "$(printf '%s\n' "$lines" | grep -e ' -c -o .*/main.o ')" "compile line"
expect_in "-Wl,--cati-probe-ld " "$(printf '%s\n' "$lines" | grep -e "-o $WORK/mk/cati ")" "link line"
expect_in "-Werror " "$(printf '%s\n' "$lines" | grep -e ' -c -o .*/main.o ')" "compile line"
expect_not_in "-Werror " "$(mk WERROR=0 | grep -e ' -c -o .*/main.o ')" "compile line with WERROR=0"

# --- build: the repository gets no new file ---------------------------------
in_git=0
git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1 && in_git=1
[ $in_git = 1 ] && before=$(git -C "$REPO" status --porcelain --untracked-files=all)
deb=$WORK/deb
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u SAN -u BUILD -u WERROR -u CATI_CONFIG -u CATI_USER \
    make -s -C "$REPO" deb DEBDIR="$deb" >"$WORK/build.log" 2>&1 ||
    fail "make deb: $(tail -n 20 "$WORK/build.log")"
pkg=$(ls "$deb"/cati_*_*.deb 2>/dev/null | head -n 1)
[ -n "$pkg" ] || { fail "make deb made no cati_*.deb in $deb"; finish; }
if [ $in_git = 1 ]; then
    after=$(git -C "$REPO" status --porcelain --untracked-files=all)
    expect_eq "$before" "$after" "git status after make deb (build artifacts in the tree)"
fi
[ -e "$deb/src" ] && fail "make deb left its source copy $deb/src"
# the package build compiled with dpkg-buildflags' CPPFLAGS and without -Werror
compile=$(grep -m 1 -e ' -c -o build/src/main.o ' "$WORK/build.log")
expect_in "-Wdate-time -D_FORTIFY_SOURCE=2 " "$compile" "the package's compile line"
expect_not_in "-Werror " "$compile" "the package's compile line"

# --- lintian: no error, no warning (overrides, with reasons: debian/*lintian-overrides)
tags=$(lintian --fail-on error,warning "$deb"/cati_*.changes 2>"$WORK/lintian.err")
rc=$?
expect_eq "" "$tags" "lintian tags"
expect_eq 0 "$rc" "lintian exit status ($(grep -v 'root privileges' "$WORK/lintian.err"))"

# --- contents ------------------------------------------------------------------
x=$WORK/x
dpkg -x "$pkg" "$x" || fail "dpkg -x"
for f in usr/bin/cati usr/bin/cati-nightly-export usr/share/man/man1/cati.1.gz \
    usr/share/man/man1/cati-nightly-export.1.gz usr/share/man/man5/cati.ini.5.gz \
    usr/share/man/man5/cati-script.5.gz etc/cati/cati.ini usr/share/cati/serve.cati \
    usr/share/cati/demo-sample.csv lib/systemd/system/cati-nightly-export.service \
    lib/systemd/system/cati-nightly-export.timer usr/share/bash-completion/completions/cati; do
    [ -e "$x/$f" ] || fail "the package lacks /$f"
done
[ -d "$x/var/lib/cati" ] || fail "the package lacks /var/lib/cati"
expect_eq "/etc/cati/cati.ini" "$(dpkg-deb -I "$pkg" conffiles)" "conffiles"
expect_in "libsqlite3-0 (>= 3.35)" "$(dpkg-deb -f "$pkg" Depends)" "Depends"
# the units and the configuration carry the install's paths, none of /usr/local
unit=$x/lib/systemd/system/cati-nightly-export.service
expect_in "ExecStart=/usr/bin/cati-nightly-export " "$(cat "$unit")" "the service"
expect_in "Environment=CATI_CONFIG=/etc/cati/cati.ini" "$(cat "$unit")" "the service"
left=$(grep -rl -e /usr/local -e '@[A-Z]*@' "$x/lib" "$x/etc")
expect_eq "" "$left" "files naming /usr/local or an unfilled @VAR@"
expect_rc 0 "$x/usr/bin/cati" -c "$x/etc/cati/cati.ini" config &&
    expect_in "database:path = /var/lib/cati/cati.db" "$OUT" "the packaged cati.ini"

# --- hardening -------------------------------------------------------------------
hc=$(hardening-check --nocfprotection "$x/usr/bin/cati" 2>&1)
for want in "Position Independent Executable: yes" "Stack protected: yes" \
    "Fortify Source functions: yes" "Read-only relocations: yes" "Immediate binding: yes"; do
    expect_in "$want" "$hc" "hardening-check"
done

# --- the unpacked binary runs (dpkg -x only, any user) ---------------------------
expect_rc 0 "$x/usr/bin/cati" -d "$WORK/x.db" init
expect_rc 0 "$x/usr/bin/cati" -d "$WORK/x.db" survey check "$x/usr/share/cati/serve.cati"

# --- installed with dpkg into a throwaway root -----------------------------------
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
    echo "skip: dpkg -i into a copy-on-write root (needs root and unshare)"
    finish
fi
ov=$WORK/ov
mkdir -p "$ov/run"
cp "$DATA/demo-sample.csv" "$ov/sample.csv"
cat > "$ov/inside.sh" <<'EOF'
# runs in the private mount namespace: prints KEY=VALUE facts
ov=$1 pkg=$2
for d in etc usr var; do
    mkdir -p "$ov/$d.u" "$ov/$d.w"
    mount -t overlay overlay -o "lowerdir=/$d,upperdir=$ov/$d.u,workdir=$ov/$d.w" "/$d" || exit 1
done
mount -t tmpfs tmpfs /run || exit 1
# a fresh machine: what the host may have of cati goes, in the overlays only
[ "$(findmnt -n -o FSTYPE /etc)$(findmnt -n -o FSTYPE /var)" = overlayoverlay ] || exit 1
rm -rf /etc/cati /var/lib/cati
unset CATI_CONFIG CATI_USER CATI_NOW
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
dpkg -i "$pkg" >"$ov/dpkg.out" 2>&1; echo "dpkg=$?"
echo "status=$(dpkg-query -W -f='${Status}' cati)"
echo "group=$(getent group cati | cut -d: -f1)"
echo "user=$(getent passwd cati | cut -d: -f1,6,7) $(id -gn cati)"
echo "ini=$(stat -c '%U:%G %a' /etc/cati/cati.ini)"
echo "dir=$(stat -c '%U:%G %a' /var/lib/cati)"
echo "bin=$(stat -c '%U:%G %a' /usr/bin/cati)"
cd "$ov/run" || exit 1
cati init >"$ov/init.out" 2>&1; echo "init=$?"
echo "db=$(stat -c '%G %a' /var/lib/cati/cati.db)"
echo "config=$(cati config | grep '^database:path')"
cati survey check /usr/share/cati/serve.cati >"$ov/check.out" 2>&1; echo "check=$?"
# the nightly export as its unit runs it: User=, Group=, UMask=, ExecStart=
unit=/lib/systemd/system/cati-nightly-export.service
cati interviewer add cati --role supervisor >/dev/null 2>&1 &&
cati survey load /usr/share/cati/serve.cati >/dev/null 2>&1 &&
cati sample import --survey serve "$ov/sample.csv" >/dev/null 2>&1; echo "setup=$?"
u=$(sed -n 's/^User=//p' $unit) g=$(sed -n 's/^Group=//p' $unit)
m=$(sed -n 's/^UMask=//p' $unit) cmd=$(sed -n 's/^ExecStart=//p' $unit)
env=$(sed -n 's/^Environment=//p' $unit)
(cd / && umask "$m" && env -i PATH=/usr/bin:/bin $env setpriv --reuid="$u" --regid="$g" --init-groups $cmd) \
    >"$ov/nightly.out" 2>&1; echo "nightly=$?"
echo "exports=$(ls /var/lib/cati/exports | grep -c '^20')"
SYSTEMD_LOG_LEVEL=err systemd-analyze verify $unit /lib/systemd/system/cati-nightly-export.timer \
    >"$ov/verify.out" 2>&1; echo "verify=$?"
dpkg --purge cati >"$ov/purge.out" 2>&1; echo "purge=$?"
echo "kept=$(ls /var/lib/cati/cati.db 2>&1) $(ls /usr/bin/cati 2>/dev/null)"
EOF
facts=$(unshare -m sh "$ov/inside.sh" "$ov" "$pkg" 2>&1)
fact() { printf '%s\n' "$facts" | sed -n "s/^$1=//p"; }
expect_eq 0 "$(fact dpkg)" "dpkg -i ($(cat "$ov/dpkg.out" 2>/dev/null))"
expect_eq "install ok installed" "$(fact status)" "dpkg status"
expect_eq cati "$(fact group)" "the cati group"
expect_eq "cati:/var/lib/cati:/usr/sbin/nologin cati" "$(fact user)" "the cati system user"
expect_eq "root:cati 640" "$(fact ini)" "/etc/cati/cati.ini"
expect_eq "root:cati 2770" "$(fact dir)" "/var/lib/cati"
expect_eq "root:cati 2755" "$(fact bin)" "/usr/bin/cati (set-group-ID cati: the door, cati(1) SECURITY)"
expect_eq 0 "$(fact init)" "cati init ($(cat "$ov/init.out" 2>/dev/null))"
expect_eq "cati 660" "$(fact db)" "/var/lib/cati/cati.db"
expect_in "database:path = /var/lib/cati/cati.db" "$(fact config)" "cati config"
expect_in "/etc/cati/cati.ini" "$(fact config)" "cati config"
expect_eq 0 "$(fact check)" "cati survey check ($(cat "$ov/check.out" 2>/dev/null))"
expect_eq 0 "$(fact setup)" "supervisor cati, survey and sample"
expect_eq 0 "$(fact nightly)" "the nightly export as its unit runs it ($(cat "$ov/nightly.out" 2>/dev/null))"
expect_eq 1 "$(fact exports)" "dated export folders"
expect_eq 0 "$(fact verify)" "systemd-analyze verify ($(cat "$ov/verify.out" 2>/dev/null))"
expect_eq 0 "$(fact purge)" "dpkg --purge ($(cat "$ov/purge.out" 2>/dev/null))"
expect_eq "/var/lib/cati/cati.db " "$(fact kept)" "after purge: the database stays, the binary goes"
[ "$fails" = 0 ] || echo "inside the root: $facts"
finish
