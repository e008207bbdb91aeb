#include "storage/idempotency_filter.h"

#include "jianyan/v1/records.pb.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

bool IdempotencyExpiryFilter::Filter(int /*level*/,
                                     const rocksdb::Slice& /*key*/,
                                     const rocksdb::Slice& existing_value,
                                     std::string* /*new_value*/,
                                     bool* /*value_changed*/) const {
  jianyan::v1::IdempotencyRecord record;
  if (!record.ParseFromArray(existing_value.data(),
                             static_cast<int>(existing_value.size()))) {
    return true;
  }
  return FromProto(record.expire_time()) <= clock_->Now();
}

}  // namespace jianyan::storage
