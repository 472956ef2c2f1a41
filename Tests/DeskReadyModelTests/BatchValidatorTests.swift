import DeskReadyModel
import Testing

@Suite("Wire validation")
struct BatchValidatorTests {
    let validator = BatchValidator()
    let now: Int64 = 1_790_000_000_000

    func event(_ change: (inout MeasurementEvent) -> Void = { _ in }) -> MeasurementEvent {
        var event = MeasurementEvent(kind: .logon, name: "x11", startedAtMs: now - 60_000, durationMs: 25_000)
        change(&event)
        return event
    }

    @Test("ODS codes: trusts of 3 to 5 upper-case characters, sites prefixed by their trust")
    func odsCodes() {
        #expect(ODSCode.isValidTrust("RXX"))
        #expect(ODSCode.isValidTrust("R1A2B"))
        #expect(!ODSCode.isValidTrust("rxx"))
        #expect(!ODSCode.isValidTrust("RX"))
        #expect(!ODSCode.isValidTrust("RXXXXX"))
        #expect(ODSCode.isValidSite("RXX01", trust: "RXX"))
        #expect(!ODSCode.isValidSite("RYY01", trust: "RXX"))
        #expect(!ODSCode.isValidSite("RXX-01", trust: "RXX"))
    }

    @Test("A good batch has no problems")
    func goodBatch() {
        let batch = Batch(batchId: UUIDv7.make(), device: .init(id: "ws-1", trust: "RXX", site: "RXX01"), sentAtMs: now, events: [event()])
        #expect(validator.batchProblems(batch).isEmpty)
        #expect(validator.eventProblem(batch.events[0], nowMs: now) == nil)
    }

    @Test("Whole-batch problems name their field")
    func batchProblems() {
        let batch = Batch(schemaVersion: 9, batchId: UUIDv7.make(), device: .init(id: "ws 1", trust: "RXX", site: "RYY01"), sentAtMs: now, events: [])
        let pointers = validator.batchProblems(batch).map(\.pointer)
        #expect(pointers == ["/schema_version", "/device/id", "/device/site", "/events"])
    }

    @Test("Too many events in one batch")
    func tooManyEvents() {
        var limits = WireLimits()
        limits.maxEventsPerBatch = 2
        let batch = Batch(batchId: UUIDv7.make(), device: .init(id: "ws", trust: "RXX", site: "RXX01"), sentAtMs: now, events: [event(), event(), event()])
        #expect(BatchValidator(limits: limits).batchProblems(batch).map(\.pointer) == ["/events"])
    }

    @Test("Event problems: kind, outcome, duration, clock window, sizes", arguments: [
        ("kind", "unknown"), ("outcome", "unknown"), ("negative", "duration_ms"), ("long", "duration_ms"),
        ("old", "30 days"), ("future", "1 day"), ("name", "name"), ("attributes", "attributes"), ("phase", "phase"),
    ])
    func eventProblems(change: String, expected: String) throws {
        let bad = event { e in
            switch change {
            case "kind": e.kind = EventKind(rawValue: "reboot")
            case "outcome": e.outcome = Outcome(rawValue: "meh")
            case "negative": e.durationMs = -1
            case "long": e.durationMs = 86_400_001
            case "old": e.startedAtMs = now - 31 * 86_400_000
            case "future": e.startedAtMs = now + 2 * 86_400_000
            case "name": e.name = String(repeating: "a", count: 129)
            case "attributes": e.attributes = Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") })
            case "phase": e.phases = ["authentication": -5]
            default: break
            }
        }
        let problem = try #require(validator.eventProblem(bad, nowMs: now))
        #expect(problem.contains(expected))
    }
}
