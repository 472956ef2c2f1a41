import DeskReadyModel
import Foundation

/// A validated batch made ready for the writer outside the write transaction: keys as blobs, phases and attributes
/// as their stored JSON, and the aggregates it adds when every row is new. The single writer then only runs SQL.
package struct PreparedBatch: Sendable {
    package let batchId: UUID
    package let trust: String
    package let site: String
    package let deviceId: String
    /// The agent's version named by the batch, when it named one.
    package let agentVersion: String?
    package let sentAtMs: Int64
    package let eventCount: Int
    package let receivedAtMs: Int64
    package let rejected: [RejectedEvent]
    package let rows: [PreparedRow]
    /// The aggregates of all `rows`, with model days keyed by the model `""` (the writer knows the model).
    package let fullDelta: AggregateDelta
    /// The model named by the batch's last inventory, which the model days use instead of the stored one.
    package let inventoriedModel: String?

    package init(_ validated: ValidatedBatch) {
        let batch = validated.batch
        batchId = batch.batchId
        trust = batch.device.trust
        site = batch.device.site
        deviceId = batch.device.id
        agentVersion = batch.device.agentVersion
        sentAtMs = batch.sentAtMs
        eventCount = batch.events.count
        receivedAtMs = validated.receivedAtMs
        rejected = validated.rejected
        var rows: [PreparedRow] = []
        rows.reserveCapacity(validated.acceptedIndices.count)
        var delta = AggregateDelta()
        for index in validated.acceptedIndices {
            let event = batch.events[index]
            rows.append(PreparedRow(event: event, phases: event.phases.map(CompactJSON.object), attributes: event.attributes.map(CompactJSON.object)))
            delta.add(event, site: batch.device.site, deviceId: batch.device.id, model: "")
        }
        self.rows = rows
        fullDelta = delta
        inventoriedModel = rows.last { $0.event.kind == .inventory }?.event.attributes.map { DeviceFacts(observedMs: 0, attributes: $0).modelName }
    }
}

package struct PreparedRow: Sendable {
    package let event: MeasurementEvent
    package let phases: String?
    package let attributes: String?
}
