import Foundation
import Hummingbird

/// A posted `application/x-www-form-urlencoded` form, read with a small limit; a field sent twice keeps its first value.
struct WebForm: Sendable {
    static let maxBytes = 16 * 1024
    var fields: [String: String]

    subscript(_ name: String) -> String? { fields[name] }

    static func read(_ request: Request) async throws -> WebForm {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw WebError(.unsupportedMediaType, "Not a form", "This address takes a form sent by the page's own button; go back to the page and use it.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw WebError(.contentTooLarge, "Form too large", "The form sent was larger than \(maxBytes / 1024) KB; a token is far shorter. Check what was pasted.")
        }
        return WebForm(fields: parse(String(buffer: buffer)))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
