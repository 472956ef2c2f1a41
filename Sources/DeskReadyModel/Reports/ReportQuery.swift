/// What a report is asked for: one trust (or every trust), a period of whole UTC days, a format, a saved baseline to
/// compare with and whether to show the peer median. The CLI (`deskready report`), the HTTP route
/// (`GET /v1/trusts/{ods}/report`) and the report service all build it with `ReportQuery.parse`, so the rules
/// (default 28 days, `from < to`, the longest period, no period after today, no day before the collector's first
/// data) live in one place and every violation is a `ReportQueryError` naming the field and what is allowed.
public struct ReportQuery: Sendable, Hashable {
    public var trust: String?
    public var period: ReportPeriod
    public var format: String
    public var baseline: String?
    public var peers: Bool

    public init(trust: String?, period: ReportPeriod, format: String, baseline: String? = nil, peers: Bool = true) {
        self.trust = trust
        self.period = period
        self.format = format
        self.baseline = baseline
        self.peers = peers
    }

    /// The limits a query is checked against.
    public struct Rules: Sendable, Hashable {
        /// The formats the renderer knows.
        public var formats: [String]
        /// Days in a period when `from` is not given.
        public var defaultDays: Int64 = 28
        /// The longest period, in days: a year and a month, what the daily aggregates are kept for by default.
        public var maxDays: Int64 = ReportPeriod.standardMaxDays
        /// Midnight UTC of the first day with stored data (nil: none yet). A period may not start before it, except
        /// that the default period is always allowed.
        public var firstDataDayMs: Int64?

        public init(formats: [String], defaultDays: Int64 = 28, maxDays: Int64 = ReportPeriod.standardMaxDays, firstDataDayMs: Int64? = nil) {
            self.formats = formats
            self.defaultDays = defaultDays
            self.maxDays = maxDays
            self.firstDataDayMs = firstDataDayMs
        }
    }

    /// Checks the raw values a user gave (nil: not given) and builds the query, or says what is wrong.
    public static func parse(
        trust: String?, from: String?, to: String?, format: String?, baseline: String?, peers: Bool = true,
        rules: Rules, nowMs: Int64
    ) throws(ReportQueryError) -> ReportQuery {
        if let trust, !ODSCode.isValidTrust(trust) {
            throw ReportQueryError(field: "trust", "'\(printable(trust))' is not a trust ODS code: 3 to 5 upper-case letters or digits, for example RXX")
        }
        let format = format ?? "json"
        guard rules.formats.contains(format) else {
            throw ReportQueryError(field: "format", "'\(printable(format))' is not a report format; use one of \(rules.formats.joined(separator: ", "))")
        }
        if let baseline, !BaselineName.isValid(baseline) {
            throw ReportQueryError(field: "baseline", "'\(printable(baseline))' is not a baseline name: 1 to 64 letters, digits, '-', '_' or '.'")
        }
        let period = try ReportPeriod.parse(from: from, to: to, rules: rules, nowMs: nowMs)
        return ReportQuery(trust: trust, period: period, format: format, baseline: baseline, peers: peers)
    }

    /// A user's text as it may be quoted back in a message: at most 64 characters, control characters replaced.
    public static func printable(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return cleaned.count > 64 ? String(cleaned.prefix(64)) + "…" : cleaned
    }
}

/// A report's period: `[fromMs, toMs)`, whole UTC days, never empty.
public struct ReportPeriod: Sendable, Hashable {
    /// The longest period by default: 400 days, a year with a month either side for trends and baselines.
    public static let standardMaxDays: Int64 = 400

    public let fromMs: Int64
    public let toMs: Int64

    /// A checked period; nil when it is empty or reversed.
    public init?(fromMs: Int64, toMs: Int64) {
        guard fromMs < toMs else { return nil }
        self.fromMs = fromMs
        self.toMs = toMs
    }

    /// The period of equal length that ends where this one starts.
    public var previous: ReportPeriod {
        ReportPeriod(unchecked: fromMs - (toMs - fromMs), toMs: fromMs)
    }

    public var days: Int64 { (toMs - fromMs + UTCTime.dayMs - 1) / UTCTime.dayMs }

    private init(unchecked fromMs: Int64, toMs: Int64) {
        self.fromMs = fromMs
        self.toMs = toMs
    }

    /// The period from `from` and `to` (`YYYY-MM-DD`, UTC; `to` is the day after the last). By default the last
    /// `defaultDays` days ending with today.
    public static func parse(from: String?, to: String?, rules: ReportQuery.Rules, nowMs: Int64) throws(ReportQueryError) -> ReportPeriod {
        let endOfToday = UTCTime.floorDay(nowMs) + UTCTime.dayMs
        let shown = { (ms: Int64) in CivilDay.format(ms) }
        // The earliest day a period may start: the trust's first stored day, or with no data yet, as far back as the
        // longest period reaches from today.
        let earliest = rules.firstDataDayMs ?? (endOfToday - rules.maxDays * UTCTime.dayMs)
        let toMs = try to.map { text throws(ReportQueryError) in try day(text, field: "to") } ?? endOfToday
        let fromMs: Int64
        if let from {
            fromMs = try day(from, field: "from")
        } else {
            // The default length, but never reaching before the earliest day.
            fromMs = max(toMs - rules.defaultDays * UTCTime.dayMs, min(earliest, toMs - UTCTime.dayMs))
        }
        guard fromMs < toMs else {
            if to == nil {
                throw ReportQueryError(field: "from", "from \(shown(fromMs)) is after today; a period must end by tomorrow (\(shown(endOfToday))), so pick a from of today or earlier")
            }
            throw ReportQueryError(field: "from", "from (\(shown(fromMs))) must be before to (\(shown(toMs))); to is the day after the last day of the period")
        }
        guard fromMs < endOfToday else {
            throw ReportQueryError(field: "from", "from \(shown(fromMs)) is after today; a period must start by today (\(shown(endOfToday - UTCTime.dayMs)))")
        }
        let days = (toMs - fromMs) / UTCTime.dayMs
        guard days <= rules.maxDays else {
            throw ReportQueryError(field: "from", "the period \(shown(fromMs)) to \(shown(toMs)) is \(days) days; at most \(rules.maxDays) are allowed, ask for a shorter one")
        }
        guard toMs <= endOfToday + rules.maxDays * UTCTime.dayMs else {
            throw ReportQueryError(field: "to", "to \(shown(toMs)) is too far in the future; use a day up to tomorrow (\(shown(endOfToday)))")
        }
        if (from != nil || to != nil), fromMs < earliest {
            let why = rules.firstDataDayMs == nil
                ? "this trust has no data yet, and a period may reach back at most \(rules.maxDays) days"
                : "that is the first day this collector holds data for this trust"
            throw ReportQueryError(field: from == nil ? "to" : "from", "the period may start no earlier than \(shown(earliest)): \(why)")
        }
        // Checked above: never empty.
        guard let period = ReportPeriod(fromMs: fromMs, toMs: toMs) else {
            throw ReportQueryError(field: "from", "from must be before to")
        }
        return period
    }

    private static func day(_ text: String, field: String) throws(ReportQueryError) -> Int64 {
        guard let ms = CivilDay.parse(text) else {
            throw ReportQueryError(field: field, "\(field) '\(ReportQuery.printable(text))' is not a date that exists; use YYYY-MM-DD, for example 2026-11-01")
        }
        return ms
    }
}

/// A report query a user got wrong: which field, and what is allowed instead.
public struct ReportQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The query parameter or CLI option at fault (`from`, `to`, `format`, `trust`, `baseline`).
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

/// The rule for a saved baseline's name, shared by the CLI, the HTTP route and the stores.
public enum BaselineName {
    /// 1 to 64 letters, digits, '-', '_' or '.'.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}
