# The nightly export as cron really runs it: installed with `make install`
# and the default PREFIX, started by its full path with cron's environment
# (PATH=/usr/bin:/bin, nothing else) and a strict umask; it finds the cati
# installed beside it, and its folder, files and log get the modes cati(1)
# states (0750 and 0640).
. "$(dirname "$0")/lib.sh"

setup_db
"$REPO/scripts/gen-results" cati.db 5 6 n || fail "gen-results"
root=$WORK/root
make -s -C "$REPO" install DESTDIR="$root" BUILD="$(dirname "$CATI_BIN")" >/dev/null 2>"$WORK/.err" ||
    fail "make install: $(cat "$WORK/.err")"
bin=$root/usr/local/bin
[ -x "$bin/cati-nightly-export" ] || fail "cati-nightly-export not installed in $bin"

# the crontab line of README and cati(1), under cron's PATH and umask 077
line=$(grep -o '30 1 \* \* \*  /usr/local/bin/cati-nightly-export -o /srv/cati/exports serve' "$REPO/README.md")
[ -n "$line" ] || fail "README's crontab line names the script by its full path"
for umask in 077 002; do
    rm -rf exports
    env -i PATH=/usr/bin:/bin HOME="$WORK" SHELL=/bin/sh LOGNAME="$(id -un)" \
        CATI_USER="$CATI_USER" ASAN_OPTIONS="${ASAN_OPTIONS:-}" \
        sh -c "umask $umask; exec \"$bin/cati-nightly-export\" -c \"$CATI_CONFIG\" -d \"$WORK/cati.db\" -o \"$WORK/exports\" bench" \
        >"$WORK/.out" 2>&1
    rc=$?
    expect_eq 0 "$rc" "exit status under cron's environment, umask $umask ($(cat "$WORK/.out"))"
    today=exports/$(ls exports | grep -v log | head -n 1)
    [ -s "$today/bench_interviews.csv" ] || fail "umask $umask: no interviews file in $today"
    expect_eq 750 "$(stat -c %a exports)" "umask $umask: base folder mode"
    expect_eq 750 "$(stat -c %a "$today")" "umask $umask: dated folder mode"
    expect_eq 640 "$(stat -c %a "$today/bench_interviews.csv")" "umask $umask: file mode"
    expect_eq 640 "$(stat -c %a exports/cati-nightly-export.log)" "umask $umask: log mode"
done
finish
