import DeskReadyModel

/// A versioned maturity model: the indicators a trust is graded on, their thresholds for levels 5 to 2, how a level
/// becomes a 0-100 score, and how the overall infrastructure level is formed. Loaded from YAML by
/// `MaturityModel.load(yaml:)`; `MaturityModel.standard` is DeskReady's embedded default.
public struct MaturityModel: Sendable, Equatable {
    public var id: String
    public var version: String
    public var title: String
    /// Fewer observations than this (unless an indicator sets its own) give "insufficient data".
    public var minimumObservations: Int
    public var scoreMethod: ScoreMethod
    public var overall: OverallRule
    public var indicators: [IndicatorDefinition]
    /// Logon cohorts left out of the headline logon indicators and reported apart.
    public var logonsReportedApart: [LogonCohort]
    /// The operating systems counted as supported by the estate indicator.
    public var supportedOS: [OSRequirement]

    public init(id: String, version: String, title: String, minimumObservations: Int, scoreMethod: ScoreMethod,
                overall: OverallRule, indicators: [IndicatorDefinition],
                logonsReportedApart: [LogonCohort] = [.first, .afterUpgrade], supportedOS: [OSRequirement] = []) {
        self.logonsReportedApart = logonsReportedApart
        self.supportedOS = supportedOS
        self.id = id
        self.version = version
        self.title = title
        self.minimumObservations = minimumObservations
        self.scoreMethod = scoreMethod
        self.overall = overall
        self.indicators = indicators
    }

    /// The logon target of the model's `logon_within_target` indicator, in milliseconds (60 s when it has none).
    public var logonTargetMs: Int64 {
        let seconds = indicators.first { $0.metric == .logonWithinTarget }?.targetSeconds ?? 60
        return Int64((seconds * 1000).rounded())
    }
}

/// How a level becomes a score from 0 to 100.
public enum ScoreMethod: String, Sendable, Equatable, CaseIterable {
    /// Level 1 to 5 score 0, 25, 50, 75, 100.
    case steps
    /// As `steps` at each threshold, linear between two thresholds; level 5 scores 100 and level 1 scores 0.
    case interpolated
}

/// How the overall level is formed: the median of the graded indicators' levels (the lower middle one for an even
/// count), at most the weakest level plus `capAboveWeakest`; fewer than `minimumGraded` graded indicators give none.
public struct OverallRule: Sendable, Equatable {
    public var capAboveWeakest: Int
    public var minimumGraded: Int

    public init(capAboveWeakest: Int, minimumGraded: Int) {
        self.capAboveWeakest = capAboveWeakest
        self.minimumGraded = minimumGraded
    }

    /// The rule in words, for every output.
    public var summary: String {
        "median of the indicator levels, at most the weakest level + \(capAboveWeakest); at least \(minimumGraded) graded indicators"
    }
}

/// One graded indicator of a model: what it measures and the value needed for each level.
public struct IndicatorDefinition: Sendable, Equatable {
    public var id: String
    public var metric: IndicatorMetric
    /// Short name used in tables and reasons, for example "logon p90".
    public var title: String
    public var measures: String
    public var dimension: String
    public var justification: String
    /// The value needed for levels 5, 4, 3 and 2, best first; anything else is level 1.
    public var thresholds: LevelThresholds
    /// Overrides the model's minimum observations.
    public var minimumObservations: Int?
    /// The logon target, for `logon_within_target`.
    public var targetSeconds: Double?

    public init(id: String, metric: IndicatorMetric, title: String, measures: String, dimension: String, justification: String,
                thresholds: LevelThresholds, minimumObservations: Int? = nil, targetSeconds: Double? = nil) {
        self.id = id
        self.metric = metric
        self.title = title
        self.measures = measures
        self.dimension = dimension
        self.justification = justification
        self.thresholds = thresholds
        self.minimumObservations = minimumObservations
        self.targetSeconds = targetSeconds
    }

    public var unit: IndicatorUnit { metric.unit }
    public var direction: IndicatorDirection { metric.direction }
}

/// The value needed for levels 5, 4, 3 and 2 of one indicator.
public struct LevelThresholds: Sendable, Equatable {
    public var level5: Double
    public var level4: Double
    public var level3: Double
    public var level2: Double

    public init(level5: Double, level4: Double, level3: Double, level2: Double) {
        self.level5 = level5
        self.level4 = level4
        self.level3 = level3
        self.level2 = level2
    }

    /// The threshold of `level` (2 to 5).
    public func value(for level: Int) -> Double {
        switch level {
        case 5: level5
        case 4: level4
        case 3: level3
        default: level2
        }
    }
}
