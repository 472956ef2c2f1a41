import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Enrolment as a fleet meets it: cloned images sharing a device id, a revoked device trying to come back, and an
/// administrator restoring it, over real HTTP with the agent's own uploader and the real agent binary.
@Suite("Device identity")
struct DeviceIdentityTests {
    func machine(_ dir: TemporaryDirectory, name: String, collector: String, enrolment: String) throws -> (config: AgentConfig, path: String) {
        var config = AgentConfig()
        config.collectorURL = collector
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = "golden-image-01"
        config.enrolmentToken = enrolment
        config.pseudonymKey = "identity-test-secret-key-0001"
        config.spoolPath = dir.file("\(name).sqlite")
        config.batchMaxAgeSeconds = 0
        let path = dir.file("\(name).yaml")
        try """
            collector_url: \(collector)
            trust: RXX
            site: RXX01
            device_id: golden-image-01
            enrolment_token: \(enrolment)
            pseudonym_key: identity-test-secret-key-0001
            spool_path: \(config.spoolPath)
            mark_drop_dir: \(dir.path)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return (config, path)
    }

    func send(_ config: AgentConfig, events: Int) async throws -> Uploader.Result {
        try await blocking {
            let spool = try Spool(path: config.spoolPath)
            try spool.append(contentsOf: (0..<events).map { i in Fixtures.event(durationMs: Int64(1_000 + i)) })
            return try Uploader(spool: spool, config: config, transport: CurlTransport()).drain()
        }
    }

    @Test("A clone sharing the device id is refused with the fix; revocation is sticky until restored; enrol --force keeps the spool")
    func cloneRevokeRestore() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-identity")
        defer { dir.remove() }
        let collector = try await TestCollector.start()
        defer { Task { try? await collector.stop() } }
        try await collector.ensureTrust("RXX")
        let enrolment = try await collector.store.issueToken(role: .enrolment, trust: "RXX", label: "wave", expiresMs: nil).token
        let first = try machine(dir, name: "first", collector: collector.url, enrolment: enrolment)
        let clone = try machine(dir, name: "clone", collector: collector.url, enrolment: enrolment)

        #expect(try await send(first.config, events: 3) == .acknowledged(accepted: 3, duplicates: 0, rejected: 0))
        // The clone enrols with the same id from another machine: refused, and the first machine keeps its token.
        guard case .retry(let reason, _) = try await send(clone.config, events: 2) else {
            Issue.record("the clone was not refused")
            return
        }
        #expect(reason.contains("already enrolled from another machine"))
        #expect(reason.contains("device_id"))
        let cloneStatus = try await run(agent, ["status", "--config", clone.path])
        #expect(cloneStatus.stdout.contains("already enrolled from another machine"))
        #expect(try await send(first.config, events: 1) == .acknowledged(accepted: 1, duplicates: 0, rejected: 0))
        #expect(try await collector.storedEventCount() == 4)

        // Revoked: the token stops working and enrolling again cannot undo it.
        try await collector.store.revokeDevice(trust: "RXX", deviceId: "golden-image-01")
        guard case .retry(let refused, _) = try await send(first.config, events: 2) else {
            Issue.record("a revoked device's batch was not refused")
            return
        }
        #expect(refused.contains("enrol --force"))
        let again = try await run(agent, ["enrol", "--force", "--config", first.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("deskready device restore"))
        #expect(try await collector.storedEventCount() == 4)

        // Restored by an admin: enrol --force gets a new token and the events spooled meanwhile are delivered.
        try await collector.store.restoreDevice(trust: "RXX", deviceId: "golden-image-01")
        let restored = try await run(agent, ["enrol", "--force", "--config", first.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("2 events wait to be sent"))
        #expect(try await send(first.config, events: 0) == .acknowledged(accepted: 2, duplicates: 0, rejected: 0))
        #expect(try await collector.storedEventCount() == 6)
    }
}
