import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Testing
@testable import DeskReadyReporting

@Suite("Graded report")
struct GradedReportTests {
    let report: GradedReport
    let trust: GradedTrust

    init() throws {
        report = try ReportFixtures.report()
        trust = try #require(report.trusts.first)
    }

    /// Every duration of one kind and site (nil for all) in the fixtures' current or previous period.
    func durations(_ kind: EventKind, site: String? = nil, previous: Bool = false) -> [Int64] {
        ReportFixtures.rawWeeks.filter { $0.previous == previous }.flatMap(\.series)
            .filter { $0.series.kind == kind && (site == nil || $0.series.site == site) }.flatMap(\.durations)
    }

    func seconds(_ ms: Int64?) -> Double? { ms.map { Double($0) / 1000 } }

    /// Equal within the histograms' precision (three significant digits).
    func close(_ value: Double?, _ exact: Double?) -> Bool {
        guard let value, let exact else { return value == nil && exact == nil }
        return abs(value - exact) <= exact * 0.001 + 0.0011
    }

    @Test("Model, period and previous period of equal length appear in the report")
    func identifiesModelAndPeriods() {
        #expect(report.model.id == "deskready-workstation-readiness")
        #expect(report.model.version == "1.2.0")
        #expect(report.period.toMs - report.period.fromMs == report.previousPeriod.toMs - report.previousPeriod.fromMs)
        #expect(report.previousPeriod.toMs == report.period.fromMs)
        #expect(report.indicators.map(\.id) == trust.indicators.map(\.id))
        #expect(report.trusts.map(\.trust) == ["RXX"])
    }

    @Test("Each indicator of the trust is measured from the data and graded with its reason")
    func trustIndicators() throws {
        let logon = try #require(trust.indicator("logon_p90"))
        let expectedP90 = try #require(seconds(ExactPercentiles(durations(.logon)).value(90)))
        #expect(close(logon.value, expectedP90))
        #expect(logon.n == durations(.logon).count)
        #expect(logon.level == IndicatorGrader.level(expectedP90, try ReportFixtures.model().indicators[0]))
        #expect(logon.reason.hasPrefix("logon p90 \(ValueFormat.seconds(expectedP90)); "))

        let incomplete = try #require(trust.indicator("logon_incomplete"))
        #expect(incomplete.n == durations(.logon).count + 1)
        #expect(incomplete.level == 4)

        let app = try #require(trust.indicator("app_start_p90"))
        #expect(app.detail == "pacs-viewer")
        #expect(close(app.value, 60.002))
        #expect(app.level == 1)
        #expect(app.reason == "slowest app start p90 60 s (pacs-viewer); level 2 needs 40 s or less")

        let coverage = try #require(trust.indicator("coverage"))
        #expect(trust.devicesReporting == 10)
        #expect(trust.devicesKnown == 12)
        #expect(coverage.n == 12)
        #expect(coverage.value == 83.333)
        #expect(coverage.level == 3)
        #expect(trust.overall.status == .graded)
        #expect(trust.overall.graded == 7)
    }

    @Test("Sites are graded alike; small ones are insufficient data with nothing to identify them")
    func sites() throws {
        #expect(trust.sites.map(\.site) == ["RXX01", "RXX02", "RXX03"])
        let healthy = trust.sites[0]
        #expect(close(healthy.indicator("logon_p90")?.value, seconds(ExactPercentiles(durations(.logon, site: "RXX01")).value(90))))
        #expect(healthy.indicator("coverage")?.status == .notAvailable)
        #expect(healthy.devicesKnown == nil)
        #expect(healthy.weekly.isEmpty)
        let slow = trust.sites[1]
        #expect(slow.indicator("logon_within_target")?.value == 0)
        #expect(slow.indicator("logon_within_target")?.level == 1)
        let tiny = trust.sites[2]
        let logon = try #require(tiny.indicator("logon_p90"))
        #expect(logon.status == .insufficientData)
        #expect(logon.value == nil && logon.level == nil && logon.score == nil)
        #expect(logon.n == 3)
        #expect(tiny.overall.status == .insufficientData)
        #expect(tiny.statistics.logon.timing.count == 3)
        #expect(tiny.statistics.logon.timing.p50Ms == nil, "percentiles of a group under the minimum are left out")
        #expect(tiny.statistics.logon.phaseMediansMs.isEmpty)
        #expect(tiny.logonDistribution.isEmpty)
        #expect(close(slow.statistics.applications.first?.timing.p90Ms.map { Double($0) }, 60_002))
    }

    @Test("The previous period is graded beside the current one, with the change")
    func previousPeriod() throws {
        let site = trust.sites[0]
        let logon = try #require(site.indicator("logon_p90"))
        let before = try #require(seconds(ExactPercentiles(durations(.logon, site: "RXX01", previous: true)).value(90)))
        #expect(logon.previous.status == .graded)
        #expect(close(logon.previous.value, before))
        #expect(logon.previous.n == 20)
        #expect(logon.change.value == Rounding.value(try #require(logon.value) - (try #require(logon.previous.value))))
        #expect(logon.change.trend == .better)
        #expect(logon.change.level == (logon.level ?? 0) - (logon.previous.level ?? 0))
        let boot = try #require(site.indicator("boot_p90"))
        #expect(boot.previous.status == .insufficientData)
        #expect(boot.change.trend == .notComparable)
        // Previously only RXX01's 5 devices reported: 5 of the 12 known now.
        #expect(trust.indicator("coverage")?.previous.value == 41.667)
        #expect(trust.indicator("coverage")?.previous.level == 1)
        // Previous levels: logon p90 3, within target 1, incomplete 5, coverage 1 -> median 1.
        #expect(trust.previousOverall.graded == 4)
        #expect(trust.previousOverall.level == 1)
    }

    @Test("Weekly trend over both periods and the logon distribution")
    func weeklyAndDistribution() {
        #expect(trust.weekly.count == 8)
        #expect(trust.weekly.map(\.previousPeriod) == [true, true, true, true, false, false, false, false])
        #expect(trust.weekly.map(\.logonN) == [0, 0, 0, 20, 25, 25, 25, 28])
        #expect(trust.weekly[0].logonP90Seconds == nil)
        #expect(close(trust.weekly[3].logonP90Seconds, seconds(ExactPercentiles(durations(.logon, site: "RXX01", previous: true)).value(90))))
        #expect(trust.weekly[4].bootN == 10)
        #expect(trust.logonDistribution.count == 13)
        #expect(trust.logonDistribution.reduce(0) { $0 + $1.count } == durations(.logon).count)
        #expect(trust.logonDistribution.last?.upperSeconds == nil)
        #expect(trust.logonDistribution.first?.upperSeconds == 10)
    }

    @Test("Weeks split a period from its start; the last may be short")
    func weekWindows() {
        let weeks = WeekWindows.split(fromMs: 0, toMs: 10 * ReportFixtures.dayMs)
        #expect(weeks.map(\.fromMs) == [0, 7 * ReportFixtures.dayMs])
        #expect(weeks.last?.toMs == 10 * ReportFixtures.dayMs)
    }
}
