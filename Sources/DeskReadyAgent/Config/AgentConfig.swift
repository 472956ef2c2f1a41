import DeskReadyModel

/// Everything the agent is told: where the collector is, who this device is, where the spool lives, and the bounds.
/// Read from a file, then environment variables (`DESKREADY_*`), then command-line options, each overriding the last.
public struct AgentConfig: Sendable, Equatable {
    public var collectorURL = "http://127.0.0.1:8765"
    public var trust = ""
    public var site = ""
    public var deviceID = ""
    /// Sent as `Authorization: Bearer …` when set. Usually left out: the agent enrols with `enrolment_token`.
    public var deviceToken: String?
    /// The trust's enrolment token: the agent exchanges it once for a device token of its own.
    public var enrolmentToken: String?
    /// The trust's secret key for user pseudonyms (HMAC-SHA256).
    public var pseudonymKey = ""
    public var spoolPath = "/var/lib/deskready/spool.sqlite"
    /// Where marks from unprivileged processes (the desktop autostart) are left for the daemon.
    public var markDropDir = MarkDropbox.defaultPath
    public var caFile: String?
    /// A file holding the pseudonym key (`pseudonym_key_file`), so the config itself need hold no secret.
    public var pseudonymKeyFile: String?
    /// Where each value came from (a file's line or an environment variable), for the messages about it.
    public var origins = ValueOrigins()

    public var batchMaxEvents = 500
    public var batchMaxBytes = 1_048_576
    public var batchMaxAgeSeconds = 10
    public var requestTimeoutSeconds = 30
    public var connectTimeoutSeconds = 10
    public var retryBaseSeconds = 1.0
    public var retryCapSeconds = 300.0

    public var spoolMaxBytes: Int64 = 104_857_600
    public var spoolMaxAgeDays = 14

    public var logonIncompleteAfterSeconds = 600
    public var responsiveWaitSeconds = 120

    // Measurement sources (see the extension at the end of this file).
    /// The responsive-desktop rule: the session's CPU use (its user's cgroup slice, or the whole machine's when that
    /// cannot be read), as a share of all the machine's cores, under this percentage…
    public var responsiveCPUPercent = 50
    /// …for this long after desktop ready (see `ResponsiveWatcher`).
    public var responsiveWindowSeconds = 2.0
    /// Applications whose starts are measured (`app:` lines).
    public var apps: [AppDefinition] = []
    /// How long an application may take to become ready before its start is recorded as `timeout`.
    public var appTimeoutSeconds = 120
    /// Whether the daemon notices starts of configured applications it did not launch (scanning `/proc`).
    public var appPassiveDetection = true
    /// Clinical systems probed over the network (`probe:` lines), every interval plus or minus the jitter.
    public var probes: [ProbeTarget] = []
    public var probeIntervalSeconds = 300
    public var probeJitterSeconds = 30
    public var probeTimeoutSeconds = 10
    /// How often the device inventory is sent (and once at each start of the agent).
    public var inventoryIntervalHours = 24
    /// Whether desktop sessions without hook marks are measured from logind (`loginctl`).
    public var logindLogons = true
    /// How long the agent keeps the list of users before a user it never saw, whose home folder's creation time is
    /// unknown, counts as logging on for the first time (see `LogonFlagRule`).
    public var firstLogonWarmupDays = 30

    public init() {}

    /// The keys a config file may hold, each with the field it sets.
    static let keys: [String] = [
        "collector_url", "trust", "site", "device_id", "device_token", "enrolment_token", "pseudonym_key", "spool_path", "mark_drop_dir", "ca_file",
        "pseudonym_key_file",
        "batch_max_events", "batch_max_bytes", "batch_max_age_seconds", "request_timeout_seconds",
        "connect_timeout_seconds", "retry_base_seconds", "retry_cap_seconds", "spool_max_bytes", "spool_max_age_days",
        "logon_incomplete_after_seconds", "responsive_wait_seconds",
    ] + measurementKeys

    /// Sets one key from text, or says what is wrong with the value.
    mutating func set(_ key: String, _ value: String) -> String? {
        let parsed = ConfigValue(value)
        func int(_ range: ClosedRange<Int>, _ assign: (Int) -> Void) -> String? { parsed.int(range, assign) }
        func double(_ range: ClosedRange<Double>, _ assign: (Double) -> Void) -> String? { parsed.double(range, assign) }
        switch key {
        case "collector_url": collectorURL = value
        case "trust": trust = value
        case "site": site = value
        case "device_id": deviceID = value
        case "device_token": deviceToken = value.isEmpty ? nil : value
        case "enrolment_token": enrolmentToken = value.isEmpty ? nil : value
        case "pseudonym_key": pseudonymKey = value
        case "spool_path": spoolPath = value
        case "mark_drop_dir": markDropDir = value
        case "ca_file": caFile = value.isEmpty ? nil : value
        case "pseudonym_key_file": pseudonymKeyFile = value.isEmpty ? nil : value
        case "batch_max_events": return int(1...5_000) { batchMaxEvents = $0 }
        case "batch_max_bytes": return int(1_024...16_777_216) { batchMaxBytes = $0 }
        case "batch_max_age_seconds": return int(0...3_600) { batchMaxAgeSeconds = $0 }
        case "request_timeout_seconds": return int(1...600) { requestTimeoutSeconds = $0 }
        case "connect_timeout_seconds": return int(1...120) { connectTimeoutSeconds = $0 }
        case "retry_base_seconds": return double(0.01...600) { retryBaseSeconds = $0 }
        case "retry_cap_seconds": return double(0.01...86_400) { retryCapSeconds = $0 }
        case "spool_max_bytes":
            guard let number = Int64(value), number >= 65_536 else { return "must be a whole number of bytes, at least 65536, not '\(value)'" }
            spoolMaxBytes = number
        case "spool_max_age_days": return int(1...365) { spoolMaxAgeDays = $0 }
        case "logon_incomplete_after_seconds": return int(10...86_400) { logonIncompleteAfterSeconds = $0 }
        case "responsive_wait_seconds": return int(0...3_600) { responsiveWaitSeconds = $0 }
        default:
            if Self.measurementKeys.contains(key) { return setMeasurement(key, value) }
            return "is not a known option; known options are: \(Self.keys.joined(separator: ", "))"
        }
        return nil
    }

    /// Every problem with the whole configuration, each naming its field and the fix.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(collectorURL.hasPrefix("http://") || collectorURL.hasPrefix("https://")) {
            problems.append("collector_url: '\(collectorURL)' must start with https:// (or http:// on a trusted network), for example https://deskready.trust.nhs.uk")
        } else if case .failure(let problem) = CollectorURL.parse(collectorURL) {
            problems.append("collector_url: \(problem)")
        }
        if !ODSCode.isValidTrust(trust) {
            problems.append("trust: '\(trust)' must be the trust's ODS code, 3 to 5 upper-case letters or digits, for example RXX")
        } else if !ODSCode.isValidSite(site, trust: trust) {
            problems.append("site: '\(site)' must be the site's ODS code, beginning with the trust's code \(trust), for example \(trust)01")
        }
        if !DeviceIdentity.isValidID(deviceID) {
            problems.append("device_id: '\(deviceID)' must be 1 to 64 letters, digits, '.', '_', '-' or ':'; leave it out to use /etc/machine-id")
        }
        if pseudonymKey.lowercased().hasPrefix("change-me") {
            problems.append("pseudonym_key: still holds the example value; set the trust's own secret (the same on every device of the trust), for example from `openssl rand -hex 32`")
        } else if pseudonymKey.utf8.count < 16 {
            problems.append("pseudonym_key: must be the trust's secret of at least 16 characters (the same on every device of the trust), for example from `openssl rand -hex 32`")
        }
        if spoolPath.isEmpty {
            problems.append("spool_path: must name a file in a folder the agent can write, for example /var/lib/deskready/spool.sqlite")
        }
        if retryCapSeconds < retryBaseSeconds {
            problems.append("retry_cap_seconds: \(retryCapSeconds) must not be below retry_base_seconds (\(retryBaseSeconds))")
        }
        return (problems + measurementProblems()).map(origins.annotate)
    }

    /// This device as batches name it, with this build's version.
    public var device: DeviceIdentity { DeviceIdentity(id: deviceID, trust: trust, site: site, agentVersion: BuildInfo.agentVersion) }
}

// MARK: - Measurement sources

extension AgentConfig {
    /// Keys of the measurement sources. `app` and `probe` may be given on several lines, one entry each.
    static let measurementKeys: [String] = [
        "responsive_cpu_percent", "responsive_window_seconds", "app", "app_timeout_seconds", "app_passive_detection",
        "probe", "probe_interval_seconds", "probe_jitter_seconds", "probe_timeout_seconds", "inventory_interval_hours",
        "logind_logons", "first_logon_warmup_days",
    ]

    /// The responsive-desktop rule these settings give.
    public var responsiveRule: ResponsiveRule {
        ResponsiveRule(cpuPercent: responsiveCPUPercent, windowMs: Int64((responsiveWindowSeconds * 1000).rounded()))
    }

    /// The rule for `first_logon` and `after_upgrade` these settings give.
    public var logonFlagRule: LogonFlagRule {
        LogonFlagRule(warmupMs: Int64(firstLogonWarmupDays) * UTCTime.dayMs)
    }

    /// The configured application of that name.
    public func app(named name: String) -> AppDefinition? {
        apps.first { $0.name == name }
    }

    mutating func setMeasurement(_ key: String, _ value: String) -> String? {
        let parsed = ConfigValue(value)
        func bool(_ assign: (Bool) -> Void) -> String? { parsed.bool(assign) }
        func int(_ range: ClosedRange<Int>, _ assign: (Int) -> Void) -> String? { parsed.int(range, assign) }
        switch key {
        case "responsive_cpu_percent": return int(1...100) { responsiveCPUPercent = $0 }
        case "responsive_window_seconds":
            guard let seconds = Double(value), (0.5...60).contains(seconds) else {
                return "must be a number of seconds from 0.5 to 60, not '\(value)'"
            }
            responsiveWindowSeconds = seconds
        case "app":
            switch AppDefinition.parse(value) {
            case .success(let app): apps.append(app)
            case .failure(let error): return error.description
            }
        case "app_timeout_seconds": return int(1...3_600) { appTimeoutSeconds = $0 }
        case "app_passive_detection": return bool { appPassiveDetection = $0 }
        case "logind_logons": return bool { logindLogons = $0 }
        case "first_logon_warmup_days": return int(0...365) { firstLogonWarmupDays = $0 }
        case "probe":
            switch ProbeTarget.parse(value) {
            case .success(let target): probes.append(target)
            case .failure(let error): return error.description
            }
        case "probe_interval_seconds": return int(30...86_400) { probeIntervalSeconds = $0 }
        case "probe_jitter_seconds": return int(0...3_600) { probeJitterSeconds = $0 }
        case "probe_timeout_seconds": return int(1...120) { probeTimeoutSeconds = $0 }
        case "inventory_interval_hours": return int(1...720) { inventoryIntervalHours = $0 }
        default: return "is not a known option"
        }
        return nil
    }

    func measurementProblems() -> [String] {
        var problems: [String] = []
        for (list, names) in [("app", apps.map(\.name)), ("probe", probes.map(\.name))] {
            var seen: Set<String> = []
            for name in names where !seen.insert(name).inserted {
                problems.append("\(list): the name '\(name)' is used twice; give each \(list) line its own name")
            }
        }
        if probeJitterSeconds * 2 >= probeIntervalSeconds {
            problems.append("probe_jitter_seconds: \(probeJitterSeconds) must be less than half of probe_interval_seconds (\(probeIntervalSeconds))")
        }
        return problems
    }
}
