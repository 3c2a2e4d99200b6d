/* export: SPSS syntax and a Stata do-file that read NAME_interviews.csv
 * with variable labels, value labels, and DK (-8) / RF (-9) as missing. */
#include <stdio.h>
#include <string.h>

#include "export_int.h"

/* Bytes of s to keep so that at most max bytes are written and no UTF-8
 * sequence is cut. */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* SPSS: "text" with quotes doubled, line breaks as spaces. */
static void spss_str(FILE *f, const char *s, size_t max)
{
    size_t n = utf8_cut(s, max);
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"')
            fputs("\"\"", f);
        else if (ch == '\n' || ch == '\r' || ch == '\t')
            fputc(' ', f);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* Stata: compound quotes `"text"'; ` and $ escaped so no macro expands. */
static void stata_str(FILE *f, const char *s, size_t max)
{
    size_t n = utf8_cut(s, max);
    fputs("`\"", f);
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '`' || ch == '$' || ch == '\\')
            fputc('\\', f), fputc(ch, f);
        else if (ch == '\n' || ch == '\r' || ch == '\t')
            fputc(' ', f);
        else
            fputc(ch, f);
    }
    fputs("\"'", f);
}

/* The label of column c: the question text, ": choice" for multi. */
static void col_label(const struct xlayout *l, const struct xcol *c, char *buf, size_t size)
{
    if (c->var < 0) {
        snprintf(buf, size, "%s", c->label);
        return;
    }
    const struct xvar *x = &l->vars[c->var];
    const char *text = script_question_text(x->q, 0);
    if (x->q->type == QTYPE_MULTI) {
        const struct cati_choice *ch = script_choice(x->q, c->code);
        snprintf(buf, size, "%s: %s", ch ? script_choice_label(ch, 0) : "choice", text);
    } else {
        snprintf(buf, size, "%s", text);
    }
}

/* SPSS input format of column c. */
static void spss_format(const struct xlayout *l, const struct xcol *c, char *buf, size_t size)
{
    if (c->type == XT_INT) {
        int w = 8;
        if (c->var >= 0 && l->vars[c->var].q->type == QTYPE_NUMBER) {
            char lo[32], hi[32];
            int a = snprintf(lo, sizeof lo, "%ld", l->vars[c->var].q->lo);
            int b = snprintf(hi, sizeof hi, "%ld", l->vars[c->var].q->hi);
            w = (a > b ? a : b) + 1;
            if (w < 8)
                w = 8;
        }
        snprintf(buf, size, "F%d.0", w);
        return;
    }
    int w = 255;
    if (c->type == XT_TIME)
        w = 19;
    else if (c->var >= 0) {
        const struct cati_question *q = l->vars[c->var].q;
        w = q->type == QTYPE_DATE ? 10 : q->maxlen * 4;
        if (w > 32767)
            w = 32767;
        if (w < 8)
            w = 8;
    } else if (c->field < 0 && (!strcmp(c->name, "case_uuid") || !strcmp(c->name, "interview_uuid")))
        w = 36;
    snprintf(buf, size, "A%d", w);
}

/* Every numeric question column has value labels: at least DK and RF. */
static int has_value_labels(const struct xcol *c)
{
    return c->var >= 0 && c->type == XT_INT;
}

int xsyntax_spss(const struct xlayout *l, const char *csvname, FILE *f)
{
    char buf[4096];
    fputs("* SPSS syntax written by cati export.\n"
          "* Reads the CSV file named below (UTF-8, RFC 4180) from the current directory:\n"
          "* change to its folder first (CD '...'.) or edit /FILE.\n"
          "* -8 = don't know and -9 = refused are declared missing; empty = not asked.\n"
          "* Times are text YYYY-MM-DD HH:MM:SS.\n"
          "SET UNICODE=ON.\n"
          "GET DATA\n  /TYPE=TXT\n  /FILE=", f);
    spss_str(f, csvname, 4000);
    fputs("\n  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n  /FIRSTCASE=2\n"
          "  /DELIMITERS=','\n  /QUALIFIER='\"'\n  /VARIABLES=\n", f);
    for (int i = 0; i < l->ncols; i++) {
        spss_format(l, &l->cols[i], buf, sizeof buf);
        fprintf(f, "    %s %s%s\n", l->cols[i].name, buf, i == l->ncols - 1 ? "." : "");
    }
    fputs("VARIABLE LABELS\n", f);
    for (int i = 0; i < l->ncols; i++) {
        col_label(l, &l->cols[i], buf, sizeof buf);
        fprintf(f, "  %s%s ", i ? "/" : "", l->cols[i].name);
        spss_str(f, buf, 250);
        fputs(i == l->ncols - 1 ? ".\n" : "\n", f);
    }
    int first = 1;
    for (int i = 0; i < l->ncols; i++) {
        const struct xcol *c = &l->cols[i];
        if (!has_value_labels(c))
            continue;
        fprintf(f, "%s%s", first ? "VALUE LABELS\n  " : "  /", c->name);
        first = 0;
        const struct cati_question *q = l->vars[c->var].q;
        if (q->type == QTYPE_MULTI) {
            fputs(" 0 \"not chosen\" 1 \"chosen\"", f);
        } else {
            for (int k = 0; k < q->nchoices; k++) {
                fprintf(f, " %ld ", q->choices[k].code);
                spss_str(f, script_choice_label(&q->choices[k], 0), 120);
            }
        }
        fputs(" -8 \"don't know\" -9 \"refused\"\n", f);
    }
    if (!first)
        fputs("  .\n", f);
    for (int i = 0; i < l->ncols; i++) {
        const struct xcol *c = &l->cols[i];
        if (c->var < 0)
            continue;
        fprintf(f, "MISSING VALUES %s %s.\n", c->name, c->type == XT_INT ? "(-9, -8)" : "('-9', '-8')");
    }
    fputs("EXECUTE.\n", f);
    return ferror(f) ? -1 : 0;
}

int xsyntax_stata(const struct xlayout *l, const char *csvname, FILE *f)
{
    char buf[4096];
    fputs("* Stata do-file written by cati export.\n"
          "* Reads the CSV file named below (UTF-8, RFC 4180) from the current directory\n"
          "* (cd to its folder first). -8 = don't know and -9 = refused become the\n"
          "* missing values .a and .b in numeric questions; empty = not asked (.).\n"
          "* In text and date questions they stay the strings \"-8\" and \"-9\".\n"
          "import delimited using ", f);
    stata_str(f, csvname, 4000);
    fputs(", varnames(1) case(preserve) encoding(\"utf-8\") ///\n"
          "    bindquotes(strict) maxquotedrows(unlimited) delimiters(\",\") clear ///\n"
          "    stringcols(", f);
    int n = 0;
    for (int i = 0; i < l->ncols; i++)
        if (l->cols[i].type != XT_INT)
            fprintf(f, "%s%d", n++ ? " " : "", i + 1);
    fputs(") numericcols(", f);
    n = 0;
    for (int i = 0; i < l->ncols; i++)
        if (l->cols[i].type == XT_INT)
            fprintf(f, "%s%d", n++ ? " " : "", i + 1);
    fputs(")\n", f);
    for (int i = 0; i < l->ncols; i++) {
        col_label(l, &l->cols[i], buf, sizeof buf);
        fprintf(f, "label variable %s ", l->cols[i].name);
        stata_str(f, buf, 80);
        fputc('\n', f);
    }
    n = 0;
    for (int i = 0; i < l->ncols; i++) {
        const struct xcol *c = &l->cols[i];
        if (!has_value_labels(c))
            continue;
        if (!n++)
            fputs("mvdecode", f);
        fprintf(f, " ///\n    %s", c->name);
    }
    if (n)
        fputs(", mv(-8 = .a \\ -9 = .b)\n", f);
    for (int i = 0; i < l->ncols; i++) {
        const struct xcol *c = &l->cols[i];
        if (!has_value_labels(c))
            continue;
        const struct cati_question *q = l->vars[c->var].q;
        fprintf(f, "label define cati_l%d", i + 1);
        if (q->type == QTYPE_MULTI) {
            fputs(" 0 `\"not chosen\"' 1 `\"chosen\"'", f);
        } else {
            for (int k = 0; k < q->nchoices; k++) {
                fprintf(f, " %ld ", q->choices[k].code);
                stata_str(f, script_choice_label(&q->choices[k], 0), 32000);
            }
        }
        fprintf(f, " .a `\"don't know\"' .b `\"refused\"', replace\n"
                   "label values %s cati_l%d\n", c->name, i + 1);
    }
    return ferror(f) ? -1 : 0;
}
