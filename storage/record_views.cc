#include "storage/record_views.h"

#include <cstdint>
#include <string>

#include "storage/wire_fields.h"

namespace jianyan::storage {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Event;
using jianyan::v1::StoredCase;
using jianyan::v1::StoredEvent;

bool InCaseOutline(uint32_t number) {
  return number != Case::kSubmitterFieldNumber &&
         number != Case::kTitleFieldNumber &&
         number != Case::kContentFieldNumber &&
         number != Case::kAttachmentsFieldNumber;
}

bool InEventStep(uint32_t number) {
  switch (number) {
    case Event::kCaseNumberFieldNumber:
    case Event::kSeqFieldNumber:
    case Event::kActionFieldNumber:
    case Event::kActionLabelFieldNumber:
    case Event::kTimeFieldNumber:
    case Event::kFromStateFieldNumber:
    case Event::kToStateFieldNumber:
      return true;
    default:
      return false;
  }
}

// Rewrites the length-delimited field `number` of the serialized message
// `in` through `keep` (its own top-level fields), copying every other field.
bool FilterNested(absl::string_view in, uint32_t number,
                  absl::FunctionRef<bool(uint32_t)> keep, std::string* out) {
  bool nested_ok = true;
  std::string inner;
  const bool ok = ForEachWireField(in, [&](const WireField& f) {
    if (f.number != number || f.wire_type != 2) {
      out->append(f.whole.data(), f.whole.size());
      return;
    }
    inner.clear();
    nested_ok = nested_ok && KeepWireFields(f.payload, keep, &inner);
    AppendLengthDelimited(number, inner, out);
  });
  return ok && nested_ok;
}

// The last occurrence of StoredEvent.event (protobuf's rule for a repeated
// singular field), or false when there is none or the value is malformed.
bool EventBytes(absl::string_view stored_event, absl::string_view* event) {
  bool found = false;
  const bool ok = ForEachWireField(stored_event, [&](const WireField& f) {
    if (f.number == StoredEvent::kEventFieldNumber && f.wire_type == 2) {
      *event = f.payload;
      found = true;
    }
  });
  return ok && found;
}

}  // namespace

bool ParseCaseOutline(absl::string_view stored_case, StoredCase* out) {
  std::string outline;
  outline.reserve(stored_case.size());
  if (!FilterNested(stored_case, StoredCase::kCaseFieldNumber, InCaseOutline,
                    &outline)) {
    return false;
  }
  return out->ParseFromString(outline);
}

bool ParseStoredEvent(absl::string_view stored_event, Event* out) {
  StoredEvent stored;
  return stored.ParseFromArray(stored_event.data(),
                               static_cast<int>(stored_event.size())) &&
         out->ParseFromString(stored.event());
}

bool ParseEventStep(absl::string_view stored_event, Event* out) {
  absl::string_view event;
  std::string step;
  return EventBytes(stored_event, &event) &&
         KeepWireFields(event, InEventStep, &step) &&
         out->ParseFromString(step);
}

}  // namespace jianyan::storage
