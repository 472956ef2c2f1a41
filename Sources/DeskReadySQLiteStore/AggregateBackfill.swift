import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

/// Builds the aggregates of a database created before they existed, from its raw events, in chunks so memory
/// stays bounded: inventories first (so timings know each device's model), then every other event.
enum AggregateBackfill {
    static let chunk = 50_000

    static func run(_ db: Database) throws {
        try fold(db, sql: "SELECT \(columns) FROM events WHERE kind = 'inventory' ORDER BY trust, id", models: nil)
        var models: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT trust, device_id, vendor, model FROM device_facts") {
            models[(row["trust"] as String) + "\u{1F}" + (row["device_id"] as String)] = DeviceFacts.modelName(vendor: row["vendor"], model: row["model"])
        }
        try fold(db, sql: "SELECT \(columns) FROM events WHERE kind <> 'inventory' ORDER BY trust, id", models: models)
    }

    static let columns = "trust, site, device_id, kind, name, started_at_ms, duration_ms, outcome, phases, attributes"

    private static func fold(_ db: Database, sql: String, models: [String: String]?) throws {
        let decoder = JSONDecoder()
        var trust: String?
        var delta = AggregateDelta()
        var pending = 0
        let rows = try Row.fetchCursor(db, sql: sql)
        func flush() throws {
            // Migration v5 fills the newest data per trust from the raw events itself (its table is not there yet).
            delta.newestStartedAtMs = nil
            if let trust, !delta.isEmpty { try SQLiteAggregateWriter.apply(delta, trust: trust, db) }
            delta = AggregateDelta()
            pending = 0
        }
        while let row = try rows.next() {
            let rowTrust: String = row["trust"]
            if rowTrust != trust || pending >= chunk {
                try flush()
                trust = rowTrust
            }
            let phases = (row["phases"] as String?).flatMap { try? decoder.decode([String: Int64].self, from: Data($0.utf8)) }
            let attributes = (row["attributes"] as String?).flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) }
            let event = MeasurementEvent(
                kind: EventKind(rawValue: row["kind"]), name: row["name"], startedAtMs: row["started_at_ms"],
                durationMs: row["duration_ms"], phases: phases, outcome: Outcome(rawValue: row["outcome"]), attributes: attributes)
            let device: String = row["device_id"]
            delta.add(event, site: row["site"], deviceId: device, model: models?[rowTrust + "\u{1F}" + device] ?? "unknown")
            pending += 1
        }
        try flush()
    }
}
