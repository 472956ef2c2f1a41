import DeskReadyStore
import DeskReadyModel
import Foundation

/// The device table IT ops read (`GET /v1/trusts/{ods}/devices`, `deskready device table`): each device's site,
/// model, OS, disk kind, memory, agent version, last seen, and logon and boot p90 over the period, filtered to silent
/// devices, hard disks or unsupported OS. Devices are not people: no small-number suppression, and no user appears.
extension TrustReportService: DeviceTableRendering {
    public func renderDevices(_ query: DeviceTableQuery) async throws -> RenderedReport {
        guard let devices = store as? any DeviceTableStore else {
            throw ReportQueryError(field: "ods", "this collector's store cannot list devices")
        }
        let rows = DeviceTable(model: model).filter(try await devices.deviceRows(trust: query.trust, fromMs: query.fromMs, toMs: query.toMs), query)
        switch query.format {
        case "csv": return RenderedReport(contentType: "text/csv; charset=utf-8", body: DeviceTable.csv(rows))
        case "json": return RenderedReport(contentType: "application/json", body: try DeviceTable.json(rows, query))
        default: throw ReportQueryError(field: "format", "'\(query.format)' is not a device table format; use json or csv")
        }
    }
}

/// Filters and renders device rows.
public struct DeviceTable: Sendable {
    public var model: MaturityModel

    public init(model: MaturityModel) { self.model = model }

    /// The rows the query's filters keep (all of them, without filters).
    public func filter(_ rows: [DeviceRow], _ query: DeviceTableQuery) -> [DeviceRow] {
        rows.filter { row in
            if let days = query.silentDays, row.lastSeenMs > query.toMs - Int64(days) * UTCTime.dayMs { return false }
            if query.hardDisks && row.systemDisk != "hdd" { return false }
            if query.unsupportedOS && model.supportedOS.supports(osId: row.osId, osVersion: row.osVersion) { return false }
            return true
        }
    }

    /// The CSV columns, in order.
    public static let csvHeader = ["device_id", "site", "vendor", "model", "os_id", "os_version", "os_name", "system_disk", "memory_mb",
                                   "agent_version", "last_seen", "logons", "logon_p90_s", "boots", "boot_p90_s"]

    /// RFC 4180 CSV with CRLF line ends; seconds to one decimal; last seen as ISO 8601 UTC.
    public static func csv(_ rows: [DeviceRow]) -> String {
        func seconds(_ ms: Int64?) -> String { ms.map { ValueFormat.oneDecimal(Double($0) / 1000) } ?? "" }
        let lines = [csvHeader.map(CSVField.text).joined(separator: ",")] + rows.map { row in
            [row.deviceId, row.site, row.vendor ?? "", row.model ?? "", row.osId ?? "", row.osVersion ?? "", row.osName ?? "",
             row.systemDisk ?? "", row.memoryMB.map(String.init) ?? "", row.agentVersion ?? "", CivilDay.dateTime(row.lastSeenMs),
             String(row.logons), seconds(row.logonP90Ms), String(row.boots), seconds(row.bootP90Ms)].map(CSVField.text).joined(separator: ",")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// JSON: the trust, the period, the filters and the devices.
    public static func json(_ rows: [DeviceRow], _ query: DeviceTableQuery) throws -> String {
        let document = Document(
            trust: query.trust, from: CivilDay.format(query.fromMs), to: CivilDay.format(query.toMs),
            filters: Filters(silentDays: query.silentDays, hardDisks: query.hardDisks, unsupportedOS: query.unsupportedOS), devices: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        var trust: String
        var from: String
        var to: String
        var filters: Filters
        var devices: [DeviceRow]
    }

    struct Filters: Encodable {
        var silentDays: Int?
        var hardDisks: Bool
        var unsupportedOS: Bool

        enum CodingKeys: String, CodingKey {
            case silentDays = "silent_days"
            case hardDisks = "hard_disks"
            case unsupportedOS = "unsupported_os"
        }
    }
}
