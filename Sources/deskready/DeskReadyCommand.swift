import ArgumentParser

/// `deskready`: the collector, its reports and administration, and the demo.
@main
struct DeskReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deskready",
        abstract: "DeskReady: how long NHS staff wait for their computers, per trust.",
        subcommands: [
            ServeCommand.self, ReportCommand.self, BaselineCommand.self, DemoCommand.self,
            TrustCommand.self, EnrolTokenCommand.self, TokenCommand.self, DeviceCommand.self, UserCommand.self,
            BackupCommand.self, CheckCommand.self, BenchCommand.self, ImportCommand.self,
        ]
    )
}
