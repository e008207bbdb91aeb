#include "services/common/call_notes.h"

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace jianyan {
namespace {

struct Notes {
  absl::Mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::string> principal
      ABSL_GUARDED_BY(mu);
};

Notes& AllNotes() {
  static Notes* notes = new Notes();
  return *notes;
}

}  // namespace

void OpenCallNote(const grpc::ServerContextBase* ctx) {
  Notes& n = AllNotes();
  absl::MutexLock lock(&n.mu);
  n.principal[ctx].clear();
}

void NoteCallPrincipal(const grpc::ServerContextBase* ctx,
                       absl::string_view principal_id) {
  Notes& n = AllNotes();
  absl::MutexLock lock(&n.mu);
  auto it = n.principal.find(ctx);
  if (it != n.principal.end()) it->second = std::string(principal_id);
}

std::string CloseCallNote(const grpc::ServerContextBase* ctx) {
  Notes& n = AllNotes();
  absl::MutexLock lock(&n.mu);
  auto it = n.principal.find(ctx);
  if (it == n.principal.end()) return "";
  std::string out = std::move(it->second);
  n.principal.erase(it);
  return out;
}

}  // namespace jianyan
