/* CSV reader throughput: `csvbench gen FILE MB` writes a sample-like CSV of
 * about MB megabytes; `csvbench read FILE` reads it through csv_read and
 * prints records, bytes and MB/s. Built and run by scripts/bench-csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cati/csv.h"

static int gen(const char *path, long mb)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return perror(path), 1;
    static const char *const names[] = {"Dorji Wangmo", "Karma Tshering", "Pema \"Pem\" Lhamo",
                                        "Sonam Choden", "\xe0\xbd\xa2\xe0\xbe\xab\xe0\xbd\xbc"};
    fputs("ref,name,phone,phone2,language,service,agency,district,availed_on,note\r\n", f);
    long long bytes = 0, want = mb * 1024LL * 1024LL;
    struct csv_writer w;
    csv_writer_init(&w, f);
    for (long i = 0; bytes < want; i++) {
        char ref[32], phone[16], date[16];
        snprintf(ref, sizeof ref, "R%09ld", i);
        snprintf(phone, sizeof phone, "17%06ld", i % 1000000);
        snprintf(date, sizeof date, "2026-%02ld-%02ld", 1 + i % 12, 1 + i % 28);
        const char *row[] = {ref, names[i % 5], phone, i % 3 ? "" : "77123456", i % 4 ? "en" : "dz",
                             i % 2 ? "cid_new" : "census_transfer",
                             "Department of Civil Registration and Census", "Thimphu", date,
                             i % 10 ? "called before, no answer" : "said: \"call after 5\",\nthanks"};
        csv_write_row(&w, row, 10);
        bytes = ftell(f);
    }
    int bad = csv_writer_error(&w);
    if (fclose(f) != 0 || bad)
        return fprintf(stderr, "%s: write error\n", path), 1;
    return 0;
}

static int bench_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return perror(path), 1;
    struct csv_reader *r = csv_reader_new(f, path, 0);
    struct csv_record rec;
    struct cati_error err;
    struct timespec t0, t1;
    long records = 0, fields = 0;
    enum csv_result rc;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((rc = csv_read(r, &rec, &err)) == CSV_OK) {
        records++;
        fields += (long)rec.n;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long bytes = ftell(f);
    csv_reader_free(r);
    fclose(f);
    if (rc != CSV_EOF)
        return fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg), 1;
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("csv read: %ld records, %ld fields, %.1f MB in %.3f s = %.0f MB/s\n", records, fields,
           (double)bytes / 1e6, s, (double)bytes / 1e6 / s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return gen(argv[2], atol(argv[3]));
    if (argc == 3 && !strcmp(argv[1], "read"))
        return bench_read(argv[2]);
    fprintf(stderr, "usage: csvbench gen FILE MB | read FILE\n");
    return 2;
}
