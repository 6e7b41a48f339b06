// SPDX-License-Identifier: AGPL-3.0-or-later
// Little binary writer and bounds-checked reader for the blobs rapporteur stores (case-table
// snapshots, computed values). Values are written in the machine's byte order; blobs are a cache
// of data that can always be rebuilt, never an exchange format.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rap::core {

class ByteWriter {
public:
    template <class T>
    void Put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
    }
    // A string with a four-byte length.
    void PutString(std::string_view s) {
        Put(static_cast<uint32_t>(s.size()));
        out_.append(s);
    }
    // Short strings (identifiers, codes) with a one-byte length (255 escapes to four bytes).
    void PutShortString(std::string_view s) {
        if (s.size() < 255) {
            Put(static_cast<uint8_t>(s.size()));
        } else {
            Put(static_cast<uint8_t>(255));
            Put(static_cast<uint32_t>(s.size()));
        }
        out_.append(s);
    }
    // Values narrowed to the smallest of 1, 2, 4 or 8 bytes that holds them all; the null
    // sentinel maps to the narrow type's minimum.
    void PutNarrow(const std::vector<int64_t>& v, int64_t null_value) {
        int64_t lo = 0;
        int64_t hi = 0;
        for (int64_t x : v) {
            if (x != null_value) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
        }
        auto fits = [&](int64_t min, int64_t max) { return lo > min && hi <= max; };
        const uint8_t width = fits(INT8_MIN, INT8_MAX)     ? 1
                              : fits(INT16_MIN, INT16_MAX) ? 2
                              : fits(INT32_MIN, INT32_MAX) ? 4
                                                           : 8;
        Put(width);
        for (int64_t x : v) {
            switch (width) {
                case 1: Put(static_cast<int8_t>(x == null_value ? INT8_MIN : x)); break;
                case 2: Put(static_cast<int16_t>(x == null_value ? INT16_MIN : x)); break;
                case 4: Put(static_cast<int32_t>(x == null_value ? INT32_MIN : x)); break;
                default: Put(x); break;
            }
        }
    }
    template <class T>
    void PutArray(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (!v.empty()) {  // an empty vector's data() may be null, which memcpy must not get
            out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
        }
    }
    std::string Take() { return std::move(out_); }

private:
    std::string out_;
};

// Every Get returns false, consuming nothing more, when the input is too short or malformed.
class ByteReader {
public:
    explicit ByteReader(std::string_view in) : in_(in) {}

    template <class T>
    bool Get(T* value) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (in_.size() < sizeof(T)) {
            return false;
        }
        std::memcpy(value, in_.data(), sizeof(T));
        in_.remove_prefix(sizeof(T));
        return true;
    }
    bool GetString(std::string* s) {
        uint32_t n = 0;
        return Get(&n) && Take(n, s);
    }
    bool GetShortString(std::string* s) {
        uint32_t n = 0;
        return GetShortLength(&n) && Take(n, s);
    }
    bool GetNarrow(std::vector<int64_t>* v, size_t n, int64_t null_value) {
        uint8_t width = 0;
        if (!Get(&width)) {
            return false;
        }
        switch (width) {
            case 1: return GetNarrowAs<int8_t>(v, n, null_value);
            case 2: return GetNarrowAs<int16_t>(v, n, null_value);
            case 4: return GetNarrowAs<int32_t>(v, n, null_value);
            case 8: return GetArray(v, n);
            default: return false;
        }
    }
    template <class T>
    bool GetArray(std::vector<T>* v, size_t n) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (in_.size() / sizeof(T) < n) {
            return false;
        }
        v->resize(n);
        if (n == 0) {
            return true;  // data() may be null
        }
        std::memcpy(v->data(), in_.data(), n * sizeof(T));
        in_.remove_prefix(n * sizeof(T));
        return true;
    }
    // Skipping, for readers that want only some columns of a blob.
    bool Skip(size_t n) {
        if (in_.size() < n) {
            return false;
        }
        in_.remove_prefix(n);
        return true;
    }
    bool SkipString() {
        uint32_t n = 0;
        return Get(&n) && Skip(n);
    }
    bool SkipShortString() {
        uint32_t n = 0;
        return GetShortLength(&n) && Skip(n);
    }
    bool SkipNarrow(size_t n) {
        uint8_t width = 0;
        if (!Get(&width) || (width != 1 && width != 2 && width != 4 && width != 8)) {
            return false;
        }
        return in_.size() / width >= n && Skip(n * width);
    }
    bool done() const { return in_.empty(); }

private:
    // The length of a short string: one byte, or 255 and four bytes.
    bool GetShortLength(uint32_t* n) {
        uint8_t n8 = 0;
        if (!Get(&n8)) {
            return false;
        }
        *n = n8;
        return n8 != 255 || Get(n);
    }
    bool Take(size_t n, std::string* s) {
        if (in_.size() < n) {
            return false;
        }
        s->assign(in_.data(), n);
        in_.remove_prefix(n);
        return true;
    }
    template <class Narrow>
    bool GetNarrowAs(std::vector<int64_t>* v, size_t n, int64_t null_value) {
        if (in_.size() / sizeof(Narrow) < n) {
            return false;
        }
        v->resize(n);
        for (size_t i = 0; i < n; ++i) {
            Narrow x;
            std::memcpy(&x, in_.data() + i * sizeof(Narrow), sizeof(Narrow));
            (*v)[i] = x == std::numeric_limits<Narrow>::min() ? null_value : x;
        }
        in_.remove_prefix(n * sizeof(Narrow));
        return true;
    }

    std::string_view in_;
};

}  // namespace rap::core
