import DeskReadyModel
import Foundation

/// Which site a computer belongs to, from a CSV of `pattern,site` lines (`*` any characters, `?` one; matched
/// case-insensitively against the device id, the computer's short name in lower case). The first matching line
/// wins; computers no line matches go to the default site. Blank lines, `#` comments and a `pattern,site` header
/// are ignored.
struct SiteMap {
    var rules: [(pattern: String, site: String)]
    var defaultSite: String

    init(rules: [(pattern: String, site: String)], defaultSite: String) {
        self.rules = rules.map { ($0.pattern.lowercased(), $0.site) }
        self.defaultSite = defaultSite
    }

    /// Reads the CSV at `path`; every problem names the line and says how to fix it.
    init(path: String?, defaultSite: String, trust: String) throws {
        self.defaultSite = defaultSite
        rules = []
        guard let path else { return }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ImportError("cannot read the site map \(path); check the path, or leave out --site-map to put every computer in --site \(defaultSite)")
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.lowercased().replacingOccurrences(of: " ", with: "") == "pattern,site" { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, !fields[0].isEmpty else {
                throw ImportError("\(path):\(index + 1): expected 'pattern,site' (for example 'ws-a*,\(trust)01'), found '\(line)'")
            }
            guard ODSCode.isValidSite(fields[1], trust: trust) else {
                throw ImportError("\(path):\(index + 1): '\(fields[1])' is not a site ODS code of trust \(trust): 3 to 10 upper-case letters or digits beginning with \(trust)")
            }
            rules.append((fields[0].lowercased(), fields[1]))
        }
    }

    /// The site of a device id.
    func site(for deviceID: String) -> String {
        rules.first { Self.matches(Array($0.pattern.utf8), Array(deviceID.lowercased().utf8)) }?.site ?? defaultSite
    }

    /// Glob matching with `*` and `?`.
    static func matches(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0, t = 0
        var star: Int?, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = t
                p += 1
            } else if let starAt = star {
                p = starAt + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

/// A problem with the import's input or options that the user can fix; the message says how.
struct ImportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
