/* jsonio.h — reading JSON documents dcx did not write (experiment configs, assessments,
 * targets, result files) strictly: one value and nothing after it, a byte-order mark
 * allowed, positions in every error, and no NUL byte anywhere, raw or escaped as
 * \u0000 — cJSON keeps C strings, so a NUL would silently cut a key or a name short. */
#ifndef DCX_JSONIO_H
#define DCX_JSONIO_H

#include "dcx/api.h"

#include <stddef.h>

#include "dcx/error.h"

struct cJSON;

/* dcx_json_parse() : parses text[0..len) (named `name` in errors) into *out, which the
 * caller deletes with cJSON_Delete.
 * @return DCX_OK; DCX_EPARSE with line and column for malformed JSON, text after the
 * value, a NUL byte or a \u0000 escape; DCX_ENOMEM. */
DCX_API dcx_status_t dcx_json_parse(const char *text, size_t len, const char *name, struct cJSON **out,
                            dcx_error_t *err);

/* dcx_read_json_file() : dcx_json_parse() of a file's contents (at most `max` bytes;
 * 0 = 1 GiB). @return as dcx_json_parse(), or DCX_EIO when the file cannot be read. */
DCX_API dcx_status_t dcx_read_json_file(const char *path, size_t max, struct cJSON **out,
                                dcx_error_t *err);

#endif
