# Fault suite: the nightly export killed at any point (issue 11 §3).
# Rounds of scripts/cati-nightly-export (two surveys) that succeed, fail
# (the database write-locked by another process) or are killed with SIGKILL
# (the whole run: at a random moment, or exactly before or after one of its
# cati calls), with completed interviews added between rounds. After every
# round each folder that looks delivered (a dated name) is complete; at the
# end, after one clean run, the delivered folders hold every completed
# interview exactly once, no .partial folder is left and nothing is pending.
# CATI_FAULTS=long (make test-faults): 150 rounds; otherwise 16.
. "$(dirname "$0")/lib.sh"
NIGHTLY="$REPO/scripts/cati-nightly-export"

rounds=16
[ "${CATI_FAULTS:-}" = long ] && rounds=150
seed=${CATI_FAULTS_SEED:-$$}
RANDOM=$seed
echo "seed $seed, $rounds rounds"

printf '[database]\nbusy_timeout_ms = 200\n' >> cati.ini
setup_db
"$REPO/scripts/gen-results" cati.db 3 6 a || fail "gen-results"
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"

# cati as the script sees it: counts its calls and, in the round that says
# so, kills the whole run (its process group) before or after call number K
cat > cati-wrap <<EOF
#!/bin/sh
n=\$(cat "$WORK/calls"); n=\$((n + 1)); echo \$n > "$WORK/calls"
read -r at when < "$WORK/killplan"
if [ "\$n" = "\$at" ]; then
    [ "\$when" = after ] && "$CATI_BIN" "\$@" >/dev/null 2>&1
    kill -9 0
fi
exec "$CATI_BIN" "\$@"
EOF
chmod +x cati-wrap
export CATI="$WORK/cati-wrap"

# delivered: a folder with a dated name (nothing else in exports/ may look like one)
delivered() { ls exports 2>/dev/null | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{6}(-[0-9]+)?)?$'; }
files="bench.dta bench.sav bench_calls.csv bench_codebook.csv bench_interviews.csv serve.dta serve.sav serve_calls.csv serve_codebook.csv serve_interviews.csv"
check_folders() { # every delivered folder holds the ten files, nothing else
    local d
    for d in $(delivered); do
        expect_eq "$files" "$(ls -A "exports/$d" | tr '\n' ' ' | sed 's/ $//')" "files of $d after round $1 ($2)" || return 1
    done
    # nothing but dated folders, .partial folders, the log and the lock
    local other
    other=$(ls -A exports 2>/dev/null | grep -vE '^([0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{6}(-[0-9]+)?)?|\..*\.partial|cati-nightly-export\.log|\.cati-nightly-export\.lock)$')
    expect_eq "" "$other" "unexpected entries in exports/ after round $1 ($2)"
}

# a first clean run, timed: random kills fall within a run's length
t0=$(date +%s%N)
"$NIGHTLY" -o exports bench serve >/dev/null 2>&1 || fail "first run"
span=$(( ($(date +%s%N) - t0) / 1000000 * 5 / 4 + 5 ))
echo "a run takes about $((span * 4 / 5)) ms"

kills=0 fails_seen=0 oks=0
for r in $(seq 1 "$rounds"); do
    # more completed interviews (sometimes none)
    k=$((RANDOM % 4))
    [ $k -gt 0 ] && { "$REPO/scripts/gen-results" cati.db $k 6 "r$r" || fail "gen-results round $r"; }
    echo 0 > calls
    echo "0 none" > killplan
    before=$(delivered | tr '\n' ' ')
    mode=$((RANDOM % 6))
    [ "$r" -le 8 ] && mode=0 # the first eight: every call, before and after
    case $mode in
    0|1) # exactly before or after cati call K (settle, bench, serve, settle)
        when=before; [ $((RANDOM % 2)) = 0 ] && when=after
        at=$((1 + RANDOM % 4))
        [ "$r" -le 8 ] && at=$(( (r + 1) / 2 )) && when=$([ $((r % 2)) = 1 ] && echo before || echo after)
        echo "$at $when" > killplan
        what="killed $when call $(cut -d' ' -f1 killplan)"
        setsid "$NIGHTLY" -o exports bench serve >/dev/null 2>&1; rc=$? ;;
    2|3) # at a random moment
        ms=$((RANDOM % span))
        what="killed after $ms ms"
        setsid "$NIGHTLY" -o exports bench serve >/dev/null 2>&1 &
        pid=$!
        sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
        kill -9 -- -"$pid" 2>/dev/null
        wait "$pid"; rc=$? ;;
    4) # the database write-locked meanwhile: the run fails
        what="database locked"
        rm -f release; mkfifo release
        { echo ".timeout 30000"; echo "BEGIN EXCLUSIVE;"; read -r _ < release; echo "COMMIT;"; } | sqlite3 cati.db &
        locker=$!
        i=0; until [ -n "$(sqlite3 -cmd ".timeout 0" cati.db "BEGIN IMMEDIATE; ROLLBACK;" 2>&1)" ] || [ $i -gt 1000 ]; do sleep 0.02; i=$((i+1)); done # up to 20 s on a loaded machine
        "$NIGHTLY" -o exports bench serve >/dev/null 2>&1; rc=$?
        echo go > release; wait $locker
        expect_eq 1 "$rc" "exit status of round $r ($what)"
        expect_eq "$before" "$(delivered | tr '\n' ' ')" "delivered folders after a failed run (round $r)" ;;
    *)  what="clean"
        "$NIGHTLY" -o exports bench serve >/dev/null 2>"$WORK/.err"; rc=$?
        expect_eq 0 "$rc" "exit status of round $r ($what): $(cat "$WORK/.err")" ;;
    esac
    echo "round $r: $what: exit $rc"
    case $rc in 0) oks=$((oks + 1)) ;; 137) kills=$((kills + 1)) ;; *) fails_seen=$((fails_seen + 1)) ;; esac
    check_folders "$r" "$what" || break
done
echo "0 none" > killplan
"$NIGHTLY" -o exports bench serve >/dev/null 2>"$WORK/.err"; rc=$?
expect_eq 0 "$rc" "exit status of the last, clean run: $(cat "$WORK/.err")"
echo "$rounds rounds: $oks ok, $kills killed, $fails_seen failed; $(delivered | wc -l) folders delivered"
check_folders end "after the last run"
expect_eq "" "$(ls -A exports | grep '\.partial$')" ".partial folders left after a clean run"
expect_eq 0 "$(sql "SELECT count(*) FROM exports WHERE state = 'pending'")" "pending exports after a clean run"

# every completed interview in exactly one delivered folder
for d in $(delivered); do
    grep -oE '^[a-z0-9]+-case-[0-9]+,[a-z0-9]+-iv-[0-9]+' "exports/$d/bench_interviews.csv" | cut -d, -f2
done | sort > got.txt
sql "SELECT uuid FROM interviews WHERE outcome = 'complete' AND state = 'live'" | sort > want.txt
expect_eq "" "$(uniq -d got.txt | head)" "interviews delivered more than once (seed $seed)"
expect_eq "" "$(sort -u got.txt | comm -3 - want.txt | head)" "interviews missing or extra (seed $seed)"
expect_eq "$(wc -l < want.txt)" "$(wc -l < got.txt)" "interviews delivered (seed $seed)"
# the since-last chain names exactly the delivered folders
abs=$(cd exports && pwd)
expect_eq "$(delivered | sed "s|^|$abs/|" | sort)" \
    "$(sql "SELECT DISTINCT dir FROM exports WHERE state = 'done' AND since_last = 1 ORDER BY dir")" \
    "folders recorded delivered"
[ "$fails" -gt 0 ] && echo "replay: CATI_FAULTS_SEED=$seed make e2e T=faults_nightly"
finish
