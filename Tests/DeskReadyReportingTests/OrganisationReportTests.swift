import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

/// Trust and site names in every format, and coverage against the recorded estate.
@Suite("Names and estate in the report")
struct OrganisationReportTests {
    /// A trust with two named sites: RXX01 with 12 devices reporting of an estate of 24, RXX02 with 12 and no estate size.
    func report() async throws -> GradedReport {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("o.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Exampleshire Hospitals")
        _ = try await store.addSite(trust: "RXX", ods: "RXX01", name: "General Hospital")
        _ = try await store.addSite(trust: "RXX", ods: "RXX02", name: "Community Unit")
        try await store.setEstateSize(trust: "RXX", site: nil, devices: 96)
        try await store.setEstateSize(trust: "RXX", site: "RXX01", devices: 24)
        let dayMs: Int64 = 86_400_000
        let today = WallClock.nowMs() / dayMs * dayMs
        for index in 0..<24 {
            let device = DeviceIdentity(id: "ws-\(index)", trust: "RXX", site: index < 12 ? "RXX01" : "RXX02")
            let slow = index < 12
            try await store.ingest((0..<3).map { Fixtures.event(durationMs: slow ? 150_000 : 20_000, startedAtMs: today - 2 * dayMs + Int64($0) * 60_000) },
                                   device: device)
        }
        return try await GradedReportBuilder(store: store, model: try MaturityModel.standard)
            .report(trust: "RXX", fromMs: today - 7 * dayMs, toMs: today, peers: false)
    }

    @Test("The store refuses sites and estate sizes it cannot keep, saying how to fix them")
    func refusals() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("r.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Exampleshire Hospitals")
        await #expect(throws: OrganisationError.invalidSite(trust: "RXX", site: "RYY01")) { try await store.addSite(trust: "RXX", ods: "RYY01", name: "x") }
        await #expect(throws: IdentityError.unknownTrust("RZZ")) { try await store.addSite(trust: "RZZ", ods: "RZZ01", name: "x") }
        await #expect(throws: OrganisationError.invalidEstateSize(0)) { try await store.setEstateSize(trust: "RXX", site: nil, devices: 0) }
        _ = try await store.addSite(trust: "RXX", ods: "RXX01", name: "Old name")
        _ = try await store.addSite(trust: "RXX", ods: "RXX01", name: "General Hospital")
        #expect(try await store.sites(trust: "RXX") == [SiteRecord(trust: "RXX", ods: "RXX01", name: "General Hospital")])
        #expect(OrganisationError.invalidSite(trust: "RXX", site: "RYY01").description.contains("beginning with RXX"))
    }

    @Test("Names appear in every format; coverage is measured against the estate, per site where recorded")
    func namesAndCoverage() async throws {
        let report = try await report()
        let trust = try #require(report.trusts.first)
        #expect(trust.name == "Exampleshire Hospitals")
        #expect(trust.estateSize == 96)
        #expect(trust.indicator("coverage")?.value == 25, "24 of an estate of 96, not of 24 enrolled")
        let general = try #require(trust.sites.first { $0.site == "RXX01" })
        #expect(general.name == "General Hospital")
        #expect(general.indicator("coverage")?.value == 50)
        #expect(trust.sites.first { $0.site == "RXX02" }?.indicator("coverage")?.status == .notAvailable)

        let text = GradedTextRenderer().render(report)
        #expect(text.contains("Trust Exampleshire Hospitals (RXX):"))
        #expect(text.contains("of 96 in the estate"))
        #expect(text.contains("General Hospital (RXX01)"))
        #expect(text.contains("site General Hospital (RXX01): staff wait"), "where to look first names the slow site")
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("<h2>Trust Exampleshire Hospitals (RXX)</h2>"))
        #expect(html.contains("Community Unit (RXX02)"))
        let json = try GradedJSONRenderer().render(report)
        #expect(json.contains("\"name\" : \"Exampleshire Hospitals\"") || json.contains("\"name\":\"Exampleshire Hospitals\""))
        #expect(try GradedJSONRenderer().decode(json) == report)
        let rows = CSVTestParser.parse(CSVReportRenderer().render(report))
        let header = try #require(rows.first)
        let siteRow = try #require(rows.first { $0[header.firstIndex(of: "site")!] == "RXX01" })
        #expect(siteRow[header.firstIndex(of: "trust_name")!] == "Exampleshire Hospitals")
        #expect(siteRow[header.firstIndex(of: "site_name")!] == "General Hospital")
        let bundle = FHIRReportRenderer().bundle(report)
        let measureReport = try #require(bundle.entry.compactMap { entry -> FHIRMeasureReport? in
            if case .measureReport(let value) = entry.resource { return value }
            return nil
        }.first)
        #expect(measureReport.subject.display == "Exampleshire Hospitals")
        let strata = try #require(measureReport.group.first { $0.id == "overall" }?.stratifier?.first?.stratum)
        #expect(strata.compactMap { $0.value.coding?.first?.display } == ["General Hospital", "Community Unit"])
    }
}
