import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import Foundation

/// `deskready user add|list|remove`: who may sign in to the web pages and read which trusts. A mapping names a person
/// by e-mail (the provider's user claim) or subject, or a provider group, and gives a reader role in one trust or the
/// admin role (every trust).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Map people and provider groups to the trusts they may read in the web pages.", subcommands: [Add.self, List.self, Remove.self])

    /// The store's web mappings (SQLite and PostgreSQL both keep them).
    static func store(_ database: DatabaseOptions) async throws -> any WebAccessStore {
        guard let store = try await database.open() as? any WebAccessStore else {
            throw ValidationError("this store does not keep web users; use the collector's SQLite or PostgreSQL database")
        }
        return store
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a person (by --email or --subject) or a provider --group read a trust, or every trust as admin.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The person's e-mail (or whichever claim oidc_user_claim names), compared without regard to case.") var email: String?
        @Option(help: "The provider's subject (sub) for the person.") var subject: String?
        @Option(help: "A provider group (Entra ID: the group's object id) whose members get this access.") var group: String?
        @Option(help: "The trust's ODS code (readers only).") var trust: String?
        @Option(help: "reader (one trust) or admin (every trust).") var role: String = "reader"

        func run() async throws {
            let given = [(WebAccessMatch.email, email), (.subject, subject), (.group, group)].compactMap { match, value in value.map { (match, $0) } }
            guard given.count == 1, let first = given.first else {
                throw ValidationError("name exactly one of --email, --subject or --group")
            }
            let (match, value) = first
            guard let role = WebAccessRole(rawValue: role) else { throw ValidationError("--role '\(role)' is not reader or admin") }
            if role == .reader && trust == nil { throw ValidationError("a reader needs --trust ODS (the trust they may read); admins see every trust") }
            if role == .admin && trust != nil { throw ValidationError("an admin sees every trust: leave out --trust") }
            let rule = try await UserCommand.store(database).addWebAccessRule(NewWebAccessRule(
                match: match, value: value, role: role, trust: try trust.map { try trustCode($0) }, createdMs: WallClock.nowMs()))
            CommandAudit.record("user.add", trust: rule.trust, details: ["user_id": "\(rule.id)", "match": match.rawValue, "value": rule.value, "role": role.rawValue])
            print("added user mapping \(rule.id): \(match.rawValue) \(rule.value) → \(role.rawValue)\(rule.trust.map { " of \($0)" } ?? " of every trust")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the user and group mappings.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rules = try await UserCommand.store(database).webAccessRules()
            if rules.isEmpty { FileHandle.standardError.write(Data("no user mappings yet; add one with `deskready user add --email ... --trust ODS --role reader`\n".utf8)) }
            for rule in rules {
                print("\(rule.id)\t\(rule.match.rawValue)\t\(rule.value)\t\(rule.role.rawValue)\t\(rule.trust ?? "*")\t\(CivilDay.dateTime(rule.createdMs))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a mapping by its id (see `user list`); the person's sessions lose that access at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The mapping's id.") var id: Int64

        func run() async throws {
            guard try await UserCommand.store(database).removeWebAccessRule(id: id) else {
                throw ValidationError("no user mapping with id \(id); list them with `deskready user list`")
            }
            CommandAudit.record("user.remove", trust: nil, details: ["user_id": "\(id)"])
            print("removed user mapping \(id)")
        }
    }
}
