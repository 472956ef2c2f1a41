/// Staff time lost in FHIR: a group `staff_time_beyond_target` on the model's Measure, and in each current-period
/// MeasureReport right after the overall level, hours a week (UCUM `h/wk`), stratified by site, the assumptions as
/// the reason and the hours waited in all as a second extension.
extension FHIRReportRenderer {
    static let staffTimeCode = code("staff_time_beyond_target", "staff time waited beyond target (hours a week)")
    static let waitedExtension = "urn:deskready:extension:staff-time-waited-hours-per-week"

    static let staffTimeDefinition = FHIRMeasure.Group(
        id: "staff_time_beyond_target", code: staffTimeCode,
        description: "Hours a week staff waited beyond target on logons and application starts (a statistic, not graded).",
        stratifier: [stratifierDefinitions[0]])

    /// The staff-time group of a trust's current period, or nil when there is not enough to say.
    static func staffTimeGroup(_ trust: GradedTrust) -> FHIRMeasureReport.Group? {
        guard let lost = trust.statistics.staffTimeLost else { return nil }
        return FHIRMeasureReport.Group(
            id: "staff_time_beyond_target", code: staffTimeCode, population: [.initial(lost.logons + lost.applicationStarts)],
            measureScore: hours(lost.beyondTargetHoursPerWeek),
            stratifier: siteStratifier(trust.sites.compactMap { site in
                site.statistics.staffTimeLost.map { siteLost in
                    (site, hours(siteLost.beyondTargetHoursPerWeek), siteLost.logons + siteLost.applicationStarts, staffExtensions(siteLost))
                }
            }),
            extension: staffExtensions(lost))
    }

    private static func hours(_ value: Double) -> FHIRQuantity { FHIRQuantity(value: value, unit: "h/wk", code: "h/wk") }

    private static func staffExtensions(_ lost: StaffTimeLost) -> [FHIRExtension] {
        [FHIRExtension(url: FHIR.reasonExtension, valueString: lost.assumptions),
         FHIRExtension(url: waitedExtension, valueDecimal: lost.waitedHoursPerWeek)]
    }
}
