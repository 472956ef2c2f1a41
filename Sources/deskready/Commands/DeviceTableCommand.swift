import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import Foundation

/// `deskready device table`: a trust's devices for IT ops, as the admin route serves them.
struct DeviceTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Each device's site, model, OS, disk kind, memory, agent version, last seen, and logon and boot p90 over the period.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The trust's ODS code, for example RXX.") var trust: String
    @Option(help: "First day, YYYY-MM-DD (UTC). Default: 28 days before --to.") var from: String?
    @Option(help: "Day after the last, YYYY-MM-DD (UTC). Default: tomorrow.") var to: String?
    @Option(help: "Output format: json or csv.") var format = "csv"
    @Option(help: "Only devices with no data for at least this many days before the period's end.") var silentDays: Int?
    @Flag(help: "Only devices on a hard disk.") var hardDisks = false
    @Flag(help: "Only devices on an OS the maturity model does not list as supported.") var unsupportedOS = false
    @Option(help: "Maturity model YAML file, for the supported OS (default: the built-in model).") var maturityModel: String?

    func run() async throws {
        let trust = try trustCode(trust)
        guard DeviceTableQuery.formats.contains(format) else { throw ValidationError("--format '\(format)' is not json or csv") }
        if let silentDays, !(1...400).contains(silentDays) { throw ValidationError("--silent-days must be from 1 to 400 days") }
        let store = try await database.open()
        guard try await store.trusts().contains(where: { $0.ods == trust }) else {
            throw ValidationError(IdentityError.unknownTrust(trust).description)
        }
        let rules = ReportQuery.Rules(formats: DeviceTableQuery.formats, firstDataDayMs: try await store.firstDataDayMs(trust: trust))
        let period: ReportPeriod
        do {
            period = try ReportPeriod.parse(from: from, to: to, rules: rules, nowMs: WallClock.nowMs())
        } catch {
            throw ValidationError("--\(error.field): \(error.message)")
        }
        let model = try maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
        let query = DeviceTableQuery(trust: trust, fromMs: period.fromMs, toMs: period.toMs, format: format, silentDays: silentDays,
                                     hardDisks: hardDisks, unsupportedOS: unsupportedOS)
        CommandAudit.record("devices.read", trust: trust, details: ["format": format])
        print(try await TrustReportService(store: store, model: model).renderDevices(query).body, terminator: "")
    }
}
