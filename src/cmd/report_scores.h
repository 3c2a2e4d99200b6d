#ifndef CATI_CMD_REPORT_SCORES_H
#define CATI_CMD_REPORT_SCORES_H
/* `cati report scores` and `cati report flags` (report.c dispatches here):
 * the monitor's five-parameter and flag figures as text or CSV. The caller
 * has checked the role and resolved the survey (0 = every survey). */

#include "cmd.h"

int report_scores_cmd(struct cli *c, long long survey_id, int csv);
int report_flags_cmd(struct cli *c, long long survey_id, int csv);

#endif
