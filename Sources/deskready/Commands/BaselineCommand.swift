import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import Foundation

/// `deskready baseline save|list|delete`: freeze a trust's indicators for a period, to compare later reports with.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Save, list and delete a trust's baselines: its indicators frozen for a period.",
        discussion: "Show one beside a report with `deskready report --trust ODS --baseline NAME` or `?baseline=NAME` over HTTP.",
        subcommands: [Save.self, List.self, Delete.self])

    struct Common: ParsableArguments {
        @Option(name: [.customLong("db"), .customLong("store"), .customLong("database")], help: "The collector's store: a SQLite file (or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE.")
        var db = "./deskready.sqlite"

        @Option(help: "The trust (ODS code).")
        var trust: String

        func open() async throws -> any CollectorStore {
            guard ODSCode.isValidTrust(trust) else {
                throw ValidationError("--trust '\(trust)' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX)")
            }
            return try await StoreLocation(db).open().store
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grade the trust for a period and save its indicators under a name.")

        @OptionGroup var common: Common

        @Option(help: "The baseline's name: letters, digits, '-', '_' or '.' (for example before-ssd-rollout).")
        var name: String

        @Option(help: "First day, YYYY-MM-DD (UTC). Default: 28 days before --to.")
        var from: String?

        @Option(help: "Day after the last, YYYY-MM-DD (UTC). Default: tomorrow, so the period ends with today.")
        var to: String?

        @Option(help: "Maturity model YAML file (default: the built-in model).")
        var maturityModel: String?

        func run() async throws {
            guard StoredBaseline.isValidName(name) else {
                throw ValidationError("--name '\(name)' must be 1 to 64 letters, digits, '-', '_' or '.'")
            }
            let store = try await common.open()
            let model = try maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
            let period = try await CommandLineReportQuery.parse(trust: common.trust, from: from, to: to, format: "json", baseline: nil,
                                                                peers: false, store: store).period
            let report = try await GradedReportBuilder(store: store, model: model)
                .report(trust: common.trust, fromMs: period.fromMs, toMs: period.toMs, peers: false)
            guard let trust = report.trusts.first else { throw ValidationError("trust \(common.trust) has no data in this period") }
            let now = WallClock.nowMs()
            let snapshot = BaselineSnapshot(name: name, trust: trust, report: report, savedAtMs: now)
            try await store.saveBaseline(try snapshot.stored(savedAtMs: now))
            let graded = trust.indicators.filter { $0.status == .graded }.count
            print("Saved baseline '\(name)' of \(common.trust): \(report.period.start) to \(report.period.end), \(graded) of \(trust.indicators.count) indicators graded, model \(model.id) \(model.version)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the trust's saved baselines.")

        @OptionGroup var common: Common

        func run() async throws {
            let store = try await common.open()
            let saved = try await store.baselines(trust: common.trust)
            guard !saved.isEmpty else {
                print("Trust \(common.trust) has no baselines; save one with `deskready baseline save --trust \(common.trust) --name NAME`")
                return
            }
            for stored in saved {
                let snapshot = try BaselineSnapshot(stored)
                let level = snapshot.overall.level.map { "level \($0)" } ?? "insufficient data"
                print("\(stored.name)\t\(snapshot.period.start) to \(snapshot.period.end)\tsaved \(snapshot.savedAt)\t\(level)\tmodel \(snapshot.model.id) \(snapshot.model.version)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one of the trust's saved baselines.")

        @OptionGroup var common: Common

        @Option(help: "The baseline's name.")
        var name: String

        func run() async throws {
            let store = try await common.open()
            guard try await store.deleteBaseline(trust: common.trust, name: name) else {
                throw ValidationError("trust \(common.trust) has no baseline named '\(name)'; `deskready baseline list --trust \(common.trust)` shows its baselines")
            }
            print("Deleted baseline '\(name)' of \(common.trust)")
        }
    }
}
