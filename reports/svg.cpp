#include "reports/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "core/text.hpp"

namespace mib::svg {
namespace {

// A coordinate.
std::string num(double v) { return format_fixed(v, 2); }

std::string tick_label(double v) {
  return v != 0 && (std::abs(v) >= 1e5 || std::abs(v) < 1e-3) ? format_scientific(v, 0)
                                                              : format_significant(v, 6);
}

// "Nice" ticks (1, 2, 5 × 10^k) covering [lo, hi] for a linear axis, powers of ten for a log one.
std::vector<double> ticks(double lo, double hi, bool log) {
  std::vector<double> out;
  if (log) {
    for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); ++e) {
      const double v = std::pow(10.0, e);
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push_back(v);
    }
    if (out.size() < 2) {  // a narrow range: add 2 and 5 multiples
      out.clear();
      for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); ++e)
        for (double m : {1.0, 2.0, 5.0}) {
          const double v = m * std::pow(10.0, e);
          if (v >= lo * 0.999 && v <= hi * 1.001) out.push_back(v);
        }
    }
    return out;
  }
  const double raw = (hi - lo) / 5, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(),
         hi = -std::numeric_limits<double>::infinity();
  void add(double v, bool log) {
    if (!std::isfinite(v) || (log && v <= 0)) return;
    lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
  void pad(bool log) {
    if (empty()) lo = log ? 1 : 0, hi = log ? 10 : 1;
    if (log) {
      if (hi / lo < 1.5) lo /= 1.25, hi *= 1.25;
      return;
    }
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
    const double margin = (hi - lo) * 0.05;
    lo -= margin, hi += margin;
  }
};

double to_unit(double v, double lo, double hi, bool log) {
  return log ? (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo)) : (v - lo) / (hi - lo);
}

// Linear interpolation between colour stops (hex "#rrggbb"), t in [0, 1].
std::string blend(const std::vector<const char*>& stops, double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0);
  const double at = t * static_cast<double>(stops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(at), stops.size() - 2);
  const double f = at - static_cast<double>(i);
  unsigned a[3], b[3];
  std::sscanf(stops[i], "#%02x%02x%02x", &a[0], &a[1], &a[2]);
  std::sscanf(stops[i + 1], "#%02x%02x%02x", &b[0], &b[1], &b[2]);
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x",
                static_cast<unsigned>(std::lround(a[0] + f * (static_cast<double>(b[0]) - a[0]))),
                static_cast<unsigned>(std::lround(a[1] + f * (static_cast<double>(b[1]) - a[1]))),
                static_cast<unsigned>(std::lround(a[2] + f * (static_cast<double>(b[2]) - a[2]))));
  return out;
}

std::string header(double width, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
         num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle",
                 const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\"" + extra +
         ">" + escape(s) + "</text>\n";
}

}  // namespace

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string palette(std::size_t i) {
  static const char* colours[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                  "#56B4E9", "#CC79A7", "#000000", "#F0E442"};
  return colours[i % 8];
}

namespace {

// Marker shapes and dash patterns, by a series' rank: neighbours in the palette differ in both.
constexpr int kShapes = 6;
const char* const kDashes[] = {"", "6 3", "2 2", "8 3 2 3"};

std::string marker(std::size_t rank, double x, double y, const std::string& colour) {
  const std::string fill = "\" fill=\"" + colour + "\"/>\n";
  auto polygon = [&](std::initializer_list<std::pair<double, double>> points) {
    std::string out = "<polygon points=\"";
    for (const auto& [dx, dy] : points) out += num(x + dx) + "," + num(y + dy) + " ";
    return out + fill;
  };
  switch (rank % kShapes) {
    case 0:
      return "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"2.8" + fill;
    case 1:
      return "<rect x=\"" + num(x - 2.6) + "\" y=\"" + num(y - 2.6) +
             "\" width=\"5.2\" height=\"5.2" + fill;
    case 2:
      return polygon({{0, -3.4}, {3.2, 2.4}, {-3.2, 2.4}});
    case 3:
      return polygon({{0, -3.6}, {3.2, 0}, {0, 3.6}, {-3.2, 0}});
    case 4:
      return polygon({{0, 3.4}, {3.2, -2.4}, {-3.2, -2.4}});
    default:
      return "<path d=\"M" + num(x - 3) + " " + num(y - 3) + "L" + num(x + 3) + " " + num(y + 3) +
             "M" + num(x - 3) + " " + num(y + 3) + "L" + num(x + 3) + " " + num(y - 3) +
             "\" stroke=\"" + colour + "\" stroke-width=\"1.6\"/>\n";
  }
}

std::string dash_attribute(std::size_t rank, bool dashed) {
  const char* dash = dashed ? "4 3" : kDashes[rank % 4];
  return *dash ? " stroke-dasharray=\"" + std::string(dash) + "\"" : "";
}

// One panel's plotting area: its corner, size and data ranges, and the maps from data to
// picture coordinates.
struct Frame {
  double ox, oy, pw, ph;
  Range xr, yr;
  bool log_x, log_y;
  double px(double v) const { return ox + pw * to_unit(v, xr.lo, xr.hi, log_x); }
  double py(double v) const { return oy + ph * (1 - to_unit(v, yr.lo, yr.hi, log_y)); }
};

// The ranges of a panel's data (points with a finite y, their bands, the reference lines),
// padded.
Frame frame_of(const Panel& panel, const ChartOptions& o, double ox, double oy, double pw,
               double ph, bool* empty) {
  Frame f{ox, oy, pw, ph, {}, {}, o.log_x, o.log_y};
  for (const auto& s : panel.series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      f.xr.add(s.x[i], o.log_x);
      f.yr.add(s.y[i], o.log_y);
      if (!s.low.empty()) f.yr.add(s.low[i], o.log_y), f.yr.add(s.high[i], o.log_y);
    }
  }
  for (double r : panel.reference) f.yr.add(r, o.log_y);
  *empty = f.xr.empty();
  f.xr.pad(o.log_x);
  f.yr.pad(o.log_y);
  return f;
}

// A panel's title, box, ticks, axis labels and dashed reference lines.
std::string panel_axes(const Frame& f, const Panel& panel, const ChartOptions& o, bool empty) {
  const double ox = f.ox, oy = f.oy, pw = f.pw, ph = f.ph;
  std::string out = text(ox + pw / 2, oy - 8, panel.title, "middle", " font-weight=\"bold\"");
  out += "<rect x=\"" + num(ox) + "\" y=\"" + num(oy) + "\" width=\"" + num(pw) + "\" height=\"" +
         num(ph) + "\" fill=\"none\" stroke=\"#888\"/>\n";
  std::vector<double> x_ticks;
  for (double t : o.x_ticks.empty() ? ticks(f.xr.lo, f.xr.hi, o.log_x) : o.x_ticks)
    if (t >= f.xr.lo && t <= f.xr.hi) x_ticks.push_back(t);
  double label_end = -1e300;  // where the last label drawn ends (labels ~6.2 px a character)
  for (double t : x_ticks) {
    out += "<line x1=\"" + num(f.px(t)) + "\" y1=\"" + num(oy + ph) + "\" x2=\"" + num(f.px(t)) +
           "\" y2=\"" + num(oy + ph + 4) + "\" stroke=\"#888\"/>\n";
    const std::string label = tick_label(t);
    const double half = 3.1 * static_cast<double>(label.size());
    if (f.px(t) - half < label_end + 4) continue;
    out += text(f.px(t), oy + ph + 15, label);
    label_end = f.px(t) + half;
  }
  for (double t : ticks(f.yr.lo, f.yr.hi, o.log_y)) {
    out += "<line x1=\"" + num(ox - 4) + "\" y1=\"" + num(f.py(t)) + "\" x2=\"" + num(ox + pw) +
           "\" y2=\"" + num(f.py(t)) + "\" stroke=\"#eee\"/>\n";
    out += text(ox - 6, f.py(t) + 4, tick_label(t), "end");
  }
  out += text(ox + pw / 2, oy + ph + 32, o.x_label);
  out += text(ox - 44, oy + ph / 2, o.y_label, "middle",
              " transform=\"rotate(-90 " + num(ox - 44) + " " + num(oy + ph / 2) + ")\"");
  if (empty) out += text(ox + pw / 2, oy + ph / 2, "no data", "middle", " fill=\"#888\"");
  for (double r : panel.reference) {
    out += "<line x1=\"" + num(ox) + "\" y1=\"" + num(f.py(r)) + "\" x2=\"" + num(ox + pw) +
           "\" y2=\"" + num(f.py(r)) + "\" stroke=\"black\" stroke-dasharray=\"6 4\"/>\n";
  }
  return out;
}

// One series: its band (low … high) where it has one, its line and its markers — the points
// that can be drawn (finite, and positive on a log axis); a clipped point as an arrowhead
// towards its value, labelled with it. `labels` counts the clip labels already at each
// (x, edge) of the panel: a further one goes a line further inside, so that values at one x
// never print over each other.
std::string series_marks(const Frame& f, const Series& s, std::size_t rank,
                         const std::string& colour, std::map<std::pair<long, int>, int>& labels) {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    const bool ok = std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!f.log_x || s.x[i] > 0) &&
                    (!f.log_y || s.y[i] > 0);
    if (ok) keep.push_back(i);
  }
  std::string out;
  if (!s.low.empty() && keep.size() > 1) {
    std::string points;
    for (std::size_t i : keep) points += num(f.px(s.x[i])) + "," + num(f.py(s.high[i])) + " ";
    for (auto it = keep.rbegin(); it != keep.rend(); ++it)
      points += num(f.px(s.x[*it])) + "," + num(f.py(s.low[*it])) + " ";
    out += "<polygon points=\"" + points + "\" fill=\"" + colour + "\" fill-opacity=\"0.15\"/>\n";
  }
  std::string points;
  for (std::size_t i : keep) points += num(f.px(s.x[i])) + "," + num(f.py(s.y[i])) + " ";
  if (s.line && keep.size() > 1) {
    out += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + colour +
           "\" stroke-width=\"1.8\"" + dash_attribute(rank, s.dashed) + "/>\n";
  }
  for (std::size_t i : keep) {
    const double x = f.px(s.x[i]), y = f.py(s.y[i]);
    const double was = i < s.unclipped.size() ? s.unclipped[i] : std::nan("");
    if (std::isfinite(was) && was != s.y[i]) {
      const double dir = was > s.y[i] ? -1 : 1;  // up on the page for a larger value
      out += "<polygon points=\"" + num(x) + "," + num(y + 7 * dir) + " " + num(x + 4.5) + "," +
             num(y) + " " + num(x - 4.5) + "," + num(y) + "\" fill=\"" + colour + "\"/>\n";
      const int stacked = labels[{std::lround(x), static_cast<int>(dir)}]++;
      const double inward = 10.0 * stacked * -dir;
      out += text(x + 6, y + (dir < 0 ? -2 : 10) + inward, format_significant(was, 3), "start",
                  " font-size=\"9\" fill=\"" + colour + "\"");
    } else {
      out += marker(rank, x, y, colour);
    }
  }
  return out;
}

}  // namespace

std::string line_chart(const std::vector<Panel>& panels, const ChartOptions& o) {
  const double pw = 260, ph = 190, left = 58, right = 12, top = 26, bottom = 40;
  const int columns = std::max(1, std::min<int>(o.columns, static_cast<int>(panels.size())));
  const int rows = (static_cast<int>(panels.size()) + columns - 1) / columns;
  std::vector<std::string> names;
  for (const auto& p : panels)
    for (const auto& s : p.series)
      if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
  const double width =
      std::max({columns * (pw + left + right) + 10, 8.8 * static_cast<double>(o.title.size()) + 20,
                6.2 * static_cast<double>(o.caption.size()) + 40});
  // Legend entries left to right, wrapped at the figure's width (text ~6.2 px per character).
  std::vector<std::pair<double, double>> legend_at;
  double lx = 20, lrow = 0;
  for (const auto& name : names) {
    const double w = 40 + 6.2 * static_cast<double>(name.size());
    if (lx > 20 && lx + w > width - 10) lx = 20, ++lrow;
    legend_at.emplace_back(lx, lrow);
    lx += w;
  }
  const double legend_height = 18.0 * (lrow + 1) + 8 + (o.caption.empty() ? 0 : 16);
  const double height = 30 + rows * (ph + top + bottom) + legend_height;
  std::string out = header(width, height);
  out += text(width / 2, 20, o.title, "middle", " font-size=\"14\" font-weight=\"bold\"");
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const double ox = static_cast<double>(p % columns) * (pw + left + right) + left;
    const std::size_t row = p / columns;  // panels fill rows left to right
    const double oy = 30 + static_cast<double>(row) * (ph + top + bottom) + top;
    bool empty = false;
    const Frame f = frame_of(panels[p], o, ox, oy, pw, ph, &empty);
    out += "<g>\n" + panel_axes(f, panels[p], o, empty);
    std::map<std::pair<long, int>, int> clip_labels;
    for (const auto& s : panels[p].series) {
      const auto rank =
          static_cast<std::size_t>(std::find(names.begin(), names.end(), s.name) - names.begin());
      out += series_marks(f, s, rank, s.colour.empty() ? palette(rank) : s.colour, clip_labels);
    }
    out += "</g>\n";
  }
  const double ly = 30 + rows * (ph + top + bottom) + 10;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double x = legend_at[i].first, y = ly + 18.0 * legend_at[i].second;
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x + 22) + "\" y2=\"" +
           num(y) + "\" stroke=\"" + palette(i) + "\" stroke-width=\"2.5\"" +
           dash_attribute(i, false) + "/>\n";
    out += marker(i, x + 11, y, palette(i));
    out += text(x + 28, y + 4, names[i], "start");
  }
  if (!o.caption.empty())
    out += text(20, ly + 18.0 * (lrow + 1) + 6, o.caption, "start", " fill=\"#555\"");
  return out + "</svg>\n";
}

std::string heat_map(const HeatMap& m) {
  // Column labels are rotated by 40°: ~6.2 px per character, of which sin 40° goes up and
  // cos 40° to the right. Long labels are shortened.
  auto shorten = [](const std::string& s) { return s.size() > 32 ? s.substr(0, 31) + "…" : s; };
  std::size_t row_chars = 0, column_chars = 0, note_chars = m.notes_title.size();
  for (const auto& r : m.rows) row_chars = std::max(row_chars, r.size());
  for (const auto& c : m.columns) column_chars = std::max(column_chars, shorten(c).size());
  for (const auto& n : m.notes) note_chars = std::max(note_chars, n.size());
  const std::vector<std::string> legend = split(m.legend, '\n');
  std::size_t legend_chars = 0;
  for (const auto& line : legend) legend_chars = std::max(legend_chars, line.size());
  bool two_lines = false;
  for (const auto& row : m.text)
    for (const auto& t : row) two_lines = two_lines || t.find('\n') != std::string::npos;
  // The labels, then the notes' column (right-aligned numbers), then the cells.
  const double label_w = 16 + 6.2 * static_cast<double>(row_chars);
  const double notes_w = m.notes.empty() ? 0 : 12 + 6.2 * static_cast<double>(note_chars);
  const double cell_w = 64, cell_h = two_lines ? 30 : 22, left = label_w + notes_w;
  const double top = 40 + 4.0 * static_cast<double>(column_chars);
  const double width = std::max({left + cell_w * static_cast<double>(m.columns.size()) +
                                     4.8 * static_cast<double>(column_chars) + 10,
                                 left + 260, 8.8 * static_cast<double>(m.title.size()) + 20,
                                 left + 6.2 * static_cast<double>(legend_chars) + 20});
  const double height = top + cell_h * static_cast<double>(m.rows.size()) + 56 +
                        14 * static_cast<double>(legend.size());
  std::string out = header(width, height);
  out += text(width / 2, 18, m.title, "middle", " font-size=\"14\" font-weight=\"bold\"");
  const std::vector<const char*> diverging = {"#542788", "#998ec3", "#f7f7f7", "#f1a340",
                                              "#b35806"};
  const std::vector<const char*> sequential = {"#440154", "#31688e", "#35b779", "#fde725"};
  for (std::size_t c = 0; c < m.columns.size(); ++c) {
    const double x = left + cell_w * (static_cast<double>(c) + 0.5), y = top - 6;
    out += text(x, y, shorten(m.columns[c]), "start",
                " transform=\"rotate(-40 " + num(x) + " " + num(y) + ")\"");
  }
  if (!m.notes.empty())
    out += text(left - 6, top - 6, m.notes_title, "end", " font-weight=\"bold\"");
  for (std::size_t r = 0; r < m.rows.size(); ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    out += text(label_w - 6, y + cell_h / 2 + 4, m.rows[r], "end");
    if (r < m.notes.size()) out += text(left - 6, y + cell_h / 2 + 4, m.notes[r], "end");
    for (std::size_t c = 0; c < m.columns.size(); ++c) {
      const double v = m.values[r][c];
      std::string fill = "#d9d9d9";
      bool dark = false;
      if (std::isfinite(v)) {
        const double t = m.diverging ? 0.5 + 0.5 * std::clamp(v / m.high, -1.0, 1.0)
                                     : (v - m.low) / (m.high - m.low);
        fill = blend(m.diverging ? diverging : sequential, t);
        dark = m.diverging ? (t < 0.15 || t > 0.85) : t < 0.45;
      }
      const double x = left + cell_w * static_cast<double>(c);
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(cell_w) +
             "\" height=\"" + num(cell_h) + "\" fill=\"" + fill + "\" stroke=\"white\"/>\n";
      const std::string& cell = m.text[r][c];
      const std::string colour = dark ? " fill=\"white\"" : "";
      const auto newline = cell.find('\n');
      if (newline == std::string::npos) {
        out += text(x + cell_w / 2, y + cell_h / 2 + 4, cell, "middle", colour);
      } else {
        out += text(x + cell_w / 2, y + 13, cell.substr(0, newline), "middle", colour);
        out += text(x + cell_w / 2, y + 25, cell.substr(newline + 1), "middle",
                    colour + " font-size=\"9\"");
      }
    }
  }
  // Colour bar.
  const double by = top + cell_h * static_cast<double>(m.rows.size()) + 16, bw = 200;
  for (int i = 0; i < 40; ++i) {
    const double t = (i + 0.5) / 40;
    out += "<rect x=\"" + num(left + bw * i / 40) + "\" y=\"" + num(by) + "\" width=\"" +
           num(bw / 40 + 0.5) + "\" height=\"10\" fill=\"" +
           blend(m.diverging ? diverging : sequential, t) + "\"/>\n";
  }
  const double lo = m.diverging ? -m.high : m.low;
  out += text(left, by + 24, m.low_label.empty() ? tick_label(lo) : m.low_label, "middle");
  out +=
      text(left + bw, by + 24, m.high_label.empty() ? tick_label(m.high) : m.high_label, "middle");
  for (std::size_t i = 0; i < legend.size(); ++i)
    out += text(left, by + 40 + 14 * static_cast<double>(i), legend[i], "start");
  return out + "</svg>\n";
}

}  // namespace mib::svg
