#include "frame.h"

namespace egret {

FrameStatus parseFrame(const uint8_t* data, size_t available, size_t maxFrameBytes, FrameView& out, size_t& needed, std::string& error) {
  needed = 0;
  if (available < 4) return FrameStatus::kIncomplete;
  const uint32_t size = readU32BE(data);
  // Checked before waiting for the body, so a garbage size cannot make us buffer gigabytes.
  if (size > maxFrameBytes) {
    error = "oversized frame: " + std::to_string(size) + " bytes exceeds the limit of " + std::to_string(maxFrameBytes);
    return FrameStatus::kMalformed;
  }
  if (size < kFrameFixedBytes - 4 + 1) {
    error = "malformed frame: size " + std::to_string(size) + " is too small for a frame header";
    return FrameStatus::kMalformed;
  }
  if (available >= 8) {
    const uint32_t typeBytes = readU32BE(data + 4);
    if (typeBytes == 0 || typeBytes > kMaxTypeBytes) {
      error = "malformed frame: type length " + std::to_string(typeBytes) + " is not between 1 and " + std::to_string(kMaxTypeBytes);
      return FrameStatus::kMalformed;
    }
  }
  needed = 4 + static_cast<size_t>(size);
  if (available < needed) return FrameStatus::kIncomplete;

  const uint32_t typeBytes = readU32BE(data + 4);
  const size_t payloadLengthAt = 8 + typeBytes + kRequestIdBytes;
  if (payloadLengthAt + 4 > needed) {
    error = "malformed frame: type length " + std::to_string(typeBytes) + " leaves no room for the header in " + std::to_string(size) + " bytes";
    return FrameStatus::kMalformed;
  }
  const uint32_t payloadBytes = readU32BE(data + payloadLengthAt);
  if (payloadLengthAt + 4 + payloadBytes != needed) {
    error = "malformed frame: payload length " + std::to_string(payloadBytes) + " does not match the frame size " + std::to_string(needed);
    return FrameStatus::kMalformed;
  }
  out.type = Span{data + 8, typeBytes};
  out.requestId = data + 8 + typeBytes;
  out.payload = Span{data + payloadLengthAt + 4, payloadBytes};
  out.totalBytes = needed;
  return FrameStatus::kComplete;
}

uint8_t* writeFrameHeader(uint8_t* out, const char* type, size_t typeBytes, const uint8_t* requestId, size_t payloadBytes) {
  writeU32BE(out, static_cast<uint32_t>(frameHeaderBytes(typeBytes) - 4 + payloadBytes));
  writeU32BE(out + 4, static_cast<uint32_t>(typeBytes));
  std::memcpy(out + 8, type, typeBytes);
  uint8_t* id = out + 8 + typeBytes;
  if (requestId != nullptr) {
    std::memcpy(id, requestId, kRequestIdBytes);
  } else {
    std::memset(id, 0, kRequestIdBytes);
  }
  writeU32BE(id + kRequestIdBytes, static_cast<uint32_t>(payloadBytes));
  return id + kRequestIdBytes + 4;
}

}  // namespace egret
