import DeskReadyModel
import DeskReadyStore
import Foundation
import PostgresNIO

/// Trusts, tokens (stored as SHA-256 hashes) and devices, with the same rules and messages as the SQLite store.
extension PostgresMeasurementStore {
    public func addTrust(ods: String, name: String) async throws -> TrustRecord {
        guard ODSCode.isValidTrust(ods) else { throw IdentityError.invalidODS(ods) }
        try StorableText.check(name, "the trust name")
        let added = try await withConnection { connection in
            try await connection.query("""
                INSERT INTO trusts (ods, name, created_ms) VALUES (\(ods), \(name), \(WallClock.nowMs()))
                ON CONFLICT (ods) DO NOTHING RETURNING 1
                """, logger: logger).collect().count
        }
        guard added == 1 else { throw IdentityError.trustExists(ods) }
        return TrustRecord.make(ods: ods, name: name)
    }

    public func trusts() async throws -> [TrustRecord] {
        try await withConnection { connection in
            var trusts: [TrustRecord] = []
            for try await (ods, name) in try await connection.query("SELECT ods, name FROM trusts ORDER BY ods", logger: logger)
                .decode((String, String).self) {
                trusts.append(TrustRecord.make(ods: ods, name: name))
            }
            return trusts
        }
    }

    public func issueToken(role: CredentialRole, trust: String?, label: String, expiresMs: Int64?) async throws -> IssuedToken {
        try StorableText.check(label, "the token label")
        return try await transaction { connection in
            try await Self.issue(connection, role: role, trust: trust, deviceId: nil, label: label, expiresMs: expiresMs, logger: logger)
        }
    }

    static func issue(_ connection: PostgresConnection, role: CredentialRole, trust: String?, deviceId: String?, label: String,
                      expiresMs: Int64?, logger: Logger) async throws -> IssuedToken {
        if let trust, try await connection.query("SELECT 1 FROM trusts WHERE ods = \(trust)", logger: logger).collect().isEmpty {
            throw IdentityError.unknownTrust(trust)
        }
        let token = TokenCodec.newToken(prefix: role.newTokenPrefix)
        let now = WallClock.nowMs()
        let rows = try await connection.query("""
            INSERT INTO credentials (role, token_hash, trust, device_id, label, created_ms, expires_ms)
            VALUES (\(role.rawValue), \(ByteBuffer(bytes: TokenCodec.hash(token))), \(trust), \(deviceId), \(label), \(now), \(expiresMs))
            RETURNING id
            """, logger: logger)
        var id: Int64 = 0
        for try await value in rows.decode(Int64.self) { id = value }
        let credential = Credential(id: id, role: role, trust: trust, deviceId: deviceId, label: label, createdMs: now,
                                    expiresMs: expiresMs, revokedMs: nil)
        return IssuedToken.make(credential: credential, token: token)
    }

    public func authenticate(token: String, nowMs: Int64) async throws -> Credential? {
        let hash = TokenCodec.hash(token)
        let found = try await withConnection { connection -> Credential? in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.credentialColumns), token_hash FROM credentials WHERE token_hash = \(ByteBuffer(bytes: hash))
                """, logger: logger)
            for try await row in rows {
                let stored = try row.decode((Int64, String, String?, String?, String, Int64, Int64?, Int64?, Int64?, ByteBuffer).self)
                guard TokenCodec.constantTimeEqual(Data(stored.9.readableBytesView), hash) else { return nil }
                let credential = try Self.credential(row)
                return credential.isActive(nowMs: nowMs) ? credential : nil
            }
            return nil
        }
        if let found, tokenUse.note(id: found.id, storedMs: found.lastUsedMs, nowMs: nowMs) {
            // Off the request's path: a lost note costs a minute of accuracy in `token list`, nothing else.
            Task {
                try? await Task.sleep(for: self.tokenUse.gather)
                try? await self.recordUses(self.tokenUse.drain())
            }
        }
        return found
    }

    /// Writes noted token uses (each credential's latest), in id order.
    func recordUses(_ uses: [Int64: Int64]) async throws {
        guard !uses.isEmpty else { return }
        let sorted = uses.sorted { $0.key < $1.key }
        _ = try await withConnection { connection in
            try await connection.query("""
                UPDATE credentials SET last_used_ms = GREATEST(COALESCE(credentials.last_used_ms, 0), u.ms)
                FROM unnest(\(sorted.map(\.key))::int8[], \(sorted.map(\.value))::int8[]) AS u(id, ms) WHERE credentials.id = u.id
                """, logger: logger)
        }
    }

    public func credentials() async throws -> [Credential] {
        let pending = tokenUse.drain()
        if !pending.isEmpty { try await recordUses(pending) }
        return try await withConnection { connection in
            var credentials: [Credential] = []
            for try await row in try await connection.query("SELECT \(unescaped: Self.credentialColumns) FROM credentials ORDER BY id", logger: logger) {
                credentials.append(try Self.credential(row))
            }
            return credentials
        }
    }

    public func revokeToken(id: Int64) async throws {
        let changed = try await withConnection { connection in
            try await connection.query("""
                UPDATE credentials SET revoked_ms = COALESCE(revoked_ms, \(WallClock.nowMs())) WHERE id = \(id) RETURNING 1
                """, logger: logger).collect().count
        }
        if changed == 0 { throw IdentityError.unknownCredential(id) }
    }

    public func enrolDevice(trust: String, deviceId: String, site: String, installKey: String?, nowMs: Int64) async throws -> IssuedToken {
        try StorableText.check(deviceId, "the device id")
        try StorableText.check(site, "the site")
        let keyHash = installKey.map { TokenCodec.hash($0) }
        return try await transaction { connection in
            if try await connection.query("SELECT 1 FROM trusts WHERE ods = \(trust)", logger: logger).collect().isEmpty {
                throw IdentityError.unknownTrust(trust)
            }
            let known = try await connection.query("""
                SELECT revoked_ms, install_key_hash FROM devices WHERE trust = \(trust) AND device_id = \(deviceId) FOR UPDATE
                """, logger: logger)
            for try await (revoked, stored) in known.decode((Int64?, ByteBuffer?).self) {
                if revoked != nil { throw IdentityError.deviceRevoked(trust: trust, deviceId: deviceId) }
                // A device enrolled with an install key comes back only with the same key (a cloned image sharing the
                // id would otherwise take turns with the first machine for ever).
                if let stored, keyHash.map({ !TokenCodec.constantTimeEqual(Data(stored.readableBytesView), $0) }) ?? true {
                    throw IdentityError.deviceClaimed(trust: trust, deviceId: deviceId)
                }
            }
            try await connection.query("""
                INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, enrolled_ms, revoked_ms, install_key_hash)
                VALUES (\(trust), \(deviceId), \(site), \(nowMs), \(nowMs), \(nowMs), NULL, \(keyHash.map { ByteBuffer(bytes: $0) }))
                ON CONFLICT (trust, device_id) DO UPDATE SET site = excluded.site, enrolled_ms = excluded.enrolled_ms,
                    install_key_hash = COALESCE(devices.install_key_hash, excluded.install_key_hash)
                """, logger: logger)
            try await connection.query("""
                UPDATE credentials SET revoked_ms = \(nowMs)
                WHERE role = 'device' AND trust = \(trust) AND device_id = \(deviceId) AND revoked_ms IS NULL
                """, logger: logger)
            return try await Self.issue(connection, role: .device, trust: trust, deviceId: deviceId, label: "device \(deviceId)",
                                        expiresMs: nil, logger: logger)
        }
    }

    public func restoreDevice(trust: String, deviceId: String) async throws {
        try await transaction { connection in
            var revoked: Int64??
            for try await value in try await connection.query(
                "SELECT revoked_ms FROM devices WHERE trust = \(trust) AND device_id = \(deviceId) FOR UPDATE", logger: logger
            ).decode(Int64?.self) {
                revoked = .some(value)
            }
            guard let revoked else { throw IdentityError.unknownDevice(trust: trust, deviceId: deviceId) }
            guard revoked != nil else { throw IdentityError.deviceNotRevoked(trust: trust, deviceId: deviceId) }
            // The install key goes too: after a restore the device enrols from whichever machine an admin chose.
            try await connection.query("""
                UPDATE devices SET revoked_ms = NULL, install_key_hash = NULL WHERE trust = \(trust) AND device_id = \(deviceId)
                """, logger: logger)
        }
    }

    public func rotateToken(id: Int64, nowMs: Int64) async throws -> IssuedToken {
        try await transaction { connection in
            var old: Credential?
            for try await row in try await connection.query(
                "SELECT \(unescaped: Self.credentialColumns) FROM credentials WHERE id = \(id) FOR UPDATE", logger: logger) {
                old = try Self.credential(row)
            }
            guard let old else { throw IdentityError.unknownCredential(id) }
            guard old.isActive(nowMs: nowMs) else { throw IdentityError.inactiveCredential(id) }
            try await connection.query("UPDATE credentials SET revoked_ms = \(nowMs) WHERE id = \(id)", logger: logger)
            let lifetime = old.expiresMs.map { nowMs + ($0 - old.createdMs) }
            return try await Self.issue(connection, role: old.role, trust: old.trust, deviceId: old.deviceId, label: old.label,
                                        expiresMs: lifetime, logger: logger)
        }
    }

    public func devices(trust: String?) async throws -> [DeviceRecord] {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT trust, device_id, site, enrolled_ms, last_seen_ms, revoked_ms, agent_version FROM devices
                WHERE \(trust)::text IS NULL OR trust = \(trust) ORDER BY trust, device_id
                """, logger: logger)
            var devices: [DeviceRecord] = []
            for try await (trust, device, site, enrolled, lastSeen, revoked, agentVersion)
                in rows.decode((String, String, String, Int64?, Int64, Int64?, String?).self) {
                devices.append(DeviceRecord.make(trust: trust, deviceId: device, site: site, enrolledMs: enrolled, lastSeenMs: lastSeen,
                                            revoked: revoked != nil, agentVersion: agentVersion))
            }
            return devices
        }
    }

    public func revokeDevice(trust: String, deviceId: String) async throws {
        let now = WallClock.nowMs()
        try await transaction { connection in
            let changed = try await connection.query(
                "UPDATE devices SET revoked_ms = \(now) WHERE trust = \(trust) AND device_id = \(deviceId) RETURNING 1", logger: logger
            ).collect().count
            if changed == 0 { throw IdentityError.unknownDevice(trust: trust, deviceId: deviceId) }
            try await connection.query("""
                UPDATE credentials SET revoked_ms = \(now)
                WHERE role = 'device' AND trust = \(trust) AND device_id = \(deviceId) AND revoked_ms IS NULL
                """, logger: logger)
        }
    }

    static let credentialColumns = "id, role, trust, device_id, label, created_ms, expires_ms, revoked_ms, last_used_ms"

    static func credential(_ row: PostgresRow) throws -> Credential {
        let (id, roleName, trust, device, label, created, expires, revoked, lastUsed) = try row.decode(
            (Int64, String, String?, String?, String, Int64, Int64?, Int64?, Int64?).self)
        guard let role = CredentialRole(rawValue: roleName) else { throw StoreError("unknown credential role \(roleName)") }
        return Credential(id: id, role: role, trust: trust, deviceId: device, label: label, createdMs: created,
                          expiresMs: expires, revokedMs: revoked, lastUsedMs: lastUsed)
    }
}
