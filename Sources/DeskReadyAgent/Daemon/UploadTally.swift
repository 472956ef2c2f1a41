/// What the daemon sent since its last summary line: batches and events by result, and failed attempts.
public struct UploadTally: Sendable, Equatable {
    public var batches = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var deadLettered = 0
    public var failedAttempts = 0

    public init() {}

    mutating func count(_ result: Uploader.Result) {
        switch result {
        case .idle: break
        case .acknowledged(let accepted, let duplicates, let rejected):
            batches += 1
            self.accepted += accepted
            self.duplicates += duplicates
            self.rejected += rejected
        case .deadLettered: deadLettered += 1
        case .retry: failedAttempts += 1
        }
    }

    /// The summary line's fields, with the spool's depth and the health of uploads.
    func fields(status: SpoolStatus?) -> [(String, String)] {
        var fields = [("batches", "\(batches)"), ("accepted", "\(accepted)"), ("duplicates", "\(duplicates)"),
                      ("rejected", "\(rejected)"), ("dead_lettered", "\(deadLettered)"), ("failed_attempts", "\(failedAttempts)")]
        if let status {
            fields += [("spool_depth", "\(status.depth)"), ("dropped_total", "\(status.droppedTotal)"), ("health", UploadHealth(status).rawValue)]
        }
        return fields
    }
}
