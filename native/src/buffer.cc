#include "buffer.h"

#include <cstdio>
#include <cstring>

namespace egret {

namespace {
void* allocOrDie(void* old, size_t bytes) {
  void* p = std::realloc(old, bytes);
  if (p == nullptr) {
    std::fprintf(stderr, "egret data path: out of memory allocating %zu bytes\n", bytes);
    std::abort();
  }
  return p;
}
}  // namespace

BufferPool::~BufferPool() {
  for (Buf* buf : free_) {
    std::free(buf->data);
    delete buf;
  }
}

Buf* BufferPool::acquire(size_t minBytes) {
  if (minBytes <= blockBytes_ && !free_.empty()) {
    Buf* buf = free_.back();
    free_.pop_back();
    buf->begin = buf->end = 0;
    return buf;
  }
  Buf* buf = new Buf();
  buf->capacity = minBytes <= blockBytes_ ? blockBytes_ : minBytes;
  buf->data = static_cast<uint8_t*>(allocOrDie(nullptr, buf->capacity));
  return buf;
}

void BufferPool::release(Buf* buf) {
  if (buf->capacity == blockBytes_ && free_.size() < maxFree_) {
    free_.push_back(buf);
    return;
  }
  std::free(buf->data);
  delete buf;
}

void BufferPool::grow(Buf* buf, size_t minBytes) {
  if (buf->capacity >= minBytes) return;
  size_t capacity = buf->capacity * 2;
  if (capacity < minBytes) capacity = minBytes;
  buf->data = static_cast<uint8_t*>(allocOrDie(buf->data, capacity));
  buf->capacity = capacity;
}

}  // namespace egret
