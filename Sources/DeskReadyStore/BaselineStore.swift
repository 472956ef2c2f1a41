import DeskReadyModel
import Foundation

/// Saved baselines: a trust's indicators frozen for a period under a name, kept unchanged however much data arrives
/// later. The store keeps the document as the reporting layer wrote it; it only knows its trust, name and period.
public protocol BaselineStore: Sendable {
    /// Saves a new baseline; a trust's baseline names are unique, and an existing one is never overwritten.
    func saveBaseline(_ baseline: StoredBaseline) async throws
    /// A trust's baselines, oldest first.
    func baselines(trust: String) async throws -> [StoredBaseline]
    /// Deletes one baseline; false when there was none of that name.
    func deleteBaseline(trust: String, name: String) async throws -> Bool
}

/// One saved baseline as stored.
public struct StoredBaseline: Sendable, Equatable {
    public var trust: String
    public var name: String
    public var savedAtMs: Int64
    public var fromMs: Int64
    public var toMs: Int64
    /// The frozen indicators, as JSON written by the reporting layer.
    public var document: Data

    public init(trust: String, name: String, savedAtMs: Int64, fromMs: Int64, toMs: Int64, document: Data) {
        self.trust = trust
        self.name = name
        self.savedAtMs = savedAtMs
        self.fromMs = fromMs
        self.toMs = toMs
        self.document = document
    }

    /// Baseline names: 1 to 64 letters, digits, '-', '_' and '.', so they are safe in URLs, files and CSV cells.
    public static func isValidName(_ name: String) -> Bool {
        BaselineName.isValid(name)
    }
}
