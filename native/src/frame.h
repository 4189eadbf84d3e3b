// Heron's frame layout (PROTOCOL.md §1): u32 size, u32 type_len, type, 32-byte request id, u32 payload_len,
// payload. Big-endian.
#pragma once

#include <string>

#include "wire.h"

namespace egret {

constexpr size_t kRequestIdBytes = 32;
constexpr uint32_t kMaxTypeBytes = 256;
/** size + type_len + request id + payload_len: a frame is at least this plus a one-byte type. */
constexpr size_t kFrameFixedBytes = 4 + 4 + kRequestIdBytes + 4;

struct FrameView {
  Span type;
  const uint8_t* requestId = nullptr;
  Span payload;
  /** Bytes of the whole frame, size field included. */
  size_t totalBytes = 0;
};

enum class FrameStatus { kIncomplete, kComplete, kMalformed };

/**
 * Looks for one frame at the start of `data`. kIncomplete sets `needed` to the bytes the whole frame takes once its
 * size is known (0 before); kMalformed sets `error` to why.
 */
FrameStatus parseFrame(const uint8_t* data, size_t available, size_t maxFrameBytes, FrameView& out, size_t& needed, std::string& error);

inline size_t frameHeaderBytes(size_t typeBytes) { return kFrameFixedBytes + typeBytes; }

/** Writes a frame's header for a payload of `payloadBytes`; returns where the payload goes. A null id is all zero. */
uint8_t* writeFrameHeader(uint8_t* out, const char* type, size_t typeBytes, const uint8_t* requestId, size_t payloadBytes);

}  // namespace egret
