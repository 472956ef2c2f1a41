import DeskReadyModel

/// One Windows event as the assembler needs it: the System block's identity and timing, and the event's data.
/// Read from XML by `EventLogReader`; GUIDs are lower case without braces, times are UTC microseconds.
public struct WindowsEventRecord: Hashable, Sendable {
    /// `Provider@Name`, for example `Microsoft-Windows-Winlogon`.
    public var provider: String
    public var eventID: Int
    /// `TimeCreated@SystemTime`, microseconds since the Unix epoch (UTC).
    public var timeUs: Int64
    /// `EventRecordID`: per channel, restarts when the log is cleared.
    public var recordID: Int64
    public var channel: String
    /// `Computer`, as the event has it (often a fully qualified name).
    public var computer: String
    /// `Execution@ProcessID`.
    public var processID: Int?
    /// `Security@UserID`, the SID the event was written for.
    public var userSID: String?
    /// `Correlation@ActivityID`, normalised (lower case, no braces); nil when empty or absent.
    public var activityID: String?
    /// `EventData/Data` by `Name`, or the leaf elements of `UserData`.
    public var data: [String: String]

    public init(provider: String, eventID: Int, timeUs: Int64, recordID: Int64, channel: String, computer: String,
                processID: Int? = nil, userSID: String? = nil, activityID: String? = nil, data: [String: String] = [:]) {
        self.provider = provider
        self.eventID = eventID
        self.timeUs = timeUs
        self.recordID = recordID
        self.channel = channel
        self.computer = computer
        self.processID = processID
        self.userSID = userSID
        self.activityID = activityID
        self.data = data
    }

    /// What makes a record the same record in two exports: its channel, record id and time (record ids alone restart
    /// when a log is cleared).
    public var identity: String { "\(channel.lowercased())|\(recordID)|\(timeUs)" }

    /// Milliseconds since the Unix epoch.
    public var timeMs: Int64 { timeUs >= 0 ? timeUs / 1000 : (timeUs - 999) / 1000 }

    /// A data field with surrounding spaces removed (renderers pad some strings).
    public func field(_ name: String) -> String? {
        guard let value = data[name] else { return nil }
        let trimmed = value.trimmed
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A data field as an integer (decimal or `0x` hexadecimal).
    public func integer(_ name: String) -> Int64? { WindowsValue.integer(field(name)) }

    /// A data field as a boolean (`true`/`false` in any case, `1`/`0`, or the `%%1842`/`%%1843` yes/no insertion strings).
    public func boolean(_ name: String) -> Bool? { WindowsValue.boolean(field(name)) }
}
