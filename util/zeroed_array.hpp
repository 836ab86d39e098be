// A large array of zeroed counters that costs nothing until it is touched.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace concbench {

// `count` zeroed values, used through std::atomic_ref. calloc maps a large array to the
// kernel's zero pages, so making one costs nothing until it is touched: --items 100000000 sets
// up at once, and Ctrl-C is not kept waiting for 1 GB to be cleared.
template <typename T>
class ZeroedArray {
 public:
  explicit ZeroedArray(std::size_t count)
      : values_(static_cast<T*>(std::calloc(count, sizeof(T)))) {
    if (values_ == nullptr && count > 0) throw std::bad_alloc();
  }
  std::atomic_ref<T> operator[](std::size_t i) const {
    return std::atomic_ref<T>(values_.get()[i]);
  }

 private:
  struct Free {
    void operator()(T* values) const { std::free(values); }
  };
  std::unique_ptr<T, Free> values_;
};

}  // namespace concbench
