/// Checks a decoded batch against the wire rules: problems with the batch as a whole, and problems with single events.
public struct BatchValidator: Sendable {
    public var limits: WireLimits

    public init(limits: WireLimits = .standard) {
        self.limits = limits
    }

    static let nilUUID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// Problems that make the whole batch unusable (nothing of it may be stored).
    public func batchProblems(_ batch: Batch) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !Batch.supportedSchemaVersions.contains(batch.schemaVersion) {
            let known = Batch.supportedSchemaVersions.sorted().map(String.init).joined(separator: ", ")
            problems.append(.init(pointer: "/schema_version", problem: "version \(batch.schemaVersion) is not supported; this collector understands \(known)"))
        }
        if !DeviceIdentity.isValidID(batch.device.id) {
            problems.append(.init(pointer: "/device/id", problem: "must be 1 to 64 letters, digits, '.', '_', '-' or ':'"))
        }
        if !ODSCode.isValidTrust(batch.device.trust) {
            problems.append(.init(pointer: "/device/trust", problem: "must be a trust ODS code: 3 to 5 upper-case letters or digits, for example RXX"))
        } else if !ODSCode.isValidSite(batch.device.site, trust: batch.device.trust) {
            problems.append(.init(pointer: "/device/site", problem: "must be a site ODS code of 3 to 10 upper-case letters or digits beginning with the trust's code \(batch.device.trust)"))
        }
        if let version = batch.device.agentVersion, !DeviceIdentity.isValidAgentVersion(version) {
            problems.append(.init(pointer: "/device/agent_version", problem: "must be 1 to 64 printable characters, for example 1.2.0 (0123abcdef01)"))
        }
        if batch.events.isEmpty {
            problems.append(.init(pointer: "/events", problem: "must hold at least one event"))
        } else if batch.events.count > limits.maxEventsPerBatch {
            problems.append(.init(pointer: "/events", problem: "holds \(batch.events.count) events; at most \(limits.maxEventsPerBatch) are allowed in one batch, send the rest in another"))
        }
        return problems
    }

    /// The reason an event cannot be stored, or nil when it is good. `nowMs` is the collector's clock.
    public func eventProblem(_ event: MeasurementEvent, nowMs: Int64) -> String? {
        if event.id == Self.nilUUID {
            return "id is the nil UUID; each event needs its own id (the agent makes a UUIDv7)"
        }
        if !EventKind.known.contains(event.kind) {
            return "kind '\(event.kind)' is unknown; expected one of \(EventKind.known.map(\.rawValue).sorted().joined(separator: ", "))"
        }
        if !Outcome.known.contains(event.outcome) {
            return "outcome '\(event.outcome)' is unknown; expected one of \(Outcome.known.map(\.rawValue).sorted().joined(separator: ", "))"
        }
        if event.name.isEmpty || event.name.utf8.count > limits.maxNameLength {
            return "name must be 1 to \(limits.maxNameLength) bytes long"
        }
        if !StorableText.isClean(event.name) {
            return "name holds a control character; names must be printable text"
        }
        if event.durationMs < 0 || event.durationMs > limits.maxDurationMs {
            return "duration_ms \(event.durationMs) is outside 0 to \(limits.maxDurationMs) (24 hours)"
        }
        if event.startedAtMs < nowMs - limits.maxEventAgeMs {
            return "started_at_ms \(event.startedAtMs) is more than 30 days before the collector's clock (\(nowMs))"
        }
        if event.startedAtMs > nowMs + limits.maxFutureSkewMs {
            return "started_at_ms \(event.startedAtMs) is more than 1 day after the collector's clock (\(nowMs)); check the workstation's clock"
        }
        if let user = event.user, !Pseudonym.isValid(user) {
            return "user is not a pseudonym: it must be \(Pseudonym.length) lower-case hex digits (a keyed HMAC of the user name, as the agent makes); raw user names are never stored"
        }
        if let phases = event.phases {
            if phases.count > limits.maxPhases {
                return "has \(phases.count) phases; at most \(limits.maxPhases) are allowed"
            }
            for (name, value) in phases {
                if name.isEmpty || name.utf8.count > limits.maxAttributeKeyLength {
                    return "phase names must be 1 to \(limits.maxAttributeKeyLength) bytes long"
                }
                if !StorableText.isClean(name) {
                    return "a phase name holds a control character; phase names must be printable text"
                }
                if value < 0 || value > limits.maxDurationMs {
                    return "phase '\(name)' is \(value) ms, outside 0 to \(limits.maxDurationMs)"
                }
            }
        }
        if let attributes = event.attributes {
            if attributes.count > limits.maxAttributes {
                return "has \(attributes.count) attributes; at most \(limits.maxAttributes) are allowed"
            }
            for (key, value) in attributes {
                if key.isEmpty || key.utf8.count > limits.maxAttributeKeyLength {
                    return "attribute names must be 1 to \(limits.maxAttributeKeyLength) bytes long"
                }
                if value.utf8.count > limits.maxAttributeValueLength {
                    return "attribute '\(key)' is longer than \(limits.maxAttributeValueLength) bytes"
                }
                if !StorableText.isClean(key) || !StorableText.isClean(value) {
                    return "an attribute holds a control character; attribute names and values must be printable text"
                }
            }
        }
        return nil
    }
}
