// Fuzz target: the partial parses of stored records (storage/record_views.h)
// against protobuf's own parse of the same bytes. Whatever protobuf parses
// as a StoredCase, the outline parses too and equals it without the fields
// it leaves out; likewise an event's step. Unknown fields are set aside on
// both sides (a left-out field number with another wire type is one).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "google/protobuf/util/message_differencer.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/records.pb.h"
#include "storage/record_views.h"

namespace {

using google::protobuf::util::MessageDifferencer;

void CheckOutline(absl::string_view bytes) {
  jianyan::v1::StoredCase full;
  if (!full.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  jianyan::v1::StoredCase outline;
  if (!jianyan::storage::ParseCaseOutline(bytes, &outline)) std::abort();
  if (full.has_case_()) {  // mutable_case_() alone would set it
    jianyan::v1::Case& c = *full.mutable_case_();
    c.clear_submitter();
    c.clear_title();
    c.clear_content();
    c.clear_attachments();
  }
  full.DiscardUnknownFields();
  outline.DiscardUnknownFields();
  if (!MessageDifferencer::Equals(outline, full)) std::abort();
}

void CheckStep(absl::string_view bytes) {
  jianyan::v1::StoredEvent stored;
  jianyan::v1::Event whole;
  if (!jianyan::storage::ParseStoredEvent(bytes, &whole) ||
      !stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  jianyan::v1::Event step;
  if (!jianyan::storage::ParseEventStep(bytes, &step)) {
    // Only a value without any event bytes has no step.
    if (!stored.event().empty()) std::abort();
    return;
  }
  jianyan::v1::Event want;
  want.set_case_number(whole.case_number());
  want.set_seq(whole.seq());
  want.set_action(whole.action());
  if (whole.has_action_label())
    *want.mutable_action_label() = whole.action_label();
  if (whole.has_time()) *want.mutable_time() = whole.time();
  want.set_from_state(whole.from_state());
  want.set_to_state(whole.to_state());
  want.DiscardUnknownFields();
  step.DiscardUnknownFields();
  if (!MessageDifferencer::Equals(step, want)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  CheckOutline(bytes);
  CheckStep(bytes);
  return 0;
}
