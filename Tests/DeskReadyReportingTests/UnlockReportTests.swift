import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

/// Screen unlocks in the report: counted apart, never in the logon figures.
@Suite("Unlocks in the report")
struct UnlockReportTests {
    @Test("Unlocks are counted apart from logons and change neither the logon figures nor the incomplete share")
    func apart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("u.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let dayMs: Int64 = 86_400_000
        let today = WallClock.nowMs() / dayMs * dayMs
        let start = today - 2 * dayMs
        let logons = (0..<12).map { Fixtures.event(durationMs: 30_000, startedAtMs: start + Int64($0) * 60_000) }
        let unlocks = (0..<40).map { Fixtures.event(kind: .unlock, name: "wayland", durationMs: 0, startedAtMs: start + Int64($0) * 1_000) }
        try await store.ingest(logons + unlocks)
        let report = try await GradedReportBuilder(store: store, model: try MaturityModel.standard)
            .report(trust: "RXX", fromMs: today - 7 * dayMs, toMs: today, peers: false)
        let trust = try #require(report.trusts.first)
        #expect(trust.statistics.unlocks?.count == 40)
        #expect(trust.statistics.logon.timing.count == 12)
        #expect(trust.statistics.logon.incompleteShare == 0)
        #expect(trust.statistics.staffTimeLost?.logons == 12, "unlocks are not part of staff time lost")
        #expect(GradedTextRenderer().render(report).contains("Screen unlocks: 40, counted apart from logons"))
        let json = try GradedJSONRenderer().render(report)
        #expect(try GradedJSONRenderer().decode(json).trusts.first?.statistics.unlocks?.count == 40)
    }
}
