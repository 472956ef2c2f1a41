/// The formats `deskready report` writes, each rendering the whole `GradedReport`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, html, json, csv, fhir

    /// The report as UTF-8 text in this format.
    public func render(_ report: GradedReport) throws -> String {
        switch self {
        case .text: GradedTextRenderer().render(report)
        case .html: HTMLReportRenderer().render(report)
        case .json: try GradedJSONRenderer().render(report)
        case .csv: CSVReportRenderer().render(report)
        case .fhir: try FHIRReportRenderer().render(report)
        }
    }
}
