import DeskReadyModel
import Foundation

/// Decodes and validates a batch body: whole-batch problems throw (nothing is stored); per-event problems are
/// listed so the good events of the batch can still be stored.
struct BatchIngestion {
    let validator: BatchValidator
    private let decoder = WireCoding.decoder()

    init(limits: WireLimits) {
        validator = BatchValidator(limits: limits)
    }

    func validate(_ body: Data, nowMs: Int64) throws -> ValidatedBatch {
        let batch: Batch
        do {
            batch = try WireCoding.decodeBatch(body, decoder: decoder)
        } catch {
            let field = WireCoding.fieldProblem(for: error)
            throw ProblemError(.badRequest, title: "Invalid batch",
                               detail: field.pointer.isEmpty ? field.problem : "\(field.pointer) \(field.problem)", errors: [field])
        }
        let problems = validator.batchProblems(batch)
        guard problems.isEmpty else {
            throw ProblemError(.badRequest, title: "Invalid batch",
                               detail: problems.map { "\($0.pointer) \($0.problem)" }.joined(separator: "; "), errors: problems)
        }
        var accepted: [Int] = []
        var rejected: [RejectedEvent] = []
        var seen = Set<UUID>()
        accepted.reserveCapacity(batch.events.count)
        for (index, event) in batch.events.enumerated() {
            if let reason = validator.eventProblem(event, nowMs: nowMs) {
                rejected.append(RejectedEvent(index: index, eventId: event.id, reason: reason))
            } else if !seen.insert(event.id).inserted {
                rejected.append(RejectedEvent(index: index, eventId: event.id, reason: "event id \(event.id) appears twice in this batch"))
            } else {
                accepted.append(index)
            }
        }
        return ValidatedBatch(batch: batch, acceptedIndices: accepted, rejected: rejected, receivedAtMs: nowMs)
    }
}
