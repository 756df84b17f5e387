// LANDED_CHECK: a broken invariant is a bug. It fails loudly, in release builds too, instead of
// letting a wrong amount reach a buyer. Expected failures use Result<T>, never this.
#pragma once

#include <cstdio>
#include <cstdlib>

#define LANDED_CHECK(cond, what)                                                        \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "landed: invariant broken at %s:%d: %s (%s)\n", __FILE__,    \
                   __LINE__, what, #cond);                                              \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
