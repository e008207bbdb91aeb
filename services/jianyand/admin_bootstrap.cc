#include "services/jianyand/admin_bootstrap.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/core/token.h"
#include "workflow/textproto.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

absl::Status FileError(const std::string& path, absl::string_view what) {
  return absl::InternalError(absl::StrCat("admin token ", path, ": ", what,
                                          ": ", std::strerror(errno)));
}

absl::Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileError(dir, "cannot open the directory");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return FileError(dir, "cannot fsync the directory");
  return absl::OkStatus();
}

// Creates `path` (O_EXCL, 0600) holding `token` and a newline, durably.
absl::Status WriteTokenFile(const std::string& dir, const std::string& path,
                            const std::string& token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return FileError(path, "cannot create");
  const std::string text = token + "\n";
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status s = FileError(path, "cannot write");
      ::close(fd);
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status s = FileError(path, "cannot fsync");
    ::close(fd);
    return s;
  }
  ::close(fd);
  return SyncDirectory(dir);
}

absl::Status PutAdmin(storage::CaseStore& store, const std::string& token,
                      const Clock& clock) {
  jianyan::v1::Principal admin;
  admin.set_id(kAdminPrincipalId);
  admin.set_role(jianyan::v1::ROLE_ADMIN);
  admin.set_display_name("administrator");
  *admin.mutable_create_time() = ToProto(clock.Now());
  admin.set_token_hash(HashToken(token));
  absl::Status s = store.PutPrincipal(admin);
  if (!s.ok()) {
    return absl::Status(s.code(),
                        absl::StrCat("store: principal admin: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BootstrapAdmin(const std::string& data_dir,
                            storage::CaseStore& store, const Clock& clock) {
  auto existing = store.GetPrincipal(kAdminPrincipalId);
  if (existing.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(existing.status())) {
    return absl::Status(
        existing.status().code(),
        absl::StrCat("store: principal admin: ", existing.status().message()));
  }

  const std::string path = data_dir + "/" + kAdminTokenFile;
  if (::access(path.c_str(), F_OK) == 0) {
    auto text = ReadFileToString(path);
    if (!text.ok()) return FileError(path, "cannot read");
    const std::string token(absl::StripAsciiWhitespace(*text));
    if (IsWellFormedToken(token)) {
      // The previous start died after writing the file, before the
      // principal: finish its work with the same token.
      if (absl::Status s = PutAdmin(store, token, clock); !s.ok()) return s;
      LogInfo("principal admin created from the token in ", path);
      return absl::OkStatus();
    }
    LogWarning("admin token ", path,
               " is malformed and no principal admin exists (a first start "
               "was cut short): replacing it");
    if (::unlink(path.c_str()) != 0) return FileError(path, "cannot remove");
  } else if (errno != ENOENT) {
    return FileError(path, "cannot check");
  }

  const std::string token = GenerateToken();
  if (absl::Status s = WriteTokenFile(data_dir, path, token); !s.ok()) {
    return s;
  }
  if (absl::Status s = PutAdmin(store, token, clock); !s.ok()) return s;
  LogInfo("principal admin created; its bearer token is in ", path,
          " (mode 0600)");
  return absl::OkStatus();
}

}  // namespace jianyan
