// SPDX-License-Identifier: AGPL-3.0-or-later
// Monitoring events (the hash-chained audit log) and attachments, on SOCI (migration 0003).
#include "store/soci_internal.hpp"

namespace rap::store {

namespace {

constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

StoredEvent ReadEvent(const soci::row& row) {
    StoredEvent e;
    e.seq = GetInteger(row, 0);
    e.at = GetString(row, 1);
    e.actor = GetString(row, 2);
    e.country = GetString(row, 3);
    e.type = GetString(row, 4);
    e.payload = GetString(row, 5);
    e.prev_hash = GetString(row, 6);
    e.hash = GetString(row, 7);
    return e;
}

constexpr std::string_view kEventColumns =
    "SELECT seq, at, actor, country, event_type, payload, prev_hash, hash FROM monitoring_events ";

// The condition on the country bound as :c: that country, or (when empty) every country. Written
// out per case, so that a country's query uses the (country, seq) index.
std::string_view CountryCondition(const std::string& country) {
    return country.empty() ? ":c = ''" : "country = :c";
}

// Stores a file under the SHA-256 of its content, unless that content is stored already; returns
// the SHA-256. REQUIRES: a transaction.
std::string InsertAttachment(soci::session& sql, const Attachment& file) {
    const std::string sha = core::Sha256Hex(file.content);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM attachments WHERE sha256 = :s", soci::use(sha), soci::into(count);
    if (count == 0) {
        const std::string content = ToBase64(file.content);
        const long long size = static_cast<long long>(file.content.size());
        sql << "INSERT INTO attachments (sha256, file_name, media_type, size, content, added_at, "
               "added_by) VALUES (:s, :n, :m, :z, :c, :at, :by)",
            soci::use(sha), soci::use(file.file_name), soci::use(file.media_type), soci::use(size),
            soci::use(content), soci::use(file.added_at), soci::use(file.added_by);
    }
    return sha;
}

// The newest seq of a country (of all when empty), 0 when there is none.
long long MaxSeq(soci::session& sql, const std::string& country) {
    long long seq = 0;
    soci::indicator ind = soci::i_null;
    sql << fmt::format("SELECT MAX(seq) FROM monitoring_events WHERE {}",
                       CountryCondition(country)),
        soci::use(country), soci::into(seq, ind);
    return ind == soci::i_ok ? seq : 0;
}

}  // namespace

namespace internal {

void LockAuditLog(soci::session& sql, Backend backend) {
    if (backend == Backend::kPostgres) {
        sql << "SELECT pg_advisory_xact_lock(7305001)";
    }
}

std::vector<StoredEvent> AppendChained(soci::session& sql, const std::vector<NewEvent>& events) {
    StoredEvent prev;
    prev.hash = std::string(kGenesis);
    {
        soci::rowset<soci::row> rs =
            (sql.prepare << "SELECT seq, hash FROM monitoring_events ORDER BY seq DESC LIMIT 1");
        for (const auto& row : rs) {
            prev.seq = GetInteger(row, 0);
            prev.hash = GetString(row, 1);
        }
    }
    std::vector<StoredEvent> out;
    for (const auto& n : events) {
        StoredEvent e;
        e.seq = prev.seq + 1;
        e.at = n.at;
        e.actor = n.actor;
        e.country = n.country;
        e.type = n.type;
        e.payload = n.payload;
        e.prev_hash = prev.hash;
        e.hash = Store::EventHash(e);
        sql << "INSERT INTO monitoring_events (seq, at, actor, country, event_type, payload, "
               "prev_hash, hash) VALUES (:s, :at, :a, :c, :t, :p, :ph, :h)",
            soci::use(e.seq), soci::use(e.at), soci::use(e.actor), soci::use(e.country),
            soci::use(e.type), soci::use(e.payload), soci::use(e.prev_hash), soci::use(e.hash);
        out.push_back(e);
        prev = std::move(e);
    }
    return out;
}

}  // namespace internal

std::string Store::EventHash(const StoredEvent& e) {
    std::string text;
    for (std::string_view field :
         {std::string_view(e.prev_hash), std::string_view(e.at), std::string_view(e.actor),
          std::string_view(e.country), std::string_view(e.type), std::string_view(e.payload)}) {
        text += fmt::format("{}:", field.size());
        text += field;
        text += '\n';
    }
    text += fmt::format("seq:{}", e.seq);
    return core::Sha256Hex(text);
}

Result<std::vector<StoredEvent>> Store::LoadEvents(std::string_view country, long long after_seq) {
    return impl_->Run(
        "cannot read the monitoring events", [&]() -> Result<std::vector<StoredEvent>> {
            std::vector<StoredEvent> out;
            const std::string c(country);
            soci::rowset<soci::row> rs =
                (impl_->sql.prepare << fmt::format("{}WHERE {} AND seq > :a ORDER BY seq",
                                                   kEventColumns, CountryCondition(c)),
                 soci::use(c), soci::use(after_seq));
            for (const auto& row : rs) {
                out.push_back(ReadEvent(row));
            }
            return out;
        });
}

Result<long long> Store::LastEventSeq(std::string_view country) {
    return impl_->Run("cannot read the monitoring events", [&]() -> Result<long long> {
        return MaxSeq(impl_->sql, std::string(country));
    });
}

Result<std::vector<StoredEvent>> Store::AppendEvents(std::string_view country,
                                                     long long based_on_seq,
                                                     const std::vector<NewEvent>& events,
                                                     const std::vector<Attachment>& files) {
    auto result =
        impl_->Run("cannot store the monitoring events", [&]() -> Result<std::vector<StoredEvent>> {
            Transaction tx(impl_->sql, impl_->target.backend);
            // Before the check below, so that it sees the latest events.
            internal::LockAuditLog(impl_->sql, impl_->target.backend);
            const std::string c(country);
            const long long last_country = MaxSeq(impl_->sql, c);
            if (last_country != based_on_seq) {
                return Fail(
                    Errc::kConflict,
                    fmt::format("the monitoring data of {} changed meanwhile (event {} is newer "
                                "than {}); nothing was written",
                                c, last_country, based_on_seq));
            }
            for (const auto& file : files) {
                InsertAttachment(impl_->sql, file);
            }
            std::vector<StoredEvent> out = internal::AppendChained(impl_->sql, events);
            tx.Commit();
            return out;
        });
    if (!result && result.error().code == Errc::kAlreadyExists) {
        return Fail(Errc::kConflict,
                    "another change was stored at the same moment; nothing was "
                    "written, try again");
    }
    return result;
}

Result<AuditReport> Store::VerifyAuditLog() {
    return impl_->Run("cannot read the audit log", [&]() -> Result<AuditReport> {
        AuditReport report;
        report.head_hash = std::string(kGenesis);
        long long expected = 1;
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << fmt::format("{}ORDER BY seq", kEventColumns));
        for (const auto& row : rs) {
            StoredEvent e = ReadEvent(row);
            ++report.events;
            if (e.seq != expected) {
                // An event chained to the one before it was not preceded by deleted ones: its
                // number was made up.
                const bool chained = e.prev_hash == report.head_hash;
                const std::string gap =
                    e.seq - 1 == expected ? fmt::format("event {} is", expected)
                                          : fmt::format("events {} to {} are", expected, e.seq - 1);
                report.problems.push_back(
                    e.seq < expected ? fmt::format("event {} is out of order", e.seq)
                    : chained
                        ? fmt::format("event {} follows event {} in the chain, but its number "
                                      "skips {}: it was renumbered or inserted",
                                      e.seq, expected - 1, expected == e.seq - 1
                                                               ? std::to_string(expected)
                                                               : fmt::format("{} to {}", expected,
                                                                             e.seq - 1))
                        : fmt::format("{} missing (deleted)", gap));
            }
            if (e.prev_hash != report.head_hash) {
                report.problems.push_back(fmt::format(
                    "event {}: its previous hash does not match the event before it (an event "
                    "before it was changed, inserted or deleted)",
                    e.seq));
            }
            if (EventHash(e) != e.hash) {
                report.problems.push_back(fmt::format(
                    "event {} ({} by {} at {}): its content does not match its hash (edited)",
                    e.seq, e.type, e.actor, e.at));
            }
            report.head_seq = e.seq;
            report.head_hash = e.hash;
            report.head_intact = report.problems.empty();
            expected = e.seq + 1;
        }
        // Attached files are named by the SHA-256 of their content, which the events record.
        soci::rowset<soci::row> files =
            (impl_->sql.prepare << "SELECT sha256, file_name, content FROM attachments "
                                   "ORDER BY sha256");
        for (const auto& row : files) {
            const std::string sha = GetString(row, 0);
            auto content = FromBase64(GetString(row, 2), "attachment");
            if (!content || core::Sha256Hex(*content) != sha) {
                report.problems.push_back(fmt::format(
                    "attached file {} ({}): its content does not match its hash (replaced)",
                    GetString(row, 1), sha));
            }
        }
        return report;
    });
}

Result<std::string> Store::SaveAttachment(const Attachment& file) {
    return impl_->Run("cannot store the attachment", [&]() -> Result<std::string> {
        Transaction tx(impl_->sql, impl_->target.backend);
        std::string sha = InsertAttachment(impl_->sql, file);
        tx.Commit();
        return sha;
    });
}

Result<std::optional<Attachment>> Store::LoadAttachment(std::string_view sha256) {
    return impl_->Run("cannot read the attachment", [&]() -> Result<std::optional<Attachment>> {
        const std::string sha(sha256);
        soci::rowset<soci::row> rs =
            (impl_->sql.prepare << "SELECT sha256, file_name, media_type, content, added_at, "
                                   "added_by FROM attachments WHERE sha256 = :s",
             soci::use(sha));
        for (const auto& row : rs) {
            Attachment a;
            a.sha256 = GetString(row, 0);
            a.file_name = GetString(row, 1);
            a.media_type = GetString(row, 2);
            a.content = RAP_TRY(FromBase64(GetString(row, 3), "attachment"));
            if (core::Sha256Hex(a.content) != a.sha256) {
                return Fail(Errc::kDataLoss,
                            fmt::format("attached file {} ({}) was changed outside rapporteur: "
                                        "its content does not match its hash",
                                        a.file_name, a.sha256));
            }
            a.added_at = GetString(row, 4);
            a.added_by = GetString(row, 5);
            return std::optional<Attachment>(std::move(a));
        }
        return std::optional<Attachment>();
    });
}

}  // namespace rap::store
