import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

extension SQLiteMeasurementStore: WebAccessStore {
    public func addWebAccessRule(_ rule: NewWebAccessRule) async throws -> WebAccessRule {
        try WebAccessRuleCheck.validate(rule)
        return try await pool.write { db in
            if let trust = rule.trust, !(try Bool.fetchOne(db, sql: "SELECT 1 FROM trusts WHERE ods = ?", arguments: [trust]) ?? false) {
                throw IdentityError.unknownTrust(trust)
            }
            let value = rule.match == .email ? rule.value.lowercased() : rule.value
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM web_access WHERE match_by = ? AND value = ? AND role = ? AND trust IS ?",
                                 arguments: [rule.match.rawValue, value, rule.role.rawValue, rule.trust]) ?? false {
                throw StoreError("that mapping exists already; see `deskready user list`")
            }
            try db.execute(sql: "INSERT INTO web_access (match_by, value, role, trust, created_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [rule.match.rawValue, value, rule.role.rawValue, rule.trust, rule.createdMs])
            return WebAccessRule(id: db.lastInsertedRowID, match: rule.match, value: value, role: rule.role, trust: rule.trust, createdMs: rule.createdMs)
        }
    }

    public func webAccessRules() async throws -> [WebAccessRule] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, match_by, value, role, trust, created_ms FROM web_access ORDER BY id").compactMap { row in
                guard let match = WebAccessMatch(rawValue: row[1]), let role = WebAccessRole(rawValue: row[3]) else { return nil }
                return WebAccessRule(id: row[0], match: match, value: row[2], role: role, trust: row[4], createdMs: row[5])
            }
        }
    }

    public func removeWebAccessRule(id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_access WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func createWebSession(_ session: WebSessionRecord) async throws {
        let groups = String(decoding: try JSONEncoder().encode(session.groups), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO web_sessions (id_hash, kind, user_name, subject, group_list, credential_id, csrf_token, created_ms, last_seen_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session.idHash, session.kind.rawValue, session.user, session.subject, groups, session.credentialId,
                            session.csrfToken, session.createdMs, session.lastSeenMs])
        }
    }

    public func webSession(idHash: Data) async throws -> WebSessionRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT kind, user_name, subject, group_list, credential_id, csrf_token, created_ms, last_seen_ms FROM web_sessions WHERE id_hash = ?",
                arguments: [idHash]), let kind = WebSessionRecord.Kind(rawValue: row[0]) else { return nil }
            let groupsText: String = row[3]
            let groups = (try? JSONDecoder().decode([String].self, from: Data(groupsText.utf8))) ?? []
            return WebSessionRecord(idHash: idHash, kind: kind, user: row[1], subject: row[2], groups: groups, credentialId: row[4],
                                    csrfToken: row[5], createdMs: row[6], lastSeenMs: row[7])
        }
    }

    public func touchWebSession(idHash: Data, lastSeenMs: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE web_sessions SET last_seen_ms = ? WHERE id_hash = ?", arguments: [lastSeenMs, idHash])
        }
    }

    public func deleteWebSession(idHash: Data) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    public func deleteExpiredWebSessions(idleBeforeMs: Int64, startedBeforeMs: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE last_seen_ms < ? OR created_ms < ?", arguments: [idleBeforeMs, startedBeforeMs])
            return db.changesCount
        }
    }
}
