/// Formats indicator values for people: "93 s", "33.1 s", "87.5%", "1.04%".
public enum ValueFormat {
    public static func value(_ value: Double, _ unit: IndicatorUnit) -> String {
        switch unit {
        case .seconds: seconds(value)
        case .percent: percent(value)
        }
    }

    /// Like `value`, with more decimals (up to three) where the usual rounding would look equal to one of
    /// `thresholds` that the value isn't: 1.04% next to a 1% threshold is "1.04%", not "1%".
    public static func value(_ value: Double, _ unit: IndicatorUnit, distinctFrom thresholds: [Double]) -> String {
        let usual = Self.value(value, unit)
        let clash = thresholds.contains { $0 != value && Self.value($0, unit) == usual }
        guard clash else { return usual }
        for places in 1...3 {
            let text = decimals(value, places) + (unit == .seconds ? " s" : "%")
            if !thresholds.contains(where: { $0 != value && decimals($0, places) == decimals(value, places) }) { return text }
        }
        return decimals(value, 3) + (unit == .seconds ? " s" : "%")
    }

    /// Whole seconds from 100 s up, otherwise up to one decimal.
    public static func seconds(_ value: Double) -> String {
        value >= 99.95 ? "\(Int(value.rounded())) s" : "\(oneDecimal(value)) s"
    }

    /// Up to two decimals under 10%, otherwise up to one.
    public static func percent(_ value: Double) -> String {
        abs(value) < 9.995 ? "\(decimals(value, 2))%" : "\(oneDecimal(value))%"
    }

    /// A change in the indicator's unit with its sign: "+5 s", "-1.2 pts".
    public static func change(_ value: Double, _ unit: IndicatorUnit) -> String {
        let magnitude = Self.value(abs(value), unit)
        return (value > 0 ? "+" : value < 0 ? "-" : "±") + (unit == .percent ? magnitude.replacingOccurrences(of: "%", with: " pts") : magnitude)
    }

    /// Up to one decimal, without a trailing ".0".
    static func oneDecimal(_ value: Double) -> String { decimals(value, 1) }

    /// Up to `places` decimals, without trailing zeros.
    static func decimals(_ value: Double, _ places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((value * Double(scale)).rounded())
        let sign = scaled < 0 ? "-" : ""
        let whole = abs(scaled) / scale
        var fraction = String(abs(scaled) % scale)
        guard places > 0, Int64(fraction) != 0 else { return "\(sign)\(whole)" }
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(whole).\(fraction)"
    }
}
