import Hummingbird
import Logging
import ServiceLifecycle

/// A collector started in this process on a port (0 picks a free one), for the demo, the benchmarks and tests.
public final class RunningCollector: Sendable {
    public let port: Int
    public let store: any CollectorStore
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    public let scheme: String
    public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    private init(port: Int, scheme: String, store: any CollectorStore, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.scheme = scheme
        self.store = store
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts serving and returns once the port is bound.
    public static func start(
        store: any CollectorStore, configuration: CollectorConfiguration = CollectorConfiguration(host: "127.0.0.1", port: 0),
        logger: Logger = Logger(label: "deskready.collector"), reports: (any ReportRendering)? = nil, audit: AuditLog = AuditLog()
    ) async throws -> RunningCollector {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = try CollectorServer.application(store: store, configuration: configuration, logger: logger, reports: reports, audit: audit) { port in
            continuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw CollectorStartError("the collector stopped before it was listening on \(configuration.host):\(configuration.port)")
        }
        return RunningCollector(port: port, scheme: configuration.tls == nil ? "http" : "https", store: store, serviceGroup: group, task: task)
    }

    /// Stops accepting, finishes requests in flight, and returns when the server has stopped.
    public func stop() async throws {
        await serviceGroup.triggerGracefulShutdown()
        try await task.value
    }
}
