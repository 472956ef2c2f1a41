import ArgumentParser
import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import Foundation
import Logging

/// `deskready demo`: a collector on SQLite, a simulated fleet through the real agent code, and the report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a collector on SQLite, run a simulated fleet of agents against it over HTTP, and print the report.")

    @Option(help: "SQLite database file (default: a new file in a temporary folder).")
    var db: String?

    @Option(help: "How many simulated workstations, spread over 3 trusts and 8 sites.")
    var devices = 228

    @Option(help: "How many days of logons and application starts to simulate.")
    var days = 3

    @Option(help: "Agents uploading at once.")
    var parallelism = 8

    func run() async throws {
        guard devices >= 8 else { throw ValidationError("--devices must be at least 8 (one per site)") }
        guard (1...28).contains(days) else { throw ValidationError("--days must be from 1 to 28") }
        let started = Date()
        let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let databasePath = db ?? workDirectory + "/deskready.sqlite"
        var logger = Logger(label: "deskready.demo")
        logger.logLevel = .warning
        let store = try SQLiteMeasurementStore(path: databasePath)
        let collector = try await RunningCollector.start(store: store, logger: logger)
        print("Collector listening on \(collector.baseURL), storing in \(databasePath)")
        let plan = FleetPlan.standard.scaled(toDevices: devices)
        var enrolmentTokens: [String: String] = [:]
        for trust in plan.trusts {
            if try await !store.trusts().contains(where: { $0.ods == trust.code }) {
                _ = try await store.addTrust(ods: trust.code, name: trust.name)
            }
            enrolmentTokens[trust.code] = try await store.issueToken(role: .enrolment, trust: trust.code, label: "demo roll-out", expiresMs: nil).token
        }
        print("Simulating \(plan.deviceCount) workstations in \(plan.trusts.count) trusts over \(days) days (site RXB02 is slow)…")
        let outcome: FleetRunner.Outcome
        do {
            outcome = try await FleetRunner(
                plan: plan, days: days, spoolDirectory: workDirectory + "/spools", collectorURL: collector.baseURL,
                parallelism: parallelism, enrolmentTokens: enrolmentTokens
            ).run()
        } catch {
            try await collector.stop()
            throw error
        }
        try await collector.stop()
        print("Agents spooled \(outcome.spooled) measurements; the collector accepted \(outcome.accepted) events (\(outcome.duplicates) duplicates, \(outcome.rejected) rejected) from \(outcome.devices) devices.\n")
        let period = try ReportPeriod(from: nil, to: nil)
        let report = try await GradedReportBuilder(store: store, model: try MaturityModel.standard).report(trust: nil, fromMs: period.fromMs, toMs: period.toMs)
        print(try ReportFormat.text.render(report), terminator: "")
        let base = URL(fileURLWithPath: databasePath).deletingPathExtension().path
        var written: [String] = []
        for format in [ReportFormat.html, .json, .csv, .fhir] {
            let path = "\(base)-report.\(format == .fhir ? "fhir.json" : format.rawValue)"
            try Data(try format.render(report).utf8).write(to: URL(fileURLWithPath: path))
            written.append(path)
        }
        print("\nReports for people and machines:")
        for path in written { print("  \(path)") }
        print("Done in \(String(format: "%.1f", Date().timeIntervalSince(started))) s. Database: \(databasePath)")
        print("Report again with: swift run deskready report --db \(databasePath) --format html --out report.html")
    }
}
