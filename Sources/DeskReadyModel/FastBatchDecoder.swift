/// A one-pass decoder for the batch wire format, straight from the bytes to a `Batch`, for the collector's hot path.
///
/// It understands exactly the JSON that `JSONDecoder` turns into a valid `Batch`, in its ordinary spelling, and gives
/// the same value. Whenever it meets anything else — invalid JSON, a missing or mistyped field, a duplicate key, a
/// number with a fraction or exponent or out of range, a lone surrogate, invalid UTF-8, a key spelled with escapes,
/// deep nesting — it gives up and returns nil, and the caller decodes with `Codable`, which either succeeds or says
/// precisely what is wrong. So the fast path never changes what is accepted or how problems are reported.
public enum FastBatchDecoder {
    /// The batch, or nil when the body needs the `Codable` decoder (to decode it or to say what is wrong with it).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> Batch? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return nil }
        var parser = Parser(base: base, end: bytes.count)
        guard let batch = parser.batch() else { return nil }
        parser.skipWhitespace()
        return parser.position == parser.end ? batch : nil
    }

    public static func decode(_ data: Data) -> Batch? {
        data.withUnsafeBytes { decode($0) }
    }

    public static func decode(_ bytes: [UInt8]) -> Batch? {
        bytes.withUnsafeBytes { decode($0) }
    }
}

extension WireCoding {
    /// Decodes a batch body: the one-pass decoder first, `JSONDecoder` when it declines (and for every error, so a
    /// problem is reported with the same field path and wording as before).
    public static func decodeBatch(_ data: Data, decoder: JSONDecoder = JSONDecoder()) throws -> Batch {
        if let batch = FastBatchDecoder.decode(data) { return batch }
        return try decoder.decode(Batch.self, from: data)
    }
}

private struct Parser {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    // MARK: bytes

    @inline(__always) mutating func skipWhitespace() {
        while position < end {
            let byte = base[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// Skips whitespace and consumes `byte` when it comes next.
    @inline(__always) mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < end, base[position] == byte else { return false }
        position += 1
        return true
    }

    @inline(__always) mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// `null`, consumed when it comes next.
    mutating func consumeNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), position + 4 <= end,
              base[position + 1] == UInt8(ascii: "u"), base[position + 2] == UInt8(ascii: "l"), base[position + 3] == UInt8(ascii: "l")
        else { return false }
        position += 4
        return true
    }

    // MARK: objects

    /// Walks an object's members: `member` is called with the raw key bytes (no escapes allowed: a key spelled with
    /// escapes sends the body to `Codable`) and must consume the value. False on any problem.
    mutating func object(_ member: (inout Parser, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard consume(UInt8(ascii: "\"")) else { return false }
            let start = position
            var ascii = true
            while position < end {
                let byte = base[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return false }
                if byte >= 0x80 { ascii = false }
                position += 1
            }
            guard position < end else { return false }
            let key = UnsafeBufferPointer(start: base + start, count: position - start)
            // Keys are taken with String(decoding:) below, which would repair invalid UTF-8 that JSONDecoder refuses.
            if !ascii, String(validating: key, as: UTF8.self) == nil { return false }
            position += 1
            guard consume(UInt8(ascii: ":")), member(&self, key) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    // MARK: values

    /// A JSON string, unescaped; nil on invalid JSON, invalid UTF-8 or a lone surrogate.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        var ascii = true
        while position < end {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: base + start, count: position - start)
                position += 1
                return ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        return nil
    }

    /// The rest of a string that holds escapes, `position` at the first backslash.
    mutating func escapedString(from start: Int) -> String? {
        var bytes = [UInt8](UnsafeBufferPointer(start: base + start, count: position - start))
        while position < end {
            let byte = base[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < end else { return nil }
                let escape = base[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalarValue = UInt32(unit)
                    if (0xD800..<0xDC00).contains(unit) {
                        guard position + 2 <= end, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") else { return nil }
                        position += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(unit) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(scalarValue), let encoded = UTF8.encode(scalar) else { return nil }
                    bytes.append(contentsOf: encoded)
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                bytes.append(byte)
            }
        }
        return nil
    }

    mutating func hex4() -> UInt16? {
        guard position + 4 <= end else { return nil }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(base[position]) else { return nil }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A whole number in plain spelling (`-?(0|[1-9][0-9]*)`) that fits in Int64. Fractions, exponents, `-0` and
    /// overflow are left to `Codable`.
    mutating func int64() -> Int64? {
        skipWhitespace()
        guard position < end else { return nil }
        let negative = base[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < end else { return nil }
        let first = base[position]
        guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        var value: Int64 = 0
        if first == UInt8(ascii: "0") {
            position += 1
            if negative { return nil }
        } else {
            while position < end {
                let byte = base[position]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                let digit = Int64(byte - UInt8(ascii: "0"))
                // Accumulate negatively so Int64.min fits.
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                value = next
                position += 1
            }
        }
        if position < end {
            let next = base[position]
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
        }
        if negative { return value }
        guard value != Int64.min else { return nil }
        return -value
    }

    /// A UUID string in the 8-4-4-4-12 hex form `UUID(uuidString:)` reads.
    mutating func uuid() -> UUID? {
        guard consume(UInt8(ascii: "\"")), position + 37 <= end, base[position + 36] == UInt8(ascii: "\"") else { return nil }
        let text = base + position
        guard text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"), text[23] == UInt8(ascii: "-")
        else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var offset = 0
            for index in 0..<16 {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 { offset += 1 }
                guard let high = Self.hexValue(text[offset]), let low = Self.hexValue(text[offset + 1]) else { return false }
                out[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        guard ok else { return nil }
        position += 37
        return UUID(uuid: bytes)
    }

    /// Skips one JSON value of any type, checking it is valid JSON.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 64, let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"):
            var keys = Set<String>()
            return object { parser, key in
                guard keys.insert(String(decoding: key, as: UTF8.self)).inserted else { return false }
                return parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            position += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            return number()
        }
    }

    mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= end else { return false }
        for index in 0..<count where base[position + index] != text.utf8Start[index] { return false }
        position += count
        return true
    }

    /// Any JSON number, strictly by the grammar.
    mutating func number() -> Bool {
        func digits(_ parser: inout Parser) -> Int {
            var count = 0
            while parser.position < parser.end, parser.base[parser.position] >= UInt8(ascii: "0"), parser.base[parser.position] <= UInt8(ascii: "9") {
                parser.position += 1
                count += 1
            }
            return count
        }
        if position < end, base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { return false }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else if digits(&self) == 0 {
            return false
        }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { return false }
        }
        if position < end, base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
            position += 1
            if position < end, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { return false }
        }
        return true
    }

    // MARK: the batch

    mutating func batch() -> Batch? {
        var schemaVersion: Int?
        var batchId: UUID?
        var device: DeviceIdentity?
        var sentAtMs: Int64?
        var events: [MeasurementEvent]?
        let ok = object { parser, key in
            if Self.equals(key, "schema_version") {
                guard schemaVersion == nil, let value = parser.int64() else { return false }
                schemaVersion = Int(value)
            } else if Self.equals(key, "batch_id") {
                guard batchId == nil, let value = parser.uuid() else { return false }
                batchId = value
            } else if Self.equals(key, "device") {
                guard device == nil, let value = parser.device() else { return false }
                device = value
            } else if Self.equals(key, "sent_at_ms") {
                guard sentAtMs == nil, let value = parser.int64() else { return false }
                sentAtMs = value
            } else if Self.equals(key, "events") {
                guard events == nil, let value = parser.events() else { return false }
                events = value
            } else {
                return parser.skipUnknown(key)
            }
            return true
        }
        guard ok, let schemaVersion, let batchId, let device, let sentAtMs, let events else { return nil }
        return Batch(schemaVersion: schemaVersion, batchId: batchId, device: device, sentAtMs: sentAtMs, events: events)
    }

    /// An unknown member is ignored, as `Codable` does, once it is known to be valid JSON.
    mutating func skipUnknown(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        skipValue(depth: 1)
    }

    mutating func device() -> DeviceIdentity? {
        var id: String?
        var trust: String?
        var site: String?
        var agentVersion: String?
        var agentVersionSeen = false
        let ok = object { parser, key in
            if Self.equals(key, "id") {
                guard id == nil, let value = parser.string() else { return false }
                id = value
            } else if Self.equals(key, "trust") {
                guard trust == nil, let value = parser.string() else { return false }
                trust = value
            } else if Self.equals(key, "site") {
                guard site == nil, let value = parser.string() else { return false }
                site = value
            } else if Self.equals(key, "agent_version") {
                guard !agentVersionSeen else { return false }
                agentVersionSeen = true
                if parser.consumeNull() { return true }
                guard let value = parser.string() else { return false }
                agentVersion = value
            } else {
                return parser.skipUnknown(key)
            }
            return true
        }
        guard ok, let id, let trust, let site else { return nil }
        return DeviceIdentity(id: id, trust: trust, site: site, agentVersion: agentVersion)
    }

    mutating func events() -> [MeasurementEvent]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var events: [MeasurementEvent] = []
        if consume(UInt8(ascii: "]")) { return events }
        // A rough guess from the body size avoids most regrowth (~150 bytes an event).
        events.reserveCapacity(min(5_000, max(1, (end - position) / 150)))
        repeat {
            guard let event = event() else { return nil }
            events.append(event)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? events : nil
    }

    mutating func event() -> MeasurementEvent? {
        var id: UUID?
        var kind: String?
        var name: String?
        var startedAtMs: Int64?
        var durationMs: Int64?
        var phases: [String: Int64]?
        var phasesSeen = false
        var outcome: String?
        var user: String?
        var userSeen = false
        var attributes: [String: String]?
        var attributesSeen = false
        let ok = object { parser, key in
            switch key.count {
            case 2 where Self.equals(key, "id"):
                guard id == nil, let value = parser.uuid() else { return false }
                id = value
            case 4 where Self.equals(key, "kind"):
                guard kind == nil, let value = parser.string() else { return false }
                kind = value
            case 4 where Self.equals(key, "name"):
                guard name == nil, let value = parser.string() else { return false }
                name = value
            case 4 where Self.equals(key, "user"):
                guard !userSeen else { return false }
                userSeen = true
                if parser.consumeNull() { return true }
                guard let value = parser.string() else { return false }
                user = value
            case 6 where Self.equals(key, "phases"):
                guard !phasesSeen else { return false }
                phasesSeen = true
                if parser.consumeNull() { return true }
                guard let value = parser.phases() else { return false }
                phases = value
            case 7 where Self.equals(key, "outcome"):
                guard outcome == nil, let value = parser.string() else { return false }
                outcome = value
            case 10 where Self.equals(key, "attributes"):
                guard !attributesSeen else { return false }
                attributesSeen = true
                if parser.consumeNull() { return true }
                guard let value = parser.attributes() else { return false }
                attributes = value
            case 11 where Self.equals(key, "duration_ms"):
                guard durationMs == nil, let value = parser.int64() else { return false }
                durationMs = value
            case 13 where Self.equals(key, "started_at_ms"):
                guard startedAtMs == nil, let value = parser.int64() else { return false }
                startedAtMs = value
            default:
                return parser.skipUnknown(key)
            }
            return true
        }
        guard ok, let id, let kind, let name, let startedAtMs, let durationMs, let outcome else { return nil }
        return MeasurementEvent(
            id: id, kind: EventKind(rawValue: kind), name: name, startedAtMs: startedAtMs, durationMs: durationMs,
            phases: phases, outcome: Outcome(rawValue: outcome), user: user, attributes: attributes)
    }

    mutating func phases() -> [String: Int64]? {
        var values: [String: Int64] = [:]
        let ok = object { parser, key in
            guard let value = parser.int64() else { return false }
            return values.updateValue(value, forKey: Self.keyString(key)) == nil
        }
        return ok ? values : nil
    }

    mutating func attributes() -> [String: String]? {
        var values: [String: String] = [:]
        let ok = object { parser, key in
            guard let value = parser.string() else { return false }
            return values.updateValue(value, forKey: Self.keyString(key)) == nil
        }
        return ok ? values : nil
    }

    /// A key's text; keys reach here without escapes and as valid UTF-8 (checked in `object`).
    @inline(__always) static func keyString(_ key: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: key, as: UTF8.self)
    }

    @inline(__always) static func equals(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard key.count == count else { return false }
        let expected = name.utf8Start
        for index in 0..<count where key[index] != expected[index] { return false }
        return true
    }
}
