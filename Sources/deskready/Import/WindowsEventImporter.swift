import DeskReadyAgent
import DeskReadyModel
import DeskReadyWindowsEvents
import Foundation

/// Imports Windows event exports: reads them as a stream, groups the records by computer, assembles boots and logons,
/// pseudonymises users, and prints (`--dry-run`) or sends them, remembering per computer what was read and sent.
final class WindowsEventImporter {
    struct Settings {
        var trust: String
        var siteMap: SiteMap
        var pseudonymizer: Pseudonymizer
        var state: ImportStateFolder?
        /// Nil for a dry run.
        var sender: BatchSender?
        var assembler = WindowsEventAssembler()
        var nowMs: Int64 = WallClock.nowMs()
        /// Print at most this many read problems per file (the rest are counted).
        var issuesShownPerFile = 20
    }

    /// What an import came to, for its summary and exit status.
    struct Summary {
        var files = 0
        var bytes: Int64 = 0
        var events = 0
        var records = 0
        var issues = 0
        var devices = 0
        var sent = 0
        var accepted = 0
        var alreadyStored = 0
        var skipped: [String: Int] = [:]
        var heldBack = 0
    }

    let settings: Settings
    /// Where JSON lines go (dry run) and where the report goes.
    let emit: (String) -> Void
    let report: (String) -> Void
    private(set) var summary = Summary()

    init(settings: Settings, emit: @escaping (String) -> Void, report: @escaping (String) -> Void) {
        self.settings = settings
        self.emit = emit
        self.report = report
    }

    func run(files: [String]) throws -> Summary {
        var inputBytes: Int64 = 0
        for file in files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
                throw ImportError("cannot read \(file): no such file, or no permission; export it with `wevtutil qe CHANNEL /f:xml > \(file)` (agent-config/windows/README.md)")
            }
            inputBytes += (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        let spool = try RecordSpool(inputBytes: inputBytes, temporaryFolder: FileManager.default.temporaryDirectory.path)
        var unnamed: Set<String> = []
        for file in files {
            let reader = try EventLogReader(path: file)
            var shown = 0
            try reader.read({ record in
                guard let device = ComputerName.deviceID(record.computer) else {
                    unnamed.insert(record.computer)
                    return
                }
                summary.records += 1
                spool.append(record, device: device)
            }, issues: { issue in
                shown += 1
                if shown <= settings.issuesShownPerFile { report("warning: \(issue)") }
            })
            if shown > settings.issuesShownPerFile { report("warning: \(file): \(shown - settings.issuesShownPerFile) more problems like the above") }
            summary.files += 1
            summary.bytes += reader.bytesRead
            summary.events += reader.eventCount
            summary.issues += reader.issueCount
        }
        for computer in unnamed.sorted() {
            report("skipped computer '\(computer)': its name is not a device id (letters, digits, '.', '_', '-', ':', at most 64); rename it or import it another way")
        }
        try spool.forEachDevice { device, records in try importDevice(device, records) }
        return summary
    }

    private func importDevice(_ device: String, _ records: [WindowsEventRecord]) throws {
        summary.devices += 1
        var state = try settings.state?.load(device) ?? ComputerState()
        let fresh = records.filter(state.isNew)
        let pending = state.pending.compactMap { RecordLine.decode(Substring($0)) }
        let result = settings.assembler.assemble(pending + fresh, computer: device, nowMs: settings.nowMs)
        let site = settings.siteMap.site(for: device)
        let validator = BatchValidator()
        var toSend: [MeasurementEvent] = []
        var skipped: [String: Int] = [:]
        for assembled in result.events {
            let event = assembled.measurementEvent(pseudonymizer: settings.pseudonymizer)
            if state.sent[event.id.uuidString] != nil {
                skipped["already sent", default: 0] += 1
            } else if let problem = validator.eventProblem(event, nowMs: settings.nowMs) {
                skipped[problem.contains("30 days") ? "older than the 30 days the collector keeps" : problem, default: 0] += 1
            } else {
                toSend.append(event)
            }
        }
        var line = "\(device) (site \(site)): \(Self.describe(toSend))"
        if settings.sender == nil {
            let encoder = WireCoding.encoder()
            for event in toSend { emit(String(decoding: try encoder.encode(event), as: UTF8.self)) }
            line += " printed (dry run)"
        } else if !toSend.isEmpty {
            let (acknowledged, refused) = try send(toSend, device: device, site: site)
            for id in acknowledged { state.sent[id.uuidString] = toSend.first { $0.id == id }?.startedAtMs ?? settings.nowMs }
            for (reason, count) in refused { skipped["refused by the collector: \(reason)", default: 0] += count }
            line += " sent"
        }
        let oldRecords = records.count - fresh.count
        if oldRecords > 0 { skipped["records already read by an earlier import", default: 0] += oldRecords }
        for (reason, count) in skipped.sorted(by: { $0.key < $1.key }) {
            line += "; skipped \(count): \(reason)"
            summary.skipped[reason, default: 0] += count
        }
        for held in result.heldBack { line += "; held back: \(held.reason)" }
        summary.heldBack += result.heldBack.count
        report(line)

        guard let folder = settings.state, settings.sender != nil else { return }
        for record in fresh { state.advance(with: record) }
        if let keepFrom = result.keepFromUs {
            var seen = Set<String>()
            state.pending = (pending + fresh).filter { $0.timeUs >= keepFrom && seen.insert($0.identity).inserted }.map(RecordLine.encode)
        } else {
            state.pending = []
        }
        state.sent = state.sent.filter { $0.value >= settings.nowMs - ComputerState.sentMemoryMs }
        try folder.save(state, device)
    }

    /// Sends in batches of at most the collector's limit; the acknowledged event ids, and refusals by reason.
    private func send(_ events: [MeasurementEvent], device: String, site: String) throws -> (acknowledged: [UUID], refused: [String: Int]) {
        guard let sender = settings.sender else { return ([], [:]) }
        var acknowledged: [UUID] = []
        var refused: [String: Int] = [:]
        let limit = WireLimits.standard.maxEventsPerBatch
        for start in stride(from: 0, to: events.count, by: limit) {
            let chunk = Array(events[start..<min(start + limit, events.count)])
            let batchId = StableEventID.make(computer: device, kind: "batch", sourceIdentity: chunk.map(\.id.uuidString).joined(separator: ","),
                                             startedAtMs: chunk.first?.startedAtMs ?? 0)
            let batch = Batch(batchId: batchId, device: DeviceIdentity(id: device, trust: settings.trust, site: site),
                              sentAtMs: WallClock.nowMs(), events: chunk)
            switch try sender.send(batch, log: { report("\(device): \($0)") }) {
            case .acknowledged(let ack):
                let rejected = Set(ack.rejected.map(\.index))
                for (index, event) in chunk.enumerated() where !rejected.contains(index) { acknowledged.append(event.id) }
                for rejection in ack.rejected { refused[rejection.reason, default: 0] += 1 }
                summary.sent += chunk.count
                summary.accepted += ack.accepted
                summary.alreadyStored += ack.duplicates
            case .refused(let reason):
                refused[reason, default: 0] += chunk.count
            }
        }
        return (acknowledged, refused)
    }

    /// "2 logons, 1 boot, 1 failed logon" of the events.
    static func describe(_ events: [MeasurementEvent]) -> String {
        let boots = events.filter { $0.kind == .boot }.count
        let failed = events.filter { $0.kind == .logon && $0.outcome == .failed }.count
        let incomplete = events.filter { $0.kind == .logon && $0.outcome == .incomplete }.count
        let logons = events.filter { $0.kind == .logon }.count - failed - incomplete
        var parts = ["\(logons) logon\(logons == 1 ? "" : "s")", "\(boots) boot\(boots == 1 ? "" : "s")"]
        if incomplete > 0 { parts.append("\(incomplete) incomplete logon\(incomplete == 1 ? "" : "s")") }
        if failed > 0 { parts.append("\(failed) failed logon\(failed == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }
}
