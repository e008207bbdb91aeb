#include "workflow/deterministic_bytes.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace jianyan {

std::string DeterministicBytes(const google::protobuf::MessageLite& message) {
  // Sized first, written once: a growing string stream would reallocate
  // and zero-fill its buffer a few times for a case-sized message.
  const size_t size = message.ByteSizeLong();
  std::string out(size, '\0');
  {
    google::protobuf::io::ArrayOutputStream stream(out.data(),
                                                   static_cast<int>(size));
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
  }
  return out;
}

}  // namespace jianyan
