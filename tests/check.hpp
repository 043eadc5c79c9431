#pragma once
// CHECK_THROWS_MATCHES in Catch2 v2 takes an exception matcher; our checks want "throws this
// type, and its message contains ...". The expression is evaluated twice: use it on calls
// without lasting side effects.
#include <catch2/catch.hpp>

#define MIB_CHECK_THROWS(expr, Type, matcher) \
  do {                                        \
    CHECK_THROWS_AS(expr, Type);              \
    CHECK_THROWS_WITH(expr, matcher);         \
  } while (false)
