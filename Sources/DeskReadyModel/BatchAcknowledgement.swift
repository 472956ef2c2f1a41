/// The collector's answer to a stored batch: what was accepted, what was already there, what was refused and why.
public struct BatchAcknowledgement: Codable, Hashable, Sendable {
    public var batchId: UUID
    /// Events stored by this request.
    public var accepted: Int
    /// Events already stored earlier (a retried batch or event), acknowledged and not stored again.
    public var duplicates: Int
    /// Events refused one by one, with their index in the batch and the reason.
    public var rejected: [RejectedEvent]
    /// True when the whole batch id had been stored before.
    public var duplicateBatch: Bool

    public init(batchId: UUID, accepted: Int, duplicates: Int, rejected: [RejectedEvent], duplicateBatch: Bool) {
        self.batchId = batchId
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.duplicateBatch = duplicateBatch
    }

    enum CodingKeys: String, CodingKey {
        case batchId = "batch_id"
        case accepted, duplicates, rejected
        case duplicateBatch = "duplicate_batch"
    }

    /// Ids as the agent sends them: lower case (Foundation writes UUIDs in upper case).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(batchId.uuidString.lowercased(), forKey: .batchId)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(duplicateBatch, forKey: .duplicateBatch)
    }
}

/// One event the collector refused, by its position in the batch.
public struct RejectedEvent: Codable, Hashable, Sendable {
    public var index: Int
    public var eventId: UUID?
    public var reason: String

    public init(index: Int, eventId: UUID?, reason: String) {
        self.index = index
        self.eventId = eventId
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case index
        case eventId = "event_id"
        case reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encodeIfPresent(eventId?.uuidString.lowercased(), forKey: .eventId)
        try container.encode(reason, forKey: .reason)
    }
}
