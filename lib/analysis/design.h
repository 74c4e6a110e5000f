/* design.h — internal: the experiment's design as the user states it (a config, a list of
 * variants, shares by name or in order), never guessed from the data. Used by analyze
 * (order of variants, control, SRM) and srm. */
#ifndef DCX_DESIGN_H
#define DCX_DESIGN_H

#include <stddef.h>

#include "dcx/error.h"
#include "dcx/options.h"

typedef struct {
    size_t n;          /* designed variants (0: none stated; the data decide) */
    char **names;      /* in the design's order; NULL entries when only shares are known */
    double *shares;    /* NaN when the design says which variants but not their shares */
    int from_config;   /* the names and shares come from an experiment config */
    int equal_unnamed; /* only a bare list of equal shares was given (names from the data) */
} design_t;

/* Builds the design from --config, --weights (name=share pairs or a bare list, comma-
 * separated, possibly repeated) and --variants (names, comma lists allowed). A bare list
 * of unequal shares needs --variants or --config to say whose they are.
 * @return DCX_OK, DCX_EINVAL (conflicting or malformed options), DCX_EPARSE/DCX_EIO
 * (the config), DCX_ENOMEM. */
dcx_status_t design_build(const char *config, const dcx_strlist_t *weights,
                          const dcx_strlist_t *variants, design_t *d, dcx_error_t *err);
void design_free(design_t *d);

/* Index of name in the design, or -1. */
long design_find(const design_t *d, const char *name);

#endif
