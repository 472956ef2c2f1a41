/// Grades one measured indicator against its thresholds: level 1 to 5, score 0 to 100, and the reason in words.
struct IndicatorGrader: Sendable {
    var model: MaturityModel

    func grade(_ definition: IndicatorDefinition, _ measurement: IndicatorMeasurement) -> IndicatorGrade {
        let minimum = definition.minimumObservations ?? model.minimumObservations
        if let unavailable = measurement.unavailable {
            return IndicatorGrade(status: .notAvailable, value: nil, n: measurement.n, level: nil, score: nil,
                                  reason: "\(definition.title): \(unavailable)")
        }
        guard let raw = measurement.value, measurement.n >= minimum else {
            let note = measurement.insufficientNote ?? (measurement.n == 0
                ? "no observations in this period"
                : "\(measurement.n) observation\(measurement.n == 1 ? "" : "s"), fewer than the \(minimum) needed to grade")
            return IndicatorGrade(status: .insufficientData, value: nil, n: measurement.n, level: nil, score: nil,
                                  reason: "\(definition.title): insufficient data, \(note)")
        }
        // Graded on the value as shown, so the value, the level and the reason always agree.
        let value = Rounding.value(raw)
        let level = Self.level(value, definition)
        return IndicatorGrade(
            status: .graded, value: value, n: measurement.n, level: level,
            score: Rounding.score(Self.score(value, level: level, definition, method: model.scoreMethod)),
            reason: Self.reason(value, level: level, definition, detail: measurement.detail), detail: measurement.detail)
    }

    /// The best level whose threshold the value meets; 1 when it meets none.
    static func level(_ value: Double, _ definition: IndicatorDefinition) -> Int {
        (2...5).reversed().first { definition.direction.meets(value, definition.thresholds.value(for: $0)) } ?? 1
    }

    /// Level 1 to 5 score 0, 25, 50, 75, 100; `interpolated` adds the way from this level's threshold to the next.
    static func score(_ value: Double, level: Int, _ definition: IndicatorDefinition, method: ScoreMethod) -> Double {
        let base = Double(level - 1) * 25
        guard method == .interpolated, (2...4).contains(level) else { return base }
        let from = definition.thresholds.value(for: level)
        let to = definition.thresholds.value(for: level + 1)
        let fraction = (value - from) / (to - from)
        return base + 25 * min(max(fraction, 0), 0.999)
    }

    static func reason(_ value: Double, level: Int, _ definition: IndicatorDefinition, detail: String?) -> String {
        let unit = definition.unit
        let thresholds = (2...5).map { definition.thresholds.value(for: $0) }
        let measured = "\(definition.title) \(ValueFormat.value(value, unit, distinctFrom: thresholds))" + (detail.map { " (\($0))" } ?? "")
        let side = definition.direction == .lowerIsBetter ? "or less" : "or more"
        if level == 5 {
            return "\(measured); meets level 5 (\(ValueFormat.value(definition.thresholds.level5, unit)) \(side))"
        }
        let next = definition.thresholds.value(for: level + 1)
        return "\(measured); level \(level + 1) needs \(ValueFormat.value(next, unit)) \(side)"
    }
}
