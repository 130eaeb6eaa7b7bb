#include "engine/ctl/table.h"

#include <algorithm>

namespace sluice::ctl {

size_t textWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) {
      ++width;
    }
  }
  return width;
}

void Table::addRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<size_t> widths(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = textWidth(columns_[c].header);
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], textWidth(row[c]));
    }
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); ++c) {
      const size_t pad = widths[c] - textWidth(cells[c]);
      if (c > 0) {
        line.append(2, ' ');
      }
      if (columns_[c].align == Align::Right) {
        line.append(pad, ' ').append(cells[c]);
      } else {
        line.append(cells[c]).append(pad, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out.append(line).append("\n");
  };
  std::vector<std::string> header;
  for (const Column& c : columns_) {
    header.push_back(c.header);
  }
  emit(header);
  for (const auto& row : rows_) {
    emit(row);
  }
  return out;
}

}  // namespace sluice::ctl
