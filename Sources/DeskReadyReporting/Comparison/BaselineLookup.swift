import DeskReadyStore

/// Finds a trust's saved baseline by name, with an error that lists the names there are.
public struct BaselineLookup: Sendable {
    public var store: any BaselineStore

    public init(store: any BaselineStore) { self.store = store }

    public func snapshot(trust: String, name: String) async throws -> BaselineSnapshot {
        let saved = try await store.baselines(trust: trust)
        guard let match = saved.first(where: { $0.name == name }) else {
            let names = saved.map(\.name)
            throw BaselineNotFound(trust: trust, name: name, available: names)
        }
        return try BaselineSnapshot(match)
    }
}

/// A baseline asked for by name that the trust doesn't have.
public struct BaselineNotFound: Error, CustomStringConvertible {
    public var trust: String
    public var name: String
    public var available: [String]

    public var description: String {
        let known = available.isEmpty ? "it has none; save one with `deskready baseline save`" : "it has: \(available.joined(separator: ", "))"
        return "trust \(trust) has no baseline named '\(name)'; \(known)"
    }
}
