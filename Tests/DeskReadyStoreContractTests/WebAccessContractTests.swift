import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// The web front's mappings and sessions, the same on every store.
@Suite("Store contract: web access")
struct WebAccessContractTests {
    func web(_ store: any ContractStore) throws -> any WebAccessStore {
        try #require(store as? any WebAccessStore, "every store keeps web users and sessions")
    }

    @Test("Mappings are added once, checked, listed in order and removed", arguments: StoreKind.available)
    func mappings(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let web = try web(store)
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let alice = try await web.addWebAccessRule(NewWebAccessRule(match: .email, value: "Alice@X.nhs.uk", role: .reader, trust: "RXX", createdMs: 1))
            #expect(alice.value == "alice@x.nhs.uk", "e-mails are kept in lower case")
            let admins = try await web.addWebAccessRule(NewWebAccessRule(match: .group, value: "g-admins", role: .admin, trust: nil, createdMs: 2))
            await #expect(throws: StoreError.self) {
                try await web.addWebAccessRule(NewWebAccessRule(match: .email, value: "alice@x.nhs.uk", role: .reader, trust: "RXX", createdMs: 3))
            }
            await #expect(throws: IdentityError.unknownTrust("RZZ")) {
                try await web.addWebAccessRule(NewWebAccessRule(match: .email, value: "bob@x", role: .reader, trust: "RZZ", createdMs: 3))
            }
            await #expect(throws: StoreError.self) {
                try await web.addWebAccessRule(NewWebAccessRule(match: .subject, value: "s", role: .reader, trust: nil, createdMs: 3))
            }
            await #expect(throws: StoreError.self) {
                try await web.addWebAccessRule(NewWebAccessRule(match: .subject, value: "a\u{0}b", role: .admin, trust: nil, createdMs: 3))
            }
            #expect(try await web.webAccessRules() == [alice, admins])
            #expect(try await web.removeWebAccessRule(id: alice.id))
            #expect(try await !web.removeWebAccessRule(id: alice.id))
            #expect(try await web.webAccessRules() == [admins])
        }
    }

    @Test("Sessions are stored by hash, touched, deleted and expired", arguments: StoreKind.available)
    func sessions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let web = try web(store)
            let hash = Data(repeating: 7, count: 32)
            let session = WebSessionRecord(idHash: hash, kind: .oidc, user: "alice@x", subject: "sub-1", groups: ["g1", "g2"], credentialId: nil,
                                           csrfToken: "csrf", createdMs: 1_000, lastSeenMs: 1_000)
            try await web.createWebSession(session)
            #expect(try await web.webSession(idHash: hash) == session)
            #expect(try await web.webSession(idHash: Data(repeating: 8, count: 32)) == nil)
            try await web.touchWebSession(idHash: hash, lastSeenMs: 5_000)
            #expect(try await web.webSession(idHash: hash)?.lastSeenMs == 5_000)
            let other = Data(repeating: 9, count: 32)
            try await web.createWebSession(WebSessionRecord(idHash: other, kind: .token, user: "reader#1 (cio)", subject: "", groups: [], credentialId: 1,
                                                            csrfToken: "c2", createdMs: 4_000, lastSeenMs: 4_000))
            #expect(try await web.deleteExpiredWebSessions(idleBeforeMs: 4_500, startedBeforeMs: 0) == 1)
            #expect(try await web.webSession(idHash: other) == nil)
            try await web.deleteWebSession(idHash: hash)
            #expect(try await web.webSession(idHash: hash) == nil)
        }
    }
}
