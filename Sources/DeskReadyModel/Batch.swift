/// What an agent sends in one request: wire format version 1.
public struct Batch: Codable, Hashable, Sendable {
    /// The wire format versions this build understands.
    public static let supportedSchemaVersions: Set<Int> = [1]

    public var schemaVersion: Int
    /// Chosen by the agent before the first send and kept across retries.
    public var batchId: UUID
    public var device: DeviceIdentity
    /// The agent's wall clock at send time, UTC milliseconds; the collector records the skew.
    public var sentAtMs: Int64
    public var events: [MeasurementEvent]

    public init(schemaVersion: Int = 1, batchId: UUID, device: DeviceIdentity, sentAtMs: Int64, events: [MeasurementEvent]) {
        self.schemaVersion = schemaVersion
        self.batchId = batchId
        self.device = device
        self.sentAtMs = sentAtMs
        self.events = events
    }

    /// The wire names. `FastBatchDecoder` reads batches by hand on the collector's hot path: a key added here must
    /// be added there too (`FastBatchDecoderTests.everyFieldSet` fails until the new field is set and decoded).
    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case batchId = "batch_id"
        case device
        case sentAtMs = "sent_at_ms"
        case events
    }
}
