/// FHIR R4 data types used by DeskReady's Measure and MeasureReport resources (only the elements DeskReady fills).
public enum FHIR {
    /// The NHS ODS identifier system for organisations and sites.
    public static let odsSystem = "https://fhir.nhs.uk/Id/ods-organization-code"
    /// UCUM, for quantities.
    public static let ucumSystem = "http://unitsofmeasure.org"
    /// DeskReady's own code systems and extensions live under this URN.
    public static let base = "urn:deskready"
    public static let indicatorSystem = "urn:deskready:indicator"
    public static let levelExtension = "urn:deskready:extension:maturity-level"
    public static let scoreExtension = "urn:deskready:extension:maturity-score"
    public static let reasonExtension = "urn:deskready:extension:grade-reason"
    public static let statusExtension = "urn:deskready:extension:grade-status"
    public static let dimensionExtension = "urn:deskready:extension:wgll-dimension"
    public static let thresholdExtension = "urn:deskready:extension:level-threshold"
}

/// FHIR `Coding`.
public struct FHIRCoding: Codable, Sendable, Equatable {
    public var system: String?
    public var code: String?
    public var display: String?

    public init(system: String?, code: String?, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// FHIR `CodeableConcept`.
public struct FHIRCodeableConcept: Codable, Sendable, Equatable {
    public var coding: [FHIRCoding]?
    public var text: String?

    public init(coding: [FHIRCoding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }
}

/// FHIR `Identifier`.
public struct FHIRIdentifier: Codable, Sendable, Equatable {
    public var system: String
    public var value: String
}

/// FHIR `Reference` by business identifier (an organisation by its ODS code).
public struct FHIRReference: Codable, Sendable, Equatable {
    public var type: String?
    public var identifier: FHIRIdentifier?
    public var display: String?

    /// An NHS organisation by ODS code, displayed by its name when it has one.
    public static func organisation(ods: String, name: String? = nil) -> FHIRReference {
        FHIRReference(type: "Organization", identifier: FHIRIdentifier(system: FHIR.odsSystem, value: ods), display: name ?? ods)
    }
}

/// FHIR `Period` (ISO dates).
public struct FHIRPeriod: Codable, Sendable, Equatable {
    public var start: String
    public var end: String
}

/// FHIR `Quantity` with a UCUM unit.
public struct FHIRQuantity: Codable, Sendable, Equatable {
    public var value: Double
    public var unit: String
    public var system: String
    public var code: String

    public init(value: Double, unit: IndicatorUnit) {
        self.init(value: value, unit: unit.ucum, code: unit.ucum)
    }

    public init(value: Double, unit: String, code: String) {
        self.value = value
        self.unit = unit
        system = FHIR.ucumSystem
        self.code = code
    }
}

/// FHIR `Extension`, with the value types DeskReady uses.
public struct FHIRExtension: Codable, Sendable, Equatable {
    public var url: String
    public var valueInteger: Int?
    public var valueDecimal: Double?
    public var valueString: String?
    public var valueCode: String?

    public init(url: String, valueInteger: Int? = nil, valueDecimal: Double? = nil, valueString: String? = nil, valueCode: String? = nil) {
        self.url = url
        self.valueInteger = valueInteger
        self.valueDecimal = valueDecimal
        self.valueString = valueString
        self.valueCode = valueCode
    }
}
