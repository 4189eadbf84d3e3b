// Socket set-up: the local endpoint (PROTOCOL.md §2.1), the TCP data port, and outgoing peer connections. All
// sockets are non-blocking and close-on-exec.
#pragma once

#include <string>

namespace egret {

/** A listening socket; for a socket file, the path to unlink when it closes. */
struct Listener {
  int fd = -1;
  std::string unlinkPath;
};

/**
 * Listens at `unix:/path` or `unix-abstract:name`. False with `error` on a bad endpoint or a bind failure. An
 * abstract name is bound twice, as two kernel addresses: NUL-padded to the whole sun_path (`out`: what Node 20's
 * net module connects to for a path starting with a NUL byte) and exactly as long as the name (`alias`: what most
 * other clients, and newer libuv, use). A failure to bind the alias is not an error.
 */
bool listenLocal(const std::string& endpoint, Listener& out, Listener& alias, std::string& error);
/** Listens on TCP; `port` 0 lets the OS choose; `boundPort` is the port in use. */
bool listenTcp(const std::string& host, int port, Listener& out, int& boundPort, std::string& error);
void closeListener(Listener& listener);

/** Accepts one connection, or -1 (EAGAIN and friends: nothing more to accept now). */
int acceptConnection(int listenFd, bool tcp);

/**
 * Starts connecting to host:port. Returns the socket (connection in progress or done) or -1 with `error`.
 * Resolves `host` with getaddrinfo: numeric addresses and /etc/hosts names do not block; DNS names may.
 */
int connectTcp(const std::string& host, int port, std::string& error);
/** After a connecting socket reports writable: 0 when connected, else the errno. */
int connectResult(int fd);

}  // namespace egret
