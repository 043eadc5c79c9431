#pragma once
// A small SVG writer for the report's figures (no dependency: the figures are line charts in
// small multiples and heat maps, and a few hundred lines of our own beat pulling a plotting
// stack into a C++ tool). Colours: the Okabe–Ito palette for lines (safe for the common
// colour-vision deficiencies) and interpolated diverging / sequential scales for heat maps.

#include <string>
#include <vector>

namespace mib::svg {

/// "&amp;" etc.: text safe inside XML.
std::string escape(const std::string& text);

/// The i-th colour of the Okabe–Ito palette (cycles after 8).
std::string palette(std::size_t i);

/// A series is drawn in its colour, with a marker shape and a dash pattern of its own (by its
/// rank in the legend), so the figure reads in greyscale and for colour-blind readers too.
struct Series {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> low, high;  ///< optional band (same length as x), drawn translucent
  bool dashed = false;            ///< dashed whatever the rank
  std::string colour;             ///< empty: from the palette by series index
  bool line = true;               ///< false: markers only (points that no trend joins)
  /// Optional, same length as x: the value before y was clipped to the axis (NaN or equal to y
  /// where not clipped). A clipped point is drawn as an arrowhead on the edge, labelled with
  /// this value.
  std::vector<double> unclipped;
};

struct Panel {
  std::string title;
  std::vector<Series> series;
  std::vector<double> reference;  ///< horizontal dashed black lines (e.g. the true MI)
};

struct ChartOptions {
  std::string title, x_label, y_label;
  bool log_x = false, log_y = false;
  int columns = 3;  ///< panels per row
  /// The x values to tick (e.g. the sample sizes of a sweep); empty: "nice" numbers. Every one
  /// gets a tick mark; labels that would overlap the previous one are left out.
  std::vector<double> x_ticks;
  std::string caption;  ///< a note under the legend (e.g. how clipped points are drawn)
};

/// Small multiples sharing axis labels and one legend (series names of the first panel that
/// has them). Non-finite points are skipped; a panel without data says so.
std::string line_chart(const std::vector<Panel>& panels, const ChartOptions& options);

struct HeatMap {
  std::string title, legend;                ///< legend: what the colour means (lines split at \n)
  std::vector<std::string> rows, columns;   ///< row and column labels
  std::vector<std::vector<double>> values;  ///< [row][column]; NaN: missing (grey)
  std::vector<std::vector<std::string>> text;  ///< printed in each cell (a second line after \n)
  std::string notes_title;                     ///< heading of the column of row notes
  std::vector<std::string> notes;              ///< optional: printed beside each row label
  bool diverging = true;  ///< diverging around 0 (±high), else sequential from low to high
  double low = -1, high = 1;
  std::string low_label, high_label;  ///< the colour bar's end labels (default: the numbers)
};

std::string heat_map(const HeatMap& map);

}  // namespace mib::svg
