// Protobuf wire format, by hand: the data path reads and writes only the few messages of PROTOCOL.md §3, and
// only their framing fields, so a handful of inline primitives beat a protobuf library on the per-tuple path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace egret {

/** A view of bytes owned by someone else. */
struct Span {
  const uint8_t* data = nullptr;
  size_t size = 0;

  bool equals(const char* text, size_t length) const { return size == length && std::memcmp(data, text, length) == 0; }
};

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

/** Reads fields from one message's bytes. Every read checks bounds; a false return means malformed input. */
class WireReader {
 public:
  WireReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  explicit WireReader(Span span) : WireReader(span.data, span.size) {}

  bool atEnd() const { return p_ >= end_; }
  const uint8_t* position() const { return p_; }

  bool readVarint(uint64_t& value) {
    // One byte is the common case (tags, small lengths, task ids).
    if (p_ < end_ && *p_ < 0x80) {
      value = *p_++;
      return true;
    }
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      uint8_t byte = *p_++;
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        value = result;
        return true;
      }
    }
    return false;
  }

  bool readTag(uint32_t& field, uint32_t& wireType) {
    uint64_t tag;
    if (!readVarint(tag) || tag > 0xffffffffu) return false;
    field = static_cast<uint32_t>(tag >> 3);
    wireType = static_cast<uint32_t>(tag & 7);
    return field != 0;
  }

  bool readFixed64(uint64_t& value) {
    if (end_ - p_ < 8) return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p_[i];
    p_ += 8;
    value = v;
    return true;
  }

  bool readBytes(Span& out) {
    uint64_t length;
    if (!readVarint(length) || length > static_cast<uint64_t>(end_ - p_)) return false;
    out.data = p_;
    out.size = static_cast<size_t>(length);
    p_ += length;
    return true;
  }

  /** int32 fields are varints; negative values arrive sign-extended to ten bytes. */
  bool readInt32(int32_t& value) {
    uint64_t v;
    if (!readVarint(v)) return false;
    value = static_cast<int32_t>(static_cast<uint32_t>(v));
    return true;
  }

  bool skip(uint32_t wireType) {
    uint64_t ignored;
    Span span;
    switch (wireType) {
      case kVarint: return readVarint(ignored);
      case kFixed64: return advance(8);
      case kLengthDelimited: return readBytes(span);
      case kFixed32: return advance(4);
      default: return false;  // groups (3, 4) are not used by any message we read
    }
  }

 private:
  bool advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

inline size_t varintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

inline uint8_t* writeVarint(uint8_t* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<uint8_t>(value);
  return out;
}

/** int32 as protobuf encodes it: negative values sign-extended to 64 bits. */
inline uint64_t int32Wire(int32_t value) { return static_cast<uint64_t>(static_cast<int64_t>(value)); }

inline uint8_t* writeTag(uint8_t* out, uint32_t field, WireType type) { return writeVarint(out, (field << 3) | type); }

inline uint8_t* writeBytesField(uint8_t* out, uint32_t field, const void* data, size_t size) {
  out = writeTag(out, field, kLengthDelimited);
  out = writeVarint(out, size);
  std::memcpy(out, data, size);
  return out + size;
}

/** fixed64 and sfixed64: eight bytes, little-endian. */
inline uint8_t* writeFixed64(uint8_t* out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
  return out + 8;
}

inline void writeU32BE(uint8_t* out, uint32_t value) {
  out[0] = static_cast<uint8_t>(value >> 24);
  out[1] = static_cast<uint8_t>(value >> 16);
  out[2] = static_cast<uint8_t>(value >> 8);
  out[3] = static_cast<uint8_t>(value);
}

inline uint32_t readU32BE(const uint8_t* in) {
  return (static_cast<uint32_t>(in[0]) << 24) | (static_cast<uint32_t>(in[1]) << 16) | (static_cast<uint32_t>(in[2]) << 8) | in[3];
}

}  // namespace egret
