#include "poller.h"

#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace egret {

Poller::~Poller() { close(); }

void Poller::close() {
  if (wakeFd_ >= 0) ::close(wakeFd_);
  if (epollFd_ >= 0) ::close(epollFd_);
  wakeFd_ = epollFd_ = -1;
}

bool Poller::open(std::string& error) {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epollFd_ < 0) {
    error = std::string("epoll_create1 failed: ") + std::strerror(errno);
    return false;
  }
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd_ < 0) {
    error = std::string("eventfd failed: ") + std::strerror(errno);
    return false;
  }
  if (!add(wakeFd_, EPOLLIN, wakeTag())) {
    error = std::string("epoll_ctl failed: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool Poller::add(int fd, uint32_t events, void* tag) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = tag;
  return epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool Poller::modify(int fd, uint32_t events, void* tag) {
  epoll_event event{};
  event.events = events;
  event.data.ptr = tag;
  return epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &event) == 0;
}

void Poller::remove(int fd) { epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr); }

int Poller::wait(epoll_event* events, int maxEvents, int64_t timeoutUs) {
  int n;
  if (timeoutUs < 0) {
    n = epoll_wait(epollFd_, events, maxEvents, -1);
  } else {
    if (precise_) {
      const timespec timeout{static_cast<time_t>(timeoutUs / 1000000), static_cast<long>((timeoutUs % 1000000) * 1000)};
      n = epoll_pwait2(epollFd_, events, maxEvents, &timeout, nullptr);
      if (n >= 0 || errno != ENOSYS) return n < 0 ? 0 : n;
      precise_ = false;
    }
    n = epoll_wait(epollFd_, events, maxEvents, static_cast<int>((timeoutUs + 999) / 1000));
  }
  return n < 0 ? 0 : n;  // EINTR: the caller loops anyway
}

void Poller::wake() {
  const uint64_t one = 1;
  // A full counter (EAGAIN) still means "wake up", which is all we need.
  ssize_t ignored = ::write(wakeFd_, &one, sizeof one);
  (void)ignored;
}

void Poller::drainWake() {
  uint64_t value;
  ssize_t ignored = ::read(wakeFd_, &value, sizeof value);
  (void)ignored;
}

}  // namespace egret
