#ifndef CATI_TUI_MONITOR_INT_H
#define CATI_TUI_MONITOR_INT_H
/* The monitor screen's state, shared by monitor.c (drawing, keys) and
 * monitor_act.c (the supervisor's actions). */

#include "monitor.h"

enum mon_act {
    ACT_NONE, ACT_OPEN, ACT_RELEASE, ACT_PRIORITY, ACT_APPOINT, ACT_PAUSE
};

struct mon {
    sqlite3 *db;
    const struct cati_config *cfg;
    const struct cati_interviewer *me; /* the supervisor: role checks and the audit log */
    const char *login;          /* me->login */
    long long survey_id;        /* 0 = every survey */
    int with_pii;               /* phone numbers in full (cati monitor --with-pii) */
    char survey_name[64];
    struct dashboard d;
    int have_data;
    int panel;                  /* enum mon_panel, or PANEL_COUNT = all together */
    int top[PANEL_COUNT + 1];   /* first line shown */
    int sel[PANEL_COUNT];       /* selected item (interviewer, flag, survey) */
    int ascii;
    char status[320];
    enum crt_style status_style;
    double refresh_ms;
    time_t refreshed_at;
    /* a prompt in the status line */
    enum mon_act act;
    int step;                   /* 0: case ID / survey, 1: the value */
    long long arg_id;
    char label[160];
    char input[128];
    int input_fresh;            /* pre-filled, not edited: the first key typed replaces it */
    /* the case view */
    int viewing;
    struct dash_case cv;
    int cv_top;                 /* first line of the case view shown */
    int cv_height;              /* its rows on screen (the last draw) */
    /* the help screen (F1, ?): over the panel or case view it was opened from */
    int helping;
    int help_top;
};

/* Refresh the figures now (sync measures, then one read). Sets status on error. */
void mon_refresh(struct mon *m);
/* Set the status line (printf style). */
void mon_say(struct mon *m, enum crt_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Actions. mon_act_start asks for what is missing (case ID, value) in the
 * status line or acts at once; mon_act_submit takes the typed input. */
void mon_act_start(struct mon *m, enum mon_act act);
void mon_act_submit(struct mon *m);
/* Open the case view on id. */
void mon_open_case(struct mon *m, long long id);
/* Mark the selected flag seen / forwarded. */
void mon_flag_mark(struct mon *m, const char *status);
/* The case the selection points at (interviewer's case, flag's case), 0 if none. */
long long mon_selected_case(const struct mon *m);

#endif
