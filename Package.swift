// swift-tools-version:6.1
import PackageDescription

/// DeskReady: workstation agent, collector and reporting for NHS trusts' infrastructure maturity.
let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "DeskReady",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deskready", targets: ["deskready"]),
        .executable(name: "deskready-agent", targets: ["deskready-agent"]),
        .library(name: "DeskReadyModel", targets: ["DeskReadyModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The web front's OpenID Connect sign-in: ID-token signatures (JWKS) and the provider's endpoints.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Wire format and domain types. Standard library and FoundationEssentials only.
        .target(name: "DeskReadyModel", swiftSettings: strictSwift),

        // Windows event logs (XML as wevtutil, Get-WinEvent and Event Forwarding write it) to boots and logons with
        // phases. DeskReadyModel only, so a Windows build of the agent can use it.
        .target(name: "DeskReadyWindowsEvents", dependencies: ["DeskReadyModel"], swiftSettings: strictSwift),

        // Small C helpers: gzip through zlib, and libcurl loaded with dlopen only when an upload starts.
        .target(
            name: "CDeskReadySupport",
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("dl")]
        ),

        // Workstation agent: sources, spool (SQLite C API), uploader. No Foundation, NIO or GRDB.
        .target(
            name: "DeskReadyAgent",
            dependencies: [
                "DeskReadyModel",
                "CDeskReadySupport",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift
        ),

        // The storage seam: the store protocols split by what their callers need, the read models, credentials,
        // `TimingHistogram`, and what every store shares to ingest (`PreparedBatch`, `AggregateDelta`, `DeviceFacts`).
        // No HTTP server, no GRDB: reporting and every store build on it alone.
        .target(
            name: "DeskReadyStore",
            dependencies: [
                "DeskReadyModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSwift
        ),

        // SQLite store: the store protocols on one SQLite file in WAL mode (GRDB 7 on the system libsqlite3), with one
        // group-committing writer and a WAL checkpointer of its own. The embedded store of a single collector.
        .target(
            name: "DeskReadySQLiteStore",
            dependencies: [
                "DeskReadyModel",
                "DeskReadyStore",
                "CDeskReadySupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift
        ),

        // Collector: the HTTP service (Hummingbird 2), its operations (metrics, retention) and web front, on the store
        // protocols of DeskReadyStore only: no GRDB, and no store of its own (the `deskready` executable opens one).
        .target(
            name: "DeskReadyCollector",
            dependencies: [
                "DeskReadyModel",
                "DeskReadyStore",
                "CDeskReadySupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSwift
        ),

        // PostgreSQL store: the store protocols of DeskReadyStore on postgres-nio, for several collectors on one
        // database. No HTTP server, no GRDB.
        .target(
            name: "DeskReadyPostgresStore",
            dependencies: [
                "DeskReadyModel",
                "DeskReadyStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),

        // Reporting: indicators from the store and their renderers.
        .target(
            name: "DeskReadyReporting",
            dependencies: ["DeskReadyModel", "DeskReadyStore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSwift
        ),

        .executableTarget(
            name: "deskready-agent",
            dependencies: [
                "DeskReadyModel",
                "DeskReadyAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift,
            // With --static-swift-stdlib, link the C++ runtime statically too (agent-config/link/libstdc++.so says why).
            linkerSettings: [.unsafeFlags(["-L", Context.packageDirectory + "/agent-config/link"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "deskready",
            dependencies: [
                "DeskReadyModel",
                "DeskReadyAgent",
                "DeskReadyCollector",
                "DeskReadySQLiteStore",
                "DeskReadyPostgresStore",
                "DeskReadyReporting",
                "DeskReadyWindowsEvents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),

        // Helpers shared by the test targets: temporary folders, blocking work on its own thread, a loopback client.
        .target(
            name: "DeskReadyTestSupport",
            dependencies: [
                "DeskReadyModel", "DeskReadyAgent", "DeskReadyCollector", "DeskReadySQLiteStore", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DeskReadyTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(name: "DeskReadyModelTests", dependencies: ["DeskReadyModel"], swiftSettings: strictSwift),
        .testTarget(
            name: "DeskReadyWindowsEventsTests", dependencies: ["DeskReadyWindowsEvents", "DeskReadyModel"],
            exclude: ["Fixtures"], swiftSettings: strictSwift),
        .testTarget(name: "DeskReadyAgentTests", dependencies: ["DeskReadyAgent", "DeskReadyModel", "DeskReadyTestSupport", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictSwift),
        .testTarget(name: "DeskReadyStoreTests", dependencies: ["DeskReadyStore"], swiftSettings: strictSwift),
        .testTarget(
            name: "DeskReadySQLiteStoreTests",
            dependencies: [
                "DeskReadySQLiteStore", "DeskReadyStore", "DeskReadyModel", "DeskReadyTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DeskReadyCollectorTests",
            dependencies: [
                "DeskReadyCollector", "DeskReadySQLiteStore", "DeskReadyModel", "DeskReadyAgent", "DeskReadyTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DeskReadyReportingTests",
            dependencies: ["DeskReadyReporting", "DeskReadyCollector", "DeskReadySQLiteStore", "DeskReadyModel", "DeskReadyTestSupport"],
            swiftSettings: strictSwift
        ),
        // One set of store scenarios run against every store (SQLite always; PostgreSQL when DESKREADY_TEST_POSTGRES_URL
        // names a server, as .ci/run arranges), a differential workload, and two collectors on one PostgreSQL.
        .testTarget(
            name: "DeskReadyStoreContractTests",
            dependencies: [
                "DeskReadyCollector", "DeskReadySQLiteStore", "DeskReadyPostgresStore", "DeskReadyReporting", "DeskReadyModel", "DeskReadyAgent",
                "DeskReadyTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                // Built so the fault test can run real collector processes.
                "deskready",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "DeskReadyAgent", "DeskReadyCollector", "DeskReadySQLiteStore", "DeskReadyReporting", "DeskReadyModel", "DeskReadyTestSupport",
                // Built so the tests can run the real binaries.
                "deskready-agent", "deskready",
            ],
            swiftSettings: strictSwift
        ),
    ]
)
