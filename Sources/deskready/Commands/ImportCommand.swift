import ArgumentParser
import DeskReadyAgent
import DeskReadyModel
import DeskReadyWindowsEvents
import Foundation

/// `deskready import`: measurements that were not taken by an agent, turned into ordinary batches.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import measurements from sources other than the agent.",
        subcommands: [WindowsEventsImport.self])
}

/// `deskready import windows-events`: boots and logons with phases from Windows event log exports (see
/// agent-config/windows/README.md), pseudonymised here before anything is sent.
struct WindowsEventsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windows-events",
        abstract: "Import Windows boots and logons (with phases) from event log exports in XML.",
        discussion: """
            FILE is the output of `wevtutil qe CHANNEL /f:xml`, of `Get-WinEvent … | % { $_.ToXml() }`, or of \
            `wevtutil qe ForwardedEvents /f:xml` on a Windows Event Forwarding collector (any number of computers). \
            Devices are named by the events' computer name without its domain, in lower case (WS-0001.trust.nhs.uk \
            is device ws-0001). Users (SIDs) are pseudonymised with the trust's key before anything is sent. With \
            --state, a scheduled run reads only new events, and a logon still in progress at the end of an export \
            waits (up to --hold-minutes after its start) for the next export to complete it.
            """)

    @Option(help: "The trust's ODS code, for example RXX.") var trust: String
    @Option(help: "The site ODS code for computers the site map does not place.") var site: String
    @Option(help: "CSV of 'pattern,site' lines: computer-name patterns (* and ?) to site codes; the first match wins.") var siteMap: String?
    @Option(help: "File holding the trust's pseudonym key (the agents' pseudonym_key).") var pseudonymKeyFile: String
    @Option(help: "The collector's base URL, for example https://deskready.trust.nhs.uk.") var collector: String?
    @Option(help: "A token of role importer for the trust (`deskready token create --role importer --trust ODS`).") var token: String?
    @Flag(help: "Print each event as one JSON line in the wire format and send nothing.") var dryRun = false
    @Option(help: "Folder remembering, per computer and channel, what was read and sent, and what is held back (--dry-run reads it but never writes it).") var state: String?
    @Option(help: "Minutes after its start that an unfinished logon (or a boot without Diagnostics-Performance 100) is held back before it is stored as incomplete.")
    var holdMinutes = 120
    @Option(help: "Seconds to keep retrying a batch the collector does not acknowledge.") var retryFor = 600
    @Argument(help: "Event log exports in XML (UTF-8 or UTF-16).") var files: [String]

    func validate() throws {
        guard ODSCode.isValidTrust(trust) else {
            throw ValidationError("--trust '\(trust)' is not a trust ODS code: 3 to 5 upper-case letters or digits, for example RXX")
        }
        guard ODSCode.isValidSite(site, trust: trust) else {
            throw ValidationError("--site '\(site)' is not a site ODS code of trust \(trust): 3 to 10 upper-case letters or digits beginning with \(trust)")
        }
        if dryRun {
            guard collector == nil, token == nil else { throw ValidationError("--dry-run sends nothing: leave out --collector and --token, or leave out --dry-run") }
        } else {
            guard collector != nil, token != nil else {
                throw ValidationError("give --collector URL and --token TOKEN (a token of role importer: `deskready token create --role importer --trust \(trust)`), or --dry-run to print the events instead")
            }
        }
        guard !files.isEmpty else { throw ValidationError("name at least one export file (XML from wevtutil or Get-WinEvent)") }
        guard holdMinutes >= 1 else { throw ValidationError("--hold-minutes must be at least 1") }
    }

    func run() async throws {
        guard let keyText = try? String(contentsOfFile: pseudonymKeyFile, encoding: .utf8) else {
            throw ValidationError("cannot read --pseudonym-key-file \(pseudonymKeyFile); it holds the trust's pseudonym key, the same as the agents' pseudonym_key")
        }
        let key = keyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard key.utf8.count >= 16, !key.lowercased().hasPrefix("change-me") else {
            throw ValidationError("--pseudonym-key-file \(pseudonymKeyFile) must hold the trust's secret of at least 16 characters (the agents' pseudonym_key), for example from `openssl rand -hex 32`")
        }
        if !dryRun, let reason = CurlTransport.unavailableReason() { throw ValidationError(reason) }
        let stderr = FileHandle.standardError
        let report: (String) -> Void = dryRun ? { stderr.write(Data(($0 + "\n").utf8)) } : { print($0) }
        var settings = WindowsEventImporter.Settings(
            trust: trust, siteMap: try SiteMap(path: siteMap, defaultSite: site, trust: trust),
            pseudonymizer: Pseudonymizer(key: key), state: try state.map { try ImportStateFolder(path: $0) },
            sender: dryRun ? nil : collector.flatMap { url in token.map { BatchSender(collectorURL: url, token: $0, retryForSeconds: Double(retryFor)) } })
        settings.assembler = WindowsEventAssembler(holdTimeoutMs: Int64(holdMinutes) * 60_000)
        let importer = WindowsEventImporter(settings: settings, emit: { print($0) }, report: report)
        let summary: WindowsEventImporter.Summary
        do {
            summary = try importer.run(files: files)
        } catch let error as ImportError {
            throw ValidationError(error.description)
        } catch let error as ReadError {
            throw ValidationError(error.message)
        }
        var total = "read \(summary.events) events (\(summary.records) used) from \(summary.files) file\(summary.files == 1 ? "" : "s") for \(summary.devices) computer\(summary.devices == 1 ? "" : "s")"
        if summary.issues > 0 { total += "; \(summary.issues) unreadable part\(summary.issues == 1 ? "" : "s") skipped (see the warnings)" }
        if !dryRun { total += "; sent \(summary.sent) events: \(summary.accepted) stored, \(summary.alreadyStored) already stored" }
        if summary.heldBack > 0 {
            total += state == nil
                ? "; \(summary.heldBack) still in progress and not imported: pass --state DIR so a later export completes them"
                : "; \(summary.heldBack) held back until a later export completes them"
        }
        report(total)
    }
}
