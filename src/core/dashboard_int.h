#ifndef CATI_DASHBOARD_INT_H
#define CATI_DASHBOARD_INT_H
/* Helpers shared by dashboard.c and dashboard_act.c (not public). */

#include <sqlite3.h>
#include <stddef.h>

/* Grow *arr (elem-sized items, *cap of them, zero-filled) to hold n + 1. 0 or -1. */
int dash_grow(void **arr, int n, int *cap, size_t elem);

#endif
