import DeskReadyModel
import Foundation
import Testing

/// `device.agent_version`: optional, decoded by the fast decoder exactly as by `Codable`, and checked by the validator.
@Suite("Agent version on the wire")
struct AgentVersionWireTests {
    typealias Bodies = FastBatchDecoderTests

    static func body(device: String) -> String {
        #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":\#(device),"sent_at_ms":1790000000000,"events":[\#(Bodies.event())]}"#
    }

    @Test("Present, null, absent and escaped agent versions decode on the fast path as with Codable", arguments: [
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":"1.2.0 (0123abcdef01)"}"#,
        #"{"agent_version":"0.9.0-dev (unknown)","site":"RXX01","trust":"RXX","id":"ws-1"}"#,
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":null}"#,
        #"{"id":"ws-1","trust":"RXX","site":"RXX01"}"#,
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":"v\u00e9 \"x\""}"#,
    ])
    func decodes(device: String) throws {
        let bytes = Array(Self.body(device: device).utf8)
        let fast = try #require(FastBatchDecoder.decode(bytes), "declined: \(device)")
        #expect(Bodies.codable(bytes) == .batch(fast))
        #expect(fast.device.agentVersion == (try JSONDecoder().decode(Batch.self, from: Data(bytes))).device.agentVersion)
    }

    @Test("A mistyped or repeated agent version falls back to Codable with its answer", arguments: [
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":5}"#,
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":"a","agent_version":"b"}"#,
        #"{"id":"ws-1","trust":"RXX","site":"RXX01","agent_version":["1"]}"#,
    ])
    func fallsBack(device: String) {
        let bytes = Array(Self.body(device: device).utf8)
        #expect(Bodies.combined(bytes) == Bodies.codable(bytes))
    }

    @Test("Encoding leaves a missing agent version out, and round-trips a present one")
    func encodes() throws {
        let without = Batch(batchId: UUIDv7.make(), device: DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01"), sentAtMs: 1, events: [])
        #expect(!String(decoding: try WireCoding.encoder().encode(without), as: UTF8.self).contains("agent_version"))
        var with = without
        with.device.agentVersion = "1.2.0 (0123abcdef01)"
        let data = try WireCoding.encoder().encode(with)
        #expect(FastBatchDecoder.decode(Array(data)) == with)
    }

    @Test("The validator refuses an empty, over-long or control-character agent version, naming the field")
    func validated() {
        let validator = BatchValidator()
        for bad in ["", String(repeating: "1", count: 65), "1.0\u{7}", "1.0\u{85}"] {
            let batch = Batch(batchId: UUIDv7.make(), device: DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01", agentVersion: bad),
                              sentAtMs: 1, events: [MeasurementEvent(kind: .boot, name: "b", startedAtMs: 1, durationMs: 1)])
            #expect(validator.batchProblems(batch).map(\.pointer) == ["/device/agent_version"], "\(bad.debugDescription)")
        }
        let good = Batch(batchId: UUIDv7.make(), device: DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01", agentVersion: String(repeating: "é", count: 64)),
                         sentAtMs: 1, events: [MeasurementEvent(kind: .boot, name: "b", startedAtMs: 1, durationMs: 1)])
        #expect(validator.batchProblems(good).isEmpty)
    }
}
