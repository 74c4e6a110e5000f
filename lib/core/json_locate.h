/* json_locate.h — internal: where a member of a JSON text stands, for messages that name
 * a file's line and column. cJSON keeps no positions; this scans the text that cJSON
 * parsed (so it is well-formed) along a path of keys and array indices. */
#ifndef DCX_JSON_LOCATE_H
#define DCX_JSON_LOCATE_H

#include <stddef.h>

/* One step of a path: an object's member `key`, or (key NULL) an array's element `index`. */
typedef struct {
    const char *key;
    size_t index;
} json_step_t;

/* The 1-based line and column of the path's last step in text[0..len): the opening quote
 * of a member's key, or the first character of an array element. A byte-order mark is
 * skipped. @return 1 when found, else 0 (line and column then 0). */
int json_locate(const char *text, size_t len, const json_step_t *path, size_t depth, long *line,
                long *col);

#endif
