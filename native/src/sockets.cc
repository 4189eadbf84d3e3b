#include "sockets.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

namespace egret {

namespace {

constexpr int kBacklog = 512;

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool startsWith(const std::string& text, const char* prefix) { return text.compare(0, std::strlen(prefix), prefix) == 0; }

void setNoDelay(int fd) {
  // Batches are large already; Nagle would only hold back the small control frames.
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

namespace {

int bindUnix(const sockaddr_un& address, socklen_t length, std::string& error, const std::string& endpoint) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errnoText("socket");
    return -1;
  }
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0 || listen(fd, kBacklog) != 0) {
    error = "cannot listen at " + endpoint + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

bool listenLocal(const std::string& endpoint, Listener& out, Listener& alias, std::string& error) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t maxPath = sizeof(address.sun_path) - 1;
  if (startsWith(endpoint, "unix-abstract:")) {
    const std::string name = endpoint.substr(std::strlen("unix-abstract:"));
    if (name.empty() || name.size() > maxPath) {
      error = "local endpoint " + endpoint + ": an abstract name has 1 to " + std::to_string(maxPath) + " bytes";
      return false;
    }
    // Abstract names start with a NUL byte; the address length, not a terminator, says where they end.
    std::memcpy(address.sun_path + 1, name.data(), name.size());
    out.fd = bindUnix(address, sizeof address, error, endpoint);
    if (out.fd < 0) return false;
    std::string ignored;
    alias.fd = bindUnix(address, static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size()), ignored, endpoint);
    return true;
  }
  if (startsWith(endpoint, "unix:")) {
    const std::string path = endpoint.substr(std::strlen("unix:"));
    if (path.empty() || path[0] != '/' || path.size() > maxPath) {
      error = "local endpoint " + endpoint + ": a socket file path is absolute and has at most " + std::to_string(maxPath) + " bytes";
      return false;
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    // A socket file left by a process that died would make bind fail; anything else at that path is not ours.
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path.c_str());
    out.fd = bindUnix(address, static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1), error, endpoint);
    if (out.fd < 0) return false;
    out.unlinkPath = path;
    return true;
  }
  error = "local endpoint " + endpoint + " is neither unix:/path nor unix-abstract:name";
  return false;
}

bool listenTcp(const std::string& host, int port, Listener& out, int& boundPort, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int status = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (status != 0) {
    error = "cannot resolve data host " + host + ": " + gai_strerror(status);
    return false;
  }
  int fd = -1;
  std::string lastError = "no address";
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, kBacklog) != 0) {
      lastError = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    error = "cannot listen on " + host + ":" + service + ": " + lastError;
    return false;
  }
  sockaddr_storage bound{};
  socklen_t boundLength = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
  boundPort = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port) : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  out.fd = fd;
  return true;
}

void closeListener(Listener& listener) {
  if (listener.fd < 0) return;
  ::close(listener.fd);
  listener.fd = -1;
  if (!listener.unlinkPath.empty()) unlink(listener.unlinkPath.c_str());
}

int acceptConnection(int listenFd, bool tcp) {
  for (;;) {
    const int fd = accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      if (tcp) setNoDelay(fd);
      return fd;
    }
    // A connection that died in the backlog is not a reason to stop accepting the others.
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    return -1;
  }
}

int connectTcp(const std::string& host, int port, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int status = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (status != 0) {
    error = "cannot resolve " + host + ": " + gai_strerror(status);
    return -1;
  }
  // One address per attempt, IPv4 first: "localhost" may resolve to ::1 first while peers listen on 127.0.0.1.
  const addrinfo* chosen = found;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  }
  int fd = socket(chosen->ai_family, chosen->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, chosen->ai_protocol);
  if (fd < 0) {
    error = errnoText("socket");
  } else if (connect(fd, chosen->ai_addr, chosen->ai_addrlen) != 0 && errno != EINPROGRESS) {
    error = "cannot connect to " + host + ":" + service + ": " + std::strerror(errno);
    ::close(fd);
    fd = -1;
  } else {
    setNoDelay(fd);
  }
  freeaddrinfo(found);
  return fd;
}

int connectResult(int fd) {
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0) return errno;
  return value;
}

}  // namespace egret
