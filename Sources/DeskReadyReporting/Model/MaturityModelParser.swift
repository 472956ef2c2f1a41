import DeskReadyModel
import Foundation
import Yams

extension MaturityModel {
    /// Loads and checks a model from YAML text. Errors name the wrong field and say what it should hold.
    public static func load(yaml: String) throws -> MaturityModel {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw MaturityModelError(field: "", problem: "is not valid YAML: \(error)")
        }
        return try MaturityModelParser.model(root)
    }

    /// Loads and checks a model file.
    public static func load(path: String) throws -> MaturityModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MaturityModelError(field: "", problem: "cannot read \(path); check the path passed to --maturity-model")
        }
        do {
            return try load(yaml: String(decoding: data, as: UTF8.self))
        } catch let error as MaturityModelError {
            throw MaturityModelError(field: error.field, problem: error.problem + " (in \(path))", line: error.line)
        }
    }
}

/// Turns a YAML document into a checked `MaturityModel`.
enum MaturityModelParser {
    static func model(_ root: Node?) throws -> MaturityModel {
        let top = try YAMLFields(root, path: "")
        try top.refuseUnknown(["id", "version", "title", "minimum_observations", "score", "overall", "logons", "estate", "indicators"])
        let id = try identifier(top, "id")
        let version = try top.string("version")
        let title = try top.optionalString("title") ?? ""
        let minimum = try top.optionalInteger("minimum_observations", in: 1...1_000_000) ?? 10
        let scoreMethod = try score(top.node("score"))
        let overall = try overall(top.node("overall"))
        guard let list = try top.require("indicators").sequence, !list.isEmpty else {
            throw MaturityModelError(field: "indicators", problem: "must be a non-empty list of indicators", line: top.node("indicators")?.mark?.line)
        }
        var indicators: [IndicatorDefinition] = []
        for (index, node) in list.enumerated() {
            let indicator = try indicator(node, path: "indicators[\(index)]")
            if indicators.contains(where: { $0.id == indicator.id }) {
                throw MaturityModelError(field: "indicators[\(index)].id", problem: "'\(indicator.id)' is used by an earlier indicator; ids must be unique", line: node.mark?.line)
            }
            indicators.append(indicator)
        }
        return MaturityModel(
            id: id, version: version, title: title,
            minimumObservations: minimum, scoreMethod: scoreMethod, overall: overall, indicators: indicators,
            logonsReportedApart: try logons(top.node("logons")), supportedOS: try estate(top.node("estate")))
    }

    static func logons(_ node: Node?) throws -> [LogonCohort] {
        guard let node else { return [.first, .afterUpgrade] }
        let fields = try YAMLFields(node, path: "logons")
        try fields.refuseUnknown(["report_apart"])
        guard let list = fields.node("report_apart") else { return [.first, .afterUpgrade] }
        guard let items = list.sequence else {
            throw MaturityModelError(field: "logons.report_apart", problem: "must be a list of: first, after_upgrade (or [] to keep every logon in the headline)", line: list.mark?.line)
        }
        return try items.map { item in
            guard let text = item.string, let cohort = LogonCohort(rawValue: text), cohort != .ordinary else {
                throw MaturityModelError(field: "logons.report_apart", problem: "'\(item.string ?? "?")' is not one of: first, after_upgrade", line: item.mark?.line)
            }
            return cohort
        }
    }

    static func estate(_ node: Node?) throws -> [OSRequirement] {
        guard let node else { return [] }
        let fields = try YAMLFields(node, path: "estate")
        try fields.refuseUnknown(["supported_os"])
        guard let list = fields.node("supported_os") else { return [] }
        guard let items = list.sequence else {
            throw MaturityModelError(field: "estate.supported_os", problem: "must be a list of {id, min_version}", line: list.mark?.line)
        }
        return try items.enumerated().map { index, item in
            let entry = try YAMLFields(item, path: "estate.supported_os[\(index)]")
            try entry.refuseUnknown(["id", "min_version"])
            return OSRequirement(id: try entry.string("id"), minimumVersion: try entry.optionalString("min_version"))
        }
    }

    static func score(_ node: Node?) throws -> ScoreMethod {
        guard let node else { return .interpolated }
        let fields = try YAMLFields(node, path: "score")
        try fields.refuseUnknown(["method"])
        let text = try fields.string("method")
        guard let method = ScoreMethod(rawValue: text) else {
            throw MaturityModelError(field: "score.method", problem: "'\(text)' is not one of: steps, interpolated", line: fields.node("method")?.mark?.line)
        }
        return method
    }

    static func overall(_ node: Node?) throws -> OverallRule {
        guard let node else { return OverallRule(capAboveWeakest: 2, minimumGraded: 3) }
        let fields = try YAMLFields(node, path: "overall")
        try fields.refuseUnknown(["method", "cap_above_weakest", "minimum_graded"])
        let method = try fields.optionalString("method") ?? "median-capped"
        guard method == "median-capped" else {
            throw MaturityModelError(field: "overall.method", problem: "'\(method)' is not one of: median-capped", line: fields.node("method")?.mark?.line)
        }
        return OverallRule(
            capAboveWeakest: try fields.optionalInteger("cap_above_weakest", in: 0...4) ?? 2,
            minimumGraded: try fields.optionalInteger("minimum_graded", in: 1...100) ?? 3)
    }

    static func indicator(_ node: Node, path: String) throws -> IndicatorDefinition {
        let fields = try YAMLFields(node, path: path)
        try fields.refuseUnknown([
            "id", "metric", "title", "measures", "unit", "direction", "thresholds", "dimension", "justification",
            "minimum_observations", "target_seconds",
        ])
        let id = try identifier(fields, "id")
        let metricText = try fields.optionalString("metric") ?? id
        guard let metric = IndicatorMetric(rawValue: metricText) else {
            throw MaturityModelError(
                field: fields.field("metric"),
                problem: "'\(metricText)' is not a metric DeskReady computes; use one of: \(IndicatorMetric.allCases.map(\.rawValue).joined(separator: ", "))",
                line: (fields.node("metric") ?? fields.node("id"))?.mark?.line)
        }
        let unit = try fields.string("unit")
        guard unit == metric.unit.rawValue else {
            throw MaturityModelError(field: fields.field("unit"), problem: "'\(unit)' is wrong for metric \(metric.rawValue), which is in \(metric.unit.rawValue)", line: fields.node("unit")?.mark?.line)
        }
        let direction = try fields.string("direction")
        guard direction == metric.direction.rawValue else {
            throw MaturityModelError(field: fields.field("direction"), problem: "'\(direction)' is wrong for metric \(metric.rawValue), which is \(metric.direction.rawValue)", line: fields.node("direction")?.mark?.line)
        }
        let target = try fields.optionalNumber("target_seconds")
        if let target, target <= 0 {
            throw MaturityModelError(field: fields.field("target_seconds"), problem: "must be more than 0 seconds", line: fields.node("target_seconds")?.mark?.line)
        }
        if target != nil, metric != .logonWithinTarget {
            throw MaturityModelError(field: fields.field("target_seconds"), problem: "only applies to metric logon_within_target", line: fields.node("target_seconds")?.mark?.line)
        }
        return IndicatorDefinition(
            id: id, metric: metric, title: try fields.string("title"), measures: try fields.string("measures"),
            dimension: try fields.string("dimension"), justification: try fields.string("justification"),
            thresholds: try thresholds(try fields.require("thresholds"), path: fields.field("thresholds"), metric: metric),
            minimumObservations: try fields.optionalInteger("minimum_observations", in: 1...1_000_000),
            targetSeconds: target)
    }

    static func thresholds(_ node: Node, path: String, metric: IndicatorMetric) throws -> LevelThresholds {
        let fields = try YAMLFields(node, path: path)
        try fields.refuseUnknown(["5", "4", "3", "2"])
        var values: [Int: Double] = [:]
        for level in [5, 4, 3, 2] {
            let value = try fields.number(String(level))
            if value < 0 || (metric.unit == .percent && value > 100) {
                let range = metric.unit == .percent ? "from 0 to 100 (percent)" : "0 seconds or more"
                throw MaturityModelError(field: fields.field(String(level)), problem: "must be \(range)", line: fields.node(String(level))?.mark?.line)
            }
            if let better = values[level + 1], !(metric.direction == .lowerIsBetter ? better < value : better > value) {
                let order = metric.direction == .lowerIsBetter ? "more" : "less"
                throw MaturityModelError(
                    field: fields.field(String(level)),
                    problem: "\(Self.text(value)) must be \(order) than level \(level + 1)'s \(Self.text(better)), since \(metric.direction.rawValue)",
                    line: fields.node(String(level))?.mark?.line)
            }
            values[level] = value
        }
        return LevelThresholds(level5: values[5] ?? 0, level4: values[4] ?? 0, level3: values[3] ?? 0, level2: values[2] ?? 0)
    }

    /// A stable identifier: lower-case letters, digits, '-', '_' and '.'.
    static func identifier(_ fields: YAMLFields, _ key: String) throws -> String {
        let text = try fields.string(key)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard text.allSatisfy({ allowed.contains($0) }) else {
            throw MaturityModelError(field: fields.field(key), problem: "'\(text)' may hold only lower-case letters, digits, '-', '_' and '.'", line: fields.node(key)?.mark?.line)
        }
        return text
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
