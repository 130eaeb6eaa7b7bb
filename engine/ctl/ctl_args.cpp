#include "engine/ctl/ctl_args.h"

#include <cctype>
#include <cstdlib>

namespace sluice::ctl {

bool CtlArgs::flag(const std::string& name) {
  for (auto it = words_.begin(); it != words_.end(); ++it) {
    if (*it == "--") {
      break;
    }
    if (*it == name) {
      words_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string> CtlArgs::option(const std::string& name) {
  for (size_t i = 0; i < words_.size(); ++i) {
    const std::string& w = words_[i];
    if (w == "--") {
      break;
    }
    if (w == name) {
      if (i + 1 >= words_.size()) {
        error_ = name + " needs a value";
        words_.erase(words_.begin() + static_cast<std::ptrdiff_t>(i));
        return std::nullopt;
      }
      std::string value = words_[i + 1];
      words_.erase(words_.begin() + static_cast<std::ptrdiff_t>(i),
                   words_.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      return value;
    }
    if (w.size() > name.size() && w.compare(0, name.size(), name) == 0 && w[name.size()] == '=') {
      std::string value = w.substr(name.size() + 1);
      words_.erase(words_.begin() + static_cast<std::ptrdiff_t>(i));
      return value;
    }
  }
  return std::nullopt;
}

std::optional<double> CtlArgs::number(const std::string& name) {
  std::optional<std::string> text = option(name);
  if (!text) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double v = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !(v >= 0)) {
    error_ = name + " needs a number, not '" + *text + "'";
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> CtlArgs::next() {
  for (auto it = words_.begin(); it != words_.end(); ++it) {
    if (*it == "--") {
      it = words_.erase(it);
      if (it == words_.end()) {
        return std::nullopt;
      }
      std::string w = *it;
      words_.erase(it);
      return w;
    }
    // "-" alone and negative numbers are values, not options.
    if (it->size() > 1 && (*it)[0] == '-' && !(std::isdigit(static_cast<unsigned char>((*it)[1])))) {
      continue;
    }
    std::string w = *it;
    words_.erase(it);
    return w;
  }
  return std::nullopt;
}

std::vector<std::string> CtlArgs::rest() {
  std::vector<std::string> out;
  out.swap(words_);
  return out;
}

bool CtlArgs::finish() {
  if (!error_.empty()) {
    return false;
  }
  if (!words_.empty()) {
    const std::string& w = words_.front();
    error_ = (w.size() > 1 && w[0] == '-') ? "unknown option '" + w + "'" : "unexpected argument '" + w + "'";
    return false;
  }
  return true;
}

}  // namespace sluice::ctl
