import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Who may write what: device tokens, enrolment, revocation and trust isolation, over real HTTP.
@Suite("Access control")
struct AccessControlTests {
    @Test("No token, or an unknown one, is 401 with a problem body and WWW-Authenticate; nothing is written")
    func unauthenticated() async throws {
        let collector = try await TestCollector.start()
        let body = try Fixtures.json(Fixtures.batch(events: [Fixtures.event()]))
        let none = try await collector.post("/v1/batches", body: body)
        #expect(none.status == 401)
        #expect(try none.decode(ProblemDetails.self).detail.contains("Authorization: Bearer"))
        let wrong = try await collector.post("/v1/batches", body: body, token: "drd_not-a-real-token")
        #expect(wrong.status == 401)
        #expect(try await collector.storedEventCount() == 0)
        try await collector.stop()
    }

    @Test("A device token writes only its own device and trust: anything else is 403 and nothing is written")
    func otherTrustForbidden() async throws {
        let collector = try await TestCollector.start()
        let tokenA = try await collector.enrol(DeviceIdentity(id: "ws-a", trust: "RXA", site: "RXA01"))
        _ = try await collector.enrol(DeviceIdentity(id: "ws-b", trust: "RXB", site: "RXB01"))
        let intoOtherTrust = Fixtures.batch(events: [Fixtures.event()], device: DeviceIdentity(id: "ws-a", trust: "RXB", site: "RXB01"))
        let refused = try await collector.post("/v1/batches", body: try Fixtures.json(intoOtherTrust), token: tokenA)
        #expect(refused.status == 403)
        #expect(try refused.decode(ProblemDetails.self).detail.contains("Nothing was stored"))
        let asOtherDevice = Fixtures.batch(events: [Fixtures.event()], device: DeviceIdentity(id: "ws-z", trust: "RXA", site: "RXA01"))
        #expect(try await collector.post("/v1/batches", body: try Fixtures.json(asOtherDevice), token: tokenA).status == 403)
        #expect(try await collector.storedEventCount() == 0)
        let own = Fixtures.batch(events: [Fixtures.event()], device: DeviceIdentity(id: "ws-a", trust: "RXA", site: "RXA01"))
        #expect(try await collector.post("/v1/batches", body: try Fixtures.json(own), token: tokenA).status == 200)
        #expect(try await collector.storedEventCount(trust: "RXA") == 1)
        #expect(try await collector.storedEventCount(trust: "RXB") == 0)
        try await collector.stop()
    }

    @Test("A revoked device gets 401 and cannot enrol again until restored; enrolling again issues a new token and revokes the old")
    func revocation() async throws {
        let collector = try await TestCollector.start()
        let token = try await collector.enrol()
        let body = try Fixtures.json(Fixtures.batch(events: [Fixtures.event()]))
        try await collector.store.revokeDevice(trust: "RXX", deviceId: Fixtures.device.id)
        #expect(try await collector.post("/v1/batches", body: body, token: token).status == 401)
        await #expect(throws: IdentityError.deviceRevoked(trust: "RXX", deviceId: Fixtures.device.id)) { try await collector.enrol() }
        let enrolment = try await collector.store.issueToken(role: .enrolment, trust: "RXX", label: "wave", expiresMs: nil).token
        let refused = try await collector.post("/v1/enrol", body: Array(#"{"device_id":"ws-0001","site":"RXX01"}"#.utf8), token: enrolment)
        #expect(refused.status == 403)
        #expect(refused.text.contains("deskready device restore"))
        try await collector.store.restoreDevice(trust: "RXX", deviceId: Fixtures.device.id)
        let second = try await collector.enrol()
        let third = try await collector.enrol()
        #expect(try await collector.post("/v1/batches", body: body, token: second).status == 401)
        #expect(try await collector.post("/v1/batches", body: body, token: third).status == 200)
        try await collector.stop()
    }

    @Test("Enrolment over HTTP: an enrolment token gets a device token for its own trust only")
    func enrolment() async throws {
        let collector = try await TestCollector.start()
        try await collector.ensureTrust("RXX")
        let enrolment = try await collector.store.issueToken(role: .enrolment, trust: "RXX", label: "wave 1", expiresMs: nil).token
        #expect(enrolment.hasPrefix("dre_"))
        let request = Array(try WireCoding.encoder().encode(EnrolmentRequest(deviceId: "ws-9", site: "RXX02")))
        let response = try await collector.post("/v1/enrol", body: request, token: enrolment)
        #expect(response.status == 201)
        let answer = try response.decode(EnrolmentResponse.self)
        #expect(answer.trust == "RXX")
        #expect(answer.deviceToken.hasPrefix("drd_"))
        // The token is stored only as a hash.
        #expect(try await collector.store.credentials().allSatisfy { !$0.label.contains(answer.deviceToken) })
        let batch = Fixtures.batch(events: [Fixtures.event()], device: DeviceIdentity(id: "ws-9", trust: "RXX", site: "RXX02"))
        #expect(try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: answer.deviceToken).status == 200)

        // A site of another trust is refused, and an enrolment token cannot write batches.
        let elsewhere = Array(try WireCoding.encoder().encode(EnrolmentRequest(deviceId: "ws-10", site: "RYY01")))
        let refused = try await collector.post("/v1/enrol", body: elsewhere, token: enrolment)
        #expect(refused.status == 400)
        #expect(try refused.decode(ProblemDetails.self).errors?.first?.pointer == "/site")
        #expect(try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: enrolment).status == 403)

        // An expired enrolment token is refused.
        let expired = try await collector.store.issueToken(role: .enrolment, trust: "RXX", label: "old", expiresMs: WallClock.nowMs() - 1).token
        #expect(try await collector.post("/v1/enrol", body: request, token: expired).status == 401)
        try await collector.stop()
    }
}
