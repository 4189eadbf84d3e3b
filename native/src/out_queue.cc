#include "out_queue.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

namespace egret {

namespace {
// Enough blocks per call to send several batches at once; IOV_MAX is 1024.
constexpr size_t kMaxIov = 64;
}  // namespace

void OutQueue::pushBack(Buf* buf) {
  if (count_ == ring_.size()) {
    std::vector<Buf*> bigger(ring_.size() * 2, nullptr);
    for (size_t i = 0; i < count_; ++i) bigger[i] = at(i);
    ring_.swap(bigger);
    head_ = 0;
  }
  ring_[(head_ + count_) % ring_.size()] = buf;
  ++count_;
}

void OutQueue::popFront() {
  pool_.release(ring_[head_]);
  ring_[head_] = nullptr;
  head_ = (head_ + 1) % ring_.size();
  --count_;
}

void OutQueue::push(Buf* buf) {
  const size_t size = buf->size();
  if (size == 0) {
    pool_.release(buf);
    return;
  }
  queued_ += size;
  // Behind bytes the socket has not taken yet, a batch joins the tail block when it fits. A slow reader's queue
  // then costs about its bytes in memory, not a block per batch (drain ticks make many small batches).
  if (count_ > 0) {
    Buf* tail = at(count_ - 1);
    if (tail->room() >= size) {
      std::memcpy(tail->data + tail->end, buf->data + buf->begin, size);
      tail->end += size;
      pool_.release(buf);
      return;
    }
  }
  pushBack(buf);
}

uint8_t* OutQueue::reserve(size_t bytes) {
  if (count_ > 0) {
    Buf* tail = at(count_ - 1);
    if (tail->room() >= bytes) {
      reserved_ = bytes;
      return tail->data + tail->end;
    }
  }
  Buf* buf = pool_.acquire(bytes);
  pushBack(buf);
  reserved_ = bytes;
  return buf->data;
}

void OutQueue::commit(size_t bytes) {
  Buf* tail = at(count_ - 1);
  tail->end += bytes <= reserved_ ? bytes : reserved_;
  queued_ += bytes;
  reserved_ = 0;
}

OutQueue::WriteResult OutQueue::writeTo(int fd, size_t& written, int& error) {
  written = 0;
  while (queued_ > 0) {
    iovec iov[kMaxIov];
    size_t n = 0;
    for (size_t i = 0; i < count_ && n < kMaxIov; ++i) {
      Buf* buf = at(i);
      if (buf->size() == 0) continue;
      iov[n].iov_base = buf->data + buf->begin;
      iov[n].iov_len = buf->size();
      ++n;
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    const ssize_t sent = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return WriteResult::kBlocked;
      error = errno;
      return WriteResult::kFailed;
    }
    size_t left = static_cast<size_t>(sent);
    written += left;
    queued_ -= left;
    while (left > 0 || (count_ > 0 && at(0)->size() == 0)) {
      Buf* front = at(0);
      const size_t take = left < front->size() ? left : front->size();
      front->begin += take;
      left -= take;
      if (front->size() > 0) break;
      popFront();
      if (count_ == 0) break;
    }
  }
  return WriteResult::kDrained;
}

void OutQueue::clear() {
  while (count_ > 0) popFront();
  queued_ = 0;
  head_ = 0;
}

}  // namespace egret
