import DeskReadyModel

/// The boot's phases as systemd reports them (`systemd-analyze`), in milliseconds.
public struct BootTiming: Equatable, Sendable {
    /// `firmware`, `loader`, `kernel`, `initrd`, `userspace`: whichever the system reported.
    public var phases: [String: Int64]
    public var totalMs: Int64
    /// The target reached (`graphical.target`, `multi-user.target`) and when, in userspace milliseconds.
    public var target: String?
    public var targetReachedMs: Int64?

    /// Parses `systemd-analyze` output, for example
    /// `Startup finished in 3.2s (firmware) + 1.1s (loader) + 1.5s (kernel) + 2.0s (initrd) + 9.8s (userspace) = 17.6s`
    /// followed by `graphical.target reached after 9.7s in userspace.` Nil when the text has no such line
    /// (a container without systemd, or a boot still in progress).
    public static func parse(systemdAnalyze text: String) -> BootTiming? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Startup finished in") }) else { return nil }
        let afterIn = line.firstRange(of: "Startup finished in ").map { line[$0.upperBound...] } ?? line[...]
        let sides = afterIn.split(separator: "=", maxSplits: 1)
        var phases: [String: Int64] = [:]
        for part in sides[0].split(separator: "+") {
            let piece = part.trimmingWhitespace()
            guard let open = piece.firstIndex(of: "("), let close = piece.firstIndex(of: ")") else { continue }
            let name = String(piece[piece.index(after: open)..<close])
            if let ms = parseDuration(String(piece[..<open])) { phases[name] = ms }
        }
        guard !phases.isEmpty else { return nil }
        let total = sides.count > 1 ? parseDuration(sides[1].trimmingWhitespace().trimmingSuffix(".")) : nil
        var timing = BootTiming(phases: phases, totalMs: total ?? phases.values.reduce(0, +), target: nil, targetReachedMs: nil)
        if let targetLine = text.split(separator: "\n").first(where: { $0.contains(" reached after ") }) {
            let words = targetLine.trimmingWhitespace()
            if let range = words.firstRange(of: " reached after ") {
                timing.target = String(words[..<range.lowerBound])
                let rest = words[range.upperBound...]
                let durationText = rest.firstRange(of: " in userspace").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
                timing.targetReachedMs = parseDuration(durationText)
            }
        }
        return timing
    }

    /// Parses systemd's durations: `1min 2.345s`, `850ms`, `12.5s`, `1h 2min 3s`, `500us`.
    public static func parseDuration(_ text: String) -> Int64? {
        var totalMs = 0.0
        var matched = false
        for token in text.split(separator: " ") where !token.isEmpty {
            let units: [(String, Double)] = [("min", 60_000), ("ms", 1), ("us", 0.001), ("µs", 0.001), ("h", 3_600_000), ("s", 1_000)]
            guard let (suffix, factor) = units.first(where: { token.hasSuffix($0.0) }),
                  let value = Double(token.dropLast(suffix.count)) else { return nil }
            totalMs += value * factor
            matched = true
        }
        return matched ? Int64(totalMs.rounded()) : nil
    }

    /// The boot as an event. `bootedAtMs` is the wall-clock time of the kernel's start.
    public func event(bootedAtMs: Int64, bootId: String) -> MeasurementEvent {
        var attributes = ["boot_id": bootId, "source": "systemd-analyze"]
        if let target { attributes["target"] = target }
        var phases = self.phases
        if let targetReachedMs { phases["target_reached"] = targetReachedMs }
        let firmwareAndLoader = (self.phases["firmware"] ?? 0) + (self.phases["loader"] ?? 0)
        return MeasurementEvent(
            id: UUIDv7.make(unixMs: bootedAtMs - firmwareAndLoader), kind: .boot, name: target ?? "boot",
            startedAtMs: bootedAtMs - firmwareAndLoader, durationMs: totalMs, phases: phases, outcome: .ok, attributes: attributes)
    }
}

extension StringProtocol {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
