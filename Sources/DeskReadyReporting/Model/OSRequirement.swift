/// One operating system the model counts as supported: an os-release `ID` and the lowest `VERSION_ID` still in
/// support (compared number by number, so 22.04 < 24.04 and 9 < 12). No minimum means every version.
public struct OSRequirement: Sendable, Equatable {
    public var id: String
    public var minimumVersion: String?

    public init(id: String, minimumVersion: String? = nil) {
        self.id = id
        self.minimumVersion = minimumVersion
    }

    /// True when a device reporting `osId` and `osVersion` meets this requirement.
    public func isMet(osId: String?, osVersion: String?) -> Bool {
        guard let osId, osId.lowercased() == id.lowercased() else { return false }
        guard let minimumVersion else { return true }
        guard let osVersion else { return false }
        return Self.compare(osVersion, minimumVersion) >= 0
    }

    /// Compares dotted versions number by number; a missing or non-numeric part counts as 0.
    static func compare(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }
        let right = b.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? left[index] : 0
            let r = index < right.count ? right[index] : 0
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }

    /// The requirement in words: "ubuntu 22.04 or later".
    public var summary: String { minimumVersion.map { "\(id) \($0) or later" } ?? "\(id) (any version)" }
}

extension [OSRequirement] {
    /// True when any requirement is met.
    func supports(osId: String?, osVersion: String?) -> Bool {
        contains { $0.isMet(osId: osId, osVersion: osVersion) }
    }
}
