/// Why the collector could not start serving (its TLS files, its listening address), with what to do about it.
public struct CollectorStartError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
