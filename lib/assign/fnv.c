/* fnv.c — FNV-1a 32-bit over UTF-16 code units of UTF-8 text, and GrowthBook's hash.
 *
 * The SDK computes, for each code unit c of a JavaScript string,
 *   h ^= c;  h += (h<<1) + (h<<4) + (h<<7) + (h<<8) + (h<<24)
 * which modulo 2^32 is h = (h ^ c) · 16777619, the FNV-1a step with the whole 16-bit
 * code unit in place of a byte. */
#include "fnv.h"

#include <math.h>
#include <string.h>

#define FNV_PRIME 16777619u

uint32_t dcx_fnv_update(uint32_t h, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) { /* ASCII: one code unit per byte */
            h = (h ^ c) * FNV_PRIME;
            p++;
            continue;
        }
        /* decode one UTF-8 sequence; invalid bytes become U+FFFD one at a time */
        uint32_t cp = 0xFFFD;
        size_t need = 0;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07;
        size_t k = 1;
        if (need) {
            for (; k <= need && p + k < end; k++) {
                unsigned b = p[k];
                /* the second byte's range is narrower after E0, ED, F0 and F4 */
                unsigned lo = 0x80, hi = 0xBF;
                if (k == 1) {
                    if (c == 0xE0) lo = 0xA0;
                    else if (c == 0xED) hi = 0x9F;
                    else if (c == 0xF0) lo = 0x90;
                    else if (c == 0xF4) hi = 0x8F;
                }
                if (b < lo || b > hi)
                    break;
                cp = (cp << 6) | (b & 0x3F);
            }
            if (k <= need) /* truncated or invalid: the bytes read so far are one U+FFFD */
                cp = 0xFFFD;
        }
        p += k;
        if (cp >= 0x10000) { /* surrogate pair */
            cp -= 0x10000;
            h = (h ^ (0xD800 | (cp >> 10))) * FNV_PRIME;
            h = (h ^ (0xDC00 | (cp & 0x3FF))) * FNV_PRIME;
        } else {
            h = (h ^ cp) * FNV_PRIME;
        }
    }
    return h;
}

uint32_t dcx_fnv1a32(const char *s, size_t len) { return dcx_fnv_update(DCX_FNV_OFFSET, s, len); }

/* FNV-1a of the decimal text of v (JavaScript's `v + ""` for a uint32). */
uint32_t dcx_fnv_decimal(uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    uint32_t h = DCX_FNV_OFFSET;
    while (n--)
        h = (h ^ (unsigned char)digits[n]) * FNV_PRIME;
    return h;
}

double dcx_gb_hash(const char *seed, const char *value, int version)
{
    size_t ls = strlen(seed), lv = strlen(value);
    if (version == 2) {
        uint32_t h = dcx_fnv_update(dcx_fnv1a32(seed, ls), value, lv);
        return (double)(dcx_fnv_decimal(h) % 10000) / 10000;
    }
    if (version == 1) {
        uint32_t h = dcx_fnv_update(dcx_fnv1a32(value, lv), seed, ls);
        return (double)(h % 1000) / 1000;
    }
    return NAN;
}
