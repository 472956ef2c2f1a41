import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation
import Logging

/// A real collector on 127.0.0.1 (free port) over a temporary SQLite file, with a plain HTTP client for it.
public struct TestCollector: Sendable {
    public let directory: TemporaryDirectory
    public let store: SQLiteMeasurementStore
    public let running: RunningCollector

    public var url: String { running.baseURL }
    public var databasePath: String { store.path }

    /// `databasePath` puts the database elsewhere than the temporary folder (a small file system, say).
    public static func start(configuration: CollectorConfiguration = CollectorConfiguration(host: "127.0.0.1", port: 0),
                             databasePath: String? = nil) async throws -> TestCollector {
        let directory = try TemporaryDirectory("deskready-collector")
        let store = try SQLiteMeasurementStore(path: databasePath ?? directory.file("collector.sqlite"))
        var logger = Logger(label: "test.collector")
        logger.logLevel = .critical
        let running = try await RunningCollector.start(store: store, configuration: configuration, logger: logger)
        return TestCollector(directory: directory, store: store, running: running)
    }

    public func stop() async throws {
        try await running.stop()
        directory.remove()
    }

    /// Sets up the device's trust (when new) and enrols the device; returns its device token.
    public func enrol(_ device: DeviceIdentity = Fixtures.device) async throws -> String {
        try await ensureTrust(device.trust)
        return try await store.enrolDevice(trust: device.trust, deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token
    }

    /// Adds a trust unless it is already there.
    public func ensureTrust(_ ods: String) async throws {
        if try await !store.trusts().contains(where: { $0.ods == ods }) {
            _ = try await store.addTrust(ods: ods, name: "Trust \(ods)")
        }
    }

    /// POSTs raw bytes over real HTTP (libcurl) and returns the response.
    public func post(_ path: String, body: [UInt8], headers: [String] = ["Content-Type: application/json"], token: String? = nil) async throws -> TestResponse {
        let url = self.url + path
        let headers = headers + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
        return try await blocking {
            let exchange = try CurlTransport().post(url: url, headers: headers, body: body, timeoutMs: 10_000, connectTimeoutMs: 2_000)
            return TestResponse(status: exchange.status, body: exchange.body, retryAfter: exchange.retryAfterSeconds)
        }
    }

    /// GETs a path over real HTTP.
    public func get(_ path: String, headers: [String] = [], token: String? = nil) async throws -> TestResponse {
        let url = self.url + path
        let headers = headers + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
        return try await blocking {
            let exchange = try CurlTransport().get(url: url, headers: headers, timeoutMs: 10_000, connectTimeoutMs: 2_000)
            return TestResponse(status: exchange.status, body: exchange.body, retryAfter: exchange.retryAfterSeconds)
        }
    }

    /// Number of stored events, read straight from the database.
    public func storedEventCount(trust: String? = nil) async throws -> Int {
        try await store.counts(trust: trust).events
    }
}

/// What a test request got back.
public struct TestResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var retryAfter: Int?

    public init(status: Int, body: [UInt8], retryAfter: Int?) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body))
    }
}
