import DeskReadyModel
import DeskReadyStore
import Foundation

/// A trust's indicators frozen for a period under a name: what `deskready baseline save` stores and a later report
/// shows beside its own period. Graded under the model of its day, whose id and version it keeps.
public struct BaselineSnapshot: Codable, Sendable, Equatable {
    public var trust: String
    public var name: String
    public var savedAt: String
    public var period: ReportRange
    public var model: ModelReference
    public var overall: OverallGrade
    /// Each indicator's grade, by indicator id.
    public var indicators: [String: IndicatorGrade]

    enum CodingKeys: String, CodingKey {
        case trust, name
        case savedAt = "saved_at"
        case period, model, overall, indicators
    }

    /// The snapshot of one trust of a report.
    public init(name: String, trust: GradedTrust, report: GradedReport, savedAtMs: Int64) {
        self.trust = trust.trust
        self.name = name
        savedAt = CivilDay.dateTime(savedAtMs)
        period = report.period
        model = report.model
        overall = trust.overall
        indicators = Dictionary(uniqueKeysWithValues: trust.indicators.map { ($0.id, $0.current) })
    }

    /// The stored form.
    public func stored(savedAtMs: Int64) throws -> StoredBaseline {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return StoredBaseline(trust: trust, name: name, savedAtMs: savedAtMs, fromMs: period.fromMs, toMs: period.toMs,
                              document: try encoder.encode(self))
    }

    /// Reads a stored baseline.
    public init(_ stored: StoredBaseline) throws {
        do {
            self = try JSONDecoder().decode(BaselineSnapshot.self, from: stored.document)
        } catch {
            throw StoreError("baseline '\(stored.name)' of \(stored.trust) cannot be read (\(error)); delete it and save it again")
        }
    }
}

/// Which saved baseline a trust's report is compared with.
public struct BaselineReference: Codable, Sendable, Equatable {
    public var name: String
    public var savedAt: String
    public var period: ReportRange
    public var modelId: String
    public var modelVersion: String
    public var overall: OverallGrade

    enum CodingKeys: String, CodingKey {
        case name
        case savedAt = "saved_at"
        case period
        case modelId = "model_id"
        case modelVersion = "model_version"
        case overall
    }
}
