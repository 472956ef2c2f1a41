extension GradedReport {
    /// An indicator's value for a table, precise enough never to look equal to a threshold it doesn't meet.
    func display(_ value: Double, of indicatorID: String, unit: IndicatorUnit) -> String {
        let thresholds = indicators.first { $0.id == indicatorID }.map { Array($0.thresholds.values) } ?? []
        return ValueFormat.value(value, unit, distinctFrom: thresholds)
    }
}
