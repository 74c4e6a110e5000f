/* sim_rng.h — the random numbers of the bench's simulations (aa_sim.c, lift_sim.c,
 * inference_sim.c): xoshiro256** seeded by splitmix64, uniforms in (0, 1) and standard
 * normals by Box–Muller. One generator per program (the state is the file's own). */
#ifndef DCX_BENCH_SIM_RNG_H
#define DCX_BENCH_SIM_RNG_H

#include <math.h>
#include <stdint.h>

static uint64_t st[4];

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(void)
{
    uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
    st[2] ^= st[0], st[3] ^= st[1], st[1] ^= st[2], st[0] ^= st[3], st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return r;
}

static void seed(uint64_t s)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        st[i] = z ^ (z >> 31);
    }
}

static double unif(void) { return ((next() >> 11) + 0.5) * 0x1.0p-53; }

static double normal(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }

#endif
