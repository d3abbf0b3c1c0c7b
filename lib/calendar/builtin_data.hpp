// The text of the calendars compiled into the library (lib/calendar/data/*.csv), byte for byte.
// CMake writes their definitions at configure time from lib/calendar/builtin_data.cpp.in; an
// edit to a CSV file runs configure again.
#pragma once

#include <string_view>

namespace mandate::calendar::detail {

// lib/calendar/data/cn_mainland.csv
extern const std::string_view cn_mainland_csv;

}  // namespace mandate::calendar::detail
