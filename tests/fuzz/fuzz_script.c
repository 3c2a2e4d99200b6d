/* libFuzzer target for the questionnaire parser and checker: any input
 * must give either a script or diagnostics, never a crash or a leak. A
 * script that parses is also walked by the engine with a few answers and
 * its diagnostics rendered, to reach the evaluator and the caret code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cati/interview.h"
#include "cati/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script_diags d = {0};
    struct cati_script *s = script_parse("fuzz.cati", (const char *)data, size, &d);
    char *r = script_diags_render(&d, "fuzz.cati", (const char *)data, size);
    free(r);
    script_diags_free(&d);
    if (!s)
        return 0;
    struct cati_error err;
    struct cati_interview *iv = interview_new(s, NULL, &err);
    if (iv) {
        static const char *const inputs[] = {"1", "2", "dk", "5", "1,2", "2024-01-31", "rf", "x", "0", "3"};
        interview_set_field(iv, "name", "N");
        for (int i = 0; i < 64 && interview_current(iv); i++) {
            const struct cati_question *q = interview_current(iv);
            char *t = interview_question_text(iv, q, NULL);
            free(t);
            const char *in = inputs[(size_t)(i + (int)size) % 10];
            struct iv_feedback fb;
            int rc = !strcmp(in, "dk")   ? interview_dk(iv, 1, &fb, &err)
                     : !strcmp(in, "rf") ? interview_rf(iv, 1, &fb, &err)
                                         : interview_answer(iv, in, 1, &fb, &err);
            if (rc != IV_OK && interview_answer(iv, "1", 1, &fb, &err) != IV_OK &&
                interview_dk(iv, 1, &fb, &err) != IV_OK)
                interview_answer(iv, "text", 1, &fb, &err);
            if (i % 7 == 6)
                interview_back(iv, &err);
        }
        int n, m;
        interview_progress(iv, &n, &m);
        interview_free(iv);
    }
    script_free(s);
    return 0;
}
