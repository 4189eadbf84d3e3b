// Keys for acking (PROTOCOL.md §7): one random 64-bit key per routed copy of an anchored tuple, so the generator
// sits on the per-tuple path. xoshiro256** is a few ns per key and statistically sound; it is seeded from the OS
// so two stream managers (or two runs) never share a sequence. Keys only need to be unpredictable enough that
// unrelated edges do not cancel in an XOR, not cryptographically secret.
#pragma once

#include <sys/random.h>

#include <cstdint>
#include <ctime>

namespace egret {

class KeyGenerator {
 public:
  KeyGenerator() {
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) {
      // No entropy source (a very old kernel, a seccomp filter): the clock and this object's address still differ
      // between processes, which is all the XOR scheme needs.
      timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      seed = static_cast<uint64_t>(ts.tv_nsec) ^ (static_cast<uint64_t>(ts.tv_sec) << 30) ^ reinterpret_cast<uintptr_t>(this);
    }
    // splitmix64 spreads one seed over the four words, as xoshiro's authors advise.
    for (uint64_t& word : state_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /** A key for a tuple copy: 0 means "not tracked" on the wire, so it is never one. */
  uint64_t nextKey() {
    uint64_t key;
    do key = next();
    while (key == 0);
    return key;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];
};

}  // namespace egret
