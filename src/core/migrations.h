#ifndef CATI_MIGRATIONS_H
#define CATI_MIGRATIONS_H
/* Private to db.c: the numbered schema migrations. */
int migrations_count(void);
const char *migrations_sql(int n); /* 1-based; NULL when out of range */
#endif
