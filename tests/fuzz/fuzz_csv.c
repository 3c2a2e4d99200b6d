/* libFuzzer target for the CSV reader and writer. Reads every record of
 * the input; each good record is written back with the writer and must
 * read back identical (the round trip property). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cati/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct csv_record *rec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    struct csv_writer w;
    csv_writer_init(&w, f);
    for (size_t i = 0; i < rec->n; i++)
        csv_write_field(&w, rec->f[i].s, rec->f[i].len);
    csv_write_end(&w);
    fclose(f);
    struct csv_reader *r = csv_reader_new_mem(buf, len, "rt", CSV_ALLOW_RAGGED | CSV_ALLOW_BAD_UTF8);
    struct csv_record back;
    if (!r || csv_read(r, &back, NULL) != CSV_OK || back.n != rec->n)
        abort();
    for (size_t i = 0; i < rec->n; i++)
        if (back.f[i].len != rec->f[i].len || memcmp(back.f[i].s, rec->f[i].s, rec->f[i].len))
            abort();
    if (csv_read(r, &back, NULL) != CSV_EOF)
        abort();
    csv_reader_free(r);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = size ? data[0] & 3 : 0; /* vary the options with the first byte */
    struct csv_reader *r = csv_reader_new_mem(data, size, "fuzz.csv", flags);
    if (!r)
        return 0;
    csv_reader_set_max_record(r, 4096);
    struct csv_record rec;
    struct cati_error err;
    enum csv_result rc;
    long last = 0;
    while ((rc = csv_read(r, &rec, &err)) == CSV_OK || rc == CSV_BAD) {
        if (rec.line <= last || rec.end_line < rec.line || rec.n == 0)
            abort(); /* lines go forward */
        last = rec.end_line;
        if (rc == CSV_OK)
            roundtrip(&rec);
        else if (err.line < rec.line || err.line > rec.end_line)
            abort(); /* the problem is inside the record */
    }
    csv_reader_free(r);
    return 0;
}
