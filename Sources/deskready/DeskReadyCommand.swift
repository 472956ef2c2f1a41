import ArgumentParser
import DeskReadyCollector

/// `deskready`: the collector, its reports and administration, and the demo.
@main
struct DeskReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deskready",
        abstract: "DeskReady: how long NHS staff wait for their computers, per trust.",
        version: "deskready \(CollectorBuildInfo.version) (commit \(CollectorBuildInfo.commit))",
        subcommands: [
            ServeCommand.self, ReportCommand.self, BaselineCommand.self, DemoCommand.self,
            TrustCommand.self, SiteCommand.self, EnrolTokenCommand.self, TokenCommand.self, DeviceCommand.self, UserCommand.self,
            BackupCommand.self, CheckCommand.self, MigrateCommand.self, BenchCommand.self, ImportCommand.self,
        ]
    )
}
