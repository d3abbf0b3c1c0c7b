// The project's deterministic synthetic data generator (bench/generator.hpp; the command is
// bench/generate.cpp, mandate-generate).
//
// Builds a Goutang-like town (or, for the benchmarks, a county) from a seed and writes JSON Lines
// that fit rules/goutang-2023.mandate exactly: first the entity registry, then a year of events
// (2023-03-01..2023-12-31) in time order, or in a random order with --shuffle.
//
// Determinism: one portable PRNG (splitmix64 seeding xoshiro256**), implemented here, with an
// independent stream per unit and purpose; only integer and basic floating-point arithmetic
// (no std:: distributions, no libm), so the same seed writes the same bytes everywhere.
//
// Behaviour: every unit has a profile (good, lax or problem) that sets how often it misses a
// month, a week, a deadline or part of a coverage; so a report has satisfied, violated and at-risk
// buckets, and the outcomes fire (criticism; a problem bank and a problem operator with three
// months of >= 2 fraud cases get listed for rectification; quiet units are recommended).
//
// What the revised readings of the rule file look at: every outlet's record says whether it has
// a screen (`screen`; the first of each owner always has one, others now and then have none or
// leave the field out) and only screen outlets report screen time, one of them dipping below 15%
// in August while its owner's pool does not; every eighth village (v05, v13, ...) has no
// stairwell; some activities at the market are marked `crowded`; the town itself reports a
// representatives' batch now and then (it does not count: only police stations' do); and the
// first lax school gives no lecture after the autumn term starts (its central school is
// criticised for it).
//
// Deliberate bad records, at fixed frequencies counted over the base events in the order they
// are written (s = 1, 2, ...); each is an extra record, so compliance does not depend on them:
//   duplicate     s % 1000 == 500   the event is sent again at the end of its day: the same
//                                   line, or its keys in another order, or (for date-times) the
//                                   same instant written with the other offset
//   retraction    s % 5000 == 1250  a double entry of the event under a new id, and at the end
//                                   of the day {"retract": that id}
//   conflict      s % 5000 == 2750  a copy under a new id, and at the end of the day a different
//                                   record under the same id (both are rejected)
//   unregistered  s % 5000 == 3250  an event of a village the registry does not hold yet
//                                   (unresolved)
//   malformed     s % 5000 == 4250  the event's line cut short (not valid JSON; rejected)
//   mistyped      s % 10000 == 6100 a screen_play whose seconds is a string (rejected)
//   ignored field every 40th activity carries an undeclared "photos" count
// In the registry: 1 household in 150 moves out (a version 1 record with `until`, written after
// the others); 1 household in 100 and 1 staff member in 30 arrive during the year (`since`).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "generator.hpp"

namespace mandate::generator {
namespace {

// ------------------------------------------------------------------------------------ random

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct rng {
    std::uint64_t s[4];

    explicit rng(std::uint64_t seed) {
        for (auto& x : s) x = splitmix64(seed);
    }
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t next() {  // xoshiro256**
        const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
        const std::uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
    std::uint64_t below(std::uint64_t n) {  // 0..n-1
        return n == 0 ? 0 : static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
    int range(int lo, int hi) { return hi <= lo ? lo : lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
};

std::uint64_t g_seed = 1;  // generate() sets it: one run at a time

// An independent stream per purpose (tag) and unit (index).
rng stream(std::uint64_t tag, std::uint64_t index = 0) {
    std::uint64_t x = g_seed ^ (tag * 0xd1b54a32d192ed03ULL);
    std::uint64_t a = splitmix64(x);
    x = a ^ (index * 0x8cb92ba72f3d8dd7ULL);
    return rng(splitmix64(x));
}

template <class T>
void shuffle(std::vector<T>& v, rng& r) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.below(i)]);
}

// k distinct indices of 0..n-1, in increasing order.
std::vector<int> pick(int n, int k, rng& r) {
    std::vector<int> all(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) all[static_cast<std::size_t>(i)] = i;
    shuffle(all, r);
    all.resize(static_cast<std::size_t>(std::max(0, std::min(n, k))));
    std::sort(all.begin(), all.end());
    return all;
}

// ------------------------------------------------------------------------------------ dates

int days_from_civil(int y, int m, int d) {  // days since 1970-01-01
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int z, int& y, int& m, int& d) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
}

int D(int m, int d) { return days_from_civil(2023, m, d); }
int month_first(int m) { return m == 13 ? days_from_civil(2024, 1, 1) : D(m, 1); }
int month_last(int m) { return month_first(m + 1) - 1; }

const int model_from = D(3, 1);    // the generator's year: mobilization to the end of review
const int model_to = D(12, 31);
constexpr int plan_offset = 8 * 3600;  // the plan's zone, +08:00

bool parse_date(const char* s, int& out) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    out = days_from_civil(y, m, d);
    return true;
}

// ------------------------------------------------------------------------------------ formatting

void put_uint(std::string& o, std::uint64_t v) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) o.push_back(buf[--n]);
}

void put_int(std::string& o, std::int64_t v) {
    if (v < 0) {
        o.push_back('-');
        put_uint(o, static_cast<std::uint64_t>(-v));
    } else {
        put_uint(o, static_cast<std::uint64_t>(v));
    }
}

void put2(std::string& o, int v) {
    o.push_back(static_cast<char>('0' + v / 10));
    o.push_back(static_cast<char>('0' + v % 10));
}

void put_date(std::string& o, int day) {
    int y, m, d;
    civil_from_days(day, y, m, d);
    put_uint(o, static_cast<std::uint64_t>(y));
    o.push_back('-');
    put2(o, m);
    o.push_back('-');
    put2(o, d);
}

// A fixed-point value with `places` decimals, trailing zeros dropped ("270", "270.5", "1234.56").
void put_fixed(std::string& o, std::int64_t v, int places) {
    std::int64_t scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    put_int(o, v / scale);
    std::int64_t frac = v % scale;
    if (frac == 0) return;
    o.push_back('.');
    std::string digits;
    for (int i = 0; i < places; ++i) {
        digits.insert(digits.begin(), static_cast<char>('0' + frac % 10));
        frac /= 10;
    }
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    o += digits;
}

void put_str(std::string& o, const std::string& s) {  // our strings need no escapes
    o.push_back('"');
    o += s;
    o.push_back('"');
}

// ------------------------------------------------------------------------------------ the plan's vocabulary

enum kind_id : std::uint8_t {
    k_town, k_village, k_villager_group, k_community, k_enterprise, k_institution, k_stairwell, k_household,
    k_merchant, k_key_person, k_operator, k_bank, k_outlet, k_counter, k_atm, k_central_school, k_school,
    k_student, k_member, k_police_station, k_finance_office, k_staff, kind_count
};
const char* const kind_names[kind_count] = {
    "town", "village", "villager_group", "community", "enterprise", "institution", "stairwell", "household",
    "merchant", "key_person", "operator", "bank", "outlet", "counter", "atm", "central_school", "school",
    "student", "member", "police_station", "finance_office", "staff"};

enum type_id : std::uint8_t {
    t_taskforce_formed, t_rep_training, t_mobilization_meeting, t_activity, t_banner_hung, t_poster_posted,
    t_leaflet_delivered, t_pledge_signed, t_key_person_visited, t_column_set_up, t_screen_play, t_sms_campaign,
    t_staff_training, t_signage_posted, t_official_post, t_volunteer_team_formed, t_term_started, t_term_ended,
    t_lecture, t_plan_issued, t_account_followed, t_accountant_training, t_spot_check, t_fraud_case, t_rectified,
    type_count
};
const char* const type_names[type_count] = {
    "taskforce_formed", "rep_training", "mobilization_meeting", "activity", "banner_hung", "poster_posted",
    "leaflet_delivered", "pledge_signed", "key_person_visited", "column_set_up", "screen_play", "sms_campaign",
    "staff_training", "signage_posted", "official_post", "volunteer_team_formed", "term_started", "term_ended",
    "lecture", "plan_issued", "account_followed", "accountant_training", "spot_check", "fraud_case", "rectified"};
// The one ref field of the types that have one.
const char* ref_field(std::uint8_t t) {
    switch (t) {
        case t_banner_hung: return "site";
        case t_poster_posted: return "site";
        case t_leaflet_delivered: return "recipient";
        case t_pledge_signed: return "party";
        case t_key_person_visited: return "person";
        case t_column_set_up: return "outlet";
        case t_signage_posted: return "site";
        case t_account_followed: return "person";
        case t_spot_check: return "target";
        default: return nullptr;
    }
}

const char* const venues[] = {"park", "square", "fitness", "school", "market", "village_committee"};
constexpr int qualifying_venues = 4;  // the first four count for village_monthly_activity
const char* const methods[] = {"desk", "board", "banner", "leaflet", "video", "lecture", "loudspeaker"};
const char* const channels[] = {"微信公众号", "视频号", "抖音", "微博"};
const char* const terms[] = {"2023春季学期", "2023秋季学期"};
const char* const topics[] = {"防范电信网络诈骗", "“断卡”行动", "警惕刷单返利诈骗", "识破网络游戏诈骗",
                              "远离校园贷", "防范冒充公检法诈骗"};
const char* const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
                                "胡", "郭", "何", "罗", "高", "林", "苟", "唐", "蒋", "冯"};
const char* const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
                             "明", "超", "秀英", "桂兰", "建华", "志强", "红梅", "国庆", "海燕", "德明"};
const char* const name_first[] = {"石", "青", "苟", "大", "小", "新", "长", "红", "白", "龙", "凤", "金",
                                  "桃", "柳", "松", "竹", "梅", "兴", "和", "安", "平", "高", "双", "马"};
const char* const name_second[] = {"桥", "堂", "坝", "湾", "沟", "林", "山", "坪", "河", "岩", "塘", "田",
                                   "岭", "垭", "溪", "园", "庙", "场", "冲", "坡", "寨"};
const char* const operator_names[] = {"中国移动", "中国联通", "中国电信"};
const char* const bank_names[] = {"中国农业银行", "中国工商银行", "中国建设银行", "中国银行",
                                  "农村商业银行", "中国邮政储蓄银行", "交通银行", "村镇银行"};
const char* const member_names[] = {
    "党政办", "综治办", "司法所", "市场监管所", "税务所", "卫生院", "供电所", "邮政支局", "文化站",
    "农业服务中心", "社会事务办", "经济发展办", "应急办", "自然资源所", "退役军人服务站", "团委", "妇联",
    "工会", "人大办", "纪委", "武装部", "城建办", "扶贫办", "环保站", "水务站", "林业站", "畜牧站",
    "交管站", "残联", "老龄办"};

std::string person_name(std::uint64_t k) {
    std::string s = surnames[k % 24];
    s += given[(k / 24) % 24];
    if ((k / 576) % 3 == 0) s += given[(k / 1728) % 12];
    return s;
}

// ------------------------------------------------------------------------------------ the model

enum profile : std::uint8_t { good, lax, problem };

struct behaviour {
    double on_time, full, month_miss, week_miss, absent, long_gap, fraud_rate, share_dip;
};
const behaviour behaviours[3] = {
    // on_time full  month  week   absent long_gap fraud/month share_dip
    {0.97, 0.92, 0.02, 0.01, 0.03, 0.005, 0.25, 0.03},  // good
    {0.85, 0.60, 0.12, 0.08, 0.15, 0.06, 0.45, 0.20},  // lax
    {0.60, 0.30, 0.30, 0.20, 0.30, 0.15, 0.80, 0.40},  // problem
};

struct entity {
    std::string id, name;
    std::int32_t parent = -1;
    std::uint8_t kind = 0;
    std::int32_t since = INT32_MIN, until = INT32_MIN;
    std::int8_t screen = -1;  // outlets: 1 "screen": true, 0 false, -1 no field
};

struct event {
    std::int32_t day = 0;
    std::int32_t sod = -1;  // seconds into the local day; -1: a date-only time
    std::uint32_t unit = 0;
    std::uint32_t ref = 0;
    std::int64_t a = 0, b = 0;
    std::uint8_t type = 0;
    std::uint8_t style = 0;  // 0 date only, 1 +08:00, 2 Z
    std::uint8_t flags = 0;  // 1: carries the undeclared "photos" field; 2: "crowded": true; 4: false
};
enum : std::uint8_t { s_date = 0, s_local = 1, s_utc = 2 };

struct unit_info {
    std::uint32_t entity = 0;
    profile prof = good;
    std::vector<std::uint32_t> children[kind_count];
    std::vector<std::uint32_t> outlets;  // operators and banks
    bool dated = true;  // villages: whether their field records carry a time of day
};

struct model {
    config cfg;
    std::vector<entity> ents;
    std::vector<std::pair<std::uint32_t, std::int32_t>> moved_out;  // household, until
    std::uint32_t town = 0;
    std::vector<unit_info> villages, operators, banks, central_schools, schools, members, police, finance;
    struct outlet_info {
        std::uint32_t entity;
        int owner_kind;  // k_operator or k_bank
        std::size_t owner;
        int screens_from;  // first day it reports screen time (outlets with a screen only)
        int weak_month;    // a month whose share at this outlet is 8% (0: none)
    };
    std::vector<outlet_info> outlets;
    std::vector<double> share;  // per owner (operators then banks) and month 3..12: the anti-fraud share
    std::vector<event> events;
    std::vector<std::vector<std::uint32_t>> rep_sets;
    std::size_t problem_bank = 0, problem_operator = 0, no_screen_bank = 0;

    std::uint32_t add(const std::string& id, std::uint8_t kind, std::int32_t parent, std::string name = {}) {
        entity e;
        e.id = id;
        e.kind = kind;
        e.parent = parent;
        e.name = std::move(name);
        ents.push_back(std::move(e));
        return static_cast<std::uint32_t>(ents.size() - 1);
    }
    event& ev(std::uint8_t type, std::uint32_t unit, int day, int sod, std::uint8_t style) {
        event e;
        e.type = type;
        e.unit = unit;
        e.day = day;
        e.style = style;
        e.sod = style == s_date ? -1 : sod;
        events.push_back(e);
        return events.back();
    }
};

std::string pad(int v, int width) {
    std::string s = std::to_string(v);
    while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
    return s;
}

int working_time(rng& r) { return (8 * 60 + 30 + r.range(0, 570)) * 60 + (r.chance(0.3) ? r.range(0, 59) : 0); }

// Profiles for n units: the given shares of lax and problem ones (at least `min_problem`).
std::vector<profile> profiles(int n, double lax_share, double problem_share, int min_problem, rng& r) {
    int np = std::max(std::min(n, min_problem), static_cast<int>(n * problem_share + 0.5));
    int nl = std::min(n - np, static_cast<int>(n * lax_share + 0.5));
    std::vector<profile> v(static_cast<std::size_t>(n), good);
    for (int i = 0; i < np; ++i) v[static_cast<std::size_t>(i)] = problem;
    for (int i = np; i < np + nl; ++i) v[static_cast<std::size_t>(i)] = lax;
    shuffle(v, r);
    return v;
}

// How many of n items a unit leaves out of a coverage (0 when it covers them all).
int missing_count(int n, profile p, rng& r) {
    if (n == 0 || r.chance(behaviours[p].full)) return 0;
    if (p == good) return std::min(n, r.range(1, 3));
    if (p == lax) return std::min(n, std::max(1, n * r.range(1, 5) / 100));
    return std::min(n, std::max(1, n * r.range(5, 15) / 100));
}

// Daily Bernoulli fraud cases over March..December at `rate` a month; `forced_from`: three
// consecutive months from that month with at least two cases each.
void fraud_cases(model& m, std::uint32_t unit, double rate, int forced_from, std::uint8_t style, rng& r) {
    for (int day = model_from; day <= model_to; ++day) {
        if (!r.chance(rate / 30.0)) continue;
        event& e = m.ev(t_fraud_case, unit, day, working_time(r) - 7200, style);
        const double u = r.unit();
        e.a = 80000 + static_cast<std::int64_t>(u * u * u * 15000000.0);  // fen
    }
    if (forced_from) {
        for (int mo = forced_from; mo < forced_from + 3; ++mo) {
            const int n = r.range(2, 4);
            for (int i = 0; i < n; ++i) {
                event& e = m.ev(t_fraud_case, unit, r.range(month_first(mo), month_last(mo)), working_time(r), style);
                e.a = 300000 + static_cast<std::int64_t>(r.below(8000000));
            }
        }
    }
}

// Trainings of a village or member unit: every 10..18 days (now and then a longer gap), from
// early April to the end of the campaign, one or two in March; attendance mostly full.
void trainings(model& m, const unit_info& u, int staff, std::uint8_t style, rng& r) {
    const behaviour& b = behaviours[u.prof];
    auto one = [&](int day) {
        event& e = m.ev(t_staff_training, u.entity, day, working_time(r), style);
        e.b = staff;
        e.a = r.chance(b.absent) ? std::max(0, staff - r.range(1, 2)) : staff;
    };
    for (int i = r.range(1, 2); i > 0; --i) one(r.range(D(3, 6), D(3, 30)));
    int day = D(4, 1) + r.range(0, 9);
    while (day <= D(12, 30)) {
        one(day);
        day += r.chance(b.long_gap) ? r.range(22, 35) : r.range(10, 18);
    }
}

// Who follows the national anti-fraud accounts, and when.
void follows(model& m, const unit_info& u, std::uint8_t style, rng& r) {
    const auto& staff = u.children[k_staff];
    const int n = static_cast<int>(staff.size());
    const int late = u.prof == good ? (r.chance(0.9) ? 0 : 1) : missing_count(n, u.prof == lax ? lax : problem, r);
    const std::vector<int> late_ones = pick(n, late, r);
    for (int i = 0; i < n; ++i) {
        const entity& s = m.ents[staff[static_cast<std::size_t>(i)]];
        int day = r.range(D(3, 8), D(4, 25));
        if (s.since != INT32_MIN) day = s.since + r.range(0, 20);
        if (std::binary_search(late_ones.begin(), late_ones.end(), i)) {
            if (u.prof == problem && r.chance(0.5)) continue;  // never
            day = r.range(D(5, 1), D(9, 30));
        }
        m.ev(t_account_followed, u.entity, day, working_time(r), style).ref = staff[static_cast<std::size_t>(i)];
    }
}

// The unit's own record of a one-off duty: on time, late, or (sometimes, for the lax) never.
void one_off(model& m, std::uint8_t type, const unit_info& u, int from, int to, int late_from, int late_to,
             std::uint8_t style, rng& r) {
    const behaviour& b = behaviours[u.prof];
    int day;
    if (r.chance(b.on_time)) day = r.range(from, to);
    else if (u.prof == good || r.chance(0.5)) day = r.range(late_from, late_to);
    else return;
    m.ev(type, u.entity, day, working_time(r), style);
}

// Coverage of `items` by events of `type` (the item in `ref`) dated between from and to; the
// ones left out are delivered late (after `to`, up to late_to) or never.
void cover(model& m, std::uint8_t type, std::uint32_t unit, profile p, const std::vector<std::uint32_t>& items,
           int from, int to, int late_to, std::uint8_t style, rng& r) {
    const int n = static_cast<int>(items.size());
    const std::vector<int> missing = pick(n, missing_count(n, p, r), r);
    for (int i = 0; i < n; ++i) {
        const std::uint32_t item = items[static_cast<std::size_t>(i)];
        const entity& e = m.ents[item];
        int lo = from;
        if (e.since != INT32_MIN) lo = std::max(lo, e.since);
        int day = r.range(lo, std::max(lo, to));
        if (std::binary_search(missing.begin(), missing.end(), i)) {
            if (late_to <= to || r.chance(0.5)) continue;
            day = r.range(to + 1, late_to);
        }
        if (e.until != INT32_MIN && day >= e.until) continue;  // moved out first
        m.ev(type, unit, day, working_time(r), style).ref = item;
    }
}

void build_registry(model& m) {
    config& c = m.cfg;
    rng r = stream(1);
    const std::string& px = c.prefix;
    m.town = m.add(px + "goutang", k_town, -1, "苟堂镇");
    const int vw = std::max(2, static_cast<int>(std::to_string(c.villages).size()));
    std::vector<int> name_order(static_cast<std::size_t>(24 * 21));
    for (std::size_t i = 0; i < name_order.size(); ++i) name_order[i] = static_cast<int>(i);
    shuffle(name_order, r);

    auto children = [&](unit_info& u, std::uint8_t kind, const int* range, const char* prefix, int width, rng& rr) {
        const int n = rr.range(range[0], range[1]);
        for (int i = 1; i <= n; ++i) {
            const std::uint32_t e = m.add(m.ents[u.entity].id + "-" + prefix + pad(i, width), kind,
                                          static_cast<std::int32_t>(u.entity));
            u.children[kind].push_back(e);
        }
    };

    for (int v = 1; v <= c.villages; ++v) {
        rng rv = stream(100, static_cast<std::uint64_t>(v));
        unit_info u;
        const int ni = name_order[static_cast<std::size_t>(v - 1) % name_order.size()];
        std::string name = std::string(name_first[ni / 21]) + name_second[ni % 21] + "村";
        if (v > static_cast<int>(name_order.size())) name += std::to_string(v / static_cast<int>(name_order.size()) + 1);
        u.entity = m.add(px + "v" + pad(v, vw), k_village, static_cast<std::int32_t>(m.town), name);
        u.dated = rv.chance(0.7);
        children(u, k_villager_group, c.groups, "g", 2, rv);
        for (std::size_t i = 0; i < u.children[k_villager_group].size(); ++i)
            m.ents[u.children[k_villager_group][i]].name = std::to_string(i + 1) + "组";
        children(u, k_community, c.communities, "c", 2, rv);
        children(u, k_enterprise, c.enterprises, "e", 2, rv);
        children(u, k_institution, c.institutions, "i", 2, rv);
        if (v % 8 != 5) children(u, k_stairwell, c.stairwells, "s", 3, rv);  // else single-storey houses only
        children(u, k_household, c.households, "h", 4, rv);
        children(u, k_merchant, c.merchants, "m", 3, rv);
        children(u, k_key_person, c.key_persons, "k", 3, rv);
        children(u, k_staff, c.village_staff, "f", 2, rv);
        for (std::uint32_t h : u.children[k_household]) {
            if (rv.below(100) == 0) m.ents[h].since = rv.range(D(6, 1), D(11, 30));  // moved in
            else if (rv.below(150) == 0) m.moved_out.emplace_back(h, rv.range(D(4, 1), D(11, 30)));
        }
        for (std::uint32_t s : u.children[k_staff]) {
            m.ents[s].name = person_name(rv.next());
            if (rv.below(30) == 0) m.ents[s].since = rv.range(D(6, 1), D(10, 31));
        }
        m.villages.push_back(std::move(u));
    }
    for (auto& [h, until] : m.moved_out) m.ents[h].until = until;

    auto outlet_count = [&](int per, rng& rr) { return std::max(2, (c.villages + per / 2) / per + rr.range(-1, 1)); };
    // The first outlet of an operator or bank has a screen; of the others, 1 in 8 has none and
    // 1 in 10 leaves the field out (neither is held to the screen share), and the last outlet
    // of the last operator has none, so that every sample has one.
    auto screen_of = [](int i, rng& rr) -> std::int8_t {
        if (i == 1) return 1;
        const auto x = rr.below(40);
        return x < 5 ? 0 : x < 9 ? -1 : 1;
    };
    for (int o = 1; o <= 3; ++o) {
        rng ro = stream(200, static_cast<std::uint64_t>(o));
        unit_info u;
        u.entity = m.add(px + "op" + std::to_string(o), k_operator, static_cast<std::int32_t>(m.town),
                         std::string(operator_names[o - 1]) + "苟堂营业部");
        const int n = outlet_count(8, ro);
        for (int i = 1; i <= n; ++i) {
            u.outlets.push_back(m.add(m.ents[u.entity].id + "-o" + pad(i, 2), k_outlet,
                                      static_cast<std::int32_t>(u.entity),
                                      std::string(operator_names[o - 1]) + "营业厅" + std::to_string(i)));
            m.ents[u.outlets.back()].screen = o == 3 && i == n ? 0 : screen_of(i, ro);
        }
        m.operators.push_back(std::move(u));
    }
    for (int b = 1; b <= c.banks; ++b) {
        rng rb = stream(300, static_cast<std::uint64_t>(b));
        unit_info u;
        const std::string bank_name = bank_names[(b - 1) % 8];
        u.entity = m.add(px + "bk" + std::to_string(b), k_bank, static_cast<std::int32_t>(m.town), bank_name + "苟堂支行");
        const int n = outlet_count(12, rb);
        for (int i = 1; i <= n; ++i) {
            const std::uint32_t out = m.add(m.ents[u.entity].id + "-o" + pad(i, 2), k_outlet,
                                            static_cast<std::int32_t>(u.entity), bank_name + "网点" + std::to_string(i));
            u.outlets.push_back(out);
            m.ents[out].screen = screen_of(i, rb);
            const int counters = rb.range(2, 6), atms = rb.range(1, 3);
            for (int k = 1; k <= counters; ++k)
                u.children[k_counter].push_back(m.add(m.ents[out].id + "-c" + std::to_string(k), k_counter,
                                                      static_cast<std::int32_t>(out)));
            for (int k = 1; k <= atms; ++k)
                u.children[k_atm].push_back(m.add(m.ents[out].id + "-a" + std::to_string(k), k_atm,
                                                  static_cast<std::int32_t>(out)));
        }
        m.banks.push_back(std::move(u));
    }
    for (int s = 1; s <= c.central_schools; ++s) {
        unit_info u;
        u.entity = m.add(px + "cs" + std::to_string(s), k_central_school, static_cast<std::int32_t>(m.town),
                         s == 1 ? "苟堂镇中心校" : "苟堂镇第" + std::to_string(s) + "中心校");
        m.central_schools.push_back(std::move(u));
    }
    for (int s = 1; s <= c.schools; ++s) {
        rng rs = stream(400, static_cast<std::uint64_t>(s));
        const std::size_t owner = static_cast<std::size_t>((s - 1) * c.central_schools / c.schools);
        unit_info& cs = m.central_schools[owner];
        unit_info u;
        const int index = static_cast<int>(cs.children[k_school].size()) + 1;
        u.entity = m.add(m.ents[cs.entity].id + "-s" + pad(index, 2), k_school, static_cast<std::int32_t>(cs.entity),
                         (s % 3 == 1 ? "中学" : "小学") + std::to_string(s));
        children(u, k_student, c.students, "", 4, rs);
        cs.children[k_school].push_back(u.entity);
        m.schools.push_back(std::move(u));
    }
    auto staffed = [&](std::vector<unit_info>& list, int n, std::uint8_t kind, const std::string& prefix, int width,
                       const int* staff, std::uint64_t tag, auto name_of) {
        for (int i = 1; i <= n; ++i) {
            rng ru = stream(tag, static_cast<std::uint64_t>(i));
            unit_info u;
            u.entity = m.add(px + prefix + pad(i, width), kind, static_cast<std::int32_t>(m.town), name_of(i));
            children(u, k_staff, staff, "f", 2, ru);
            for (std::uint32_t s : u.children[k_staff]) {
                m.ents[s].name = person_name(ru.next());
                if (ru.below(30) == 0) m.ents[s].since = ru.range(D(6, 1), D(10, 31));
            }
            list.push_back(std::move(u));
        }
    };
    staffed(m.members, c.members, k_member, "m", 2, c.member_staff, 500,
            [](int i) { return i <= 30 ? std::string(member_names[i - 1]) : "成员单位" + std::to_string(i); });
    const int police_staff[2] = {10, 30}, finance_staff[2] = {4, 8};
    staffed(m.police, c.police, k_police_station, "ps", 1, police_staff, 600,
            [](int i) { return i == 1 ? std::string("苟堂派出所") : "派出所" + std::to_string(i); });
    staffed(m.finance, c.finance, k_finance_office, "fo", 1, finance_staff, 700,
            [](int i) { return i == 1 ? std::string("苟堂财政所") : "财政所" + std::to_string(i); });

    // Profiles.
    rng rp = stream(2);
    auto assign = [](std::vector<unit_info>& list, const std::vector<profile>& p) {
        for (std::size_t i = 0; i < list.size(); ++i) list[i].prof = p[i];
    };
    assign(m.villages, profiles(static_cast<int>(m.villages.size()), 0.22, 0.06, m.villages.size() >= 5 ? 1 : 0, rp));
    assign(m.members, profiles(static_cast<int>(m.members.size()), 0.25, 0.05, 0, rp));
    assign(m.schools, profiles(static_cast<int>(m.schools.size()), 0.15, 0.0, 0, rp));
    assign(m.central_schools, profiles(static_cast<int>(m.central_schools.size()), 0.2, 0.0, 0, rp));
    m.problem_operator = rp.below(m.operators.size());
    m.operators[m.problem_operator].prof = problem;
    m.problem_bank = rp.below(m.banks.size());
    m.banks[m.problem_bank].prof = problem;
    m.no_screen_bank = (m.problem_bank + 1 + rp.below(m.banks.size() - 1)) % m.banks.size();
    for (std::size_t i = 0; i < m.banks.size(); ++i)
        if (i != m.problem_bank && rp.chance(0.3)) m.banks[i].prof = lax;

    // Outlets and their screens; the anti-fraud share per owner and month.
    auto owner_shares = [&](const unit_info& u, rng& rr) {
        for (int mo = 3; mo <= 12; ++mo)
            m.share.push_back(rr.chance(behaviours[u.prof].share_dip) && mo >= 4 ? 0.10 + 0.04 * rr.unit()
                                                                                 : 0.17 + 0.08 * rr.unit());
    };
    // Only outlets with a screen report screen time. The second outlet of the first bank that is
    // neither the problem bank nor the one without screen time until June plays 8% in August:
    // judged per outlet its bank fails that month, whatever the pool says.
    std::size_t weak_bank = 0;
    while (weak_bank == m.problem_bank || weak_bank == m.no_screen_bank) ++weak_bank;
    for (std::size_t i = 0; i < m.operators.size(); ++i) {
        owner_shares(m.operators[i], rp);
        for (std::uint32_t o : m.operators[i].outlets)
            if (m.ents[o].screen == 1) m.outlets.push_back({o, k_operator, i, model_from, 0});
    }
    for (std::size_t i = 0; i < m.banks.size(); ++i) {
        owner_shares(m.banks[i], rp);
        const auto& outs = m.banks[i].outlets;
        for (std::size_t k = 0; k < outs.size(); ++k)
            if (m.ents[outs[k]].screen == 1)
                m.outlets.push_back({outs[k], k_bank, i, i == m.no_screen_bank ? D(6, 1) : model_from,
                                     i == weak_bank && k == 1 ? 8 : 0});
    }
}

void build_events(model& m) {
    // ------------------------------------------------------------ the town and the police
    {
        rng r = stream(10);
        auto& taskforce = m.ev(t_taskforce_formed, m.town, D(3, 2), 0, s_date);
        taskforce.a = static_cast<std::int64_t>(r.next() >> 1);
        taskforce.b = static_cast<std::int64_t>(r.next() >> 1);
        m.ev(t_mobilization_meeting, m.town, D(3, 6), 9 * 3600 + 1800, s_local);
        // Spot checks: about two a month from May, and a few in December (the review).
        std::vector<std::uint32_t> targets;
        for (auto* list : {&m.villages, &m.members, &m.operators, &m.banks, &m.central_schools})
            for (const auto& u : *list) targets.push_back(u.entity);
        for (int mo = 5; mo <= 12; ++mo) {
            const int n = mo == 12 ? r.range(2, 4) : r.range(0, 3);
            for (int i = 0; i < n; ++i) {
                const int day = r.range(month_first(mo), mo == 12 ? D(12, 20) : month_last(mo));
                m.ev(t_spot_check, m.town, day, working_time(r), s_local).ref = targets[r.below(targets.size())];
            }
        }
        // Representatives' trainings, by police station, in batches; now and then one or two
        // units miss March and attend an April batch.
        std::vector<std::vector<std::uint32_t>> areas(m.police.size());
        for (std::size_t v = 0; v < m.villages.size(); ++v)
            areas[v * m.police.size() / m.villages.size()].push_back(m.villages[v].entity);
        for (const auto& o : m.operators) areas[0].push_back(o.entity);
        for (const auto& b : m.banks) areas[0].push_back(b.entity);
        for (std::size_t p = 0; p < m.police.size(); ++p) {
            auto units = areas[p];
            shuffle(units, r);
            std::vector<std::uint32_t> late;
            if (r.chance(0.2)) {
                const int n = r.range(1, 2);
                for (int i = 0; i < n && units.size() > 1; ++i) {
                    late.push_back(units.back());
                    units.pop_back();
                }
            }
            for (std::size_t i = 0; i < units.size();) {
                const std::size_t n = std::min(units.size() - i, static_cast<std::size_t>(r.range(6, 12)));
                std::vector<std::uint32_t> batch(units.begin() + static_cast<long>(i), units.begin() + static_cast<long>(i + n));
                std::sort(batch.begin(), batch.end());
                auto& e = m.ev(t_rep_training, m.police[p].entity, r.range(D(3, 3), D(3, 28)), working_time(r), s_local);
                e.a = static_cast<std::int64_t>(m.rep_sets.size());
                m.rep_sets.push_back(std::move(batch));
                i += n;
            }
            if (!late.empty()) {
                std::sort(late.begin(), late.end());
                // The town reports a March session of its own for them: not the police
                // station's training, so it covers nobody.
                auto& own = m.ev(t_rep_training, m.town, r.range(D(3, 3), D(3, 28)), working_time(r), s_local);
                own.a = static_cast<std::int64_t>(m.rep_sets.size());
                m.rep_sets.push_back(late);
                auto& e = m.ev(t_rep_training, m.police[p].entity, r.range(D(4, 6), D(4, 20)), working_time(r), s_local);
                e.a = static_cast<std::int64_t>(m.rep_sets.size());
                m.rep_sets.push_back(std::move(late));
            }
        }
    }

    // ------------------------------------------------------------ villages
    for (std::size_t vi = 0; vi < m.villages.size(); ++vi) {
        const unit_info& v = m.villages[vi];
        const behaviour& b = behaviours[v.prof];
        rng r = stream(1000, vi);
        const std::uint8_t own = v.dated ? s_local : s_date;  // field-work records
        const int staff = static_cast<int>(v.children[k_staff].size());

        {  // task force: a problem village always forms its own late
            int day = r.chance(b.on_time) ? r.range(D(3, 2), D(3, 25)) : (r.chance(0.6) ? r.range(D(4, 3), D(4, 20)) : 0);
            if (v.prof == problem && day && day <= D(3, 31)) day = r.range(D(4, 3), D(4, 20));
            if (day) {
                auto& e = m.ev(t_taskforce_formed, v.entity, day, 0, s_date);
                e.a = static_cast<std::int64_t>(r.next() >> 1);
                e.b = static_cast<std::int64_t>(r.next() >> 1);
            }
        }
        one_off(m, t_mobilization_meeting, v, D(3, 5), D(3, 30), D(4, 3), D(4, 28), s_local, r);
        one_off(m, t_plan_issued, v, D(3, 20), D(4, 28), D(5, 5), D(6, 30), s_date, r);

        // Monthly activities at qualifying venues; some months missed, some at other venues;
        // in December some villages have not held (or reported) theirs by the 31st.
        for (int mo = 4; mo <= 12; ++mo) {
            int n = r.chance(b.month_miss) ? 0 : 1 + (r.chance(0.3) ? 1 : 0) + (r.chance(0.1) ? 1 : 0);
            if (mo == 12 && r.chance(v.prof == good ? 0.08 : 0.25)) n = 0;
            const int last = mo == 12 ? D(12, 30) : month_last(mo);
            for (int i = 0; i < n; ++i) {
                auto& e = m.ev(t_activity, v.entity, r.range(month_first(mo), last), working_time(r), s_local);
                e.a = static_cast<std::int64_t>(r.below(qualifying_venues));
                e.b = static_cast<std::int64_t>(1 + r.below(127));
            }
            if (r.chance(0.2)) {
                auto& e = m.ev(t_activity, v.entity, r.range(month_first(mo), last), working_time(r), s_local);
                e.a = qualifying_venues + static_cast<std::int64_t>(r.below(2));
                e.b = static_cast<std::int64_t>(1 + r.below(127));
                // On market day the market is a crowded place (人员密集场所), and some records say
                // so: those count for the month; some say it was not.
                if (e.a == qualifying_venues) {
                    const auto x = r.below(3);
                    if (x == 0) e.flags |= 2;
                    else if (x == 1) e.flags |= 4;
                }
            }
        }
        // "三个一" by 31 May, pledges by 30 May; the ones left out come late or not at all.
        std::vector<std::uint32_t> sites;
        for (std::uint8_t k : {k_villager_group, k_community, k_enterprise, k_institution})
            sites.insert(sites.end(), v.children[k].begin(), v.children[k].end());
        cover(m, t_banner_hung, v.entity, v.prof, sites, D(3, 20), D(5, 28), D(7, 15), own, r);
        cover(m, t_poster_posted, v.entity, v.prof, v.children[k_stairwell], D(4, 1), D(5, 28), D(7, 15), own, r);
        std::vector<std::uint32_t> recipients = v.children[k_household];
        recipients.insert(recipients.end(), v.children[k_merchant].begin(), v.children[k_merchant].end());
        cover(m, t_leaflet_delivered, v.entity, v.prof, recipients, D(4, 1), D(5, 31), D(6, 30), own, r);
        std::vector<std::uint32_t> parties = v.children[k_enterprise];
        parties.insert(parties.end(), v.children[k_institution].begin(), v.children[k_institution].end());
        cover(m, t_pledge_signed, v.entity, v.prof, parties, D(4, 3), D(5, 30), D(6, 20), own, r);
        // Key persons: everyone visited once during the campaign (the missing never), many again.
        {
            const auto& kp = v.children[k_key_person];
            cover(m, t_key_person_visited, v.entity, v.prof, kp, D(4, 1), D(11, 30), D(11, 30), own, r);
            for (std::uint32_t p : kp)
                for (int i = static_cast<int>(r.below(3)); i > 0; --i)
                    m.ev(t_key_person_visited, v.entity, r.range(D(5, 1), D(12, 28)), working_time(r), own).ref = p;
        }
        trainings(m, v, staff, s_local, r);
        follows(m, v, s_local, r);
        fraud_cases(m, v.entity, b.fraud_rate, v.prof == problem ? r.range(4, 9) : 0, s_local, r);
    }

    // ------------------------------------------------------------ operators and banks
    auto column_and_meeting = [&](const unit_info& u, std::uint8_t style, rng& r) {
        one_off(m, t_mobilization_meeting, u, D(3, 5), D(3, 30), D(4, 3), D(4, 28), style, r);
        cover(m, t_column_set_up, u.entity, u.prof, u.outlets, D(3, 3), D(4, 28), D(8, 31), style, r);
    };
    for (std::size_t oi = 0; oi < m.operators.size(); ++oi) {
        const unit_info& o = m.operators[oi];
        const behaviour& b = behaviours[o.prof];
        rng r = stream(2000, oi);
        column_and_meeting(o, s_utc, r);
        const bool problem_unit = oi == m.problem_operator;
        std::vector<int> forced_misses;
        if (problem_unit) forced_misses = pick(9, 3, r);  // months 4..12 with a single SMS campaign
        for (int mo = 3; mo <= 12; ++mo) {
            const bool forced = std::binary_search(forced_misses.begin(), forced_misses.end(), mo - 4);
            const int n = forced || r.chance(b.month_miss) ? 1 : r.range(2, 4);
            for (int i = 0; i < n; ++i) {
                auto& e = m.ev(t_sms_campaign, o.entity, r.range(month_first(mo), month_last(mo)),
                               r.range(7 * 60, 21 * 60) * 60, s_utc);
                e.a = 20000 + static_cast<std::int64_t>(r.below(180000)) * (m.cfg.villages / 24 + 1);
            }
            const int t = r.chance(b.month_miss) ? 0 : (r.chance(0.2) ? 2 : 1);
            for (int i = 0; i < t; ++i) {
                auto& e = m.ev(t_staff_training, o.entity, r.range(month_first(mo), month_last(mo)), working_time(r), s_utc);
                e.b = 20 + static_cast<std::int64_t>(r.below(40));
                e.a = r.chance(b.absent) ? e.b - 1 - static_cast<std::int64_t>(r.below(3)) : e.b;
            }
        }
        fraud_cases(m, o.entity, problem_unit ? 0.5 : 0.2, problem_unit ? 7 : 0, s_utc, r);
    }
    for (std::size_t bi = 0; bi < m.banks.size(); ++bi) {
        const unit_info& k = m.banks[bi];
        const behaviour& b = behaviours[k.prof];
        rng r = stream(3000, bi);
        column_and_meeting(k, s_local, r);
        std::vector<std::uint32_t> signs = k.children[k_counter];
        signs.insert(signs.end(), k.children[k_atm].begin(), k.children[k_atm].end());
        cover(m, t_signage_posted, k.entity, k.prof, signs, D(3, 5), D(4, 28), D(9, 30), s_local, r);
        const bool problem_unit = bi == m.problem_bank;
        std::vector<int> forced_misses;
        if (problem_unit) forced_misses = pick(36, 4, r);  // weeks without an SMS campaign
        int week = 0;
        for (int monday = D(2, 27); monday <= model_to; monday += 7, ++week) {
            const int lo = std::max(monday, model_from), hi = std::min(monday + 6, model_to);
            const bool forced = std::binary_search(forced_misses.begin(), forced_misses.end(), week - 5);
            const int sms = forced || r.chance(b.week_miss) ? 0 : (r.chance(0.2) ? 2 : 1);
            for (int i = 0; i < sms; ++i) {
                auto& e = m.ev(t_sms_campaign, k.entity, r.range(lo, hi), r.range(8 * 60, 20 * 60) * 60, s_local);
                e.a = 5000 + static_cast<std::int64_t>(r.below(60000)) * (m.cfg.villages / 24 + 1);
            }
            const int posts = r.chance(b.week_miss) ? 1 : r.range(2, 3);
            for (int i = 0; i < posts; ++i)
                m.ev(t_official_post, k.entity, r.range(lo, hi), r.range(7 * 60, 22 * 60) * 60, s_local).a =
                    static_cast<std::int64_t>(r.below(4));
        }
        fraud_cases(m, k.entity, problem_unit ? 0.4 : 0.15, problem_unit ? 6 : 0, s_local, r);
        if (problem_unit) m.ev(t_rectified, k.entity, D(12, 31), 16 * 3600, s_local);
    }

    // ------------------------------------------------------------ schools
    for (std::size_t ci = 0; ci < m.central_schools.size(); ++ci) {
        const unit_info& c = m.central_schools[ci];
        rng r = stream(4000, ci);
        one_off(m, t_mobilization_meeting, c, D(3, 5), D(3, 30), D(4, 3), D(4, 28), s_local, r);
        if (r.chance(behaviours[c.prof].on_time)) {
            m.ev(t_volunteer_team_formed, c.entity, r.range(D(4, 1), D(5, 25)), 0, s_date).a = r.range(12, 60);
        } else {
            m.ev(t_volunteer_team_formed, c.entity, r.range(D(6, 5), D(6, 20)), 0, s_date).a = r.range(8, 30);
        }
    }
    for (std::size_t si = 0; si < m.schools.size(); ++si) {
        const unit_info& s = m.schools[si];
        const behaviour& b = behaviours[s.prof];
        rng r = stream(5000, si);
        // The first lax school gives no lecture after the autumn term starts.
        const bool first_lax = s.prof == lax && std::none_of(m.schools.begin(), m.schools.begin() + static_cast<std::ptrdiff_t>(si),
                                                                [](const unit_info& x) { return x.prof == lax; });
        cover(m, t_pledge_signed, s.entity, s.prof, s.children[k_student], D(4, 3), D(5, 26), D(6, 30), s_local, r);
        const int end = D(7, 7) + r.range(-2, 1), start = D(9, 1) + (r.chance(0.3) ? 3 : 0);
        m.ev(t_term_ended, s.entity, end, 0, s_date).a = 0;
        m.ev(t_term_started, s.entity, start, 0, s_date).a = 1;
        auto lecture = [&](int day) {
            m.ev(t_lecture, s.entity, day, working_time(r), s_local).a = static_cast<std::int64_t>(r.below(6));
        };
        // A lax school gives its end-of-term lecture too early.
        if (r.chance(b.on_time) && s.prof != lax) lecture(r.range(end - 13, end));
        else if (r.chance(0.5) || s.prof == lax) lecture(r.range(end - 30, end - 15));  // too early
        if (!first_lax) {
            if (r.chance(b.on_time) && s.prof != lax) lecture(r.range(start, start + 13));
            else if (r.chance(0.5) || s.prof == lax) lecture(r.range(start + 15, start + 30));  // too late
        }
        for (int i = r.range(0, 2); i > 0; --i) lecture(r.chance(0.5) ? r.range(D(4, 10), D(5, 31)) : r.range(D(10, 15), D(12, 20)));
    }

    // ------------------------------------------------------------ member units, police, finance
    for (std::size_t mi = 0; mi < m.members.size(); ++mi) {
        const unit_info& u = m.members[mi];
        const behaviour& b = behaviours[u.prof];
        rng r = stream(6000, mi);
        int day = r.chance(b.on_time) ? r.range(D(3, 2), D(3, 25)) : (r.chance(0.6) ? r.range(D(4, 3), D(4, 20)) : 0);
        if (day) {
            auto& e = m.ev(t_taskforce_formed, u.entity, day, 0, s_date);
            e.a = static_cast<std::int64_t>(r.next() >> 1);
            e.b = static_cast<std::int64_t>(r.next() >> 1);
        }
        one_off(m, t_mobilization_meeting, u, D(3, 5), D(3, 30), D(4, 3), D(4, 28), s_local, r);
        // The first lax member unit issues its own plan late, whatever the dice say.
        const bool first_lax = u.prof == lax && std::none_of(m.members.begin(), m.members.begin() + static_cast<std::ptrdiff_t>(mi),
                                                                [](const unit_info& x) { return x.prof == lax; });
        if (first_lax) m.ev(t_plan_issued, u.entity, r.range(D(5, 5), D(6, 30)), 0, s_date);
        else one_off(m, t_plan_issued, u, D(3, 20), D(4, 28), D(5, 5), D(6, 30), s_date, r);
        trainings(m, u, static_cast<int>(u.children[k_staff].size()), s_local, r);
        follows(m, u, s_local, r);
    }
    for (std::size_t pi = 0; pi < m.police.size(); ++pi) {
        const unit_info& u = m.police[pi];
        rng r = stream(7000, pi);
        for (std::uint32_t s : u.children[k_staff])
            if (r.chance(0.95)) m.ev(t_account_followed, u.entity, r.range(D(3, 2), D(4, 30)), working_time(r), s_local).ref = s;
        for (int i = r.range(2, 5); i > 0; --i)  // lectures at schools and villages
            m.ev(t_lecture, u.entity, r.range(D(4, 1), D(12, 20)), working_time(r), s_local).a =
                static_cast<std::int64_t>(r.below(6));
    }
    for (std::size_t fi = 0; fi < m.finance.size(); ++fi) {
        const unit_info& u = m.finance[fi];
        rng r = stream(8000, fi);
        const int n = fi == 0 || r.chance(0.85) ? r.range(1, 3) : 0;  // the town's own always trains
        for (int i = 0; i < n; ++i)
            m.ev(t_accountant_training, u.entity, r.range(D(5, 10), D(11, 30)), working_time(r), s_local).a = r.range(25, 140);
        for (std::uint32_t s : u.children[k_staff])
            m.ev(t_account_followed, u.entity, r.range(D(3, 2), D(4, 30)), working_time(r), s_local).ref = s;
    }
}

// ------------------------------------------------------------------------------------ writing

struct sink {
    std::FILE* file = nullptr;
    std::string buf;
    bool memory = false;                 // collect lines (for --shuffle)
    std::vector<std::uint64_t> ends;     // line ends, in memory mode
    std::uint64_t lines = 0, bytes = 0;
    bool failed = false;                 // a write failed (errno says why)

    void end_line() {
        buf.push_back('\n');
        ++lines;
        if (memory) {
            ends.push_back(buf.size());
        } else if (buf.size() >= (8u << 20)) {
            flush();
        }
    }
    void flush() {
        if (file && !buf.empty()) {
            if (std::fwrite(buf.data(), 1, buf.size(), file) != buf.size()) failed = true;
            bytes += buf.size();
            buf.clear();
        }
    }
};

struct writer {
    const model& m;
    std::string line;  // scratch

    void time(std::string& o, int day, int sod, std::uint8_t style) const {
        o += "\"time\":\"";
        if (style == s_date || sod < 0) {
            put_date(o, day);
        } else {
            std::int64_t t = static_cast<std::int64_t>(day) * 86400 + sod;
            if (style == s_utc) t -= plan_offset;
            const int d = static_cast<int>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
            const int s = static_cast<int>(t - static_cast<std::int64_t>(d) * 86400);
            put_date(o, d);
            o.push_back('T');
            put2(o, s / 3600);
            o.push_back(':');
            put2(o, s / 60 % 60);
            o.push_back(':');
            put2(o, s % 60);
            o += style == s_utc ? "Z" : "+08:00";
        }
        o.push_back('"');
    }

    // The type's own fields, each preceded by a comma.
    void fields(std::string& o, const event& e) const {
        auto key = [&](const char* k) {
            o += ",\"";
            o += k;
            o += "\":";
        };
        if (const char* f = ref_field(e.type)) {
            key(f);
            put_str(o, m.ents[e.ref].id);
            return;
        }
        switch (e.type) {
            case t_taskforce_formed:
                key("leader");
                put_str(o, person_name(static_cast<std::uint64_t>(e.a)));
                key("liaison");
                put_str(o, person_name(static_cast<std::uint64_t>(e.b)));
                break;
            case t_rep_training: {
                key("units");
                o.push_back('[');
                bool first = true;
                for (std::uint32_t u : m.rep_sets[static_cast<std::size_t>(e.a)]) {
                    if (!first) o.push_back(',');
                    first = false;
                    put_str(o, m.ents[u].id);
                }
                o.push_back(']');
                break;
            }
            case t_activity: {
                key("venue");
                put_str(o, venues[e.a]);
                key("methods");
                o.push_back('[');
                bool first = true;
                for (int i = 0; i < 7; ++i)
                    if (e.b >> i & 1) {
                        if (!first) o.push_back(',');
                        first = false;
                        put_str(o, methods[i]);
                    }
                o.push_back(']');
                if (e.flags & 6) {
                    key("crowded");
                    o += e.flags & 2 ? "true" : "false";
                }
                if (e.flags & 1) {
                    key("photos");
                    put_int(o, 3 + e.b % 10);
                }
                break;
            }
            case t_screen_play:
                key("seconds");
                put_fixed(o, e.a, 1);
                key("antifraud");
                o += e.b ? "true" : "false";
                break;
            case t_sms_campaign:
                key("recipients");
                put_int(o, e.a);
                break;
            case t_staff_training:
                key("attendees");
                put_int(o, e.a);
                key("expected");
                put_int(o, e.b);
                break;
            case t_official_post:
                key("channel");
                put_str(o, channels[e.a]);
                break;
            case t_volunteer_team_formed:
                key("members");
                put_int(o, e.a);
                break;
            case t_term_started:
            case t_term_ended:
                key("term");
                put_str(o, terms[e.a]);
                break;
            case t_lecture:
                key("topic");
                put_str(o, topics[e.a]);
                break;
            case t_accountant_training:
                key("attendees");
                put_int(o, e.a);
                break;
            case t_fraud_case:
                key("amount");
                put_fixed(o, e.a, 2);
                break;
            default: break;  // mobilization_meeting, plan_issued, rectified: no fields
        }
    }

    // variant 0: the usual key order; 1: another key order; `unit` overrides the unit's id.
    void format(std::string& o, const event& e, std::uint64_t id, int variant = 0, std::uint8_t style = 255,
                const std::string* unit = nullptr) const {
        const std::uint8_t st = style == 255 ? e.style : style;
        const std::string& u = unit ? *unit : m.ents[e.unit].id;
        if (variant == 1) {
            o += "{\"type\":\"";
            o += type_names[e.type];
            o += "\",\"unit\":";
            put_str(o, u);
            o.push_back(',');
            time(o, e.day, e.sod, st);
            fields(o, e);
            o += ",\"id\":\"";
            o += m.cfg.prefix;
            o += "e";
            put_uint(o, id);
            o += "\"}";
            return;
        }
        o += "{\"id\":\"";
        o += m.cfg.prefix;
        o += "e";
        put_uint(o, id);
        o += "\",\"type\":\"";
        o += type_names[e.type];
        o += "\",";
        time(o, e.day, e.sod, st);
        o += ",\"unit\":";
        put_str(o, u);
        fields(o, e);
        o.push_back('}');
    }
};

void write_registry(const model& m, sink& out) {
    std::string& o = out.buf;
    auto entity_line = [&](const entity& e, int version) {
        o += "{\"entity\":";
        put_str(o, e.id);
        o += ",\"kind\":\"";
        o += kind_names[e.kind];
        o.push_back('"');
        if (e.parent >= 0) {
            o += ",\"parent\":";
            put_str(o, m.ents[static_cast<std::size_t>(e.parent)].id);
        }
        if (!e.name.empty()) {
            o += ",\"name\":";
            put_str(o, e.name);
        }
        if (e.screen >= 0) o += e.screen ? ",\"screen\":true" : ",\"screen\":false";
        if (e.since != INT32_MIN) {
            o += ",\"since\":\"";
            put_date(o, e.since);
            o.push_back('"');
        }
        if (version > 0) {
            o += ",\"until\":\"";
            put_date(o, e.until);
            o += "\",\"version\":";
            put_int(o, version);
        }
        o.push_back('}');
        out.end_line();
    };
    for (const entity& e : m.ents) entity_line(e, 0);
    for (const auto& [h, until] : m.moved_out) {
        (void)until;
        entity_line(m.ents[h], 1);
    }
}

void write_events(const model& m, sink& out, int from, int to, stats& n) {
    writer w{m, {}};
    std::string& o = out.buf;
    // Bucket the sparse events by day (a counting sort keeps generation order within a day).
    const int days = model_to - model_from + 1;
    for (const event& e : m.events)
        if (e.day < model_from || e.day > model_to) {
            std::fprintf(stderr, "mandate-generate: internal error: a %s event outside the model's year\n", type_names[e.type]);
            std::exit(3);
        }
    std::vector<std::uint32_t> start(static_cast<std::size_t>(days) + 1, 0);
    for (const event& e : m.events) ++start[static_cast<std::size_t>(e.day - model_from) + 1];
    for (int d = 0; d < days; ++d) start[static_cast<std::size_t>(d) + 1] += start[static_cast<std::size_t>(d)];
    std::vector<std::uint32_t> order(m.events.size());
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::uint32_t i = 0; i < m.events.size(); ++i)
            order[fill[static_cast<std::size_t>(m.events[i].day - model_from)]++] = i;
    }
    const int vw = std::max(2, static_cast<int>(std::to_string(m.cfg.villages).size()));
    const std::string unregistered_village = m.cfg.prefix + "v" + pad(m.cfg.villages + 1, vw);
    const int slots = std::max(1, m.cfg.screen_slots);

    std::uint64_t next_id = 1, activities = 0;
    std::vector<event> today;
    std::string tail;  // records sent at the end of the day
    for (int day = std::max(from, model_from); day <= std::min(to, model_to); ++day) {
        const std::size_t di = static_cast<std::size_t>(day - model_from);
        today.clear();
        for (std::uint32_t k = start[di]; k < start[di + 1]; ++k) today.push_back(m.events[order[k]]);
        // Screen time: per outlet, `slots` reports over the opening hours (operators 9:00-19:00
        // in UTC, banks 9:00-17:00 local), each an anti-fraud row and an other row.
        int mo, dd, yy;
        civil_from_days(day, yy, mo, dd);
        for (std::size_t oi = 0; oi < m.outlets.size(); ++oi) {
            const auto& ou = m.outlets[oi];
            if (day < ou.screens_from) continue;
            rng r = stream(9000 + static_cast<std::uint64_t>(day), oi);
            if (r.below(100) == 0) continue;  // screen off for the day
            const bool op = ou.owner_kind == k_operator;
            const std::size_t share_index = ((op ? 0 : m.operators.size()) + ou.owner) * 10 + static_cast<std::size_t>(mo - 3);
            const double share = mo == ou.weak_month ? 0.08 : m.share[share_index];
            const int open = op ? 9 * 3600 : 9 * 3600, length = (op ? 36000 : 28800) / slots;
            for (int s = 0; s < slots; ++s) {
                const double x = share + (r.unit() - 0.5) * 0.06;
                // Operators report whole seconds; banks tenths of a second.
                const std::int64_t total = static_cast<std::int64_t>(length) * 10;
                std::int64_t anti = static_cast<std::int64_t>(x * static_cast<double>(total) + 0.5);
                if (op) anti -= anti % 10;
                anti = std::max<std::int64_t>(0, std::min(total, anti));
                event e;
                e.type = t_screen_play;
                e.day = day;
                e.sod = open + s * length;
                e.unit = ou.entity;
                e.style = op ? s_utc : s_local;
                e.a = anti;
                e.b = 1;
                today.push_back(e);
                e.a = total - anti;
                e.b = 0;
                today.push_back(e);
            }
        }
        std::stable_sort(today.begin(), today.end(), [](const event& a, const event& b) { return a.sod < b.sod; });

        tail.clear();
        for (event& e : today) {
            if (e.type == t_activity && ++activities % 40 == 0) {
                e.flags |= 1;
                ++n.ignored;
            }
            const std::uint64_t id = next_id++;
            const std::size_t begin = o.size();
            w.format(o, e, id);
            const std::size_t end = o.size();
            out.end_line();
            ++n.events_by_type[e.type].second;
            const std::uint64_t s = ++n.base;
            if (s % 1000 == 500) {  // sent again
                const int variant = static_cast<int>(s / 1000 % 3);
                if (variant == 2 && e.style != s_date) w.format(tail, e, id, 0, e.style == s_utc ? s_local : s_utc);
                else w.format(tail, e, id, variant == 1 ? 1 : 0);
                tail.push_back('\n');
                ++n.duplicates;
            }
            if (s % 5000 == 1250) {  // a double entry, retracted at the end of the day
                const std::uint64_t extra = next_id++;
                w.format(o, e, extra);
                out.end_line();
                tail += "{\"retract\":\"";
                tail += m.cfg.prefix;
                tail += "e";
                put_uint(tail, extra);
                tail += "\"}\n";
                ++n.retractions;
            }
            if (s % 5000 == 2750) {  // an id sent with two different contents
                const std::uint64_t extra = next_id++;
                w.format(o, e, extra);
                out.end_line();
                event other = e;
                if (other.sod >= 0) other.sod = std::min(other.sod + 3600, 86399);
                else other.day += 1;
                w.format(tail, other, extra);
                tail.push_back('\n');
                ++n.conflicts;
            }
            if (s % 5000 == 3250) {  // a village the registry does not hold yet
                event x;
                x.day = e.day;
                x.sod = e.sod >= 0 ? e.sod : 10 * 3600;
                x.style = s_local;
                if (n.unregistered % 2 == 0) {
                    x.type = t_activity;
                    x.a = 1;
                    x.b = 5;
                } else {
                    x.type = t_fraud_case;
                    x.a = 1280000;
                }
                w.format(o, x, next_id++, 0, 255, &unregistered_village);
                out.end_line();
                ++n.unregistered;
            }
            if (s % 5000 == 4250) {  // a line cut short
                const std::string cut = o.substr(begin, (end - begin) * 3 / 5);
                o += cut;
                out.end_line();
                ++n.malformed;
            }
            if (s % 10000 == 6100) {  // seconds as a string
                o += "{\"id\":\"";
                o += m.cfg.prefix;
                o += "e";
                put_uint(o, next_id++);
                o += "\",\"type\":\"screen_play\",";
                w.time(o, e.day, e.sod >= 0 ? e.sod : 12 * 3600, s_local);
                o += ",\"unit\":";
                put_str(o, m.ents[m.outlets[0].entity].id);
                o += ",\"seconds\":\"600\",\"antifraud\":true}";
                out.end_line();
                ++n.mistyped;
            }
        }
        // The end of the day's batch: re-sent records, retractions, conflicting ids.
        std::size_t p = 0;
        while (p < tail.size()) {
            const std::size_t q = tail.find('\n', p);
            o.append(tail, p, q - p);
            out.end_line();
            p = q + 1;
        }
    }
}


// Builds the model and writes it: the registry into `reg`, the events into `evs` (shuffled in
// memory first when asked).
bool write_town(const config& cfg, sink& reg, sink& evs, stats& n);

// Several towns: each written whole (registry, then events) after the one before; the counts
// added up.
bool write_all(const config& cfg, sink& reg, sink& evs, stats& n) {
    if (cfg.towns <= 1) return write_town(cfg, reg, evs, n);
    const int width = static_cast<int>(std::to_string(cfg.towns).size());
    for (int k = 1; k <= cfg.towns; ++k) {
        config town = cfg;
        town.towns = 1;
        town.seed = cfg.seed + static_cast<std::uint64_t>(k - 1) * 1000003u;
        town.prefix = cfg.prefix + "t" + pad(k, width) + "-";
        stats t;
        if (!write_town(town, reg, evs, t)) return false;
        if (k == 1) {
            n = t;
            continue;
        }
        for (std::size_t i = 0; i < n.entities_by_kind.size(); ++i) n.entities_by_kind[i].second += t.entities_by_kind[i].second;
        for (std::size_t i = 0; i < n.events_by_type.size(); ++i) n.events_by_type[i].second += t.events_by_type[i].second;
        n.entity_updates += t.entity_updates;
        n.base += t.base;
        n.duplicates += t.duplicates;
        n.retractions += t.retractions;
        n.conflicts += t.conflicts;
        n.unregistered += t.unregistered;
        n.malformed += t.malformed;
        n.mistyped += t.mistyped;
        n.ignored += t.ignored;
        n.registry_lines = t.registry_lines, n.event_lines = t.event_lines;  // the sinks count all towns
        n.registry_bytes = t.registry_bytes, n.event_bytes = t.event_bytes;
    }
    return true;
}

bool write_town(const config& cfg, sink& reg, sink& evs, stats& n) {
    g_seed = cfg.seed;
    model m;
    m.cfg = cfg;
    build_registry(m);
    build_events(m);
    write_registry(m, reg);
    reg.flush();
    const bool in_memory = !evs.file;
    const std::size_t first = evs.buf.size();  // in memory, the towns before this one come first
    evs.memory = cfg.shuffle;
    n.events_by_type.clear();
    for (int t = 0; t < type_count; ++t) n.events_by_type.emplace_back(type_names[t], 0);
    write_events(m, evs, cfg.from, cfg.to, n);
    if (cfg.shuffle) {
        std::vector<std::uint64_t> lines(evs.ends.size());
        for (std::size_t i = 0; i < lines.size(); ++i) lines[i] = i;
        rng r = stream(99);
        shuffle(lines, r);
        std::string all = evs.buf.substr(first);
        evs.buf.resize(first);
        std::vector<std::uint64_t> ends;
        ends.swap(evs.ends);
        if (in_memory) evs.buf.reserve(first + all.size());
        evs.memory = false;
        for (std::uint64_t k : lines) {
            const std::uint64_t b = (k ? ends[k - 1] : first) - first, e = ends[k] - first;
            evs.buf.append(all, b, e - b);
            if (!in_memory && evs.buf.size() >= (8u << 20)) evs.flush();
        }
    }
    evs.flush();
    std::uint64_t by_kind[kind_count] = {};
    for (const entity& e : m.ents) ++by_kind[e.kind];
    n.entities_by_kind.clear();
    for (int k = 0; k < kind_count; ++k) n.entities_by_kind.emplace_back(kind_names[k], by_kind[k]);
    n.entity_updates = m.moved_out.size();
    n.registry_lines = reg.lines;
    n.event_lines = evs.lines;
    n.registry_bytes = reg.file ? reg.bytes : reg.buf.size();
    n.event_bytes = evs.file ? evs.bytes : evs.buf.size();
    return !reg.failed && !evs.failed;
}

int scaled(int n, double factor) {
    const double x = n * factor + 0.5;
    return x < 1 ? 1 : x > 1e6 ? 1000000 : static_cast<int>(x);
}

}  // namespace

config town() { return config{}; }

bool parse_day(const char* text, int& day) { return parse_date(text, day); }

config county(double factor) {
    config c;
    c.scale = factor == 1 ? "county" : "county x" + std::to_string(factor);
    if (factor != 1) {
        // "county x0.100000" -> "county x0.1"
        while (c.scale.back() == '0') c.scale.pop_back();
        if (c.scale.back() == '.') c.scale.pop_back();
    }
    c.factor = factor;
    c.villages = scaled(500, factor);
    c.banks = 8;  // the same eight banks and three operators, with outlets in proportion to villages
    c.central_schools = scaled(5, factor);
    c.schools = scaled(20, factor);
    c.members = scaled(30, factor);
    c.police = scaled(5, factor);
    c.finance = scaled(2, factor);
    auto set = [](int* r, int lo, int hi) { r[0] = lo, r[1] = hi; };
    set(c.groups, 4, 12);
    set(c.communities, 1, 4);
    set(c.enterprises, 2, 8);
    set(c.institutions, 1, 4);
    set(c.stairwells, 10, 60);
    set(c.households, 350, 950);
    set(c.merchants, 20, 100);
    set(c.key_persons, 30, 90);
    set(c.village_staff, 8, 20);
    set(c.member_staff, 6, 25);
    set(c.students, 300, 1200);
    c.screen_slots = 30;
    return c;
}

bool generate(const config& c, std::FILE* registry, std::FILE* events, stats* out) {
    const auto started = std::chrono::steady_clock::now();
    stats n;
    sink reg, evs;
    reg.file = registry;
    evs.file = events;
    if (!write_all(c, reg, evs, n) || std::fflush(events) != 0 || std::fflush(registry) != 0) return false;
    n.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (out) *out = std::move(n);
    return true;
}

dataset generate(const config& c) {
    const auto started = std::chrono::steady_clock::now();
    dataset d;
    sink reg, evs;
    write_all(c, reg, evs, d.counts);
    d.registry.swap(reg.buf);
    d.events.swap(evs.buf);
    d.counts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return d;
}

std::string stats_json(const config& c, const stats& n) {
    std::string o = "{\"scale\":";
    put_str(o, c.scale);
    auto key = [&](const char* k, bool new_line) {
        o += new_line ? ",\n \"" : ",\"";
        o += k;
        o += "\":";
    };
    auto number = [&](const char* k, std::uint64_t v, bool new_line = false) {
        key(k, new_line);
        put_uint(o, v);
    };
    auto counts = [&](const char* k, const std::vector<std::pair<std::string, std::uint64_t>>& list) {
        key(k, true);
        o.push_back('{');
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) o.push_back(',');
            put_str(o, list[i].first);
            o.push_back(':');
            put_uint(o, list[i].second);
        }
        o.push_back('}');
    };
    number("seed", c.seed);
    if (c.towns > 1) number("towns", static_cast<std::uint64_t>(c.towns));
    number("villages", static_cast<std::uint64_t>(c.villages));
    number("registry_lines", n.registry_lines);
    number("event_lines", n.event_lines);
    number("bytes", n.registry_bytes + n.event_bytes);
    counts("entities", n.entities_by_kind);
    number("entity_updates", n.entity_updates, true);
    counts("events", n.events_by_type);
    number("base_events", n.base, true);
    number("duplicates", n.duplicates);
    number("retractions", n.retractions);
    number("conflicts", n.conflicts);
    number("unregistered", n.unregistered);
    number("malformed", n.malformed);
    number("mistyped", n.mistyped);
    number("ignored_photos", n.ignored);
    key("seconds", true);
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.2f", n.seconds);
    o += elapsed;
    o += "}\n";
    return o;
}

}  // namespace mandate::generator
