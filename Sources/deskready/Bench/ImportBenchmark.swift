import ArgumentParser
import DeskReadyModel
import DeskReadyWindowsEvents
import Foundation

/// `deskready bench import`: Windows event XML read per second, and the memory it takes, on a generated export: the
/// reader alone (parse), then the whole import as `--dry-run` runs it (read, group by computer, assemble,
/// pseudonymise, encode). Peak memory is the process's `VmHWM`, reset before each measure.
struct ImportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Windows event import: MB of XML per second and peak memory.")

    @Option(help: "Size of the generated export in MB.") var megabytes = 1024
    @Option(help: "Computers in the export.") var computers = 2_000
    @Option(help: "Keep the generated export at this path (default: a temporary file, deleted).") var keep: String?
    @Option(help: "Write machine-readable results here.") var json: String?

    struct Measure: Codable {
        var name: String
        var seconds: Double
        var megabytesPerSecond: Double
        var eventsPerSecond: Double
        var peakResidentMB: Double
    }

    struct Result: Codable {
        var exportBytes: Int64
        var events: Int
        var measures: [Measure]
    }

    func run() throws {
        guard megabytes >= 1, computers >= 1 else { throw ValidationError("--megabytes and --computers must be at least 1") }
        let path = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("deskready-import-bench-\(UUID().uuidString.prefix(8)).xml").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot create \(path); pass --keep with a writable path or set TMPDIR")
        }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: path) } }
        let dayMs: Int64 = 86_400_000
        let generator = WindowsExportGenerator(computers: (0..<computers).map { String(format: "ws-%05d", $0) },
                                               firstDayMs: (WallClock.nowMs() / dayMs - 25) * dayMs, days: 20)
        print("Generating a \(megabytes) MB export of \(computers) computers at \(path)…")
        let bytes = generator.write(to: handle, limitBytes: Int64(megabytes) << 20)
        try handle.close()

        var measures: [Measure] = []
        var events = 0
        resetPeak()
        var started = Date()
        let reader = try EventLogReader(path: path)
        var records = 0
        try reader.read({ _ in records += 1 }, issues: { print("warning: \($0)") })
        events = reader.eventCount
        measures.append(measure("parse (reader only)", started, bytes: bytes, events: events))

        resetPeak()
        started = Date()
        var emitted = 0
        let settings = WindowsEventImporter.Settings(
            trust: "RXX", siteMap: try SiteMap(path: nil, defaultSite: "RXX01", trust: "RXX"),
            pseudonymizer: Pseudonymizer(key: "benchmark-secret-key-0001"), state: nil, sender: nil)
        let importer = WindowsEventImporter(settings: settings, emit: { _ in emitted += 1 }, report: { _ in })
        let summary = try importer.run(files: [path])
        measures.append(measure("import --dry-run (read, group, assemble, pseudonymise, encode)", started, bytes: bytes, events: events))
        print("export: \(formatted(Double(bytes) / 1_048_576)) MB, \(events) events (\(records) used), \(summary.devices) computers, \(emitted) boots and logons assembled")
        for m in measures {
            print("\(m.name): \(formatted(m.seconds)) s, \(formatted(m.megabytesPerSecond)) MB/s, \(Int(m.eventsPerSecond)) events/s, peak RSS \(formatted(m.peakResidentMB)) MB")
        }
        try writeJSON(Result(exportBytes: bytes, events: events, measures: measures), to: json)
    }

    private func measure(_ name: String, _ started: Date, bytes: Int64, events: Int) -> Measure {
        let seconds = Date().timeIntervalSince(started)
        return Measure(name: name, seconds: seconds, megabytesPerSecond: Double(bytes) / 1_048_576 / seconds,
                       eventsPerSecond: Double(events) / seconds, peakResidentMB: Double(peakKB()) / 1024)
    }

    /// `VmHWM` of this process, kB.
    private func peakKB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }

    /// Resets `VmHWM` to the current resident set (Linux: writing 5 to clear_refs).
    private func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
