import DeskReadyModel
import Foundation
import Testing

/// The one-pass batch decoder must agree with `Codable` on every body: the same batch when valid, and when it
/// declines, `WireCoding.decodeBatch` must report exactly what `JSONDecoder` reports.
@Suite("Fast batch decoder")
struct FastBatchDecoderTests {
    /// What decoding a body comes to: the batch, or the field problem the collector would report.
    enum Decoded: Equatable {
        case batch(Batch)
        case problem(String, String)
    }

    static func codable(_ body: [UInt8]) -> Decoded {
        do {
            return .batch(try JSONDecoder().decode(Batch.self, from: Data(body)))
        } catch {
            let problem = WireCoding.fieldProblem(for: error)
            return .problem(problem.pointer, problem.problem)
        }
    }

    static func combined(_ body: [UInt8]) -> Decoded {
        do {
            return .batch(try WireCoding.decodeBatch(Data(body)))
        } catch {
            let problem = WireCoding.fieldProblem(for: error)
            return .problem(problem.pointer, problem.problem)
        }
    }

    static let id = "0190b8a0-0000-7000-8000-00000000000"
    static func body(events: String, extra: String = "") -> String {
        #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"ws-1","trust":"RXX","site":"RXX01"},"sent_at_ms":1790000000000,"events":[\#(events)]\#(extra)}"#
    }
    static func event(_ fields: String = "", id: Int = 1) -> String {
        #"{"id":"\#(Self.id)\#(id)","kind":"logon","name":"x11","started_at_ms":1789999000000,"duration_ms":31234,"outcome":"ok"\#(fields)}"#
    }

    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomString(_ random: inout Random) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "ß", "€", "漢", "😀", "\u{7F}", "\u{2028}", "e\u{301}"]
        return (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    /// Map keys without characters the encoder escapes: a key spelled with escapes is left to Codable on purpose.
    static func randomKey(_ random: inout Random) -> String {
        let pieces = ["a", "Z", "0", " ", "é", "ß", "漢", "😀", "e\u{301}"]
        return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func randomBatch(_ random: inout Random) -> Batch {
        let count = Int.random(in: 1...40, using: &random)
        let limits: [Int64] = [0, 1, -1, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 1_790_000_000_000]
        func number() -> Int64 {
            Bool.random(using: &random) ? limits.randomElement(using: &random)! : Int64.random(in: Int64.min...Int64.max, using: &random)
        }
        let events = (0..<count).map { _ in
            MeasurementEvent(
                id: UUID(uuid: (UInt8.random(in: 0...255, using: &random), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, UInt8.random(in: 0...255, using: &random))),
                kind: EventKind(rawValue: Bool.random(using: &random) ? "logon" : randomString(&random)),
                name: randomString(&random), startedAtMs: number(), durationMs: number(),
                phases: Bool.random(using: &random) ? nil : Dictionary(uniqueKeysWithValues: (0..<Int.random(in: 0...4, using: &random)).map { ("p\($0)" + randomKey(&random), number()) }),
                outcome: Outcome.random(&random),
                user: Bool.random(using: &random) ? nil : randomString(&random),
                attributes: Bool.random(using: &random) ? nil : Dictionary((0..<Int.random(in: 0...5, using: &random)).map { ("k\($0)" + randomKey(&random), randomString(&random)) }, uniquingKeysWith: { a, _ in a }))
        }
        let device = DeviceIdentity(id: randomString(&random), trust: "RXX", site: randomString(&random),
                                    agentVersion: Bool.random(using: &random) ? nil : randomString(&random))
        return Batch(schemaVersion: Int(truncatingIfNeeded: number()), batchId: UUIDv7.make(), device: device, sentAtMs: number(), events: events)
    }

    @Test("Random batches round-trip through the encoder and the fast decoder, equal to Codable's result")
    func roundTrips() throws {
        var random = Random(state: 7)
        let encoder = WireCoding.encoder()
        let plain = JSONEncoder()
        for round in 0..<300 {
            let batch = Self.randomBatch(&random)
            let data = try (round % 2 == 0 ? encoder : plain).encode(batch)
            let fast = try #require(FastBatchDecoder.decode(data), "round \(round): \(String(decoding: data, as: UTF8.self))")
            #expect(fast == batch)
            #expect(fast == (try JSONDecoder().decode(Batch.self, from: data)))
        }
    }

    @Test("A batch with every field set decodes on the fast path exactly as with Codable (a field added to the wire types must be set here)")
    func everyFieldSet() throws {
        let event = MeasurementEvent(kind: .logon, name: "x11", startedAtMs: 1_790_000_000_000, durationMs: 12_345,
                                     phases: ["authentication": 1_200, "responsive": 3_000], outcome: .incomplete,
                                     user: "0123456789abcdef0123456789abcdef", attributes: ["cohort": "first_logon", "reason": "é ✓"])
        let batch = Batch(schemaVersion: 2, batchId: UUIDv7.make(), device: DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01", agentVersion: "1.4.0"),
                          sentAtMs: 1_790_000_001_000, events: [event])
        // Every stored property of the wire types is set: a new optional one left nil here fails this check, so that
        // the comparison below covers it too (the fast decoder is written by hand and could skip it silently).
        for (owner, value) in [("Batch", batch as Any), ("DeviceIdentity", batch.device), ("MeasurementEvent", event)] {
            for child in Mirror(reflecting: value).children {
                let mirror = Mirror(reflecting: child.value)
                #expect(mirror.displayStyle != .optional || !mirror.children.isEmpty, "\(owner).\(child.label ?? "?") is nil: set it in this test")
            }
        }
        for encoder in [WireCoding.encoder(), JSONEncoder()] {
            let data = try encoder.encode(batch)
            let fast = try #require(FastBatchDecoder.decode(data))
            #expect(fast == batch)
            #expect(fast == (try JSONDecoder().decode(Batch.self, from: data)))
        }
    }

    @Test("Spacing, key order, nulls for optional fields and unknown members decode as with Codable, on the fast path")
    func equivalentOnValidInput() throws {
        let bodies = [
            Self.body(events: Self.event()),
            Self.body(events: Self.event(#","phases":null,"user":null,"attributes":null"#)),
            Self.body(events: Self.event(#","phases":{},"attributes":{}"#)),
            Self.body(events: Self.event(#","future":{"a":[1,2.5e-3,-0.0,true,false,null,"x\n",{"b":[]}]},"also":-12.5E+2"#), extra: #","later":[]"#),
            " \n\t\r" + Self.body(events: Self.event(#" , "phases" : { "authentication" : 1200 , "responsive" : 0 } "#) + " , " + Self.event(id: 2)) + " \n",
            #"{"events":[{"outcome":"timeout","duration_ms":5,"started_at_ms":-5,"name":"n","kind":"probe","id":"0190B8A0-0000-7000-8000-0000000000AB"}],"sent_at_ms":0,"device":{"site":"S","trust":"T","id":"i"},"batch_id":"0190b8a0-0000-7000-8000-000000000000","schema_version":99}"#,
        ]
        for body in bodies {
            let bytes = Array(body.utf8)
            let fast = try #require(FastBatchDecoder.decode(bytes), "declined: \(body)")
            #expect(Self.codable(bytes) == .batch(fast), "\(body)")
        }
    }

    @Test("Unicode escapes, surrogate pairs and raw UTF-8 in values decode on the fast path as with Codable")
    func unicode() throws {
        let values = [
            #"\u00e9t\u00E9"#, #"\ud83d\ude00 smile"#, #"tab\tnew\nline\r\"q\" \\ \/ \b\f"#, #"\u0000nul"#, "raw é 漢 😀", #"e\u0301"#, #"\u2028"#,
        ]
        for value in values {
            let body = Self.body(events: Self.event(#","user":"\#(value)","attributes":{"k":"\#(value)"}"#))
            let bytes = Array(body.utf8)
            let fast = try #require(FastBatchDecoder.decode(bytes), "declined: \(value)")
            #expect(Self.codable(bytes) == .batch(fast))
        }
        let smile = try #require(FastBatchDecoder.decode(Array(Self.body(events: Self.event(#","user":"\ud83d\ude00""#)).utf8)))
        #expect(smile.events[0].user == "😀")
    }

    @Test("Integers at the limits of Int64 decode; beyond them the fast path declines and the error is Codable's")
    func numbers() throws {
        for value in ["9223372036854775807", "-9223372036854775808", "0", "-1"] {
            let bytes = Array(Self.body(events: #"{"id":"\#(Self.id)1","kind":"boot","name":"b","started_at_ms":\#(value),"duration_ms":\#(value),"outcome":"ok"}"#).utf8)
            let fast = try #require(FastBatchDecoder.decode(bytes), "declined \(value)")
            #expect(fast.events[0].startedAtMs == Int64(value))
            #expect(Self.codable(bytes) == .batch(fast))
        }
        for value in ["9223372036854775808", "-9223372036854775809", "1.5", "1e3", "1.0", "-0", "01", "+1", "-", "1.", ".5", "0x10", "\"1\"", "null", "true"] {
            let bytes = Array(Self.body(events: #"{"id":"\#(Self.id)1","kind":"boot","name":"b","started_at_ms":1,"duration_ms":\#(value),"outcome":"ok"}"#).utf8)
            #expect(FastBatchDecoder.decode(bytes) == nil || Self.codable(bytes) == Self.combined(bytes), "\(value)")
            #expect(Self.combined(bytes) == Self.codable(bytes), "\(value)")
        }
    }

    @Test("Every invalid body falls back to Codable and gives its field path and message", arguments: [
        "", "not json", "{}", "[]", "null", #"{"schema_version":1}"#, #"{"schema_version":"one"}"#,
        body(events: event()) + "x", body(events: event()) + "}", String(body(events: event()).dropLast()),
        body(events: ""), body(events: "null"), body(events: event() + ","), body(events: event(#","phases":{"a":"b"}"#)),
        body(events: event(#","phases":{"a":1,"a":2}"#)), body(events: event(#","attributes":{"k":1}"#)),
        body(events: event(#","attributes":{"k":"a","k":"b"}"#)), body(events: event(#","attributes":{"\u0041":"a","A":"b"}"#)),
        body(events: event(#","attributes":{"é":"a","e\u0301":"b"}"#)), body(events: event(#","user":5"#)),
        body(events: event(#","user":"\ud83d""#)), body(events: event(#","user":"\ude00""#)), body(events: event(#","user":"\u12""#)),
        body(events: event(#","user":"\x""#)), body(events: event(#","user":"a"#) + "\u{1}\"}"), body(events: event(#","id":"x""#)),
        body(events: event(#","kind":null"#)), body(events: event(#","name":"a","name":"b""#)),
        body(events: event(#","future":[1,]"#)), body(events: event(#","future":tru"#)), body(events: event(#","future":{"a":1,}"#)),
        body(events: event(#","future":01"#)), body(events: event(#","future":1.e5"#)),
        #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-00000000000g","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#,
        #"{"schema_version":1,"batch_id":"0190b8a000007000800000000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#,
        #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX"},"sent_at_ms":1,"events":[]}"#,
        #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[{"id":"0190b8a0-0000-7000-8000-000000000001","kind":"boot","name":"b","started_at_ms":1,"duration_ms":"slow","outcome":"ok"}]}"#,
        #"{"schema_version":1,"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#,
        #"{"sch\u0065ma_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#,
    ])
    func fallsBack(body: String) {
        let bytes = Array(body.utf8)
        #expect(Self.combined(bytes) == Self.codable(bytes))
    }

    @Test("Invalid UTF-8 and deep nesting fall back with Codable's answer")
    func invalidBytes() {
        var invalid = Array(Self.body(events: Self.event(#","user":"ab""#)).utf8)
        let at = invalid.firstIndex(of: UInt8(ascii: "b"))!
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            invalid.replaceSubrange(at...at, with: bad)
            #expect(FastBatchDecoder.decode(invalid) == nil)
            #expect(Self.combined(invalid) == Self.codable(invalid))
            invalid = Array(Self.body(events: Self.event(#","user":"ab""#)).utf8)
        }
        let deep = Array(Self.body(events: Self.event(#","future":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200))).utf8)
        #expect(Self.combined(deep) == Self.codable(deep))
    }
}

extension Outcome {
    static func random(_ random: inout FastBatchDecoderTests.Random) -> Outcome {
        [.ok, .failed, .timeout, .incomplete, Outcome(rawValue: "new")].randomElement(using: &random)!
    }
}
