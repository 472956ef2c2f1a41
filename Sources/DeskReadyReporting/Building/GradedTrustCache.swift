import DeskReadyModel
import DeskReadyStore

/// Graded trusts kept between reports, so a report with the peer median (which needs every trust graded) and the
/// national export cost about what one trust's report costs. Each entry is tagged with its trust's data version
/// (`MeasurementReading.trustDataVersions`) when it was graded and is used again only while that version holds: a
/// trust whose data changed is graded again, the others are not.
///
/// One exception, for peers only: while data keeps arriving (a national collector takes batches from every trust
/// every second), a peer grade stays usable for `peerMaxAge` after its trust changed, so peers are not re-graded on
/// every request; the report states when the oldest peer grade it used was made. The trust's own figures are always
/// graded from its current data. `peerMaxAge` zero makes peers exact too.
public actor GradedTrustCache {
    /// How much of a trust an entry grades.
    enum Depth: Hashable, Sendable {
        /// The trust's indicators for the period alone (no sites, weeks or previous period): what a peer median needs.
        case period
        /// The trust's whole report: sites, weeks, the previous period and every figure.
        case full
    }

    struct Key: Hashable, Sendable {
        var model: String
        var trust: String
        var fromMs: Int64
        var toMs: Int64
        var depth: Depth
    }

    struct Entry: Sendable {
        var version: Int64
        var gradedAtMs: Int64
        var graded: GradedTrust
        var lastUse: UInt64
    }

    /// Entries of each depth kept at most; the least recently used go first. 220 whole reports of trusts with ten
    /// sites hold 41 MB (`deskready bench report --national`: resident memory with the allocator trimmed, with and
    /// without them), so the default of 600 bounds the collector's cache near 110 MB whatever the number of trusts
    /// and periods asked for.
    public let fullCapacity: Int
    public let periodCapacity: Int
    public let peerMaxAgeMs: Int64
    private var entries: [Key: Entry] = [:]
    private var counts: [Depth: Int] = [:]
    private var uses: UInt64 = 0
    /// Reads answered from the cache and reads that had to grade, since the start.
    public private(set) var hits = 0
    public private(set) var misses = 0

    /// Whole trust reports kept by default: a national collector's trusts, with room.
    public static let defaultFullCapacity = 600
    /// Seconds a peer's grades stay usable after its data changed, by default.
    public static let defaultPeerMaxAgeSeconds = 300

    public init(fullCapacity: Int = defaultFullCapacity, periodCapacity: Int = 20_000, peerMaxAgeSeconds: Int = defaultPeerMaxAgeSeconds) {
        self.fullCapacity = max(fullCapacity, 0)
        self.periodCapacity = max(periodCapacity, 0)
        peerMaxAgeMs = Int64(max(peerMaxAgeSeconds, 0)) * 1_000
    }

    private func limit(_ depth: Depth) -> Int { depth == .full ? fullCapacity : periodCapacity }

    /// The entry for `key` if it may be used with the trust's data at `version`; `exact` refuses a peer grade whose
    /// data changed however young it is (the background refresh).
    func entry(_ key: Key, version: Int64, nowMs: Int64, exact: Bool = false) -> Entry? {
        guard var entry = entries[key],
              entry.version == version || (!exact && key.depth == .period && nowMs - entry.gradedAtMs < peerMaxAgeMs) else {
            misses += 1
            return nil
        }
        hits += 1
        uses += 1
        entry.lastUse = uses
        entries[key] = entry
        return entry
    }

    /// Keeps a trust graded from its data at `version`.
    func keep(_ graded: GradedTrust, _ key: Key, version: Int64, gradedAtMs: Int64) {
        guard limit(key.depth) > 0 else { return }
        uses += 1
        if entries.updateValue(Entry(version: version, gradedAtMs: gradedAtMs, graded: graded, lastUse: uses), forKey: key) == nil {
            counts[key.depth, default: 0] += 1
        }
        if counts[key.depth, default: 0] > limit(key.depth) { evict(key.depth) }
    }

    /// Drops the least recently used tenth of one depth's entries (one sort per tenth, not one per insertion).
    private func evict(_ depth: Depth) {
        let victims = entries.filter { $0.key.depth == depth }.sorted { $0.value.lastUse < $1.value.lastUse }
            .prefix(max(1, limit(depth) / 10))
        for victim in victims { entries[victim.key] = nil }
        counts[depth, default: 0] -= victims.count
    }

    /// Forgets every entry.
    public func removeAll() {
        entries.removeAll()
        counts.removeAll()
    }

    /// Entries kept now, of each depth (for tests and metrics).
    public var fullEntries: Int { counts[.full, default: 0] }
    public var periodEntries: Int { counts[.period, default: 0] }
}
