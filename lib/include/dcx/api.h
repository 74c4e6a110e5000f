/* api.h — DCX_API marks what libdcx exports. The library is built with
 * -fvisibility=hidden, so only declarations in these public headers that carry DCX_API
 * are visible to programs that link libdcx.so; everything else stays inside. */
#ifndef DCX_API_H
#define DCX_API_H

#if defined(__GNUC__) || defined(__clang__)
#define DCX_API __attribute__((visibility("default")))
#else
#define DCX_API
#endif

#endif
