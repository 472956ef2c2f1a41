/// Parsers of what `xprop` and `xwininfo` print, kept pure so they are tested on captured output.
public enum X11Output {
    /// Window ids from `xprop -root _NET_CLIENT_LIST`, e.g. `_NET_CLIENT_LIST(WINDOW): window id # 0x1a00003, 0x2400007`.
    /// Nil when the root has no such property (no EWMH window manager runs), an empty list when it has no clients.
    public static func clientList(_ text: String) -> [UInt32]? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("_NET_CLIENT_LIST") }),
              line.contains("(WINDOW)") else { return nil }
        guard let hash = line.firstIndex(of: "#") else { return [] }
        return line[line.index(after: hash)...].split(separator: ",").compactMap { hex($0.trimmingWhitespace()) }
    }

    /// The top-level windows listed by `xwininfo -root -children` (used when no window manager keeps a client list).
    public static func rootChildren(_ text: String) -> [UInt32] {
        var ids: [UInt32] = []
        var inChildren = false
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasSuffix("children:") || trimmed.hasSuffix("child:") {
                inChildren = true
                continue
            }
            guard inChildren, let token = trimmed.split(separator: " ").first, let id = hex(String(token)) else { continue }
            ids.append(id)
        }
        return ids
    }

    /// The process id from `xprop -id W _NET_WM_PID`: `_NET_WM_PID(CARDINAL) = 12345`.
    public static func windowPid(_ text: String) -> Int32? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("_NET_WM_PID(CARDINAL)") }),
              let eq = line.firstIndex(of: "=") else { return nil }
        return Int32(line[line.index(after: eq)...].trimmingWhitespace())
    }

    /// Whether `xwininfo -id W` reports the window as mapped and visible (`Map State: IsViewable`).
    public static func isViewable(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.trimmingWhitespace() == "Map State: IsViewable" }
    }

    static func hex(_ text: String) -> UInt32? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt32(text.dropFirst(2), radix: 16)
    }
}
