import DeskReadyModel
import DeskReadyWindowsEvents
import Foundation

/// What the importer remembers about one computer between runs (`--state DIR`, one JSON file per device):
/// per channel the newest record read, so a scheduled run skips what it already read; the records of boots and
/// logons still in progress, so a later export completes them; and the ids of the events already sent.
struct ComputerState: Codable {
    /// The record with the latest time read from a channel. A record is new when its id is higher or its time later
    /// (record ids restart when a log is cleared; the clock can step back).
    struct Watermark: Codable {
        var recordID: Int64
        var timeUs: Int64
    }

    var watermarks: [String: Watermark] = [:]
    /// Records kept for the boots and logons held back, as `RecordLine`s.
    var pending: [String] = []
    /// Event ids sent and acknowledged, with their start (pruned after `sentMemoryMs`).
    var sent: [String: Int64] = [:]

    /// Ids are remembered a little longer than the collector accepts events (30 days).
    static let sentMemoryMs: Int64 = 35 * UTCTime.dayMs

    func isNew(_ record: WindowsEventRecord) -> Bool {
        guard let mark = watermarks[record.channel.lowercased()] else { return true }
        return record.recordID > mark.recordID || record.timeUs > mark.timeUs
    }

    mutating func advance(with record: WindowsEventRecord) {
        let key = record.channel.lowercased()
        if let mark = watermarks[key], mark.timeUs >= record.timeUs { return }
        watermarks[key] = Watermark(recordID: record.recordID, timeUs: record.timeUs)
    }
}

/// The `--state` folder: one `ComputerState` per device id.
struct ImportStateFolder {
    let path: String

    init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ImportError("cannot create the state folder \(path): \(error.localizedDescription); pass a --state folder this user may write")
        }
    }

    private func file(_ deviceID: String) -> String { path + "/" + deviceID + ".json" }

    func load(_ deviceID: String) throws -> ComputerState {
        let file = file(deviceID)
        guard FileManager.default.fileExists(atPath: file) else { return ComputerState() }
        do {
            return try JSONDecoder().decode(ComputerState.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw ImportError("the state file \(file) is damaged (\(error)); delete it to read that computer's exports afresh (events already stored are not stored twice)")
        }
    }

    func save(_ state: ComputerState, _ deviceID: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try encoder.encode(state).write(to: URL(fileURLWithPath: file(deviceID)), options: .atomic)
        } catch {
            throw ImportError("cannot write the state file \(file(deviceID)): \(error.localizedDescription); check that this user may write to \(path)")
        }
    }
}
