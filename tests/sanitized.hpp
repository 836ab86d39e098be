// Whether this test program is built with a sanitizer: their shadow memory, quarantine and
// address-space reservations change what memory figures and limits a test can expect.
#pragma once

namespace concbench::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace concbench::testing
