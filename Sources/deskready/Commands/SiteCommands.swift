import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import Foundation

/// `deskready site add|list`: the names reports give a trust's sites.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site", abstract: "Name a trust's sites for the reports.",
                                                    subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a site by its ODS code, or rename it.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The trust's ODS code, for example RXX.") var trust: String
        @Argument(help: "The site's ODS code, beginning with the trust's, for example RXX01.") var ods: String
        @Option(help: "The site's name, as reports show it.") var name: String

        func run() async throws {
            let trust = try trustCode(trust)
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name is empty; give the site's name") }
            let site = try await OrganisationCommands.run { try await database.open().addSite(trust: trust, ods: ods, name: name) }
            CommandAudit.record("site.add", trust: trust, details: ["site": site.ods])
            print("site \(site.ods) of trust \(trust): \(site.name ?? "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sites: trust, code, name and estate size.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this trust's sites.") var trust: String?

        func run() async throws {
            let trust = try trust.map { try trustCode($0) }
            for site in try await database.open().sites(trust: trust) {
                print("\(site.trust)\t\(site.ods)\t\(site.name ?? "-")\t\(site.estateSize.map(String.init) ?? "-")")
            }
        }
    }
}

/// `deskready trust set`: facts about a trust that reports use.
struct TrustSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Record a trust's (or a site's) estate size: how many devices it has, for coverage.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The trust's ODS code, for example RXX.") var ods: String
    @Option(help: "The number of devices in the trust's estate (or the site's, with --site); 0 clears it.") var estateSize: Int
    @Option(help: "A site's ODS code, to record that site's estate size.") var site: String?

    func run() async throws {
        let trust = try trustCode(ods, option: "ods")
        guard estateSize >= 0 else { throw ValidationError("--estate-size \(estateSize) is negative; give the number of devices, or 0 to clear it") }
        try await OrganisationCommands.run {
            try await database.open().setEstateSize(trust: trust, site: site, devices: estateSize == 0 ? nil : estateSize)
        }
        CommandAudit.record("trust.set", trust: trust, details: ["estate_size": String(estateSize), "site": site ?? ""])
        let unit = site.map { "site \($0) of trust \(trust)" } ?? "trust \(trust)"
        print(estateSize == 0 ? "cleared the estate size of \(unit)" : "\(unit): \(estateSize) devices in the estate")
    }
}

/// Turns the store's refusals into messages that say how to fix them.
enum OrganisationCommands {
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as OrganisationError {
            throw ValidationError(error.description)
        } catch let error as IdentityError {
            throw ValidationError(error.description)
        }
    }
}
