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

    /// Text colour readable on `fill(level)`.
    static func text(_ level: Int?) -> String {
        level == 3 || level == 4 ? "#1f2933" : "#ffffff"
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
