import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyPostgresStore

/// The PostgreSQL store locks a batch's event rows in event-id order; every collector must use the same order.
@Suite("PostgreSQL ingest: event-id order")
struct UUIDOrderTests {
    @Test("The order key sorts ids exactly as their text does")
    func sameAsText() {
        var random = SplitMix(state: 42)
        var ids = (0..<2_000).map { _ in UUID(uuid: (0..<16).reduce(into: [UInt8]()) { bytes, _ in bytes.append(UInt8.random(in: 0...255, using: &random)) }.tuple) }
        // Ids that differ only in their last byte, or only in their first.
        ids += [UUID(uuid: [UInt8](repeating: 0, count: 15).appending(1).tuple), UUID(uuid: [UInt8](repeating: 0, count: 16).tuple),
                UUID(uuid: ([0xff] + [UInt8](repeating: 0, count: 15)).tuple)]
        let byText = ids.sorted { $0.uuidString < $1.uuidString }
        let byKey = ids.sorted { $0.orderKey < $1.orderKey }
        #expect(byText == byKey)
    }
}

private extension Array where Element == UInt8 {
    func appending(_ byte: UInt8) -> [UInt8] { self + [byte] }

    var tuple: uuid_t {
        (self[0], self[1], self[2], self[3], self[4], self[5], self[6], self[7],
         self[8], self[9], self[10], self[11], self[12], self[13], self[14], self[15])
    }
}
