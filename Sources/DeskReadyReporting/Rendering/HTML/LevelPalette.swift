/// Colours of the five levels (and of "not graded"), used alike by tables and charts; every coloured mark also
/// carries its level number, so nothing depends on colour alone.
enum LevelPalette {
    static func fill(_ level: Int?) -> String {
        switch level {
        case 1: "#b3261e"
        case 2: "#e8710a"
        case 3: "#f2b600"
        case 4: "#7cb342"
        case 5: "#1e7b34"
        default: "#9aa5b1"
        }
    }

    /// Text colour readable on `fill(level)` (WCAG AA contrast, at least 4.5:1).
    static func text(_ level: Int?) -> String {
        level == 1 || level == 5 ? "#ffffff" : "#1f2933"
    }

    /// The class that colours a badge or pill of `level` (styles live in the stylesheet, so a strict
    /// Content-Security-Policy needs no inline styles).
    static func className(_ level: Int?) -> String {
        level.map { "level-\($0)" } ?? "level-none"
    }

    /// The rules behind `className`.
    static var css: String {
        ([1, 2, 3, 4, 5] as [Int?] + [nil]).map { level in
            ".\(className(level)) { background: \(fill(level)); color: \(text(level)); }"
        }.joined(separator: "\n") + "\n.pill.level-none { background: #e4e7eb; color: #3e4c59; }"
    }

    /// A pale tint of the level's colour, for chart bands.
    static func tint(_ level: Int) -> String {
        switch level {
        case 1: "#f6dcda"
        case 2: "#fce6d2"
        case 3: "#fdf2cc"
        case 4: "#e6f2d9"
        default: "#d6ecdb"
        }
    }
}
