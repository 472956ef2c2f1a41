import DeskReadyStore
import Foundation
import GRDB

extension SQLiteMeasurementStore {
    public func saveBaseline(_ baseline: StoredBaseline) async throws {
        guard StoredBaseline.isValidName(baseline.name) else {
            throw StoreError("'\(baseline.name)' is not a usable baseline name; use 1 to 64 letters, digits, '-', '_' or '.'")
        }
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM trusts WHERE ods = ?", arguments: [baseline.trust]) ?? false else {
                throw StoreError("trust \(baseline.trust) is not known here; add it with `deskready trust add`")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM baselines WHERE trust = ? AND name = ?", arguments: [baseline.trust, baseline.name]) ?? false {
                throw StoreError("trust \(baseline.trust) already has a baseline named '\(baseline.name)'; choose another name or delete it first with `deskready baseline delete`")
            }
            try db.execute(
                sql: "INSERT INTO baselines (trust, name, saved_ms, from_ms, to_ms, document) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [baseline.trust, baseline.name, baseline.savedAtMs, baseline.fromMs, baseline.toMs, baseline.document])
        }
    }

    public func baselines(trust: String) async throws -> [StoredBaseline] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT trust, name, saved_ms, from_ms, to_ms, document FROM baselines WHERE trust = ? ORDER BY saved_ms, name",
                arguments: [trust]
            ).map { StoredBaseline(trust: $0[0], name: $0[1], savedAtMs: $0[2], fromMs: $0[3], toMs: $0[4], document: $0[5]) }
        }
    }

    public func deleteBaseline(trust: String, name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM baselines WHERE trust = ? AND name = ?", arguments: [trust, name])
            return db.changesCount > 0
        }
    }
}
