import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

extension SQLiteMeasurementStore {
    public func addTrust(ods: String, name: String) async throws -> TrustRecord {
        guard ODSCode.isValidTrust(ods) else { throw IdentityError.invalidODS(ods) }
        return try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM trusts WHERE ods = ?", arguments: [ods]) == true {
                throw IdentityError.trustExists(ods)
            }
            try db.execute(sql: "INSERT INTO trusts (ods, name, created_ms) VALUES (?, ?, ?)", arguments: [ods, name, WallClock.nowMs()])
            return TrustRecord.make(ods: ods, name: name)
        }
    }

    public func trusts() async throws -> [TrustRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT ods, name FROM trusts ORDER BY ods").map { TrustRecord.make(ods: $0[0], name: $0[1]) }
        }
    }

    public func issueToken(role: CredentialRole, trust: String?, label: String, expiresMs: Int64?) async throws -> IssuedToken {
        try await pool.write { db in try Self.issue(db, role: role, trust: trust, deviceId: nil, label: label, expiresMs: expiresMs) }
    }

    static func issue(_ db: Database, role: CredentialRole, trust: String?, deviceId: String?, label: String, expiresMs: Int64?) throws -> IssuedToken {
        if let trust, try Bool.fetchOne(db, sql: "SELECT 1 FROM trusts WHERE ods = ?", arguments: [trust]) != true {
            throw IdentityError.unknownTrust(trust)
        }
        let token = TokenCodec.newToken(prefix: role.tokenPrefix)
        let now = WallClock.nowMs()
        try db.execute(
            sql: "INSERT INTO credentials (role, token_hash, trust, device_id, label, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [role.rawValue, TokenCodec.hash(token), trust, deviceId, label, now, expiresMs])
        let credential = Credential(id: db.lastInsertedRowID, role: role, trust: trust, deviceId: deviceId, label: label,
                                    createdMs: now, expiresMs: expiresMs, revokedMs: nil)
        return IssuedToken.make(credential: credential, token: token)
    }

    public func authenticate(token: String, nowMs: Int64) async throws -> Credential? {
        let hash = TokenCodec.hash(token)
        let found = try await pool.read { db -> Credential? in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.credentialColumns), token_hash FROM credentials WHERE token_hash = ?", arguments: [hash]),
                  TokenCodec.constantTimeEqual(row["token_hash"], hash)
            else { return nil }
            let credential = try Self.credential(row)
            return credential.isActive(nowMs: nowMs) ? credential : nil
        }
        if let found, tokenUse.note(id: found.id, storedMs: found.lastUsedMs, nowMs: nowMs) {
            // Off the request's path: a lost note costs a minute of accuracy in `token list`, nothing else.
            Task { [pool, tokenUse] in
                try? await Task.sleep(for: tokenUse.gather)
                try? await Self.recordUses(tokenUse.drain(), in: pool)
            }
        }
        return found
    }

    static func recordUses(_ uses: [Int64: Int64], in pool: DatabasePool) async throws {
        guard !uses.isEmpty else { return }
        try await pool.write { db in
            for (id, ms) in uses {
                try db.execute(sql: "UPDATE credentials SET last_used_ms = MAX(COALESCE(last_used_ms, 0), ?) WHERE id = ?", arguments: [ms, id])
            }
        }
    }

    public func credentials() async throws -> [Credential] {
        let pending = tokenUse.drain()
        if !pending.isEmpty { try await Self.recordUses(pending, in: pool) }
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.credentialColumns) FROM credentials ORDER BY id").map(Self.credential)
        }
    }

    public func revokeToken(id: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE credentials SET revoked_ms = COALESCE(revoked_ms, ?) WHERE id = ?", arguments: [WallClock.nowMs(), id])
            if db.changesCount == 0 { throw IdentityError.unknownCredential(id) }
        }
    }

    public func enrolDevice(trust: String, deviceId: String, site: String, installKey: String?, nowMs: Int64) async throws -> IssuedToken {
        let keyHash = installKey.map { TokenCodec.hash($0) }
        return try await pool.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT revoked_ms, install_key_hash FROM devices WHERE trust = ? AND device_id = ?",
                                          arguments: [trust, deviceId]) {
                if (row["revoked_ms"] as Int64?) != nil { throw IdentityError.deviceRevoked(trust: trust, deviceId: deviceId) }
                // A device enrolled with an install key comes back only with the same key: another machine with the
                // same id would otherwise revoke this one's token, and the two would take turns for ever.
                if let stored = row["install_key_hash"] as Data?, keyHash.map({ !TokenCodec.constantTimeEqual(stored, $0) }) ?? true {
                    throw IdentityError.deviceClaimed(trust: trust, deviceId: deviceId)
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, enrolled_ms, revoked_ms, install_key_hash)
                    VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                    ON CONFLICT(trust, device_id) DO UPDATE SET site = excluded.site, enrolled_ms = excluded.enrolled_ms,
                        install_key_hash = COALESCE(devices.install_key_hash, excluded.install_key_hash)
                    """,
                arguments: [trust, deviceId, site, nowMs, nowMs, nowMs, keyHash])
            try db.execute(
                sql: "UPDATE credentials SET revoked_ms = ? WHERE role = 'device' AND trust = ? AND device_id = ? AND revoked_ms IS NULL",
                arguments: [nowMs, trust, deviceId])
            return try Self.issue(db, role: .device, trust: trust, deviceId: deviceId, label: "device \(deviceId)", expiresMs: nil)
        }
    }

    public func restoreDevice(trust: String, deviceId: String) async throws {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT revoked_ms FROM devices WHERE trust = ? AND device_id = ?", arguments: [trust, deviceId]) else {
                throw IdentityError.unknownDevice(trust: trust, deviceId: deviceId)
            }
            guard (row["revoked_ms"] as Int64?) != nil else { throw IdentityError.deviceNotRevoked(trust: trust, deviceId: deviceId) }
            // The install key goes too: after a restore the device enrols from whichever machine an admin chose.
            try db.execute(sql: "UPDATE devices SET revoked_ms = NULL, install_key_hash = NULL WHERE trust = ? AND device_id = ?",
                           arguments: [trust, deviceId])
        }
    }

    public func rotateToken(id: Int64, nowMs: Int64) async throws -> IssuedToken {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.credentialColumns) FROM credentials WHERE id = ?", arguments: [id]) else {
                throw IdentityError.unknownCredential(id)
            }
            let old = try Self.credential(row)
            guard old.isActive(nowMs: nowMs) else { throw IdentityError.inactiveCredential(id) }
            try db.execute(sql: "UPDATE credentials SET revoked_ms = ? WHERE id = ?", arguments: [nowMs, id])
            let lifetime = old.expiresMs.map { nowMs + ($0 - old.createdMs) }
            return try Self.issue(db, role: old.role, trust: old.trust, deviceId: old.deviceId, label: old.label, expiresMs: lifetime)
        }
    }

    public func devices(trust: String?) async throws -> [DeviceRecord] {
        try await pool.read { db in
            let filter = trust == nil ? "" : " WHERE trust = ?"
            return try Row.fetchAll(
                db, sql: "SELECT trust, device_id, site, enrolled_ms, last_seen_ms, revoked_ms, agent_version FROM devices\(filter) ORDER BY trust, device_id",
                arguments: trust.map { [$0] } ?? []
            ).map { row in
                DeviceRecord.make(trust: row[0], deviceId: row[1], site: row[2], enrolledMs: row[3], lastSeenMs: row[4], revoked: row[5] as Int64? != nil,
                                  agentVersion: row[6])
            }
        }
    }

    public func revokeDevice(trust: String, deviceId: String) async throws {
        let now = WallClock.nowMs()
        try await pool.write { db in
            try db.execute(sql: "UPDATE devices SET revoked_ms = ? WHERE trust = ? AND device_id = ?", arguments: [now, trust, deviceId])
            if db.changesCount == 0 { throw IdentityError.unknownDevice(trust: trust, deviceId: deviceId) }
            try db.execute(
                sql: "UPDATE credentials SET revoked_ms = ? WHERE role = 'device' AND trust = ? AND device_id = ? AND revoked_ms IS NULL",
                arguments: [now, trust, deviceId])
        }
    }

    static let credentialColumns = "id, role, trust, device_id, label, created_ms, expires_ms, revoked_ms, last_used_ms"

    static func credential(_ row: Row) throws -> Credential {
        guard let role = CredentialRole(rawValue: row["role"]) else { throw StoreError("unknown credential role \(row["role"] as String)") }
        return Credential(id: row["id"], role: role, trust: row["trust"], deviceId: row["device_id"], label: row["label"],
                          createdMs: row["created_ms"], expiresMs: row["expires_ms"], revokedMs: row["revoked_ms"], lastUsedMs: row["last_used_ms"])
    }
}
