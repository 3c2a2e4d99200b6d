# cati shell: batch mode and exit codes, -k, sql (read-only, as a table),
# help; in tmux: tab completion and history kept across runs.
. "$(dirname "$0")/lib.sh"
setup_db
cati interviewer add pema --name "Pema Wangmo" >/dev/null
cati interviewer add sonam --role supervisor >/dev/null

# --- batch mode: stdin is a file --------------------------------------------
cat > ok.txt <<'CMDS'
# a comment, then a blank line

interviewer add karma --name "Karma Dorji"
  interviewer   add tashi --name 'Tashi "TD" Delek' --lang en,dz
cati interviewer disable karma
interviewer list
CMDS
expect_rc 0 cati shell < ok.txt
expect_in "Karma Dorji" "$OUT"
expect_eq 'Tashi "TD" Delek|en,dz' "$(sql "SELECT name, languages FROM interviewers WHERE login='tashi'")" "quoted name"
expect_eq "0" "$(sql "SELECT active FROM interviewers WHERE login='karma'")" "karma disabled"

# stops at the first failure, with its code; nothing after it runs
cat > stop.txt <<'CMDS'
interviewer add dawa
interviewer add dawa
interviewer add yeshi
CMDS
expect_rc 2 cati shell < stop.txt
expect_in "already exists" "$ERR"
expect_in "line 2" "$ERR"
expect_eq "0" "$(sql "SELECT count(*) FROM interviewers WHERE login='yeshi'")" "line after the failure ran"

# -k keeps going and exits with the last failure's code
printf 'interviewer add dawa\nnonsense\ninterviewer add yeshi\ninterviewer enable nobody\ninterviewer list\n' > keep.txt
expect_rc 2 cati shell -k < keep.txt
expect_in "cati: nonsense: unknown command" "$ERR"
expect_in "yeshi" "$OUT" "interviewer list after failures"
printf 'nonsense\ninterviewer list\n' > keep1.txt
CATI_USER=pema expect_rc 1 cati shell -k < keep1.txt
expect_in "permission denied" "$ERR"
printf 'interviewer list\nexit 4\ninterviewer add never\n' > exit.txt
expect_rc 4 cati shell < exit.txt
expect_eq "0" "$(sql "SELECT count(*) FROM interviewers WHERE login='never'")" "line after exit ran"
printf 'quit\nnonsense\n' > quit.txt
expect_rc 0 cati shell < quit.txt

# an unterminated quote is an error, not a guess
printf 'interviewer add lhamo --name "Lhamo\n' > quote.txt
expect_rc 2 cati shell < quote.txt && expect_in 'unterminated " quote' "$ERR"
expect_eq "0" "$(sql "SELECT count(*) FROM interviewers WHERE login='lhamo'")" "unterminated quote ran"
expect_rc 2 cati shell -x < /dev/null && expect_in "usage: cati shell" "$ERR"
expect_rc 2 cati shell extra < /dev/null
expect_rc 2 cati shell <<<"shell" && expect_in "already in the shell" "$ERR"

# --- help: the man page synopsis, as `cati help` prints it ---------------------
expect_rc 0 cati help; want=$OUT
expect_rc 0 cati shell <<<"help" && expect_eq "$want" "$OUT" "help in the shell"
expect_rc 0 cati help case; want=$OUT
expect_rc 0 cati shell <<<"help case" && expect_eq "$want" "$OUT" "help case in the shell"
expect_in "cati case outcome ID OUTCOME" "$OUT"
expect_rc 2 cati shell <<<"help nosuch" && expect_in "unknown command 'nosuch'" "$ERR"

# --- sql: supervisors, read-only, aligned -----------------------------------------
expect_rc 0 cati shell <<<"sql SELECT login, role, name, active FROM interviewers WHERE login IN ('admin', 'pema', 'tashi') ORDER BY login"
expect_eq "login  role         name              active
-----  -----------  ----------------  ------
admin  admin                               1
pema   interviewer  Pema Wangmo            1
tashi  interviewer  Tashi \"TD\" Delek       1
(3 rows)" "$OUT" "sql table"
# width by display columns: Dzongkha and CJK, NULL empty, numbers right-aligned
expect_rc 0 cati shell <<<"sql SELECT 'ཀ་ཁ' AS dz, '日本' AS cjk, NULL AS n, 7 AS num UNION ALL SELECT 'abcdef', 'x', 'y', 12345"
expect_eq "dz      cjk   n    num
------  ----  -  -----
ཀ་ཁ     日本         7
abcdef  x     y  12345
(2 rows)" "$OUT" "sql widths"
expect_rc 0 cati shell <<<"sql SELECT count(*) AS n FROM interviewers WHERE login = 'nobody'"
expect_in "(1 row)" "$OUT"
CATI_USER=sonam expect_rc 0 cati shell <<<"sql SELECT login FROM interviewers WHERE role = 'supervisor'"
expect_in "sonam" "$OUT"
CATI_USER=pema expect_rc 1 cati shell <<<"sql SELECT 1" && expect_in "permission denied" "$ERR"
# personal data does not leave through sql: names, numbers and notes read
# as NULL (they leave only through an audited export --with-pii)
sql "INSERT INTO surveys(name, title, created_at, uuid) VALUES ('pii', 'PII', 0, 'pii-s');
     INSERT INTO cases(uuid, survey_id, ref, name, service, created_at, updated_at, call_note)
       VALUES ('pii-c', (SELECT id FROM surveys WHERE name = 'pii'), 'P-1', 'Karma Secretname', 'cid', 0, 0, 'lives at the red house');
     INSERT INTO phones(case_id, position, number) VALUES ((SELECT id FROM cases WHERE ref = 'P-1'), 1, '+97517999111');"
CATI_USER=sonam expect_rc 0 cati shell <<<"sql SELECT ref, name, call_note, (SELECT number FROM phones WHERE case_id = cases.id) AS phone FROM cases WHERE ref = 'P-1'"
expect_in "P-1" "$OUT"
expect_not_in "Secretname" "$OUT" "a name through sql"
expect_not_in "red house" "$OUT" "a note through sql"
expect_not_in "999111" "$OUT" "a number through sql"
CATI_USER=sonam expect_rc 0 cati shell <<<"sql SELECT count(*) AS n FROM cases WHERE name LIKE '%Secret%' OR call_note IS NOT NULL"
expect_in "0" "$(echo "$OUT" | sed -n 3p)" "no row found by the name's content"
CATI_USER=admin expect_rc 0 cati shell <<<"sql SELECT group_concat(number) AS n FROM phones"
expect_not_in "999111" "$OUT" "admins too: numbers leave by export --with-pii"
# a big result streams: a million rows of 200 bytes (200 MB) print in
# constant memory (peak RSS well under the result's size; it held it all
# before), and a single value over 1 MB is refused with a clear message
big="sql WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 1000000) SELECT i, printf('%0200d', i) AS pad FROM n"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8" \
    /usr/bin/time -f '%M' -o rss.txt "$CATI_BIN" shell <<<"$big" > big.txt 2>big.err
expect_eq 0 "$?" "the big query ($(head -c 300 big.err))"
expect_eq "(1000000 rows)" "$(tail -n 1 big.txt)" "all rows printed"
expect_eq 1000003 "$(grep -c . big.txt)" "header, rule, rows and count"
rss=$(cat rss.txt)
[ "$rss" -lt 120000 ] || fail "peak RSS $rss KB for a 200 MB result: rows are held, not streamed"
expect_rc 2 cati shell <<<"sql SELECT zeroblob(2000000) AS b"
expect_in "sql: a value of the result is over 1 MB" "$ERR"
before=$(sql "SELECT count(*) || '/' || group_concat(role) FROM interviewers")
version_before=$(sql "PRAGMA user_version")
for q in "INSERT INTO interviewers(login, created_at) VALUES ('evil', 0)" \
         "UPDATE interviewers SET role = 'admin'" \
         "DELETE FROM interviewers" \
         "DROP TABLE cases" \
         "CREATE TABLE t(x)" \
         "ATTACH DATABASE '$WORK/other.db' AS other" \
         "PRAGMA user_version = 99" \
         "PRAGMA query_only = 0" \
         "PRAGMA journal_mode = DELETE" \
         "VACUUM INTO '$WORK/copy.db'" \
         "BEGIN IMMEDIATE" \
         "SELECT 1; DELETE FROM interviewers" \
         "WITH x AS (SELECT 1) DELETE FROM interviewers"; do
    expect_rc 2 cati shell <<<"sql $q" || continue
    expect_in "cati: sql: only" "$ERR" "refusal of '$q'"
done
expect_eq "$before" "$(sql "SELECT count(*) || '/' || group_concat(role) FROM interviewers")" "interviewers after refused writes"
expect_eq "$version_before" "$(sql 'PRAGMA user_version')" "user_version after refused writes"
[ -e other.db ] && fail "ATTACH created other.db"
[ -e copy.db ] && fail "VACUUM INTO wrote copy.db"
expect_rc 2 cati shell <<<"sql SELECT * FROM nosuch" && expect_in "cati: sql: no such table: nosuch" "$ERR"
expect_rc 0 cati shell <<<"sql PRAGMA table_info(surveys)" && expect_in "paused" "$OUT"
expect_rc 2 cati shell <<<"sql" && expect_in "usage" "$ERR"

# --- the terminal: completion and history ------------------------------------------
export XDG_STATE_HOME="$WORK/state"
cati interviewer disable pema >/dev/null
tstart sh "XDG_STATE_HOME='$XDG_STATE_HOME' $CATI_BIN shell"
twait sh "cati>"
# (capture-pane drops trailing blanks: a "|" typed after Tab shows the space)
tkeys sh "sur" Tab "|"
twait sh "cati> survey |"
tkeys sh C-u "interviewer disable " Tab Tab
twait sh "sonam" && screen=$(tscreen sh | sed -n '3,$p')
expect_in "tashi" "$screen" "logins listed"
expect_not_in "pema" "$screen" "disabled login offered for disable"
expect_not_in "karma" "$screen" "disabled login offered for disable"
tkeys sh C-u "interviewer en" Tab "p" Tab "|"
twait sh "cati> interviewer enable pema |"
tkeys sh C-u "case outcome 12 no-" Tab "|"
twait sh "cati> case outcome 12 no-answer |"
tkeys sh C-u "report rates --fo" Tab "c" Tab "|"
twait sh "cati> report rates --format csv |"
tkeys sh C-u "survey load ok" Tab "|"
twait sh "cati> survey load ok.txt |"
tkeys sh C-u "sql SELECT * FROM interviewe" Tab "|"
twait sh "cati> sql SELECT * FROM interviewers |"
# Ctrl-C at the prompt drops the line and the shell goes on
tkeys sh C-u "interviewer add dropped" C-c
twait sh "^C"
tkeys sh C-u "interviewer add zangmo --name \"Zangmo\"" Enter
twait sh "added zangmo"
expect_eq "0" "$(sql "SELECT count(*) FROM interviewers WHERE login='dropped'")" "line dropped by Ctrl-C ran"
tkeys sh "exit" Enter
twait sh "[exited 0]"
hist="$XDG_STATE_HOME/cati/history"
[ -f "$hist" ] || fail "no history file at $hist"
expect_eq "600" "$(stat -c %a "$hist")" "history file mode"
expect_eq "700" "$(stat -c %a "$XDG_STATE_HOME/cati")" "history directory mode"
tstart sh2 "XDG_STATE_HOME='$XDG_STATE_HOME' $CATI_BIN shell"
twait sh2 "cati>"
tkeys sh2 Up
twait sh2 "cati> exit"
tkeys sh2 Up
twait sh2 "cati> interviewer add zangmo --name \"Zangmo\""
tkeys sh2 C-u "exit" Enter
twait sh2 "[exited 0]"
# batch mode keeps no history
echo "interviewer list" | cati shell >/dev/null
expect_not_in "interviewer list" "$(cat "$hist")" "history from batch mode"
finish
