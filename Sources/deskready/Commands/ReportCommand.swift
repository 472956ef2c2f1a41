import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import Foundation

/// `deskready report`: indicators per trust from a collector's database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print indicators per trust: logon, boot and application start times.")

    @Option(help: "SQLite database file of the collector.")
    var db = "./deskready.sqlite"

    @Option(help: "Only this trust (ODS code).")
    var trust: String?

    @Option(help: "First day, YYYY-MM-DD (UTC). Default: 28 days before --to.")
    var from: String?

    @Option(help: "Day after the last, YYYY-MM-DD (UTC). Default: now.")
    var to: String?

    @Option(help: "Logon target in seconds, for the share within target.")
    var logonTargetSeconds = 60

    @Option(help: "Output format: text or json.")
    var format = "text"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db); pass --db with the collector's database file")
        }
        if let trust, !ODSCode.isValidTrust(trust) {
            throw ValidationError("--trust '\(trust)' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX)")
        }
        let period = try ReportPeriod(from: from, to: to)
        let store = try SQLiteMeasurementStore(path: db)
        let reports = try await ReportBuilder(store: store, logonTargetMs: Int64(logonTargetSeconds) * 1000)
            .reports(trust: trust, fromMs: period.fromMs, toMs: period.toMs)
        switch format {
        case "text": print(TextReportRenderer().render(reports), terminator: "")
        case "json": print(String(decoding: try JSONReportRenderer().render(reports), as: UTF8.self))
        default: throw ValidationError("--format '\(format)' is not one of text, json")
        }
    }
}

/// A report's period from `--from` and `--to` dates (UTC days).
struct ReportPeriod {
    var fromMs: Int64
    var toMs: Int64

    init(from: String?, to: String?, nowMs: Int64 = WallClock.nowMs(), defaultDays: Int64 = 28) throws {
        toMs = try to.map { try Self.parseDay($0, option: "--to") } ?? nowMs
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
