/// Forms the overall infrastructure level from the graded indicators, by the model's median-capped rule.
struct OverallGrader: Sendable {
    var rule: OverallRule

    func grade(_ indicators: [(definition: IndicatorDefinition, grade: IndicatorGrade)]) -> OverallGrade {
        let graded = indicators.compactMap { item in item.grade.level.map { (title: item.definition.title, level: $0, score: item.grade.score ?? 0) } }
        guard graded.count >= rule.minimumGraded, !graded.isEmpty else {
            return OverallGrade(
                status: .insufficientData, level: nil, score: nil, graded: graded.count,
                reason: "\(graded.count) indicator\(graded.count == 1 ? "" : "s") graded; at least \(rule.minimumGraded) needed for an overall level")
        }
        let levels = graded.map(\.level).sorted()
        let median = levels[(levels.count - 1) / 2]
        let weakest = graded.min { $0.level < $1.level }!
        let cap = weakest.level + rule.capAboveWeakest
        let level = min(median, cap)
        let band = Double(level - 1) * 25
        let mean = graded.reduce(0) { $0 + $1.score } / Double(graded.count)
        let score = level == 5 ? 100 : min(max(mean, band), band + 24.9)
        let counted = "median of \(graded.count) indicator levels is \(median)"
        let reason = level < median
            ? "\(counted), capped at \(level) because the weakest, \(weakest.title), is level \(weakest.level)"
            : "\(counted); weakest is \(weakest.title) at level \(weakest.level)"
        return OverallGrade(status: .graded, level: level, score: Rounding.score(score), graded: graded.count, reason: reason)
    }
}
