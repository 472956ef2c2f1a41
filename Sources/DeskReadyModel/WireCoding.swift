/// JSON coders configured for the wire format, shared by agent and collector.
public enum WireCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func decoder() -> JSONDecoder { JSONDecoder() }

    /// Turns a decoding failure into the JSON pointer of the field at fault and a sentence about it.
    public static func fieldProblem(for error: any Error) -> FieldProblem {
        guard let decodingError = error as? DecodingError else {
            return FieldProblem(pointer: "", problem: "the body is not valid JSON: \(error)")
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return FieldProblem(pointer: pointer(context.codingPath + [key]), problem: "is required but missing")
        case .typeMismatch(let type, let context):
            return FieldProblem(pointer: pointer(context.codingPath), problem: "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return FieldProblem(pointer: pointer(context.codingPath), problem: "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let reason = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
                return FieldProblem(pointer: "", problem: "the body is not valid JSON (\(reason)); numbers in integer fields must be whole 64-bit integers")
            }
            return FieldProblem(pointer: pointer(context.codingPath), problem: "is malformed: \(context.debugDescription)")
        @unknown default:
            return FieldProblem(pointer: "", problem: "the body could not be decoded")
        }
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        path.map { key in "/" + (key.intValue.map(String.init) ?? key.stringValue) }.joined()
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is UUID.Type: return "a UUID string"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
