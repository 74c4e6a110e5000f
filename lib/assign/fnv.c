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

/* The number of decimal digits of v. */
static int digits(uint32_t v)
{
    if (v >= 100000u) {
        if (v >= 10000000u)
            return v >= 1000000000u ? 10 : v >= 100000000u ? 9 : 8;
        return v >= 1000000u ? 7 : 6;
    }
    if (v >= 1000u)
        return v >= 10000u ? 5 : 4;
    return v >= 100u ? 3 : v >= 10u ? 2 : 1;
}

/* Writes the decimal text of v, most significant digit first; returns its length. The
 * length is known first, so the digits go straight to their places, two per division. */
static int decimal(uint32_t v, unsigned char *d)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    int n = digits(v), i = n;
    while (v >= 100) {
        uint32_t r = v % 100;
        v /= 100;
        d[--i] = (unsigned char)pairs[2 * r + 1];
        d[--i] = (unsigned char)pairs[2 * r];
    }
    if (v >= 10) {
        d[1] = (unsigned char)pairs[2 * v + 1];
        d[0] = (unsigned char)pairs[2 * v];
    } else {
        d[0] = (unsigned char)('0' + v);
    }
    return n;
}

/* FNV-1a of the decimal text of v (JavaScript's `v + ""` for a uint32). */
uint32_t dcx_fnv_decimal(uint32_t v)
{
    unsigned char d[10];
    int n = decimal(v, d);
    uint32_t h = DCX_FNV_OFFSET;
    for (int i = 0; i < n; i++)
        h = (h ^ d[i]) * FNV_PRIME;
    return h;
}

void dcx_fnv_decimal4(uint32_t v0, uint32_t v1, uint32_t v2, uint32_t v3, uint32_t out[4])
{
    unsigned char d0[10], d1[10], d2[10], d3[10];
    int n0 = decimal(v0, d0), n1 = decimal(v1, d1), n2 = decimal(v2, d2), n3 = decimal(v3, d3);
    int m = n0 < n1 ? n0 : n1;
    m = m < n2 ? m : n2;
    m = m < n3 ? m : n3;
    uint32_t h0 = DCX_FNV_OFFSET, h1 = h0, h2 = h0, h3 = h0;
    for (int j = 0; j < m; j++) {
        h0 = (h0 ^ d0[j]) * FNV_PRIME;
        h1 = (h1 ^ d1[j]) * FNV_PRIME;
        h2 = (h2 ^ d2[j]) * FNV_PRIME;
        h3 = (h3 ^ d3[j]) * FNV_PRIME;
    }
    for (int j = m; j < n0; j++)
        h0 = (h0 ^ d0[j]) * FNV_PRIME;
    for (int j = m; j < n1; j++)
        h1 = (h1 ^ d1[j]) * FNV_PRIME;
    for (int j = m; j < n2; j++)
        h2 = (h2 ^ d2[j]) * FNV_PRIME;
    for (int j = m; j < n3; j++)
        h3 = (h3 ^ d3[j]) * FNV_PRIME;
    out[0] = h0, out[1] = h1, out[2] = h2, out[3] = h3;
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
