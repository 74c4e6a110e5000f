/* fnv.h — internal incremental FNV-1a over UTF-16 code units of UTF-8 text. */
#ifndef DCX_FNV_H
#define DCX_FNV_H

#include <stddef.h>
#include <stdint.h>

#include "dcx/assign.h"

#define DCX_FNV_OFFSET 0x811c9dc5u

/* Continues hash h over s[0..len) (complete UTF-8 sequences). */
uint32_t dcx_fnv_update(uint32_t h, const char *s, size_t len);
/* FNV-1a of the decimal digits of v. */
uint32_t dcx_fnv_decimal(uint32_t v);

/* The FNV-1a of the decimal text of four values at once (interleaved). */
void dcx_fnv_decimal4(uint32_t v0, uint32_t v1, uint32_t v2, uint32_t v3, uint32_t out[4]);

#endif
