#include "services/intake/derived_query_code.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/hmac_sha256.h"
#include "workflow/query_code.h"

namespace jianyan {
namespace {

std::string Hmac(absl::string_view secret, absl::string_view label,
                 absl::string_view principal_id, absl::string_view request_id) {
  return HmacSha256(secret,
                    absl::StrCat(label, std::string(1, '\0'), principal_id,
                                 std::string(1, '\0'), request_id));
}

uint64_t BigEndian64(absl::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return v;
}

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

DerivedQueryCode DeriveQueryCode(absl::string_view secret,
                                 absl::string_view principal_id,
                                 absl::string_view request_id) {
  // One HMAC, two independent parts of it: bytes 0..7 make the code,
  // bytes 8..23 the salt (public anyway: it is stored in clear beside the
  // digest, and knowing it tells nothing of the other bytes).
  const std::string mac = Hmac(secret, "query-code", principal_id, request_id);
  static_assert(8 + kQueryCodeSaltBytes <= 32, "SHA-256 has 32 bytes");
  // 2^64 mod 10^8 is negligible beside 2^64: the code is uniform enough.
  const uint64_t n = BigEndian64(mac) % 100000000u;
  DerivedQueryCode out;
  out.code = absl::StrFormat("%04u-%04u", static_cast<unsigned>(n / 10000),
                             static_cast<unsigned>(n % 10000));
  // The code and the salt are well-formed by construction.
  out.stored_hash = *HashQueryCodeWithSalt(
      out.code, absl::string_view(mac).substr(8, kQueryCodeSaltBytes));
  return out;
}

absl::StatusOr<std::string> LoadOrCreateSecretFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    std::string secret(kQueryCodeSecretBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) != 1) {
      return absl::InternalError("query-code secret: no randomness");
    }
    int out =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) return Errno("cannot create", path);
    const bool written = ::write(out, secret.data(), secret.size()) ==
                             static_cast<ssize_t>(secret.size()) &&
                         ::fsync(out) == 0;
    ::close(out);
    if (!written) return Errno("cannot write", path);
    return secret;
  }
  if (fd < 0) return Errno("cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Errno("cannot stat", path);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": must not be readable by group or others (0600)"));
  }
  std::string secret(kQueryCodeSecretBytes + 1, '\0');
  ssize_t n = ::read(fd, secret.data(), secret.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kQueryCodeSecretBytes)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": must hold exactly ", kQueryCodeSecretBytes, " bytes"));
  }
  secret.resize(kQueryCodeSecretBytes);
  return secret;
}

}  // namespace jianyan
