import DeskReadyAgent

#if canImport(Glibc)
import Glibc
#endif

/// Starts `deskready-agent`. A plain `mark` (what PAM and login scripts run, and wait for) skips the argument
/// parser's start-up; everything else, including a mark with a mistake in it, goes through the parser.
@main
enum EntryPoint {
    static func main() {
        if let request = MarkRecorder.fastPath(Array(CommandLine.arguments.dropFirst())) {
            do {
                try MarkRecorder.record(request)
                exit(0)
            } catch {
                printError("\(error)")
                exit(1)
            }
        }
        AgentCommand.main()
    }
}
