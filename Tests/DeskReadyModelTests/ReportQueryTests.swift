import DeskReadyModel
import Testing

/// The one set of rules for a report's period and options, shared by the CLI, the HTTP route and the report service.
@Suite("Report query")
struct ReportQueryTests {
    // 2026-11-29T10:00:00Z
    let now: Int64 = (CivilDay.parse("2026-11-29") ?? 0) + 10 * UTCTime.hourMs
    let rules = ReportQuery.Rules(formats: ["json", "csv"], firstDataDayMs: CivilDay.parse("2026-01-01"))

    func parse(from: String? = nil, to: String? = nil, format: String? = nil, baseline: String? = nil) throws(ReportQueryError) -> ReportQuery {
        try ReportQuery.parse(trust: "RXX", from: from, to: to, format: format, baseline: baseline, rules: rules, nowMs: now)
    }

    @Test("By default the last 28 days ending with today, as JSON")
    func defaults() throws {
        let query = try parse()
        #expect(CivilDay.format(query.period.toMs) == "2026-11-30")
        #expect(CivilDay.format(query.period.fromMs) == "2026-11-02")
        #expect(query.format == "json")
        #expect(query.period.previous.toMs == query.period.fromMs)
    }

    @Test("A from after today alone is an error naming the last allowed day, never an empty period (the crash of issue 19)")
    func fromAfterToday() {
        for from in ["2026-11-30", "2026-12-25", "2099-01-01"] {
            let error = #expect(throws: ReportQueryError.self) { try parse(from: from) }
            #expect(error?.field == "from")
            #expect(error?.message.contains("after today") == true)
        }
        #expect(throws: Never.self) { try parse(from: "2026-11-29") }
    }

    @Test("Reversed, empty, too long, too far ahead and before the first data are errors that say what is allowed")
    func periodBounds() {
        #expect((try? parse(from: "2026-11-10", to: "2026-11-01")) == nil)
        #expect((try? parse(from: "2026-11-10", to: "2026-11-10")) == nil)
        let long = #expect(throws: ReportQueryError.self) { try parse(from: "2025-01-01", to: "2026-11-01") }
        #expect(long?.message.contains("at most 400") == true)
        let early = #expect(throws: ReportQueryError.self) { try parse(from: "2025-12-01", to: "2026-01-10") }
        #expect(early?.message.contains("2026-01-01") == true)
        let ancient = #expect(throws: ReportQueryError.self) { try parse(from: "0001-01-01", to: "2026-11-01") }
        #expect(ancient != nil)
        #expect((try? parse(to: "2030-01-01")) == nil)
        #expect(throws: Never.self) { try parse(from: "2026-01-01", to: "2026-11-30") }
    }

    @Test("A period given by its end alone starts 28 days before, or at the first data when that is later")
    func toAlone() throws {
        let query = try parse(to: "2026-01-15")
        #expect(CivilDay.format(query.period.fromMs) == "2026-01-01")
        let error = #expect(throws: ReportQueryError.self) { try parse(to: "1970-01-01") }
        #expect(error?.field == "to")
        var none = rules
        none.firstDataDayMs = nil
        let empty = #expect(throws: ReportQueryError.self) {
            try ReportQuery.parse(trust: "RXX", from: "2020-01-01", to: "2020-02-01", format: nil, baseline: nil, rules: none, nowMs: now)
        }
        #expect(empty?.message.contains("no data yet") == true)
        #expect(throws: Never.self) { try ReportQuery.parse(trust: "RXX", from: nil, to: nil, format: nil, baseline: nil, rules: none, nowMs: now) }
    }

    @Test("Dates that do not exist, and text that is not a date, are refused", arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-1-1", "2026-1-01", "+026-01-01", "-001-01-01", "2026-01-01T00:00", "", "yesterday",
    ])
    func impossibleDates(text: String) {
        let error = #expect(throws: ReportQueryError.self) { try parse(from: text) }
        #expect(error?.field == "from")
        #expect(error?.message.contains("YYYY-MM-DD") == true)
    }

    @Test("Leap days that exist are dates")
    func leapDays() throws {
        #expect(CivilDay.parse("2024-02-29") != nil)
        #expect(CivilDay.parse("2000-02-29") != nil)
        #expect(CivilDay.parse("1900-02-29") == nil)
        #expect(CivilDay.format(try #require(CivilDay.parse("2024-02-29"))) == "2024-02-29")
    }

    @Test("Unknown formats, bad baseline names and bad trust codes are refused, and control characters are never echoed")
    func options() {
        #expect((try? parse(format: "pdf")) == nil)
        #expect((try? parse(baseline: "a b")) == nil)
        let error = #expect(throws: ReportQueryError.self) { try parse(format: "x\u{0}\u{1b}[31m") }
        #expect(error?.message.unicodeScalars.contains { $0.value < 0x20 } == false)
        #expect(throws: ReportQueryError.self) {
            try ReportQuery.parse(trust: "rxx", from: nil, to: nil, format: nil, baseline: nil, rules: rules, nowMs: now)
        }
    }
}
