import DeskReadyModel

/// Sends the inventory when the agent starts and then every interval, and at once when it changes (a new kernel or
/// OS release, more memory). The first look waits for the boot to settle (a minute by default) so the agent never
/// competes with the boot it measures, and a restarted agent does not send the same inventory again within the
/// interval. The last time and content are kept in the spool.
public final class InventoryRecorder {
    static let fingerprintKey = "inventory_fingerprint"
    let spool: Spool
    let intervalMs: Int64
    let settleMs: Int64
    let inventory: Inventory
    private var nextLookMs: Int64?

    public init(spool: Spool, intervalHours: Int, inventory: Inventory = Inventory(), settleMs: Int64 = 60_000) {
        self.spool = spool
        self.intervalMs = Int64(intervalHours) * UTCTime.hourMs
        self.settleMs = settleMs
        self.inventory = inventory
    }

    /// Records the inventory when it is due or has changed; returns whether it did. Looks at most hourly.
    @discardableResult
    public func recordIfDue(nowMs: Int64, monotonicMs: Int64) throws -> Bool {
        let firstLook = nextLookMs ?? (monotonicMs + settleMs)
        nextLookMs = firstLook
        guard monotonicMs >= firstLook else { return false }
        nextLookMs = monotonicMs + min(intervalMs, UTCTime.hourMs)
        let event = inventory.event(nowMs: nowMs)
        let fingerprint = (event.attributes ?? [:]).filter { $0.key != "uptime_s" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        let last = try spool.state(SpoolStateKey.inventoryRecordedMs).flatMap { Int64($0) }
        var due = try spool.state(Self.fingerprintKey) != fingerprint
        if let last {
            // A clock set back below the last time also makes it due, rather than silent for a whole interval.
            due = due || nowMs - last >= intervalMs || nowMs < last
        } else {
            due = true
        }
        guard due else { return false }
        try spool.append(event)
        try spool.setState(SpoolStateKey.inventoryRecordedMs, String(nowMs))
        try spool.setState(Self.fingerprintKey, fingerprint)
        return true
    }
}
