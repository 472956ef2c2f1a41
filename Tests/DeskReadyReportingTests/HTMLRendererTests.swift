import DeskReadyCollector
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

@Suite("HTML renderer")
struct HTMLRendererTests {
    let report: GradedReport
    let html: String

    init() throws {
        report = try ReportFixtures.report()
        html = HTMLReportRenderer().render(report)
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("One self-contained page: no scripts, no external resources")
    func selfContained() {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        for forbidden in ["<script", "src=", "href=", "url(", "@import", "http://", "https://", "<link", "<img", "<iframe"] {
            #expect(!html.contains(forbidden), "the page must need nothing from elsewhere: found \(forbidden)")
        }
    }

    @Test("Headline level, model, indicator table with levels and reasons, and the four kinds of chart")
    func content() throws {
        let trust = try #require(report.trusts.first)
        #expect(html.contains("Infrastructure level \(try #require(trust.overall.level)) of 5"))
        #expect(html.contains("deskready-workstation-readiness 1.2.0"))
        for indicator in trust.indicators {
            #expect(html.contains(HTMLText.escape(indicator.reason)))
        }
        for title in ["Logon time distribution", "Weekly trend of logon times", "Where logon time goes, by site",
                      "Logon p90 by site", "Boot p90 by site", "Slowest app start p90 by site"] {
            #expect(html.contains("<figcaption>\(title)</figcaption>"))
        }
        #expect(count("<svg", in: html) == 6)
        #expect(count("<svg", in: html) == count("</svg>", in: html))
        #expect(html.contains("Levels by site"))
        #expect(html.contains(">RXX03<"))
    }

    @Test("Text from the data is escaped")
    func escaping() throws {
        var hostile = report
        hostile.trusts[0].indicators[4].reason = "slowest app start p90 60 s (<script>alert(1)</script>)"
        hostile.trusts[0].sites[0].statistics.logon.phaseMediansMs = ["authentication": 1_000]
        let page = HTMLReportRenderer().render(hostile)
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("Charts say so when there is too little data")
    func emptyCharts() {
        #expect(DistributionChart(bins: [], targetSeconds: 60, periodLabel: "p").render().contains("insufficient data"))
        #expect(WeeklyTrendChart(points: [], bands: [], minimumObservations: 10).render().contains("insufficient data"))
        #expect(PhaseBreakdownChart(rows: [("All sites", [:])]).render().contains("insufficient data"))
    }

    @Test("Headless Chromium loads the page, and the charts are in its DOM",
          .enabled(if: ExternalTool.chromium != nil, "chromium is not installed (apt-get install chromium), so the page isn't loaded in a browser"))
    func inChromium() async throws {
        let chromium = try #require(ExternalTool.chromium)
        let dir = try TemporaryDirectory("deskready-html")
        defer { dir.remove() }
        try html.write(toFile: dir.file("report.html"), atomically: true, encoding: .utf8)
        let result = try await ExternalTool.run(chromium, [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--user-data-dir=\(dir.file("profile"))",
            "--enable-logging=stderr", "--dump-dom", "file://\(dir.file("report.html"))",
        ])
        #expect(result.status == 0, "chromium failed: \(result.stderr.suffix(2000))")
        let dom = result.stdout
        #expect(count("<svg", in: dom) == 6, "the DOM has \(count("<svg", in: dom)) svg elements")
        #expect(dom.contains("Infrastructure level"))
        #expect(dom.contains("<rect"), "the charts have bars")
        #expect(dom.contains("<path d=\"M"), "the trend has a line")
        #expect(!result.stderr.contains("CONSOLE"), "the page logged to the console: \(result.stderr.suffix(2000))")
    }
}
