#pragma once
// The HTML report: one self-contained page (see html.cpp).

#include <string>

#include "reports/reporter.hpp"

namespace mib {

std::string render_html(const Report& report);

}  // namespace mib
