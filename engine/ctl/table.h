#pragma once
// A plain-text table for `sluice ctl`: columns as wide as their widest cell, two spaces apart,
// numbers right-aligned, no trailing spaces. Widths count UTF-8 code points, not bytes.

#include <string>
#include <vector>

namespace sluice::ctl {

class Table {
 public:
  enum class Align { Left, Right };
  struct Column {
    std::string header;
    Align align = Align::Left;
  };

  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // Missing cells are empty; extra cells are ignored.
  void addRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  // The header line, then one line per row, each ending in '\n'.
  std::string render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text: code points, continuation bytes not counted.
size_t textWidth(const std::string& text);

}  // namespace sluice::ctl
