/// A maturity model file that can't be used, naming the field at fault and what it should hold.
public struct MaturityModelError: Error, CustomStringConvertible, Equatable {
    /// Where in the file, for example `indicators[2].thresholds.4`, or empty for the whole file.
    public let field: String
    public let problem: String
    /// Line in the file, from 1, when known.
    public let line: Int?

    public init(field: String, problem: String, line: Int? = nil) {
        self.field = field
        self.problem = problem
        self.line = line
    }

    public var description: String {
        let place = line.map { " (line \($0))" } ?? ""
        return field.isEmpty ? "maturity model\(place): \(problem)" : "maturity model, field '\(field)'\(place): \(problem)"
    }
}
