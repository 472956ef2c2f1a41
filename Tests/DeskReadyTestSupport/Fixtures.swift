import DeskReadyCollector
import DeskReadyModel
import Foundation

/// Builders for valid batches and events, for tests to bend one field at a time.
public enum Fixtures {
    public static let device = DeviceIdentity(id: "ws-0001", trust: "RXX", site: "RXX01")

    public static func event(kind: EventKind = .logon, name: String = "x11", durationMs: Int64 = 20_000,
                             startedAtMs: Int64 = WallClock.nowMs() - 3_600_000, outcome: Outcome = .ok,
                             phases: [String: Int64]? = nil) -> MeasurementEvent {
        MeasurementEvent(kind: kind, name: name, startedAtMs: startedAtMs, durationMs: durationMs, phases: phases, outcome: outcome,
                         user: "0123456789abcdef0123456789abcdef", attributes: ["source": "test"])
    }

    public static func batch(events: [MeasurementEvent], device: DeviceIdentity = Fixtures.device, batchId: UUID = UUIDv7.make()) -> Batch {
        Batch(batchId: batchId, device: device, sentAtMs: WallClock.nowMs(), events: events)
    }

    public static func json(_ batch: Batch) throws -> [UInt8] {
        Array(try WireCoding.encoder().encode(batch))
    }
}

extension MeasurementStore {
    /// Stores `events` as one accepted batch of `device`, as the batch endpoint would after validation.
    @discardableResult
    public func ingest(_ events: [MeasurementEvent], device: DeviceIdentity = Fixtures.device, batchId: UUID = UUIDv7.make()) async throws -> BatchAcknowledgement {
        let batch = Fixtures.batch(events: events, device: device, batchId: batchId)
        return try await ingest(ValidatedBatch(batch: batch, acceptedIndices: Array(events.indices), rejected: [], receivedAtMs: WallClock.nowMs()))
    }
}
