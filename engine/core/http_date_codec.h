#pragma once
// HTTP-date (RFC 9110, 5.6.7) to and from seconds since the Unix epoch, for any time (http_date.h
// formats the current second, cached). Recipients must accept the IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT") and the two obsolete forms, RFC 850 ("Sunday, 06-Nov-94 08:49:37
// GMT") and asctime ("Sun Nov  6 08:49:37 1994"); senders write the IMF-fixdate. Pure; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core {

// nullopt for anything that is not one of the three forms (e.g. "0", which caches read as "already
// expired"). Names and "GMT" are case-sensitive, as the grammar says; surrounding OWS is ignored.
// The weekday is not checked against the date. RFC 850's two-digit year is 19YY from 70 up, else 20YY.
std::optional<int64_t> parseHttpDate(std::string_view value);

// The IMF-fixdate of a time in years 0000-9999 (clamped into that range).
std::string formatHttpDate(int64_t epoch_s);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12); exact for any 4-digit year.
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace sluice::core
