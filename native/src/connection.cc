#include "connection.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace egret {

namespace {
// Large enough that one read takes a whole instance batch (64 KiB by default) several times over.
constexpr size_t kInitialBytes = 256 * 1024;
}  // namespace

const char* connectionKindName(ConnectionKind kind) {
  switch (kind) {
    case ConnectionKind::kInstance: return "instance";
    case ConnectionKind::kPeerIn: return "peer-in";
    case ConnectionKind::kPeerOut: return "peer-out";
  }
  return "unknown";
}

ReadBuffer::~ReadBuffer() { std::free(data_); }

void ReadBuffer::prepare(size_t minRoom, size_t frameBytes) {
  const size_t live = end_ - begin_;
  // Move the partial frame to the front only when the tail is short: reads then stay large and the bytes moved
  // are a small fraction of those read.
  if (begin_ > 0 && (capacity_ - end_ < minRoom || (frameBytes > 0 && capacity_ - begin_ < frameBytes))) {
    std::memmove(data_, data_ + begin_, live);
    begin_ = 0;
    end_ = live;
  }
  size_t want = live + minRoom;
  if (frameBytes > want) want = frameBytes;
  if (capacity_ - begin_ >= want) return;
  size_t capacity = capacity_ == 0 ? kInitialBytes : capacity_;
  while (capacity < want + begin_) capacity *= 2;
  void* p = std::realloc(data_, capacity);
  if (p == nullptr) {
    std::fprintf(stderr, "egret data path: out of memory growing a read buffer to %zu bytes\n", capacity);
    std::abort();
  }
  data_ = static_cast<uint8_t*>(p);
  capacity_ = capacity;
}

}  // namespace egret
