import DeskReadyWindowsEvents
import Foundation

/// Holds the records read, grouped by device, until they are assembled: in memory for small imports, otherwise
/// in temporary files, one per group of devices (by a hash of the device id), so that assembling needs only one
/// group's records in memory at a time whatever the size of the exports.
final class RecordSpool {
    /// Roughly this many bytes of XML per group.
    static let bytesPerBucket: Int64 = 32 << 20
    private let folder: String?
    private var memory: [String: [WindowsEventRecord]] = [:]
    private var files: [UnsafeMutablePointer<FILE>?] = []

    /// A spool for about `inputBytes` of XML; temporary files go under `temporaryFolder`.
    init(inputBytes: Int64, temporaryFolder: String) throws {
        let buckets = Int(min(256, max(1, inputBytes / Self.bytesPerBucket)))
        guard buckets > 1 else {
            folder = nil
            return
        }
        let folder = temporaryFolder + "/deskready-import-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ImportError("cannot create a temporary folder under \(temporaryFolder): \(error.localizedDescription); set TMPDIR to a writable folder")
        }
        self.folder = folder
        for index in 0..<buckets {
            guard let file = fopen(folder + "/\(index).records", "w+") else {
                throw ImportError("cannot create temporary files in \(folder); set TMPDIR to a writable folder with free space")
            }
            files.append(file)
        }
    }

    deinit {
        for file in files { if let file { fclose(file) } }
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    func append(_ record: WindowsEventRecord, device: String) {
        guard folder != nil else {
            memory[device, default: []].append(record)
            return
        }
        let line = device + "\t" + RecordLine.encode(record) + "\n"
        fputs(line, files[Self.bucket(device, of: files.count)])
    }

    /// Hands over each device's records, one group at a time.
    func forEachDevice(_ body: (String, [WindowsEventRecord]) throws -> Void) throws {
        guard folder != nil else {
            for device in memory.keys.sorted() { try body(device, memory[device] ?? []) }
            return
        }
        for file in files {
            guard let file else { continue }
            fflush(file)
            rewind(file)
            var group: [String: [WindowsEventRecord]] = [:]
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            while getline(&line, &capacity, file) > 0 {
                guard let line else { break }
                let text = String(cString: line).dropLast()
                guard let tab = text.utf8.firstIndex(of: 0x09), let record = RecordLine.decode(text[text.utf8.index(after: tab)...]) else { continue }
                group[String(text[..<tab]), default: []].append(record)
            }
            free(line)
            for device in group.keys.sorted() { try body(device, group[device] ?? []) }
        }
    }

    /// FNV-1a of the device id.
    static func bucket(_ device: String, of count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in device.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(count))
    }
}
