import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

/// The score, the dimension, the saved baseline and the peer median appear in every format.
@Suite("Comparisons in every format")
struct ComparisonRenderingTests {
    let report: GradedReport
    let rxx: GradedTrust

    init() throws {
        report = try ReportFixtures.comparedReport()
        rxx = try #require(report.trusts.first { $0.trust == "RXX" })
    }

    @Test("Text and HTML show the baseline and the peer median beside each indicator")
    func forPeople() throws {
        let logon = try #require(rxx.indicator("logon_p90"))
        let peers = try #require(logon.peers)
        let text = GradedTextRenderer().render(report)
        #expect(text.contains("Baseline 'spring-2026'"))
        #expect(text.contains("peer median"))
        #expect(text.contains("L\(peers.level) \(report.display(peers.median, of: "logon_p90", unit: .seconds)) (\(peers.trusts))"))
        #expect(text.contains("L2 200 s"))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("Baseline ‘spring-2026’"))
        #expect(html.contains("<th class=\"num\">Peer median</th>"))
        #expect(html.contains("\(peers.trusts) trusts)"))
        // Never a peer's code in RXX's section.
        let section = try #require(html.components(separatedBy: "id=\"trust-RXX\"").last?.components(separatedBy: "<section").first)
        for peer in ["RYY", "RZZ", "RWW"] { #expect(!section.contains(peer)) }
    }

    @Test("CSV carries the dimension, score, baseline and peer median of each indicator")
    func csv() throws {
        let csv = CSVReportRenderer().render(report)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        for column in ["score", "dimension", "baseline_name", "baseline_value", "baseline_change", "peer_median", "peer_trusts", "peer_trend"] {
            #expect(header.contains(column))
        }
        let row = try #require(lines.first { $0.hasPrefix("deskready-workstation-readiness") && $0.contains(",RXX,,logon_p90,") })
        let cells = row.components(separatedBy: ",")
        func cell(_ name: String) -> String { cells[header.firstIndex(of: name)!] }
        let logon = try #require(rxx.indicator("logon_p90"))
        #expect(cell("dimension") == "smart-foundations")
        #expect(cell("baseline_name") == "spring-2026")
        #expect(cell("baseline_value") == "200")
        #expect(cell("baseline_trend") == "better")
        #expect(Double(cell("peer_median")) == logon.peers?.median)
        #expect(cell("peer_trusts") == "3")
        #expect(Double(cell("score")) == logon.score)
    }

    @Test("FHIR: each indicator group has its dimension and a comparison stratifier the Measure explains")
    func fhir() throws {
        let bundle = FHIRReportRenderer().bundle(report)
        let reports = bundle.entry.compactMap { entry -> FHIRMeasureReport? in
            if case .measureReport(let report) = entry.resource, report.subject.identifier?.value == "RXX",
               report.period.start == self.report.period.start { return report }
            return nil
        }
        let measureReport = try #require(reports.first)
        let group = try #require(measureReport.group.first { $0.id == "logon-p90" })
        #expect(group.extension?.contains { $0.url == FHIR.dimensionExtension && $0.valueCode == "smart-foundations" } == true)
        #expect(group.extension?.contains { $0.url == FHIR.scoreExtension } == true)
        let comparison = try #require(group.stratifier?.first { $0.code?.first?.text == "comparison" })
        let strata = comparison.stratum ?? []
        let peer = try #require(strata.first { $0.value.coding?.first?.code == "peer-median" })
        #expect(peer.measureScore?.value == rxx.indicator("logon_p90")?.peers?.median)
        #expect(peer.population?.first?.count == 3)
        let baseline = try #require(strata.first { $0.value.coding?.first?.code == "baseline" })
        #expect(baseline.value.text == "spring-2026")
        #expect(baseline.measureScore?.value == 200)
        let measures = bundle.entry.compactMap { entry -> FHIRMeasure? in
            if case .measure(let measure) = entry.resource, measure.group?.count ?? 0 > 1 { return measure }
            return nil
        }
        let measure = try #require(measures.first)
        #expect(measure.group?.last?.stratifier?.contains { $0.code.text == "comparison" && $0.description.contains("never named") } == true)
    }
}
