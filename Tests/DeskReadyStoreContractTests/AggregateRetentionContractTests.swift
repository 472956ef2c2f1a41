import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadyTestSupport
import Foundation
import Testing

/// Aggregate retention by resolution on both stores: hourly rows go after their window and reports of whole days do
/// not change; daily rows go after theirs, with the trust's data version.
@Suite("Store contract: aggregate retention by resolution")
struct AggregateRetentionContractTests {
    let dayMs = ReportCacheContractTests.dayMs
    let endMs = ReportCacheContractTests.endMs

    @Test("Hourly rows before their window go and whole-day reports stay; daily rows before theirs go with the version",
          arguments: StoreKind.available)
    func trims(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await ReportCacheContractTests.seed(store, days: 10)
            _ = try await store.foldAggregates()
            let model = try MaturityModel.standard
            let builder = GradedReportBuilder(store: store, model: model)
            let (from, to) = (endMs - 7 * dayMs, endMs)
            let before = try await builder.report(trust: nil, fromMs: from, toMs: to, nowMs: endMs)
            let partialBefore = try await store.timingSeries(trust: "RAA", fromMs: endMs - 9 * dayMs + 3_600_000, toMs: endMs - 8 * dayMs)
            let versions = try await store.trustDataVersions()

            // Hourly rows of the last three days are kept: whole-day reports read days, so nothing moves.
            let hourly = try await store.deleteAggregates(hourlyBeforeMs: endMs - 3 * dayMs, dailyBeforeMs: nil)
            #expect(hourly.hourlyRows > 0 && hourly.dailyRows == 0)
            #expect(try await builder.report(trust: nil, fromMs: from, toMs: to, nowMs: endMs) == before)
            #expect(try await store.trustDataVersions() == versions)
            // A range that is not whole days before the window reads what hours remain: none.
            #expect(!partialBefore.isEmpty)
            #expect(try await store.timingSeries(trust: "RAA", fromMs: endMs - 9 * dayMs + 3_600_000, toMs: endMs - 8 * dayMs).isEmpty)
            #expect(try await store.deleteAggregates(hourlyBeforeMs: endMs - 3 * dayMs, dailyBeforeMs: nil) == AggregateDeletion())

            // Daily rows before the last five days go: the days before have no timings, devices or models any more.
            let daily = try await store.deleteAggregates(hourlyBeforeMs: nil, dailyBeforeMs: endMs - 5 * dayMs)
            #expect(daily.dailyRows > 0)
            #expect(try await store.timingSeries(trust: nil, fromMs: endMs - 10 * dayMs, toMs: endMs - 5 * dayMs).isEmpty)
            #expect(try await store.deviceActivity(trust: nil, fromMs: endMs - 10 * dayMs, toMs: endMs - 5 * dayMs).isEmpty)
            #expect(try await store.modelTimings(trust: nil, fromMs: endMs - 10 * dayMs, toMs: endMs - 5 * dayMs).isEmpty)
            #expect(!(try await store.timingSeries(trust: nil, fromMs: endMs - 5 * dayMs, toMs: endMs)).isEmpty)
            let moved = try await store.trustDataVersions()
            #expect(ReportCacheContractTests.trusts.allSatisfy { moved[$0] != versions[$0] })
            #expect(try await store.firstDataDayMs(trust: "RAA") == endMs - 5 * dayMs)
        }
    }
}
