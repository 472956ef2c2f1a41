/// An indicator of the current period beside the same indicator in a saved baseline.
public struct BaselineComparison: Codable, Sendable, Equatable {
    public var name: String
    /// The indicator as graded when the baseline was saved.
    public var saved: IndicatorGrade
    /// Current minus baseline, and whether that is better; not comparable unless both were graded.
    public var change: IndicatorChange
}

/// An indicator beside the median of the same indicator over the other trusts on this collector with enough data.
/// The other trusts are never named and their figures never shown; absent when fewer than three qualify.
public struct PeerComparison: Codable, Sendable, Equatable {
    /// How many other trusts the median is taken over (at least three).
    public var trusts: Int
    public var median: Double
    /// The level and score the median itself would be graded.
    public var level: Int
    public var score: Double
    /// This trust's value minus the median, and whether that is better; not comparable when this trust isn't graded.
    public var difference: Double?
    public var trend: IndicatorChange.Trend
}

/// Attaches saved-baseline and peer comparisons to graded trusts.
struct ComparisonBuilder: Sendable {
    var model: MaturityModel
    /// Peers needed before a peer median is shown.
    static let minimumPeers = 3

    /// Each trust's indicators beside the median of the other trusts (of `pool`, by default `trusts` themselves)
    /// that graded the same indicator.
    func withPeers(_ trusts: [GradedTrust], among pool: [GradedTrust]? = nil) -> [GradedTrust] {
        let pool = pool ?? trusts
        return trusts.map { trust in
            var trust = trust
            trust.indicators = trust.indicators.map { indicator in
                var indicator = indicator
                let others = pool.filter { $0.trust != trust.trust }
                    .compactMap { $0.indicator(indicator.id) }.filter { $0.status == .graded }.compactMap(\.value)
                guard others.count >= Self.minimumPeers, let definition = model.indicators.first(where: { $0.id == indicator.id }) else {
                    return indicator
                }
                let median = Rounding.value(Self.median(others))
                let level = IndicatorGrader.level(median, definition)
                let comparison = IndicatorChange(
                    current: indicator.current,
                    previous: IndicatorGrade(status: .graded, value: median, n: others.count, level: level, score: nil, reason: ""),
                    direction: definition.direction)
                indicator.peers = PeerComparison(
                    trusts: others.count, median: median, level: level,
                    score: IndicatorGrader.score(median, level: level, definition, method: model.scoreMethod),
                    difference: comparison.value, trend: comparison.trend)
                return indicator
            }
            return trust
        }
    }

    /// A trust's indicators beside a saved baseline of it.
    func withBaseline(_ trust: GradedTrust, _ baseline: BaselineSnapshot) -> GradedTrust {
        var trust = trust
        trust.baseline = BaselineReference(
            name: baseline.name, savedAt: baseline.savedAt, period: baseline.period, modelId: baseline.model.id,
            modelVersion: baseline.model.version, overall: baseline.overall)
        trust.indicators = trust.indicators.map { indicator in
            var indicator = indicator
            guard let saved = baseline.indicators[indicator.id],
                  let definition = model.indicators.first(where: { $0.id == indicator.id }) else { return indicator }
            indicator.baseline = BaselineComparison(
                name: baseline.name, saved: saved,
                change: IndicatorChange(current: indicator.current, previous: saved, direction: definition.direction))
            return indicator
        }
        return trust
    }

    /// The median; the mean of the two middle values for an even count.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
