import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

@Suite("Peers and baselines")
struct ComparisonTests {
    @Test("The peer median is taken over exactly the other trusts that graded the indicator")
    func peerMedian() throws {
        let report = try ReportFixtures.comparedReport()
        let rxx = try #require(report.trusts.first { $0.trust == "RXX" })
        for indicator in rxx.indicators {
            let others = report.trusts.filter { $0.trust != "RXX" }.compactMap { $0.indicator(indicator.id) }.filter { $0.status == .graded }
            guard others.count >= 3 else {
                #expect(indicator.peers == nil, "\(indicator.id) has \(others.count) graded peers, too few for a median")
                continue
            }
            let values = others.compactMap(\.value).sorted()
            let peers = try #require(indicator.peers)
            #expect(peers.trusts == others.count)
            #expect(abs(peers.median - values[values.count / 2]) < 0.001, "\(indicator.id)")
        }
        // The slowest-app indicator: RYY, RZZ and RWW all have pacs-viewer starts, so it has a peer median that
        // is the middle trust's (RZZ, 1.5 times RXX) value, and RXX is better than it.
        let app = try #require(rxx.indicator("app_start_p90")?.peers)
        #expect(app.trusts == 3)
        #expect(app.trend == .better)
    }

    @Test("No peer median with fewer than three qualifying peers, and none from a peer under the minimum observations")
    func tooFewPeers() throws {
        let model = try MaturityModel.standard
        let full = try ReportFixtures.comparedReport()
        var trusts = full.trusts.map { trust -> GradedTrust in
            var trust = trust
            trust.indicators = trust.indicators.map { var i = $0; i.peers = nil; return i }
            return trust
        }
        // RWW's logon p90 becomes insufficient data: RXX's logon peers are RYY and RZZ only.
        let rww = try #require(trusts.firstIndex { $0.trust == "RWW" })
        let logon = try #require(trusts[rww].indicators.firstIndex { $0.id == "logon_p90" })
        trusts[rww].indicators[logon].status = .insufficientData
        trusts[rww].indicators[logon].value = nil
        let compared = ComparisonBuilder(model: model).withPeers(trusts)
        let rxx = try #require(compared.first { $0.trust == "RXX" })
        #expect(rxx.indicator("logon_p90")?.peers == nil)
        #expect(rxx.indicator("boot_p90")?.peers?.trusts == 3)
        // RWW itself still sees three graded peers for logon p90.
        #expect(compared.first { $0.trust == "RWW" }?.indicator("logon_p90")?.peers?.trusts == 3)
        // Three trusts in all: each has two peers, so no medians at all.
        let three = ComparisonBuilder(model: model).withPeers(Array(trusts.prefix(3)))
        #expect(three.allSatisfy { $0.indicators.allSatisfy { $0.peers == nil } })
    }

    @Test("A baseline is compared indicator by indicator, with the change and whether it is better")
    func baselineComparison() throws {
        let report = try ReportFixtures.comparedReport()
        let rxx = try #require(report.trusts.first { $0.trust == "RXX" })
        #expect(rxx.baseline?.name == "spring-2026")
        let logon = try #require(rxx.indicator("logon_p90"))
        let baseline = try #require(logon.baseline)
        #expect(baseline.saved.value == 200 && baseline.saved.level == 2)
        #expect(baseline.change.value == Rounding.value(try #require(logon.value) - 200))
        #expect(baseline.change.trend == .better)
        #expect(report.trusts.filter { $0.trust != "RXX" }.allSatisfy { $0.baseline == nil })
    }

    @Test("A saved baseline survives new data unchanged, and the report shows it beside the period")
    func savedBaselineIsFrozen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("b.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let day: Int64 = 86_400_000
        let today = WallClock.nowMs() / day * day
        func ingest(_ durations: [Int64], at: Int64) async throws {
            try await store.ingest(durations.enumerated().map { Fixtures.event(durationMs: $1, startedAtMs: at + Int64($0)) })
        }
        try await ingest((1...20).map { Int64($0) * 5_000 }, at: today - 3 * day)
        let builder = GradedReportBuilder(store: store, model: try MaturityModel.standard)
        let before = try await builder.report(trust: "RXX", fromMs: today - 7 * day, toMs: today, peers: false)
        let snapshot = BaselineSnapshot(name: "before", trust: try #require(before.trusts.first), report: before, savedAtMs: today)
        try await store.saveBaseline(try snapshot.stored(savedAtMs: today))
        await #expect(throws: StoreError.self) { try await store.saveBaseline(try snapshot.stored(savedAtMs: today)) }
        await #expect(throws: StoreError.self) {
            try await store.saveBaseline(StoredBaseline(trust: "RXX", name: "no spaces", savedAtMs: 0, fromMs: 0, toMs: 1, document: Data()))
        }

        // Much slower logons arrive later in the same period; the saved baseline does not move.
        try await ingest((1...20).map { _ in 200_000 }, at: today - 2 * day)
        let reloaded = try await BaselineLookup(store: store).snapshot(trust: "RXX", name: "before")
        #expect(reloaded == snapshot)
        let after = try await builder.report(trust: "RXX", fromMs: today - 7 * day, toMs: today, baseline: reloaded, peers: false)
        let logon = try #require(after.trusts.first?.indicator("logon_p90"))
        #expect(logon.baseline?.saved.value == snapshot.indicators["logon_p90"]?.value)
        #expect(logon.baseline?.change.trend == .worse)
        #expect(after.trusts.first?.baseline?.period == before.period)

        await #expect(throws: BaselineNotFound.self) { try await BaselineLookup(store: store).snapshot(trust: "RXX", name: "other") }
        #expect(try await store.deleteBaseline(trust: "RXX", name: "before"))
        #expect(try await !store.deleteBaseline(trust: "RXX", name: "before"))
        #expect(try await store.baselines(trust: "RXX").isEmpty)
    }

    @Test("First and post-upgrade logons are reported apart and leave the headline as it would be without them")
    func cohortsApart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("c.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let day: Int64 = 86_400_000
        let today = WallClock.nowMs() / day * day
        let ordinary = (0..<30).map { Fixtures.event(durationMs: 20_000 + Int64($0) * 1_000, startedAtMs: today - 2 * day + Int64($0)) }
        func flagged(_ attribute: String, _ count: Int, _ ms: Int64) -> [MeasurementEvent] {
            (0..<count).map { index in
                var event = Fixtures.event(durationMs: ms + Int64(index) * 1_000, startedAtMs: today - day + Int64(index))
                event.attributes = [attribute: LogonAttribute.flagSet]
                return event
            }
        }
        let first = flagged(LogonAttribute.firstLogon, 12, 150_000)
        var both = flagged(LogonAttribute.firstLogon, 1, 400_000)
        both[0].attributes?[LogonAttribute.afterUpgrade] = LogonAttribute.flagSet
        let upgraded = flagged(LogonAttribute.afterUpgrade, 11, 90_000)
        for events in [ordinary, first + both + upgraded] { try await store.ingest(events) }
        let builder = GradedReportBuilder(store: store, model: try MaturityModel.standard)
        let report = try await builder.report(trust: "RXX", fromMs: today - 7 * day, toMs: today, peers: false)
        let statistics = try #require(report.trusts.first?.statistics)
        #expect(statistics.logon.timing.count == 30)
        let exact = ExactPercentiles(ordinary.map(\.durationMs))
        let p90 = try #require(statistics.logon.timing.p90Ms)
        let truth = try #require(exact.value(90))
        #expect(p90 <= truth && p90 >= truth - truth / 1000 - 1)
        #expect(report.model.logonsReportedApart == ["first", "after_upgrade"])
        #expect(statistics.logonsApart.map(\.cohort) == ["first", "after_upgrade"])
        #expect(statistics.logonsApart[0].timing.count == 13, "a logon both first and after an upgrade counts as first")
        #expect(statistics.logonsApart[1].timing.count == 11)
        #expect(report.trusts.first?.weekly.reduce(0) { $0 + $1.logonN } == 30)

        // A model that keeps every logon in the headline counts them all.
        var everything = try MaturityModel.standard
        everything.logonsReportedApart = []
        let all = try await GradedReportBuilder(store: store, model: everything).report(trust: "RXX", fromMs: today - 7 * day, toMs: today, peers: false)
        #expect(all.trusts.first?.statistics.logon.timing.count == 54)
        #expect(all.trusts.first?.statistics.logonsApart.isEmpty == true)
    }
}
