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

    @Option(name: [.customLong("db"), .customLong("database")], help: "The collector's store: a SQLite file (or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE.")
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
        guard let reportFormat = ReportFormat(rawValue: format) else {
            throw ValidationError("--format '\(format)' is not one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard PostgresStoreLocation.isPostgresURL(db) || FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); pass --db with the collector's database file")
        }
        if let trust, !ODSCode.isValidTrust(trust) {
            throw ValidationError("--trust '\(trust)' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX)")
        }
        let model = try maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
        let period = try ReportPeriod(from: from, to: to)
        let store = try await StoreLocation(db).open().store
        var saved: BaselineSnapshot?
        if let baseline {
            guard let trust else { throw ValidationError("--baseline needs --trust: a baseline belongs to one trust") }
            saved = try await BaselineLookup(store: store).snapshot(trust: trust, name: baseline)
        }
        let report = try await GradedReportBuilder(store: store, model: model)
            .report(trust: trust, fromMs: period.fromMs, toMs: period.toMs, baseline: saved, peers: !noPeers)
        let text = try reportFormat.render(report)
        guard let out else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
        print("Wrote the \(reportFormat.rawValue) report (\(report.trusts.count) trust\(report.trusts.count == 1 ? "" : "s"), model \(model.id) \(model.version)) to \(out)")
    }
}

/// A report's period from `--from` and `--to` dates (UTC days). By default the last 28 whole days, today included,
/// so the period and the previous period both start and end at midnight UTC.
struct ReportPeriod {
    var fromMs: Int64
    var toMs: Int64

    init(from: String?, to: String?, nowMs: Int64 = WallClock.nowMs(), defaultDays: Int64 = 28) throws {
        let endOfToday = (nowMs / 86_400_000 + 1) * 86_400_000
        toMs = try to.map { try Self.parseDay($0, option: "--to") } ?? endOfToday
        fromMs = try from.map { try Self.parseDay($0, option: "--from") } ?? (toMs - defaultDays * 86_400_000)
        guard fromMs < toMs else { throw ValidationError("--from must be before --to") }
    }

    static func parseDay(_ text: String, option: String) throws -> Int64 {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        if parts.count == 3 {
            components.year = parts[0]
            components.month = parts[1]
            components.day = parts[2]
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard parts.count == 3, components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw ValidationError("\(option) '\(text)' is not a date; use YYYY-MM-DD, for example 2026-11-01")
        }
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}
