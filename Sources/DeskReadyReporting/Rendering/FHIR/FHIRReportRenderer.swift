import Foundation

/// Renders a graded report as a FHIR R4 JSON `Bundle` (type `collection`): a `Measure` for the model and one per
/// indicator, then per trust a `MeasureReport` for the period and one for the previous period, the trust identified
/// by its ODS code, each indicator a group with its measureScore, level, score and reason, stratified by site.
public struct FHIRReportRenderer: Sendable {
    public init() {}

    public func render(_ report: GradedReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(bundle(report)), as: UTF8.self) + "\n"
    }

    public func bundle(_ report: GradedReport) -> FHIRBundle {
        let modelMeasure = modelMeasure(report)
        var entries = measureEntries(report)
        for trust in report.trusts { entries += trustEntries(trust, report: report, measure: modelMeasure) }
        return FHIRBundle(
            id: FHIRNames.id("deskready-\(report.model.id)-\(report.period.start)-\(report.period.end)"), type: "collection",
            timestamp: report.generatedAt, entry: entries)
    }

    /// The Measures of the model and its indicators, which every bundle starts with.
    func measureEntries(_ report: GradedReport) -> [FHIRBundle.Entry] {
        let modelMeasure = modelMeasure(report)
        return [FHIRBundle.Entry(fullUrl: FHIRNames.uuid(modelMeasure.url), resource: .measure(modelMeasure))]
            + report.indicators.map { indicator in
                let measure = indicatorMeasure(indicator, report: report)
                return FHIRBundle.Entry(fullUrl: FHIRNames.uuid(measure.url), resource: .measure(measure))
            }
    }

    /// One trust's MeasureReports: the period, then the previous period.
    func trustEntries(_ trust: GradedTrust, report: GradedReport, measure modelMeasure: FHIRMeasure) -> [FHIRBundle.Entry] {
        [false, true].map { previous in
            let measureReport = measureReport(trust, previous: previous, report: report, measure: modelMeasure)
            return FHIRBundle.Entry(
                fullUrl: FHIRNames.uuid("\(modelMeasure.url)|\(report.model.version)|\(measureReport.id)"),
                resource: .measureReport(measureReport))
        }
    }

    func modelMeasure(_ report: GradedReport) -> FHIRMeasure {
        let model = report.model
        return FHIRMeasure(
            id: FHIRNames.id(model.id), url: "\(FHIR.base):measure:\(model.id)", version: model.version,
            name: FHIRNames.name(model.id), title: model.title.isEmpty ? model.id : model.title, status: "active",
            experimental: false, publisher: "DeskReady",
            description: "Infrastructure maturity from measured waits at workstations. Overall level: \(model.overallRule).",
            purpose: nil, guidance: "Each indicator is graded 1 to 5 (score 0 to 100, method \(model.scoreMethod)); fewer than \(model.minimumObservations) observations are insufficient data and not graded.",
            scoring: nil, improvementNotation: Self.notation(.higherIsBetter),
            extension: [FHIRExtension(url: FHIR.dimensionExtension, valueCode: "smart-foundations")],
            group: [FHIRMeasure.Group(id: "overall", code: Self.overallCode, description: "overall infrastructure level"), Self.staffTimeDefinition]
                + report.indicators.map { indicator in
                    FHIRMeasure.Group(id: FHIRNames.id(indicator.id), code: Self.code(indicator.id, indicator.title), description: indicator.measures,
                                      stratifier: Self.stratifierDefinitions)
                })
    }

    func indicatorMeasure(_ indicator: IndicatorDescription, report: GradedReport) -> FHIRMeasure {
        let side = indicator.direction == .lowerIsBetter ? "or less" : "or more"
        let levels = (2...5).reversed().compactMap { level in
            indicator.thresholds[String(level)].map { "level \(level): \(ValueFormat.value($0, indicator.unit)) \(side)" }
        }
        return FHIRMeasure(
            id: FHIRNames.id("\(report.model.id)-\(indicator.id)"), url: "\(FHIR.base):measure:\(report.model.id):\(indicator.id)",
            version: report.model.version, name: FHIRNames.name(indicator.id), title: indicator.title, status: "active",
            experimental: false, publisher: "DeskReady", description: indicator.measures, purpose: indicator.justification,
            guidance: levels.joined(separator: "; ") + "; otherwise level 1. At least \(indicator.minimumObservations) observations.",
            scoring: FHIRCodeableConcept(coding: [FHIRCoding(
                system: "http://terminology.hl7.org/CodeSystem/measure-scoring",
                code: indicator.unit == .percent ? "proportion" : "continuous-variable")]),
            improvementNotation: Self.notation(indicator.direction),
            extension: [FHIRExtension(url: FHIR.dimensionExtension, valueCode: indicator.dimension)],
            group: [FHIRMeasure.Group(id: FHIRNames.id(indicator.id), code: Self.code(indicator.id, indicator.title), description: nil,
                                      stratifier: Self.stratifierDefinitions)])
    }

    func measureReport(_ trust: GradedTrust, previous: Bool, report: GradedReport, measure: FHIRMeasure) -> FHIRMeasureReport {
        let period = previous ? report.previousPeriod : report.period
        let overall = previous ? trust.previousOverall : trust.overall
        var groups = [FHIRMeasureReport.Group(
            id: "overall", code: Self.overallCode, population: nil,
            measureScore: overall.score.map { FHIRQuantity(value: $0, unit: "score", code: "{score}") },
            stratifier: Self.siteStratifier(trust.sites.map { site in
                let siteOverall = previous ? site.previousOverall : site.overall
                return (site, siteOverall.score.map { FHIRQuantity(value: $0, unit: "score", code: "{score}") }, nil,
                        Self.extensions(status: siteOverall.status, level: siteOverall.level, score: siteOverall.score, reason: siteOverall.reason))
            }),
            extension: Self.extensions(status: overall.status, level: overall.level, score: overall.score, reason: overall.reason))]
        if !previous, let staffTime = Self.staffTimeGroup(trust) { groups.append(staffTime) }
        for (index, indicator) in trust.indicators.enumerated() {
            let grade = previous ? indicator.previous : indicator.current
            groups.append(FHIRMeasureReport.Group(
                id: FHIRNames.id(indicator.id), code: Self.code(indicator.id, indicator.title),
                population: [.initial(grade.n)], measureScore: grade.value.map { FHIRQuantity(value: $0, unit: indicator.unit) },
                stratifier: Self.combined(Self.siteStratifier(trust.sites.compactMap { site in
                    guard index < site.indicators.count else { return nil }
                    let siteGrade = previous ? site.indicators[index].previous : site.indicators[index].current
                    return (site, siteGrade.value.map { FHIRQuantity(value: $0, unit: indicator.unit) }, siteGrade.n,
                            Self.extensions(status: siteGrade.status, level: siteGrade.level, score: siteGrade.score, reason: siteGrade.reason))
                }), previous ? nil : Self.comparisonStratifier(indicator)),
                extension: Self.extensions(status: grade.status, level: grade.level, score: grade.score, reason: grade.reason)
                    + [FHIRExtension(url: FHIR.dimensionExtension, valueCode: indicator.dimension)]))
        }
        return FHIRMeasureReport(
            id: FHIRNames.id("\(trust.trust)-\(period.start)-\(period.end)"), status: "complete", type: "summary",
            measure: "\(measure.url)|\(measure.version)", subject: .organisation(ods: trust.trust, name: trust.name), date: report.generatedAt,
            reporter: .organisation(ods: trust.trust, name: trust.name), period: FHIRPeriod(start: period.start, end: period.end), group: groups)
    }

    /// The stratifiers every indicator's MeasureReport group may carry, described on the Measures.
    static let stratifierDefinitions = [
        FHIRMeasure.Stratifier(code: stratifierCode("site"), description: "The indicator for each site of the trust (ODS site code)."),
        FHIRMeasure.Stratifier(
            code: stratifierCode("comparison"),
            description: "The same indicator beside comparisons, current period only. Stratum peer-median: the median of the other trusts on this collector that graded the indicator (population: how many, at least \(ComparisonBuilder.minimumPeers); they are never named), with the level and score the median would have. Stratum baseline: the trust's saved baseline named in the stratum's text, as graded then."),
    ]

    static func stratifierCode(_ code: String) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(system: FHIR.indicatorSystem, code: code, display: code)], text: code)
    }

    /// The peer median and the saved baseline of one indicator, or nil when there is neither.
    static func comparisonStratifier(_ indicator: GradedIndicator) -> FHIRMeasureReport.Stratifier? {
        var strata: [FHIRMeasureReport.Stratum] = []
        if let peers = indicator.peers {
            strata.append(FHIRMeasureReport.Stratum(
                value: FHIRCodeableConcept(coding: [FHIRCoding(system: FHIR.indicatorSystem, code: "peer-median")], text: "peer median"),
                population: [.initial(peers.trusts)], measureScore: FHIRQuantity(value: peers.median, unit: indicator.unit),
                extension: extensions(status: .graded, level: peers.level, score: peers.score,
                                      reason: "median of \(peers.trusts) other trusts; this trust \(peers.trend.rawValue.replacingOccurrences(of: "_", with: " "))")))
        }
        if let baseline = indicator.baseline {
            strata.append(FHIRMeasureReport.Stratum(
                value: FHIRCodeableConcept(coding: [FHIRCoding(system: FHIR.indicatorSystem, code: "baseline")], text: baseline.name),
                population: [.initial(baseline.saved.n)], measureScore: baseline.saved.value.map { FHIRQuantity(value: $0, unit: indicator.unit) },
                extension: extensions(status: baseline.saved.status, level: baseline.saved.level, score: baseline.saved.score,
                                      reason: "baseline \(baseline.name); since then \(baseline.change.trend.rawValue.replacingOccurrences(of: "_", with: " "))")))
        }
        guard !strata.isEmpty else { return nil }
        return FHIRMeasureReport.Stratifier(code: [stratifierCode("comparison")], stratum: strata)
    }

    /// Both stratifier lists, or nil when neither has any (FHIR allows no empty arrays).
    static func combined(_ sites: [FHIRMeasureReport.Stratifier]?, _ comparison: FHIRMeasureReport.Stratifier?) -> [FHIRMeasureReport.Stratifier]? {
        let all = (sites ?? []) + (comparison.map { [$0] } ?? [])
        return all.isEmpty ? nil : all
    }

    static let overallCode = FHIRCodeableConcept(
        coding: [FHIRCoding(system: FHIR.indicatorSystem, code: "overall", display: "overall infrastructure level")],
        text: "overall infrastructure level")

    static func code(_ id: String, _ title: String) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(system: FHIR.indicatorSystem, code: id, display: title)], text: title)
    }

    static func notation(_ direction: IndicatorDirection) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(
            system: "http://terminology.hl7.org/CodeSystem/measure-improvement-notation",
            code: direction == .lowerIsBetter ? "decrease" : "increase")])
    }

    static func extensions(status: GradeStatus, level: Int?, score: Double?, reason: String) -> [FHIRExtension] {
        var list = [FHIRExtension(url: FHIR.statusExtension, valueCode: status.rawValue)]
        if let level { list.append(FHIRExtension(url: FHIR.levelExtension, valueInteger: level)) }
        if let score { list.append(FHIRExtension(url: FHIR.scoreExtension, valueDecimal: score)) }
        list.append(FHIRExtension(url: FHIR.reasonExtension, valueString: reason))
        return list
    }

    /// The per-site results, or nil when there are none (FHIR allows no empty arrays).
    static func siteStratifier(_ sites: [(site: GradedTrust, score: FHIRQuantity?, n: Int?, extensions: [FHIRExtension])]) -> [FHIRMeasureReport.Stratifier]? {
        guard !sites.isEmpty else { return nil }
        return [FHIRMeasureReport.Stratifier(
            code: [stratifierCode("site")],
            stratum: sites.map { site in
                FHIRMeasureReport.Stratum(
                    value: FHIRCodeableConcept(coding: [FHIRCoding(system: FHIR.odsSystem, code: site.site.site ?? "", display: site.site.name)],
                                               text: site.site.site ?? ""),
                    population: site.n.map { [.initial($0)] }, measureScore: site.score, extension: site.extensions)
            })]
    }
}
