extension MaturityModel {
    /// The application-start target staff time lost is measured against: the level-4 threshold of the model's
    /// `app_start_p90` indicator (what a well-run estate's slow tail meets), 10 s when the model has none.
    public var applicationTargetMs: Int64 {
        let seconds = indicators.first { $0.metric == .appStartP90 }?.thresholds.level4 ?? 10
        return Int64((seconds * 1000).rounded())
    }
}
