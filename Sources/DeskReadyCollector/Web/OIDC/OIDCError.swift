/// A sign-in the collector refuses, or a provider it cannot use, with the reason in words a person can act on.
public struct OIDCError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
