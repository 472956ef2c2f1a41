import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadyTestSupport
import Foundation
import Testing

/// Trust data versions on both stores, and reports with graded trusts kept in a `GradedTrustCache`: the same
/// reports as graded from scratch, before and after data changes.
@Suite("Store contract: trust data versions and cached reports")
struct ReportCacheContractTests {
    static let dayMs: Int64 = 86_400_000
    static let endMs: Int64 = 20_760 * dayMs
    static let trusts = ["RAA", "RBB", "RCC", "RDD", "REE"]

    /// Ten days of boots, logons with phases, application starts and probes from six devices on two sites of each
    /// trust, each trust a little slower than the one before so their indicators differ.
    static func seed(_ store: any ContractStore, days: Int64 = 10, seed: UInt64 = 21) async throws {
        var random = SplitMix(state: seed)
        for (index, trust) in trusts.enumerated() {
            _ = try await store.addTrust(ods: trust, name: "Trust \(trust)")
            let slowness = 1.0 + Double(index) * 0.35
            for device in 0..<6 {
                let identity = DeviceIdentity(id: "ws-\(device)", trust: trust, site: "\(trust)0\(device % 2 + 1)")
                var events: [MeasurementEvent] = []
                for day in 0..<days {
                    let start = endMs - (day + 1) * dayMs + 8 * 3_600_000 + Int64(device) * 60_000
                    events += Self.day(at: start, slowness: slowness, random: &random)
                }
                try await store.ingest(events, device: identity)
            }
        }
    }

    static func day(at start: Int64, slowness: Double, random: inout SplitMix) -> [MeasurementEvent] {
        func ms(_ median: Double) -> Int64 { Int64(median * slowness * Double.random(in: 0.6...1.6, using: &random)) }
        var events = [
            MeasurementEvent(kind: .boot, name: "graphical.target", startedAtMs: start, durationMs: ms(30_000), phases: ["kernel": ms(2_000)]),
            MeasurementEvent(kind: .logon, name: "x11", startedAtMs: start + 60_000, durationMs: ms(25_000),
                             phases: ["authentication": ms(2_000), "session_start": ms(15_000)], user: String(repeating: "ab", count: 16)),
        ]
        for (offset, app) in ["epr", "email", "browser"].enumerated() {
            events.append(MeasurementEvent(kind: .appStart, name: app, startedAtMs: start + 120_000 + Int64(offset) * 1_000, durationMs: ms(6_000)))
        }
        for (offset, target) in ["epr.example.nhs.uk", "pacs.example.nhs.uk"].enumerated() {
            events.append(MeasurementEvent(kind: .probe, name: target, startedAtMs: start + 180_000 + Int64(offset) * 1_000, durationMs: ms(300),
                                           phases: ["dns": ms(5), "ttfb": ms(200)]))
        }
        return events
    }

    @Test("A trust's data version moves with its own data, devices, sites and estate only; folding moves none", arguments: StoreKind.available)
    func versions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store, days: 2)
            var before = try await store.trustDataVersions()
            #expect(Set(before.keys) == Set(Self.trusts))

            func changed() async throws -> Set<String> {
                let now = try await store.trustDataVersions()
                defer { before = now }
                return Set(Self.trusts.filter { now[$0] != before[$0] })
            }
            // Folding partial aggregates into their totals changes no report, so no version.
            _ = try await store.foldAggregates()
            #expect(try await changed().isEmpty)

            let batchId = UUIDv7.make()
            let event = Fixtures.event(startedAtMs: Self.endMs - Self.dayMs)
            try await store.ingest([event], device: DeviceIdentity(id: "ws-0", trust: "RAA", site: "RAA01"), batchId: batchId)
            #expect(try await changed() == ["RAA"])
            _ = try await store.foldAggregates()
            #expect(try await changed().isEmpty)
            // The same batch again stores nothing, so changes nothing.
            let again = try await store.ingest([event], device: DeviceIdentity(id: "ws-0", trust: "RAA", site: "RAA01"), batchId: batchId)
            #expect(again.duplicateBatch)
            #expect(try await changed().isEmpty)

            _ = try await store.enrolDevice(trust: "RBB", deviceId: "ws-new", site: "RBB01", installKey: nil, nowMs: Self.endMs)
            #expect(try await changed() == ["RBB"])
            try await store.setEstateSize(trust: "RCC", site: nil, devices: 500)
            #expect(try await changed() == ["RCC"])
            _ = try await store.addSite(trust: "RDD", ods: "RDD01", name: "Main")
            #expect(try await changed() == ["RDD"])
            // New data from a device on another site than before.
            try await store.ingest([Fixtures.event(startedAtMs: Self.endMs - Self.dayMs + 5)], device: DeviceIdentity(id: "ws-1", trust: "REE", site: "REE01"))
            #expect(try await changed() == ["REE"])
        }
    }

    @Test("Reports with kept grades equal reports graded from scratch, before and after new data", arguments: StoreKind.available)
    func cachedEqualsScratch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            let model = try MaturityModel.standard
            let cache = GradedTrustCache(peerMaxAgeSeconds: 0)
            let cached = GradedReportBuilder(store: store, model: model, cache: cache)
            let scratch = GradedReportBuilder(store: store, model: model)
            let (from, to, now) = (Self.endMs - 7 * Self.dayMs, Self.endMs, Self.endMs)

            func same(_ trust: String?, _ what: String) async throws {
                let expected = try await scratch.report(trust: trust, fromMs: from, toMs: to, nowMs: now)
                let first = try await cached.report(trust: trust, fromMs: from, toMs: to, nowMs: now)
                let hitsBefore = await cache.hits
                let second = try await cached.report(trust: trust, fromMs: from, toMs: to, nowMs: now)
                #expect(await cache.hits > hitsBefore, "the second report took nothing from the cache (\(what))")
                #expect(first == expected, "\(what): the first cached report differs from scratch")
                #expect(second == expected, "\(what): the report from the cache differs from scratch")
            }
            try await same("RCC", "one trust")
            let rcc = try await cached.report(trust: "RCC", fromMs: from, toMs: to, nowMs: now)
            #expect(rcc.trusts.first?.indicator("logon_p90")?.peers?.trusts == 4, "every other trust is a peer")
            // The whole report's peers are the same period grades one trust's report uses.
            try await same(nil, "all trusts")

            // Slow logons arrive for one peer: its grades are made again, the others come from the cache.
            let slow = (0..<40).map { Fixtures.event(durationMs: 400_000, startedAtMs: from + Self.dayMs + Int64($0)) }
            try await store.ingest(slow, device: DeviceIdentity(id: "ws-0", trust: "RAA", site: "RAA01"))
            let missesBefore = await cache.misses
            try await same("RCC", "one trust after new data of a peer")
            #expect(await cache.misses > missesBefore)
            try await same(nil, "all trusts after new data")

            // A new estate size changes a trust's coverage: its kept grades are not used.
            try await store.setEstateSize(trust: "RCC", site: nil, devices: 7)
            try await same("RCC", "one trust after its estate size changed")
        }
    }

    @Test("Peer grades are used for their maximum age after their data changed, and the report says since when", arguments: [StoreKind.sqlite])
    func stalePeers(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            let model = try MaturityModel.standard
            let cache = GradedTrustCache(peerMaxAgeSeconds: 3_600)
            let cached = GradedReportBuilder(store: store, model: model, cache: cache)
            let scratch = GradedReportBuilder(store: store, model: model)
            let (from, to) = (Self.endMs - 7 * Self.dayMs, Self.endMs)
            let first = try await cached.report(trust: "RCC", fromMs: from, toMs: to, nowMs: Self.endMs)
            let slow = (0..<200).map { Fixtures.event(durationMs: 900_000, startedAtMs: from + Self.dayMs + Int64($0)) }
            for trust in ["RAA", "RBB"] {
                try await store.ingest(slow, device: DeviceIdentity(id: "ws-0", trust: trust, site: "\(trust)01"))
            }
            let later = try await cached.report(trust: "RCC", fromMs: from, toMs: to, nowMs: Self.endMs + 60_000)
            let fresh = try await scratch.report(trust: "RCC", fromMs: from, toMs: to, nowMs: Self.endMs + 60_000)
            // The trust's own figures are current; its peers are those graded a minute before, and it says so.
            #expect(later.trusts.first?.indicators.map(\.current) == fresh.trusts.first?.indicators.map(\.current))
            #expect(later.trusts.first?.indicators.map(\.peers) == first.trusts.first?.indicators.map(\.peers))
            #expect(later.trusts.first?.indicator("logon_p90")?.peers != fresh.trusts.first?.indicator("logon_p90")?.peers)
            #expect(later.peersGradedAt == CivilDay.dateTime(Self.endMs))
            #expect(fresh.peersGradedAt == CivilDay.dateTime(Self.endMs + 60_000))
            // The background refresh grades the changed peers again however young their grades; reports then see them.
            let refreshed = try await cached.peerPool(fromMs: from, toMs: to, nowMs: Self.endMs + 120_000, exact: true)
            #expect(refreshed.gradedAtMs == Self.endMs, "the unchanged trusts keep their first grades")
            let afterRefresh = try await cached.report(trust: "RCC", fromMs: from, toMs: to, nowMs: Self.endMs + 180_000)
            #expect(afterRefresh.trusts.first?.indicators.map(\.peers) == fresh.trusts.first?.indicators.map(\.peers))
        }
    }

    @Test("The national export written trust by trust is the whole report in JSON, CSV and FHIR", arguments: StoreKind.available)
    func streamedExport(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            let model = try MaturityModel.standard
            let builder = GradedReportBuilder(store: store, model: model, cache: GradedTrustCache())
            let (from, to, now) = (Self.endMs - 7 * Self.dayMs, Self.endMs, Self.endMs)
            let whole = try await builder.report(trust: nil, fromMs: from, toMs: to, nowMs: now)
            #expect(whole.trusts.count == Self.trusts.count)
            for format in ReportStreamWriter.formats {
                let writer = try #require(ReportStreamWriter(format: format))
                var pieces: [String] = []
                try await builder.stream(writer, fromMs: from, toMs: to, nowMs: now, peers: true) { pieces.append($0) }
                #expect(pieces.count == Self.trusts.count + 2, "one piece per trust between the head and the end")
                let streamed = pieces.joined()
                switch format {
                case .csv:
                    #expect(streamed == CSVReportRenderer().render(whole))
                case .fhir:
                    let decoded = try JSONDecoder().decode(FHIRBundle.self, from: Data(streamed.utf8))
                    #expect(decoded == FHIRReportRenderer().bundle(whole))
                default:
                    #expect(try GradedJSONRenderer().decode(streamed) == whole)
                }
            }
        }
    }
}
