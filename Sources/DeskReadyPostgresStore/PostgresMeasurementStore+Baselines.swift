import DeskReadyStore
import Foundation
import PostgresNIO

/// Saved baselines, never overwritten, as in the SQLite store.
extension PostgresMeasurementStore {
    public func saveBaseline(_ baseline: StoredBaseline) async throws {
        guard StoredBaseline.isValidName(baseline.name) else {
            throw StoreError("'\(baseline.name)' is not a usable baseline name; use 1 to 64 letters, digits, '-', '_' or '.'")
        }
        try await transaction { connection in
            if try await connection.query("SELECT 1 FROM trusts WHERE ods = \(baseline.trust)", logger: logger).collect().isEmpty {
                throw StoreError("trust \(baseline.trust) is not known here; add it with `deskready trust add`")
            }
            let inserted = try await connection.query("""
                INSERT INTO baselines (trust, name, saved_ms, from_ms, to_ms, document)
                VALUES (\(baseline.trust), \(baseline.name), \(baseline.savedAtMs), \(baseline.fromMs), \(baseline.toMs),
                        \(ByteBuffer(bytes: baseline.document)))
                ON CONFLICT (trust, name) DO NOTHING RETURNING 1
                """, logger: logger).collect()
            if inserted.isEmpty {
                throw StoreError("trust \(baseline.trust) already has a baseline named '\(baseline.name)'; choose another name or delete it first with `deskready baseline delete`")
            }
        }
    }

    public func baselines(trust: String) async throws -> [StoredBaseline] {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT trust, name, saved_ms, from_ms, to_ms, document FROM baselines WHERE trust = \(trust) ORDER BY saved_ms, name
                """, logger: logger)
            var baselines: [StoredBaseline] = []
            for try await (trust, name, saved, from, to, document) in rows.decode((String, String, Int64, Int64, Int64, ByteBuffer).self) {
                baselines.append(StoredBaseline(trust: trust, name: name, savedAtMs: saved, fromMs: from, toMs: to,
                                                document: Data(document.readableBytesView)))
            }
            return baselines
        }
    }

    public func deleteBaseline(trust: String, name: String) async throws -> Bool {
        try await withConnection { connection in
            try await !connection.query("DELETE FROM baselines WHERE trust = \(trust) AND name = \(name) RETURNING 1", logger: logger)
                .collect().isEmpty
        }
    }
}
