import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Sites and estate sizes in PostgreSQL (migration 3), as SQLite keeps them.
extension PostgresMeasurementStore {
    public func addSite(trust: String, ods: String, name: String) async throws -> SiteRecord {
        guard ODSCode.isValidSite(ods, trust: trust) else { throw OrganisationError.invalidSite(trust: trust, site: ods) }
        try StorableText.check(name, "the site name")
        return try await transaction { connection in
            try await Self.requireTrust(connection, trust, logger: logger)
            var size: Int64?
            for try await stored in try await connection.query("""
                INSERT INTO sites (trust, ods, name) VALUES (\(trust), \(ods), \(name))
                ON CONFLICT (trust, ods) DO UPDATE SET name = excluded.name RETURNING estate_size
                """, logger: logger).decode(Int64?.self) {
                size = stored
            }
            return SiteRecord(trust: trust, ods: ods, name: name, estateSize: size.map { Int($0) })
        }
    }

    public func sites(trust: String?) async throws -> [SiteRecord] {
        try await withConnection { connection in
            var sites: [SiteRecord] = []
            for try await (trust, ods, name, size) in try await connection.query("""
                SELECT trust, ods, name, estate_size FROM sites WHERE \(trust)::text IS NULL OR trust = \(trust) ORDER BY trust, ods
                """, logger: logger).decode((String, String, String?, Int64?).self) {
                sites.append(SiteRecord(trust: trust, ods: ods, name: name, estateSize: size.map { Int($0) }))
            }
            return sites
        }
    }

    public func setEstateSize(trust: String, site: String?, devices: Int?) async throws {
        if let devices, devices < 1 { throw OrganisationError.invalidEstateSize(devices) }
        if let site, !ODSCode.isValidSite(site, trust: trust) { throw OrganisationError.invalidSite(trust: trust, site: site) }
        let size = devices.map { Int64($0) }
        try await transaction { connection in
            try await Self.requireTrust(connection, trust, logger: logger)
            if let site {
                try await connection.query("""
                    INSERT INTO sites (trust, ods, estate_size) VALUES (\(trust), \(site), \(size))
                    ON CONFLICT (trust, ods) DO UPDATE SET estate_size = excluded.estate_size
                    """, logger: logger)
            } else {
                try await connection.query("UPDATE trusts SET estate_size = \(size) WHERE ods = \(trust)", logger: logger)
            }
        }
    }

    public func organisationDirectory(trust: String?) async throws -> OrganisationDirectory {
        let sites = try await sites(trust: trust)
        return try await withConnection { connection in
            var directory = OrganisationDirectory()
            for try await (ods, name, size) in try await connection.query("""
                SELECT ods, name, estate_size FROM trusts WHERE \(trust)::text IS NULL OR ods = \(trust)
                """, logger: logger).decode((String, String, Int64?).self) {
                directory.trustNames[ods] = name
                if let size { directory.trustEstateSizes[ods] = Int(size) }
            }
            for site in sites { directory.sites[site.trust, default: [:]][site.ods] = site }
            return directory
        }
    }

    static func requireTrust(_ connection: PostgresConnection, _ trust: String, logger: Logger) async throws {
        if try await connection.query("SELECT 1 FROM trusts WHERE ods = \(trust)", logger: logger).collect().isEmpty {
            throw IdentityError.unknownTrust(trust)
        }
    }
}
