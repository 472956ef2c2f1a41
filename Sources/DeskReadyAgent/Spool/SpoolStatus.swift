/// What `deskready-agent status` shows about the spool and the uploads.
public struct SpoolStatus: Sendable, Equatable {
    public var depth: Int
    public var bytes: Int64
    public var oldestCreatedMs: Int64?
    public var pendingBatchId: String?
    public var pendingAttempts: Int
    public var lastUploadMs: Int64?
    public var lastError: String?
    public var lastErrorMs: Int64?
    public var droppedTotal: Int64
    public var rejectedTotal: Int64
    public var uploadedTotal: Int64
    public var deadLetters: Int
    public var openMarks: Int

    /// Human-readable lines for the terminal.
    public func render(nowMs: Int64) -> String {
        func age(_ ms: Int64?) -> String {
            guard let ms else { return "never" }
            let seconds = max(0, (nowMs - ms) / 1000)
            if seconds < 120 { return "\(seconds) s ago" }
            if seconds < 7200 { return "\(seconds / 60) min ago" }
            return "\(seconds / 3600) h ago"
        }
        var lines = [
            "spool depth:       \(depth) events (\(bytes) bytes)",
            "oldest event:      \(oldestCreatedMs.map { age($0) } ?? "none")",
            "pending batch:     \(pendingBatchId.map { "\($0) (\(pendingAttempts) attempts)" } ?? "none")",
            "last upload:       \(age(lastUploadMs))",
            "uploaded:          \(uploadedTotal) events",
            "dropped:           \(droppedTotal) events (spool bounds)",
            "rejected:          \(rejectedTotal) events (\(deadLetters) in dead letters)",
            "open logon marks:  \(openMarks)",
        ]
        if let lastError {
            lines.append("last error:        \(lastError) (\(age(lastErrorMs)))")
        } else {
            lines.append("last error:        none")
        }
        return lines.joined(separator: "\n")
    }
}
