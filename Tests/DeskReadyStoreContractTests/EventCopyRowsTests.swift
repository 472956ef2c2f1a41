import DeskReadyPostgresStore
import Foundation
import Testing

/// The hand-written parts of the COPY rows, against Swift's own formatting.
@Suite("PostgreSQL COPY rows")
struct EventCopyRowsTests {
    @Test("Integers, ids and escaped text are written as PostgreSQL's COPY text format reads them")
    func pieces() {
        for value: Int64 in [0, 7, -7, 10, 1_764_000_000_000, Int64.max, Int64.min] {
            var bytes: [UInt8] = []
            EventCopyRows.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
        let id = UUID()
        var idBytes: [UInt8] = []
        EventCopyRows.appendUUID(id, to: &idBytes)
        #expect(String(decoding: idBytes, as: UTF8.self) == id.uuidString.lowercased())
        var text: [UInt8] = []
        EventCopyRows.appendText(#"a\b"# + "\t\n\u{7F}é", to: &text)
        #expect(String(decoding: text, as: UTF8.self) == #"a\\b\x09\x0a\x7fé"#)
    }
}
