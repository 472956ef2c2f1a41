/// What an agent sends to `POST /v1/enrol` with an enrolment token, to get its own device token.
public struct EnrolmentRequest: Codable, Hashable, Sendable {
    public var deviceId: String
    /// The site's ODS code; it must begin with the enrolment token's trust.
    public var site: String
    /// A random secret the agent made once on its machine and keeps: the collector lets a device id enrol again
    /// only from the machine that holds it, so two machines cloned with one id cannot take each other's token.
    public var installKey: String?

    public init(deviceId: String, site: String, installKey: String? = nil) {
        self.deviceId = deviceId
        self.site = site
        self.installKey = installKey
    }

    enum CodingKeys: String, CodingKey {
        case deviceId = "device_id"
        case site
        case installKey = "install_key"
    }
}

/// The collector's answer to an enrolment: the device token, shown once.
public struct EnrolmentResponse: Codable, Hashable, Sendable {
    public var deviceId: String
    public var trust: String
    public var site: String
    public var deviceToken: String

    public init(deviceId: String, trust: String, site: String, deviceToken: String) {
        self.deviceId = deviceId
        self.trust = trust
        self.site = site
        self.deviceToken = deviceToken
    }

    enum CodingKeys: String, CodingKey {
        case deviceId = "device_id"
        case trust, site
        case deviceToken = "device_token"
    }
}
