// epoll plus an eventfd: the data thread sleeps in one place, woken by sockets, by a deadline or by JS.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <string>

namespace egret {

class Poller {
 public:
  Poller() = default;
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  /** Creates the epoll and eventfd descriptors; false with `error` when the system refuses. */
  bool open(std::string& error);
  /** Closes both descriptors; the thread that waited on them must have exited. */
  void close();
  bool add(int fd, uint32_t events, void* tag);
  bool modify(int fd, uint32_t events, void* tag);
  void remove(int fd);
  /**
   * Waits up to `timeoutUs` microseconds (-1: forever); returns the number of events in `events`. epoll_pwait2 keeps
   * the microseconds (Linux 5.11); where it is missing, the wait is rounded up to whole milliseconds.
   */
  int wait(epoll_event* events, int maxEvents, int64_t timeoutUs);
  /** Wakes the waiting thread; callable from any thread. */
  void wake();
  /** Clears a wake-up; call when the eventfd's tag is reported. */
  void drainWake();
  /** The tag reported for wake-ups. */
  void* wakeTag() { return &wakeFd_; }

 private:
  int epollFd_ = -1;
  int wakeFd_ = -1;
  /** epoll_pwait2 works here (until it says ENOSYS). */
  bool precise_ = true;
};

}  // namespace egret
