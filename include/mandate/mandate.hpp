// mandate: a rules engine for the obligations in government work plans.
//
//   auto plan = mandate::compile(text, "goutang-2023.mandate");   // or the diagnostics
//   mandate::engine e(*plan);
//   e.add(R"({"entity": "v01", "kind": "village"})");
//   mandate::report r = e.evaluate(mandate::calendar::from_ymd(2023, 12, 31));
//
// The compiled plan is immutable and shareable between threads and engines; an engine holds
// all mutable state and is used from one thread at a time.
#pragma once

#include "mandate/calendar/date.hpp"
#include "mandate/compile.hpp"
#include "mandate/diagnostic.hpp"
#include "mandate/eval/engine.hpp"
#include "mandate/eval/report.hpp"
#include "mandate/report/select.hpp"
#include "mandate/graph/plan.hpp"
#include "mandate/limits.hpp"
#include "mandate/result.hpp"

