/* doc_util.h — internal helpers for building result documents (cJSON trees).
 * Adding never crashes on allocation failure; doc_oom() tells afterwards. */
#ifndef DCX_DOC_UTIL_H
#define DCX_DOC_UTIL_H

#include <cjson/cJSON.h>

/* Starts a document build: resets the allocation-failure flag of this thread. */
void doc_begin(void);
/* Non-zero when an addition since doc_begin() failed, or d is NULL. */
int doc_oom(const cJSON *d);
/* Records that something the document needs could not be allocated (a scratch array, a
 * warning): doc_oom() will say so. */
void doc_fail(void);

/* Keys are not copied: every key passed to these functions must outlive the document (a
 * string literal). A key made from data (a variant's name) goes through doc_num_copykey. */

/* Adds key = number; a non-finite v becomes null (use doc_num_or_null to say why). */
void doc_num(cJSON *o, const char *key, double v);
/* The same with a key that is copied. */
void doc_num_copykey(cJSON *o, const char *key, double v);
/* Adds key = v, or null and appends `why` to the object's "note" when v is not finite. */
void doc_num_or_null(cJSON *o, const char *key, double v, const char *why);
void doc_str(cJSON *o, const char *key, const char *s);
void doc_bool(cJSON *o, const char *key, int v);
void doc_null(cJSON *o, const char *key);
/* Appends text to the object's "note" (created on first use, "; "-separated). */
void doc_note(cJSON *o, const char *why);
/* Adds key = [lo, hi], or null (with note) when either end is not finite. */
void doc_interval(cJSON *o, const char *key, double lo, double hi, const char *why);
/* Adds key = a new object / array and returns it (NULL on failure, recorded). */
cJSON *doc_obj(cJSON *o, const char *key);
cJSON *doc_arr(cJSON *o, const char *key);
/* Appends an item to an array (takes ownership; records failure). */
void doc_push(cJSON *arr, cJSON *item);

#endif
