import DeskReadyCollector
import DeskReadyModel
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
        let credential = Credential.make(id: id, role: role, trust: trust, deviceId: deviceId, label: label, createdMs: now,
                                    expiresMs: expiresMs, revokedMs: nil)
        return IssuedToken.make(credential: credential, token: token)
    }

    public func authenticate(token: String, nowMs: Int64) async throws -> Credential? {
        let hash = TokenCodec.hash(token)
        return try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: Self.credentialColumns), token_hash FROM credentials WHERE token_hash = \(ByteBuffer(bytes: hash))
                """, logger: logger)
            for try await row in rows {
                let stored = try row.decode((Int64, String, String?, String?, String, Int64, Int64?, Int64?, ByteBuffer).self)
                guard TokenCodec.constantTimeEqual(Data(stored.8.readableBytesView), hash) else { return nil }
                let credential = try Self.credential(row)
                return credential.isActive(nowMs: nowMs) ? credential : nil
            }
            return nil
        }
    }

    public func credentials() async throws -> [Credential] {
        try await withConnection { connection in
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

    public func enrolDevice(trust: String, deviceId: String, site: String, nowMs: Int64) async throws -> IssuedToken {
        try StorableText.check(deviceId, "the device id")
        try StorableText.check(site, "the site")
        return try await transaction { connection in
            if try await connection.query("SELECT 1 FROM trusts WHERE ods = \(trust)", logger: logger).collect().isEmpty {
                throw IdentityError.unknownTrust(trust)
            }
            try await connection.query("""
                INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, enrolled_ms, revoked_ms)
                VALUES (\(trust), \(deviceId), \(site), \(nowMs), \(nowMs), \(nowMs), NULL)
                ON CONFLICT (trust, device_id) DO UPDATE SET site = excluded.site, enrolled_ms = excluded.enrolled_ms, revoked_ms = NULL
                """, logger: logger)
            try await connection.query("""
                UPDATE credentials SET revoked_ms = \(nowMs)
                WHERE role = 'device' AND trust = \(trust) AND device_id = \(deviceId) AND revoked_ms IS NULL
                """, logger: logger)
            return try await Self.issue(connection, role: .device, trust: trust, deviceId: deviceId, label: "device \(deviceId)",
                                        expiresMs: nil, logger: logger)
        }
    }

    public func devices(trust: String?) async throws -> [DeviceRecord] {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT trust, device_id, site, enrolled_ms, last_seen_ms, revoked_ms FROM devices
                WHERE \(trust)::text IS NULL OR trust = \(trust) ORDER BY trust, device_id
                """, logger: logger)
            var devices: [DeviceRecord] = []
            for try await (trust, device, site, enrolled, lastSeen, revoked)
                in rows.decode((String, String, String, Int64?, Int64, Int64?).self) {
                devices.append(DeviceRecord.make(trust: trust, deviceId: device, site: site, enrolledMs: enrolled, lastSeenMs: lastSeen,
                                            revoked: revoked != nil))
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

    static let credentialColumns = "id, role, trust, device_id, label, created_ms, expires_ms, revoked_ms"

    static func credential(_ row: PostgresRow) throws -> Credential {
        let (id, roleName, trust, device, label, created, expires, revoked) = try row.decode(
            (Int64, String, String?, String?, String, Int64, Int64?, Int64?).self)
        guard let role = CredentialRole(rawValue: roleName) else { throw StoreError("unknown credential role \(roleName)") }
        return Credential.make(id: id, role: role, trust: trust, deviceId: device, label: label, createdMs: created,
                          expiresMs: expires, revokedMs: revoked)
    }
}
