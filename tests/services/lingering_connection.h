// LingeringConnection: a client connection that completes the HTTP/2
// handshake, acknowledges the server's SETTINGS, and then neither answers
// its PINGs nor closes, not even after a GOAWAY: what an idle gRPC channel
// looks like to a server while no thread of its client polls it (a sync
// client between calls), or a proxy holding a pooled connection. gRPC's
// graceful shutdown sends a GOAWAY and a PING and waits for the PING's
// answer, or 20 s, before its final GOAWAY; until then the connection holds
// the server's shutdown.
#ifndef JIANYAN_TESTS_SERVICES_LINGERING_CONNECTION_H_
#define JIANYAN_TESTS_SERVICES_LINGERING_CONNECTION_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace jianyan::testing {

// Half of the 20 s that gRPC's graceful GOAWAY waits for its PING's answer
// (chttp2 transport) before it closes such a connection itself. A server
// that closes idle connections once no call is left does so in
// milliseconds; one that waits for gRPC takes 20 s.
inline constexpr absl::Duration kSoonerThanGrpc = absl::Seconds(10);

class LingeringConnection {
 public:
  // Connects to 127.0.0.1:`port` and waits (at most a minute) for the
  // server's SETTINGS, which it acknowledges: established() says whether
  // the server took the connection.
  explicit LingeringConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      closed_.Notify();
      return;
    }
    // The client preface and an empty SETTINGS frame.
    Send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + Frame(4, 0, ""));
    reader_ = std::thread([this] { Answer(); });
    established_ = settled_.WaitForNotificationWithTimeout(absl::Seconds(60)) &&
                   got_settings_.load();
  }
  ~LingeringConnection() {
    if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
    if (reader_.joinable()) reader_.join();
    if (fd_ >= 0) close(fd_);
  }
  LingeringConnection(const LingeringConnection&) = delete;
  LingeringConnection& operator=(const LingeringConnection&) = delete;

  bool established() const { return established_; }
  // Whether the server closed the connection within `timeout`.
  bool WaitForClose(absl::Duration timeout) {
    return closed_.WaitForNotificationWithTimeout(timeout);
  }

 private:
  static std::string Frame(uint8_t type, uint8_t flags,
                           const std::string& payload) {
    const size_t n = payload.size();
    std::string f = {static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8),
                     static_cast<char>(n),
                     static_cast<char>(type),
                     static_cast<char>(flags),
                     0,
                     0,
                     0,
                     0};
    return f + payload;
  }
  // A failed write shows as the server's close in Answer(); MSG_NOSIGNAL:
  // a reset connection must not raise SIGPIPE in the test.
  void Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n =
          send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }
  bool ReadExactly(std::string* out, size_t n) {
    out->resize(n);
    size_t got = 0;
    while (got < n) {
      const ssize_t r = read(fd_, out->data() + got, n - got);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }
  // Acknowledges SETTINGS and ignores every other frame until the server
  // closes the connection.
  void Answer() {
    constexpr uint8_t kSettings = 4, kAck = 1;
    std::string header, payload;
    while (ReadExactly(&header, 9)) {
      const size_t length = (static_cast<uint8_t>(header[0]) << 16) |
                            (static_cast<uint8_t>(header[1]) << 8) |
                            static_cast<uint8_t>(header[2]);
      if (!ReadExactly(&payload, length)) break;
      const uint8_t type = static_cast<uint8_t>(header[3]);
      const bool ack = (static_cast<uint8_t>(header[4]) & kAck) != 0;
      if (type == kSettings && !ack) {
        Send(Frame(kSettings, kAck, ""));
        got_settings_.store(true);
        if (!settled_.HasBeenNotified()) settled_.Notify();
      }
    }
    if (!settled_.HasBeenNotified()) settled_.Notify();
    closed_.Notify();
  }

  int fd_ = -1;
  bool established_ = false;
  std::atomic<bool> got_settings_{false};
  std::thread reader_;
  absl::Notification settled_;  // the server's SETTINGS came, or the end
  absl::Notification closed_;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_LINGERING_CONNECTION_H_
