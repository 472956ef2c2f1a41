import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadyTestSupport
import Foundation
import Testing

/// One seeded workload ingested into SQLite and PostgreSQL: every read, and every rendered report, identical.
@Suite("Store contract: SQLite and PostgreSQL agree")
struct DifferentialTests {
    static let dayMs: Int64 = 86_400_000

    /// One protocol read and its result, compared by value (the results are `Equatable`), named for messages.
    enum Read: Equatable {
        case timings(String, [TimingSeries])
        case activity(String, [DeviceActivity])
        case estate(String, [EstateCount])
        case models(String, [ModelTiming])
        case counts(String, StoreCounts)
        case devices(String, [DeviceRecord])
        case summary(String, TrustSummary)
        case trusts([TrustRecord], [String])

        var label: String {
            switch self {
            case .timings(let label, let value): "\(label): \(value.count) series, \(value.map(\.durations.count).reduce(0, +)) ok, \(value.map(\.failures).reduce(0, +)) failed"
            case .activity(let label, let value): "\(label): \(value)"
            case .estate(let label, let value): "\(label): \(value)"
            case .models(let label, let value): "\(label): \(value.map { "\($0.trust)/\($0.model)/\($0.kind.rawValue)=\($0.durations.count)+\($0.failures)" })"
            case .counts(let label, let value): "\(label): \(value)"
            case .devices(let label, let value): "\(label): \(value)"
            case .summary(let label, let value): "\(label): \(value)"
            case .trusts(let value, let codes): "trusts: \(value) \(codes)"
            }
        }
    }

    /// Every protocol read, over periods with whole days and edge hours, for all trusts, each one and an unknown one.
    static func reads(_ store: any ContractStore, endMs end: Int64 = Workload.endMs) async throws -> [Read] {
        var out: [Read] = []
        let ranges: [(Int64, Int64)] = [(end - 28 * dayMs, end), (end - 7 * dayMs - 5 * 3_600_000, end - 2 * dayMs + 7 * 3_600_000),
                                        (end - 3 * dayMs + 1, end - 3 * dayMs + 4 * 3_600_000), (end - 56 * dayMs, end - 28 * dayMs)]
        for trust in [nil] + Workload.trusts + ["RZZ"] {
            for (from, to) in ranges {
                let label = "\(trust ?? "all") \(from)-\(to)"
                out.append(.timings("timings \(label)", try await store.timingSeries(trust: trust, fromMs: from, toMs: to)))
                out.append(.timings("timings with two phases \(label)",
                                    try await store.timingSeries(trust: trust, fromMs: from, toMs: to, phases: ["ttfb", "authentication"])))
                out.append(.activity("activity \(label)", try await store.deviceActivity(trust: trust, fromMs: from, toMs: to)))
                out.append(.estate("estate \(label)", try await store.estate(trust: trust, fromMs: from, toMs: to)))
                out.append(.models("models \(label)", try await store.modelTimings(trust: trust, fromMs: from, toMs: to)))
            }
            out.append(.counts("counts \(trust ?? "all")", try await store.counts(trust: trust)))
            out.append(.devices("devices \(trust ?? "all")", try await store.devices(trust: trust)))
            if let trust { out.append(.summary("summary \(trust)", try await store.trustSummary(trust: trust))) }
        }
        out.append(.trusts(try await store.trusts(), try await store.trustCodes()))
        return out
    }

    /// Records each read that differs, by name and a short summary of both sides.
    static func compare(_ expected: [Read], _ actual: [Read], _ what: String) {
        #expect(expected.count == actual.count)
        for (a, b) in zip(expected, actual) where a != b {
            Issue.record("\(what) differs:\n  sqlite:   \(a.label)\n  postgres: \(b.label)")
        }
    }

    /// Every report format, for all trusts and for each one.
    static func reports(_ store: any ContractStore, endMs: Int64 = Workload.endMs) async throws -> [String] {
        var out: [String] = []
        let builder = GradedReportBuilder(store: store, model: try MaturityModel.standard)
        for trust in [nil] + Workload.trusts {
            let report = try await builder.report(trust: trust, fromMs: endMs - 14 * dayMs, toMs: endMs, nowMs: endMs)
            for format in ReportFormat.allCases { out.append(try format.render(report)) }
        }
        return out
    }

    static func load(_ workload: Workload, into store: any ContractStore, foldAt: Int?) async throws -> [BatchAcknowledgement] {
        for trust in Workload.trusts { _ = try await store.addTrust(ods: trust, name: "Trust \(trust)") }
        var acknowledgements: [BatchAcknowledgement] = []
        for (index, batch) in workload.batches.enumerated() {
            acknowledgements.append(try await store.ingest(batch))
            if index == foldAt { _ = try await store.foldAggregates() }
        }
        return acknowledgements
    }

    @Test("Every read and every report format is identical after the same seeded workload, folded or not",
          .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: no PostgreSQL store to compare"),
          arguments: [UInt64(7), 2026])
    func sameReads(seed: UInt64) async throws {
        let workload = Workload(seed: seed, batchCount: 160)
        let sqlite = try await TestStore.make(.sqlite)
        let postgres = try await TestStore.make(.postgres)
        do {
            let sqliteAcks = try await Self.load(workload, into: sqlite.store, foldAt: nil)
            let postgresAcks = try await Self.load(workload, into: postgres.store, foldAt: workload.batches.count / 2)
            #expect(sqliteAcks == postgresAcks)
            #expect(sqliteAcks.contains { $0.duplicateBatch } && sqliteAcks.contains { $0.duplicates > 0 && !$0.duplicateBatch })
            let expected = try await Self.reads(sqlite.store)
            let unfolded = try await Self.reads(postgres.store)
            Self.compare(expected, unfolded, "unfolded PostgreSQL")
            _ = try await postgres.store.foldAggregates()
            let folded = try await Self.reads(postgres.store)
            Self.compare(expected, folded, "folded PostgreSQL")
            let sqliteReports = try await Self.reports(sqlite.store)
            let postgresReports = try await Self.reports(postgres.store)
            #expect(sqliteReports.count == 4 * ReportFormat.allCases.count)
            for (index, (a, b)) in zip(sqliteReports, postgresReports).enumerated() where a != b {
                Issue.record("report \(index) (\(ReportFormat.allCases[index % ReportFormat.allCases.count])) differs")
            }
        } catch {
            await sqlite.remove()
            await postgres.remove()
            throw error
        }
        await sqlite.remove()
        await postgres.remove()
    }
}
