#ifndef CATI_CMD_REPORT_SCORES_H
#define CATI_CMD_REPORT_SCORES_H
/* `cati report scores`, `flags` and `quotas` (report.c dispatches here):
 * the monitor's five-parameter and flag figures as text or CSV. The caller
 * has checked the role and resolved the survey (0 = every survey). */

#include "cmd.h"

int report_scores_cmd(struct cli *c, long long survey_id, int csv);
int report_flags_cmd(struct cli *c, long long survey_id, int csv);
/* report_quotas.c: every quota cell with target, achieved, remaining. */
int report_quotas_cmd(struct cli *c, long long survey_id, int csv);

#endif
