import DeskReadyModel

/// A session logind announced in the journal (`New session 3 of user alice.`).
public struct JournalSession: Equatable, Sendable {
    public var id: String
    public var user: String
    /// When logind logged it: wall clock and CLOCK_MONOTONIC, in microseconds.
    public var realtimeUs: Int64?
    public var monotonicUs: Int64?
    public var bootId: String?

    public init(id: String, user: String, realtimeUs: Int64?, monotonicUs: Int64?, bootId: String?) {
        self.id = id
        self.user = user
        self.realtimeUs = realtimeUs
        self.monotonicUs = monotonicUs
        self.bootId = bootId
    }
}

/// Parser of logind's journal (`journalctl -o json -u systemd-logind`), kept pure so it is tested on captured
/// lines: where `loginctl` no longer lists a session or gives no creation time, the journal still says when logind
/// opened it.
public enum LogindJournal {
    /// The command that prints this boot's logind messages, one JSON object a line.
    public static let command = "journalctl -o json -u systemd-logind -b --no-pager -n 500"

    private struct Entry: Decodable {
        var MESSAGE: String?
        var __REALTIME_TIMESTAMP: String?
        var __MONOTONIC_TIMESTAMP: String?
        var _BOOT_ID: String?
    }

    /// The new sessions in the output, oldest first. Lines that are not JSON, or whose message is something else
    /// (or binary, which the journal prints as an array of bytes), are skipped.
    public static func newSessions(_ text: String) -> [JournalSession] {
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? decoder.decode(Entry.self, from: Data(line.utf8)), let message = entry.MESSAGE,
                  let (id, user) = parseMessage(message) else { return nil }
            return JournalSession(id: id, user: user, realtimeUs: entry.__REALTIME_TIMESTAMP.flatMap { Int64($0) },
                                  monotonicUs: entry.__MONOTONIC_TIMESTAMP.flatMap { Int64($0) }, bootId: entry._BOOT_ID)
        }
    }

    /// `New session 3 of user alice.` (systemd up to 254) or
    /// `New session '3' of user 'alice' with class 'user' and type 'wayland'.` (255 and later).
    static func parseMessage(_ message: String) -> (id: String, user: String)? {
        guard message.hasPrefix("New session "), let of = message.firstRange(of: " of user ") else { return nil }
        let unquote: (Substring) -> String = { String($0.trimmingWhitespace().filter { $0 != "'" }) }
        let id = unquote(message[message.index(message.startIndex, offsetBy: 12)..<of.lowerBound])
        var rest = message[of.upperBound...]
        if let with = rest.firstRange(of: " with ") { rest = rest[..<with.lowerBound] }
        let user = unquote(rest.hasSuffix(".") ? rest.dropLast() : rest)
        guard !id.isEmpty, !user.isEmpty, !id.contains(" "), !user.contains(" ") else { return nil }
        return (id, user)
    }
}
