// SPDX-License-Identifier: AGPL-3.0-or-later
// Multilingual text and the UTF-8 checks every text input passes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rap::core {

// The languages rapporteur's data may carry, as BCP 47 tags. English is the reference language
// and is always present; the others are translations.
inline constexpr std::array<std::string_view, 7> kLanguages = {"en",  "sq", "sr-Latn", "sr-Cyrl",
                                                                "mk",  "bs", "cnr"};
inline constexpr std::string_view kReferenceLanguage = "en";

bool IsKnownLanguage(std::string_view tag);

// A text with translations. Entries are kept in kLanguages order; at most one per language.
class LocalizedText {
public:
    LocalizedText() = default;
    explicit LocalizedText(std::string english) { Set("en", std::move(english)); }

    // Adds or replaces the text for a language. REQUIRES: IsKnownLanguage(lang).
    void Set(std::string_view lang, std::string text);

    // The text in `lang`, else in English, else empty.
    const std::string& Get(std::string_view lang = kReferenceLanguage) const;
    bool Has(std::string_view lang) const;
    bool empty() const { return entries_.empty(); }

    const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

    bool operator==(const LocalizedText&) const = default;

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

// Position of the first byte that is not well-formed UTF-8 (1-based line and column, the column
// counted in code points), or nullopt when all of `bytes` is valid UTF-8.
struct TextPosition {
    int line = 1;
    int column = 1;
    size_t offset = 0;  // byte offset of the bad byte
};
std::optional<TextPosition> FindInvalidUtf8(std::string_view bytes);

// Line and column (1-based, column in code points) of a byte offset in valid UTF-8 text.
TextPosition PositionOf(std::string_view text, size_t offset);

// The text in Unicode Normalization Form C, so that "e" + U+0308 and "ë" compare equal.
// REQUIRES: valid UTF-8.
std::string ToNfc(std::string_view utf8);

// The form under which two spellings of a name are the same name: transliterated to Latin and
// then to ASCII (so "Ана Петровић", "Ana Petrović" and "Ana Petrovic" fold alike), Unicode NFKC
// with case folding (letter case, non-breaking spaces, and invisible characters such as U+200B
// vanish), every run of white space made one space, none at either end. For comparing, never
// for showing. REQUIRES: valid UTF-8.
std::string IdentityKey(std::string_view utf8);

// What is wrong with a free text a person typed (a note, a comment, a justification), or "" when
// nothing is: it must be valid UTF-8, at most max_chars code points, and free of control
// characters (C0, DEL and C1) other than tab, line feed and carriage return, which a terminal or
// a spreadsheet would act on rather than show.
std::string TextProblem(std::string_view text, size_t max_chars);

// Removes a leading UTF-8 byte-order mark, if present.
std::string_view StripBom(std::string_view bytes);

// The text without spaces, tabs, CR and LF at either end.
std::string_view TrimAscii(std::string_view text);
// Whether two texts are equal but for the case of ASCII letters.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Whether the text is empty or only spaces, tabs, CR and LF.
inline bool IsBlank(std::string_view text) { return TrimAscii(text).empty(); }

}  // namespace rap::core
