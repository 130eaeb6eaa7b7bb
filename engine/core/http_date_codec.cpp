#include "engine/core/http_date_codec.h"

#include <array>

namespace sluice::core {

namespace {

constexpr std::array<std::string_view, 7> kShortDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A cursor over the value: every read checks what is left, so a short or odd value just fails.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool literal(std::string_view lit) {
    if (s_.substr(0, lit.size()) != lit) {
      return false;
    }
    s_.remove_prefix(lit.size());
    return true;
  }

  template <size_t N>
  bool oneOf(const std::array<std::string_view, N>& names, unsigned* index) {
    for (size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        *index = static_cast<unsigned>(i);
        return true;
      }
    }
    return false;
  }

  bool digits(size_t count, unsigned* out) {
    if (s_.size() < count) {
      return false;
    }
    unsigned v = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = s_[i];
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    s_.remove_prefix(count);
    *out = v;
    return true;
  }

  // asctime's day: two digits, or a space and one digit.
  bool paddedDay(unsigned* out) {
    if (literal(" ")) {
      return digits(1, out);
    }
    return digits(2, out);
  }

  // hour ":" minute ":" second
  bool timeOfDay(unsigned* h, unsigned* m, unsigned* s) {
    return digits(2, h) && literal(":") && digits(2, m) && literal(":") && digits(2, s);
  }

  bool done() const { return s_.empty(); }

 private:
  std::string_view s_;
};

bool isLeap(unsigned year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The fields of any of the three forms.
struct DateFields {
  unsigned weekday = 0;
  unsigned day = 0;
  unsigned month0 = 0;  // 0 = January
  unsigned year = 0;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
};

std::optional<int64_t> toEpoch(const DateFields& f) {
  static constexpr unsigned kDaysIn[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const unsigned max_day = kDaysIn[f.month0] + ((f.month0 == 1 && isLeap(f.year)) ? 1 : 0);
  // second 60 is a leap second (RFC 9110, 5.6.7); it reads as the first second of the next minute.
  if (f.day < 1 || f.day > max_day || f.hour > 23 || f.minute > 59 || f.second > 60) {
    return std::nullopt;
  }
  return daysFromCivil(f.year, f.month0 + 1, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
bool readImfFixdate(Reader& r, DateFields& f) {
  return r.oneOf(kShortDays, &f.weekday) && r.literal(", ") && r.digits(2, &f.day) && r.literal(" ") &&
         r.oneOf(kMonths, &f.month0) && r.literal(" ") && r.digits(4, &f.year) && r.literal(" ") &&
         r.timeOfDay(&f.hour, &f.minute, &f.second) && r.literal(" GMT");
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
bool readRfc850(Reader& r, DateFields& f) {
  const bool ok = r.oneOf(kLongDays, &f.weekday) && r.literal(", ") && r.digits(2, &f.day) &&
                  r.literal("-") && r.oneOf(kMonths, &f.month0) && r.literal("-") && r.digits(2, &f.year) &&
                  r.literal(" ") && r.timeOfDay(&f.hour, &f.minute, &f.second) && r.literal(" GMT");
  f.year += f.year >= 70 ? 1900 : 2000;
  return ok;
}

// "Sun Nov  6 08:49:37 1994"
bool readAsctime(Reader& r, DateFields& f) {
  return r.oneOf(kShortDays, &f.weekday) && r.literal(" ") && r.oneOf(kMonths, &f.month0) && r.literal(" ") &&
         r.paddedDay(&f.day) && r.literal(" ") && r.timeOfDay(&f.hour, &f.minute, &f.second) &&
         r.literal(" ") && r.digits(4, &f.year);
}

}  // namespace

int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil: years start in March so the leap day falls last.
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string formatHttpDate(int64_t epoch_s) {
  // 0000-01-01 .. 9999-12-31T23:59:59: four-digit years only.
  constexpr int64_t kMin = -62167219200;
  constexpr int64_t kMax = 253402300799;
  epoch_s = epoch_s < kMin ? kMin : (epoch_s > kMax ? kMax : epoch_s);
  int64_t days = epoch_s / 86400;
  int64_t secs = epoch_s % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  // Hinnant's civil_from_days, the inverse of daysFromCivil.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday: index 3 in kShortDays (Monday first).
  const int64_t weekday = ((days % 7) + 7 + 3) % 7;

  std::string out = std::string(kShortDays[static_cast<size_t>(weekday)]) + ", ";
  const auto two = [&out](int64_t v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two(day);
  out += ' ';
  out += kMonths[static_cast<size_t>(month - 1)];
  out += ' ';
  two(year / 100);
  two(year % 100);
  out += ' ';
  two(secs / 3600);
  out += ':';
  two(secs / 60 % 60);
  out += ':';
  two(secs % 60);
  out += " GMT";
  return out;
}

std::optional<int64_t> parseHttpDate(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  // The forms differ at the fourth character: ',' (IMF-fixdate), ' ' (asctime), a letter (RFC 850).
  if (value.size() < 4) {
    return std::nullopt;
  }
  Reader r(value);
  DateFields f;
  const bool ok = value[3] == ','   ? readImfFixdate(r, f)
                  : value[3] == ' ' ? readAsctime(r, f)
                                    : readRfc850(r, f);
  if (!ok || !r.done()) {
    return std::nullopt;
  }
  return toEpoch(f);
}

}  // namespace sluice::core
