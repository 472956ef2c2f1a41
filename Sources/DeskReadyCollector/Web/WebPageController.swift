import DeskReadyModel
import Foundation
import Hummingbird

/// The pages for people: `/` (their trusts), a trust's graded report with its period picker, baselines, downloads and
/// sites, a site's report, the downloads themselves, and the stylesheet. Every refusal and report view is audited;
/// rendering is bounded by the same `ReportLimiter` as the API.
struct WebPageController {
    let store: any WebAccessStore & CollectorStore
    let pages: any WebReportPages
    let settings: WebSettings
    let limiter: ReportLimiter
    let audit: AuditLog
    let retryAfterSeconds: Int

    static let downloadFormats = ["json", "csv", "fhir"]

    func addRoutes(to group: RouterGroup<CollectorRequestContext>) {
        group.get("/", use: index)
        group.get("/web/style.css", use: stylesheet)
        group.get("/web/trusts/:ods", use: trust)
        group.get("/web/trusts/:ods/sites/:site", use: site)
        group.get("/web/trusts/:ods/download", use: download)
    }

    @Sendable func stylesheet(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "private, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: pages.stylesheet + "\n" + WebPage.css)))
    }

    @Sendable func index(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard let user = context.webUser else { return WebPage.redirect("/web/sign-in") }
        guard user.hasAccess else {
            audit.record("web.refused", actor: user.auditName, trust: nil, details: ["reason": "no mapping"])
            let body = """
                <h1>You have no trusts to see yet</h1>
                <p class="notice">You are signed in as <strong>\(WebPage.escape(user.session.user))</strong>, but this collector has not been told which trusts' reports you may read.</p>
                <p>Ask \(WebPage.escape(settings.adminContact)) to give you access. They can run <code>deskready user add --email \(WebPage.escape(user.session.user)) --trust ODS --role reader</code> (ODS: your trust's code). Then reload this page.</p>

                """
            return WebPage.response(.forbidden, title: "No access yet", user: user, body: body)
        }
        let known = try await store.trusts()
        let readable = known.filter { user.mayRead($0.ods) }
        let nowMs = WallClock.nowMs()
        let period = try ReportPeriod.parse(from: nil, to: nil, rules: ReportQuery.Rules(formats: ["html"]), nowMs: nowMs)
        let pages = self.pages
        let codes = user.isAdmin ? nil : readable.map(\.ods)
        let overviews = try await bounded(context) { try await pages.overviews(trusts: codes, period: period) }
        let byCode = Dictionary(overviews.map { ($0.ods, $0) }, uniquingKeysWith: { first, _ in first })
        var body = "<h1>Your trusts</h1>\n<p>Overall level over the last 28 days (\(CivilDay.format(period.fromMs)) to \(CivilDay.format(period.toMs - UTCTime.dayMs))). Open a trust for its full report.</p>\n"
        if readable.isEmpty {
            body += "<p class=\"notice\">The trusts you may read are not set up on this collector yet.</p>\n"
        } else {
            body += "<table class=\"trusts\">\n<caption class=\"hint\">Trusts you may read</caption>\n<thead><tr><th scope=\"col\">Trust</th><th scope=\"col\">Overall level</th><th scope=\"col\">Newest data</th></tr></thead>\n<tbody>\n"
            for trust in readable {
                let overview = byCode[trust.ods]
                let level = overview?.level
                body += "<tr><th scope=\"row\"><a href=\"/web/trusts/\(WebPage.escape(trust.ods))\">\(WebPage.escape(trust.name)) (\(WebPage.escape(trust.ods)))</a></th>"
                body += "<td><span class=\"pill level-\(level ?? 0)\">\(level.map(String.init) ?? "–")</span> \(WebPage.escape(overview?.summary ?? "No data yet"))</td>"
                body += "<td>\(WebPage.escape(overview?.newestDataAt ?? "none"))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        audit.record("web.index", actor: user.auditName, trust: nil, details: ["trusts": readable.map(\.ods).joined(separator: ",")])
        return WebPage.response(title: "Your trusts", user: user, body: body)
    }

    @Sendable func trust(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        try await reportPage(request, context: context, site: nil)
    }

    @Sendable func site(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let site = try context.parameters.require("site")
        guard !site.isEmpty, site.utf8.count <= 64, !site.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw WebError(.badRequest, "Not a site", "'\(ReportQuery.printable(site))' is not a site code; follow a site link on the trust's page.")
        }
        return try await reportPage(request, context: context, site: site)
    }

    private func reportPage(_ request: Request, context: CollectorRequestContext, site: String?) async throws -> Response {
        let (user, ods) = try await authorise(request, context: context)
        let form = PeriodForm(request: request)
        let baselines = try await store.baselines(trust: ods).map(\.name)
        let path = "/web/trusts/\(ods)" + (site.map { "/sites/" + WebPage.query($0) } ?? "")
        let title = site.map { "Site \($0), trust \(ods)" } ?? "Trust \(ods)"
        var body = "<h1>\(WebPage.escape(title))</h1>\n<p><a href=\"/\">Your trusts</a>\(site == nil ? "" : " · <a href=\"/web/trusts/\(ods)\(form.queryString)\">Trust \(ods)</a>")</p>\n"
        let query: ReportQuery
        do {
            query = try await form.query(trust: ods, format: "html", store: store, formats: pages.formats, baselines: baselines)
        } catch let error as ReportQueryError {
            body += form.picker(action: path, baselines: baselines, problem: error)
            return WebPage.response(.badRequest, title: title, user: user, body: body)
        }
        audit.record("report.read", actor: user.auditName, trust: ods, details: [
            "format": "html", "from": CivilDay.format(query.period.fromMs), "to": CivilDay.format(query.period.toMs),
            "baseline": query.baseline ?? "-", "site": site ?? "-", "channel": "web",
        ])
        let pages = self.pages
        guard let report = try await bounded(context, { try await pages.page(query, site: site) }) else {
            throw WebError(.notFound, "No such site", "Trust \(ods) has no site '\(ReportQuery.printable(site ?? ""))' with data from \(CivilDay.format(query.period.fromMs)) to \(CivilDay.format(query.period.toMs)). Pick a site on the trust's page.")
        }
        body += form.picker(action: path, baselines: baselines, problem: nil)
        if site == nil {
            body += "<h2>Download this report</h2>\n<ul class=\"downloads\">\n"
            for format in Self.downloadFormats {
                body += "<li><a href=\"/web/trusts/\(ods)/download?format=\(format)\(form.queryString.replacingOccurrences(of: "?", with: "&"))\" download>\(format.uppercased())</a></li>\n"
            }
            body += "</ul>\n"
            if !report.sites.isEmpty {
                body += "<h2>Sites</h2>\n<ul class=\"sitelist\">\n"
                for name in report.sites {
                    body += "<li><a href=\"/web/trusts/\(ods)/sites/\(WebPage.query(name))\(form.queryString)\">Site \(WebPage.escape(name))</a></li>\n"
                }
                body += "</ul>\n"
            }
        }
        body += report.html
        return WebPage.response(title: title, user: user, body: body)
    }

    @Sendable func download(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let (user, ods) = try await authorise(request, context: context)
        let form = PeriodForm(request: request)
        let format = request.uri.queryParameters.get("format") ?? "json"
        guard Self.downloadFormats.contains(format) else {
            throw WebError(.badRequest, "Not a download format", "'\(ReportQuery.printable(format))' is not offered; download JSON, CSV or FHIR from the trust's page.")
        }
        let query: ReportQuery
        do {
            query = try await form.query(trust: ods, format: format, store: store, formats: pages.formats, baselines: try await store.baselines(trust: ods).map(\.name))
        } catch let error as ReportQueryError {
            throw WebError(.badRequest, "Invalid report period", error.message)
        }
        audit.record("report.read", actor: user.auditName, trust: ods, details: [
            "format": format, "from": CivilDay.format(query.period.fromMs), "to": CivilDay.format(query.period.toMs),
            "baseline": query.baseline ?? "-", "channel": "web",
        ])
        let pages = self.pages
        let rendered = try await bounded(context) { try await pages.render(query) }
        let name = "deskready-\(ods)-\(CivilDay.format(query.period.fromMs))-\(CivilDay.format(query.period.toMs)).\(format == "fhir" ? "fhir.json" : format)"
        return Response(status: .ok, headers: [.contentType: rendered.contentType, .contentDisposition: "attachment; filename=\"\(name)\""],
                         body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
    }

    /// The signed-in user and the trust in the path, when they may read it; otherwise a page that says why.
    private func authorise(_ request: Request, context: CollectorRequestContext) async throws -> (WebUser, String) {
        guard let user = context.webUser else {
            throw WebError(.unauthorized, "Please sign in", "Your session has ended or you have not signed in yet. Sign in, then open the trust again.")
        }
        let ods = try context.parameters.require("ods")
        guard ODSCode.isValidTrust(ods) else {
            throw WebError(.badRequest, "Not a trust code", "'\(ReportQuery.printable(ods))' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX).")
        }
        guard user.mayRead(ods) else {
            audit.record("web.refused", actor: user.auditName, trust: ods, details: ["reason": "not this user's trust", "path": request.uri.path])
            AccessLog.refused(context, request, "web user \(user.session.user) asked for trust \(ods)")
            throw WebError(.forbidden, "Not your trust", "You may not see trust \(ods)'s reports. If you should, ask \(settings.adminContact) to give you access.")
        }
        guard try await store.trusts().contains(where: { $0.ods == ods }) else {
            throw WebError(.notFound, "Trust not set up", "Trust \(ods) is not set up on this collector yet.")
        }
        return (user, ods)
    }

    /// Runs report work in a slot of the shared limiter; busy and too slow become pages that say so.
    private func bounded<T: Sendable>(_ context: CollectorRequestContext, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await limiter.run(work)
        } catch ReportLimiter.Refusal.busy {
            throw WebError(.serviceUnavailable, "Busy", "\(limiter.capacity) reports are being prepared already. Reload the page in \(retryAfterSeconds) seconds.")
        } catch ReportLimiter.Refusal.timedOut {
            context.logger.warning("web report cancelled at its time limit", metadata: ["limit": "\(limiter.timeLimit)"])
            throw WebError(.serviceUnavailable, "Report took too long", "The report ran past the collector's limit of \(limiter.timeLimit). Pick a shorter period or try again later.")
        }
    }
}
