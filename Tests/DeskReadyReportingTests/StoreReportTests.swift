import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Testing

@Suite("Graded report from a store")
struct StoreReportTests {
    @Test("Reads the period and the previous period from SQLite, week by week")
    func fromSQLite() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("r.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test trust")
        let day: Int64 = 86_400_000
        let toMs = WallClock.nowMs() / day * day
        let fromMs = toMs - 14 * day
        // Current period: 12 logons of 20 s to 31 s (p90 30 s); previous period: 100 s to 111 s (p90 110 s), 5 days before it.
        let current = (0..<12).map { Fixtures.event(durationMs: 20_000 + Int64($0) * 1_000, startedAtMs: fromMs + day + Int64($0) * 60_000) }
        let previous = (0..<12).map { Fixtures.event(durationMs: 100_000 + Int64($0) * 1_000, startedAtMs: fromMs - 5 * day + Int64($0) * 60_000) }
        let outside = [Fixtures.event(durationMs: 1_000, startedAtMs: toMs + day)]
        let events = current + previous + outside
        let batch = Fixtures.batch(events: events)
        _ = try await store.ingest(ValidatedBatch(batch: batch, acceptedIndices: Array(events.indices), rejected: [], receivedAtMs: toMs))

        let report = try await GradedReportBuilder(store: store, model: try MaturityModel.standard)
            .report(trust: "RXX", fromMs: fromMs, toMs: toMs, nowMs: toMs)
        let trust = try #require(report.trusts.first)
        let logon = try #require(trust.indicator("logon_p90"))
        #expect(logon.n == 12)
        #expect(logon.value == 30)
        #expect(logon.level == 5)
        #expect(abs((logon.previous.value ?? 0) - 110) <= 0.11, "within the histogram's 0.1%")
        #expect(logon.previous.level == 3)
        #expect(logon.change.trend == .better)
        #expect(trust.weekly.count == 4)
        #expect(trust.weekly.map(\.logonN) == [0, 12, 12, 0])
        #expect(trust.devicesKnown == 1)
        #expect(trust.sites.map(\.site) == ["RXX01"])
    }
}
