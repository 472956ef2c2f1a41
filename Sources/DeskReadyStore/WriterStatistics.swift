/// A store that groups batches into write transactions and counts them, for `/metrics`
/// (`deskready_write_transactions_total`, `deskready_write_transaction_batches_total`).
public protocol WriterStatistics: Sendable {
    /// Write transactions committed, and the batches they held, since the store opened.
    var groupCommitCounts: (transactions: Int, batches: Int) { get }
}
