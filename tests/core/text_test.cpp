// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace rap::core {
namespace {

TEST(LocalizedText, FallsBackToEnglishAndKeepsLanguageOrder) {
    LocalizedText t;
    t.Set("sr-Cyrl", "Жртве");
    t.Set("en", "Victims");
    t.Set("sq", "Viktima");
    EXPECT_EQ(t.Get("sq"), "Viktima");
    EXPECT_EQ(t.Get("mk"), "Victims");
    ASSERT_EQ(t.entries().size(), 3U);
    EXPECT_EQ(t.entries()[0].first, "en");
    EXPECT_EQ(t.entries()[1].first, "sq");
    EXPECT_EQ(t.entries()[2].first, "sr-Cyrl");
    t.Set("sq", "Viktimat");
    EXPECT_EQ(t.Get("sq"), "Viktimat");
    EXPECT_EQ(t.entries().size(), 3U);
}

TEST(LocalizedText, KnowsTheRegionsLanguages) {
    for (auto tag : {"en", "sq", "sr-Latn", "sr-Cyrl", "mk", "bs", "cnr"}) {
        EXPECT_TRUE(IsKnownLanguage(tag)) << tag;
    }
    EXPECT_FALSE(IsKnownLanguage("sr"));
    EXPECT_FALSE(IsKnownLanguage("EN"));
    EXPECT_FALSE(IsKnownLanguage(""));
}

TEST(Utf8, AcceptsTheRegionsScripts) {
    EXPECT_FALSE(FindInvalidUtf8("Ђорђе Љубић, Đorđe, çelës, ëndërr, Македонија"));
    EXPECT_FALSE(FindInvalidUtf8(""));
}

TEST(Utf8, FindsALegacyEncodedByteWithLineAndColumn) {
    // "Brčko" written in Windows-1250: č is 0xE8, which is not valid UTF-8 here.
    const std::string text = "first line\nname: Br\xE8ko\n";
    auto bad = FindInvalidUtf8(text);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->line, 2);
    EXPECT_EQ(bad->column, 9);
    EXPECT_EQ(bad->offset, 19U);
}

TEST(Utf8, CountsColumnsInCodePoints) {
    const std::string text = "ë: \xC3";  // truncated two-byte sequence after "ë: "
    auto bad = FindInvalidUtf8(text);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->line, 1);
    EXPECT_EQ(bad->column, 4);
}

TEST(Utf8, RejectsOverlongAndSurrogateEncodings) {
    EXPECT_TRUE(FindInvalidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_TRUE(FindInvalidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
    EXPECT_TRUE(FindInvalidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Nfc, ComposesDecomposedLetters) {
    EXPECT_EQ(ToNfc("e\xCC\x88ndërr"), "ëndërr");
    EXPECT_EQ(ToNfc("Đorđe"), "Đorđe");
}

TEST(Text, IdentityKeyFoldsWhatPeopleDoNotSeeAsADifference) {
    const std::string key = IdentityKey("Ana Petrović");
    EXPECT_EQ(key, "ana petrovic");
    EXPECT_EQ(IdentityKey("ANA PETROVIĆ"), key);              // any letter case, not only A-Z
    EXPECT_EQ(IdentityKey("Ana Petrovic\xCC\x81"), key);      // c + combining acute
    EXPECT_EQ(IdentityKey("Ana\xC2\xA0Petrović"), key);       // no-break space
    EXPECT_EQ(IdentityKey("  Ana \t Petrović\n"), key);        // runs of white space
    EXPECT_EQ(IdentityKey("Ana Petrović\xE2\x80\x8B"), key);  // zero-width space
    EXPECT_EQ(IdentityKey("ĐORĐE"), IdentityKey("đorđe"));
    EXPECT_EQ(IdentityKey("ЂОРЂЕ"), IdentityKey("ђорђе"));
    EXPECT_EQ(IdentityKey("Ана Петровић"), key);  // the same name in Cyrillic
    EXPECT_EQ(IdentityKey("Ana Petrovic"), key);  // typed without diacritics
    EXPECT_EQ(IdentityKey("Ѓорѓи Јовановски"), IdentityKey("Gorgi Jovanovski"));
    EXPECT_EQ(IdentityKey("Arbër Hoxha"), IdentityKey("Arber Hoxha"));
    EXPECT_NE(IdentityKey("Ana Petrović"), IdentityKey("AnaPetrović"));
    EXPECT_NE(IdentityKey("Ana Petrović"), IdentityKey("Ana Petrov"));
    EXPECT_EQ(IdentityKey(""), "");
}

TEST(Text, TextProblemRefusesWhatATerminalOrSpreadsheetWouldActOn) {
    EXPECT_EQ(TextProblem("Synthetic note:\n\tline two\r\nthree", 100), "");
    EXPECT_EQ(TextProblem("Ђорђе, ëndërr", 13), "");
    EXPECT_NE(TextProblem("red \x1b[31m", 100).find("control character U+001B (character 5)"),
              std::string::npos);
    EXPECT_NE(TextProblem("bell\x07", 100).find("U+0007"), std::string::npos);
    EXPECT_NE(TextProblem("del\x7f", 100).find("U+007F"), std::string::npos);
    EXPECT_NE(TextProblem("c1 \xC2\x9b", 100).find("U+009B"), std::string::npos);  // CSI
    EXPECT_NE(TextProblem(std::string("nul\0", 4), 100).find("U+0000"), std::string::npos);
    EXPECT_NE(TextProblem("\xC3\x28", 100).find("not valid UTF-8"), std::string::npos);
    EXPECT_NE(TextProblem("Ђорђе, ëndërr", 12).find("13 characters long; at most 12"),
              std::string::npos);
}

TEST(Bom, IsStripped) {
    EXPECT_EQ(StripBom("\xEF\xBB\xBFschema: x"), "schema: x");
    EXPECT_EQ(StripBom("schema: x"), "schema: x");
}

TEST(PositionOf, CountsLinesAndCodePoints) {
    const std::string text = "ab\nçd";
    auto p = PositionOf(text, text.size() - 1);
    EXPECT_EQ(p.line, 2);
    EXPECT_EQ(p.column, 2);
}

}  // namespace
}  // namespace rap::core
