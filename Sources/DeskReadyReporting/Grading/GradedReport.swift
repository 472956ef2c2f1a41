import DeskReadyModel
/// A maturity report: every trust (and its sites) graded against one model, for a period beside the period before
/// it. This is what every format renders; its JSON form is documented by `collector/indicators.schema.json`.
public struct GradedReport: Codable, Sendable, Equatable {
    /// Version of the JSON schema; raised only by changes that break readers.
    public var schemaVersion: Int
    /// When the report was made, ISO 8601 UTC.
    public var generatedAt: String
    public var model: ModelReference
    public var period: ReportRange
    /// The period of equal length just before `period`.
    public var previousPeriod: ReportRange
    /// The model's indicators, in its order; every trust and site lists its grades in this order.
    public var indicators: [IndicatorDescription]
    public var trusts: [GradedTrust]
    /// When the oldest of the other trusts' grades behind the peer medians was made, ISO 8601 UTC; absent without
    /// peers. Peers are graded again once their data changes, at most `peer_max_age_seconds` after (see
    /// `collector.yaml`), so while data keeps arriving they may be that much older than the trust's own figures.
    public var peersGradedAt: String?
    /// Which aggregates the report read and how long they are kept, with a note when that changed what it covers.
    public var aggregates: ReportAggregates?

    /// Schema 2 added `peers_graded_at`, `aggregates`, the staff time lost, trust and site names, estate sizes and coverage against
    /// the estate; everything of schema 1 is unchanged.
    public static let currentSchemaVersion = 2

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
        case model, period
        case previousPeriod = "previous_period"
        case indicators, trusts
        case peersGradedAt = "peers_graded_at"
        case aggregates
    }
}

/// Which model graded a report.
public struct ModelReference: Codable, Sendable, Equatable {
    public var id: String
    public var version: String
    public var title: String
    public var scoreMethod: String
    public var overallRule: String
    public var minimumObservations: Int
    /// Logon cohorts left out of the headline logon figures and reported apart.
    public var logonsReportedApart: [String]
    /// The operating systems the estate indicator counts as supported, in words.
    public var supportedOS: [String]

    enum CodingKeys: String, CodingKey {
        case id, version, title
        case scoreMethod = "score_method"
        case overallRule = "overall_rule"
        case minimumObservations = "minimum_observations"
        case logonsReportedApart = "logons_reported_apart"
        case supportedOS = "supported_os"
    }
}

/// A report period: `[fromMs, toMs)`, and its first and last days (UTC) for people.
public struct ReportRange: Codable, Sendable, Equatable {
    public var fromMs: Int64
    public var toMs: Int64
    /// First day, YYYY-MM-DD.
    public var start: String
    /// Last day (the day of the last included millisecond), YYYY-MM-DD.
    public var end: String

    public init(fromMs: Int64, toMs: Int64) {
        self.fromMs = fromMs
        self.toMs = toMs
        start = CivilDay.format(fromMs)
        end = CivilDay.format(toMs - 1)
    }

    enum CodingKeys: String, CodingKey {
        case fromMs = "from_ms"
        case toMs = "to_ms"
        case start, end
    }
}

/// An indicator of the model as the report states it.
public struct IndicatorDescription: Codable, Sendable, Equatable {
    public var id: String
    public var metric: String
    public var title: String
    public var measures: String
    public var unit: IndicatorUnit
    public var direction: IndicatorDirection
    public var dimension: String
    /// Values needed for levels "5", "4", "3" and "2".
    public var thresholds: [String: Double]
    public var minimumObservations: Int
    public var justification: String

    enum CodingKeys: String, CodingKey {
        case id, metric, title, measures, unit, direction, dimension, thresholds
        case minimumObservations = "minimum_observations"
        case justification
    }
}

/// A trust, or one of its sites (`site` set), graded on every indicator for the period and the period before.
public struct GradedTrust: Codable, Sendable, Equatable {
    public var trust: String
    /// Nil for the whole trust.
    public var site: String?
    public var overall: OverallGrade
    public var previousOverall: OverallGrade
    public var devicesReporting: Int
    /// Devices the collector knows for the trust; nil for a site (not recorded per site).
    public var devicesKnown: Int?
    /// Start of the newest stored event of the trust, ISO 8601 UTC; nil for a site.
    public var newestDataAt: String?
    public var indicators: [GradedIndicator]
    /// The figures behind the grades, with groups under the minimum observations left out.
    public var statistics: TrustReport
    public var previousStatistics: TrustReport
    /// Completed logons by duration (period only); empty when there are too few.
    public var logonDistribution: [HistogramBin]
    /// Week by week over the previous and the current period; only for a trust.
    public var weekly: [WeeklyPoint]
    public var sites: [GradedTrust]
    /// The saved baseline the indicators are compared with, when one was asked for (trust only).
    public var baseline: BaselineReference?
    /// The trust's name (from `deskready trust add --name`), or the site's (`deskready site add --name`).
    public var name: String?
    /// Devices in the trust's (or site's) estate as recorded (`deskready trust set --estate-size`); coverage is
    /// measured against it when recorded.
    public var estateSize: Int?

    enum CodingKeys: String, CodingKey {
        case baseline
        case trust, site, overall
        case previousOverall = "previous_overall"
        case devicesReporting = "devices_reporting"
        case devicesKnown = "devices_known"
        case newestDataAt = "newest_data_at"
        case indicators, statistics
        case previousStatistics = "previous_statistics"
        case logonDistribution = "logon_distribution"
        case weekly, sites
        case name
        case estateSize = "estate_size"
    }

    /// The trust or site as people name it: `Name (RXX01)`, or the code alone when it has no name.
    public var label: String {
        let code = site ?? trust
        return name.map { "\($0) (\(code))" } ?? code
    }

    /// The grade of indicator `id`.

    public func indicator(_ id: String) -> GradedIndicator? { indicators.first { $0.id == id } }
}

/// Whether an indicator could be graded.
public enum GradeStatus: String, Codable, Sendable, Equatable {
    case graded
    /// Fewer observations than the model's minimum: not graded and no value shown.
    case insufficientData = "insufficient_data"
    /// DeskReady can't measure it here (for example device coverage per site).
    case notAvailable = "not_available"
}

/// One indicator's grade in one period.
public struct IndicatorGrade: Codable, Sendable, Equatable {
    public var status: GradeStatus
    /// In the indicator's unit; nil unless graded.
    public var value: Double?
    /// Observations behind the value.
    public var n: Int
    /// 1 to 5; nil unless graded.
    public var level: Int?
    /// 0 to 100; nil unless graded.
    public var score: Double?
    /// Why this level, in words: "logon p90 93 s; level 4 needs 60 s or less".
    public var reason: String
    /// What the value refers to when it's one of several, for example the slowest application.
    public var detail: String?

    public init(status: GradeStatus, value: Double?, n: Int, level: Int?, score: Double?, reason: String, detail: String? = nil) {
        self.status = status
        self.value = value
        self.n = n
        self.level = level
        self.score = score
        self.reason = reason
        self.detail = detail
    }
}

/// An indicator's grade for the period, the period before, and the change between them.
public struct GradedIndicator: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// The What Good Looks Like dimension the indicator is filed under.
    public var dimension: String
    public var unit: IndicatorUnit
    public var status: GradeStatus
    public var value: Double?
    public var n: Int
    public var level: Int?
    public var score: Double?
    public var reason: String
    public var detail: String?
    public var previous: IndicatorGrade
    public var change: IndicatorChange
    /// Beside a saved baseline, when the report was asked for one (trust only).
    public var baseline: BaselineComparison?
    /// Beside the median of the other trusts on the collector; absent when fewer than three qualify (trust only).
    public var peers: PeerComparison?

    public init(definition: IndicatorDefinition, current: IndicatorGrade, previous: IndicatorGrade) {
        id = definition.id
        title = definition.title
        dimension = definition.dimension
        unit = definition.unit
        status = current.status
        value = current.value
        n = current.n
        level = current.level
        score = current.score
        reason = current.reason
        detail = current.detail
        self.previous = previous
        change = IndicatorChange(current: current, previous: previous, direction: definition.direction)
    }

    /// The current period's grade alone.
    public var current: IndicatorGrade {
        IndicatorGrade(status: status, value: value, n: n, level: level, score: score, reason: reason, detail: detail)
    }
}

/// How an indicator moved from the previous period; only when both periods were graded.
public struct IndicatorChange: Codable, Sendable, Equatable {
    /// Current value minus previous value, in the indicator's unit.
    public var value: Double?
    /// Current level minus previous level.
    public var level: Int?
    public var trend: Trend

    /// Whether the change is for the better.
    public enum Trend: String, Codable, Sendable, Equatable {
        case better, worse, unchanged
        case notComparable = "not_comparable"
    }

    public init(current: IndicatorGrade, previous: IndicatorGrade, direction: IndicatorDirection) {
        guard current.status == .graded, previous.status == .graded, let now = current.value, let before = previous.value,
              let levelNow = current.level, let levelBefore = previous.level else {
            value = nil
            level = nil
            trend = .notComparable
            return
        }
        value = Rounding.value(now - before)
        level = levelNow - levelBefore
        let delta = value ?? 0
        if delta == 0 {
            trend = .unchanged
        } else {
            trend = (delta < 0) == (direction == .lowerIsBetter) ? .better : .worse
        }
    }
}

/// The overall infrastructure level of a trust or site.
public struct OverallGrade: Codable, Sendable, Equatable {
    public var status: GradeStatus
    public var level: Int?
    public var score: Double?
    /// How many indicators were graded.
    public var graded: Int
    public var reason: String
}

/// Count of completed logons with a duration in `[lowerSeconds, upperSeconds)`; `upperSeconds` nil for the last bin.
public struct HistogramBin: Codable, Sendable, Equatable {
    public var lowerSeconds: Double
    public var upperSeconds: Double?
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case lowerSeconds = "lower_seconds"
        case upperSeconds = "upper_seconds"
        case count
    }
}

/// Logon and boot figures for one week; percentiles are nil when the week has fewer than the minimum observations.
public struct WeeklyPoint: Codable, Sendable, Equatable {
    public var range: ReportRange
    /// True for a week of the previous period.
    public var previousPeriod: Bool
    public var logonN: Int
    public var logonP50Seconds: Double?
    public var logonP90Seconds: Double?
    public var bootN: Int
    public var bootP90Seconds: Double?

    enum CodingKeys: String, CodingKey {
        case range
        case previousPeriod = "previous_period"
        case logonN = "logon_n"
        case logonP50Seconds = "logon_p50_seconds"
        case logonP90Seconds = "logon_p90_seconds"
        case bootN = "boot_n"
        case bootP90Seconds = "boot_p90_seconds"
    }
}
