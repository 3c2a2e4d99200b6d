# cati monitor at 80x24: every panel reads without cut words. The database
# holds realistic long values (a long survey name, long service codes,
# agencies, logins and refs, long disposition meanings, a long question
# name, Dzongkha text); on every panel (1-5 and All) each expected word is
# on the screen whole, and no word on the screen is a cut-off start of one
# (as "census_tr" and "eligible, call limit reac" were).
. "$(dirname "$0")/lib.sh"
cat >> cati.ini <<INI
[monitor]
refresh_seconds = 1
INI
export CATI_NOW="2026-11-02 10:00"
setup_db
cati interviewer add sonam --role supervisor >/dev/null
cati interviewer add tshering.yangchen.dorji --lang en,dz >/dev/null || fail "add long login"
long=citizen_feedback_dzongkhag_services
sed -e "s/^survey serve /survey $long /" -e 's/\btime_rate\b/rating_of_time_taken_to_serve_it/g' \
    "$DATA/serve.cati" > long.cati
expect_rc 0 cati survey load long.cati
{
    echo "ref,name,phone,phone2,language,service,agency,district,availed_on,gewog"
    for i in 1 2 3 4 5 6; do
        echo "CENSUS-TRANSFER-BETWEEN-DZONGKHAGS-2026-00000$i,ཚེ་རིང་ཡང་ཅན་རྡོ་རྗེ་དབང་མོ Tshering Yangchen Dorji Wangmo,1781919$i,,dz,census_transfer_between_dzongkhags,Department of Civil Registration and Census,Samdrup Jongkhar,2026-10-01,Martshala"
    done
} > long.csv
expect_rc 0 cati sample import --survey $long long.csv
id1=$(sql "SELECT id FROM cases WHERE ref LIKE '%000001'")
# final cases with the longest disposition meanings
sql "UPDATE cases SET state = 'final', disposition = '2.30' WHERE ref LIKE '%000002';
     UPDATE cases SET state = 'final', disposition = '3.90' WHERE ref LIKE '%000003';
     UPDATE cases SET state = 'final', disposition = '2.222' WHERE ref LIKE '%000004';"
# the long login holds a case
CATI_USER=tshering.yangchen.dorji cati case next >/dev/null || fail "case next"
# a completed interview with answers to the measured questions
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, started_at, updated_at)
       VALUES ('e2e-i1', $id1, 1, (SELECT id FROM interviewers WHERE login = 'sonam'), 0, 0);
     INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)
       SELECT 'e2e-a' || q, i.id, q, v, 1, 0, 0 FROM interviews i,
       (SELECT 'access' AS q, '5' AS v UNION ALL SELECT 'rating_of_time_taken_to_serve_it', '2'
        UNION ALL SELECT 'int_rate', '4')
       WHERE i.uuid = 'e2e-i1';
     UPDATE interviews SET outcome = 'complete' WHERE uuid = 'e2e-i1';"
# a flag, seen by the supervisor, with the respondent's words in Dzongkha and English
sql "INSERT INTO flags(uuid, interview_id, case_id, kind, question, text, raised_at, updated_at, status, handled_by, handled_at)
     VALUES ('e2e-f1', (SELECT id FROM interviews WHERE uuid = 'e2e-i1'), $id1, 'complaint', 'complaint',
       'ཡིག་ཚང་འདི་ ཚར་གཉིས་ཁ་བསྡམས་ཏེ་འདུག The counter was closed twice and nobody explained the requirements for the transfer',
       strftime('%s', '2026-11-02 09:00'), 0, 'seen', 'sonam', strftime('%s', '2026-11-02 09:30'));"

# screens: the panel from its top (first shown), then page by page (PgDn)
# to its end
screens() {
    local s prev="" i=0
    while [ $i -lt 12 ]; do
        sleep 0.3
        s=$(tscreen mon | sed -n '3,21p')
        [ "$s" = "$prev" ] && break
        printf '%s\n' "$s"; prev=$s
        tkeys mon NPage; i=$((i+1))
    done
}
queue_words=(citizen_feedback_dzongkhag_services answering machine no message left eligible call limit
             reached unknown eligibility)
ivs_words=(tshering.yangchen.dorji CENSUS-TRANSFER-BETWEEN-DZONGKHAGS-2026-000001)
rates_words=(citizen_feedback_dzongkhag_services household eligible)
scores_words=(citizen_feedback_dzongkhag_services census_transfer_between_dzongkhags rating_of_time_taken_to_serve_it
              Department Civil Registration Census)
flags_words=(citizen_feedback_dzongkhag_services CENSUS-TRANSFER-BETWEEN-DZONGKHAGS-2026-000001
             census_transfer_between_dzongkhags Department Civil Registration Census ཡིག་ཚང་འདི་
             ཚར་གཉིས་ཁ་བསྡམས་ཏེ་འདུག counter closed twice nobody explained requirements transfer)

export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
twait mon "QUEUE" || finish
check_words Queue "$(screens)" "${queue_words[@]}"
tkeys mon 2; twait mon "INTERVIEWERS"
check_words Interviewers "$(screens)" "${ivs_words[@]}"
tkeys mon 3; twait mon "RATES"
check_words Rates "$(screens)" "${rates_words[@]}"
tkeys mon 4; twait mon "FIVE PARAMETERS"
check_words Scores "$(screens)" "${scores_words[@]}"
tkeys mon 5; twait mon "FLAGS"
check_words Flags "$(screens)" "${flags_words[@]}"
tkeys mon a; twait mon "QUEUE"
check_words All "$(screens)" "${queue_words[@]}" "${ivs_words[@]}" "${scores_words[@]}" "${flags_words[@]}"
# the title and status lines too
check_words Title "$(tscreen mon | sed -n '1,2p;22,23p')" sonam
tkeys mon q
twait mon "[exited 0]"
finish
