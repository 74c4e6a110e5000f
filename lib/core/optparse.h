/* optparse.h — internal: pieces of option values shared by the commands: comma lists and
 * name=value pairs. */
#ifndef DCX_OPTPARSE_H
#define DCX_OPTPARSE_H

#include "dcx/error.h"
#include "dcx/options.h"

/* Splits a list option's items on commas into `out` ("a,b" "c" -> a b c); empty items are
 * dropped. @return DCX_OK or DCX_ENOMEM. */
dcx_status_t split_commas(const dcx_strlist_t *in, dcx_strlist_t *out, dcx_error_t *err);

/* Parses "name=value" (name may be NULL: a bare value). @return 0, -1 for a value that
 * is not a finite number, -2 when out of memory. *name is malloc'd (caller frees). */
int parse_pair(const char *s, char **name, double *value);

#endif
