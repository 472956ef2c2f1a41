/// A site of a trust as the collector knows it: its ODS code, its name and, optionally, how many devices it has.
public struct SiteRecord: Sendable, Equatable, Codable {
    public var trust: String
    public var ods: String
    public var name: String?
    /// Devices at the site (the estate the trust recorded), for coverage; nil when not recorded.
    public var estateSize: Int?

    public init(trust: String, ods: String, name: String?, estateSize: Int? = nil) {
        self.trust = trust
        self.ods = ods
        self.name = name
        self.estateSize = estateSize
    }
}

/// Names and estate sizes of trusts and sites, as reports show them.
public struct OrganisationDirectory: Sendable, Equatable {
    /// Trust names by ODS code.
    public var trustNames: [String: String] = [:]
    /// Devices in each trust's estate, where recorded.
    public var trustEstateSizes: [String: Int] = [:]
    /// Sites by trust, then by site ODS code.
    public var sites: [String: [String: SiteRecord]] = [:]

    public init(trustNames: [String: String] = [:], trustEstateSizes: [String: Int] = [:], sites: [String: [String: SiteRecord]] = [:]) {
        self.trustNames = trustNames
        self.trustEstateSizes = trustEstateSizes
        self.sites = sites
    }

    public func site(_ trust: String, _ site: String?) -> SiteRecord? {
        site.flatMap { sites[trust]?[$0] }
    }
}

/// Why a site or an estate size was refused.
public enum OrganisationError: Error, Equatable, CustomStringConvertible {
    case invalidSite(trust: String, site: String)
    case invalidEstateSize(Int)

    public var description: String {
        switch self {
        case .invalidSite(let trust, let site):
            "'\(site)' is not a site ODS code of trust \(trust): 3 to 10 upper-case letters or digits beginning with \(trust), for example \(trust)01"
        case .invalidEstateSize(let size): "an estate size of \(size) devices is not possible; give the number of devices, 1 or more"
        }
    }
}

/// Sites with names, and the estate sizes coverage is measured against. A store that keeps them implements this
/// beside `CollectorStore`; reports read it when the store offers it.
public protocol OrganisationStore: Sendable {
    /// Adds a site of a known trust, or renames it. Throws `IdentityError.unknownTrust` or `OrganisationError`.
    func addSite(trust: String, ods: String, name: String) async throws -> SiteRecord
    /// The sites of one trust, or of every trust, by trust and code.
    func sites(trust: String?) async throws -> [SiteRecord]
    /// Records how many devices a trust (or one of its sites, with `site`) has; nil clears it.
    func setEstateSize(trust: String, site: String?, devices: Int?) async throws
    /// Every name and estate size of one trust, or of every trust.
    func organisationDirectory(trust: String?) async throws -> OrganisationDirectory
}
