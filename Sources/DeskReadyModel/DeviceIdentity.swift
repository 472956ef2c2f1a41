/// The workstation that produced a batch, and the trust and site it belongs to.
public struct DeviceIdentity: Codable, Hashable, Sendable {
    /// Stable device id: 1 to 64 characters of letters, digits, `.`, `_`, `-` or `:`.
    public var id: String
    /// The trust's ODS code.
    public var trust: String
    /// The site's ODS code, beginning with the trust's.
    public var site: String
    /// The agent's version and commit, for example `1.2.0 (0123abcdef01)`: optional, at most 64 printable
    /// characters (Unicode scalars), stored per device and shown by `deskready device list`. Agents before 1.0 leave it out.
    public var agentVersion: String?

    public init(id: String, trust: String, site: String, agentVersion: String? = nil) {
        self.id = id
        self.trust = trust
        self.site = site
        self.agentVersion = agentVersion
    }

    /// The wire names. `FastBatchDecoder` reads batches by hand on the collector's hot path: a key added here must
    /// be added there too (`FastBatchDecoderTests.everyFieldSet` fails until the new field is set and decoded).
    enum CodingKeys: String, CodingKey {
        case id, trust, site
        case agentVersion = "agent_version"
    }

    /// Whether `version` may be stored as an agent version: 1 to 64 printable characters.
    public static func isValidAgentVersion(_ version: String) -> Bool {
        (1...64).contains(version.unicodeScalars.count) && StorableText.isClean(version)
    }

    /// Whether `id` is a well-formed device id.
    public static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            ODSCode.isUpperAlphanumeric(byte) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D || byte == 0x3A
        }
    }
}
