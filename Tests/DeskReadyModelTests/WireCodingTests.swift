import DeskReadyModel
import Testing

@Suite("Wire coding")
struct WireCodingTests {
    @Test("A batch round-trips through JSON with snake_case keys")
    func roundTrip() throws {
        let batch = Batch(
            batchId: UUIDv7.make(), device: .init(id: "ws-1", trust: "RXX", site: "RXX01"), sentAtMs: 1_790_000_000_000,
            events: [MeasurementEvent(kind: .logon, name: "x11", startedAtMs: 1_789_999_000_000, durationMs: 31_234,
                                      phases: ["authentication": 1_200], outcome: .ok, user: "abc", attributes: ["k": "v"])])
        let data = try WireCoding.encoder().encode(batch)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"schema_version\":1"))
        #expect(text.contains("\"started_at_ms\":1789999000000"))
        #expect(try WireCoding.decoder().decode(Batch.self, from: data) == batch)
    }

    @Test("Decoding failures point at the field", arguments: [
        (#"{"schema_version":1}"#, "/batch_id"),
        (#"{"schema_version":"one"}"#, "/schema_version"),
        (#"not json"#, ""),
    ])
    func pointers(body: String, pointer: String) {
        do {
            _ = try WireCoding.decoder().decode(Batch.self, from: Data(body.utf8))
            Issue.record("decoding should fail")
        } catch {
            #expect(WireCoding.fieldProblem(for: error).pointer == pointer)
        }
    }

    @Test("A mistyped field deep in an event is located by index")
    func deepPointer() throws {
        let body = #"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[{"id":"0190b8a0-0000-7000-8000-000000000001","kind":"boot","name":"b","started_at_ms":1,"duration_ms":"slow","outcome":"ok"}]}"#
        do {
            _ = try WireCoding.decoder().decode(Batch.self, from: Data(body.utf8))
            Issue.record("decoding should fail")
        } catch {
            let problem = WireCoding.fieldProblem(for: error)
            #expect(problem.pointer == "/events/0/duration_ms")
            #expect(problem.problem == "must be an integer")
        }
    }

    @Test("UUIDv7: version and variant bits, time order, embedded time")
    func uuidV7() {
        let a = UUIDv7.make(unixMs: 1_790_000_000_000)
        let b = UUIDv7.make(unixMs: 1_790_000_000_001)
        #expect(a.uuid.6 >> 4 == 7)
        #expect(a.uuid.8 >> 6 == 2)
        #expect(UUIDv7.unixMs(of: a) == 1_790_000_000_000)
        #expect(a.uuidString < b.uuidString)
    }
}
