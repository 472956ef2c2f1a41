import DeskReadyModel

/// Reads Windows event XML as a stream, in chunks, never holding more than one chunk and one event: the output of
/// `wevtutil qe CHANNEL /f:xml` (bare `<Event>` elements with no root), `Get-WinEvent | % { $_.ToXml() }`,
/// a Windows Event Forwarding collector's `ForwardedEvents` (many computers, with `RenderingInfo`), and files with a
/// root element around the events (any name), in UTF-8 or UTF-16.
///
/// A malformed event is reported as a `ReadIssue` with its line and byte offset, and reading resumes at the next
/// `<Event`. Only events `wants(provider, eventID)` accepts have their data decoded; the others are still checked
/// and counted.
public final class EventLogReader {
    /// Read this much at a time.
    static let chunkBytes = 1 << 20
    /// An event longer than this is malformed (its end tag is missing): real events are a few kilobytes.
    static let maxEventBytes = 4 << 20

    public let name: String
    private let source: ByteSource
    private let wants: @Sendable (String, Int) -> Bool

    /// Events read in full (wanted or not).
    public private(set) var eventCount = 0
    /// Problems reported.
    public private(set) var issueCount = 0
    /// Bytes of the input consumed.
    public var bytesRead: Int64 { source.rawBytesRead }

    private var buffer: [UInt8] = []
    /// Absolute offset of `buffer[0]`.
    private var base: Int64 = 0
    private var atEnd = false
    /// The line number at an absolute offset, advanced as the buffer is compacted.
    private var lineMark: (offset: Int64, line: Int) = (0, 1)
    private var tokenizer = EventXMLTokenizer()

    /// A reader of the file at `path` (throws a `ReadError` that says how to fix it when it cannot be opened).
    public init(path: String, wants: @escaping @Sendable (String, Int) -> Bool = EventCatalog.isUsed) throws(ReadError) {
        name = path
        source = try ByteSource(path: path)
        self.wants = wants
    }

    /// A reader of XML in memory, named `name` in issues.
    public init(bytes: [UInt8], name: String, wants: @escaping @Sendable (String, Int) -> Bool = EventCatalog.isUsed) {
        self.name = name
        source = ByteSource(bytes: bytes)
        self.wants = wants
    }

    /// Reads to the end, handing each wanted record and each problem over as they come.
    public func read(_ onRecord: (WindowsEventRecord) throws -> Void, issues onIssue: (ReadIssue) -> Void) throws {
        var position = 0
        while true {
            while position < buffer.count, Byte.isSpace(buffer[position]) { position += 1 }
            if position >= buffer.count {
                if try !fill(keepingFrom: &position) { return }
                continue
            }
            guard buffer[position] == Byte.lt else {
                report(at: position, "text outside any event; skipped to the next <Event>", onIssue)
                if try !resynchronise(&position, after: position) { return }
                continue
            }
            switch topLevelMarkup(at: &position) {
            case .needMore:
                let start = position
                if try !fill(keepingFrom: &position) {
                    report(at: start, "the file ends inside markup; it was cut short", onIssue)
                    return
                }
            case .skipped:
                continue
            case .event:
                var builder = EventRecordBuilder(wants: wants)
                let result: EventXMLTokenizer.Result
                do {
                    result = try buffer.withUnsafeBufferPointer { pointer throws(XMLSyntaxError) in
                        try tokenizer.parse(pointer, from: position, into: &builder)
                    }
                } catch {
                    report(at: error.index, "malformed event starting on line \(line(at: position)): \(error.message); skipped to the next <Event>", onIssue)
                    if try !resynchronise(&position, after: position + 1) { return }
                    continue
                }
                switch result {
                case .complete(let end):
                    eventCount += 1
                    if builder.skippedData {
                        position = end
                        continue
                    }
                    switch builder.record() {
                    case .success(let record):
                        if wants(record.provider, record.eventID) { try onRecord(record) }
                    case .failure(let problem):
                        report(at: position, "event skipped: \(problem.message)", onIssue)
                    }
                    position = end
                case .needMore:
                    let start = position
                    if buffer.count - position > Self.maxEventBytes {
                        report(at: start, "an event longer than \(Self.maxEventBytes >> 20) MB: its end tag is probably missing; skipped to the next <Event>", onIssue)
                        if try !resynchronise(&position, after: position + 1) { return }
                    } else if try !fill(keepingFrom: &position) {
                        report(at: start, "the file ends inside an event (the export was cut short); that event is skipped", onIssue)
                        return
                    }
                }
            }
        }
    }

    private enum Markup { case needMore, skipped, event }

    /// Classifies the markup at `position` outside any event, skipping declarations, comments and wrapper tags.
    private func topLevelMarkup(at position: inout Int) -> Markup {
        buffer.withUnsafeBufferPointer { b in
            guard position + 1 < b.count else { return .needMore }
            let terminator: StaticString
            switch b[position + 1] {
            case Byte.question: terminator = "?>"
            case Byte.bang: terminator = EventXMLTokenizer.hasPrefix(b, position, "<!--") ? "-->" : ">"
            case Byte.slash: terminator = ">"
            default:
                var j = position + 1
                while j < b.count, !Byte.endsName(b[j]) { j += 1 }
                guard j < b.count else { return .needMore }
                if EventXMLTokenizer.isEvent(b, position + 1, j - position - 1) { return .event }
                terminator = ">"
            }
            guard let close = EventXMLTokenizer.find(b, terminator, from: position + 1) else { return .needMore }
            position = close + terminator.utf8CodeUnitCount
            return .skipped
        }
    }

    /// Moves `position` to the next `<Event` at or after `after`; false at the end of the input.
    private func resynchronise(_ position: inout Int, after: Int) throws -> Bool {
        var from = after
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                var i = from
                while let candidate = EventXMLTokenizer.find(b, "<Event", from: i) {
                    let next = candidate + 6
                    if next < b.count, Byte.endsName(b[next]) { return candidate }
                    if next >= b.count { return nil }
                    i = candidate + 1
                }
                return nil
            }
            if let found {
                position = found
                return true
            }
            // Keep the last few bytes: "<Event" may straddle the chunk boundary.
            position = max(from, buffer.count - 7)
            if try !fill(keepingFrom: &position) { return false }
            from = position
        }
    }

    /// Reads another chunk, first dropping the bytes before `position` (which is adjusted); false at the end.
    private func fill(keepingFrom position: inout Int) throws -> Bool {
        guard !atEnd else { return false }
        if position > 0 {
            advanceLines(to: base + Int64(position))
            buffer.removeSubrange(0..<position)
            base += Int64(position)
            position = 0
        }
        if try !source.read(into: &buffer, count: Self.chunkBytes) { atEnd = true }
        return !atEnd || position < buffer.count
    }

    private func advanceLines(to offset: Int64) {
        guard offset > lineMark.offset else { return }
        let from = Int(lineMark.offset - base), to = Int(offset - base)
        var lines = 0
        for k in from..<to where buffer[k] == Byte.newline { lines += 1 }
        lineMark = (offset, lineMark.line + lines)
    }

    private func line(at index: Int) -> Int {
        let offset = base + Int64(index)
        guard offset > lineMark.offset else { return lineMark.line }
        var lines = 0
        for k in Int(lineMark.offset - base)..<min(index, buffer.count) where buffer[k] == Byte.newline { lines += 1 }
        return lineMark.line + lines
    }

    private func report(at index: Int, _ message: String, _ onIssue: (ReadIssue) -> Void) {
        issueCount += 1
        onIssue(ReadIssue(file: name, line: line(at: index), byteOffset: base + Int64(index), message: message))
    }
}
