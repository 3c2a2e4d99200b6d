/* Numbered schema migrations. Migration N brings user_version from N-1 to N.
 * Never edit a released migration: add a new one at the end.
 * All times are Unix seconds (UTC); display converts to the calling zone. */
#include "migrations.h"

static const char *const migrations[] = {
    /* 1: the base schema */
    "CREATE TABLE surveys("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL DEFAULT '',"
    "  paused INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  uuid TEXT NOT NULL UNIQUE);"
    "CREATE TABLE survey_versions("
    "  id INTEGER PRIMARY KEY,"
    "  survey_id INTEGER NOT NULL REFERENCES surveys(id),"
    "  version INTEGER NOT NULL,"           /* 1, 2, … in load order */
    "  script_version INTEGER NOT NULL DEFAULT 1," /* the header's `version N` */
    "  source TEXT NOT NULL,"                /* the whole .cati text */
    "  source_file TEXT NOT NULL DEFAULT '',"
    "  fields TEXT NOT NULL DEFAULT '',"      /* declared extra fields, space separated */
    "  languages TEXT NOT NULL DEFAULT 'en',"  /* space separated, first = default */
    "  loaded_at INTEGER NOT NULL,"
    "  loaded_by TEXT NOT NULL DEFAULT '',"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  UNIQUE(survey_id, version));"
    "CREATE TABLE interviewers("
    "  id INTEGER PRIMARY KEY,"
    "  login TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL DEFAULT 'interviewer' CHECK(role IN ('interviewer','supervisor','admin')),"
    "  languages TEXT NOT NULL DEFAULT 'en',"  /* comma separated */
    "  skills TEXT NOT NULL DEFAULT '',"       /* comma separated, e.g. refusal */
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen_at INTEGER);"
    "CREATE TABLE cases("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  survey_id INTEGER NOT NULL REFERENCES surveys(id),"
    "  ref TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  service TEXT NOT NULL DEFAULT '',"
    "  agency TEXT NOT NULL DEFAULT '',"
    "  district TEXT NOT NULL DEFAULT '',"
    "  availed_on TEXT NOT NULL DEFAULT '',"
    "  language TEXT NOT NULL DEFAULT '',"     /* '' = any interviewer */
    "  timezone TEXT NOT NULL DEFAULT '',"     /* '' = [calling] timezone */
    "  priority INTEGER NOT NULL DEFAULT 0,"   /* higher is called first */
    "  phone_pos INTEGER NOT NULL DEFAULT 1,"  /* the number to dial now */
    "  state TEXT NOT NULL DEFAULT 'new' CHECK(state IN ('new','open','final')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_call_at INTEGER,"
    "  next_call_at INTEGER NOT NULL DEFAULT 0,"
    "  appointment_at INTEGER,"
    "  appointment_with INTEGER REFERENCES interviewers(id)," /* hard appointment */
    "  appointment_missed INTEGER NOT NULL DEFAULT 0,"
    "  claimed_by INTEGER REFERENCES interviewers(id),"
    "  lease_until INTEGER,"
    "  contacted INTEGER NOT NULL DEFAULT 0,"  /* someone answered */
    "  eligible INTEGER NOT NULL DEFAULT 0,"   /* eligibility established */
    "  needs_skill TEXT NOT NULL DEFAULT '',"  /* e.g. 'refusal' for conversions */
    "  interim_code TEXT NOT NULL DEFAULT '3.11'," /* best AAPOR code so far */
    "  disposition TEXT,"                      /* final AAPOR code, NULL while open */
    "  finalised_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE(survey_id, ref));"
    /* The claim walks this index in order: open cases due, highest priority. */
    "CREATE INDEX cases_queue ON cases(survey_id, state, next_call_at) WHERE state <> 'final';"
    "CREATE INDEX cases_claimed ON cases(claimed_by) WHERE claimed_by IS NOT NULL;"
    "CREATE INDEX cases_appt ON cases(appointment_at) WHERE appointment_at IS NOT NULL;"
    "CREATE INDEX cases_updated ON cases(updated_at);"
    "CREATE TABLE phones("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"             /* 1 = phone, 2 = phone2, … */
    "  number TEXT NOT NULL,"                  /* normalised, +countrycode… */
    "  status TEXT NOT NULL DEFAULT 'ok',"     /* ok, or the outcome that retired it */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE(case_id, position));"
    "CREATE TABLE case_fields("
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY(case_id, name)) WITHOUT ROWID;"
    "CREATE TABLE calls("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  attempt INTEGER NOT NULL,"
    "  interviewer_id INTEGER REFERENCES interviewers(id),"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER NOT NULL,"
    "  phone_pos INTEGER NOT NULL,"
    "  number TEXT NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  aapor TEXT NOT NULL,"
    "  slot TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT '',"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX calls_case ON calls(case_id, attempt);"
    "CREATE INDEX calls_time ON calls(started_at);"
    "CREATE INDEX calls_updated ON calls(updated_at);"
    "CREATE TABLE interviews("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  survey_version_id INTEGER NOT NULL REFERENCES survey_versions(id),"
    "  interviewer_id INTEGER REFERENCES interviewers(id),"
    "  language TEXT NOT NULL DEFAULT 'en',"
    "  mode TEXT NOT NULL DEFAULT 'cati',"
    "  current_question TEXT NOT NULL DEFAULT '',"
    "  outcome TEXT,"                         /* NULL while in progress */
    "  started_at INTEGER NOT NULL,"
    "  completed_at INTEGER,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX interviews_case ON interviews(case_id);"
    "CREATE INDEX interviews_done ON interviews(outcome, completed_at);"
    "CREATE INDEX interviews_updated ON interviews(updated_at);"
    "CREATE TABLE answers("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  interview_id INTEGER NOT NULL REFERENCES interviews(id),"
    "  question TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'value' CHECK(status IN ('value','dk','rf')),"
    "  value TEXT NOT NULL DEFAULT '',"       /* codes, numbers, dates, text; multi: 1,3 */
    "  on_route INTEGER NOT NULL DEFAULT 1,"
    "  seq INTEGER NOT NULL,"                 /* position on the path asked */
    "  answered_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE(interview_id, question));"
    "CREATE TABLE answer_log("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  interview_id INTEGER NOT NULL REFERENCES interviews(id),"
    "  question TEXT NOT NULL,"
    "  event TEXT NOT NULL,"                  /* answer, change, off-route, on-route */
    "  old_value TEXT,"
    "  new_value TEXT,"
    "  interviewer_id INTEGER REFERENCES interviewers(id),"
    "  language TEXT NOT NULL DEFAULT '',"
    "  seconds INTEGER NOT NULL DEFAULT 0,"   /* time on the question */
    "  at INTEGER NOT NULL);"
    "CREATE INDEX answer_log_interview ON answer_log(interview_id);"
    "CREATE TABLE flags("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  interview_id INTEGER REFERENCES interviews(id),"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  kind TEXT NOT NULL,"                   /* complaint, integrity, … */
    "  question TEXT NOT NULL DEFAULT '',"
    "  text TEXT NOT NULL DEFAULT '',"         /* the respondent's words */
    "  raised_at INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN ('new','seen','forwarded')),"
    "  handled_by TEXT,"
    "  handled_at INTEGER,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE(interview_id, kind, question));"
    "CREATE INDEX flags_time ON flags(raised_at);"
    "CREATE TABLE exports("
    "  id INTEGER PRIMARY KEY,"
    "  survey_id INTEGER NOT NULL REFERENCES surveys(id),"
    "  started_at INTEGER NOT NULL,"
    "  watermark INTEGER NOT NULL,"           /* rows changed before this are out */
    "  dir TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  with_pii INTEGER NOT NULL DEFAULT 0,"
    "  rows INTEGER NOT NULL DEFAULT 0,"
    "  by_login TEXT NOT NULL);"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  login TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '');"
    /* The queue (queue.c): when the holder took the case (time on cases),
     * and the indexes that keep every claim step a short index walk. */
    "ALTER TABLE cases ADD COLUMN claimed_at INTEGER;"
    /* the general queue in claim order for one survey, language and zone:
     * priority, never tried (NULL) first, longest since called */
    "CREATE INDEX cases_claim ON cases(survey_id, language, timezone, priority DESC, last_call_at)"
    "  WHERE state <> 'final' AND claimed_by IS NULL AND appointment_at IS NULL;"
    "CREATE INDEX cases_lease ON cases(lease_until) WHERE claimed_by IS NOT NULL;"
    "CREATE INDEX cases_tz ON cases(timezone) WHERE state <> 'final';"
    "CREATE INDEX cases_done ON cases(survey_id) WHERE disposition = '1.1';"
    "CREATE INDEX interviews_open ON interviews(interviewer_id) WHERE outcome IS NULL;"
    "CREATE INDEX calls_interviewer ON calls(interviewer_id, started_at);"
    /* sync: this database's identity as a site (one row, made by the first
     * `cati sync`; a copied file gets a new identity, see sync.h) */
    "CREATE TABLE site_identity("
    "  id INTEGER PRIMARY KEY CHECK(id = 1),"
    "  uuid TEXT NOT NULL,"
    "  host TEXT NOT NULL DEFAULT '',"
    "  dev INTEGER NOT NULL DEFAULT 0,"
    "  ino INTEGER NOT NULL DEFAULT 0);"
    /* sync, in a central database: the sites that pushed into it */
    "CREATE TABLE sync_sites("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL DEFAULT '',"        /* host:/path of the site database */
    "  first_at INTEGER NOT NULL,"
    "  last_at INTEGER NOT NULL,"
    "  runs INTEGER NOT NULL DEFAULT 0);"
    /* what each site last pushed of each case: a hash of the case with all
     * its rows; an unchanged case is skipped, a changed one compared row by row */
    "CREATE TABLE sync_seen("
    "  site_id INTEGER NOT NULL REFERENCES sync_sites(id),"
    "  case_uuid TEXT NOT NULL,"
    "  hash INTEGER NOT NULL,"
    "  PRIMARY KEY(site_id, case_uuid)) WITHOUT ROWID;"
    /* central: the site whose row this is (NULL = this database's own) */
    "ALTER TABLE cases ADD COLUMN site_id INTEGER REFERENCES sync_sites(id);"
    "CREATE INDEX flags_case ON flags(case_id);"
    /* export --since-last: a change counter. Every insert or update of an
     * interview (and any change to its answers) or of a call takes the next
     * number, in commit order (one writer at a time), so "changed since the
     * last export" is change_seq > that export's watermark: nothing skipped,
     * nothing twice, whatever the clock says. */
    "CREATE TABLE change_seq(id INTEGER PRIMARY KEY CHECK(id = 1), n INTEGER NOT NULL);"
    "INSERT INTO change_seq VALUES(1, 0);"
    "ALTER TABLE interviews ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE calls ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX interviews_change ON interviews(change_seq);"
    "CREATE INDEX calls_change ON calls(change_seq);"
    "CREATE TRIGGER interviews_seq_ins AFTER INSERT ON interviews BEGIN"
    "  UPDATE change_seq SET n = n + 1 WHERE id = 1;"
    "  UPDATE interviews SET change_seq = (SELECT n FROM change_seq WHERE id = 1) WHERE id = NEW.id;"
    "END;"
    "CREATE TRIGGER interviews_seq_upd AFTER UPDATE ON interviews"
    "  WHEN NEW.change_seq = OLD.change_seq BEGIN"
    "  UPDATE change_seq SET n = n + 1 WHERE id = 1;"
    "  UPDATE interviews SET change_seq = (SELECT n FROM change_seq WHERE id = 1) WHERE id = NEW.id;"
    "END;"
    "CREATE TRIGGER answers_seq_ins AFTER INSERT ON answers BEGIN"
    "  UPDATE interviews SET change_seq = change_seq WHERE id = NEW.interview_id;"
    "END;"
    "CREATE TRIGGER answers_seq_upd AFTER UPDATE ON answers BEGIN"
    "  UPDATE interviews SET change_seq = change_seq WHERE id = NEW.interview_id;"
    "END;"
    "CREATE TRIGGER answers_seq_del AFTER DELETE ON answers BEGIN"
    "  UPDATE interviews SET change_seq = change_seq WHERE id = OLD.interview_id;"
    "END;"
    "CREATE TRIGGER calls_seq_ins AFTER INSERT ON calls BEGIN"
    "  UPDATE change_seq SET n = n + 1 WHERE id = 1;"
    "  UPDATE calls SET change_seq = (SELECT n FROM change_seq WHERE id = 1) WHERE id = NEW.id;"
    "END;"
    "CREATE TRIGGER calls_seq_upd AFTER UPDATE ON calls WHEN NEW.change_seq = OLD.change_seq BEGIN"
    "  UPDATE change_seq SET n = n + 1 WHERE id = 1;"
    "  UPDATE calls SET change_seq = (SELECT n FROM change_seq WHERE id = 1) WHERE id = NEW.id;"
    "END;"
    /* exports: the since-last chain (watermark = change_seq read, since =
     * the watermark it started from) */
    "ALTER TABLE exports ADD COLUMN since INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE exports ADD COLUMN since_last INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE exports ADD COLUMN partials INTEGER NOT NULL DEFAULT 0;"
    /* --- the supervisor monitor (dashboard.c) --------------------------- */
    /* when the console's current session began (dashboard_seen): idle time
     * counts from it until the first call */
    "ALTER TABLE interviewers ADD COLUMN seen_since INTEGER;"
    "CREATE INDEX interviews_interviewer ON interviews(interviewer_id, updated_at);"
    "CREATE INDEX flags_status ON flags(status, raised_at);"
    /* Live counters kept by triggers, so a refresh never counts a million
     * rows: cases per (survey, state, code) — code = the final disposition,
     * else the interim code — and open cases per minute of next_call_at. */
    "CREATE TABLE case_counts("
    "  survey_id INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  code TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY(survey_id, state, code)) WITHOUT ROWID;"
    "CREATE TABLE case_due("
    "  survey_id INTEGER NOT NULL,"
    "  minute INTEGER NOT NULL,"               /* next_call_at / 60 */
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY(survey_id, minute)) WITHOUT ROWID;"
    "CREATE TRIGGER cases_count_ins AFTER INSERT ON cases BEGIN"
    "  INSERT INTO case_counts VALUES(new.survey_id, new.state,"
    "    coalesce(new.disposition, new.interim_code), 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "  INSERT INTO case_due SELECT new.survey_id, new.next_call_at / 60, 1 WHERE new.state = 'open'"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER cases_count_del AFTER DELETE ON cases BEGIN"
    "  UPDATE case_counts SET n = n - 1 WHERE survey_id = old.survey_id AND state = old.state"
    "    AND code = coalesce(old.disposition, old.interim_code);"
    "  UPDATE case_due SET n = n - 1 WHERE old.state = 'open' AND survey_id = old.survey_id"
    "    AND minute = old.next_call_at / 60;"
    "  DELETE FROM case_due WHERE survey_id = old.survey_id AND minute = old.next_call_at / 60 AND n <= 0;"
    "END;"
    "CREATE TRIGGER cases_count_upd AFTER UPDATE OF state, disposition, interim_code ON cases"
    "  WHEN old.state IS NOT new.state OR old.disposition IS NOT new.disposition"
    "    OR old.interim_code IS NOT new.interim_code BEGIN"
    "  UPDATE case_counts SET n = n - 1 WHERE survey_id = old.survey_id AND state = old.state"
    "    AND code = coalesce(old.disposition, old.interim_code);"
    "  INSERT INTO case_counts VALUES(new.survey_id, new.state,"
    "    coalesce(new.disposition, new.interim_code), 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER cases_due_upd AFTER UPDATE OF state, next_call_at ON cases"
    "  WHEN (old.state = 'open' OR new.state = 'open')"
    "    AND (old.state IS NOT new.state OR old.next_call_at / 60 IS NOT new.next_call_at / 60) BEGIN"
    "  UPDATE case_due SET n = n - 1 WHERE old.state = 'open' AND survey_id = old.survey_id"
    "    AND minute = old.next_call_at / 60;"
    "  DELETE FROM case_due WHERE survey_id = old.survey_id AND minute = old.next_call_at / 60 AND n <= 0;"
    "  INSERT INTO case_due SELECT new.survey_id, new.next_call_at / 60, 1 WHERE new.state = 'open'"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    /* Calls per hour (started_at / 3600), interviewer and outcome: today's
     * figures per interviewer without reading every call of the day. */
    "CREATE TABLE call_hours("
    "  hour INTEGER NOT NULL,"
    "  interviewer_id INTEGER NOT NULL,"       /* 0 = none */
    "  outcome TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  first_at INTEGER NOT NULL,"             /* earliest call in the hour */
    "  PRIMARY KEY(hour, interviewer_id, outcome)) WITHOUT ROWID;"
    "CREATE TRIGGER calls_hours_ins AFTER INSERT ON calls BEGIN"
    "  INSERT INTO call_hours VALUES(new.started_at / 3600, coalesce(new.interviewer_id, 0),"
    "    new.outcome, 1, new.started_at)"
    "    ON CONFLICT DO UPDATE SET n = n + 1, first_at = min(first_at, excluded.first_at);"
    "END;"
    "CREATE TRIGGER calls_hours_del AFTER DELETE ON calls BEGIN"
    "  UPDATE call_hours SET n = n - 1 WHERE hour = old.started_at / 3600"
    "    AND interviewer_id = coalesce(old.interviewer_id, 0) AND outcome = old.outcome;"
    "END;"
    "CREATE TRIGGER calls_hours_upd AFTER UPDATE OF started_at, interviewer_id, outcome ON calls BEGIN"
    "  UPDATE call_hours SET n = n - 1 WHERE hour = old.started_at / 3600"
    "    AND interviewer_id = coalesce(old.interviewer_id, 0) AND outcome = old.outcome;"
    "  INSERT INTO call_hours VALUES(new.started_at / 3600, coalesce(new.interviewer_id, 0),"
    "    new.outcome, 1, new.started_at)"
    "    ON CONFLICT DO UPDATE SET n = n + 1, first_at = min(first_at, excluded.first_at);"
    "END;"
    /* Flags per survey and status. */
    "CREATE TABLE flag_counts("
    "  survey_id INTEGER NOT NULL,"
    "  status TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY(survey_id, status)) WITHOUT ROWID;"
    "CREATE TRIGGER flags_count_ins AFTER INSERT ON flags BEGIN"
    "  INSERT INTO flag_counts SELECT survey_id, new.status, 1 FROM cases WHERE id = new.case_id"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER flags_count_del AFTER DELETE ON flags BEGIN"
    "  UPDATE flag_counts SET n = n - 1 WHERE status = old.status"
    "    AND survey_id = (SELECT survey_id FROM cases WHERE id = old.case_id);"
    "END;"
    "CREATE TRIGGER flags_count_upd AFTER UPDATE OF status, case_id ON flags"
    "  WHEN old.status IS NOT new.status OR old.case_id IS NOT new.case_id BEGIN"
    "  UPDATE flag_counts SET n = n - 1 WHERE status = old.status"
    "    AND survey_id = (SELECT survey_id FROM cases WHERE id = old.case_id);"
    "  INSERT INTO flag_counts SELECT survey_id, new.status, 1 FROM cases WHERE id = new.case_id"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    /* Five-parameter scores. survey_measures: the questions of each script
     * version that `measures` a parameter (filled from the parsed script by
     * dashboard_measures_sync); kind scale = mean and top-two share, single =
     * share of `good` codes (those raising none of the question's flags),
     * number = mean. score_sums: running sums over completed interviews per
     * (survey, parameter, question, service, agency), kept by triggers. */
    "CREATE TABLE survey_measures("
    "  survey_version_id INTEGER NOT NULL REFERENCES survey_versions(id),"
    "  question TEXT NOT NULL,"
    "  parameter TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK(kind IN ('scale','single','number')),"
    "  lo INTEGER NOT NULL DEFAULT 0,"
    "  hi INTEGER NOT NULL DEFAULT 0,"
    "  good TEXT NOT NULL DEFAULT '',"         /* single: ',2,3,' */
    "  PRIMARY KEY(survey_version_id, question)) WITHOUT ROWID;"
    "CREATE TABLE survey_measures_done("
    "  survey_version_id INTEGER PRIMARY KEY REFERENCES survey_versions(id));"
    "CREATE TABLE score_sums("
    "  survey_id INTEGER NOT NULL,"
    "  parameter TEXT NOT NULL,"
    "  question TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  service TEXT NOT NULL,"
    "  agency TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"                    /* answers with a value */
    "  total REAL NOT NULL,"                   /* sum of values (scale, number) */
    "  top INTEGER NOT NULL,"                  /* top two points / good codes */
    "  lo INTEGER NOT NULL DEFAULT 0,"
    "  hi INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(survey_id, parameter, question, kind, service, agency)) WITHOUT ROWID;"
    "CREATE TRIGGER interviews_score AFTER UPDATE OF outcome ON interviews"
    "  WHEN (old.outcome IS 'complete') <> (new.outcome IS 'complete') BEGIN"
    "  INSERT INTO score_sums SELECT c.survey_id, m.parameter, m.question, m.kind, c.service, c.agency,"
    "    s.k, s.k * (CASE m.kind WHEN 'single' THEN 0 ELSE CAST(a.value AS REAL) END),"
    "    s.k * (CASE m.kind WHEN 'scale' THEN CAST(a.value AS INTEGER) >= m.hi - 1"
    "      WHEN 'single' THEN instr(m.good, ',' || a.value || ',') > 0 ELSE 0 END), m.lo, m.hi"
    "    FROM (SELECT CASE WHEN new.outcome IS 'complete' THEN 1 ELSE -1 END AS k) s,"
    "      answers a, survey_measures m, cases c"
    "    WHERE a.interview_id = new.id AND a.status = 'value' AND a.on_route = 1"
    "      AND m.survey_version_id = new.survey_version_id AND m.question = a.question"
    "      AND c.id = new.case_id"
    "    ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total,"
    "      top = top + excluded.top, lo = excluded.lo, hi = excluded.hi;"
    "END;"
    "CREATE TRIGGER answers_score_ins AFTER INSERT ON answers"
    "  WHEN new.status = 'value' AND new.on_route = 1"
    "    AND (SELECT outcome FROM interviews WHERE id = new.interview_id) IS 'complete' BEGIN"
    "  INSERT INTO score_sums SELECT c.survey_id, m.parameter, m.question, m.kind, c.service, c.agency,"
    "    1, CASE m.kind WHEN 'single' THEN 0 ELSE CAST(new.value AS REAL) END,"
    "    CASE m.kind WHEN 'scale' THEN CAST(new.value AS INTEGER) >= m.hi - 1"
    "      WHEN 'single' THEN instr(m.good, ',' || new.value || ',') > 0 ELSE 0 END, m.lo, m.hi"
    "    FROM interviews i, survey_measures m, cases c"
    "    WHERE i.id = new.interview_id AND m.survey_version_id = i.survey_version_id"
    "      AND m.question = new.question AND c.id = i.case_id"
    "    ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total,"
    "      top = top + excluded.top, lo = excluded.lo, hi = excluded.hi;"
    "END;"
    "CREATE TRIGGER answers_score_del AFTER DELETE ON answers"
    "  WHEN old.status = 'value' AND old.on_route = 1"
    "    AND (SELECT outcome FROM interviews WHERE id = old.interview_id) IS 'complete' BEGIN"
    "  UPDATE score_sums SET n = n - 1,"
    "    total = total - (CASE score_sums.kind WHEN 'single' THEN 0 ELSE CAST(old.value AS REAL) END),"
    "    top = top - (SELECT CASE m.kind WHEN 'scale' THEN CAST(old.value AS INTEGER) >= m.hi - 1"
    "      WHEN 'single' THEN instr(m.good, ',' || old.value || ',') > 0 ELSE 0 END"
    "      FROM interviews i, survey_measures m WHERE i.id = old.interview_id"
    "      AND m.survey_version_id = i.survey_version_id AND m.question = old.question)"
    "    WHERE (survey_id, parameter, question, kind, service, agency) IN"
    "      (SELECT c.survey_id, m.parameter, m.question, m.kind, c.service, c.agency"
    "       FROM interviews i, survey_measures m, cases c WHERE i.id = old.interview_id"
    "       AND m.survey_version_id = i.survey_version_id AND m.question = old.question"
    "       AND c.id = i.case_id);"
    "END;"
    "CREATE TRIGGER answers_score_upd AFTER UPDATE OF status, value, on_route ON answers"
    "  WHEN (SELECT outcome FROM interviews WHERE id = new.interview_id) IS 'complete' BEGIN"
    "  UPDATE score_sums SET n = n - 1,"
    "    total = total - (CASE score_sums.kind WHEN 'single' THEN 0 ELSE CAST(old.value AS REAL) END),"
    "    top = top - (SELECT CASE m.kind WHEN 'scale' THEN CAST(old.value AS INTEGER) >= m.hi - 1"
    "      WHEN 'single' THEN instr(m.good, ',' || old.value || ',') > 0 ELSE 0 END"
    "      FROM interviews i, survey_measures m WHERE i.id = old.interview_id"
    "      AND m.survey_version_id = i.survey_version_id AND m.question = old.question)"
    "    WHERE old.status = 'value' AND old.on_route = 1"
    "      AND (survey_id, parameter, question, kind, service, agency) IN"
    "      (SELECT c.survey_id, m.parameter, m.question, m.kind, c.service, c.agency"
    "       FROM interviews i, survey_measures m, cases c WHERE i.id = old.interview_id"
    "       AND m.survey_version_id = i.survey_version_id AND m.question = old.question"
    "       AND c.id = i.case_id);"
    "  INSERT INTO score_sums SELECT c.survey_id, m.parameter, m.question, m.kind, c.service, c.agency,"
    "    1, CASE m.kind WHEN 'single' THEN 0 ELSE CAST(new.value AS REAL) END,"
    "    CASE m.kind WHEN 'scale' THEN CAST(new.value AS INTEGER) >= m.hi - 1"
    "      WHEN 'single' THEN instr(m.good, ',' || new.value || ',') > 0 ELSE 0 END, m.lo, m.hi"
    "    FROM interviews i, survey_measures m, cases c"
    "    WHERE new.status = 'value' AND new.on_route = 1 AND i.id = new.interview_id"
    "      AND m.survey_version_id = i.survey_version_id"
    "      AND m.question = new.question AND c.id = i.case_id"
    "    ON CONFLICT DO UPDATE SET n = n + excluded.n, total = total + excluded.total,"
    "      top = top + excluded.top, lo = excluded.lo, hi = excluded.hi;"
    "END;",
    /* 2: one case, one interview (issue 11). An interview is 'live' (the
     * case's interview), 'abandoned' (a later interview on the case replaced
     * it: an appointment or break-off asked again from the start) or
     * 'duplicate' (central: another site's interview of a case already
     * completed elsewhere, kept for audit). A case has at most one live
     * interview; exports, rates and scores count live interviews only.
     * Existing databases keep per case its first completed interview, else
     * its newest; the others become abandoned. */
    "ALTER TABLE interviews ADD COLUMN state TEXT NOT NULL DEFAULT 'live'"
    "  CHECK(state IN ('live','abandoned','duplicate'));"
    "UPDATE interviews SET state = 'abandoned' WHERE id <> (SELECT j.id FROM interviews j"
    "  WHERE j.case_id = interviews.case_id"
    "  ORDER BY j.outcome IS 'complete' DESC,"
    "    CASE WHEN j.outcome IS 'complete' THEN j.id ELSE -j.id END LIMIT 1);"
    "CREATE UNIQUE INDEX interviews_live ON interviews(case_id) WHERE state = 'live';"
    /* the note the interviewer typed for the next call on the case,
     * committed when confirmed (F6), moved into the call at its outcome */
    "ALTER TABLE cases ADD COLUMN call_note TEXT NOT NULL DEFAULT '';",
    /* 3: issue 11 §3 and Also (the nightly export; measures on every
     * question type). An export written for delivery (the nightly script:
     * files in a temporary folder, renamed to the dated one when all is
     * written) is 'pending' until export_settle finds its folder delivered
     * ('done') or not ('failed'); only 'done' exports count in the
     * since-last chain. */
    "ALTER TABLE exports ADD COLUMN state TEXT NOT NULL DEFAULT 'done'"
    "  CHECK(state IN ('done','pending','failed'));",
};

int migrations_count(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *migrations_sql(int n)
{
    return n >= 1 && n <= migrations_count() ? migrations[n - 1] : 0;
}
