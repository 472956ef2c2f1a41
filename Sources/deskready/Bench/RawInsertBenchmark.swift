import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation
import GRDB

/// The ceiling: rows of the events table inserted through one prepared statement in large transactions, in WAL mode
/// with `synchronous=NORMAL` and the collector writer's page cache and checkpointing (`WALCheckpointer`), into the
/// collector's own schema (same indexes). No HTTP, no JSON, no validation.
struct RawInsertBenchmark {
    let rows: Int
    let directory: String
    var spread: EventTimeSpread = .recent
    var transactionSize = 50_000

    /// Rows per second.
    func run() throws -> Double {
        let path = directory + "/raw-\(transactionSize).sqlite"
        _ = try SQLiteMeasurementStore(path: path)  // the collector's migrations
        let checkpointer = WALCheckpointer(path: path)
        defer { checkpointer.stop() }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The collector writer's settings, so the limit is measured on the same footing.
            if !db.configuration.readonly {
                try db.execute(sql: SQLiteMeasurementStore.writerPragmas)
                checkpointer.install(on: db)
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var random = SystemRandomNumberGenerator()
        let now = WallClock.nowMs()
        let batchBlob = Data(repeating: 7, count: 16)
        // Values are made before the clock starts, so only SQLite is timed.
        let values: [(Data, String, Int64, Int64)] = (0..<rows).map { i in
            let duration = i % 5 == 0 ? Int64.random(in: 8_000...120_000, using: &random) : Int64.random(in: 500...60_000, using: &random)
            let (start, recorded) = spread.draw(nowMs: now, durationMs: duration, using: &random)
            let id = UUIDv7.make(unixMs: recorded, using: &random)
            return (withUnsafeBytes(of: id.uuid) { Data($0) }, i % 5 == 0 ? "logon" : "app_start", start, duration)
        }
        let phases = #"{"authentication":1000,"responsive":4000,"session_start":9000}"#
        let attributes = #"{"method":"launcher","readiness":"window"}"#
        let started = Date()
        var offset = 0
        while offset < values.count {
            let end = min(offset + transactionSize, values.count)
            try pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO events (trust, site, device_id, event_id, batch_id, kind, name, started_at_ms, duration_ms,
                                        outcome, user, phases, attributes, received_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for index in offset..<end {
                    let row = values[index]
                    try statement.execute(arguments: [
                        "RXX", "RXX01", "bench-0", row.0, batchBlob, row.1, "epr", row.2, row.3, "ok",
                        "5f1c0a9e2b7d43c8a61e0f9b3d2c7a14", row.1 == "logon" ? phases : nil, attributes, now,
                    ])
                }
            }
            offset = end
        }
        return Double(rows) / Date().timeIntervalSince(started)
    }
}
