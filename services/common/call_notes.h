// CallNotes: what a handler learns about a call that the access log (the
// metrics interceptor, services/metrics/grpc_interceptor.h) writes when
// the call ends: the authenticated principal. The interceptor opens a note
// per call of the public server; the handler's authentication step fills
// it in; the interceptor takes it when the status goes out. Calls without
// an open note (the internal in-process server) are ignored.
//
// Thread-safety: safe for concurrent use (one mutex over a small map).
#ifndef JIANYAN_SERVICES_COMMON_CALL_NOTES_H_
#define JIANYAN_SERVICES_COMMON_CALL_NOTES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace jianyan {

// Starts the note of `ctx`'s call.
void OpenCallNote(const grpc::ServerContextBase* ctx);
// Records the principal of `ctx`'s call if its note is open.
void NoteCallPrincipal(const grpc::ServerContextBase* ctx,
                       absl::string_view principal_id);
// Ends the note; returns the principal recorded ("" when none).
std::string CloseCallNote(const grpc::ServerContextBase* ctx);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_CALL_NOTES_H_
