import DeskReadyModel

/// A write the store could not take for a reason that passes by itself (a full disk, a lost connection): the batch is
/// not stored and not acknowledged; the agent retries later.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The collector's one seam to measurements, the three narrow protocols below together. The SQLite store
/// (DeskReadySQLiteStore) and the PostgreSQL store (DeskReadyPostgresStore, for deployments that outgrow one
/// machine) implement it. Callers take the narrowest one they need: reports only read (`MeasurementReading`).
public protocol MeasurementStore: MeasurementIngest, MeasurementReading, StoreHealth {}

/// Where batches go in.
public protocol MeasurementIngest: Sendable {
    /// Stores the accepted events of a batch in one transaction, exactly once: an event id (or a batch id) already
    /// stored for this trust is acknowledged as a duplicate and not stored again.
    func ingest(_ batch: ValidatedBatch) async throws -> BatchAcknowledgement
}

/// What reports read: the aggregates, by trust and period, and what a report states beside them.
public protocol MeasurementReading: Sendable {
    /// Timings of one trust (or every trust when nil) that started in `[fromMs, toMs)`, from the hourly aggregates
    /// (whole UTC hours: an hour counts when it starts inside the range), grouped by trust, site, kind, name and
    /// logon cohort.
    /// `phases` nil reads every phase; otherwise only those named (the totals are always read).
    func timingSeries(trust: String?, fromMs: Int64, toMs: Int64, phases: Set<String>?) async throws -> [TimingSeries]

    /// How many devices reported anything on the UTC days of `[fromMs, toMs)`, per trust and per site.
    func deviceActivity(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [DeviceActivity]

    /// The inventory of the devices that reported in `[fromMs, toMs)`, counted per trust, site and fact.
    func estate(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [EstateCount]

    /// Logon and boot timings per device model over the UTC days of `[fromMs, toMs)`.
    func modelTimings(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [ModelTiming]

    /// The trusts that have stored data, by ODS code.
    func trustCodes() async throws -> [String]

    /// Counts of what is stored (a scan of every event: for health checks and tools, not reports).
    func counts(trust: String?) async throws -> StoreCounts

    /// What a report states about a trust beside its timings, from indexes only: devices known and the newest event.
    func trustSummary(trust: String) async throws -> TrustSummary

    /// Midnight UTC of the first day with stored aggregates for the trust (nil: none yet), from an index. A report
    /// period may not start before it.
    func firstDataDayMs(trust: String) async throws -> Int64?

    /// Per trust, a number that changes whenever anything a report of that trust reads changes (its aggregates, its
    /// devices, sites, names or estate sizes), so a graded report kept from before can be checked with one small
    /// read. Only equality means anything; a trust with no entry has never changed.
    func trustDataVersions() async throws -> [String: Int64]
}

/// Whether the store can work now, for `/readyz`, ingest's 503s and `/metrics`.
public protocol StoreHealth: Sendable {
    /// True when the store can take writes now.
    func isWritable() async -> Bool

    /// Why the store cannot take writes now (a full disk, a read-only file, a lost connection), or nil when it can:
    /// `/readyz` says it, and ingest answers 503 with Retry-After until it passes.
    func unavailability() async -> String?

    /// Bytes the store occupies on disk, when it knows.
    func databaseBytes() async -> Int64?
}

extension MeasurementReading {
    /// Timings with every phase.
    public func timingSeries(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [TimingSeries] {
        try await timingSeries(trust: trust, fromMs: fromMs, toMs: toMs, phases: nil)
    }
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

/// The aggregated timings of one trust, site, kind, name and logon cohort.
public struct TimingSeries: Sendable, Equatable {
    public var trust: String
    public var site: String
    public var kind: EventKind
    public var name: String
    /// Ordinary logons make the headline; first and post-upgrade logons are reported apart. Ordinary for other kinds.
    public var cohort: LogonCohort
    /// Durations of the successful observations (outcome `ok`).
    public var durations: TimingHistogram
    /// How many observations ended `failed`, `timeout` or `incomplete`.
    public var failures: Int
    public var incomplete: Int
    /// Durations of each named phase of the successful observations.
    public var phases: [String: TimingHistogram]

    public init(trust: String, site: String, kind: EventKind, name: String, cohort: LogonCohort = .ordinary) {
        self.trust = trust
        self.site = site
        self.kind = kind
        self.name = name
        self.cohort = cohort
        durations = TimingHistogram()
        failures = 0
        incomplete = 0
        phases = [:]
    }

    public var total: Int { durations.count + failures }

    /// Adds another series' observations (same key) to this one.
    public mutating func merge(_ other: TimingSeries) {
        durations.merge(other.durations)
        failures += other.failures
        incomplete += other.incomplete
        for (phase, histogram) in other.phases { phases[phase, default: TimingHistogram()].merge(histogram) }
    }

    /// The key series are grouped by.
    public var key: String { "\(trust)\u{1F}\(site)\u{1F}\(kind.rawValue)\u{1F}\(name)\u{1F}\(cohort.rawValue)" }
}

/// Devices that reported in a period: for a trust overall (`site` nil) or one of its sites.
public struct DeviceActivity: Sendable, Equatable {
    public var trust: String
    public var site: String?
    public var devices: Int

    public init(trust: String, site: String?, devices: Int) {
        self.trust = trust
        self.site = site
        self.devices = devices
    }
}

/// How many reporting devices of a trust (and site) share one combination of inventory facts; nil facts are
/// devices that never sent an inventory.
public struct EstateCount: Sendable, Equatable {
    public var trust: String
    public var site: String
    public var osId: String?
    public var osVersion: String?
    public var systemDisk: String?
    public var memoryMB: Int?
    public var devices: Int

    public init(trust: String, site: String, osId: String?, osVersion: String?, systemDisk: String?, memoryMB: Int?, devices: Int) {
        self.trust = trust
        self.site = site
        self.osId = osId
        self.osVersion = osVersion
        self.systemDisk = systemDisk
        self.memoryMB = memoryMB
        self.devices = devices
    }
}

/// The timings of one device model (vendor and product name from DMI) and kind in a trust.
public struct ModelTiming: Sendable, Equatable {
    public var trust: String
    public var model: String
    public var kind: EventKind
    public var durations: TimingHistogram
    public var failures: Int

    public init(trust: String, model: String, kind: EventKind, durations: TimingHistogram = TimingHistogram(), failures: Int = 0) {
        self.trust = trust
        self.model = model
        self.kind = kind
        self.durations = durations
        self.failures = failures
    }
}

/// A trust's devices known to the collector and the start of its newest stored event.
public struct TrustSummary: Sendable, Equatable {
    public var devicesKnown: Int
    public var newestEventMs: Int64?

    public init(devicesKnown: Int, newestEventMs: Int64?) {
        self.devicesKnown = devicesKnown
        self.newestEventMs = newestEventMs
    }
}

/// Totals of what a store holds.
public struct StoreCounts: Sendable, Equatable {
    public var events: Int
    public var batches: Int
    public var devices: Int
    public var newestEventMs: Int64?
}
