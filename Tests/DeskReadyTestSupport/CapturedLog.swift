import Logging
import Synchronization

/// Log lines captured in memory, for tests that check what the collector writes to its log (the audit lines).
public final class CapturedLog: Sendable {
    /// One captured line: its message and metadata, flattened to strings.
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])

    public init() {}

    /// A logger whose lines land here.
    public func logger(label: String) -> Logger {
        Logger(label: label) { _ in Handler(log: self) }
    }

    public var all: [Line] { lines.withLock { $0 } }

    /// The audit lines (`audit: true`).
    public var audit: [Line] { all.filter { $0.metadata["audit"] == "true" } }

    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[key] = "\(value)" }
            log.append(Line(level: event.level, message: "\(event.message)", metadata: flat))
        }
    }
}
