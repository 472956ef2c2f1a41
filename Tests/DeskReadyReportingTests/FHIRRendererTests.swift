import Foundation
import Testing
@testable import DeskReadyReporting

@Suite("FHIR renderer")
struct FHIRRendererTests {
    let report: GradedReport
    let bundle: FHIRBundle

    init() throws {
        report = try ReportFixtures.report()
        bundle = FHIRReportRenderer().bundle(report)
    }

    var measures: [FHIRMeasure] {
        bundle.entry.compactMap { if case .measure(let measure) = $0.resource { measure } else { nil } }
    }

    var measureReports: [FHIRMeasureReport] {
        bundle.entry.compactMap { if case .measureReport(let report) = $0.resource { report } else { nil } }
    }

    /// A FHIR id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.'.
    static func isFHIRID(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// YYYY-MM-DD.
    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    @Test("A collection Bundle: a Measure for the model and one per indicator, two MeasureReports per trust")
    func bundleShape() {
        #expect(bundle.resourceType == "Bundle")
        #expect(bundle.type == "collection")
        #expect(bundle.timestamp == report.generatedAt)
        #expect(measures.count == report.indicators.count + 1)
        #expect(measureReports.count == report.trusts.count * 2)
        #expect(Set(bundle.entry.map(\.fullUrl)).count == bundle.entry.count)
        #expect(bundle.entry.allSatisfy { $0.fullUrl.hasPrefix("urn:uuid:") })
    }

    @Test("Measures carry the required fields, the model version and each indicator's direction")
    func measureFields() throws {
        for measure in measures {
            #expect(measure.resourceType == "Measure")
            #expect(measure.status == "active")
            #expect(measure.version == "1.2.0")
            #expect(Self.isFHIRID(measure.id), "\(measure.id)")
            #expect(measure.name.first?.isUppercase == true)
        }
        let logon = try #require(measures.first { $0.url.hasSuffix(":logon_p90") })
        #expect(logon.improvementNotation?.coding?.first?.code == "decrease")
        #expect(logon.scoring?.coding?.first?.code == "continuous-variable")
        #expect(logon.guidance?.contains("level 4: 60 s or less") == true)
        #expect(logon.extension?.first?.valueCode == "smart-foundations")
        let coverage = try #require(measures.first { $0.url.hasSuffix(":coverage") })
        #expect(coverage.improvementNotation?.coding?.first?.code == "increase")
        #expect(coverage.scoring?.coding?.first?.code == "proportion")
        let model = try #require(measures.first)
        #expect(model.group?.compactMap { $0.code.coding?.first?.code } == ["overall", "staff_time_beyond_target"] + report.indicators.map(\.id))
    }

    @Test("MeasureReports: summary, complete, the trust by ODS code, ISO period, a group per indicator with its score")
    func measureReportFields() throws {
        let trust = try #require(report.trusts.first)
        for measureReport in measureReports {
            #expect(measureReport.resourceType == "MeasureReport")
            #expect(measureReport.status == "complete")
            #expect(measureReport.type == "summary")
            #expect(measureReport.measure == "urn:deskready:measure:deskready-workstation-readiness|1.2.0")
            #expect(measureReport.subject.identifier == FHIRIdentifier(system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "RXX"))
            #expect(measureReport.reporter.identifier?.system == "https://fhir.nhs.uk/Id/ods-organization-code")
            #expect(Self.isISODate(measureReport.period.start))
            #expect(Self.isISODate(measureReport.period.end))
            #expect(Self.isFHIRID(measureReport.id), "\(measureReport.id)")
            let current = measureReport.period.start == report.period.start && trust.statistics.staffTimeLost != nil
            #expect(measureReport.group.compactMap { $0.code.coding?.first?.code }
                == ["overall"] + (current ? ["staff_time_beyond_target"] : []) + report.indicators.map(\.id))
        }
        let current = try #require(measureReports.first { $0.period.start == report.period.start })
        let lost = try #require(trust.statistics.staffTimeLost)
        let staffTime = try #require(current.group.first { $0.code.coding?.first?.code == "staff_time_beyond_target" })
        #expect(staffTime.measureScore == FHIRQuantity(value: lost.beyondTargetHoursPerWeek, unit: "h/wk", code: "h/wk"))
        #expect(staffTime.extension?.contains { $0.url == FHIR.reasonExtension && $0.valueString == lost.assumptions } == true)
        #expect(current.period.end == report.period.end)
        #expect(measureReports.contains { $0.period.start == report.previousPeriod.start && $0.period.end == report.previousPeriod.end })
        let logon = try #require(current.group.first { $0.code.coding?.first?.code == "logon_p90" })
        #expect(logon.measureScore == FHIRQuantity(value: try #require(trust.indicator("logon_p90")?.value), unit: .seconds))
        #expect(logon.measureScore?.system == "http://unitsofmeasure.org")
        #expect(logon.population?.first?.count == trust.indicator("logon_p90")?.n)
        #expect(logon.extension?.contains { $0.url == FHIR.levelExtension && $0.valueInteger == trust.indicator("logon_p90")?.level } == true)
        #expect(logon.extension?.contains { $0.url == FHIR.reasonExtension && $0.valueString == trust.indicator("logon_p90")?.reason } == true)
        let strata = try #require(logon.stratifier?.first?.stratum)
        #expect(strata.map(\.value.text) == ["RXX01", "RXX02", "RXX03"])
        #expect(strata[2].measureScore == nil, "an insufficient site has no score")
        #expect(strata[2].extension?.first?.valueCode == "insufficient_data")
    }

    @Test("The bundle round-trips through Codable")
    func roundTrip() throws {
        let json = try FHIRReportRenderer().render(report)
        let decoded = try JSONDecoder().decode(FHIRBundle.self, from: Data(json.utf8))
        #expect(decoded == bundle)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["resourceType"] as? String == "Bundle")
        let entries = try #require(object["entry"] as? [[String: Any]])
        let types = entries.compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
        #expect(Set(types) == ["Measure", "MeasureReport"])
        #expect(!json.contains("[]"), "FHIR JSON allows no empty arrays")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FHIRResource.self, from: Data(#"{"resourceType":"Patient"}"#.utf8))
        }
    }

    @Test("The same report gives the same bundle")
    func stable() throws {
        #expect(try FHIRReportRenderer().render(report) == FHIRReportRenderer().render(try ReportFixtures.report()))
    }
}
