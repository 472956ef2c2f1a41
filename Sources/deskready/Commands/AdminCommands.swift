import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation

/// Options of every command that works on the collector's database directly.
struct DatabaseOptions: ParsableArguments {
    @Option(name: [.customLong("db"), .customLong("store"), .customLong("database")], help: "The collector's store: a SQLite file (or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE.")
    var db = "./deskready.sqlite"

    func open(create: Bool = false) async throws -> any CollectorStore {
        try await StoreLocation(db).open(create: create).store
    }

    /// The SQLite store, for what only SQLite has (online backup, integrity check).
    func openSQLite() throws -> SQLiteMeasurementStore {
        guard let path = try StoreLocation(db).sqlitePath else {
            throw ValidationError("\(db) is a PostgreSQL database: back it up and check it with PostgreSQL's own tools (pg_dump, pg_basebackup, amcheck)")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no database at \(path); pass --db with the collector's database file") }
        return try SQLiteMeasurementStore(path: path)
    }
}

/// Parses an ODS code option, with the fix in the message.
func trustCode(_ text: String, option: String = "trust") throws -> String {
    guard ODSCode.isValidTrust(text) else {
        throw ValidationError("--\(option) '\(text)' is not a trust ODS code: 3 to 5 upper-case letters or digits, for example RXX")
    }
    return text
}

/// `deskready trust add|list`.
struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trust", abstract: "Set up trusts on this collector.", subcommands: [Add.self, List.self, TrustSetCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a trust by its ODS code.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The trust's ODS code, for example RXX.") var ods: String
        @Option(help: "The trust's name.") var name: String

        func run() async throws {
            let store = try await database.open(create: true)
            let trust = try await store.addTrust(ods: try trustCode(ods, option: "ods"), name: name)
            CommandAudit.record("trust.add", trust: trust.ods, details: [:])
            print("added trust \(trust.ods) (\(trust.name))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the trusts.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for trust in try await database.open().trusts() { print("\(trust.ods)\t\(trust.name)") }
        }
    }
}

/// `deskready enrol-token create`: a token IT ops put in the agents' config for a roll-out.
struct EnrolTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enrol-token", abstract: "Issue enrolment tokens for rolling agents out.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an enrolment token for a trust (shown once).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The trust's ODS code.") var trust: String
        @Option(help: "Days until it expires (default: never).") var expiresDays: Int?
        @Option(help: "A label, for example the roll-out wave.") var label = "enrolment"

        func run() async throws {
            if let expiresDays, expiresDays < 1 { throw ValidationError("--expires-days must be at least 1") }
            let expires = expiresDays.map { WallClock.nowMs() + Int64($0) * UTCTime.dayMs }
            let issued = try await database.open().issueToken(role: .enrolment, trust: try trustCode(trust), label: label, expiresMs: expires)
            CommandAudit.record("token.create", trust: trust, details: ["token_id": "\(issued.credential.id)", "role": "enrolment"])
            print(issued.token)
            FileHandle.standardError.write(Data("enrolment token \(issued.credential.id) for trust \(trust): put it in agent.yaml as enrolment_token; it is shown only now.\n".utf8))
        }
    }
}

/// `deskready token create|list|revoke|rotate`: reader, importer, toolkit and admin tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue, list, rotate and revoke tokens.", subcommands: [Create.self, List.self, Revoke.self, Rotate.self])

    /// Reader tokens expire after this many days unless `--expires-days` says otherwise.
    static let defaultReaderDays = 365

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a reader token for one trust's reports, an importer token for one trust's Windows imports, a toolkit token for every trust's indicators (the national export), or an admin token (shown once).",
            discussion: "Reader and toolkit tokens expire after \(TokenCommand.defaultReaderDays) days by default; pass --expires-days 0 for a token that never expires.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "reader, importer, toolkit or admin.") var role: String
        @Option(help: "The trust (reader and importer tokens).") var trust: String?
        @Option(help: "A label: who holds it.") var label = "token"
        @Option(help: "Days until it expires (0: never; default: \(TokenCommand.defaultReaderDays) for reader and toolkit tokens, never for the others).") var expiresDays: Int?

        func run() async throws {
            guard let role = CredentialRole(rawValue: role), [.reader, .importer, .toolkit, .admin].contains(role) else {
                throw ValidationError("--role must be reader, importer, toolkit or admin (devices enrol with `deskready enrol-token create`)")
            }
            if role.isTrustBound && trust == nil { throw ValidationError("a \(role.rawValue) token needs --trust ODS") }
            if !role.isTrustBound && trust != nil { throw ValidationError("a \(role.rawValue) token is not bound to a trust; leave out --trust") }
            if let expiresDays, expiresDays < 0 { throw ValidationError("--expires-days must be 0 (never) or more") }
            let days = expiresDays ?? ([.reader, .toolkit].contains(role) ? TokenCommand.defaultReaderDays : 0)
            let expires = days == 0 ? nil : WallClock.nowMs() + Int64(days) * UTCTime.dayMs
            let issued = try await database.open().issueToken(role: role, trust: try trust.map { try trustCode($0) }, label: label, expiresMs: expires)
            CommandAudit.record("token.create", trust: issued.credential.trust, details: ["token_id": "\(issued.credential.id)", "role": role.rawValue])
            print(issued.token)
            let expiry = expires.map { "it expires on \(CivilDay.format($0))" } ?? "it never expires"
            FileHandle.standardError.write(Data("\(role.rawValue) token \(issued.credential.id): \(expiry); it is shown only now.\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets): state, created, expires and last used (UTC).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let now = WallClock.nowMs()
            print("id\trole\ttrust\tdevice\tstate\tcreated\texpires\tlast used\tlabel")
            for credential in try await database.open().credentials() {
                let state = credential.revokedMs != nil ? "revoked" : (credential.isActive(nowMs: now) ? "active" : "expired")
                let expires = credential.expiresMs.map(CivilDay.format) ?? "never"
                let used = credential.lastUsedMs.map(CivilDay.dateTime) ?? "never"
                print("\(credential.id)\t\(credential.role.rawValue)\t\(credential.trust ?? "-")\t\(credential.deviceId ?? "-")\t\(state)\t\(CivilDay.format(credential.createdMs))\t\(expires)\t\(used)\t\(credential.label)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id, from `deskready token list`.") var id: Int64

        func run() async throws {
            try await database.open().revokeToken(id: id)
            CommandAudit.record("token.revoke", trust: nil, details: ["token_id": "\(id)"])
            print("revoked token \(id)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a replacement for a token (same role, trust and label, the same lifetime from now) and revoke the old one.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id, from `deskready token list`.") var id: Int64

        func run() async throws {
            let issued = try await database.open().rotateToken(id: id, nowMs: WallClock.nowMs())
            CommandAudit.record("token.rotate", trust: issued.credential.trust, details: ["token_id": "\(id)", "new_token_id": "\(issued.credential.id)"])
            print(issued.token)
            FileHandle.standardError.write(Data("token \(id) is revoked; its replacement is token \(issued.credential.id), shown only now.\n".utf8))
        }
    }
}

/// `deskready device list|revoke|restore`.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "device", abstract: "List, revoke and restore devices; their table for IT ops.", subcommands: [List.self, Revoke.self, Restore.self, DeviceTableCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List enrolled devices.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this trust.") var trust: String?

        func run() async throws {
            print("trust\tdevice\tsite\tstate\tlast seen (UTC)\tagent")
            for device in try await database.open().devices(trust: try trust.map { try trustCode($0) }) {
                let seen = device.lastSeenMs.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "never"
                print("\(device.trust)\t\(device.deviceId)\t\(device.site)\t\(device.revoked ? "revoked" : "active")\t\(seen)\t\(device.agentVersion ?? "unknown")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a device: its token stops working at once.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device's trust.") var trust: String
        @Argument(help: "The device id.") var deviceId: String

        func run() async throws {
            try await database.open().revokeDevice(trust: try trustCode(trust), deviceId: deviceId)
            CommandAudit.record("device.revoke", trust: trust, details: ["device": deviceId])
            print("revoked device \(deviceId) of trust \(trust); it cannot enrol again until `deskready device restore --trust \(trust) \(deviceId)`")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a device's revocation, so it may enrol again (from any machine).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device's trust.") var trust: String
        @Argument(help: "The device id.") var deviceId: String

        func run() async throws {
            try await database.open().restoreDevice(trust: try trustCode(trust), deviceId: deviceId)
            CommandAudit.record("device.restore", trust: trust, details: ["device": deviceId])
            print("restored device \(deviceId) of trust \(trust): it may enrol again with an enrolment token (`deskready-agent enrol --force` on the machine)")
        }
    }
}

/// Audit lines of administrative commands, naming the operating-system user who ran them.
enum CommandAudit {
    static func record(_ action: String, trust: String?, details: [String: String]) {
        let user = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
        AuditLog().record(action, actor: "cli:\(user)", trust: trust, details: details)
    }
}
