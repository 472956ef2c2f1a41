import DeskReadyWindowsEvents
import Foundation
import Testing

@Suite("The Event Forwarding subscription")
struct SubscriptionTests {
    /// agent-config/windows/deskready-subscription.xml.
    static let path: String = {
        var path = Fixture.folder
        for _ in 0..<3 { path = (path.hasSuffix("/") ? String(path.dropLast()) : path).split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/") }
        return path + "/agent-config/windows/deskready-subscription.xml"
    }()

    /// (channel, provider in lower case) to event ids, from the subscription's Select elements.
    static func selections(_ text: String) -> [String: Set<Int>] {
        var result: [String: Set<Int>] = [:]
        for part in text.components(separatedBy: "<Select Path=\"").dropFirst() {
            guard let channelEnd = part.firstIndex(of: "\""), let selectEnd = part.range(of: "</Select>") else { continue }
            let channel = String(part[..<channelEnd])
            let query = String(part[..<selectEnd.lowerBound])
            guard let providerStart = query.range(of: "@Name='"), let providerEnd = query[providerStart.upperBound...].firstIndex(of: "'") else { continue }
            let provider = query[providerStart.upperBound..<providerEnd].lowercased()
            var ids: Set<Int> = []
            let scanner = query.replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&lt;", with: "<")
            if let range = scanner.range(of: #"EventID >= (\d+) and EventID <= (\d+)"#, options: .regularExpression) {
                let numbers = scanner[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                if numbers.count == 2 { ids.formUnion(numbers[0]...numbers[1]) }
            }
            var rest = Substring(scanner)
            while let match = rest.range(of: #"EventID=\d+"#, options: .regularExpression) {
                if let id = Int(rest[match].dropFirst("EventID=".count)) { ids.insert(id) }
                rest = rest[match.upperBound...]
            }
            result["\(channel)|\(provider)", default: []].formUnion(ids)
        }
        return result
    }

    @Test("It selects exactly the events the assembler uses, channel by channel and provider by provider")
    func matchesCatalog() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let expected = Dictionary(EventCatalog.selections.map { ("\($0.channel)|\($0.provider)", $0.ids) }, uniquingKeysWith: { $0.union($1) })
        let found = Self.selections(text)
        #expect(found.keys.sorted() == expected.keys.sorted())
        for (key, ids) in expected { #expect(found[key] == ids, "\(key)") }
        #expect(text.contains("<LogFile>ForwardedEvents</LogFile>"))
    }
}
