// The words of people-facing reports: the message catalogue is whole in both languages, values
// print as the plan writes its threshold and never on the wrong side of it, and evidence reads
// as sentences naming units by their registry names.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "mandate/mandate.hpp"
#include "report/words.hpp"

namespace {

using mandate::rational;
using mandate::io::language;
using mandate::io::detail::catalogue;
using mandate::io::detail::number_text;

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    static const std::regex slot(R"(\{[0-9]\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), slot); it != std::sregex_iterator(); ++it) out.insert(it->str());
    return out;
}

TEST(Catalogue, EveryPhraseHasBothLanguagesWithTheSamePlaceholders) {
    ASSERT_GT(catalogue().size(), 100u);
    std::set<std::string> ids;
    for (const auto& e : catalogue()) {
        EXPECT_TRUE(ids.insert(e.id).second) << "phrase " << e.id << " twice";
        EXPECT_NE(std::string(e.en), "") << e.id;
        EXPECT_EQ(placeholders(e.zh), placeholders(e.en)) << e.id << ": " << e.zh << " / " << e.en;
    }
}

TEST(Catalogue, FillPutsArgumentsInEitherOrder) {
    using mandate::io::detail::fill;
    EXPECT_EQ(fill("{1}个{2}中{0}个已有{3}", {"12", "13", "村民小组", "横幅"}), "13个村民小组中12个已有横幅");
    EXPECT_EQ(fill("{0} of {1}", {"12", "13"}), "12 of 13");
    EXPECT_EQ(fill("{0} and {9}", {"a"}), "a and ");  // a slot with no argument is left empty
    EXPECT_EQ(fill("{x} {", {"a"}), "{x} {");          // not a slot
}

TEST(Values, ARatioAgainstAPercentPrintsAsAPercent) {
    const rational fifteen(15, 100);
    // 201323 / 1620000 = 12.4273...% -> 12.43% (two decimals suffice to show it is below 15%).
    EXPECT_EQ(number_text(rational(201323, 1620000), &fifteen, true), "12.43%");
    EXPECT_EQ(number_text(fifteen, &fifteen, true), "15%");
    EXPECT_EQ(number_text(rational(1), nullptr, true), "100%");
    EXPECT_EQ(number_text(rational(0), nullptr, true), "0%");
    EXPECT_EQ(number_text(rational(1, 8), nullptr, true), "12.5%");
}

TEST(Values, AValueThatFailsItsThresholdNeverPrintsEqualToIt) {
    const rational fifteen(15, 100);
    // 0.149996 = 14.9996%: rounded to two decimals it would read 15%, on the other side.
    EXPECT_EQ(number_text(rational(149996, 1000000), &fifteen, true), "14.9996%");
    // 0.1500004 = 15.00004%: above the threshold, so it must not read 15% either.
    EXPECT_EQ(number_text(rational(1500004, 10000000), &fifteen, true), "15.00004%");
    // 14.99999...: more digits until the side shows.
    EXPECT_EQ(number_text(rational(14999999, 100000000), &fifteen, true), "14.999999%");
    // Without a threshold, two decimals.
    EXPECT_EQ(number_text(rational(149996, 1000000), nullptr, true), "15%");
    // A plain number against a plain threshold: 4.99996 against >= 5.
    const rational five(5);
    EXPECT_EQ(number_text(rational(499996, 100000), &five, false), "4.99996");
    EXPECT_EQ(number_text(rational(2, 3), nullptr, false), "0.67");
    EXPECT_EQ(number_text(rational(-2, 3), nullptr, false), "-0.67");
    EXPECT_EQ(number_text(rational(7), &five, false), "7");
    // A tiny value is not shown as zero.
    EXPECT_EQ(number_text(rational(1, 100000), nullptr, false), "0.00001");
}

const char* const plan_text = R"(plan words_demo {
  title "字句测试"
  timezone "+08:00"
}
phase p "宣传阶段" from 2023-04-01 to 2023-05-31
kind town "镇"
kind village "行政村" within town
kind group "村民小组" within village
event banner "悬挂横幅" { site: ref group }
event video "播放视频" { seconds: number, antifraud: bool }
obligation banners "每个村民小组悬挂横幅" {
  each v: village
  during p
  by 2023-05-31
  require coverage(banner.site, group within v) >= 100%
}
obligation share "反诈视频占比不少于15%" {
  each v: village
  during p
  every month
  require sum(video.seconds of v where antifraud) / sum(video.seconds of v) >= 15%
}
outcome criticise "通报批评" {
  each v: village
  during p
  every month
  when violations(of v) >= 1
}
)";

const char* const records = R"({"entity": "t", "kind": "town", "name": "苟堂镇"}
{"entity": "v1", "kind": "village", "parent": "t", "name": "长河村"}
{"entity": "g1", "kind": "group", "parent": "v1", "name": "一组"}
{"entity": "g2", "kind": "group", "parent": "v1", "name": "二组"}
{"entity": "g3", "kind": "group", "parent": "v1", "name": "三组"}
{"id": "b1", "type": "banner", "time": "2023-04-03", "unit": "v1", "site": "g1"}
{"id": "b2", "type": "banner", "time": "2023-04-09", "unit": "v1", "site": "g2"}
{"id": "m1", "type": "video", "time": "2023-04-10", "unit": "v1", "seconds": 149996, "antifraud": true}
{"id": "m2", "type": "video", "time": "2023-04-10", "unit": "v1", "seconds": 850004, "antifraud": false}
)";

struct fixture {
    mandate::report r;
    fixture() {
        auto plan = mandate::compile(plan_text, "words_demo.mandate");
        if (!plan.ok()) throw std::runtime_error("plan does not compile");
        mandate::engine e(plan.value());
        std::istringstream in(records);
        e.add_jsonl(in, "records.jsonl");
        r = e.evaluate(*mandate::calendar::parse_iso("2023-06-10"));
    }
    const mandate::result_row& row(const std::string& rule, const std::string& from) const {
        for (const auto& x : r.results)
            if (x.obligation == rule && mandate::calendar::to_iso(x.span.from) == from) return x;
        throw std::runtime_error("no row " + rule + " " + from);
    }
};

TEST(Words, UnitsByNameAndIdEvidenceInSentences) {
    const fixture f;
    const mandate::io::detail::words zh(f.r, language::zh), en(f.r, language::en);
    EXPECT_EQ(zh.unit(std::string("v1")), "长河村 v1");
    EXPECT_EQ(zh.unit(std::nullopt), "全局");
    EXPECT_EQ(en.unit(std::nullopt), "the plan");
    // Banners: g1 and g2 have one, g3 (三组) has none -> 2 of 3, violated; missing by name.
    const auto& banners = f.row("banners", "2023-04-01");
    EXPECT_EQ(banners.status, mandate::status::violated);
    EXPECT_EQ(zh.value(banners), "66.67%");
    EXPECT_EQ(zh.requirement(*zh.rule(banners.rule)), "\u2265 100%");
    const auto sentences = zh.evidence(banners.rule, banners.unit, banners.evidence, true);
    ASSERT_FALSE(sentences.empty());
    EXPECT_EQ(sentences[0], "3个村民小组中2个已有悬挂横幅；缺：三组");
    const auto english = en.evidence(banners.rule, banners.unit, banners.evidence, true);
    ASSERT_FALSE(english.empty());
    EXPECT_EQ(english[0], "2 of 3 group have banner; missing: 三组");
    // April's share: 149996 / 1000000 = 14.9996%: violated, and it must not read "15%".
    const auto& april = f.row("share", "2023-04-01");
    EXPECT_EQ(april.status, mandate::status::violated);
    EXPECT_EQ(zh.value(april), "14.9996%");
    EXPECT_EQ(zh.requirement(*zh.rule(april.rule)), "\u2265 15%");
    // The outcome names the obligations and periods behind it.
    const mandate::outcome_row* criticised = nullptr;
    for (const auto& o : f.r.outcomes)
        if (o.outcome == "criticise" && mandate::calendar::to_iso(o.span.from) == "2023-04-01") criticised = &o;
    ASSERT_NE(criticised, nullptr);
    EXPECT_TRUE(criticised->fired);
    const auto why = zh.evidence(criticised->rule, criticised->unit, criticised->evidence);
    ASSERT_FALSE(why.empty());
    EXPECT_EQ(why[0], "未达标1项：反诈视频占比不少于15%（2023-04-01至2023-04-30）");
    // May: banners (ends 05-31) and May's share (no video: a ratio over nothing is undefined,
    // and a comparison with undefined is false, so violated with "no data") -> 2, by file order.
    const mandate::outcome_row* may = nullptr;
    for (const auto& o : f.r.outcomes)
        if (o.outcome == "criticise" && mandate::calendar::to_iso(o.span.from) == "2023-05-01") may = &o;
    ASSERT_NE(may, nullptr);
    const auto may_why = en.evidence(may->rule, may->unit, may->evidence);
    ASSERT_FALSE(may_why.empty());
    EXPECT_EQ(may_why[0], "2 violated: banners (2023-04-01..2023-05-31), share (2023-05-01..2023-05-31)");
    EXPECT_EQ(en.value(f.row("share", "2023-05-01")), "no data");
}

}  // namespace
