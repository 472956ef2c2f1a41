/// Rounds report figures so that outputs are stable and free of binary-fraction noise.
enum Rounding {
    /// Indicator values: three decimals (milliseconds for seconds, 0.001 points for percent).
    static func value(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    /// Scores: one decimal.
    static func score(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}
