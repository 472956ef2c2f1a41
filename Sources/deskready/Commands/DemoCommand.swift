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

    @Option(help: "How many simulated workstations, spread over 5 trusts and 11 sites.")
    var devices = FleetPlan.standard.deviceCount

    @Option(help: "How many days of logons and application starts to simulate (RXB02 is rebuilt on day \(FleetPlan.fixDay + 1)).")
    var days = 7

    @Option(help: "Agents uploading at once.")
    var parallelism = 8

    func run() async throws {
        guard devices >= 11 else { throw ValidationError("--devices must be at least 11 (one per site)") }
        guard (FleetPlan.fixDay + 2...28).contains(days) else { throw ValidationError("--days must be from \(FleetPlan.fixDay + 2) to 28") }
        let started = Date()
        let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let databasePath = db ?? workDirectory + "/deskready.sqlite"
        var logger = Logger(label: "deskready.demo")
        logger.logLevel = .warning
        let store = try await StoreLocation(databasePath).open(create: true, logger: logger).store
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
        print("Simulating \(plan.deviceCount) workstations in \(plan.trusts.count) trusts over \(days) days (site RXB02 is slow until its workstations are rebuilt on day \(FleetPlan.fixDay + 1))…")
        let outcome: FleetRunner.Outcome
        do {
            outcome = try await FleetRunner(
                plan: plan, days: days, spoolDirectory: workDirectory + "/spools", collectorURL: collector.baseURL,
                parallelism: parallelism, enrolmentTokens: enrolmentTokens
            ).run()
            print(try await WindowsTrustImport(store: store, collectorURL: collector.baseURL, days: days, workDirectory: workDirectory).run())
        } catch {
            try await collector.stop()
            throw error
        }
        try await collector.stop()
        print("Agents spooled \(outcome.spooled) measurements; the collector accepted \(outcome.accepted) events (\(outcome.duplicates) duplicates, \(outcome.rejected) rejected) from \(outcome.devices) devices.\n")
        // Trust RXB saves a baseline of the days before RXB02's rebuild; the report covers the days after it, beside
        // that baseline, the days before, and the median of the other trusts.
        let model = try MaturityModel.standard
        let dayMs = UTCTime.dayMs
        let firstDay = (WallClock.nowMs() / dayMs - Int64(days)) * dayMs
        let fixMs = firstDay + Int64(FleetPlan.fixDay) * dayMs
        let builder = GradedReportBuilder(store: store, model: model)
        let before = try await builder.report(trust: "RXB", fromMs: firstDay, toMs: fixMs, peers: false)
        let baselineName = "before-rxb02-rebuild"
        if try await !store.baselines(trust: "RXB").contains(where: { $0.name == baselineName }), let rxb = before.trusts.first {
            let now = WallClock.nowMs()
            try await store.saveBaseline(try BaselineSnapshot(name: baselineName, trust: rxb, report: before, savedAtMs: now).stored(savedAtMs: now))
            print("Saved baseline '\(baselineName)' of RXB: \(before.period.start) to \(before.period.end).")
        }
        let baseline = try await BaselineLookup(store: store).snapshot(trust: "RXB", name: baselineName)
        let report = try await builder.report(trust: nil, fromMs: fixMs, toMs: (WallClock.nowMs() / dayMs + 1) * dayMs, baseline: baseline)
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
