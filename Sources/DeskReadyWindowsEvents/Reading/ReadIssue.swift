/// A part of an export that could not be read (a malformed event, text outside any event, an event without the
/// fields every event has), where it is, and what was done: the reader skips it and goes on with the next event.
public struct ReadIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file as given (or the name given to bytes in memory).
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// 0-based byte offset of the problem in the file's UTF-8 text (a UTF-16 file is counted after transcoding).
    public var byteOffset: Int64
    public var message: String

    public init(file: String, line: Int, byteOffset: Int64, message: String) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String { "\(file):\(line) (byte \(byteOffset)): \(message)" }
}
