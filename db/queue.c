/* The queue: keyset pagination per view. */
#include "db/internal.h"

void cw_db_queue_finish(struct cw_db *db)
{
	for (size_t i = 0; i < db->qcache_len; i++)
		sqlite3_finalize(db->qcache[i].stmt);
	db->qcache_len = 0;
}
