// Fuzz target: page tokens as clients send them back (base64 of a version,
// a query digest and a position); and, when the same bytes are a valid
// list position, the round trip of a token minted from them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/index_keys.h"
#include "storage/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string digest = "digest01";
  (void)jianyan::storage::DecodeQueryPageToken(bytes, digest);
  (void)jianyan::storage::DecodePageToken(bytes, "o/");
  if (jianyan::storage::IsListPosition(bytes)) {
    const std::string token =
        jianyan::storage::EncodeQueryPageToken(digest, bytes);
    absl::StatusOr<std::string> back =
        jianyan::storage::DecodeQueryPageToken(token, digest);
    if (!back.ok() || *back != bytes) std::abort();
  }
  return 0;
}
