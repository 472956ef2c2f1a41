/// Runs `work` on `items` with at most `width` running at once and hands each result to `each` in the order of
/// `items`, as soon as it and every one before it are done. Memory holds at most `width` results waiting their turn.
/// A failure cancels the rest and is thrown.
package func orderedConcurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], width: Int, _ work: @escaping @Sendable (Item) async throws -> Result,
    each: (Item, Result) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var started = 0
        var nextToHand = 0
        var done: [Int: Result] = [:]
        func start() {
            guard started < items.count else { return }
            let index = started
            let item = items[index]
            group.addTask { (index, try await work(item)) }
            started += 1
        }
        for _ in 0..<max(1, width) { start() }
        while let (index, result) = try await group.next() {
            done[index] = result
            while let ready = done.removeValue(forKey: nextToHand) {
                try await each(items[nextToHand], ready)
                nextToHand += 1
            }
            start()
        }
    }
}
