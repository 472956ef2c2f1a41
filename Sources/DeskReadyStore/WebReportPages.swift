import DeskReadyModel

/// What the web pages need from the reporting module beyond `ReportRendering`: each trust's headline for the index,
/// a trust's or a site's graded report as a fragment of a page, and the report's stylesheet. The reporting module
/// provides it; the web front authenticates, authorises, bounds and frames what it returns.
public protocol WebReportPages: ReportRendering {
    /// The headline of each trust in `trusts` (nil: every trust) over `period`.
    func overviews(trusts: [String]?, period: ReportPeriod) async throws -> [TrustOverview]
    /// The graded report of `query.trust`, or of its site `site`, as HTML to put inside `main`; nil when the trust has
    /// no such site in the period.
    func page(_ query: ReportQuery, site: String?) async throws -> WebReportPage?
    /// The report's CSS, served from `/web/style.css` under a CSP that allows no inline styles.
    var stylesheet: String { get }
}

/// A trust's overall level and newest data, for the index page.
public struct TrustOverview: Sendable, Equatable {
    public var ods: String
    public var level: Int?
    /// The level in words ("Level 3 of 5" or "Not enough data for an overall level").
    public var summary: String
    public var newestDataAt: String?

    public init(ods: String, level: Int?, summary: String, newestDataAt: String?) {
        self.ods = ods
        self.level = level
        self.summary = summary
        self.newestDataAt = newestDataAt
    }
}

/// A graded report as part of a page, and the sites it has, for links to their pages.
public struct WebReportPage: Sendable {
    public var html: String
    public var sites: [String]

    public init(html: String, sites: [String]) {
        self.html = html
        self.sites = sites
    }
}
