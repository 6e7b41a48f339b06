// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/yaml_reader.hpp"

#include <gtest/gtest.h>

namespace rap::core {
namespace {

TEST(YamlReader, ReportsSyntaxErrorsWithPosition) {
    Diagnostics diags;
    YamlReader r("broken.yaml", diags);
    EXPECT_FALSE(r.Parse("a: 1\nb: [1, 2\nc: 3\n"));
    ASSERT_EQ(diags.errors().size(), 1U);
    const Error& e = diags.errors()[0];
    EXPECT_EQ(e.where.file, "broken.yaml");
    EXPECT_GE(e.where.line, 2);
    EXPECT_GT(e.where.column, 0);
    EXPECT_NE(e.message.find("YAML syntax error"), std::string::npos);
}

TEST(YamlReader, RejectsUtf16WithAHint) {
    Diagnostics diags;
    YamlReader r("u16.yaml", diags);
    EXPECT_FALSE(r.Parse(std::string("\xFF\xFEs\0c\0", 6)));
    ASSERT_EQ(diags.errors().size(), 1U);
    EXPECT_NE(diags.errors()[0].message.find("UTF-16"), std::string::npos);
}

TEST(YamlReader, RejectsInvalidUtf8AtItsPosition) {
    Diagnostics diags;
    YamlReader r("latin2.yaml", diags);
    EXPECT_FALSE(r.Parse("name:\n  en: Br\xE8ko\n"));
    ASSERT_EQ(diags.errors().size(), 1U);
    EXPECT_EQ(diags.errors()[0].ToString().substr(0, 16), "latin2.yaml:2:9:");
}

TEST(YamlReader, AcceptsAByteOrderMark) {
    Diagnostics diags;
    YamlReader r("bom.yaml", diags);
    auto root = r.Parse("\xEF\xBB\xBF" "a: 1\n");
    ASSERT_TRUE(root);
    EXPECT_EQ((*root)["a"].Scalar(), "1");
    EXPECT_TRUE(diags.empty());
}

TEST(YamlReader, RejectsEmptyFilesAndNulBytes) {
    Diagnostics diags;
    YamlReader r("empty.yaml", diags);
    EXPECT_FALSE(r.Parse(""));
    EXPECT_FALSE(r.Parse(std::string("a: 1\n\0", 6)));
    EXPECT_EQ(diags.errors().size(), 2U);
}

TEST(YamlReader, CheckMapFindsDuplicateUnknownAndMissingKeys) {
    Diagnostics diags;
    YamlReader r("m.yaml", diags);
    auto root = r.Parse("code: A\ncode: B\nnmae: x\n");
    ASSERT_TRUE(root);
    EXPECT_TRUE(r.CheckMap(*root, "code entry", {"code", "name"}, {}));
    const std::string all = diags.ToString();
    EXPECT_NE(all.find("m.yaml:2:1: code entry: duplicate key 'code'"), std::string::npos) << all;
    EXPECT_NE(all.find("m.yaml:3:1: code entry: unknown key 'nmae'"), std::string::npos) << all;
    EXPECT_NE(all.find("missing required key 'name'"), std::string::npos) << all;
}

TEST(YamlReader, TextNeedsEnglishAndKnownLanguages) {
    Diagnostics diags;
    YamlReader r("t.yaml", diags);
    auto root = r.Parse("a: {sq: Viktima}\nb: {en: Victim, xx: Hmm}\nc: {en: '  '}\nd: plain\n");
    ASSERT_TRUE(root);
    EXPECT_FALSE(r.Text(*root, "a"));
    EXPECT_FALSE(r.Text(*root, "b"));
    EXPECT_FALSE(r.Text(*root, "c"));
    EXPECT_FALSE(r.Text(*root, "d"));
    const std::string all = diags.ToString();
    EXPECT_NE(all.find("needs an English text"), std::string::npos) << all;
    EXPECT_NE(all.find("unknown language tag 'xx'"), std::string::npos) << all;
    EXPECT_NE(all.find("c.en is empty"), std::string::npos) << all;
    EXPECT_NE(all.find("must map language tags to text"), std::string::npos) << all;
}

TEST(YamlReader, TextIsNormalisedToNfc) {
    Diagnostics diags;
    YamlReader r("t.yaml", diags);
    auto root = r.Parse("a: {en: \"e\xCC\x88\"}\n");
    ASSERT_TRUE(root);
    auto t = r.Text(*root, "a");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->Get(), "ë");
}

TEST(YamlReader, IntegersAreCheckedForRange) {
    Diagnostics diags;
    YamlReader r("i.yaml", diags);
    auto root = r.Parse("a: 12\nb: 12x\nc: 99999\n");
    ASSERT_TRUE(root);
    EXPECT_EQ(r.Integer(*root, "a", 0, 100), 12);
    EXPECT_FALSE(r.Integer(*root, "b", 0, 100));
    EXPECT_FALSE(r.Integer(*root, "c", 0, 100));
    EXPECT_EQ(diags.errors().size(), 2U);
}

TEST(YamlReader, AliasBombsStopAtTheNodeBudget) {
    // Each level references the previous one nine times: walking it fully would visit 9^9 nodes.
    std::string doc = "l0: &l0 {x: 1}\n";
    for (int i = 1; i <= 9; ++i) {
        doc += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int j = 0; j < 9; ++j) {
            doc += (j ? ", *l" : "*l") + std::to_string(i - 1);
        }
        doc += "]\n";
    }
    Diagnostics diags;
    YamlReader r("bomb.yaml", diags, /*max_nodes=*/10'000);
    auto root = r.Parse(doc);
    ASSERT_TRUE(root);
    // A recursive walk as the loaders do it, through CheckSeq / CheckMap.
    std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& n) {
        if (n.IsSequence() && r.CheckSeq(n, "x")) {
            for (const auto& c : n) {
                walk(c);
            }
        } else if (n.IsMap() && r.CheckMap(n, "x", {}, {"x", "l0", "l1", "l2", "l3", "l4", "l5",
                                                         "l6", "l7", "l8", "l9"})) {
            for (const auto& e : n) {
                walk(e.second);
            }
        }
    };
    walk(*root);
    EXPECT_NE(diags.ToString().find("more than 10000 nodes"), std::string::npos);
}

}  // namespace
}  // namespace rap::core
