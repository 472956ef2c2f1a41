import DeskReadyModel

/// The collector's one seam to storage. The SQLite store implements it; a PostgreSQL store will follow for
/// deployments that outgrow one machine. Everything a route or a report needs from storage goes through here.
public protocol MeasurementStore: Sendable {
    /// Stores the accepted events of a batch in one transaction, exactly once: an event id (or a batch id) already
    /// stored for this trust is acknowledged as a duplicate and not stored again.
    func ingest(_ batch: ValidatedBatch) async throws -> BatchAcknowledgement

    /// Timing observations of one trust (or every trust when nil) that started in `[fromMs, toMs)`, grouped by
    /// trust, site, kind and name.
    func timingSeries(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [TimingSeries]

    /// The trusts that have stored data, by ODS code.
    func trustCodes() async throws -> [String]

    /// Counts of what is stored, for health and reports.
    func counts(trust: String?) async throws -> StoreCounts

    /// True when the store can take writes now.
    func isWritable() async -> Bool

    /// Bytes the store occupies on disk, when it knows.
    func databaseBytes() async -> Int64?
}

/// A batch that passed validation: the events to store and those refused one by one.
public struct ValidatedBatch: Sendable {
    public var batch: Batch
    /// Indices into `batch.events` of the events to store.
    public var acceptedIndices: [Int]
    public var rejected: [RejectedEvent]
    public var receivedAtMs: Int64

    public init(batch: Batch, acceptedIndices: [Int], rejected: [RejectedEvent], receivedAtMs: Int64) {
        self.batch = batch
        self.acceptedIndices = acceptedIndices
        self.rejected = rejected
        self.receivedAtMs = receivedAtMs
    }
}

/// The stored observations of one trust, site, kind and name.
public struct TimingSeries: Sendable, Equatable {
    public var trust: String
    public var site: String
    public var kind: EventKind
    public var name: String
    /// Durations of the successful observations (outcome `ok`), in milliseconds.
    public var durationsMs: [Int64]
    /// How many observations ended `failed`, `timeout` or `incomplete`.
    public var failures: Int
    public var incomplete: Int
    /// Durations of each named phase, in milliseconds.
    public var phasesMs: [String: [Int64]]
    public var devices: Set<String>

    public init(trust: String, site: String, kind: EventKind, name: String) {
        self.trust = trust
        self.site = site
        self.kind = kind
        self.name = name
        durationsMs = []
        failures = 0
        incomplete = 0
        phasesMs = [:]
        devices = []
    }

    public var total: Int { durationsMs.count + failures }
}

/// Totals of what a store holds.
public struct StoreCounts: Sendable, Equatable {
    public var events: Int
    public var batches: Int
    public var devices: Int
    public var newestEventMs: Int64?
}
