import DeskReadyModel
import Foundation
import Testing

/// The collector's per-event checks that keep raw user names, control characters and nil ids out of storage.
@Suite("Event privacy and text checks")
struct EventPrivacyTests {
    let validator = BatchValidator()
    let now = WallClock.nowMs()

    func event(user: String? = "0123456789abcdef0123456789abcdef", name: String = "x11", attributes: [String: String]? = nil,
               phases: [String: Int64]? = nil, id: UUID = UUIDv7.make()) -> MeasurementEvent {
        MeasurementEvent(id: id, kind: .logon, name: name, startedAtMs: now - 1000, durationMs: 100, phases: phases, user: user, attributes: attributes)
    }

    @Test("A pseudonym is 32 lower-case hex digits; anything else is refused with the reason", arguments: [
        "alice", "ALICE", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef0123456789abcdeg", "", "NHS\\jsmith", "jsmith@nhs.net",
    ])
    func notPseudonyms(user: String) {
        let reason = validator.eventProblem(event(user: user), nowMs: now)
        #expect(reason?.contains("not a pseudonym") == true)
    }

    @Test("A pseudonym or no user at all is accepted")
    func pseudonyms() {
        #expect(validator.eventProblem(event(), nowMs: now) == nil)
        #expect(validator.eventProblem(event(user: nil), nowMs: now) == nil)
    }

    @Test("Control characters, NUL included, are refused in names, phase names, attribute names and values")
    func controlCharacters() {
        #expect(validator.eventProblem(event(name: "x\u{0}11"), nowMs: now)?.contains("control character") == true)
        #expect(validator.eventProblem(event(name: "x11\n"), nowMs: now)?.contains("control character") == true)
        #expect(validator.eventProblem(event(attributes: ["k": "v\u{0}"]), nowMs: now)?.contains("control character") == true)
        #expect(validator.eventProblem(event(attributes: ["k\u{7}": "v"]), nowMs: now)?.contains("control character") == true)
        #expect(validator.eventProblem(event(phases: ["auth\u{1b}": 5]), nowMs: now)?.contains("control character") == true)
        #expect(validator.eventProblem(event(name: "Épic – ünïcode ✓"), nowMs: now) == nil)
    }

    @Test("The nil UUID is not an event id")
    func nilUUID() throws {
        let zero = try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000"))
        #expect(validator.eventProblem(event(id: zero), nowMs: now)?.contains("nil UUID") == true)
    }

    @Test("An acknowledgement echoes ids in lower case, as agents send them")
    func lowerCaseIds() throws {
        let id = try #require(UUID(uuidString: "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"))
        let ack = BatchAcknowledgement(batchId: id, accepted: 1, duplicates: 0, rejected: [RejectedEvent(index: 0, eventId: id, reason: "r")], duplicateBatch: false)
        let text = String(decoding: try JSONEncoder().encode(ack), as: UTF8.self)
        #expect(text.contains("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"))
        #expect(!text.contains("0190A1B2"))
        #expect(try JSONDecoder().decode(BatchAcknowledgement.self, from: Data(text.utf8)) == ack)
    }
}
