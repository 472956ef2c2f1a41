import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Trusts, tokens and devices, the same on every store.
@Suite("Store contract: identity")
struct IdentityContractTests {
    @Test("Trusts are added once, listed in code order, and refused when the code is not an ODS code", arguments: StoreKind.available)
    func trusts(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.addTrust(ods: "RYY", name: "Y") == TrustRecord.make(ods: "RYY", name: "Y"))
            _ = try await store.addTrust(ods: "RXX", name: "X Hospitals")
            await #expect(throws: IdentityError.trustExists("RXX")) { try await store.addTrust(ods: "RXX", name: "again") }
            await #expect(throws: IdentityError.invalidODS("rx")) { try await store.addTrust(ods: "rx", name: "bad") }
            #expect(try await store.trusts().map(\.ods) == ["RXX", "RYY"])
            #expect(try await store.trustCodes() == ["RXX", "RYY"])
        }
    }

    @Test("Tokens authenticate until revoked or expired, are stored hashed, and list in issue order", arguments: StoreKind.available)
    func tokens(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let now = WallClock.nowMs()
            let admin = try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil)
            let reader = try await store.issueToken(role: .reader, trust: "RXX", label: "cio", expiresMs: now + 60_000)
            #expect(admin.token.hasPrefix("dra_") && reader.token.hasPrefix("drr_"))
            #expect(try await store.authenticate(token: admin.token, nowMs: now) == admin.credential)
            #expect(try await store.authenticate(token: reader.token, nowMs: now)?.trust == "RXX")
            #expect(try await store.authenticate(token: reader.token, nowMs: now + 60_000) == nil, "expired")
            #expect(try await store.authenticate(token: admin.token + "x", nowMs: now) == nil)
            await #expect(throws: IdentityError.unknownTrust("RZZ")) {
                try await store.issueToken(role: .reader, trust: "RZZ", label: "x", expiresMs: nil)
            }
            try await store.revokeToken(id: reader.credential.id)
            try await store.revokeToken(id: reader.credential.id)  // again: no change, no error
            #expect(try await store.authenticate(token: reader.token, nowMs: now) == nil)
            await #expect(throws: IdentityError.unknownCredential(999)) { try await store.revokeToken(id: 999) }
            let listed = try await store.credentials()
            #expect(listed.map(\.id) == [admin.credential.id, reader.credential.id])
            #expect(listed.map(\.label) == ["ops", "cio"])
            #expect(listed[1].revokedMs != nil && listed[0].revokedMs == nil)
            #expect(listed[1].lastUsedMs == now, "a use is recorded, to the minute")
            // Rotating issues a like token with the same lifetime from now and revokes the old one.
            let limited = try await store.issueToken(role: .importer, trust: "RXX", label: "windows logs", expiresMs: now + 86_400_000)
            let rotated = try await store.rotateToken(id: limited.credential.id, nowMs: now + 1_000)
            #expect(rotated.credential.role == .importer && rotated.credential.trust == "RXX" && rotated.credential.label == "windows logs")
            #expect(rotated.credential.expiresMs == now + 1_000 + (now + 86_400_000 - limited.credential.createdMs))
            #expect(try await store.authenticate(token: limited.token, nowMs: now + 2_000) == nil)
            #expect(try await store.authenticate(token: rotated.token, nowMs: now + 2_000)?.id == rotated.credential.id)
            await #expect(throws: IdentityError.inactiveCredential(limited.credential.id)) { try await store.rotateToken(id: limited.credential.id, nowMs: now + 3_000) }
            await #expect(throws: IdentityError.unknownCredential(999)) { try await store.rotateToken(id: 999, nowMs: now) }
        }
    }

    @Test("Enrolling a device issues its token and revokes the earlier one; revoking the device revokes its tokens",
          arguments: StoreKind.available)
    func devices(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let now = WallClock.nowMs()
            let first = try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX01", installKey: nil, nowMs: now)
            let second = try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: nil, nowMs: now + 1)
            _ = try await store.enrolDevice(trust: "RXX", deviceId: "ws-1", site: "RXX01", installKey: nil, nowMs: now)
            #expect(first.credential.role == .device && first.credential.deviceId == "ws-2" && first.token.hasPrefix("drd_"))
            #expect(try await store.authenticate(token: first.token, nowMs: now + 2) == nil)
            #expect(try await store.authenticate(token: second.token, nowMs: now + 2)?.deviceId == "ws-2")
            let listed = try await store.devices(trust: "RXX")
            #expect(listed.map(\.deviceId) == ["ws-1", "ws-2"])
            #expect(listed[1].site == "RXX02" && listed[1].enrolledMs == now + 1 && !listed[1].revoked)
            try await store.revokeDevice(trust: "RXX", deviceId: "ws-2")
            #expect(try await store.authenticate(token: second.token, nowMs: now + 3) == nil)
            #expect(try await store.devices(trust: nil).map(\.revoked) == [false, true])
            await #expect(throws: IdentityError.unknownDevice(trust: "RXX", deviceId: "ws-9")) {
                try await store.revokeDevice(trust: "RXX", deviceId: "ws-9")
            }
            // Revocation sticks until an admin restores the device.
            await #expect(throws: IdentityError.deviceRevoked(trust: "RXX", deviceId: "ws-2")) {
                try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: nil, nowMs: now + 4)
            }
            await #expect(throws: IdentityError.deviceNotRevoked(trust: "RXX", deviceId: "ws-1")) { try await store.restoreDevice(trust: "RXX", deviceId: "ws-1") }
            await #expect(throws: IdentityError.unknownDevice(trust: "RXX", deviceId: "ws-9")) { try await store.restoreDevice(trust: "RXX", deviceId: "ws-9") }
            try await store.restoreDevice(trust: "RXX", deviceId: "ws-2")
            let restored = try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: "key-a", nowMs: now + 5)
            #expect(try await store.authenticate(token: restored.token, nowMs: now + 6)?.deviceId == "ws-2")
            #expect(try await store.authenticate(token: second.token, nowMs: now + 6) == nil, "old tokens stay revoked")
            // An install key binds the id to its machine: another key (or none) is a clone.
            await #expect(throws: IdentityError.deviceClaimed(trust: "RXX", deviceId: "ws-2")) {
                try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: "key-b", nowMs: now + 7)
            }
            await #expect(throws: IdentityError.deviceClaimed(trust: "RXX", deviceId: "ws-2")) {
                try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: nil, nowMs: now + 7)
            }
            #expect(try await store.enrolDevice(trust: "RXX", deviceId: "ws-2", site: "RXX02", installKey: "key-a", nowMs: now + 8).credential.deviceId == "ws-2")
            // Ingest from an enrolled device keeps its enrolment and updates when it was last seen.
            let device = DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX03")
            let batch = Fixtures.batch(events: [Fixtures.event()], device: device)
            _ = try await store.ingest(ValidatedBatch(batch: batch, acceptedIndices: [0], rejected: [], receivedAtMs: now + 10))
            let seen = try #require(try await store.devices(trust: "RXX").first)
            #expect(seen.site == "RXX03" && seen.lastSeenMs == now + 10 && seen.enrolledMs == now)
        }
    }
}

/// Baselines and raw-event retention, the same on every store.
@Suite("Store contract: baselines and retention")
struct BaselineRetentionContractTests {
    static let dayMs: Int64 = 86_400_000

    @Test("Baselines are saved once under a valid name, listed oldest first, and deleted", arguments: StoreKind.available)
    func baselines(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let document = Data("{\"indicators\":[1,2,3],\"text\":\"é 😀\"}".utf8)
            let older = StoredBaseline(trust: "RXX", name: "go-live", savedAtMs: 1_000, fromMs: 0, toMs: 86_400_000, document: document)
            let newer = StoredBaseline(trust: "RXX", name: "after.v2", savedAtMs: 2_000, fromMs: 86_400_000, toMs: 172_800_000, document: Data([0, 1, 255]))
            try await store.saveBaseline(newer)
            try await store.saveBaseline(older)
            await #expect(throws: StoreError.self) { try await store.saveBaseline(older) }
            await #expect(throws: StoreError.self) {
                try await store.saveBaseline(StoredBaseline(trust: "RXX", name: "no spaces", savedAtMs: 0, fromMs: 0, toMs: 1, document: Data()))
            }
            await #expect(throws: StoreError.self) {
                try await store.saveBaseline(StoredBaseline(trust: "RZZ", name: "x", savedAtMs: 0, fromMs: 0, toMs: 1, document: Data()))
            }
            #expect(try await store.baselines(trust: "RXX") == [older, newer])
            #expect(try await store.deleteBaseline(trust: "RXX", name: "go-live"))
            #expect(try await !store.deleteBaseline(trust: "RXX", name: "go-live"))
            #expect(try await store.baselines(trust: "RXX") == [newer])
        }
    }

    @Test("Events received before the cutoff are deleted in chunks; the aggregates and the newest data stay", arguments: StoreKind.available)
    func retention(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let now = WallClock.nowMs()
            let startedAt = (now / Self.dayMs - 2) * Self.dayMs + 3_600_000
            for (batchIndex, daysAgo) in [10, 8, 6, 4, 2].enumerated() {
                let events = (0..<7).map { index in
                    MeasurementEvent(kind: .logon, name: "x11", startedAtMs: startedAt + Int64(batchIndex * 7 + index),
                                     durationMs: 10_000 + Int64(batchIndex * 7 + index) * 100)
                }
                let batch = Fixtures.batch(events: events)
                _ = try await store.ingest(ValidatedBatch(batch: batch, acceptedIndices: Array(events.indices), rejected: [],
                                                          receivedAtMs: now - Int64(daysAgo) * Self.dayMs))
            }
            let range = (startedAt - 3_600_000, startedAt + 3_600_000)
            let before = try await store.timingSeries(trust: "RXX", fromMs: range.0, toMs: range.1)
            #expect(try await store.deleteRawEvents(receivedBefore: now - 11 * Self.dayMs, chunk: 50_000) == 0)
            #expect(try await store.deleteRawEvents(receivedBefore: now - 5 * Self.dayMs, chunk: 3) == 21)
            #expect(try await store.counts(trust: nil).events == 14)
            #expect(try await store.deleteRawEvents(receivedBefore: now, chunk: 100) == 14)
            #expect(try await store.timingSeries(trust: "RXX", fromMs: range.0, toMs: range.1) == before)
            #expect(before.first?.durations.count == 35)
            #expect(try await store.trustSummary(trust: "RXX").newestEventMs == startedAt + 34)
            // A batch resent after its events were deleted is still a duplicate batch (batch records are kept).
            #expect(try await store.counts(trust: nil).batches == 5)
        }
    }
}
