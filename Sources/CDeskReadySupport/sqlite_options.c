/* SQLite's variadic configuration call, which Swift cannot make directly. */
#include <sqlite3.h>
#include "deskready_support.h"

int dr_sqlite_no_checkpoint_on_close(void *db) {
    return sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
