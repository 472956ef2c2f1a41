import DeskReadyModel
import DeskReadyStore
import GRDB

/// Sites and estate sizes in SQLite (migration v7): the `OrganisationStore` part of `CollectorStore`.
extension SQLiteMeasurementStore {
    public func addSite(trust: String, ods: String, name: String) async throws -> SiteRecord {
        guard ODSCode.isValidSite(ods, trust: trust) else { throw OrganisationError.invalidSite(trust: trust, site: ods) }
        return try await pool.write { db in
            try Self.requireTrust(db, trust)
            try db.execute(sql: """
                INSERT INTO sites (trust, ods, name) VALUES (?, ?, ?)
                ON CONFLICT(trust, ods) DO UPDATE SET name = excluded.name
                """, arguments: [trust, ods, name])
            let size = try Int.fetchOne(db, sql: "SELECT estate_size FROM sites WHERE trust = ? AND ods = ?", arguments: [trust, ods])
            return SiteRecord(trust: trust, ods: ods, name: name, estateSize: size)
        }
    }

    public func sites(trust: String?) async throws -> [SiteRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT trust, ods, name, estate_size FROM sites \(trust == nil ? "" : "WHERE trust = ? ")ORDER BY trust, ods",
                             arguments: StatementArguments(trust.map { [$0] } ?? []))
                .map { SiteRecord(trust: $0[0], ods: $0[1], name: $0[2], estateSize: $0[3]) }
        }
    }

    public func setEstateSize(trust: String, site: String?, devices: Int?) async throws {
        if let devices, devices < 1 { throw OrganisationError.invalidEstateSize(devices) }
        if let site, !ODSCode.isValidSite(site, trust: trust) { throw OrganisationError.invalidSite(trust: trust, site: site) }
        try await pool.write { db in
            try Self.requireTrust(db, trust)
            if let site {
                try db.execute(sql: """
                    INSERT INTO sites (trust, ods, estate_size) VALUES (?, ?, ?)
                    ON CONFLICT(trust, ods) DO UPDATE SET estate_size = excluded.estate_size
                    """, arguments: [trust, site, devices])
            } else {
                try db.execute(sql: "UPDATE trusts SET estate_size = ? WHERE ods = ?", arguments: [devices, trust])
            }
        }
    }

    public func organisationDirectory(trust: String?) async throws -> OrganisationDirectory {
        let sites = try await sites(trust: trust)
        return try await pool.read { db in
            var directory = OrganisationDirectory()
            let rows = try Row.fetchAll(db, sql: "SELECT ods, name, estate_size FROM trusts \(trust == nil ? "" : "WHERE ods = ?")",
                                        arguments: StatementArguments(trust.map { [$0] } ?? []))
            for row in rows {
                directory.trustNames[row[0]] = row[1]
                if let size: Int = row[2] { directory.trustEstateSizes[row[0]] = size }
            }
            for site in sites { directory.sites[site.trust, default: [:]][site.ods] = site }
            return directory
        }
    }

    static func requireTrust(_ db: Database, _ trust: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM trusts WHERE ods = ?", arguments: [trust]) == true else {
            throw IdentityError.unknownTrust(trust)
        }
    }
}
