import DeskReadyAgent
import Foundation

extension IngestBenchmark {
    /// Sends the gzip batch `bodies` from `agents` simulated agents at once, agent `i` to `collectors[i % count]`, each
    /// taking the next unsent batch as soon as its last one is answered; latencies and failures go to `state`.
    static func sendBatches(_ bodies: [[UInt8]], tokens: [String], collectors: [String], agents: Int, state: DriverState) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for agent in 0..<agents {
                let base = collectors[agent % collectors.count]
                group.addTask {
                    try await runOnThread {
                        let transport = CurlTransport()
                        while true {
                            let index = state.next.add(1, ordering: .relaxed).oldValue
                            guard index < bodies.count else { return }
                            let begin = Date()
                            do {
                                let exchange = try transport.post(
                                    url: base + "/v1/batches",
                                    headers: ["Content-Type: application/json", "Content-Encoding: gzip", "Authorization: Bearer \(tokens[index % tokens.count])"],
                                    body: bodies[index], timeoutMs: 60_000, connectTimeoutMs: 5_000)
                                if exchange.status != 200 {
                                    state.failures.withLock { $0.append("status \(exchange.status): \(String(decoding: exchange.body.prefix(300), as: UTF8.self))") }
                                }
                            } catch {
                                state.failures.withLock { $0.append("\(error)") }
                            }
                            state.latencies.withLock { $0.append(Date().timeIntervalSince(begin) * 1000) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
