// Fuzz target: IntakeService.SubmitCase's checks and normalisation on any
// request a terminal could send (the bytes as a serialized
// SubmitCaseRequest), and NormaliseText on the raw bytes. What passes must
// be within the documented limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "jianyan/v1/intake.pb.h"
#include "services/intake/submission.h"
#include "services/intake/text_normalise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::string> text = jianyan::NormaliseText(bytes, "content");
  if (text.ok()) {
    absl::StatusOr<std::string> again = jianyan::NormaliseText(*text, "x");
    if (!again.ok() || *again != *text) std::abort();  // idempotent
  }
  jianyan::v1::SubmitCaseRequest request;
  if (!request.ParseFromString(bytes)) return 0;
  absl::StatusOr<jianyan::v1::Case> c = jianyan::NormaliseSubmission(request);
  if (c.ok()) {
    if (jianyan::CodePoints(c->title()) > 200 ||
        jianyan::CodePoints(c->content()) > 20000 ||
        c->attachments_size() > 20 ||
        c->submitter().representatives_size() > 5) {
      std::abort();
    }
  }
  return 0;
}
