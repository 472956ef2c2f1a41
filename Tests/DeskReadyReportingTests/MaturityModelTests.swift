import Foundation
import Testing
@testable import DeskReadyReporting

@Suite("Maturity model")
struct MaturityModelTests {
    /// The package root, from this file's path (Tests/DeskReadyReportingTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("The embedded default is collector/maturity-model.yaml byte for byte")
    func embeddedCopyIsTheFile() throws {
        let file = Self.packageRoot.appendingPathComponent("collector/maturity-model.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == MaturityModel.standardYAML, "edit collector/maturity-model.yaml and copy it whole into DefaultMaturityModel.swift")
    }

    @Test("The default model: eleven indicators, each with thresholds, dimension and justification")
    func defaultModel() throws {
        let model = try MaturityModel.standard
        #expect(model.id == "deskready-workstation-readiness")
        #expect(model.version == "1.2.0")
        #expect(model.minimumObservations == 10)
        #expect(model.scoreMethod == .interpolated)
        #expect(model.overall == OverallRule(capAboveWeakest: 2, minimumGraded: 3))
        #expect(model.indicators.map(\.id) == [
            "logon_p90", "logon_within_target", "logon_incomplete", "boot_p90", "app_start_p90", "app_failure",
            "probe_ttfb_p95", "probe_failure", "estate_ssd", "estate_supported_os", "coverage",
        ])
        #expect(model.logonsReportedApart == [.first, .afterUpgrade])
        #expect(model.supportedOS.contains(OSRequirement(id: "ubuntu", minimumVersion: "22.04")))
        #expect(Set(model.indicators.map(\.metric)) == Set(IndicatorMetric.allCases))
        let logon = try #require(model.indicators.first)
        #expect(logon.thresholds == LevelThresholds(level5: 30, level4: 60, level3: 120, level2: 300))
        #expect(logon.direction == .lowerIsBetter)
        #expect(logon.unit == .seconds)
        #expect(model.logonTargetMs == 60_000)
        for indicator in model.indicators {
            #expect(indicator.dimension == "smart-foundations")
            #expect(indicator.justification.count > 80, "\(indicator.id) needs a justification")
            #expect(!indicator.measures.isEmpty)
        }
    }

    @Test("A trust's own model file is loaded from its path")
    func loadsFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let yaml = MaturityModel.standardYAML
            .replacingOccurrences(of: "id: deskready-workstation-readiness", with: "id: rxx-own-model")
            .replacingOccurrences(of: "version: 1.2.0", with: "version: 2.1.0")
            .replacingOccurrences(of: "target_seconds: 60", with: "target_seconds: 45")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let model = try MaturityModel.load(path: path)
        #expect(model.id == "rxx-own-model")
        #expect(model.version == "2.1.0")
        #expect(model.logonTargetMs == 45_000)
        #expect(throws: MaturityModelError.self) { try MaturityModel.load(path: path + ".missing") }
    }

    /// A small valid model with one indicator, for bending one field at a time.
    static func yaml(indicator: String = defaultIndicator, top: String = "") -> String {
        """
        id: test-model
        version: "1"
        \(top)
        indicators:
        \(indicator)
        """
    }

    static let defaultIndicator = """
          - id: logon_p90
            title: logon p90
            measures: logon time
            unit: seconds
            direction: lower-is-better
            thresholds: {5: 30, 4: 60, 3: 120, 2: 300}
            dimension: smart-foundations
            justification: because
        """

    @Test("Defaults fill what a minimal model leaves out")
    func minimal() throws {
        let model = try MaturityModel.load(yaml: Self.yaml())
        #expect(model.minimumObservations == 10)
        #expect(model.scoreMethod == .interpolated)
        #expect(model.indicators.first?.metric == .logonP90)
    }

    @Test("Errors name the field at fault", arguments: [
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "4: 60", with: "4: 20")), "indicators[0].thresholds.4", "more than level 5"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "4: 60", with: "4: soon")), "indicators[0].thresholds.4", "must be a number"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: ", 2: 300", with: "")), "indicators[0].thresholds.2", "is missing"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "id: logon_p90", with: "id: logon_p99")), "indicators[0].metric", "not a metric"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "unit: seconds", with: "unit: percent")), "indicators[0].unit", "wrong for metric"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "lower-is-better", with: "higher-is-better")), "indicators[0].direction", "wrong for metric"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "    title: logon p90\n", with: "")), "indicators[0].title", "is missing"),
        (yaml(indicator: defaultIndicator.replacingOccurrences(of: "dimension:", with: "dimenson:")), "indicators[0].dimenson", "not a field"),
        (yaml(indicator: defaultIndicator + "\n" + defaultIndicator), "indicators[1].id", "unique"),
        (yaml(top: "minimum_observations: -3"), "minimum_observations", "whole number"),
        (yaml(top: "score: {method: rounded}"), "score.method", "steps, interpolated"),
        (yaml(top: "overall: {cap_above_weakest: 9}"), "overall.cap_above_weakest", "whole number"),
        (yaml(indicator: defaultIndicator + "\n    target_seconds: 60"), "indicators[0].target_seconds", "only applies"),
        ("id: x\nversion: 1\nindicators: []\n", "indicators", "non-empty list"),
        ("version: 1\nindicators: []\n", "id", "is missing"),
        ("id: Not Valid\nversion: 1\n", "id", "lower-case"),
    ])
    func errorsNameTheField(yaml: String, field: String, problem: String) {
        do {
            _ = try MaturityModel.load(yaml: yaml)
            Issue.record("expected an error for \(field)")
        } catch let error as MaturityModelError {
            #expect(error.field == field, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
            #expect(error.description.contains("'\(field)'"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("Text that isn't YAML is refused with the parser's reason")
    func notYAML() {
        #expect(throws: MaturityModelError.self) { try MaturityModel.load(yaml: "id: [unclosed\n") }
    }
}
