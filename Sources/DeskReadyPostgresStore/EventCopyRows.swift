import DeskReadyModel
import DeskReadyStore
import NIOCore

/// A group's event rows in `COPY … FROM STDIN` text format, for events expected to be new: COPY costs the server
/// about 4 µs a row against 7 for an `INSERT … SELECT FROM unnest(…)` of the same rows and 8 with `ON CONFLICT`
/// (pg_stat_statements and in-server timing, 200,000 rows; BENCHMARKS.md). A row stored before breaks the unique key
/// and fails the COPY; the writer then stores the group again skipping stored rows.
///
/// postgres-nio writes COPY data but has no row encoder, so this is the text format by hand (the format is small:
/// tab-separated columns, `\N` for NULL, and backslash escapes; see PostgreSQL's COPY documentation).
package struct EventCopyRows {
    static let columns = ["trust", "event_id", "site", "device_id", "batch_id", "kind", "name", "started_at_ms", "duration_ms",
                          "outcome", "user", "phases", "attributes", "received_at_ms"]

    private var bytes: [UInt8] = []
    /// Each batch's trust, escaped, then a tab.
    private let batchTrusts: [[UInt8]]
    /// Each batch's site, device and batch id, escaped, each after a tab and the last followed by one.
    private let batchColumns: [[UInt8]]
    /// Each batch's arrival time as text, ending the row.
    private let batchTails: [[UInt8]]

    init(batches: [PreparedBatch], capacity: Int) {
        bytes.reserveCapacity(capacity * 200)
        batchTrusts = batches.map { batch in
            var bytes: [UInt8] = []
            Self.appendText(batch.trust, to: &bytes)
            bytes.append(0x09)
            return bytes
        }
        batchColumns = batches.map { batch in
            var bytes: [UInt8] = [0x09]
            Self.appendText(batch.site, to: &bytes)
            bytes.append(0x09)
            Self.appendText(batch.deviceId, to: &bytes)
            bytes.append(0x09)
            Self.appendUUID(batch.batchId, to: &bytes)
            bytes.append(0x09)
            return bytes
        }
        batchTails = batches.map { Array("\($0.receivedAtMs)\n".utf8) }
    }

    /// The rows added so far, for `PostgresCopyFromWriter.write`.
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// Adds one row of the batch at `batchIndex`, in the column order of `columns`.
    mutating func append(_ row: PreparedRow, batchIndex: Int) {
        bytes.append(contentsOf: batchTrusts[batchIndex])
        Self.appendUUID(row.event.id, to: &bytes)
        bytes.append(contentsOf: batchColumns[batchIndex])
        Self.appendText(row.event.kind.rawValue, to: &bytes)
        bytes.append(0x09)
        Self.appendText(row.event.name, to: &bytes)
        bytes.append(0x09)
        Self.appendInteger(row.event.startedAtMs, to: &bytes)
        bytes.append(0x09)
        Self.appendInteger(row.event.durationMs, to: &bytes)
        bytes.append(0x09)
        Self.appendText(row.event.outcome.rawValue, to: &bytes)
        bytes.append(0x09)
        Self.appendOptional(row.event.user, to: &bytes)
        Self.appendOptional(row.phases, to: &bytes)
        Self.appendOptional(row.attributes, to: &bytes)
        bytes.append(contentsOf: batchTails[batchIndex])
    }

    private static func appendOptional(_ text: String?, to bytes: inout [UInt8]) {
        if let text { appendText(text, to: &bytes) } else { bytes.append(contentsOf: [0x5C, 0x4E]) }
        bytes.append(0x09)
    }

    /// `text` escaped for COPY's text format: a backslash doubled, and any control byte as `\xHH` (the collector
    /// refuses control characters, and NUL cannot be stored, so this is a guard, not a path taken).
    package static func appendText(_ text: String, to bytes: inout [UInt8]) {
        // Most text needs no escape: copied whole, not byte by byte.
        if !text.utf8.contains(where: { $0 == 0x5C || $0 < 0x20 || $0 == 0x7F }) {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            if byte == 0x5C {
                bytes.append(0x5C)
                bytes.append(0x5C)
            } else if byte < 0x20 || byte == 0x7F {
                bytes.append(contentsOf: [0x5C, 0x78, hexDigit(byte >> 4), hexDigit(byte & 0x0F)])
            } else {
                bytes.append(byte)
            }
        }
    }

    /// The id in its 36-character text form, lower case, without making a `String`.
    package static func appendUUID(_ id: UUID, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(0x2D) }
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0x0F))
            }
        }
    }

    /// The integer's decimal digits, without making a `String`.
    package static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x61 + value - 10 }
}
