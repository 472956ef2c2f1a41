/// An RFC 9457 problem document (`application/problem+json`), with the fields at fault.
public struct ProblemDetails: Codable, Hashable, Sendable, Error {
    public static let mediaType = "application/problem+json"

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// Each field at fault, as a JSON pointer into the request body, and what is wrong with it.
    public var errors: [FieldProblem]?

    public init(type: String = "about:blank", title: String, status: Int, detail: String, errors: [FieldProblem]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }
}

/// One field of a request that is wrong, and how.
public struct FieldProblem: Codable, Hashable, Sendable {
    /// JSON pointer (RFC 6901), for example `/events/3/duration_ms`.
    public var pointer: String
    public var problem: String

    public init(pointer: String, problem: String) {
        self.pointer = pointer
        self.problem = problem
    }
}
