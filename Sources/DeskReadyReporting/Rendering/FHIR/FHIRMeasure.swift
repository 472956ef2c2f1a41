/// FHIR R4 `Measure`: one per indicator of the maturity model, and one for the model as a whole, whose groups are
/// the indicators (the MeasureReports refer to it).
public struct FHIRMeasure: Codable, Sendable, Equatable {
    public var resourceType = "Measure"
    public var id: String
    public var url: String
    public var version: String
    public var name: String
    public var title: String
    public var status: String
    public var experimental: Bool
    public var publisher: String
    public var description: String
    public var purpose: String?
    /// How the value is graded, in words (the thresholds of each level).
    public var guidance: String?
    public var scoring: FHIRCodeableConcept?
    public var improvementNotation: FHIRCodeableConcept?
    public var `extension`: [FHIRExtension]?
    public var group: [Group]?

    /// A group of the model's Measure: one indicator.
    public struct Group: Codable, Sendable, Equatable {
        public var id: String?
        public var code: FHIRCodeableConcept
        public var description: String?
        /// What the MeasureReports' stratifiers of this group mean.
        public var stratifier: [Stratifier]?

        public init(id: String?, code: FHIRCodeableConcept, description: String?, stratifier: [Stratifier]? = nil) {
            self.id = id
            self.code = code
            self.description = description
            self.stratifier = stratifier
        }
    }

    /// A stratifier of a group, described for readers of the MeasureReports.
    public struct Stratifier: Codable, Sendable, Equatable {
        public var code: FHIRCodeableConcept
        public var description: String
    }
}
