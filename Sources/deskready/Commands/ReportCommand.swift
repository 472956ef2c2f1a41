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
                      store: any MeasurementStore) async throws -> ReportQuery {
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
