import DeskReadyModel
import Hummingbird

/// The period picker of a report page: the raw `from`, `to` and `baseline` a browser sent (empty fields count as not
/// given), checked by `ReportQuery`'s rules, and the GET form that shows them again with any error beside its field.
struct PeriodForm: Sendable {
    var from: String?
    var to: String?
    var baseline: String?

    init(request: Request) {
        let parameters = request.uri.queryParameters
        let value = { (name: String) -> String? in
            guard let text = parameters.get(name), !text.isEmpty else { return nil }
            return text
        }
        from = value("from")
        to = value("to")
        baseline = value("baseline")
    }

    /// The query for `trust`, or the rule it breaks.
    func query(trust: String, format: String, store: any CollectorStore, formats: [String], baselines: [String]) async throws -> ReportQuery {
        let rules = ReportQuery.Rules(formats: formats, firstDataDayMs: try await store.firstDataDayMs(trust: trust))
        let query = try ReportQuery.parse(trust: trust, from: from, to: to, format: format, baseline: baseline, rules: rules, nowMs: WallClock.nowMs())
        if let baseline = query.baseline, !baselines.contains(baseline) {
            throw ReportQueryError(field: "baseline", "trust \(trust) has no baseline named '\(ReportQuery.printable(baseline))'; pick one from the list")
        }
        return query
    }

    /// `?from=…&to=…&baseline=…` for the values given, or "".
    var queryString: String {
        let pairs = [("from", from), ("to", to), ("baseline", baseline)].compactMap { name, value in value.map { "\(name)=\(WebPage.query($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// The picker, showing what was sent and, when `problem` is set, the error beside its field.
    func picker(action: String, baselines: [String], problem: ReportQueryError?) -> String {
        var out = ""
        if let problem {
            out += "<div class=\"problem\" role=\"alert\" id=\"period-problem\"><h2>The period could not be used</h2><p>\(WebPage.escape(problem.message))</p></div>\n"
        }
        let invalid = { (field: String) in problem?.field == field ? " aria-invalid=\"true\" aria-describedby=\"period-problem\"" : "" }
        out += "<form class=\"picker\" method=\"get\" action=\"\(WebPage.escape(action))\">\n"
        out += "<div><label for=\"from\">First day</label><input type=\"date\" id=\"from\" name=\"from\" value=\"\(WebPage.escape(from ?? ""))\"\(invalid("from"))></div>\n"
        out += "<div><label for=\"to\">Day after the last</label><input type=\"date\" id=\"to\" name=\"to\" value=\"\(WebPage.escape(to ?? ""))\"\(invalid("to"))></div>\n"
        out += "<div><label for=\"baseline\">Compare with baseline</label><select id=\"baseline\" name=\"baseline\"\(invalid("baseline"))>\n<option value=\"\">None</option>\n"
        for name in baselines {
            out += "<option value=\"\(WebPage.escape(name))\"\(name == baseline ? " selected" : "")>\(WebPage.escape(name))</option>\n"
        }
        out += "</select></div>\n<div><button type=\"submit\">Show report</button></div>\n"
        out += "<p class=\"hint\">Leave the days empty for the last 28 days. Days are UTC; a period is at most \(ReportPeriod.standardMaxDays) days.</p>\n</form>\n"
        return out
    }
}
