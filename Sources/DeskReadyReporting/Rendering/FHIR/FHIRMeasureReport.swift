/// FHIR R4 `MeasureReport` (type summary, status complete): one trust's grades for one period, a group per indicator
/// (and one for the overall level), each stratified by site.
public struct FHIRMeasureReport: Codable, Sendable, Equatable {
    public var resourceType = "MeasureReport"
    public var id: String
    public var status: String
    public var type: String
    public var measure: String
    public var subject: FHIRReference
    public var date: String
    public var reporter: FHIRReference
    public var period: FHIRPeriod
    public var group: [Group]

    /// One indicator's result.
    public struct Group: Codable, Sendable, Equatable {
        public var id: String?
        public var code: FHIRCodeableConcept
        public var population: [Population]?
        public var measureScore: FHIRQuantity?
        public var stratifier: [Stratifier]?
        public var `extension`: [FHIRExtension]?
    }

    /// How many observations stand behind a result.
    public struct Population: Codable, Sendable, Equatable {
        public var code: FHIRCodeableConcept
        public var count: Int

        public static func initial(_ count: Int) -> Population {
            Population(
                code: FHIRCodeableConcept(coding: [FHIRCoding(
                    system: "http://terminology.hl7.org/CodeSystem/measure-population", code: "initial-population",
                    display: "Initial Population")]),
                count: count)
        }
    }

    /// The results per site.
    public struct Stratifier: Codable, Sendable, Equatable {
        public var code: [FHIRCodeableConcept]?
        public var stratum: [Stratum]?
    }

    /// One site's result.
    public struct Stratum: Codable, Sendable, Equatable {
        public var value: FHIRCodeableConcept
        public var population: [Population]?
        public var measureScore: FHIRQuantity?
        public var `extension`: [FHIRExtension]?
    }
}
