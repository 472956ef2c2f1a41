/// The clock changes a computer recorded (System, Kernel-General 1: `OldTime` and `NewTime`), used to correct a
/// span that straddles a step and to match "the first event after" across one.
struct ClockSteps {
    struct Step {
        var oldUs: Int64
        var newUs: Int64
        var deltaUs: Int64 { newUs - oldUs }
    }

    /// Steps smaller than this are time-sync noise, not steps.
    static let minimumUs: Int64 = 500_000
    private(set) var steps: [Step] = []

    init(_ records: [WindowsEventRecord]) {
        for record in records where record.eventID == 1 && record.provider.lowercased() == EventCatalog.kernelGeneral {
            guard let old = record.field("OldTime").flatMap(WindowsTimestamp.parseMicroseconds),
                  let new = record.field("NewTime").flatMap(WindowsTimestamp.parseMicroseconds),
                  abs(new - old) >= Self.minimumUs else { continue }
            steps.append(Step(oldUs: old, newUs: new))
        }
    }

    /// How far an event written after `timeUs` may appear to be before it: the largest backward step within 6 hours.
    func slackUs(around timeUs: Int64) -> Int64 {
        let window: Int64 = 6 * 3_600_000_000
        return steps.filter { $0.deltaUs < 0 && abs($0.newUs - timeUs) <= window }.map { -$0.deltaUs }.max() ?? 0
    }

    /// The real time from `a` to `b` (b written after a), corrected for the steps between them; `stepped` when a step
    /// was corrected, `negative` when the span is still negative (clamped to 0).
    func span(from a: Int64, to b: Int64) -> (us: Int64, stepped: Bool, negative: Bool) {
        var us = b - a
        var stepped = false
        for step in steps {
            if step.deltaUs > 0, a <= step.oldUs, b >= step.newUs {
                us -= step.deltaUs
                stepped = true
            } else if step.deltaUs < 0, us < 0, a <= step.oldUs + 1_000_000, b >= step.newUs - 1_000_000 {
                us -= step.deltaUs
                stepped = true
            }
        }
        return us < 0 ? (0, stepped, true) : (us, stepped, false)
    }
}
