import Testing
@testable import DeskReadyReporting

@Suite("Text and CSV renderers")
struct TextAndCSVRendererTests {
    let report: GradedReport

    init() throws { report = try ReportFixtures.report() }

    @Test("Text: model, periods, overall level, every indicator with level and reason, and the site matrix")
    func text() throws {
        let text = GradedTextRenderer().render(report)
        #expect(text.contains("model deskready-workstation-readiness 1.2.0"))
        #expect(text.contains("Period \(report.period.start) to \(report.period.end), compared with \(report.previousPeriod.start) to \(report.previousPeriod.end)"))
        let trust = try #require(report.trusts.first)
        #expect(text.contains("Trust RXX: overall level \(try #require(trust.overall.level)) of 5"))
        for indicator in trust.indicators {
            #expect(text.contains(indicator.reason))
        }
        #expect(text.contains("slowest app start p90 60 s (pacs-viewer); level 2 needs 40 s or less"))
        #expect(text.contains(GradedTextRenderer.logonDefinition))
        let lost = try #require(trust.statistics.staffTimeLost)
        let staffLine = try #require(text.split(separator: "\n").first { $0.contains("Staff time lost:") })
        #expect(staffLine.contains("\(ValueFormat.oneDecimal(lost.beyondTargetHoursPerWeek)) h a week waited beyond target"))
        #expect(text.range(of: "Staff time lost:")!.lowerBound < text.range(of: trust.indicators[0].reason)!.lowerBound, "staff time lost comes first")
        #expect(text.contains(lost.assumptions))
        let siteRow = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("RXX03") })
        #expect(siteRow.contains("n/a"))
        #expect(GradedTextRenderer().render(GradedReport(
            schemaVersion: 1, generatedAt: report.generatedAt, model: report.model, period: report.period,
            previousPeriod: report.previousPeriod, indicators: report.indicators, trusts: [])).contains("No trusts have stored data."))
    }

    @Test("CSV: a header, then one row per trust, site and indicator plus an overall row each")
    func csv() throws {
        let rows = CSVTestParser.parse(CSVReportRenderer().render(report))
        let header = try #require(rows.first)
        #expect(header == CSVReportRenderer.header)
        let trust = try #require(report.trusts.first)
        let units = 1 + trust.sites.count
        let withStaffTime = ([trust] + trust.sites).filter { $0.statistics.staffTimeLost != nil }.count
        #expect(rows.count == 1 + units * (report.indicators.count + 1) + 2 * withStaffTime)
        #expect(rows.allSatisfy { $0.count == header.count })
        func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
        let lost = try #require(trust.statistics.staffTimeLost)
        let staffRow = try #require(rows.first { column("site", $0) == "" && column("indicator", $0) == "staff_time_beyond_target" })
        #expect(rows.firstIndex(of: staffRow) == 1, "staff time lost leads the trust's rows")
        #expect(column("value", staffRow) == CSVField.number(lost.beyondTargetHoursPerWeek))
        #expect(column("reason", staffRow) == lost.assumptions)
        let logonRow = try #require(rows.first { column("site", $0) == "" && column("indicator", $0) == "logon_p90" })
        let logon = try #require(trust.indicator("logon_p90"))
        #expect(column("reason", logonRow) == logon.reason)
        #expect(column("level", logonRow) == logon.level.map(String.init))
        #expect(column("model_id", logonRow) == "deskready-workstation-readiness")
        #expect(column("model_version", logonRow) == "1.2.0")
        let tinyRow = try #require(rows.first { column("site", $0) == "RXX03" && column("indicator", $0) == "logon_p90" })
        #expect(column("status", tinyRow) == "insufficient_data")
        #expect(column("value", tinyRow) == "")
        #expect(column("level", tinyRow) == "")
        let overall = try #require(rows.first { column("site", $0) == "" && column("indicator", $0) == "overall" })
        #expect(column("level", overall) == trust.overall.level.map(String.init))
    }

    @Test("CSV quoting: commas, quotes and line breaks are quoted; formulas are defused")
    func quoting() {
        #expect(CSVField.text("plain") == "plain")
        #expect(CSVField.text("a, b") == "\"a, b\"")
        #expect(CSVField.text("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.text("two\nlines") == "\"two\nlines\"")
        #expect(CSVField.text("two\r\nlines") == "\"two\r\nlines\"")
        #expect(CSVField.text("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVField.text("-5") == "-5")
        let row = ["a, b", "say \"hi\"", "two\nlines", ""].map(CSVField.text).joined(separator: ",") + "\r\n"
        #expect(CSVTestParser.parse(row) == [["a, b", "say \"hi\"", "two\nlines", ""]])
    }
}

/// A strict RFC 4180 reader, independent of the renderer, to check what a spreadsheet would see.
enum CSVTestParser {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append(characters.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" && characters.first == "\n" {
                characters.removeFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }
}
