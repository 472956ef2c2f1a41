import Yams

/// Reads the fields of one YAML mapping, remembering its path in the file so every error names the field at fault.
struct YAMLFields {
    let mapping: Node.Mapping
    let path: String
    let line: Int?

    init(_ node: Node?, path: String) throws {
        guard let node, let mapping = node.mapping else {
            throw MaturityModelError(field: path, problem: "must be a mapping of fields (key: value)", line: node?.mark?.line)
        }
        self.mapping = mapping
        self.path = path
        line = node.mark?.line
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses fields this reader doesn't know, so a misspelt optional field isn't silently ignored.
    func refuseUnknown(_ known: [String]) throws {
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !known.contains(name) {
                throw MaturityModelError(
                    field: field(name), problem: "is not a field here; expected one of: \(known.joined(separator: ", "))",
                    line: key.mark?.line)
            }
        }
    }

    /// The value of `key`, matched on the key's text whatever its resolved tag (so `5:` and `"5":` are the same).
    func node(_ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }

    func require(_ key: String) throws -> Node {
        guard let node = node(key), node.null == nil else {
            throw MaturityModelError(field: field(key), problem: "is missing", line: line)
        }
        return node
    }

    func string(_ key: String) throws -> String {
        let node = try require(key)
        guard let scalar = node.scalar, !scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw MaturityModelError(field: field(key), problem: "must be non-empty text", line: node.mark?.line)
        }
        return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func optionalString(_ key: String) throws -> String? {
        guard let node = node(key), node.null == nil else { return nil }
        return try string(key)
    }

    func number(_ key: String) throws -> Double {
        try Self.number(try require(key), field: field(key))
    }

    func optionalNumber(_ key: String) throws -> Double? {
        guard let node = node(key), node.null == nil else { return nil }
        return try Self.number(node, field: field(key))
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try optionalNumber(key) else { return nil }
        guard value == value.rounded(), let integer = Int(exactly: value), range.contains(integer) else {
            throw MaturityModelError(field: field(key), problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)", line: node(key)?.mark?.line)
        }
        return integer
    }

    static func number(_ node: Node, field: String) throws -> Double {
        guard let text = node.scalar?.string, let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw MaturityModelError(field: field, problem: "must be a number, not '\(node.scalar?.string ?? "a list or mapping")'", line: node.mark?.line)
        }
        return value
    }
}
