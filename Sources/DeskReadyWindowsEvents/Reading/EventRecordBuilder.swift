/// Builds a `WindowsEventRecord` from the tokenizer's calls for one `<Event>`: the System block, and `EventData`
/// (`Data` by `Name`) or `UserData` (the leaf elements under its one child). `RenderingInfo` is ignored.
struct EventRecordBuilder: EventXMLHandler {
    private enum Section { case none, system, eventData, userData, other }
    private enum Capture { case none, eventID, recordID, channel, computer, data(String) }

    private var section = Section.none
    private var capture = Capture.none
    private var captured: [UInt8] = []
    private var unnamedData = 0
    /// Whether the event's data is wanted (decided from provider and id before the data comes).
    private let wants: (String, Int) -> Bool

    var provider: String?
    var eventID: Int?
    var systemTime: String?
    var recordID: Int64?
    var channel: String?
    var computer: String?
    var processID: Int?
    var userSID: String?
    var activityID: String?
    var data: [String: String] = [:]
    var skippedData = false

    init(wants: @escaping (String, Int) -> Bool) {
        self.wants = wants
        captured.reserveCapacity(128)
    }

    mutating func startElement(_ name: XMLName, depth: Int, attributes: XMLAttributes) {
        capture = .none
        switch depth {
        case 2:
            if name.is("System") {
                section = .system
            } else if name.is("EventData") || name.is("UserData") {
                if let provider, let eventID, !wants(provider, eventID) {
                    skippedData = true
                    section = .other
                } else {
                    section = name.is("EventData") ? .eventData : .userData
                }
            } else {
                section = .other
            }
        case 3 where section == .system:
            if name.is("Provider") {
                provider = attributes.value("Name")
            } else if name.is("EventID") {
                capture = .eventID
            } else if name.is("TimeCreated") {
                systemTime = attributes.value("SystemTime")
            } else if name.is("EventRecordID") {
                capture = .recordID
            } else if name.is("Correlation") {
                activityID = WindowsValue.guid(attributes.value("ActivityID"))
            } else if name.is("Execution") {
                processID = attributes.value("ProcessID").flatMap { Int($0.trimmed) }
            } else if name.is("Channel") {
                capture = .channel
            } else if name.is("Computer") {
                capture = .computer
            } else if name.is("Security") {
                userSID = WindowsValue.sid(attributes.value("UserID"))
            }
        case 3 where section == .eventData:
            if let key = attributes.value("Name") {
                capture = .data(key)
            } else {
                unnamedData += 1
                capture = .data(name.is("Data") ? "Data\(unnamedData)" : name.localName)
            }
        case 4 where section == .userData:
            capture = .data(name.localName)
        default:
            break
        }
        captured.removeAll(keepingCapacity: true)
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if case .none = capture { return }
        captured.append(contentsOf: bytes)
    }

    mutating func endElement(depth: Int) {
        if depth == 2 { section = .none }
        if case .none = capture { return }
        let value = String(decoding: captured, as: UTF8.self)
        switch capture {
        case .none: return
        case .eventID: eventID = Int(value.trimmed)
        case .recordID: recordID = Int64(value.trimmed)
        case .channel: channel = value.trimmed
        case .computer: computer = value.trimmed
        case .data(let key): data[key] = value
        }
        capture = .none
    }

    /// The record, or the reason the event cannot be used.
    func record() -> Result<WindowsEventRecord, RecordProblem> {
        guard let provider, !provider.isEmpty else { return .failure(RecordProblem("the event has no System/Provider@Name")) }
        guard let eventID else { return .failure(RecordProblem("the event has no System/EventID number")) }
        guard let systemTime else { return .failure(RecordProblem("the event has no System/TimeCreated@SystemTime")) }
        guard let timeUs = WindowsTimestamp.parseMicroseconds(systemTime) else {
            return .failure(RecordProblem("TimeCreated@SystemTime '\(systemTime)' is not a time like 2024-11-15T14:28:51.2640150Z"))
        }
        guard let computer, !computer.isEmpty else { return .failure(RecordProblem("the event has no System/Computer")) }
        return .success(WindowsEventRecord(
            provider: provider, eventID: eventID, timeUs: timeUs, recordID: recordID ?? 0, channel: channel ?? "",
            computer: computer, processID: processID, userSID: userSID, activityID: activityID, data: data))
    }
}

/// Why a well-formed event cannot be used.
struct RecordProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
