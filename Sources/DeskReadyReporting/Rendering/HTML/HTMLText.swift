import DeskReadyStore

/// Escapes text for HTML and SVG content and attributes.
enum HTMLText {
    static func escape(_ text: String) -> String { HTMLEscape.text(text) }

    /// "2026-10-14" as "14 Oct".
    static func shortDay(_ isoDay: String) -> String {
        let parts = isoDay.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]) else { return isoDay }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day) \(names[month - 1])"
    }
}
