/// One config value as written, and the checks that turn it into a setting: each assigns the value when it fits and
/// otherwise returns what is wrong with it (the loader adds the key and the file).
struct ConfigValue {
    let text: String

    init(_ text: String) { self.text = text }

    func int(_ range: ClosedRange<Int>, _ assign: (Int) -> Void) -> String? {
        guard let number = Int(text), range.contains(number) else {
            return "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
        }
        assign(number)
        return nil
    }

    func double(_ range: ClosedRange<Double>, _ assign: (Double) -> Void) -> String? {
        guard let number = Double(text), range.contains(number) else {
            return "must be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'"
        }
        assign(number)
        return nil
    }

    func bool(_ assign: (Bool) -> Void) -> String? {
        switch text.lowercased() {
        case "true", "yes", "on": assign(true)
        case "false", "no", "off": assign(false)
        default: return "must be true or false, not '\(text)'"
        }
        return nil
    }
}
