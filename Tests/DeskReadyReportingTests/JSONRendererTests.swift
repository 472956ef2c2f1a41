import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

@Suite("JSON renderer")
struct JSONRendererTests {
    @Test("JSON round-trips to the same report")
    func roundTrip() throws {
        let report = try ReportFixtures.report()
        let json = try GradedJSONRenderer().render(report)
        #expect(try GradedJSONRenderer().decode(json) == report)
        #expect(json.contains("\"schema_version\" : 2"))
        #expect(json.contains("\"id\" : \"deskready-workstation-readiness\""))
    }

    @Test("JSON validates against collector/indicators.schema.json (JSON Schema 2020-12, python3 jsonschema)",
          .enabled(if: ExternalTool.python3 != nil, "python3 is not installed, so the schema check can't run"))
    func validatesAgainstSchema() async throws {
        let python = try #require(ExternalTool.python3)
        let dir = try TemporaryDirectory("deskready-schema")
        defer { dir.remove() }
        let schema = MaturityModelTests.packageRoot.appendingPathComponent("collector/indicators.schema.json").path
        let documents = [
            ("fixture.json", try GradedJSONRenderer().render(try ReportFixtures.report())),
            ("compared.json", try GradedJSONRenderer().render({
                var report = try ReportFixtures.comparedReport()
                report.peersGradedAt = "2026-11-29T05:00:00Z"
                report.aggregates = ReportAggregates(resolution: "daily", hourlyKeptDays: 35, dailyKeptDays: 730,
                                                     note: "daily aggregates are kept 730 days: the previous period has no data before 2024-11-29")
                return report
            }())),
            ("steps.json", try GradedJSONRenderer().render(try ReportFixtures.report(model: {
                var model = try MaturityModel.standard
                model.scoreMethod = .steps
                return model
            }()))),
        ]
        for (name, json) in documents {
            try json.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
        }
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            failures = []
            for path in sys.argv[2:]:
                for error in validator.iter_errors(json.load(open(path))):
                    failures.append(f"{path}: {error.json_path}: {error.message[:300]}")
            print("\\n".join(failures))
            sys.exit(1 if failures else 0)
            """
        let result = try await ExternalTool.run(python, ["-c", script, schema] + documents.map { dir.file($0.0) })
        #expect(result.status == 0, "schema validation failed:\n\(result.stdout)\(result.stderr)")
    }

    @Test("The schema catches a graded indicator without a value",
          .enabled(if: ExternalTool.python3 != nil, "python3 is not installed, so the schema check can't run"))
    func schemaIsStrict() async throws {
        let python = try #require(ExternalTool.python3)
        let schema = MaturityModelTests.packageRoot.appendingPathComponent("collector/indicators.schema.json").path
        let dir = try TemporaryDirectory("deskready-schema")
        defer { dir.remove() }
        var report = try ReportFixtures.report()
        report.trusts[0].indicators[0].value = nil
        try GradedJSONRenderer().render(report).write(toFile: dir.file("bad.json"), atomically: true, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            sys.exit(0 if list(validator.iter_errors(json.load(open(sys.argv[2])))) else 3)
            """
        let result = try await ExternalTool.run(python, ["-c", script, schema, dir.file("bad.json")])
        #expect(result.status == 0, "the schema accepted a graded indicator with no value: \(result.stderr)")
    }
}
