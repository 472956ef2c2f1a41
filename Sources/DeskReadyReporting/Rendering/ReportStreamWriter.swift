import Foundation

/// Writes a report of every trust one trust at a time, in the formats the national export serves (JSON, CSV, FHIR),
/// so memory stays flat whatever the number of trusts. The pieces joined are the same document the whole-report
/// renderers write (JSON and FHIR without the indentation, CSV byte for byte): `begin`, then `trust` for each trust,
/// then `end`.
public struct ReportStreamWriter: Sendable {
    public let format: ReportFormat

    /// The formats that can be written trust by trust.
    public static let formats: [ReportFormat] = [.json, .csv, .fhir]

    /// Nil for a format that is not streamed (text and HTML are for people reading one trust).
    public init?(format: ReportFormat) {
        guard Self.formats.contains(format) else { return nil }
        self.format = format
    }

    /// What comes before the first trust; `head` is the report with no trusts.
    public func begin(_ head: GradedReport) throws -> String {
        switch format {
        case .csv:
            return CSVReportRenderer.headerLine + "\r\n"
        case .fhir:
            let entries = try FHIRReportRenderer().measureEntries(head).map(Self.encode).joined(separator: ",")
            return "{\"entry\":[" + entries
        default:
            // Keys are sorted and `trusts` comes last: the document up to its opening bracket.
            let whole = try Self.encode(emptied(head))
            guard whole.hasSuffix("\"trusts\":[]}") else { throw EncodingError.invalidValue(head, .init(codingPath: [], debugDescription: "trusts is not the last key")) }
            return String(whole.dropLast(2))
        }
    }

    /// One trust and its sites; `index` counts from zero.
    public func trust(_ trust: GradedTrust, index: Int, head: GradedReport) throws -> String {
        switch format {
        case .csv:
            return CSVReportRenderer().rows(trust, report: head).map { $0 + "\r\n" }.joined()
        case .fhir:
            let renderer = FHIRReportRenderer()
            // The bundle always starts with the Measures, so every trust's entries follow a comma.
            return "," + (try renderer.trustEntries(trust, report: head, measure: renderer.modelMeasure(head)).map(Self.encode).joined(separator: ","))
        default:
            return (index == 0 ? "" : ",") + (try Self.encode(trust))
        }
    }

    /// What closes the document.
    public func end(_ head: GradedReport) throws -> String {
        switch format {
        case .csv:
            return ""
        case .fhir:
            // The bundle's other keys sort after `entry`.
            let whole = try Self.encode(FHIRReportRenderer().bundle(emptied(head)).withoutEntries)
            guard whole.hasPrefix("{\"entry\":[],") else { throw EncodingError.invalidValue(head, .init(codingPath: [], debugDescription: "entry is not the first key")) }
            return "]" + whole.dropFirst("{\"entry\":[]".count) + "\n"
        default:
            return "]}\n"
        }
    }

    private func emptied(_ head: GradedReport) -> GradedReport {
        var empty = head
        empty.trusts = []
        return empty
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension FHIRBundle {
    /// The bundle with no entries (its envelope).
    var withoutEntries: FHIRBundle {
        var bundle = self
        bundle.entry = []
        return bundle
    }
}
