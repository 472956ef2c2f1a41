import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyReporting
import Foundation

/// `deskready report`: every trust's indicators graded against a maturity model, for a period beside the one before.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Grade each trust's logon, boot and application start times against a maturity model.",
        discussion: """
            The period (default the last 28 days) is shown beside the previous period of the same length. Formats: \
            text (terminal table), html (one self-contained page with charts), json (collector/indicators.schema.json), \
            csv (one row per trust, site and indicator) and fhir (FHIR R4 Bundle of Measures and MeasureReports).
            """)

    @Option(name: [.customLong("db"), .customLong("store"), .customLong("database")], help: "The collector's store: a SQLite file (or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE.")
    var db = "./deskready.sqlite"

    @Option(help: "Only this trust (ODS code).")
    var trust: String?

    @Option(help: "First day, YYYY-MM-DD (UTC). Default: 28 days before --to.")
    var from: String?

    @Option(help: "Day after the last, YYYY-MM-DD (UTC). Default: tomorrow, so the period ends with today.")
    var to: String?

    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = "text"

    @Option(help: "Write the report to this file instead of standard output.")
    var out: String?

    @Option(help: "Maturity model YAML file (default: the built-in model, collector/maturity-model.yaml).")
    var maturityModel: String?

    @Option(help: "Show this saved baseline (see `deskready baseline`) beside the period; needs --trust.")
    var baseline: String?

    @Flag(help: "Leave out the peer median (each indicator beside the median of the other trusts on this collector).")
    var noPeers = false

    func run() async throws {
        guard PostgresStoreLocation.isPostgresURL(db) || FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); pass --db with the collector's database file")
        }
        if baseline != nil && trust == nil { throw ValidationError("--baseline needs --trust: a baseline belongs to one trust") }
        let model = try maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
        let store = try await StoreLocation(db).open().store
        let query = try await CommandLineReportQuery.parse(trust: trust, from: from, to: to, format: format, baseline: baseline,
                                                           peers: !noPeers, store: store)
        // Checked by the query: the format is one of ReportFormat's.
        guard let reportFormat = ReportFormat(rawValue: query.format) else { throw ValidationError("--format '\(format)' is unknown") }
        CommandAudit.record("report.read", trust: query.trust, details: [
            "format": query.format, "from": CivilDay.format(query.period.fromMs), "to": CivilDay.format(query.period.toMs),
        ])
        if query.trust == nil, let writer = ReportStreamWriter(format: reportFormat) {
            // Every trust's report written as it is made, so memory stays flat whatever the number of trusts; the
            // cache keeps only the peer grades.
            let builder = GradedReportBuilder(store: store, model: model, cache: GradedTrustCache(fullCapacity: 0))
            try await StreamedOutput.write(to: out) { sink in
                try await builder.stream(writer, fromMs: query.period.fromMs, toMs: query.period.toMs, peers: query.peers, to: sink)
            }
            if let out { print("Wrote the \(reportFormat.rawValue) report (every trust, model \(model.id) \(model.version)) to \(out)") }
            return
        }
        let rendered = try await TrustReportService(store: store, model: model).render(query)
        let text = rendered.body
        guard let out else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
        print("Wrote the \(reportFormat.rawValue) report (\(query.trust ?? "every trust"), model \(model.id) \(model.version)) to \(out)")
    }
}

/// The command line's face of `ReportQuery`: the same rules as the HTTP route, with the options named as `--from`,
/// `--to`, `--format`, `--trust` and `--baseline` in the messages.
enum CommandLineReportQuery {
    static func parse(trust: String?, from: String?, to: String?, format: String, baseline: String?, peers: Bool,
                      store: any MeasurementReading) async throws -> ReportQuery {
        var rules = ReportQuery.Rules(formats: ReportFormat.allCases.map(\.rawValue))
        if let trust, ODSCode.isValidTrust(trust) { rules.firstDataDayMs = try await store.firstDataDayMs(trust: trust) }
        do {
            return try ReportQuery.parse(trust: trust, from: from, to: to, format: format, baseline: baseline, peers: peers,
                                         rules: rules, nowMs: WallClock.nowMs())
        } catch {
            throw ValidationError("--\(error.field): \(error.message)")
        }
    }
}

/// Writes a document piece by piece to standard output, or to a file that appears whole (written beside it, then
/// renamed) only once every piece is written.
enum StreamedOutput {
    static func write(to path: String?, _ body: ((String) async throws -> Void) async throws -> Void) async throws {
        guard let path else {
            try await body { piece in FileHandle.standardOutput.write(Data(piece.utf8)) }
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
            throw ValidationError("cannot write \(path): cannot create \(partial); check the folder exists and is writable")
        }
        do {
            try await body { piece in try handle.write(contentsOf: Data(piece.utf8)) }
            try handle.close()
            // rename(2) replaces the file in one step, whether or not there was one.
            guard rename(partial, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
