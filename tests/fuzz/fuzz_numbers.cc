// Fuzz target: the identifiers people type: case numbers, query codes and
// resident identity numbers (GB 11643), each parsed from the same bytes;
// a case number that parses must format back to its canonical spelling.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/intake/id_number.h"
#include "workflow/case_number.h"
#include "workflow/query_code.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<jianyan::CaseNumber> number = jianyan::ParseCaseNumber(text);
  if (number.ok()) {
    absl::StatusOr<std::string> formatted = jianyan::FormatCaseNumber(*number);
    absl::StatusOr<std::string> normal = jianyan::NormalizeCaseNumber(text);
    if (!formatted.ok() || !normal.ok() || *formatted != *normal) std::abort();
  }
  (void)jianyan::NormalizeQueryCode(text);
  (void)jianyan::NormaliseIdNumber(text, "id_number");
  return 0;
}
