import DeskReadyReporting
import Synchronization
import Testing

/// The helper that grades trusts side by side for national reports.
@Suite("Ordered concurrent map")
struct OrderedConcurrentMapTests {
    @Test("Results arrive in the items' order however the work finishes, with at most the width running")
    func orderAndWidth() async throws {
        let running = Mutex((now: 0, most: 0))
        var handed: [Int] = []
        try await orderedConcurrentMap(Array(0..<24), width: 4, { item in
            running.withLock { $0 = ($0.now + 1, max($0.most, $0.now + 1)) }
            // Later items finish first within each window.
            try await Task.sleep(for: .milliseconds(5 * (24 - item) % 37))
            running.withLock { $0.now -= 1 }
            return item * 10
        }, each: { item, result in
            #expect(result == item * 10)
            handed.append(item)
        })
        #expect(handed == Array(0..<24))
        #expect(running.withLock { $0.most } <= 4 && running.withLock { $0.most } >= 2)
    }

    @Test("A failure is thrown and nothing after the failed item is handed on")
    func failure() async throws {
        struct Refused: Error {}
        var handed: [Int] = []
        await #expect(throws: Refused.self) {
            try await orderedConcurrentMap(Array(0..<10), width: 3, { item in
                if item == 4 { throw Refused() }
                return item
            }, each: { item, _ in handed.append(item) })
        }
        #expect(handed.allSatisfy { $0 < 4 })
    }
}
