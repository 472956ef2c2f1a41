/// What an event's XML tells its reader, element by element.
protocol EventXMLHandler {
    /// An element opened at `depth` (1 for `<Event>`), with its local name (namespace prefix removed).
    mutating func startElement(_ name: XMLName, depth: Int, attributes: XMLAttributes)
    /// Character data (entities and CDATA already decoded) inside the innermost open element.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
    /// The element at `depth` closed.
    mutating func endElement(depth: Int)
}

/// A malformed event: what is wrong and where (an index into the tokenizer's buffer).
struct XMLSyntaxError: Error {
    var index: Int
    var message: String
}

/// A streaming tokenizer for one Windows `<Event>` element: the subset of XML that event renderers write, checked
/// for well-formedness (matching tags, quoted attributes, known entities) and decoded (the five predefined entities,
/// `&#…;` and `&#x…;` references, CDATA sections), with comments and processing instructions skipped and namespace
/// prefixes removed from names. It never looks past the event's end tag.
///
/// Why not Foundation's `XMLParser`: measured on this machine (2 shared cores, Swift 6.3.1, release build) on a 47 MB
/// export of Winlogon events, `XMLParser` with an empty delegate read 44.5 MB/s over the whole file and 20.1 MB/s
/// when run once per event, which the recovery after a malformed event needs (libxml2 stops at the first fatal
/// error, and an export has no single root). With the record building on top that falls short of the 20 MB/s aim.
/// This tokenizer, records built, reads a generated 1 GB forwarded-events export at 58 to 88 MB/s on the same machine
/// under load (`deskready bench import`, BENCHMARKS.md), reports positions, and resumes at the next event without a
/// second pass.
struct EventXMLTokenizer {
    enum Result {
        /// The event ended just before this index.
        case complete(end: Int)
        /// The buffer ends inside the event: read more and start again from the event's first byte.
        case needMore
    }

    private var openTags: [(start: Int, count: Int)] = []
    private var attributeSpans: [XMLAttributes.Span] = []
    private var decoded: [UInt8] = []

    init() {
        openTags.reserveCapacity(16)
        attributeSpans.reserveCapacity(8)
        decoded.reserveCapacity(256)
    }

    /// Tokenizes the event whose `<` is at `start`, feeding `handler`.
    mutating func parse<H: EventXMLHandler>(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, into handler: inout H) throws(XMLSyntaxError) -> Result {
        openTags.removeAll(keepingCapacity: true)
        var i = start
        let end = buffer.count
        while i < end {
            if buffer[i] != Byte.lt {
                // Character data up to the next markup.
                let textStart = i
                var needsDecoding = false
                while i < end, buffer[i] != Byte.lt {
                    if buffer[i] == Byte.amp { needsDecoding = true }
                    i += 1
                }
                if i == end { return .needMore }
                if needsDecoding {
                    decoded.removeAll(keepingCapacity: true)
                    try XMLEntities.decode(buffer, textStart..<i, into: &decoded)
                    decoded.withUnsafeBufferPointer { handler.text($0) }
                } else {
                    handler.text(UnsafeBufferPointer(rebasing: buffer[textStart..<i]))
                }
                continue
            }
            guard i + 1 < end else { return .needMore }
            switch buffer[i + 1] {
            case Byte.slash:
                var j = i + 2
                let nameStart = j
                while j < end, !Byte.endsName(buffer[j]) { j += 1 }
                let nameCount = j - nameStart
                while j < end, Byte.isSpace(buffer[j]) { j += 1 }
                guard j < end else { return .needMore }
                guard buffer[j] == Byte.gt else { throw XMLSyntaxError(index: j, message: "expected '>' to close the end tag") }
                guard let open = openTags.popLast() else { throw XMLSyntaxError(index: i, message: "an end tag with no element open") }
                guard Self.equal(buffer, open.start, nameStart, open.count, nameCount) else {
                    let expected = String(decoding: UnsafeBufferPointer(rebasing: buffer[open.start..<open.start + open.count]), as: UTF8.self)
                    let found = String(decoding: UnsafeBufferPointer(rebasing: buffer[nameStart..<nameStart + nameCount]), as: UTF8.self)
                    throw XMLSyntaxError(index: i, message: "end tag </\(found)> where </\(expected)> was expected")
                }
                handler.endElement(depth: openTags.count + 1)
                i = j + 1
                if openTags.isEmpty { return .complete(end: i) }
            case Byte.bang:
                if Self.hasPrefix(buffer, i, "<!--") {
                    guard let close = Self.find(buffer, "-->", from: i + 4) else { return .needMore }
                    i = close + 3
                } else if Self.hasPrefix(buffer, i, "<![CDATA[") {
                    guard let close = Self.find(buffer, "]]>", from: i + 9) else { return .needMore }
                    guard !openTags.isEmpty else { throw XMLSyntaxError(index: i, message: "CDATA outside an element") }
                    handler.text(UnsafeBufferPointer(rebasing: buffer[(i + 9)..<close]))
                    i = close + 3
                } else if end - i < 9 {
                    return .needMore
                } else {
                    throw XMLSyntaxError(index: i, message: "'<!' that is neither a comment nor CDATA inside an event")
                }
            case Byte.question:
                guard let close = Self.find(buffer, "?>", from: i + 2) else { return .needMore }
                i = close + 2
            default:
                switch try startTag(buffer, at: i, into: &handler) {
                case .needMore: return .needMore
                case .complete(let next):
                    i = next
                    if openTags.isEmpty { return .complete(end: i) }
                }
            }
        }
        return .needMore
    }

    /// A start tag (or an empty-element tag) at `i`; `complete(end:)` is the index after its `>`.
    private mutating func startTag<H: EventXMLHandler>(_ buffer: UnsafeBufferPointer<UInt8>, at i: Int, into handler: inout H) throws(XMLSyntaxError) -> Result {
        let end = buffer.count
        var j = i + 1
        let nameStart = j
        while j < end, !Byte.endsName(buffer[j]) { j += 1 }
        guard j < end else { return .needMore }
        let nameCount = j - nameStart
        guard nameCount > 0 else { throw XMLSyntaxError(index: i, message: "'<' not followed by an element name (write '&lt;' for a literal '<')") }
        attributeSpans.removeAll(keepingCapacity: true)
        while true {
            while j < end, Byte.isSpace(buffer[j]) { j += 1 }
            guard j < end else { return .needMore }
            let byte = buffer[j]
            if byte == Byte.gt || byte == Byte.slash {
                let selfClosing = byte == Byte.slash
                if selfClosing {
                    guard j + 1 < end else { return .needMore }
                    guard buffer[j + 1] == Byte.gt else { throw XMLSyntaxError(index: j, message: "expected '>' after '/' in a tag") }
                    j += 1
                }
                // Another event inside this one: the earlier event's end is missing (an <Event> element inside
                // provider data carries no namespace and sits deeper).
                if !openTags.isEmpty, Self.isEvent(buffer, nameStart, nameCount),
                   openTags.count <= 1 || XMLAttributes(buffer: buffer, spans: attributeSpans).value("xmlns") != nil {
                    throw XMLSyntaxError(index: i, message: "an <Event> starts inside another event (the earlier event is not closed)")
                }
                openTags.append((nameStart, nameCount))
                let name = XMLName(buffer: buffer, start: nameStart, count: nameCount)
                let depth = openTags.count
                handler.startElement(name, depth: depth, attributes: XMLAttributes(buffer: buffer, spans: attributeSpans))
                if selfClosing {
                    openTags.removeLast()
                    handler.endElement(depth: depth)
                }
                return .complete(end: j + 1)
            }
            // An attribute: name = "value" or 'value'.
            let attributeStart = j
            while j < end, !Byte.endsName(buffer[j]), buffer[j] != Byte.equals { j += 1 }
            let attributeNameCount = j - attributeStart
            while j < end, Byte.isSpace(buffer[j]) { j += 1 }
            guard j < end else { return .needMore }
            guard attributeNameCount > 0, buffer[j] == Byte.equals else {
                throw XMLSyntaxError(index: j, message: "expected an attribute name followed by '=' in a tag")
            }
            j += 1
            while j < end, Byte.isSpace(buffer[j]) { j += 1 }
            guard j < end else { return .needMore }
            let quote = buffer[j]
            guard quote == Byte.doubleQuote || quote == Byte.singleQuote else {
                throw XMLSyntaxError(index: j, message: "attribute values must be in quotes")
            }
            j += 1
            let valueStart = j
            var needsDecoding = false
            while j < end, buffer[j] != quote {
                if buffer[j] == Byte.lt { throw XMLSyntaxError(index: j, message: "'<' inside an attribute value") }
                if buffer[j] == Byte.amp { needsDecoding = true }
                j += 1
            }
            guard j < end else { return .needMore }
            attributeSpans.append(.init(name: attributeStart, nameCount: attributeNameCount, value: valueStart,
                                        valueCount: j - valueStart, needsDecoding: needsDecoding))
            j += 1
            guard j < end else { return .needMore }
            guard Byte.isSpace(buffer[j]) || buffer[j] == Byte.gt || buffer[j] == Byte.slash else {
                throw XMLSyntaxError(index: j, message: "expected a space between attributes")
            }
        }
    }

    /// Whether the (qualified) name at `start` has the local name `Event`.
    static func isEvent(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Bool {
        XMLName(buffer: buffer, start: start, count: count).is("Event")
    }

    static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ aCount: Int, _ bCount: Int) -> Bool {
        guard aCount == bCount else { return false }
        for k in 0..<aCount where buffer[a + k] != buffer[b + k] { return false }
        return true
    }

    static func hasPrefix(_ buffer: UnsafeBufferPointer<UInt8>, _ i: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard i + count <= buffer.count else { return false }
        let bytes = prefix.utf8Start
        for k in 0..<count where buffer[i + k] != bytes[k] { return false }
        return true
    }

    /// The index of the first occurrence of `needle` at or after `from`.
    static func find(_ buffer: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        let first = needle.utf8Start[0]
        var i = from
        while i + count <= buffer.count {
            if buffer[i] == first, hasPrefix(buffer, i, needle) { return i }
            i += 1
        }
        return nil
    }
}

/// An element or attribute name inside the tokenizer's buffer; valid only during the handler call.
struct XMLName {
    let buffer: UnsafeBufferPointer<UInt8>
    /// Where the local name (after any `prefix:`) starts, and its length.
    let localStart: Int
    let localCount: Int

    init(buffer: UnsafeBufferPointer<UInt8>, start: Int, count: Int) {
        self.buffer = buffer
        var localStart = start
        for k in start..<(start + count) where buffer[k] == Byte.colon { localStart = k + 1 }
        self.localStart = localStart
        localCount = start + count - localStart
    }

    /// Whether the local name is `name`.
    func `is`(_ name: StaticString) -> Bool {
        guard localCount == name.utf8CodeUnitCount else { return false }
        let bytes = name.utf8Start
        for k in 0..<localCount where buffer[localStart + k] != bytes[k] { return false }
        return true
    }

    /// The local name as a string.
    var localName: String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[localStart..<(localStart + localCount)]), as: UTF8.self)
    }
}

/// The attributes of the start tag being reported; valid only during the handler call.
struct XMLAttributes {
    struct Span {
        var name: Int
        var nameCount: Int
        var value: Int
        var valueCount: Int
        var needsDecoding: Bool
    }

    let buffer: UnsafeBufferPointer<UInt8>
    let spans: [Span]

    /// The decoded value of the attribute whose local name is `name`, or nil when absent or undecodable.
    func value(_ name: StaticString) -> String? {
        for span in spans where XMLName(buffer: buffer, start: span.name, count: span.nameCount).is(name) {
            let range = span.value..<(span.value + span.valueCount)
            guard span.needsDecoding else { return String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self) }
            var decoded: [UInt8] = []
            guard (try? XMLEntities.decode(buffer, range, into: &decoded)) != nil else { return nil }
            return String(decoding: decoded, as: UTF8.self)
        }
        return nil
    }
}

/// The bytes the tokenizer looks for.
enum Byte {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&"), slash = UInt8(ascii: "/")
    static let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), equals = UInt8(ascii: "="), colon = UInt8(ascii: ":")
    static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'"), semicolon = UInt8(ascii: ";")
    static let newline = UInt8(ascii: "\n")

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
    @inline(__always) static func endsName(_ b: UInt8) -> Bool { isSpace(b) || b == gt || b == slash || b == lt }
}
