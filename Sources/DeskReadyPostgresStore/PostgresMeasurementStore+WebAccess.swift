import DeskReadyStore
import Foundation
import PostgresNIO

/// The web front's mappings and sessions, as in the SQLite store.
extension PostgresMeasurementStore: WebAccessStore {
    public func addWebAccessRule(_ rule: NewWebAccessRule) async throws -> WebAccessRule {
        try WebAccessRuleCheck.validate(rule)
        let value = rule.match == .email ? rule.value.lowercased() : rule.value
        return try await transaction { connection in
            if let trust = rule.trust, try await connection.query("SELECT 1 FROM trusts WHERE ods = \(trust)", logger: logger).collect().isEmpty {
                throw IdentityError.unknownTrust(trust)
            }
            let existing = try await connection.query("""
                SELECT 1 FROM web_access WHERE match_by = \(rule.match.rawValue) AND value = \(value) AND role = \(rule.role.rawValue)
                AND trust IS NOT DISTINCT FROM \(rule.trust)
                """, logger: logger).collect()
            if !existing.isEmpty { throw StoreError("that mapping exists already; see `deskready user list`") }
            let rows = try await connection.query("""
                INSERT INTO web_access (match_by, value, role, trust, created_ms)
                VALUES (\(rule.match.rawValue), \(value), \(rule.role.rawValue), \(rule.trust), \(rule.createdMs)) RETURNING id
                """, logger: logger)
            var id: Int64 = 0
            for try await inserted in rows.decode(Int64.self) { id = inserted }
            return WebAccessRule(id: id, match: rule.match, value: value, role: rule.role, trust: rule.trust, createdMs: rule.createdMs)
        }
    }

    public func webAccessRules() async throws -> [WebAccessRule] {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT id, match_by, value, role, trust, created_ms FROM web_access ORDER BY id", logger: logger)
            var rules: [WebAccessRule] = []
            for try await (id, match, value, role, trust, created) in rows.decode((Int64, String, String, String, String?, Int64).self) {
                guard let match = WebAccessMatch(rawValue: match), let role = WebAccessRole(rawValue: role) else { continue }
                rules.append(WebAccessRule(id: id, match: match, value: value, role: role, trust: trust, createdMs: created))
            }
            return rules
        }
    }

    public func removeWebAccessRule(id: Int64) async throws -> Bool {
        try await withConnection { connection in
            try await !connection.query("DELETE FROM web_access WHERE id = \(id) RETURNING 1", logger: logger).collect().isEmpty
        }
    }

    public func createWebSession(_ session: WebSessionRecord) async throws {
        let groups = String(decoding: try JSONEncoder().encode(session.groups), as: UTF8.self)
        try await withConnection { connection -> Void in
            _ = try await connection.query("""
                INSERT INTO web_sessions (id_hash, kind, user_name, subject, group_list, credential_id, csrf_token, created_ms, last_seen_ms)
                VALUES (\(ByteBuffer(bytes: session.idHash)), \(session.kind.rawValue), \(session.user), \(session.subject), \(groups),
                        \(session.credentialId), \(session.csrfToken), \(session.createdMs), \(session.lastSeenMs))
                """, logger: logger)
        }
    }

    public func webSession(idHash: Data) async throws -> WebSessionRecord? {
        try await withConnection { connection -> WebSessionRecord? in
            let rows = try await connection.query("""
                SELECT kind, user_name, subject, group_list, credential_id, csrf_token, created_ms, last_seen_ms
                FROM web_sessions WHERE id_hash = \(ByteBuffer(bytes: idHash))
                """, logger: logger)
            for try await (kind, user, subject, groups, credential, csrf, created, seen)
                in rows.decode((String, String, String, String, Int64?, String, Int64, Int64).self) {
                guard let kind = WebSessionRecord.Kind(rawValue: kind) else { return nil }
                let list = (try? JSONDecoder().decode([String].self, from: Data(groups.utf8))) ?? []
                return WebSessionRecord(idHash: idHash, kind: kind, user: user, subject: subject, groups: list, credentialId: credential,
                                        csrfToken: csrf, createdMs: created, lastSeenMs: seen)
            }
            return nil
        }
    }

    public func touchWebSession(idHash: Data, lastSeenMs: Int64) async throws {
        try await withConnection { connection -> Void in
            _ = try await connection.query("UPDATE web_sessions SET last_seen_ms = \(lastSeenMs) WHERE id_hash = \(ByteBuffer(bytes: idHash))", logger: logger)
        }
    }

    public func deleteWebSession(idHash: Data) async throws {
        try await withConnection { connection -> Void in
            _ = try await connection.query("DELETE FROM web_sessions WHERE id_hash = \(ByteBuffer(bytes: idHash))", logger: logger)
        }
    }

    public func deleteExpiredWebSessions(idleBeforeMs: Int64, startedBeforeMs: Int64) async throws -> Int {
        try await withConnection { connection in
            try await connection.query("""
                DELETE FROM web_sessions WHERE last_seen_ms < \(idleBeforeMs) OR created_ms < \(startedBeforeMs) RETURNING 1
                """, logger: logger).collect().count
        }
    }
}
