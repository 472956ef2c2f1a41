@testable import DeskReadyStore
import Foundation
import Testing

@Suite("Compact JSON for stored phases and attributes")
struct CompactJSONTests {
    @Test("Objects decode back to what was written, with awkward characters and sorted keys")
    func roundTrip() throws {
        let attributes = ["b": "quote \" backslash \\ newline \n tab \t bell \u{07}", "a": "päivää 病院 🏥", "": "empty key"]
        let text = CompactJSON.object(attributes)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == attributes)
        #expect(text.hasPrefix(#"{"":"empty key","a":"#))
        let phases: [String: Int64] = ["session_start": 12_000, "authentication": 1_500, "responsive": 0]
        #expect(CompactJSON.object(phases) == #"{"authentication":1500,"responsive":0,"session_start":12000}"#)
        #expect(CompactJSON.object([String: Int64]()) == "{}")
    }
}
