// The fields grouping hash (PROTOCOL.md §4): FNV-1a 64 over, per grouping field in order, the value's length as
// a u32 little-endian then its bytes, finished with MurmurHash3's 64-bit finalizer. Stable across machines and runs
// because it sees only the value bytes. The finalizer matters: FNV-1a's low bits are weak (its lowest bit is the
// parity of the bytes' lowest bits), and `h mod n` reads mostly low bits, so without it keys such as w-1, w-2, ...
// crowd onto a few tasks.
#pragma once

#include <vector>

#include "wire.h"

namespace egret {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

inline uint64_t fnv1a(uint64_t hash, const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= kFnvPrime;
  }
  return hash;
}

/** MurmurHash3's fmix64: spreads every input bit over every output bit. */
inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

/** The hash of the fields at `indices` of `values`; every index must be in range. */
inline uint64_t fieldsHash(const std::vector<Span>& values, const std::vector<uint32_t>& indices) {
  uint64_t hash = kFnvOffset;
  for (uint32_t index : indices) {
    const Span& value = values[index];
    const uint32_t length = static_cast<uint32_t>(value.size);
    const uint8_t le[4] = {static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 24)};
    hash = fnv1a(hash, le, 4);
    hash = fnv1a(hash, value.data, value.size);
  }
  return fmix64(hash);
}

}  // namespace egret
