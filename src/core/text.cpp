// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/text.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace rap::core {

namespace {

size_t LanguageIndex(std::string_view tag) {
    return static_cast<size_t>(std::find(kLanguages.begin(), kLanguages.end(), tag) -
                               kLanguages.begin());
}

const std::string& EmptyString() {
    static const std::string empty;
    return empty;
}

}  // namespace

bool IsKnownLanguage(std::string_view tag) {
    return LanguageIndex(tag) < kLanguages.size();
}

void LocalizedText::Set(std::string_view lang, std::string text) {
    const size_t index = LanguageIndex(lang);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const auto& e) { return LanguageIndex(e.first) >= index; });
    if (it != entries_.end() && it->first == lang) {
        it->second = std::move(text);
        return;
    }
    entries_.insert(it, {std::string(lang), std::move(text)});
}

const std::string& LocalizedText::Get(std::string_view lang) const {
    for (const auto& [tag, text] : entries_) {
        if (tag == lang) {
            return text;
        }
    }
    for (const auto& [tag, text] : entries_) {
        if (tag == kReferenceLanguage) {
            return text;
        }
    }
    return EmptyString();
}

bool LocalizedText::Has(std::string_view lang) const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const auto& e) { return e.first == lang; });
}

std::optional<TextPosition> FindInvalidUtf8(std::string_view bytes) {
    TextPosition pos;
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    const auto length = static_cast<int32_t>(bytes.size());
    int32_t i = 0;
    while (i < length) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        if (c < 0) {
            pos.offset = static_cast<size_t>(start);
            return pos;
        }
        if (c == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return std::nullopt;
}

TextPosition PositionOf(std::string_view text, size_t offset) {
    TextPosition pos;
    pos.offset = offset;
    const size_t end = std::min(offset, text.size());
    for (size_t i = 0; i < end; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((byte & 0xC0U) != 0x80U) {  // count code points, not continuation bytes
            ++pos.column;
        }
    }
    return pos;
}

std::string ToNfc(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || nfc == nullptr) {
        return std::string(utf8);
    }
    const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    if (nfc->isNormalized(source, status) && U_SUCCESS(status)) {
        return std::string(utf8);
    }
    status = U_ZERO_ERROR;
    const icu::UnicodeString normalized = nfc->normalize(source, status);
    if (U_FAILURE(status)) {
        return std::string(utf8);
    }
    std::string out;
    normalized.toUTF8String(out);
    return out;
}

std::string TextProblem(std::string_view text, size_t max_chars) {
    if (auto bad = FindInvalidUtf8(text)) {
        return fmt::format("the text is not valid UTF-8 (line {}, column {})", bad->line,
                           bad->column);
    }
    size_t chars = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0U) != 0x80U) {
            ++chars;
        }
        unsigned code = 0x100;  // none
        if (byte < 0x20U || byte == 0x7FU) {
            code = byte;
        } else if (byte == 0xC2U && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80U && next <= 0x9FU) {
                code = next;  // U+0080..U+009F
            }
        }
        if (code != 0x100 && code != '\t' && code != '\n' && code != '\r') {
            return fmt::format("the text holds the control character U+{:04X} (character {}); "
                               "only tabs and line breaks are kept",
                               code, chars);
        }
    }
    if (chars > max_chars) {
        return fmt::format("the text is {} characters long; at most {} are kept", chars,
                           max_chars);
    }
    return {};
}

std::string IdentityKey(std::string_view utf8) {
    // One transliterator per thread: ICU's are not safe to share while they work.
    thread_local const std::unique_ptr<icu::Transliterator> to_ascii = [] {
        UErrorCode st = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
            "Any-Latin; Latin-ASCII", UTRANS_FORWARD, st));
        return U_SUCCESS(st) ? std::move(t) : nullptr;
    }();
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    std::string folded;
    if (U_SUCCESS(status) && fold != nullptr) {
        icu::UnicodeString source = icu::UnicodeString::fromUTF8(
            icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
        if (to_ascii != nullptr) {
            to_ascii->transliterate(source);
        }
        const icu::UnicodeString normalized = fold->normalize(source, status);
        if (U_SUCCESS(status)) {
            normalized.toUTF8String(folded);
        }
    }
    if (U_FAILURE(status) || fold == nullptr) {
        folded = std::string(utf8);
    }
    // NFKC has made every Unicode space a plain one; tabs and line breaks are left to fold here.
    std::string key;
    key.reserve(folded.size());
    bool pending_space = false;
    for (const char ch : folded) {
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
            pending_space = !key.empty();
            continue;
        }
        if (pending_space) {
            key += ' ';
            pending_space = false;
        }
        key += ch;
    }
    return key;
}

std::string_view StripBom(std::string_view bytes) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (bytes.substr(0, kBom.size()) == kBom) {
        bytes.remove_prefix(kBom.size());
    }
    return bytes;
}

std::string_view TrimAscii(std::string_view text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace rap::core
