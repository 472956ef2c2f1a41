/// A store that takes aggregates directly, written by its own aggregate path as its ingest writes them, with the
/// devices they name: for `deskready bench report --national`, which needs a store of national shape (hundreds of
/// trusts, a year of days) without ingesting billions of raw events first.
package protocol AggregateLoading: Sendable {
    /// Writes each trust's delta in one transaction, the devices of its device days first. `hourly` false writes
    /// everything but the hourly rows, as a store holds days older than its hourly window.
    func loadAggregates(_ deltas: [(trust: String, delta: AggregateDelta)], hourly: Bool) async throws
}
