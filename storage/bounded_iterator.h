// BoundedIterator: a RocksDB iterator over one column family that owns its
// exclusive upper bound (RocksDB keeps only a pointer to it), and resumes
// paged scans. Every scan of the store goes through it, so none runs past
// the range it needs.
//
// Thread-safety: one object per thread, like rocksdb::Iterator.
#ifndef JIANYAN_STORAGE_BOUNDED_ITERATOR_H_
#define JIANYAN_STORAGE_BOUNDED_ITERATOR_H_

#include <memory>
#include <string>

#include "rocksdb/db.h"

namespace jianyan::storage {

class BoundedIterator {
 public:
  // `upper` empty: no upper bound. `snapshot` may be null (latest).
  BoundedIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                  std::string upper,
                  const rocksdb::Snapshot* snapshot = nullptr)
      : upper_(std::move(upper)), upper_slice_(upper_) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    if (!upper_.empty()) ro.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(ro, cf));
  }
  BoundedIterator(const BoundedIterator&) = delete;
  BoundedIterator& operator=(const BoundedIterator&) = delete;

  // Positions at the first key after `after` when it is set (the last key
  // of the previous page), else at the first key >= `start`.
  // Positions at the first key >= start and > after (a page token from a
  // query with a wider range never reaches below this query's start).
  void SeekPage(const std::string& start, const std::string& after) {
    if (after.empty() || after < start) {
      it_->Seek(start);
      return;
    }
    it_->Seek(after);
    if (it_->Valid() && it_->key() == rocksdb::Slice(after)) it_->Next();
  }

  rocksdb::Iterator* operator->() { return it_.get(); }

 private:
  const std::string upper_;
  const rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_BOUNDED_ITERATOR_H_
