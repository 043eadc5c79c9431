#pragma once
// Error types and the one message format used everywhere:
//   "<where>: <what> must be <rule>, but is <value>"

#include <sstream>
#include <stdexcept>
#include <string>

namespace mib {

/// Base of every error mibench throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// A parameter of a function, distribution or estimator is out of its domain.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};
/// A configuration file, command-line flag or estimator spec is malformed.
class ConfigError : public Error {
 public:
  using Error::Error;
};
/// A data file (.npy, .csv, results.jsonl) cannot be read or is malformed.
class DataError : public Error {
 public:
  using Error::Error;
};
/// A name (task id, estimator, task list, report format) that is not in its catalogue or
/// registry; the message lists the valid or closest names. (Python: KeyError.)
class UnknownName : public ConfigError {
 public:
  using ConfigError::ConfigError;
};
/// A file or folder that does not exist. (Python: FileNotFoundError.)
class MissingFile : public DataError {
 public:
  using DataError::DataError;
};

/// Renders a value for an error message; strings are shown as they are (wrap a name the
/// user typed in quoted() so that spaces and empty names stay visible).
template <class T>
std::string describe(const T& value) {
  if constexpr (std::is_convertible_v<T, std::string>) {
    return std::string(value);
  } else {
    std::ostringstream out;
    out << value;
    return out.str();
  }
}

/// "\"text\"": a user-given name inside a message.
inline std::string quoted(const std::string& text) { return '"' + text + '"'; }

/// Builds "<where>: <what> must be <rule>, but is <value>".
std::string message(const std::string& where, const std::string& what, const std::string& rule,
                    const std::string& value);

/// Throws E with the house message format.
template <class E = InvalidArgument, class T>
[[noreturn]] void fail(const std::string& where, const std::string& what, const std::string& rule,
                       const T& value) {
  throw E(message(where, what, rule, describe(value)));
}

/// Throws E(where, what, rule, value) unless ok.
template <class E = InvalidArgument, class T>
void require(bool ok, const std::string& where, const std::string& what, const std::string& rule,
             const T& value) {
  if (!ok) fail<E>(where, what, rule, value);
}

}  // namespace mib
