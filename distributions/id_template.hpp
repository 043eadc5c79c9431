#pragma once
// How a family's task ids look, as one template that both writes and reads them: literal text
// with {key} placeholders naming the family's parameters, e.g.
// "multinormal-sparse-{dim}-{dim}-{pairs}-{strength}". A placeholder is written from the
// parameter's value: integers in decimal, other numbers as Python's str(float) ("2.0", as bmi
// writes its ids); "{key:g}" writes an integral number without ".0" (bmi's ν:
// "student-identity-1-1-1"). Read back, a repeated placeholder must repeat its value.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mib {

class IdTemplate {
 public:
  /// `defaults`: the family's parameters with their default values, which give each key its
  /// type (integer keys read digits only). Throws InvalidArgument on a malformed template or a
  /// key that is not a parameter.
  IdTemplate(std::string text, const nlohmann::json& defaults);

  /// The id of a parameter set (a JSON object holding every key).
  std::string format(const nlohmann::json& params) const;
  /// The parameters an id of this form carries, or nullopt when `id` has another form.
  /// Throws ConfigError naming `where` when a field has the form's shape but is not a plain
  /// number ("007", "1e999").
  std::optional<nlohmann::json> parse(const std::string& id, const std::string& where) const;
  /// The template as written ("1v1-normal-{rho}").
  const std::string& text() const { return text_; }

 private:
  struct Part {
    std::string literal;  ///< text before the placeholder
    std::string key;      ///< empty for the text after the last placeholder
    bool short_number = false;
  };
  struct Pattern;  // the compiled regular expression (<regex> stays out of this header)
  std::string text_;
  std::vector<Part> parts_;
  std::shared_ptr<const Pattern> pattern_;
  std::vector<std::string> group_keys_;  ///< the key of each capture group, in order
};

}  // namespace mib
