#ifndef CATI_DASHBOARD_INT_H
#define CATI_DASHBOARD_INT_H
/* Helpers shared by dashboard.c and dashboard_act.c (not public). */

#include <sqlite3.h>
#include <stddef.h>

/* Copy column col (text, NULL as "") into dst, cut to size. */
void dash_copy_col(char *dst, size_t size, sqlite3_stmt *st, int col);
/* Grow *arr (elem-sized items, *cap of them, zero-filled) to hold n + 1. 0 or -1. */
int dash_grow(void **arr, int n, int *cap, size_t elem);

#endif
